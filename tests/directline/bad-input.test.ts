import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import WebSocket from 'ws';
import type { RunningServer } from '../../src/serve/server';
import {
  ActivityLog,
  ConnectionStatus,
  generateToken,
  json,
  newClient,
  post,
  startConversationEvent,
  startTestServer,
  userMessage,
  waitForStatus,
  type DirectLine,
} from './support/real-clients';

/**
 * Bad input (issue 5 §5): every mistake gets the service's status and an `{error: {code, message}}`
 * body (copilot-protocol.md §2.7); a burst of them neither crashes `handoff serve` nor disturbs the
 * conversations already running.
 */
let server: RunningServer;
let directLine: DirectLine | undefined;

before(async () => {
  server = await startTestServer();
});

after(async () => {
  directLine?.end();
  await server.close();
});

interface Mistake {
  name: string;
  status: number;
  code?: string;
  send: () => Promise<{ status: number; body: unknown }>;
}

function upgradeStatus(url: string): Promise<{ status: number; body: unknown }> {
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

test('a burst of bad requests gets the service\'s answers, and a conversation still works end to end afterwards', async () => {
  const dl = server.urls.directLine;
  const secret = server.sim.directLine.secret;
  // A conversation that is already running when the burst comes.
  const bystander = await generateToken(server);
  const started = await json<{ conversationId: string; token: string; streamUrl: string }>(`${dl}/conversations`, { method: 'POST', headers: { authorization: `Bearer ${bystander.token}` } });
  assert.equal(started.status, 201);
  const other = await generateToken(server);
  const conversation = started.body.conversationId;
  // A conversation the service has forgotten, whose stream URL a client still holds.
  const forgotten = await json<{ conversationId: string; streamUrl: string }>(`${dl}/conversations`, { method: 'POST', headers: { authorization: `Bearer ${secret}` } });
  await json(`${server.urls.control}/directline/conversations/${forgotten.body.conversationId}/end`, { method: 'POST' });
  const activities = `${dl}/conversations/${conversation}/activities`;
  const as = (token: string, body?: string, contentType = 'application/json') => ({
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': contentType },
    body,
  });
  const activitiesBefore = server.sim.directLine.conversation(conversation)!.activities.length;

  const mistakes: Mistake[] = [
    { name: 'malformed JSON', status: 400, code: 'BadArgument', send: () => json(activities, as(bystander.token, '{"type": "message", "text": ')) },
    { name: 'a JSON array', status: 400, code: 'BadArgument', send: () => json(activities, as(bystander.token, '[1, 2]')) },
    { name: 'no activity type', status: 400, code: 'MissingProperty', send: () => json(activities, as(bystander.token, '{"text": "hi", "from": {"id": "u"}}')) },
    { name: 'an unknown activity type', status: 400, code: 'BadArgument', send: () => json(activities, as(bystander.token, '{"type": "shout", "from": {"id": "u"}}')) },
    { name: 'a type that is not text', status: 400, code: 'BadArgument', send: () => json(activities, as(bystander.token, '{"type": 42, "from": {"id": "u"}}')) },
    { name: 'conversationUpdate from a client', status: 400, code: 'BadArgument', send: () => json(activities, as(bystander.token, '{"type": "conversationUpdate", "from": {"id": "u"}}')) },
    { name: 'an event without a name', status: 400, code: 'MissingProperty', send: () => json(activities, as(bystander.token, '{"type": "event", "from": {"id": "u"}}')) },
    { name: 'no from.id with the secret', status: 400, code: 'MissingProperty', send: () => json(activities, as(secret, '{"type": "message", "text": "hi"}')) },
    { name: 'an oversized activity', status: 413, code: 'BadArgument', send: () => json(activities, as(bystander.token, JSON.stringify({ type: 'message', from: { id: 'u' }, text: 'x'.repeat(300_000) }))) },
    { name: 'an unknown conversation', status: 404, code: 'BadArgument', send: () => json(`${dl}/conversations/NoSuchConversation0000-x/activities`, as(secret, '{"type": "message", "from": {"id": "u"}, "text": "hi"}')) },
    { name: 'a bad watermark', status: 400, code: 'BadArgument', send: () => json(`${activities}?watermark=abc`, { headers: { authorization: `Bearer ${bystander.token}` } }) },
    { name: 'a negative watermark', status: 400, code: 'BadArgument', send: () => json(`${activities}?watermark=-5`, { headers: { authorization: `Bearer ${bystander.token}` } }) },
    { name: 'no Authorization header', status: 401, code: 'BadArgument', send: () => json(activities, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"type": "message", "from": {"id": "u"}}' }) },
    { name: 'a Basic Authorization header', status: 401, code: 'BadArgument', send: () => json(activities, { headers: { authorization: 'Basic dXNlcjpwYXNz' } }) },
    { name: 'a garbage token', status: 403, code: 'BadArgument', send: () => json(activities, { headers: { authorization: 'Bearer not.a.token' } }) },
    { name: 'a forged JWT', status: 403, code: 'BadArgument', send: () => json(activities, { headers: { authorization: `Bearer ${bystander.token.slice(0, -4)}AAAA` } }) },
    { name: 'another conversation\'s token', status: 403, code: 'BadArgument', send: () => json(activities, { headers: { authorization: `Bearer ${other.token}` } }) },
    { name: 'refreshing the secret', status: 403, code: 'BadArgument', send: () => json(`${dl}/tokens/refresh`, as(secret)) },
    { name: 'generating with a token', status: 403, code: 'BadArgument', send: () => json(`${dl}/tokens/generate`, as(bystander.token, '{}')) },
    { name: 'a malformed token request', status: 400, code: 'BadArgument', send: () => json(`${dl}/tokens/generate`, as(secret, '{"user": "me"}')) },
    { name: 'an unknown Direct Line path', status: 404, code: 'NotFound', send: () => json(`${dl}/conversations/${conversation}/nothing`, { headers: { authorization: `Bearer ${secret}` } }) },
    { name: 'a plain GET of the stream', status: 400, code: 'BadArgument', send: () => json(`${dl}/conversations/${conversation}/stream`, { headers: { authorization: `Bearer ${secret}` } }) },
    { name: 'an upload without userId', status: 400, code: 'MissingProperty', send: () => json(`${dl}/conversations/${conversation}/upload`, as(secret, 'bytes', 'image/png')) },
    { name: 'a WebSocket to an unknown conversation', status: 403, code: 'BadArgument', send: () => upgradeStatus(started.body.streamUrl.replace(conversation, 'NoSuchConversation0000-x')) },
    { name: 'a WebSocket without a token', status: 401, code: 'BadArgument', send: () => upgradeStatus(started.body.streamUrl.split('?')[0]!) },
    { name: 'a WebSocket to nowhere', status: 404, code: 'NotFound', send: () => upgradeStatus(`ws://127.0.0.1:${server.port}/v3/directline/nowhere`) },
    { name: 'a WebSocket to a forgotten conversation', status: 404, code: 'BadArgument', send: () => upgradeStatus(forgotten.body.streamUrl) },
  ];
  // Bodies too large to read at all: the server answers without reading them (twice, beside the burst).
  const huge = 'x'.repeat(9 * 1024 * 1024);
  mistakes.push(...Array.from({ length: 2 }, (): Mistake => ({ name: 'a 9 MB body', status: 413, code: 'BadArgument', send: () => json(activities, as(bystander.token, huge)) })));

  // The burst: every mistake five times (the 9 MB bodies once each), all at once.
  const burst = mistakes.flatMap((mistake) => Array.from({ length: mistake.name === 'a 9 MB body' ? 1 : 5 }, () => mistake));
  const answers = await Promise.all(burst.map(async (mistake) => ({ mistake, answer: await mistake.send() })));
  for (const { mistake, answer } of answers) {
    assert.equal(answer.status, mistake.status, `${mistake.name}: ${JSON.stringify(answer.body)}`);
    const error = (answer.body as { error?: { code?: unknown; message?: unknown } }).error;
    assert.equal(typeof error?.message, 'string', `${mistake.name} has an error message`);
    assert.ok(String(error?.message).length > 20, `${mistake.name} explains itself: ${String(error?.message)}`);
    if (mistake.code) assert.equal(error?.code, mistake.code, mistake.name);
  }
  assert.deepEqual(server.sim.internalErrors, [], 'no request broke the simulation');
  assert.equal(server.sim.directLine.conversation(conversation)!.activities.length, activitiesBefore, 'no bad request added anything to the conversation');

  // The running conversation and a new one still work, with the real client.
  const again = await json<{ id: string }>(activities, as(bystander.token, JSON.stringify(userMessage('invoice', 'after-burst'))));
  assert.equal(again.status, 200);
  const { token } = await generateToken(server);
  directLine = newClient(server, { token, webSocket: true });
  const log = new ActivityLog(directLine);
  await waitForStatus(directLine, ConnectionStatus.Online);
  await post(directLine, startConversationEvent());
  await log.waitFor('the greeting', (activity) => activity.type === 'message' && activity.from.role === 'bot');
  const id = await post(directLine, userMessage('talk to a person', 'after-1'));
  await log.waitFor('the echo', (activity) => activity.id === id);
  await log.waitFor('the handoff', (activity) => activity.type === 'event' && activity.name === 'handoff.initiate');
  log.stop();
});
