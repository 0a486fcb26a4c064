import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import WebSocket from 'ws';
import type { RunningServer } from '../../src/serve/server';
import { advanceClock, generateToken, json, startTestServer } from './support/real-clients';

/**
 * The Direct Line stream seen from a plain `ws` client: frame shapes, keep-alives, replay and refusals
 * (copilot-protocol.md §0 facts 1, 3, 4 and §2.6).
 */
let server: RunningServer;

before(async () => {
  server = await startTestServer({ keepAliveMs: 25 });
});

after(() => server.close());

interface ActivitySet {
  activities: Array<{ id: string; type: string; text?: string; name?: string }>;
  watermark?: string;
}

/** Opens a socket and records every text frame; waits end on a frame or a timeout. */
class Stream {
  readonly frames: string[] = [];
  readonly socket: WebSocket;
  readonly opened: Promise<void>;
  readonly closed: Promise<{ code: number; reason: string }>;
  readonly #waiters = new Set<() => void>();

  constructor(url: string) {
    this.socket = new WebSocket(url);
    this.socket.on('message', (data) => {
      this.frames.push(String(data));
      for (const waiter of [...this.#waiters]) waiter();
    });
    this.opened = new Promise((resolve, reject) => {
      this.socket.once('open', () => resolve());
      this.socket.once('error', reject);
    });
    this.closed = new Promise((resolve) => this.socket.once('close', (code, reason) => resolve({ code, reason: String(reason) })));
  }

  get sets(): ActivitySet[] {
    return this.frames.filter((frame) => frame !== '').map((frame) => JSON.parse(frame) as ActivitySet);
  }

  until(description: string, predicate: () => boolean, timeoutMs = 5000): Promise<void> {
    if (predicate()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const check = () => {
        if (!predicate()) return;
        clearTimeout(timer);
        this.#waiters.delete(check);
        resolve();
      };
      const timer = setTimeout(() => {
        this.#waiters.delete(check);
        reject(new Error(`Timed out waiting for ${description}; frames: ${JSON.stringify(this.frames)}`));
      }, timeoutMs);
      this.#waiters.add(check);
    });
  }
}

/** The HTTP answer to a refused upgrade: status and the service's error body. */
function refusal(url: string): Promise<{ status: number; body: { error: { code: string; message: string } } }> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url);
    socket.once('open', () => reject(new Error(`the upgrade to ${url} was accepted`)));
    socket.once('unexpected-response', (_request, response) => {
      let text = '';
      response.on('data', (chunk: Buffer) => (text += String(chunk)));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body: JSON.parse(text) }));
    });
    socket.once('error', () => undefined);
  });
}

async function startConversation(): Promise<{ conversationId: string; token: string; streamUrl: string }> {
  const { token } = await generateToken(server);
  const started = await json<{ conversationId: string; token: string; streamUrl: string }>(`${server.urls.directLine}/conversations`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
  assert.equal(started.status, 201);
  return started.body;
}

async function say(conversation: { conversationId: string; token: string }, activity: Record<string, unknown>): Promise<string> {
  const { status, body } = await json<{ id: string }>(`${server.urls.directLine}/conversations/${conversation.conversationId}/activities`, {
    method: 'POST',
    headers: { authorization: `Bearer ${conversation.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ from: { id: 'dl_test-user' }, ...activity }),
  });
  assert.equal(status, 200);
  return body.id;
}

test('stream: what was said before the socket opened is pushed first, as one ActivitySet with a watermark', async () => {
  const conversation = await startConversation();
  assert.match(conversation.streamUrl, /^ws:\/\/127\.0\.0\.1:\d+\/v3\/directline\/conversations\/[^/]+\/stream\?t=/);
  await say(conversation, { type: 'event', name: 'startConversation' });
  const stream = new Stream(conversation.streamUrl);
  await stream.until('the replay', () => stream.sets.length > 0);
  const [replay] = stream.sets;
  assert.deepEqual(replay?.activities.map((activity) => activity.type), ['event', 'message'], 'the echo of startConversation, then the greeting');
  assert.equal(replay?.watermark, '1');
  stream.socket.close();
});

test('stream: every frame is an ActivitySet or an empty keep-alive; new activities follow as they happen', async () => {
  const conversation = await startConversation();
  const stream = new Stream(conversation.streamUrl);
  await stream.opened;
  await stream.until('a keep-alive frame', () => stream.frames.includes(''));
  const id = await say(conversation, { type: 'message', text: 'invoice' });
  await stream.until('the echo and the reply', () => stream.sets.flatMap((set) => set.activities).length >= 2);
  for (const frame of stream.frames) {
    if (frame === '') continue;
    const set = JSON.parse(frame) as ActivitySet;
    assert.ok(Array.isArray(set.activities), `a JSON frame carries an activities array: ${frame.slice(0, 80)}`);
    assert.equal(typeof set.watermark, 'string');
  }
  const activities = stream.sets.flatMap((set) => set.activities);
  assert.equal(activities[0]?.id, id);
  assert.equal(activities[1]?.text, 'I can help with billing. Your latest invoice is under Account > Billing. Anything else?');
  stream.socket.close();
});

test('stream: a watermark in the stream URL replays only what came after it', async () => {
  const conversation = await startConversation();
  await say(conversation, { type: 'event', name: 'startConversation' });
  await say(conversation, { type: 'message', text: 'invoice' });
  const reconnect = await json<{ streamUrl: string }>(`${server.urls.directLine}/conversations/${conversation.conversationId}?watermark=2`, { headers: { authorization: `Bearer ${conversation.token}` } });
  assert.equal(reconnect.status, 200);
  assert.match(reconnect.body.streamUrl, /&watermark=2$/);
  const stream = new Stream(reconnect.body.streamUrl);
  await stream.until('the replay', () => stream.sets.length > 0);
  assert.deepEqual(stream.sets[0]?.activities.map((activity) => activity.id), [`${conversation.conversationId}|0000003`], 'only the reply after the watermark');
  stream.socket.close();
});

test('stream: a reconnect URL without a watermark replays nothing already said', async () => {
  const conversation = await startConversation();
  await say(conversation, { type: 'message', text: 'invoice' });
  const reconnect = await json<{ streamUrl: string }>(`${server.urls.directLine}/conversations/${conversation.conversationId}`, { headers: { authorization: `Bearer ${conversation.token}` } });
  const stream = new Stream(reconnect.body.streamUrl);
  await stream.opened;
  const id = await say(conversation, { type: 'message', text: 'talk to a person' });
  await stream.until('the new echo', () => stream.sets.length > 0);
  assert.equal(stream.sets[0]?.activities[0]?.id, id, 'the first frame is the first new activity');
  stream.socket.close();
});

test('stream: a second socket for the same conversation closes the first with reason "collision"', async () => {
  const conversation = await startConversation();
  const first = new Stream(conversation.streamUrl);
  await first.opened;
  const again = await json<{ streamUrl: string }>(`${server.urls.directLine}/conversations/${conversation.conversationId}`, { headers: { authorization: `Bearer ${conversation.token}` } });
  const second = new Stream(again.body.streamUrl);
  await second.opened;
  const closed = await first.closed;
  assert.equal(closed.reason, 'collision');
  second.socket.close();
});

test('stream: refused upgrades answer with the status and error body of the REST API', async () => {
  const conversation = await startConversation();
  const base = conversation.streamUrl.split('?')[0]!;
  const unknown = await refusal(base.replace(conversation.conversationId, 'NoSuchConversation') + `?${conversation.streamUrl.split('?')[1]}`);
  assert.equal(unknown.status, 403, 'a stream token is bound to its conversation');
  assert.equal(unknown.body.error.code, 'BadArgument');
  const missing = await refusal(base);
  assert.equal(missing.status, 401);
  const garbage = await refusal(`${base}?t=garbage`);
  assert.equal(garbage.status, 403);
  assert.equal(garbage.body.error.code, 'BadArgument');
  const restToken = await refusal(`${base}?t=${conversation.token}`);
  assert.equal(restToken.status, 403, 'the conversation token is not a stream token');
  const nowhere = await refusal(conversation.streamUrl.replace('/stream?', '/streams?'));
  assert.equal(nowhere.status, 404);

  await json(`${server.urls.control}/directline/conversations/${conversation.conversationId}/end`, { method: 'POST' });
  const ended = await refusal(conversation.streamUrl);
  assert.equal(ended.status, 404);
  assert.match(ended.body.error.message, /^Unknown conversation/);
});

test('stream: a stream URL is good for 60 seconds', async () => {
  const conversation = await startConversation();
  await advanceClock(server, '61 seconds');
  const expired = await refusal(conversation.streamUrl);
  assert.equal(expired.status, 403);
  assert.equal(expired.body.error.code, 'TokenExpired');
});
