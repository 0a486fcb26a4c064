import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { createSurfaces, inProcessFetch } from '../../mocks/network';
import { Harness } from '../../src/harness/harness';

const root = path.resolve(__dirname, '..', '..');

function harness(): Harness {
  const created = new Harness({ seed: 11, connect: (sim) => inProcessFetch(createSurfaces(sim)) });
  created.addAgents([{ name: 'Alice', presence: 'Available', capacity: 1, queues: ['General'] }]);
  return created;
}

test('a node kind the harness does not run is reported once on the timeline, with file, line and node id, before anything happens', async () => {
  const scenario = harness();
  scenario.useCopilotFrom(path.join(root, 'tests', 'fixtures', 'doctor', 'unsupported-node-kind'));
  await scenario.customerSays('billing question');
  await scenario.customerSays('billing question');
  const problems = scenario.timeline.filter((entry) => entry.kind === 'problem').map((entry) => (entry.kind === 'problem' ? entry.message : ''));
  const loadTime = problems.filter((message) => message.includes('which the harness does not run yet'));
  assert.equal(loadTime.length, 1);
  assert.match(loadTime[0]!, /topics\/Billing\.mcs\.yml:20:7\): node invokeMcp_billing has the kind "InvokeMcpToolAction"/);
  assert.equal(problems.filter((message) => message.startsWith('Topic "Billing" stopped at node invokeMcp_billing')).length, 2, 'each run of the topic stops there');
  scenario.expectTopicFired('Billing');
});

test('an exported copilot with a structural error does not load; the error names file, line, column and node', () => {
  assert.throws(
    () => harness().useCopilotFrom(path.join(root, 'tests', 'fixtures', 'doctor', 'missing-dialog-target')),
    (error: Error) => error.name === 'CopilotLoadError' && /topics\/Billing\.mcs\.yml:20:7\) redirects with BeginDialog to "cr9d0_fixtureAssistant\.topic\.Refunds"/.test(error.message) && /beginDialog_refund/.test(error.message),
  );
});

test('a copilot named with 30 characters or more is refused by Dynamics 365 and never answers', async () => {
  const scenario = harness();
  scenario.defineCopilot('Contoso Customer Care Assistant', [{ name: 'Greeting', phrases: ['hello'], reply: 'Hi!' }]);
  await scenario.customerSays('hello');
  scenario.expectCopilotConnectionFailed('31 characters');
  assert.throws(() => scenario.expectTopicFired('Greeting'), /did not fire/);
});
