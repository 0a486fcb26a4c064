import assert from 'node:assert/strict';
import { test } from 'node:test';
import { knownContextVariables } from '../../src/d365/context-variables';
import { parseOperatingHours, parseOverflow, parseQueueTarget } from '../../src/d365/settings-text';
import { ConfigurationError, defaultWorkStream, parseRuleCondition, validateContactCenter, type ContactCenterSettings, type RoutingRule } from '../../src/d365/work-stream';
import { defineInlineCopilot } from '../../src/copilot/inline-copilot';

const rule = (name: string, condition: string, queue: string, extra: Partial<RoutingRule> = {}): RoutingRule => ({ name, condition, clauses: parseRuleCondition(name, condition), queue, ...extra });

function center(overrides: Partial<ContactCenterSettings> = {}): ContactCenterSettings {
  return {
    workStream: { ...defaultWorkStream(), fallbackQueue: 'General', contextVariables: [{ name: 'Department', type: 'Text' }] },
    queues: [
      { name: 'Billing', priority: 1, assignment: 'highest capacity' },
      { name: 'General', priority: 5, assignment: 'highest capacity' },
    ],
    rules: [rule('Billing team', 'Department = "Billing"', 'Billing', { origin: 'row 1 of "Given the routing rules:"' })],
    agents: [{ name: 'Alice', presence: 'Available', capacity: 2, queues: ['Billing', 'General'], origin: 'row 1 of "Given the agents:"' }],
    ...overrides,
  };
}

const known = (settings: ContactCenterSettings) => knownContextVariables(settings.workStream, undefined);

function rejects(settings: ContactCenterSettings, pattern: RegExp): void {
  assert.throws(
    () => validateContactCenter(settings, known(settings)),
    (error: Error) => {
      assert.ok(error instanceof ConfigurationError, `expected a ConfigurationError, got ${error.name}`);
      assert.match(error.message, pattern);
      assert.equal(error.message.split(/\.\s+(?=[A-Z])/).length >= 3, true, `not three sentences: ${error.message}`);
      return true;
    },
  );
}

test('a well-formed contact center passes', () => {
  assert.doesNotThrow(() => validateContactCenter(center(), known(center())));
});

test('a rule naming an unknown queue is refused, naming the rule and its table row', () => {
  rejects(center({ rules: [rule('Sales team', 'Department = "Sales"', 'Sales', { origin: 'row 2 of "Given the routing rules:"' })] }), /Routing rule "Sales team" sends conversations to queue "Sales", which is not defined\. Defined queues: "Billing", "General"\. Add the queue or fix the rule in row 2 of "Given the routing rules:"/);
});

test('a rule testing a variable nobody sets is refused, listing the known ones', () => {
  rejects(center({ rules: [rule('Typo', 'Departement = "Billing"', 'Billing')] }), /Routing rule "Typo" tests the variable "Departement", which no one sets.*known variables: .*"Department"/s);
});

test('va_* variables and the copilot topics\' variables are known to rules', () => {
  const copilot = defineInlineCopilot({ name: 'Bot', topics: [{ name: 'T', phrases: ['x'], sets: [{ variable: 'Segment', value: 'Gold' }] }], inactivity: [] }, { botId: 'b' });
  const settings = center({ rules: [rule('Gold', 'Segment = "Gold" and va_Language = "en-us"', 'Billing')] });
  assert.doesNotThrow(() => validateContactCenter(settings, knownContextVariables(settings.workStream, copilot)));
  assert.throws(() => validateContactCenter(settings, known(settings)), /"Segment", which no one sets/);
});

test('a classification rule testing an unknown variable is refused too', () => {
  rejects(center({ classification: [{ ruleset: 'Skills', name: 'Spanish', condition: 'Lang = "es"', clauses: parseRuleCondition('Spanish', 'Lang = "es"') }] }), /Classification rule "Spanish" tests the variable "Lang"/);
});

test('a rule after a catch-all can never match', () => {
  rejects(center({ rules: [rule('Everyone', 'otherwise', 'General'), rule('Billing team', 'Department = "Billing"', 'Billing', { origin: 'row 2 of "Given the routing rules:"' })] }), /Routing rule "Billing team" \(row 2 of "Given the routing rules:"\) can never match: rule "Everyone" before it matches every conversation/);
});

test('a catch-all as the last rule is fine', () => {
  const settings = center({ rules: [rule('Billing team', 'Department = "Billing"', 'Billing'), rule('Everyone', 'otherwise', 'General')] });
  assert.doesNotThrow(() => validateContactCenter(settings, known(settings)));
});

test('a queue without members is refused, naming the queue', () => {
  rejects(center({ queues: [...center().queues, { name: 'Returns', priority: 3, assignment: 'highest capacity', origin: 'row 3 of "Given the queues:"' }] }), /Queue "Returns" \(row 3 of "Given the queues:"\) has no members/);
});

test('an implicit queue (fallback or bot queue) may have no members', () => {
  const settings = center({ queues: [...center().queues, { name: 'Bot queue', priority: 100, assignment: 'highest capacity', implicit: true }] });
  assert.doesNotThrow(() => validateContactCenter(settings, known(settings)));
});

test('an agent without capacity is refused, naming the agent and row', () => {
  rejects(center({ agents: [{ name: 'Zed', presence: 'Available', capacity: 0, queues: ['Billing', 'General'], origin: 'row 4 of "Given the agents:"' }] }), /Agent "Zed" \(row 4 of "Given the agents:"\) has no capacity/);
});

test('in a profile-based work stream an agent needs a profile limit', () => {
  const base = center();
  rejects(center({ workStream: { ...base.workStream, capacityFormat: 'profile', capacityProfile: 'Chat' }, agents: [{ name: 'Alice', presence: 'Available', capacity: 2, queues: ['Billing', 'General'], profiles: {} }] }), /Agent "Alice" has no capacity in any capacity profile/);
});

test('a percentage split that does not sum to 100 is refused', () => {
  rejects(center({ rules: [rule('Split', 'Department = "Billing"', 'Billing', { split: parseQueueTarget('Billing 60%; General 30%').split })] }), /Routing rule "Split" splits conversations Billing 60%, General 30%, which sums to 90%/);
});

test('an overflow transfer to an unknown queue is refused', () => {
  rejects(center({ queues: [{ name: 'Billing', priority: 1, assignment: 'highest capacity', overflow: parseOverflow('more than 2 work items: transfer to Nowhere') }, center().queues[1]!] }), /Queue "Billing" overflows to queue "Nowhere"/);
});

test('a copilot in a pick work stream is refused: bots only work in push', () => {
  const base = center();
  rejects(center({ workStream: { ...base.workStream, distribution: 'pick', copilotFirstResponder: true } }), /distributes work by pick/);
});

test('settings text that cannot be read says the expected form', () => {
  assert.throws(() => parseOperatingHours('weekdays 9 to 5'), /Write them as: Mon-Fri 09:00-17:00 Europe\/Paris/);
  assert.throws(() => parseOperatingHours('Mon-Fri 09:00-17:00 Mars/Olympus'), /"Mars\/Olympus" is not a time zone/);
  assert.throws(() => parseOverflow('when full: panic'), /is not an overflow condition and action/);
  assert.throws(() => parseOverflow('more than 500 work items: assign anyway'), /1 to 100/);
  assert.throws(() => parseOverflow('waiting longer than 5 minutes: assign anyway'), /only ends the conversation or transfers/);
  assert.throws(() => parseQueueTarget('Billing 70%; General'), /is not a share of a percentage split/);
  assert.throws(() => parseRuleCondition('Empty', ''), /Routing rule "Empty" has no condition/);
});
