import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as expect from '../../src/harness/expectations';
import { Timeline, type TimelineFact, type Party } from '../../src/sim/timeline';

/** A timeline written by hand, to feed the assertions both faithful and broken histories. */
function timeline(build: (add: (party: Party, fact: TimelineFact) => void) => void) {
  let now = 0;
  const log = new Timeline(() => now);
  build((party, fact) => {
    now += 1000;
    log.record(party, fact, 'c1');
  });
  return log.entries;
}

const conversation = [
  ['customer', 'I have a billing question'],
  ['copilot', 'I can help with billing.'],
  ['customer', 'talk to a person'],
  ['copilot', 'Let me connect you with an agent.'],
] as const;

function handoffTimeline(deliver: (add: (party: Party, fact: TimelineFact) => void) => void) {
  return timeline((add) => {
    conversation.forEach(([from, text], index) => add(from, { kind: 'message.sent', messageId: String(index), from, sender: from, text }));
    add('routing', { kind: 'routing.decided', step: 'route-to-queue', queue: 'Billing', outcome: 'routed', explanation: ['rule "Billing team" matched'] });
    add('customer', { kind: 'state.changed', machine: 'conversation', id: 'c1', from: 'offered', to: 'withAgent', event: 'agent.accepted' });
    deliver(add);
  });
}

const delivered = (index: number) => (add: (party: Party, fact: TimelineFact) => void) => {
  const [from, text] = conversation[index]!;
  add('agent', { kind: 'message.delivered', to: 'agent', reader: 'Alice', messageId: String(index), from, text });
};

test('the full history passes when every message reaches the agent in order', () => {
  const entries = handoffTimeline((add) => [0, 1, 2, 3].forEach((i) => delivered(i)(add)));
  assert.doesNotThrow(() => expect.expectFullHistory(entries, 'c1', 'Alice'));
});

test('a dropped message fails the full history and says which line', () => {
  const entries = handoffTimeline((add) => [0, 1, 3].forEach((i) => delivered(i)(add)));
  assert.throws(() => expect.expectFullHistory(entries, 'c1', 'Alice'), /line 3 differs/);
});

test("a missing copilot's last message fails the full history", () => {
  const entries = handoffTimeline((add) => [0, 1, 2].forEach((i) => delivered(i)(add)));
  assert.throws(() => expect.expectFullHistory(entries, 'c1', 'Alice'), /line 4 differs/);
});

test('a reordered history fails', () => {
  const entries = handoffTimeline((add) => [1, 0, 2, 3].forEach((i) => delivered(i)(add)));
  assert.throws(() => expect.expectFullHistory(entries, 'c1', 'Alice'), /line 1 differs/);
});

test('a missing variable fails and lists the variables Dynamics 365 did receive', () => {
  const entries = timeline((add) => add('system', { kind: 'context.updated', variables: { va_Scope: 'bot', Department: 'Billing' } }));
  assert.doesNotThrow(() => expect.expectContextVariable(entries, 'c1', 'Department', 'Billing'));
  assert.throws(() => expect.expectContextVariable(entries, 'c1', 'va_LastTopic', 'Billing'), /received no context variable "va_LastTopic". It received: Department, va_Scope/);
  assert.throws(() => expect.expectContextVariable(entries, 'c1', 'Department', 'Sales'), /is "Billing", not "Sales"/);
});

test('the wrong queue fails with the routing explanation', () => {
  const entries = handoffTimeline(() => undefined);
  assert.doesNotThrow(() => expect.expectRoutedToQueue(entries, 'c1', 'Billing'));
  assert.throws(() => expect.expectRoutedToQueue(entries, 'c1', 'General'), (error: Error) => /routed to queue "Billing", not to queue "General"/.test(error.message) && /rule "Billing team" matched/.test(error.message));
});

test('no closure after the timeout fails, naming the state the conversation is in', () => {
  const open = timeline((add) => add('customer', { kind: 'state.changed', machine: 'conversation', id: 'c1', from: '(new)', to: 'withCopilot', event: 'xstate.init' }));
  assert.throws(() => expect.expectClosedWithReason(open, 'c1', 'ConversationEndedByBot'), /is not closed: it is withCopilot/);
  const closed = timeline((add) => add('customer', { kind: 'state.changed', machine: 'conversation', id: 'c1', from: 'withCopilot', to: 'closed', event: 'copilot.ended', reason: 'ConversationEndedByBot' }));
  assert.doesNotThrow(() => expect.expectClosedWithReason(closed, 'c1', 'ConversationEndedByBot'));
  assert.throws(() => expect.expectClosedWithReason(closed, 'c1', 'AutoClosedBySystem'), /closed with reason "ConversationEndedByBot", not "AutoClosedBySystem"/);
});

test('what the customer saw is its own view: a message sent but never delivered is not seen', () => {
  const entries = timeline((add) => {
    add('copilot', { kind: 'message.sent', messageId: '1', from: 'copilot', sender: 'bot', text: 'Are you still there?' });
  });
  assert.throws(() => expect.expectCustomerSaw(entries, 'c1', 'Are you still there?'), /did not see "Are you still there\?"/);
});
