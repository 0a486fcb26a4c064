import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { LiveChatCustomer } from '../../src/harness/customer-clients';
import { customerView } from '../../src/harness/expectations';
import { WireClient } from '../../src/harness/wire-client';
import { startServer, type RunningServer } from '../../src/serve/server';

// The chat thread API of `handoff serve` is HTTPS with a certificate made at start (src/serve/messaging-plane.ts);
// this process's fetch trusts it the way a browser told to ignore certificate errors does. Loopback only.
process.env['NODE_TLS_REJECT_UNAUTHORIZED'] = '0';

/** `handoff serve` as a browser page and a person playing the agent see it: CORS, surface A, the control API, the demo page. */
let server: RunningServer;

before(async () => {
  server = await startServer({ port: 0, speed: 0 });
});

after(() => server.close());

async function call<T = Record<string, unknown>>(path: string, init: RequestInit & { json?: unknown } = {}): Promise<{ status: number; headers: Headers; body: T }> {
  const { json: body, ...rest } = init;
  const response = await fetch(`${server.urls.base}${path}`, body === undefined ? rest : { method: 'POST', ...rest, headers: { 'content-type': 'application/json', ...rest.headers }, body: JSON.stringify(body) });
  const text = await response.text();
  const type = response.headers.get('content-type') ?? '';
  return { status: response.status, headers: response.headers, body: (type.includes('json') && text ? JSON.parse(text) : text) as T };
}

test('CORS: preflights on every surface allow the headers Web Chat sends, and answers carry the origin', async () => {
  for (const path of ['/v3/directline/conversations', '/powervirtualagents/regionalchannelsettings', '/livechatconnector/config/a/b', '/chat/threads/x/messages', '/_handoff/clock', '/anything']) {
    const preflight = await fetch(`${server.urls.base}${path}`, {
      method: 'OPTIONS',
      headers: { origin: 'http://localhost:5173', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type, x-ms-bot-agent' },
    });
    assert.equal(preflight.status, 204, path);
    assert.equal(preflight.headers.get('access-control-allow-origin'), 'http://localhost:5173', path);
    assert.match(String(preflight.headers.get('access-control-allow-headers')), /x-ms-bot-agent/, path);
    assert.match(String(preflight.headers.get('access-control-allow-methods')), /POST/, path);
  }
  const answer = await fetch(`${server.urls.directLine}/conversations`, { method: 'POST', headers: { origin: 'http://localhost:5173' } });
  assert.equal(answer.status, 401, 'an error answer is still readable by the page');
  assert.equal(answer.headers.get('access-control-allow-origin'), 'http://localhost:5173');
  assert.equal(answer.headers.get('access-control-allow-credentials'), 'true');
});

test('Copilot Studio: the token endpoint and regional settings lead to a Direct Line conversation (201, then 200)', async () => {
  const copilot = server.sim.copilot!;
  const regional = await call<{ channelUrlsById: { directline: string } }>('/powervirtualagents/regionalchannelsettings?api-version=2022-03-01-preview');
  assert.equal(regional.body.channelUrlsById.directline, `${server.urls.base}/`);
  const domain = new URL('v3/directline', regional.body.channelUrlsById.directline).toString();
  const token = await call<{ token: string; expires_in: number; conversationId: string }>(`/powervirtualagents/botsbyschema/${copilot.schemaName}/directline/token?api-version=2022-03-01-preview`);
  assert.equal(token.status, 200);
  assert.equal(token.body.expires_in, 3600);
  assert.equal(JSON.parse(Buffer.from(token.body.token.split('.')[1]!, 'base64url').toString()).conv, token.body.conversationId, 'the token is a JWT bound to one conversation');
  const first = await fetch(`${domain}/conversations`, { method: 'POST', headers: { authorization: `Bearer ${token.body.token}` } });
  assert.equal(first.status, 201);
  const second = await fetch(`${domain}/conversations`, { method: 'POST', headers: { authorization: `Bearer ${token.body.token}` } });
  assert.equal(second.status, 200, 'starting again with the same token finds the same conversation');
  assert.equal(((await second.json()) as { conversationId: string }).conversationId, token.body.conversationId);

  const unknown = await call<{ error: { code: string } }>('/powervirtualagents/botsbyschema/cr_Nobody/directline/token?api-version=2022-03-01-preview');
  assert.equal(unknown.status, 404);
  const unversioned = await call<{ error: { code: string } }>(`/powervirtualagents/botsbyschema/${copilot.schemaName}/directline/token`);
  assert.equal(unversioned.status, 400);
  const legacy = await call<{ token: string }>(`/api/botmanagement/v1/directline/directlinetoken?botId=${copilot.botId}&tenantId=t`);
  assert.equal(legacy.status, 200);
  assert.equal(legacy.body.token.split('.').length, 3);
});

test('control API: a person plays the agent of a Dynamics 365 chat driven over the real port', async () => {
  let customer: LiveChatCustomer | undefined;
  const wire = new WireClient(fetch, server.sim.timeline, () => customer?.conversationId);
  customer = new LiveChatCustomer(server.sim, wire, server.urls.liveChatOrgUrl);
  await customer.start();
  await customer.say('I have a billing question');
  await customer.say('talk to a person');
  const conversationId = customer.conversationId!;

  const agents = await call<Array<{ name: string; offeredConversation: string | null }>>('/_handoff/agents');
  assert.equal(agents.body.find((agent) => agent.name === 'Alice')?.offeredConversation, conversationId, 'the billing queue offers the chat to Alice');
  assert.equal((await call('/_handoff/agents/Bob/accept', { json: {} })).status, 409, 'Bob has nothing to accept');
  assert.equal((await call('/_handoff/agents/Nobody/accept', { json: {} })).status, 404);
  assert.equal((await call('/_handoff/agents/Alice/accept', { json: {} })).status, 200);
  assert.equal((await call('/_handoff/agents/Alice/reply', { json: { text: 'Hi, I am Alice. I can see your bill.' } })).status, 200);
  await customer.read();
  assert.ok(customerView(server.sim.timeline.entries, conversationId).some((line) => line.text === 'Hi, I am Alice. I can see your bill.'), 'the customer reads the agent\'s reply');

  assert.equal((await call('/_handoff/agents/Alice/end', { json: {} })).status, 200);
  assert.equal((await call('/_handoff/agents/Alice/close', { json: {} })).status, 200);
  const listed = await call<{ liveChat: Array<{ id: string; state: string; workItem: { state: string } }> }>('/_handoff/conversations');
  const chat = listed.body.liveChat.find((item) => item.id === conversationId);
  assert.equal(chat?.state, 'closed');
  assert.equal(chat?.workItem.state, 'Closed');

  const timeline = await call<{ entries: Array<{ kind: string; conversationId?: string }> }>(`/_handoff/timeline?conversation=${conversationId}`);
  assert.ok(timeline.body.entries.length > 0);
  assert.ok(timeline.body.entries.every((entry) => entry.conversationId === conversationId && entry.kind !== 'wire.request'));
  assert.ok(timeline.body.entries.some((entry) => entry.kind === 'routing.decided'));
});

test('control API: the clock moves on by a duration and refuses nonsense', async () => {
  const before = await call<{ epochMs: number; speed: number }>('/_handoff/clock');
  assert.equal(before.body.speed, 0);
  const moved = await call<{ epochMs: number }>('/_handoff/clock/advance', { json: { by: '10 minutes' } });
  assert.equal(moved.body.epochMs - before.body.epochMs, 600_000);
  const byMs = await call<{ epochMs: number }>('/_handoff/clock/advance', { json: { ms: 1000 } });
  assert.equal(byMs.body.epochMs - moved.body.epochMs, 1000);
  assert.equal((await call('/_handoff/clock/advance', { json: { by: 'soon' } })).status, 400);
  assert.equal((await call('/_handoff/clock/advance', { json: { ms: -5 } })).status, 400);
  assert.equal((await call('/_handoff/clock/advance', { method: 'POST', body: '{', headers: { 'content-type': 'application/json' } })).status, 400);
});

test('unknown paths get a JSON 404 that lists what the server serves', async () => {
  const answer = await call<{ error: { code: string; message: string } }>('/nothing/here');
  assert.equal(answer.status, 404);
  assert.equal(answer.body.error.code, 'NotFound');
  assert.match(answer.body.error.message, /\/v3\/directline/);
});

test('the demo page embeds the real Web Chat bundle and offers both embed paths', async () => {
  const page = await call<string>('/demo');
  assert.equal(page.status, 200);
  assert.match(page.body, /<script src="\/demo\/webchat\.js"><\/script>/);
  assert.match(page.body, /Copilot Studio embed code/);
  assert.match(page.body, /Dynamics 365 chat widget/);
  const bundle = await fetch(`${server.urls.base}/demo/webchat.js`);
  assert.equal(bundle.status, 200);
  assert.ok((await bundle.arrayBuffer()).byteLength > 1_000_000, 'the UMD bundle of botframework-webchat');
  const d365 = await call<string>('/demo?embed=d365');
  assert.match(d365.body, /data-testid="d365-note"/);
  const root = await fetch(`${server.urls.base}/`, { redirect: 'manual' });
  assert.equal(root.status, 302);
});
