import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createActor, setup } from 'xstate';
import { VirtualClock } from '../../src/sim/virtual-clock';

test('timers fire in deadline order, ties in the order they were armed', () => {
  const clock = new VirtualClock(0);
  const fired: string[] = [];
  clock.setTimeout(() => fired.push('c@30'), 30);
  clock.setTimeout(() => fired.push('a@10'), 10);
  clock.setTimeout(() => fired.push('b@10'), 10);
  clock.setTimeout(() => fired.push('d@20'), 20);
  clock.advanceBy(30);
  assert.deepEqual(fired, ['a@10', 'b@10', 'd@20', 'c@30']);
});

test('a timer armed by a timer during one advance fires at its own deadline', () => {
  const clock = new VirtualClock(0);
  const fired: Array<[string, number]> = [];
  clock.setTimeout(() => {
    fired.push(['warning', clock.now()]);
    clock.setTimeout(() => fired.push(['close', clock.now()]), 5 * 60_000);
  }, 5 * 60_000);
  clock.advanceBy(10 * 60_000);
  assert.deepEqual(fired, [['warning', 300_000], ['close', 600_000]]);
  assert.equal(clock.now(), 600_000);
});

test('an xstate warning-then-close cascade closes at minute 10 in a single advance (SimulatedClock closes at 15)', () => {
  const machine = setup({}).createMachine({
    initial: 'active',
    states: { active: { after: { 300_000: 'warned' } }, warned: { after: { 300_000: 'closed' } }, closed: { type: 'final' } },
  });
  const clock = new VirtualClock(0);
  const actor = createActor(machine, { clock }).start();
  clock.advanceBy(600_000);
  assert.equal(actor.getSnapshot().value, 'closed');
});

test('cleared timers never fire and do not count as pending', () => {
  const clock = new VirtualClock(1000);
  let fired = false;
  const id = clock.setTimeout(() => (fired = true), 50);
  assert.equal(clock.pendingTimers, 1);
  clock.clearTimeout(id);
  assert.equal(clock.pendingTimers, 0);
  clock.advanceBy(100);
  assert.equal(fired, false);
  assert.equal(clock.nextDeadline(), undefined);
});

test('time never reads the wall clock and only moves forward', () => {
  const clock = new VirtualClock(Date.parse('2026-01-05T09:00:00Z'));
  clock.advanceBy(90_000);
  assert.equal(clock.isoNow(), '2026-01-05T09:01:30.000Z');
  assert.throws(() => clock.advanceBy(-1), /only moves forward/);
});

test('a timer that re-arms itself with no delay is reported instead of hanging', () => {
  const clock = new VirtualClock(0);
  const again = () => clock.setTimeout(again, 0);
  again();
  assert.throws(() => clock.advanceBy(1), /re-arming itself/);
});

test('hundreds of thousands of timers stay in deadline order', () => {
  const clock = new VirtualClock(0);
  let last = -1;
  let ordered = true;
  let count = 0;
  for (let index = 0; index < 200_000; index += 1) {
    const at = (index * 7919) % 100_000;
    clock.setTimeout(() => {
      if (clock.now() < last) ordered = false;
      last = clock.now();
      count += 1;
    }, at);
  }
  clock.advanceBy(100_000);
  assert.equal(count, 200_000);
  assert.equal(ordered, true);
});
