import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { test } from 'node:test';
import { createSurfaces, inProcessFetch } from '../../mocks/network';
import { Harness } from '../../src/harness/harness';

const root = path.resolve(__dirname, '..', '..');

function simulation() {
  const harness = new Harness({ seed: 7 });
  harness.addQueues([{ name: 'General', priority: 1, assignment: 'highest capacity' }]);
  harness.addAgents([{ name: 'Alice', presence: 'Available', capacity: 1, queues: ['General'] }]);
  return harness.sim;
}

test('a request no mock handles fails loudly with its method and URL', async () => {
  const fetch = inProcessFetch(createSurfaces(simulation()));
  await assert.rejects(fetch('https://contoso.handoff.test/livechatconnector/nothing-here', { method: 'PATCH' }), /No mock handles PATCH https:\/\/contoso\.handoff\.test\/livechatconnector\/nothing-here/);
  await assert.rejects(fetch('https://elsewhere.test/api/messages', { method: 'POST', body: '{}' }), /No mock handles POST https:\/\/elsewhere\.test\/api\/messages/);
});

test('a handled request is answered by the simulation through its surface', async () => {
  const sim = simulation();
  const fetch = inProcessFetch(createSurfaces(sim));
  const response = await fetch(`https://contoso.handoff.test/livechatconnector/config/${sim.omnichannel.orgId}/${sim.omnichannel.widgetId}?requestId=r1&channelId=lcw`);
  assert.equal(response.status, 200);
  const config = (await response.json()) as { LiveChatVersion: number };
  assert.equal(config.LiveChatVersion, 2);
});

test("the bundled features also pass through setupServer's fetch interception (HANDOFF_WIRE=intercept)", () => {
  const run = spawnSync(process.execPath, [path.join(root, 'bin', 'handoff.js'), 'run', path.join(root, 'features', 'handoff'), path.join(root, 'features', 'embed-code'), '--reports', path.join(root, 'reports', 'intercept')], {
    encoding: 'utf8',
    cwd: root,
    env: { ...process.env, HANDOFF_WIRE: 'intercept' },
  });
  assert.equal(run.status, 0, run.stdout + run.stderr);
  assert.match(run.stdout, /scenarios: [1-9]\d* passed, 0 failed/);
});

test('a malformed percent-escape in a path is a 400 with the service error shape, not a crash', async () => {
  const fetch = inProcessFetch(createSurfaces(simulation()));
  const response = await fetch('https://directline.handoff.test/v3/directline/conversations/%E0%A4%A/activities');
  assert.equal(response.status, 400);
  const body = (await response.json()) as { error: { code: string; message: string } };
  assert.equal(body.error.code, 'BadArgument');
  assert.match(body.error.message, /malformed percent-escape/);
});
