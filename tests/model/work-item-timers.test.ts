import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createActor } from 'xstate';
import { agentMachine } from '../../src/model/agent.machine';
import { defaultDelays } from '../../src/model/delays';
import { workItemMachine, type WorkItemInput } from '../../src/model/work-item.machine';
import { VirtualClock } from '../../src/sim/virtual-clock';

function inConversation(input: WorkItemInput, clock = new VirtualClock(0)) {
  const actor = createActor(workItemMachine, { clock, input }).start();
  actor.send({ type: 'agent.offered', agent: 'A' });
  actor.send({ type: 'agent.accepted', agent: 'A' });
  return { actor, clock };
}

test('queue position messages are due every 30 seconds while the item waits, and only when enabled', () => {
  for (const enabled of [true, false]) {
    const clock = new VirtualClock(0);
    const actor = createActor(workItemMachine, { clock, input: { queuePositionMessages: enabled } }).start();
    let due = 0;
    actor.on('workItem.queuePositionDue', () => (due += 1));
    actor.send({ type: 'routing.queued', queue: 'Q' });
    clock.advanceBy(defaultDelays.queuePositionInterval * 3);
    assert.equal(due, enabled ? 3 : 0);
  }
});

test('the wait limit of the queue fires once, and re-queueing restarts it with the new queue\'s limit', () => {
  const clock = new VirtualClock(0);
  const actor = createActor(workItemMachine, { clock, input: { queuePositionMessages: true } }).start();
  const exceeded: number[] = [];
  actor.on('workItem.waitLimitExceeded', () => exceeded.push(clock.now()));
  actor.send({ type: 'routing.queued', queue: 'Q', waitLimit: 60_000 });
  clock.advanceBy(59_999);
  assert.deepEqual(exceeded, [], 'the 30 s position timer must not restart the wait');
  clock.advanceBy(1);
  assert.deepEqual(exceeded, [60_000]);
  actor.send({ type: 'routing.queued', queue: 'R', waitLimit: 120_000 });
  clock.advanceBy(120_000);
  assert.deepEqual(exceeded, [60_000, 180_000]);
});

test('wrap-up blocks capacity always, never, or for the custom time', () => {
  const always = inConversation({ wrapUpCapacity: 'always' });
  always.actor.send({ type: 'agent.ended', agent: 'A' });
  always.clock.advanceBy(10 * 60_000);
  assert.ok(always.actor.getSnapshot().matches({ wrapUp: 'capacityBlocked' }));

  const never = inConversation({ wrapUpCapacity: 'never' });
  never.actor.send({ type: 'agent.ended', agent: 'A' });
  assert.ok(never.actor.getSnapshot().matches({ wrapUp: 'capacityReleased' }));

  const custom = inConversation({ wrapUpCapacity: 'custom' });
  custom.actor.send({ type: 'agent.ended', agent: 'A' });
  custom.clock.advanceBy(defaultDelays.wrapUpCapacityBlock - 1);
  assert.ok(custom.actor.getSnapshot().matches({ wrapUp: 'capacityBlocked' }));
  custom.clock.advanceBy(1);
  assert.ok(custom.actor.getSnapshot().matches({ wrapUp: 'capacityReleased' }));
});

test('persistent chat waits for the customer and auto-closes from Waiting; live chat goes back to Open', () => {
  const persistent = inConversation({ persistentChat: true });
  persistent.actor.send({ type: 'agent.closedSession', agent: 'A' });
  assert.equal(persistent.actor.getSnapshot().value, 'waiting');
  assert.equal(persistent.actor.getSnapshot().context.statusReason, 'AwaitingCustomerResponse');
  persistent.clock.advanceBy(defaultDelays.waitingAutoClose);
  assert.equal(persistent.actor.getSnapshot().context.statusReason, 'AutoClosedFromWaitingState');

  const live = inConversation({ persistentChat: false });
  live.actor.send({ type: 'agent.closedSession', agent: 'A' });
  assert.ok(live.actor.getSnapshot().matches('open'));
  assert.equal(live.actor.getSnapshot().context.statusReason, 'AwaitingAgentAssignment');
});

test('a supervisor assignment and a transfer keep the item Active with their reasons', () => {
  const clock = new VirtualClock(0);
  const actor = createActor(workItemMachine, { clock, input: {} }).start();
  actor.send({ type: 'supervisor.assigned', agent: 'A' });
  assert.equal(actor.getSnapshot().context.statusReason, 'AssignedBySupervisor');
  actor.send({ type: 'agent.accepted', agent: 'A' });
  actor.send({ type: 'agent.transferred', agent: 'A', to: 'B' });
  assert.ok(actor.getSnapshot().matches({ active: 'offered' }));
  assert.equal(actor.getSnapshot().context.statusReason, 'AwaitingAgentAcceptance');
});

test('an agent who misses the configured number of notifications becomes Inactive', () => {
  const clock = new VirtualClock(0);
  const actor = createActor(agentMachine, { clock, input: { name: 'A', presence: 'Available', capacity: 1, inactiveAfterMissed: 2 } }).start();
  actor.send({ type: 'agent.offered', conversationId: 'c1' });
  clock.advanceBy(defaultDelays.notificationCountdown);
  assert.equal(actor.getSnapshot().context.presence, 'Available');
  actor.send({ type: 'agent.offered', conversationId: 'c2' });
  clock.advanceBy(defaultDelays.notificationCountdown);
  assert.equal(actor.getSnapshot().context.presence, 'Inactive');
});

test('profile capacity is consumed and released per profile', () => {
  const actor = createActor(agentMachine, { input: { name: 'A', presence: 'Available', capacity: 0, profiles: { Chat: 2, VIP: 1 } } }).start();
  actor.send({ type: 'agent.offered', conversationId: 'c1' });
  actor.send({ type: 'agent.accepted', conversationId: 'c1', units: 0, profiles: ['Chat', 'VIP'] });
  assert.deepEqual(actor.getSnapshot().context.profiles, { Chat: { limit: 2, used: 1 }, VIP: { limit: 1, used: 1 } });
  actor.send({ type: 'agent.capacityReleased', units: 0, profiles: ['VIP'] });
  assert.deepEqual(actor.getSnapshot().context.profiles.VIP, { limit: 1, used: 0 });
});
