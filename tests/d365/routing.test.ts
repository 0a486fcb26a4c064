import assert from 'node:assert/strict';
import { test } from 'node:test';
import { chooseAgent, routeToQueue, type AgentCandidate } from '../../src/d365/routing';
import { ConfigurationError, defaultWorkStream, parseRuleCondition, validateContactCenter } from '../../src/d365/work-stream';

const rules = [
  { name: 'Billing team', condition: 'Department = "Billing"', clauses: parseRuleCondition('Billing team', 'Department = "Billing"'), queue: 'Billing' },
  { name: 'Spanish', condition: 'va_Language = es-es and Department <> Billing', clauses: parseRuleCondition('Spanish', 'va_Language = es-es and Department <> Billing'), queue: 'Spanish' },
];

test('the first matching rule wins and the explanation says why earlier ones did not', () => {
  const decision = routeToQueue({ Department: 'Sales', va_Language: 'es-es' }, rules, 'General');
  assert.equal(decision.queue, 'Spanish');
  assert.match(decision.explanation[0]!, /"Billing team" did not match: Department is "Sales"/);
  assert.match(decision.explanation[1]!, /"Spanish" matched/);
});

test('no matching rule sends the conversation to the fallback queue', () => {
  const decision = routeToQueue({}, rules, 'General');
  assert.equal(decision.queue, 'General');
  assert.match(decision.explanation.at(-1)!, /fallback queue "General"/);
});

test('context variables compare case-sensitively', () => {
  assert.equal(routeToQueue({ Department: 'billing' }, rules, 'General').queue, 'General');
});

test('a condition the simulation cannot read names the rule and the expected form', () => {
  assert.throws(() => parseRuleCondition('Broken', 'Department is Billing'), (error: Error) => error instanceof ConfigurationError && /Routing rule "Broken"/.test(error.message) && /Department = "Billing"/.test(error.message));
});

test('a rule that names an unknown queue fails before the scenario runs', () => {
  assert.throws(
    () => validateContactCenter({ workStream: { ...defaultWorkStream(), fallbackQueue: 'General' }, queues: [{ name: 'General', priority: 1, assignment: 'highest capacity' }], rules, agents: [] }),
    /Routing rule "Billing team" sends conversations to queue "Billing", which is not defined. Defined queues: "General"/,
  );
});

const agent = (name: string, overrides: Partial<AgentCandidate> = {}): AgentCandidate => ({
  name,
  presence: 'Available',
  capacity: 2,
  usedCapacity: 0,
  queues: ['General'],
  notified: false,
  lastAssignedAt: Number.NEGATIVE_INFINITY,
  order: 0,
  ...overrides,
});
const queue = { name: 'General', priority: 1, assignment: 'highest capacity' as const };
const workStream = { allowedPresences: ['Available' as const, 'Busy' as const], capacityRequired: 1 };

test('highest capacity picks the agent with the most free capacity', () => {
  const decision = chooseAgent(queue, [agent('Alice', { capacity: 2 }), agent('Bruno', { capacity: 5, usedCapacity: 1, order: 1 })], workStream, new Set());
  assert.equal(decision.agent, 'Bruno');
});

test('ties go round robin to the agent assigned longest ago', () => {
  const decision = chooseAgent(queue, [agent('Alice', { lastAssignedAt: 500 }), agent('Bruno', { lastAssignedAt: 100, order: 1 })], workStream, new Set());
  assert.equal(decision.agent, 'Bruno');
});

test('presence, capacity, pending notifications and declines make an agent ineligible, with reasons', () => {
  const decision = chooseAgent(
    queue,
    [agent('Away', { presence: 'Away' }), agent('Full', { usedCapacity: 2 }), agent('Ringing', { notified: true }), agent('Declined'), agent('Other', { queues: ['Billing'] })],
    workStream,
    new Set(['Declined']),
  );
  assert.equal(decision.agent, undefined);
  const text = decision.explanation.join('\n');
  assert.match(text, /Away: presence Away is not allowed/);
  assert.match(text, /Full: no free capacity \(2 of 2 used\)/);
  assert.match(text, /Ringing: is answering another notification/);
  assert.match(text, /Declined: already declined/);
  assert.match(text, /waits in the queue/);
});
