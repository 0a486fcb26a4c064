import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  ActivityLog,
  ConnectionStatus,
  advanceClock,
  generateToken,
  json,
  newClient,
  realClientSuite,
  post,
  replyToIdOf,
  startConversationEvent,
  userMessage,
  waitForStatus,
  waitForWire,
  type DirectLine,
} from './support/real-clients';

/**
 * botframework-directlinejs 0.15.8, unmodified, in polling mode (`webSocket: false`, copilot-protocol.md
 * §3.3) against `handoff serve` on a real port.
 */
const suite = realClientSuite({ webSocket: false });
const client = (options: Parameters<typeof newClient>[1]): DirectLine => suite.client(options);

test('polling: start, greeting on startConversation, echo with server id and clientActivityID, reply to it', async () => {
  const { token } = await generateToken(suite.server);
  const directLine = client({ token });
  const log = new ActivityLog(directLine);
  await waitForStatus(directLine, ConnectionStatus.Online);

  await post(directLine, startConversationEvent());
  await log.waitForText("Hello, I'm Contoso Assistant, a virtual assistant. Ask me about your bill, or say \"talk to a person\".");

  const id = await post(directLine, userMessage('I have a billing question', 'client-1', 'someone-else'));
  assert.match(id, /^[A-Za-z0-9-]+\|\d{7}$/, 'the POST answers the service id <conversation>|<7 digits>');
  const echo = await log.waitFor('the echo of the message', (activity) => activity.id === id);
  assert.equal((echo.channelData as { clientActivityID?: string }).clientActivityID, 'client-1', 'the echo keeps channelData.clientActivityID');
  assert.equal(echo.from.id, 'dl_test-user', 'Direct Line rewrites from.id to the user bound by the token');
  const reply = await log.waitForText('I can help with billing. Your latest invoice is under Account > Billing. Anything else?');
  assert.equal(replyToIdOf(reply), id, 'the reply answers the echoed message');
  assert.equal(reply.from.role, 'bot');

  const times = log.activities.map((activity) => Date.parse(String(activity.timestamp)));
  assert.ok(times.every((time, index) => index === 0 || time > times[index - 1]!), `timestamps strictly increase: ${log.activities.map((a) => a.timestamp).join(', ')}`);
  log.stop();
});

test('polling: a client resuming with a watermark receives only newer activities', async () => {
  const { token, conversationId } = await generateToken(suite.server);
  const first = client({ token });
  const firstLog = new ActivityLog(first);
  await waitForStatus(first, ConnectionStatus.Online);
  await post(first, startConversationEvent());
  await post(first, userMessage('my bill', 'client-a'));
  await firstLog.waitForText('I can help with billing. Your latest invoice is under Account > Billing. Anything else?');
  // The watermark a website stored from the last ActivitySet it read (copilot-protocol.md §2.3).
  const { body: page } = await json<{ watermark: string }>(`${suite.server.urls.directLine}/conversations/${conversationId}/activities`, { headers: { authorization: `Bearer ${token}` } });
  const later = await post(first, userMessage('talk to a person', 'client-b'));
  await firstLog.waitFor('the handoff event', (activity) => activity.type === 'event' && activity.name === 'handoff.initiate');
  first.end();

  const resumed = client({ token, conversationId, watermark: page.watermark });
  const resumedLog = new ActivityLog(resumed);
  await resumedLog.waitFor('the handoff event on the resumed client', (activity) => activity.type === 'event' && activity.name === 'handoff.initiate');
  assert.equal(resumedLog.activities[0]?.id, later, 'the first activity after the watermark is the echo of the later message');
  const sequence = (id: string | undefined) => Number(String(id).split('|')[1]);
  assert.ok(resumedLog.activities.every((activity) => sequence(activity.id) > Number(page.watermark)), 'nothing at or before the watermark comes again');
  assert.deepEqual(
    resumedLog.activities.map((activity) => (activity.type === 'message' ? activity.text : activity.type === 'event' ? activity.name : activity.type)),
    ['talk to a person', 'Let me connect you with an agent.', 'handoff.initiate'],
  );
  resumedLog.stop();
});

test('polling: an expired token surfaces as ConnectionStatus.ExpiredToken', async () => {
  const { token } = await generateToken(suite.server);
  const directLine = client({ token });
  // Nothing happens until someone subscribes to activity$ (copilot-protocol.md §3.2 step 1).
  new ActivityLog(directLine);
  await waitForStatus(directLine, ConnectionStatus.Online);
  // Tokens live 30 minutes (copilot-protocol.md §2.2); the next poll gets 403 TokenExpired (§3.3).
  await advanceClock(suite.server, '31 minutes');
  await waitForStatus(directLine, ConnectionStatus.ExpiredToken);
  await waitForWire(suite.server, 'a 403 on polling', (request) => request.method === 'GET' && request.url.endsWith('/activities') && request.status === 403);
});

test('polling: a conversation the service forgot ends the client (404 → Ended)', async () => {
  const { token, conversationId } = await generateToken(suite.server);
  const directLine = client({ token });
  new ActivityLog(directLine);
  await waitForStatus(directLine, ConnectionStatus.Online);
  const ended = await json(`${suite.server.urls.control}/directline/conversations/${conversationId}/end`, { method: 'POST' });
  assert.equal(ended.status, 200);
  await waitForStatus(directLine, ConnectionStatus.Ended);
  const after404 = await json<{ error: { code: string } }>(`${suite.server.urls.directLine}/conversations/${conversationId}/activities`, { headers: { authorization: `Bearer ${suite.server.sim.directLine.secret}` } });
  assert.equal(after404.status, 404);
  assert.equal(after404.body.error.code, 'BadArgument');
});

test('polling with the secret: the client keeps sending the secret and still talks to its conversation', async () => {
  const directLine = client({ secret: suite.server.sim.directLine.secret });
  const log = new ActivityLog(directLine);
  await waitForStatus(directLine, ConnectionStatus.Online);
  const id = await post(directLine, userMessage('invoice', 'client-s', 'secret-user'));
  const echo = await log.waitFor('the echo', (activity) => activity.id === id);
  assert.equal(echo.from.id, 'secret-user', 'without a token-bound user, the client\'s from.id is kept');
  await log.waitForText('I can help with billing. Your latest invoice is under Account > Billing. Anything else?');
  log.stop();
});
