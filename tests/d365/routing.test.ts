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

import { classify, preQueueOverflow } from '../../src/d365/routing';
import { parseOperatingHours, parseOverflow, parseSkills } from '../../src/d365/settings-text';
import type { QueueSettings } from '../../src/d365/work-stream';

const monday10Paris = Date.parse('2026-01-05T09:00:00Z');
const monday20Paris = Date.parse('2026-01-05T19:00:00Z');
const hours = parseOperatingHours('Mon-Fri 09:00-17:00 Europe/Paris');
const queues = new Map<string, QueueSettings>([
  ['Billing', { name: 'Billing', priority: 1, assignment: 'highest capacity', operatingHours: hours, overflow: parseOverflow('out of operating hours: end conversation "Closed."; more than 2 work items: transfer to General') }],
  ['Sales', { name: 'Sales', priority: 2, assignment: 'highest capacity', overflow: parseOverflow('more than 1 work item: assign anyway') }],
  ['General', { name: 'General', priority: 5, assignment: 'highest capacity' }],
]);
const billingRule = { name: 'Billing team', condition: 'Department = "Billing"', clauses: parseRuleCondition('Billing team', 'Department = "Billing"'), queue: 'Billing' };
const anyRule = { name: 'Sales team', condition: 'otherwise', clauses: [], queue: 'Sales' };
const options = (now: number, open: Record<string, number> = {}) => ({ now, queues, openItems: (q: string) => open[q] ?? 0, draw: () => 50, checkOverflow: true });

test('operating hours are evaluated in the queue\'s time zone on the given instant', () => {
  assert.equal(preQueueOverflow(queues.get('Billing')!, monday10Paris, 0), undefined);
  assert.match(preQueueOverflow(queues.get('Billing')!, monday20Paris, 0)!.condition, /out of operating hours \(it is Mon 20:00 Europe\/Paris/);
});

test('a closed queue runs its out-of-hours action: end the conversation with its message', () => {
  const decision = routeToQueue({ Department: 'Billing' }, [billingRule], 'General', options(monday20Paris));
  assert.deepEqual(decision.end, { message: 'Closed.' });
  assert.match(decision.explanation.join('\n'), /overflow action: end the conversation with "Closed."/);
});

test('the first matching rule whose queue is not overflowing wins', () => {
  const decision = routeToQueue({ Department: 'Billing' }, [billingRule, anyRule], 'General', options(monday10Paris, { Billing: 2 }));
  assert.equal(decision.queue, 'Sales');
  assert.match(decision.explanation.join('\n'), /queue "Billing" is overflowing: work item limit exceeded \(2 open items, limit 2\); trying the next rule/);
});

test('when every matched queue overflows, the operating one runs its action', () => {
  const decision = routeToQueue({ Department: 'Billing' }, [billingRule, anyRule], 'General', options(monday10Paris, { Billing: 2, Sales: 1 }));
  assert.equal(decision.queue, 'General', 'Billing is operating, so its transfer to General runs');
  assert.equal(decision.overflow?.queue, 'Billing');
});

test('without the overflow check (after the first escalation) a full queue still takes the item', () => {
  const decision = routeToQueue({ Department: 'Billing' }, [billingRule], 'General', { ...options(monday10Paris, { Billing: 5 }), checkOverflow: false });
  assert.equal(decision.queue, 'Billing');
});

test('a percentage split picks the share the draw falls in', () => {
  const split = { name: 'Split', condition: 'otherwise', clauses: [], queue: 'Billing', split: [{ queue: 'Billing', percent: 70 }, { queue: 'General', percent: 30 }] };
  assert.equal(routeToQueue({}, [split], 'General', { ...options(monday10Paris), draw: () => 69.99 }).queue, 'Billing');
  assert.equal(routeToQueue({}, [split], 'General', { ...options(monday10Paris), draw: () => 70 }).queue, 'General');
});

test('classification rulesets run in order; the first match of each sets skills, priority and profile', () => {
  const rules = [
    { ruleset: 'Language', name: 'Spanish', condition: 'Lang = "es"', clauses: parseRuleCondition('Spanish', 'Lang = "es"'), skills: parseSkills('Spanish: 3') },
    { ruleset: 'Language', name: 'Any', condition: 'otherwise', clauses: [], skills: parseSkills('English') },
    { ruleset: 'Value', name: 'VIP', condition: 'Amount > 1000', clauses: parseRuleCondition('VIP', 'Amount > 1000'), priority: 1, capacityProfile: 'VIP' },
  ];
  const result = classify({ Lang: 'es', Amount: '2500' }, rules);
  assert.deepEqual(result.skills, [{ skill: 'Spanish', rating: 3 }]);
  assert.equal(result.priority, 1);
  assert.deepEqual(result.capacityProfiles, ['VIP']);
  assert.equal(classify({ Lang: 'fr', Amount: '10' }, rules).priority, undefined);
});

test('exact skill matching refuses an agent below the rating; closest takes the best partial match', () => {
  const skilled = [agent('Low', { skills: { Spanish: 2 }, capacity: 9 }), agent('Partial', { skills: { Billing: 5 }, order: 1 })];
  const needs = { skills: parseSkills('Spanish: 3; Billing') };
  const exact = chooseAgent(queue, skilled, { ...workStream, matching: 'exact' }, new Set(), needs);
  assert.equal(exact.agent, undefined);
  assert.match(exact.explanation.join('\n'), /Low: Spanish rated 2, needs 3/);
  assert.equal(chooseAgent(queue, skilled, { ...workStream, matching: 'closest' }, new Set(), needs).agent, 'Partial');
});

test('profile-based capacity needs free capacity in every profile the item carries', () => {
  const profiled = [
    agent('NoVip', { profiles: { Chat: { limit: 3, used: 0 } } }),
    agent('Vip', { profiles: { Chat: { limit: 1, used: 0 }, VIP: { limit: 1, used: 0 } }, order: 1 }),
  ];
  const decision = chooseAgent(queue, profiled, { ...workStream, capacityFormat: 'profile' }, new Set(), { capacityProfiles: ['Chat', 'VIP'] });
  assert.equal(decision.agent, 'Vip');
  assert.match(decision.explanation.join('\n'), /NoVip: has no capacity profile "VIP"/);
});

test('advanced round robin takes the agent longest unassigned from this queue; custom order follows the list', () => {
  const pool = [agent('A', { lastAssignedInQueue: { General: 200 } }), agent('B', { lastAssignedInQueue: { General: 100 }, order: 1 }), agent('C', { order: 2, capacity: 9 })];
  assert.equal(chooseAgent({ ...queue, assignment: 'advanced round robin' }, pool, workStream, new Set()).agent, 'C');
  assert.equal(chooseAgent({ ...queue, assignment: 'advanced round robin' }, pool.slice(0, 2), workStream, new Set()).agent, 'B');
  assert.equal(chooseAgent({ ...queue, assignment: 'custom order', customOrder: ['B', 'A'] }, pool, workStream, new Set()).agent, 'B');
});
