import assert from 'node:assert/strict';
import https from 'node:https';
import { after, before, test } from 'node:test';
import WebSocket from 'ws';
import { startServer, type RunningServer } from '../../src/serve/server';

/**
 * The messaging plane of `handoff serve` over a real socket: HTTPS with a certificate made at start, CORS
 * answered by the server, and the realtime channel the chat SDK needs for onAgentEndSession
 * (chat-sdk-in-browser.md §4, §5), driven here with `ws` the way the signaling client drives it.
 */
let server: RunningServer;

before(async () => {
  server = await startServer({ port: 0, speed: 0 });
});

after(() => server.close());

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** HTTPS to the plane; its certificate is self-signed, as a browser told to ignore certificate errors sees it. */
function secure(method: string, url: string, headers: Record<string, string> = {}, body?: string): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const request = https.request(url, { method, headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) }) }, rejectUnauthorized: false }, (response) => {
      let text = '';
      response.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: text }));
    });
    request.on('error', reject);
    request.end(body);
  });
}

async function startChat(requestId: string): Promise<{ ChatId: string; Token: string; ACSEndpoint: string; VisitorId: string; conversationId: string }> {
  const { orgId, widgetId } = server.sim.omnichannel;
  const response = await fetch(`${server.urls.liveChatOrgUrl}/livechatconnector/organization/${orgId}/widgetApp/${widgetId}/conversation`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'Request-Id': requestId },
    body: JSON.stringify({ locale: 'en-us' }),
  });
  assert.equal(response.status, 200);
  return { ...((await response.json()) as { ChatId: string; Token: string; ACSEndpoint: string; VisitorId: string }), conversationId: response.headers.get('oc-sessionid') ?? '' };
}

/** A socket.io 0.9 client over `ws`, keeping every frame, waiting for frames by what they say. */
class TrouterClient {
  readonly frames: string[] = [];
  readonly #socket: WebSocket;
  readonly #waiters = new Set<() => void>();

  constructor(url: string) {
    this.#socket = new WebSocket(url, { rejectUnauthorized: false });
    this.#socket.on('message', (data: Buffer) => {
      this.frames.push(data.toString('utf8'));
      for (const waiter of [...this.#waiters]) waiter();
    });
  }

  send(frame: string): void {
    this.#socket.send(frame);
  }

  /** The Trouter requests pushed so far (`3:::{...}`), with their bodies parsed. */
  get pushed(): Array<{ id: number; url: string; body: Record<string, unknown> }> {
    return this.frames.filter((frame) => frame.startsWith('3:::')).map((frame) => {
      const request = JSON.parse(frame.slice(4)) as { id: number; url: string; body: string };
      return { ...request, body: JSON.parse(request.body) as Record<string, unknown> };
    });
  }

  waitFor(what: string, holds: () => boolean, ms = 5000): Promise<void> {
    if (holds()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiters.delete(check);
        reject(new Error(`No frame ${what} within ${ms} ms. Frames: ${this.frames.join(' | ')}`));
      }, ms);
      const check = () => {
        if (!holds()) return;
        clearTimeout(timer);
        this.#waiters.delete(check);
        resolve();
      };
      this.#waiters.add(check);
    });
  }

  close(): void {
    this.#socket.close();
  }
}

test('the chat token points at an https messaging plane that answers CORS and the signaling client\'s double slash', async () => {
  const chat = await startChat('plane-1');
  assert.match(chat.ACSEndpoint, /^https:\/\/127\.0\.0\.1:\d+\/$/);
  const preflight = await secure('OPTIONS', `${chat.ACSEndpoint}chat/threads/x/messages`, {
    origin: 'http://localhost:5173',
    'access-control-request-method': 'POST',
    'access-control-request-headers': 'authorization, content-type, x-skypetoken, ms-oc-user-agent',
  });
  assert.equal(preflight.status, 204);
  assert.equal(preflight.headers['access-control-allow-origin'], 'http://localhost:5173');
  assert.match(String(preflight.headers['access-control-allow-headers']), /x-skypetoken/);
  // The signaling client asks for //chat/config/... because the endpoint ends in "/" (§3 row 3).
  const config = await secure('GET', `${chat.ACSEndpoint}/chat/config/realTimeNotifications?api-version=2024-09-01`, { authorization: `Bearer ${chat.Token}`, origin: 'http://localhost:5173' });
  assert.equal(config.status, 200);
  assert.equal(config.headers['access-control-allow-origin'], 'http://localhost:5173', 'answers are readable cross-origin');
  assert.equal(JSON.parse(config.body).trouterServiceUrl, `${chat.ACSEndpoint}trouter`);
  const listed = await secure('GET', `${chat.ACSEndpoint}chat/threads/${encodeURIComponent(chat.ChatId)}/messages?api-version=2024-03-07`, { authorization: `Bearer ${chat.Token}` });
  assert.equal(JSON.parse(listed.body).value[0].content.message, "Hello, I'm Contoso Assistant, a virtual assistant. Ask me about your bill, or say \"talk to a person\".");
  const elsewhere = await secure('GET', `${chat.ACSEndpoint}livechatconnector/config/a/b`);
  assert.equal(elsewhere.status, 404, 'the connector lives at the orgUrl, not on the messaging plane');
});

test('realtime: allocation, handshake, socket, then messages and membership changes pushed as the agent joins, replies and ends (§5.3)', async () => {
  const chat = await startChat('plane-2');
  const skype = { 'x-skypetoken': chat.Token };
  const allocation = await secure('POST', `${chat.ACSEndpoint}trouter/v4/a?cor_id=c&con_num=1&epid=e`, { ...skype, 'content-type': 'text/plain' });
  assert.equal(allocation.status, 200);
  assert.match(String(allocation.headers['content-type']), /^application\/json/);
  const allocated = JSON.parse(allocation.body) as { socketio: string; surl: string; ttl: string; connectparams: Record<string, string> };
  assert.equal(allocated.socketio, chat.ACSEndpoint);
  const query = new URLSearchParams(allocated.connectparams).toString();
  const handshake = await secure('GET', `${allocated.socketio}socket.io/1/?${query}&v=v4`, skype);
  assert.match(handshake.body, /^[^:]+:60:60:websocket$/);
  const sid = handshake.body.split(':')[0]!;
  assert.equal((await secure('POST', `${chat.ACSEndpoint}registrar/v3/registrations`, skype, '{}')).status, 202);

  const client = new TrouterClient(`${allocated.socketio.replace('https:', 'wss:')}socket.io/1/websocket/${sid}?${query}`);
  try {
    await client.waitFor('trouter.connected', () => client.frames.some((frame) => frame.startsWith('5:::') && frame.includes('trouter.connected')));
    assert.equal(client.frames[0], '1::');
    client.send('5:1+::{"name":"ping"}');
    await client.waitFor('the ping ack', () => client.frames.includes('6:::1+[]'));

    // The customer escalates over HTTPS; Alice takes the chat in Dynamics 365.
    for (const text of ['I have a billing question', 'talk to a person']) {
      const sent = await secure('POST', `${chat.ACSEndpoint}chat/threads/${encodeURIComponent(chat.ChatId)}/messages`, { authorization: `Bearer ${chat.Token}` }, JSON.stringify({ content: text }));
      assert.equal(sent.status, 201);
    }
    server.sim.omnichannel.agentAccepts('Alice');
    server.sim.omnichannel.agentSays('Alice', 'Hi, Alice here.');
    server.sim.omnichannel.agentEnds('Alice');
    await client.waitFor('the agent-ended message', () => client.pushed.some((request) => String(request.body['messageBody']).includes('has ended the conversation')));

    const events = client.pushed.map((request) => {
      const body = request.body;
      if (body['eventId'] === 200) return `200 ${String(body['senderDisplayName'])}: ${String(body['messageBody'])} [${(JSON.parse(String(body['acsChatMessageMetadata'])) as { tags: string }).tags}]`;
      const list = JSON.parse(String(body['participantsAdded'] ?? body['participantsRemoved'])) as Array<{ displayName: string }>;
      return `${String(body['eventId'])} ${list.map((participant) => participant.displayName).join(',')}`;
    });
    assert.deepEqual(events, [
      '200 Customer: I have a billing question [ChannelId-lcw,FromCustomer]',
      '200 Contoso Assistant: I can help with billing. Your latest invoice is under Account > Billing. Anything else? []',
      '200 Customer: talk to a person [ChannelId-lcw,FromCustomer]',
      '200 Contoso Assistant: Let me connect you with an agent. []',
      '261 Contoso Assistant',
      '260 Alice',
      '200 __system__: Alice has joined the conversation. [system,agentjoinedconversation]',
      '200 Alice: Hi, Alice here. [public]',
      // In the simulation's own order: the work item goes to wrap-up (Alice leaves the thread), then D365 posts the message.
      '261 Alice',
      '200 __system__: Alice has ended the conversation. [system,agentendconversation]',
    ]);
    const message = client.pushed.find((request) => request.body['messageBody'] === 'Hi, Alice here.')!;
    assert.equal(message.url, allocated.surl);
    assert.equal(message.body['groupId'], chat.ChatId);
    assert.equal(message.body['recipientMri'], chat.VisitorId);

    // The client answers 200 once its handler took the message: the timeline notes the delivery.
    client.send(`3:::${JSON.stringify({ id: message.id, status: 200, headers: {}, body: '' })}`);
    // Frames are handled in order: once a later ping is acknowledged, the answer before it was read.
    client.send('5:2+::{"name":"ping"}');
    await client.waitFor('the second ping ack', () => client.frames.includes('6:::2+[]'));
    const delivered = server.sim.timeline.of('message.delivered', chat.conversationId).filter((entry) => entry.to === 'customer').map((entry) => entry.text);
    assert.deepEqual(delivered, ['Hi, Alice here.'], 'only the answered message counts as delivered');
  } finally {
    client.close();
  }
});

test('bad realtime and connector requests get 401 or 404 and both planes keep working', async () => {
  const chat = await startChat('plane-3');
  assert.equal((await secure('POST', `${chat.ACSEndpoint}trouter/v4/a`)).status, 401, 'no X-Skypetoken');
  assert.equal((await secure('POST', `${chat.ACSEndpoint}trouter/v4/a`, { 'x-skypetoken': 'a.b.c' })).status, 401, 'not a chat token');
  assert.equal((await secure('GET', `${chat.ACSEndpoint}socket.io/1/?sr=nobody`)).status, 404, 'no such allocation');
  const refused = await new Promise<number>((resolve, reject) => {
    const socket = new WebSocket(`${chat.ACSEndpoint.replace('https:', 'wss:')}socket.io/1/websocket/nobody`, { rejectUnauthorized: false });
    socket.once('open', () => reject(new Error('an unknown session was accepted')));
    socket.once('unexpected-response', (_request, response) => resolve(response.statusCode ?? 0));
    socket.once('error', () => undefined);
  });
  assert.equal(refused, 404);
  const broken = await secure('POST', `${chat.ACSEndpoint}chat/threads/${encodeURIComponent(chat.ChatId)}/messages`, { authorization: `Bearer ${chat.Token}` }, '{"content": ');
  assert.equal(broken.status, 400);
  assert.equal(JSON.parse(broken.body).error.code, 'BadRequest');
  assert.equal((await secure('GET', `${chat.ACSEndpoint}chat/threads/%E0%A4%A/messages`, { authorization: `Bearer ${chat.Token}` })).status, 404, 'a malformed escape is an unknown thread, not a crash');
  // Missing ids on the connector: no route takes them, and the server says so with a JSON 404.
  const { orgId, widgetId } = server.sim.omnichannel;
  for (const path of [`getliveworkitemdetails/${orgId}/${widgetId}/`, `sessionclose/${orgId}`, 'organization//widgetApp//conversation']) {
    const missing = await fetch(`${server.urls.liveChatOrgUrl}/livechatconnector/${path}`, { method: path.startsWith('getlive') ? 'GET' : 'POST', body: path.startsWith('getlive') ? undefined : '{}' });
    assert.equal(missing.status, 404, path);
    assert.equal(((await missing.json()) as { error: { code: string } }).error.code, 'NotFound', path);
  }
  const fine = await secure('GET', `${chat.ACSEndpoint}chat/threads/${encodeURIComponent(chat.ChatId)}/messages`, { authorization: `Bearer ${chat.Token}` });
  assert.equal(fine.status, 200);
  assert.deepEqual(server.sim.internalErrors, []);
});
