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
  wireRequests,
  type Activity,
  type DirectLine,
} from './support/real-clients';

/**
 * botframework-directlinejs 0.15.8, unmodified, in WebSocket mode (the default, copilot-protocol.md
 * §3.2) against `handoff serve`: everything must arrive over the socket, since the client never polls.
 */
/** `random: () => 0` makes DirectLineJS's reconnect back-off its shortest, 3 s (copilot-protocol.md §3.1), an injected service of the client. */
const suite = realClientSuite({ webSocket: true, random: () => 0 });
const client = (options: Parameters<typeof newClient>[1]): DirectLine => suite.client(options);

const billingReply = 'I can help with billing. Your latest invoice is under Account > Billing. Anything else?';

test('websocket: greeting, echo and reply all arrive on the stream; the client never polls', async () => {
  const { token, conversationId } = await generateToken(suite.server);
  const directLine = client({ token });
  const log = new ActivityLog(directLine);
  await waitForStatus(directLine, ConnectionStatus.Online);
  const started = await post(directLine, startConversationEvent());
  const greeting = await log.waitFor('the greeting', (activity) => activity.type === 'message' && activity.from.role === 'bot');
  assert.equal(replyToIdOf(greeting), started, 'the greeting answers the startConversation event');
  const id = await post(directLine, userMessage('invoice', 'ws-1'));
  const echo = await log.waitFor('the echo', (activity) => activity.id === id);
  assert.equal((echo.channelData as { clientActivityID?: string }).clientActivityID, 'ws-1');
  const reply = await log.waitForText(billingReply);
  assert.equal(replyToIdOf(reply), id);
  const polls = wireRequests(suite.server).filter((request) => request.method === 'GET' && request.url === `/v3/directline/conversations/${conversationId}/activities`);
  assert.deepEqual(polls, [], 'DirectLineJS in WebSocket mode never calls GET /activities (copilot-protocol.md §0 fact 3)');
  log.stop();
});

test('websocket: the handoff.initiate event arrives with every va_* variable and the transcript', async () => {
  const { token, conversationId } = await generateToken(suite.server);
  const directLine = client({ token });
  const log = new ActivityLog(directLine);
  await waitForStatus(directLine, ConnectionStatus.Online);
  await post(directLine, startConversationEvent());
  await post(directLine, userMessage('I have a billing question', 'h-1'));
  await log.waitForText(billingReply);
  const asked = await post(directLine, userMessage('talk to a person', 'h-2'));
  const event = (await log.waitFor('handoff.initiate', (activity) => activity.type === 'event' && activity.name === 'handoff.initiate')) as Activity & Record<string, unknown>;

  const value = event['value'] as Record<string, unknown>;
  // The variables of copilot-protocol.md §6.2, both spellings of the last phrase, and the copilot's globals by bare name.
  assert.deepEqual(
    Object.keys(value).sort(),
    ['Department', 'va_AgentMessage', 'va_BotId', 'va_BotName', 'va_ConversationId', 'va_Language', 'va_LastPhrase', 'va_LastPhrases', 'va_LastTopic', 'va_Phrases', 'va_Scope', 'va_Topics'],
  );
  assert.equal(value['va_Scope'], 'bot');
  assert.equal(value['va_LastTopic'], 'Escalate');
  assert.deepEqual(value['va_Topics'], ['Billing', 'Escalate']);
  assert.equal(value['va_LastPhrase'], 'talk to a person');
  assert.equal(value['va_LastPhrases'], 'talk to a person');
  assert.deepEqual(value['va_Phrases'], ['I have a billing question', 'talk to a person']);
  assert.equal(value['va_ConversationId'], conversationId);
  assert.equal(value['va_AgentMessage'], 'The customer asked for an agent.');
  assert.equal(value['va_BotName'], 'Contoso Assistant');
  assert.equal(value['Department'], 'Billing');
  assert.equal(replyToIdOf(event), asked, 'the event answers the message that asked for an agent');
  assert.equal(event.from.role, 'bot');
  assert.equal((event['relatesTo'] as { activityId: string }).activityId, asked);

  const [transcript] = event['attachments'] as Array<{ contentType: string; name: string; content: { activities: Activity[] } }>;
  assert.equal(transcript?.contentType, 'application/json');
  assert.equal(transcript?.name, 'Transcript');
  assert.deepEqual(
    transcript?.content.activities.map((activity) => [activity.from.role, activity.type === 'message' ? activity.text : '']),
    [
      ['bot', "Hello, I'm Contoso Assistant, a virtual assistant. Ask me about your bill, or say \"talk to a person\"."],
      ['user', 'I have a billing question'],
      ['bot', billingReply],
      ['user', 'talk to a person'],
      ['bot', 'Let me connect you with an agent.'],
    ],
  );
  assert.ok(transcript?.content.activities.every((activity) => String(activity.id).startsWith(`${conversationId}|`)), 'the transcript carries the Direct Line ids');
  log.stop();
});

test('websocket: after the stream drops, the client reconnects with its watermark and gets only newer activities, once', async () => {
  const { token, conversationId } = await generateToken(suite.server);
  const directLine = client({ token });
  const log = new ActivityLog(directLine);
  await waitForStatus(directLine, ConnectionStatus.Online);
  await post(directLine, startConversationEvent());
  await post(directLine, userMessage('invoice', 'r-1'));
  await log.waitForText(billingReply);
  const before = log.activities.length;

  const dropped = await json(`${suite.server.urls.control}/directline/conversations/${conversationId}/drop-stream`, { method: 'POST' });
  assert.equal(dropped.status, 200);
  // While the client waits to reconnect, the conversation goes on (another tab of the same user).
  const { status } = await json(`${suite.server.urls.directLine}/conversations/${conversationId}/activities`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(userMessage('talk to a person', 'r-2')),
  });
  assert.equal(status, 200);

  await log.waitFor('the handoff after reconnecting', (activity) => activity.type === 'event' && activity.name === 'handoff.initiate', 20_000);
  await waitForWire(suite.server, 'the reconnect GET with a watermark', (request) => request.method === 'GET' && request.url === `/v3/directline/conversations/${conversationId}` && request.status === 200);
  const ids = log.activities.map((activity) => activity.id);
  assert.equal(new Set(ids).size, ids.length, `no activity is delivered twice: ${ids.join(', ')}`);
  assert.deepEqual(
    log.activities.slice(before).map((activity) => (activity.type === 'message' ? activity.text : activity.type === 'event' ? activity.name : activity.type)),
    ['talk to a person', 'Let me connect you with an agent.', 'handoff.initiate'],
  );
  log.stop();
});

test('websocket: a client resuming with conversationId and watermark gets a stream that replays only after it', async () => {
  const { token, conversationId } = await generateToken(suite.server);
  const first = client({ token });
  const firstLog = new ActivityLog(first);
  await waitForStatus(first, ConnectionStatus.Online);
  await post(first, startConversationEvent());
  const asked = await post(first, userMessage('invoice', 'w-1'));
  await firstLog.waitForText(billingReply);
  first.end();

  const watermark = String(asked.split('|')[1]).replace(/^0+(?=\d)/, '');
  const resumed = client({ token, conversationId, watermark });
  const resumedLog = new ActivityLog(resumed);
  const reply = await resumedLog.waitForText(billingReply);
  assert.equal(resumedLog.activities[0], reply, 'the reply, after the watermark, is the first activity the stream replays');
  resumedLog.stop();
});

test('websocket: the client refreshes its token on its own timer and keeps working after the first token expires', async () => {
  // DirectLineJS refreshes every 15 minutes on its scheduler (copilot-protocol.md §3.1). The client
  // accepts an injected rxjs scheduler; this one runs timers of 10 minutes or more 1000 times sooner
  // and leaves the client's other timers (20 s pings, 3 s back-off) alone.
  const { async } = require('rxjs/scheduler/async') as { async: { now(): number; schedule(work: unknown, delay?: number, state?: unknown): unknown } };
  const scheduler = { now: () => async.now(), schedule: (work: unknown, delay = 0, state?: unknown) => async.schedule(work, delay >= 600_000 ? delay / 1000 : delay, state) };
  const { token } = await generateToken(suite.server);
  await advanceClock(suite.server, '20 minutes');
  const directLine = client({ token, scheduler: scheduler as never });
  const log = new ActivityLog(directLine);
  await waitForStatus(directLine, ConnectionStatus.Online);
  await waitForWire(suite.server, 'a token refresh', (request) => request.url === '/v3/directline/tokens/refresh' && request.status === 200);
  // The first token expires 30 minutes after it was issued; the refreshed one 30 minutes after the refresh.
  await advanceClock(suite.server, '15 minutes');
  const stale = await json<{ error: { code: string } }>(`${suite.server.urls.directLine}/tokens/refresh`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
  assert.equal(stale.status, 403);
  assert.equal(stale.body.error.code, 'TokenExpired', 'the first token is expired now');
  const id = await post(directLine, userMessage('invoice', 't-1'));
  assert.notEqual(id, 'retry', 'the post succeeds with the refreshed token');
  await log.waitForText(billingReply);
  log.stop();
});

test('websocket: an expired token turns a post into ExpiredToken and "retry"', async () => {
  const { token } = await generateToken(suite.server);
  const directLine = client({ token });
  new ActivityLog(directLine);
  await waitForStatus(directLine, ConnectionStatus.Online);
  await advanceClock(suite.server, '31 minutes');
  const result = await post(directLine, userMessage('invoice', 'x-1'));
  assert.equal(result, 'retry', 'DirectLineJS marks a 403 post as "retry" (copilot-protocol.md §3.2 step 7)');
  await waitForStatus(directLine, ConnectionStatus.ExpiredToken);
});

test('websocket: a conversation the service forgot closes the stream and the client ends on the reconnect 404', async () => {
  const { token, conversationId } = await generateToken(suite.server);
  const directLine = client({ token });
  const log = new ActivityLog(directLine);
  await waitForStatus(directLine, ConnectionStatus.Online);
  await waitForWire(suite.server, 'the stream to open', (request) => request.url === `/v3/directline/conversations/${conversationId}/stream` && request.status === 101);
  await json(`${suite.server.urls.control}/directline/conversations/${conversationId}/end`, { method: 'POST' });
  // In WebSocket mode DirectLineJS ends its activity stream with "conversation ended" on the reconnect 404 (copilot-protocol.md §3.2 step 6).
  const error = await log.waitForError(20_000);
  assert.equal(error.message, 'conversation ended');
  await waitForWire(suite.server, 'the reconnect 404', (request) => request.url === `/v3/directline/conversations/${conversationId}` && request.status === 404);
});
