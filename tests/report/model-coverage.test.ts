import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createMachine } from 'xstate';
import { suggestScenarios, shortestPathTo } from '../../src/report/coverage-suggestions';
import { describeLifecycle, describeMachine, measureCoverage, uncoveredTransitions } from '../../src/report/model-coverage';
import type { TimelineEntry } from '../../src/sim/timeline';

/** A small machine of the same shapes as the lifecycle ones: a root transition, a compound state, a timer, a re-entry. */
const door = createMachine({
  id: 'door',
  initial: 'closed',
  on: { 'door.broken': '.broken' },
  states: {
    closed: { on: { 'door.opened': 'open', 'door.knocked': { target: 'closed', reenter: true } } },
    open: {
      initial: 'ajar',
      after: { 5000: 'closed' },
      on: { 'door.closed': 'closed' },
      states: { ajar: { on: { 'door.pushed': 'wide' } }, wide: {} },
    },
    broken: { type: 'final' },
  },
});

function changes(...list: Array<[from: string, to: string, event: string]>): TimelineEntry[] {
  return list.map(([from, to, event], seq) => ({ kind: 'state.changed', machine: 'conversation', id: 'c1', from, to, event, seq, at: seq, party: 'customer' }));
}

test('states and transitions come from the machine definition, targets settled in their initial child', () => {
  const model = describeMachine('conversation', door);
  assert.equal(model.initial, 'closed');
  assert.deepEqual(model.states.map((s) => `${s.path}:${s.kind}`), ['closed:atomic', 'open:compound', 'open.ajar:atomic', 'open.wide:atomic', 'broken:final']);
  assert.deepEqual(model.transitions.map((t) => t.id).sort(), [
    'conversation: * -> broken on door.broken',
    'conversation: closed -> open.ajar on door.opened',
    'conversation: open -> closed on door.closed',
    'conversation: open -> closed on xstate.after.5000.door.open',
    'conversation: open.ajar -> open.wide on door.pushed',
  ]);
  // A re-entry changes no state, so no timeline entry can show it: it is listed apart, not counted.
  assert.deepEqual(model.unobservable.map((t) => t.id), ['conversation: closed -> closed on door.knocked']);
});

test('a recorded change covers the transition of the deepest state that declares it, and its states', () => {
  const model = describeMachine('conversation', door);
  const coverage = measureCoverage(
    [
      { anchor: 's1', entries: changes(['(new)', 'closed', 'xstate.init'], ['closed', 'open.ajar', 'door.opened'], ['open.ajar', 'open.wide', 'door.pushed'], ['open.wide', 'closed', 'xstate.after.5000.door.open']) },
      { anchor: 's2', entries: changes(['(new)', 'closed', 'xstate.init'], ['closed', 'broken', 'door.broken']) },
    ],
    [model],
  );
  const machine = coverage.machines[0]!;
  const covered = Object.fromEntries(machine.transitions.map((t) => [t.item.id, t.coveredBy]));
  assert.deepEqual(covered['conversation: closed -> open.ajar on door.opened'], ['s1']);
  assert.deepEqual(covered['conversation: open -> closed on xstate.after.5000.door.open'], ['s1'], 'the timer of the compound parent, fired from a child');
  assert.deepEqual(covered['conversation: * -> broken on door.broken'], ['s2'], 'a root transition applies in any state');
  assert.deepEqual(covered['conversation: open -> closed on door.closed'], []);
  assert.deepEqual(Object.fromEntries(machine.states.map((s) => [s.item.path, s.coveredBy])), { closed: ['s1', 's2'], open: ['s1'], 'open.ajar': ['s1'], 'open.wide': ['s1'], broken: ['s2'] });
  assert.deepEqual(coverage.totals, { states: { covered: 5, total: 5 }, transitions: { covered: 4, total: 5 } });
  assert.deepEqual(uncoveredTransitions(coverage).map((t) => t.id), ['conversation: open -> closed on door.closed']);
});

test('a change the machine does not define is reported as drift, not silently dropped', () => {
  const coverage = measureCoverage([{ anchor: 's1', entries: changes(['closed', 'open.wide', 'door.kicked']) }], [describeMachine('conversation', door)]);
  assert.deepEqual(coverage.machines[0]!.unmodelled, [{ from: 'closed', to: 'open.wide', event: 'door.kicked', coveredBy: ['s1'] }]);
});

test('the three lifecycle machines are enumerated, with the delayed transitions of D365 timers', () => {
  const models = describeLifecycle();
  assert.deepEqual(models.map((m) => m.machine), ['conversation', 'workItem', 'agent']);
  const agent = models.find((m) => m.machine === 'agent')!;
  assert.ok(agent.transitions.some((t) => t.source === 'idle' && t.target === 'notified' && t.event === 'agent.offered'));
  assert.ok(agent.transitions.some((t) => t.source === 'notified' && t.event === 'xstate.after.notificationCountdown.agent.notified'));
  const workItem = models.find((m) => m.machine === 'workItem')!;
  assert.ok(workItem.transitions.some((t) => t.event.startsWith('xstate.after.wrapUpAutoClose') && t.target === 'closed'));
});

test('the shortest path to a state follows the definition, from the initial state', () => {
  const model = describeMachine('conversation', door);
  assert.deepEqual(shortestPathTo(model, 'open.wide'), [{ from: 'closed', event: 'door.opened' }, { from: 'open.ajar', event: 'door.pushed' }]);
  assert.deepEqual(shortestPathTo(model, 'closed'), []);
});

test('skeletons use the run\'s own step phrases, and a TODO where no step exists', () => {
  const conversation = describeLifecycle().find((m) => m.machine === 'conversation')!;
  const declined = conversation.transitions.find((t) => t.source === 'offered' && t.event === 'agent.declined')!;
  const known = new Set(['the customer says {string}', 'agent {agent} is offered the conversation', 'agent {agent} declines', 'the conversation is {situation}']);
  const feature = suggestScenarios([declined], { stepExpressions: known });
  assert.match(feature, /^@wip\nFeature: /m);
  assert.match(feature, /Scenario: conversation goes from offered to queued on agent\.declined\n {4}When the customer says "talk to a person"\n {4}Then agent "Alice" is offered the conversation\n {4}When agent "Alice" declines\n {4}Then the conversation is waiting in a queue\n/);
  const withoutDecline = suggestScenarios([declined], { stepExpressions: new Set([...known].filter((e) => e !== 'agent {agent} declines')) });
  assert.match(withoutDecline, /# TODO: When agent "Alice" declines {2}\(no step "agent \{agent\} declines" is defined yet\)/);
  assert.equal(suggestScenarios([], { stepExpressions: known }), '');
});
