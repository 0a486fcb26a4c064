import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createActor, getNextSnapshot } from 'xstate';
import { agentMachine } from '../../src/model/agent.machine';
import { conversationMachine } from '../../src/model/conversation.machine';
import { defaultDelays } from '../../src/model/delays';
import { workItemMachine } from '../../src/model/work-item.machine';
import { VirtualClock } from '../../src/sim/virtual-clock';

function conversationAfter(...events: Parameters<typeof getNextSnapshot<typeof conversationMachine>>[2][]) {
  let snapshot = createActor(conversationMachine).getSnapshot();
  for (const event of events) snapshot = getNextSnapshot(conversationMachine, snapshot, event);
  return snapshot;
}

test('the conversation goes from the copilot to an agent through escalation, queue and offer', () => {
  const snapshot = conversationAfter(
    { type: 'copilot.escalated' },
    { type: 'routing.queued', queue: 'Billing' },
    { type: 'agent.offered', agent: 'Alice' },
    { type: 'agent.accepted', agent: 'Alice' },
  );
  assert.equal(snapshot.value, 'withAgent');
  assert.equal(snapshot.context.queue, 'Billing');
  assert.equal(snapshot.context.agent, 'Alice');
});

test('every path to closed carries a closure reason', () => {
  const paths: Array<[string, ReturnType<typeof conversationAfter>]> = [
    ['ConversationEndedByBot', conversationAfter({ type: 'copilot.ended' })],
    ['CustomerDisconnectedOrLeftActiveConversation', conversationAfter({ type: 'customer.ended' })],
    ['ClosedDueToOverflow', conversationAfter({ type: 'copilot.escalated' }, { type: 'routing.overflowed' })],
    ['CustomerDisconnectedOrLeftOpenConversation', conversationAfter({ type: 'copilot.escalated' }, { type: 'routing.queued', queue: 'Q' }, { type: 'customer.ended' })],
    ['AutoClosedBySystem', conversationAfter({ type: 'copilot.escalated' }, { type: 'workItem.closed', reason: 'AutoClosedBySystem' })],
    ['ConversationEndedByAgent', conversationAfter({ type: 'copilot.escalated' }, { type: 'routing.queued', queue: 'Q' }, { type: 'agent.offered', agent: 'A' }, { type: 'agent.accepted', agent: 'A' }, { type: 'agent.ended', agent: 'A' }, { type: 'agent.closedSession', agent: 'A' })],
    ['CutomerMovedToWrapUp', conversationAfter({ type: 'copilot.escalated' }, { type: 'routing.queued', queue: 'Q' }, { type: 'agent.offered', agent: 'A' }, { type: 'agent.accepted', agent: 'A' }, { type: 'customer.ended' }, { type: 'agent.closedSession', agent: 'A' })],
    ['ForceClosedBySupervisor', conversationAfter({ type: 'supervisor.forceClosed' })],
  ];
  for (const [reason, snapshot] of paths) {
    assert.equal(snapshot.value, 'closed', reason);
    assert.equal(snapshot.context.closureReason, reason);
  }
});

test('a declined offer puts the conversation back in the queue', () => {
  const snapshot = conversationAfter({ type: 'copilot.escalated' }, { type: 'routing.queued', queue: 'Q' }, { type: 'agent.offered', agent: 'A' }, { type: 'agent.declined', agent: 'A' });
  assert.equal(snapshot.value, 'queued');
  assert.equal(snapshot.context.agent, null);
});

test('an Open work item is auto-closed after 20 minutes, not a millisecond before', () => {
  const clock = new VirtualClock(0);
  const actor = createActor(workItemMachine, { clock, input: {} }).start();
  clock.advanceBy(defaultDelays.openAutoClose - 1);
  assert.ok(actor.getSnapshot().matches('open'));
  clock.advanceBy(1);
  assert.equal(actor.getSnapshot().value, 'closed');
  assert.equal(actor.getSnapshot().context.statusReason, 'AutoClosedBySystem');
});

test('wrap-up auto-closes after 15 minutes and keeps D365 reasons on the way', () => {
  const clock = new VirtualClock(0);
  const actor = createActor(workItemMachine, { clock, input: {} }).start();
  actor.send({ type: 'agent.offered', agent: 'A' });
  assert.equal(actor.getSnapshot().context.statusReason, 'AwaitingAgentAcceptance');
  actor.send({ type: 'agent.accepted', agent: 'A' });
  assert.equal(actor.getSnapshot().context.statusReason, 'InConversation');
  actor.send({ type: 'agent.ended', agent: 'A' });
  assert.ok(actor.getSnapshot().matches('wrapUp'));
  clock.advanceBy(defaultDelays.wrapUpAutoClose);
  assert.equal(actor.getSnapshot().value, 'closed');
  assert.equal(actor.getSnapshot().context.statusReason, 'AutoClosedBySystem');
});

test('a bot-only chat is closed after 30 idle minutes, and customer messages reset the timer', () => {
  const clock = new VirtualClock(0);
  const actor = createActor(workItemMachine, { clock, input: {} }).start();
  actor.send({ type: 'copilot.engaged' });
  clock.advanceBy(20 * 60_000);
  actor.send({ type: 'customer.messaged' });
  clock.advanceBy(29 * 60_000);
  assert.deepEqual(actor.getSnapshot().value, { active: 'withCopilot' });
  clock.advanceBy(60_000);
  assert.equal(actor.getSnapshot().value, 'closed');
});

test('a customer who disconnects from an agent has the reconnect window to come back', () => {
  const clock = new VirtualClock(0);
  const actor = createActor(workItemMachine, { clock, input: {} }).start();
  actor.send({ type: 'agent.offered', agent: 'A' });
  actor.send({ type: 'agent.accepted', agent: 'A' });
  actor.send({ type: 'customer.disconnected' });
  clock.advanceBy(defaultDelays.customerReconnectWindow - 1);
  actor.send({ type: 'customer.reconnected' });
  clock.advanceBy(10 * 60_000);
  assert.deepEqual(actor.getSnapshot().value, { active: { inConversation: 'customerConnected' } });
  actor.send({ type: 'customer.disconnected' });
  clock.advanceBy(defaultDelays.customerReconnectWindow);
  assert.ok(actor.getSnapshot().matches('wrapUp'));
  assert.equal(actor.getSnapshot().context.statusReason, 'CustomerDisconnectedOrLeftActiveConversation');
});

test('an unanswered notification expires after the countdown and says so', () => {
  const clock = new VirtualClock(0);
  const actor = createActor(agentMachine, { clock, input: { name: 'Alice', presence: 'Available', capacity: 2 } }).start();
  const expired: string[] = [];
  actor.on('agent.offerExpired', (event) => expired.push(event.conversationId));
  actor.send({ type: 'agent.offered', conversationId: 'c1' });
  clock.advanceBy(defaultDelays.notificationCountdown - 1);
  assert.deepEqual(expired, []);
  clock.advanceBy(1);
  assert.deepEqual(expired, ['c1']);
  assert.equal(actor.getSnapshot().value, 'idle');
});

test('accepting consumes capacity and releasing gives it back', () => {
  const actor = createActor(agentMachine, { input: { name: 'Alice', presence: 'Available', capacity: 2 } }).start();
  actor.send({ type: 'agent.offered', conversationId: 'c1' });
  actor.send({ type: 'agent.accepted', conversationId: 'other', units: 1 });
  assert.equal(actor.getSnapshot().context.usedCapacity, 0, 'accepting another conversation than the offered one changes nothing');
  actor.send({ type: 'agent.accepted', conversationId: 'c1', units: 1 });
  assert.equal(actor.getSnapshot().context.usedCapacity, 1);
  actor.send({ type: 'agent.capacityReleased', units: 1 });
  assert.equal(actor.getSnapshot().context.usedCapacity, 0);
});
