import assert from 'node:assert/strict';
import { test } from 'node:test';
import { customerToken, say, startChat, world, type Answer, type World } from './support/live-chat';

/**
 * Bad input on the live chat and messaging surfaces (issue 6, "Bad input"): missing or unknown ids, a
 * wrong org or widget, expired tokens and bad bodies get the service's status codes and error bodies
 * (d365-omnichannel.md §2.2, §2.4.4, §3.2, §7), and the simulation carries on as if nothing happened.
 */

interface Mistake {
  name: string;
  send: (w: World) => Promise<Answer>;
  status: number;
  /** The connector's `errorcode` header (§7). */
  errorcode?: string;
  /** The ACS error code of `{ "error": { "code" } }` (§3.2); connector errors are `{ "message" }` (§7). */
  code?: string;
  header?: [string, string];
}

const anotherId = '00000000-0000-4000-8000-000000000000';

async function setUp(): Promise<{ w: World; token: Awaited<ReturnType<typeof startChat>>['token']; other: Awaited<ReturnType<typeof startChat>>['token'] }> {
  const w = world();
  const { token } = await startChat(w, 'good');
  const { token: other } = await startChat(w, 'other');
  return { w, token, other };
}

test('the connector answers every mistake with its status, errorcode and a message body, and changes nothing', async () => {
  const { w, token, other } = await setUp();
  const now = w.sim.clock.now();
  const mistakes: Mistake[] = [
    { name: 'config for an unknown org', send: (w) => w.call('GET', w.connector(`config/${anotherId}/{widgetId}?requestId=r&channelId=lcw`)), status: 404, errorcode: '701' },
    { name: 'config for an unknown widget', send: (w) => w.call('GET', w.connector(`config/{orgId}/${anotherId}?requestId=r&channelId=lcw`)), status: 404, errorcode: '701' },
    { name: 'create for an unknown widget', send: (w) => w.call('POST', w.connector(`organization/{orgId}/widgetApp/${anotherId}/conversation`), { headers: { 'Request-Id': 'x1' }, body: {} }), status: 400, errorcode: '701' },
    { name: 'create without a Request-Id', send: (w) => w.call('POST', w.connector('organization/{orgId}/widgetApp/{widgetId}/conversation'), { body: { locale: 'en-us' } }), status: 400 },
    { name: 'create with a body that is not JSON', send: (w) => w.call('POST', w.connector('organization/{orgId}/widgetApp/{widgetId}/conversation'), { headers: { 'Request-Id': 'x2', 'content-type': 'application/json' }, raw: '{"locale": ' }), status: 400 },
    { name: 'create with a JSON array', send: (w) => w.call('POST', w.connector('organization/{orgId}/widgetApp/{widgetId}/conversation'), { headers: { 'Request-Id': 'x3' }, body: [1, 2] }), status: 400 },
    { name: 'create twice with one requestId', send: (w) => w.call('POST', w.connector('organization/{orgId}/widgetApp/{widgetId}/conversation'), { headers: { 'Request-Id': 'good' }, body: {} }), status: 400 },
    // Unknown ids on the work item get 400, never 404, which the SDK retries for minutes (§2.2).
    { name: 'work item of an unknown requestId', send: (w) => w.call('GET', w.connector('getliveworkitemdetails/{orgId}/{widgetId}/nobody?channelId=lcw')), status: 400 },
    { name: 'work item with a broken escape in the requestId', send: (w) => w.call('GET', w.connector('getliveworkitemdetails/{orgId}/{widgetId}/%E0%A4%A?channelId=lcw')), status: 400 },
    { name: 'work item in an unknown org', send: (w) => w.call('GET', w.connector(`getliveworkitemdetails/${anotherId}/{widgetId}/good?channelId=lcw`)), status: 400, errorcode: '701' },
    { name: 'sessionclose of an unknown requestId', send: (w) => w.call('POST', w.connector('sessionclose/{orgId}/{widgetId}/nobody?channelId=lcw'), { body: {} }), status: 400 },
    { name: 'sessionclose naming another thread', send: (w) => w.call('POST', w.connector('sessionclose/{orgId}/{widgetId}/good?channelId=lcw'), { body: { chatId: other.ChatId } }), status: 400 },
    { name: 'sessionclose with a bad body', send: (w) => w.call('POST', w.connector('sessionclose/{orgId}/{widgetId}/good?channelId=lcw'), { raw: 'not json', headers: { 'content-type': 'application/json' } }), status: 400 },
    { name: 'sessioninit without a token first', send: (w) => w.call('POST', w.connector('sessioninit/{orgId}/{widgetId}/never-issued?channelId=lcw'), { body: {} }), status: 400 },
    { name: 'transcript without the chat token', send: (w) => w.call('GET', w.connector(`v2/getchattranscripts/${token.ChatId}/good?channelId=lcw`)), status: 401 },
    { name: 'transcript with another conversation\'s token', send: (w) => w.call('GET', w.connector(`v2/getchattranscripts/${token.ChatId}/good?channelId=lcw`), { headers: { authorization: other.Token } }), status: 403 },
    { name: 'transcript of an unknown chat id', send: (w) => w.call('GET', w.connector('v2/getchattranscripts/19:nothing@thread.v2/good?channelId=lcw'), { headers: { authorization: token.Token } }), status: 400 },
    { name: 'email to something that is not an address', send: (w) => w.call('POST', w.connector('createemailrequest/good?channelId=lcw'), { headers: { authorization: token.Token }, body: { ChatId: token.ChatId, EmailAddress: 'pat' } }), status: 400 },
    { name: 'typing for an unknown requestId', send: (w) => w.call('POST', 'https://contoso.handoff.test/inbound/typingindicator/livechat/sendtypingindicator/nobody'), status: 400 },
    { name: 'data masking of an unknown org', send: (w) => w.call('GET', w.connector(`fetchdatamaskinginfo/${anotherId}`)), status: 400, errorcode: '701' },
    { name: 'survey invite without a form', send: (w) => w.call('POST', w.connector('getsurveyinvite/{orgId}/owner'), { body: { ConversationId: 'nobody' } }), status: 400 },
    { name: 'copilot token for an unknown bot', send: (w) => w.call('GET', w.connector('v4/getchattoken/{orgId}/{widgetId}/b1?channelId=lcw&Ms-Oc-Bot-Application-Id=nobody')), status: 400 },
    { name: 'an auth route without a customer token', send: (w) => w.call('GET', w.connector('auth/getliveworkitemdetails/{orgId}/{widgetId}/good?channelId=lcw')), status: 401 },
    { name: 'an auth route with a token that is not a JWT', send: (w) => w.call('GET', w.connector('auth/getliveworkitemdetails/{orgId}/{widgetId}/good?channelId=lcw'), { headers: { AuthenticatedUserToken: 'not-a-jwt' } }), status: 401 },
    { name: 'an auth route with an expired customer token', send: (w) => w.call('GET', w.connector('auth/getliveworkitemdetails/{orgId}/{widgetId}/good?channelId=lcw'), { headers: { AuthenticatedUserToken: customerToken({ sub: 'pat' }, now - 7200_000) } }), status: 401 },
    { name: 'an auth route with a token without sub', send: (w) => w.call('GET', w.connector('auth/getliveworkitemdetails/{orgId}/{widgetId}/good?channelId=lcw'), { headers: { AuthenticatedUserToken: customerToken({}, now) } }), status: 401, header: ['message', 'UserId not found'] },
    { name: 'an auth route whose lwicontexts is not JSON', send: (w) => w.call('GET', w.connector('auth/getliveworkitemdetails/{orgId}/{widgetId}/good?channelId=lcw'), { headers: { AuthenticatedUserToken: customerToken({ sub: 'pat', lwicontexts: '{oops' }, now) } }), status: 401 },
    { name: 'history with a page token that is not a page', send: (w) => w.call('GET', w.connector('auth/organization/{orgId}/widgetapp/{widgetId}/conversation/history'), { headers: { AuthenticatedUserToken: customerToken({ sub: 'pat' }, now), PageToken: 'minus one' } }), status: 400 },
  ];
  const before = w.sim.omnichannel.chats.length;
  for (const mistake of mistakes) {
    const answer = await mistake.send(w);
    assert.equal(answer.status, mistake.status, `${mistake.name}: ${JSON.stringify(answer.body)}`);
    assert.equal(typeof (answer.body as { message?: unknown }).message, 'string', `${mistake.name}: a { "message" } body`);
    assert.match((answer.body as { message: string }).message, /\. .+\. .+\./, `${mistake.name}: the message says what failed, why and what to do`);
    if (mistake.errorcode) assert.equal(answer.headers.get('errorcode'), mistake.errorcode, mistake.name);
    if (mistake.header) assert.equal(answer.headers.get(mistake.header[0]), mistake.header[1], mistake.name);
  }
  assert.equal(w.sim.omnichannel.chats.length, before, 'no mistake created a conversation');
  assert.deepEqual(w.sim.internalErrors, []);
  assert.equal((await say(w, token, 'my bill')).status, 201, 'the conversation carries on');
});

test('the messaging plane answers with the ACS error body: expired, forged, foreign and missing tokens, bad messages', async () => {
  const { w, token, other } = await setUp();
  const list = (headers: Record<string, string>, query = '') => w.call('GET', w.thread(token.ChatId, `/messages?api-version=2024-03-07${query}`), { headers });
  const send = (init: { body?: unknown; raw?: string; headers?: Record<string, string> }) => w.call('POST', w.thread(token.ChatId, '/messages'), { headers: { authorization: `Bearer ${token.Token}`, ...init.headers }, body: init.body, raw: init.raw });
  const forged = `${token.Token.slice(0, token.Token.lastIndexOf('.'))}.forged`;
  const mistakes: Mistake[] = [
    { name: 'no Authorization header', send: () => list({}), status: 401, code: 'Unauthorized' },
    { name: 'a forged token', send: () => list({ authorization: `Bearer ${forged}` }), status: 401, code: 'Unauthorized' },
    { name: 'another thread\'s token', send: () => list({ authorization: `Bearer ${other.Token}` }), status: 403, code: 'Forbidden' },
    { name: 'an unknown thread', send: (w) => w.call('GET', w.thread('19:nothing@thread.v2', '/messages'), { headers: { authorization: `Bearer ${token.Token}` } }), status: 404, code: 'NotFound' },
    { name: 'a startTime that is not a date', send: () => list({ authorization: `Bearer ${token.Token}` }, '&startTime=yesterday'), status: 400, code: 'BadRequest' },
    { name: 'a page of no messages', send: () => list({ authorization: `Bearer ${token.Token}` }, '&maxPageSize=0'), status: 400, code: 'BadRequest' },
    { name: 'a message without content', send: () => send({ body: { content: '' } }), status: 400, code: 'BadRequest' },
    { name: 'a message that is not JSON', send: () => send({ raw: '{"content"', headers: { 'content-type': 'application/json' } }), status: 400, code: 'BadRequest' },
    { name: 'a message of a type customers cannot send', send: () => send({ body: { content: 'x', type: 'participantAdded' } }), status: 400, code: 'BadRequest' },
    { name: 'a message over 28 KB', send: () => send({ body: { content: 'x'.repeat(29 * 1024) } }), status: 413, code: 'RequestEntityTooLarge' },
    { name: 'a read receipt for a message the thread does not have', send: (w) => w.call('POST', w.thread(token.ChatId, '/readReceipts'), { headers: { authorization: `Bearer ${token.Token}` }, body: { chatMessageId: '42' } }), status: 400, code: 'BadRequest' },
  ];
  const messagesBefore = w.sim.omnichannel.chatByThread(token.ChatId)!.thread.length;
  for (const mistake of mistakes) {
    const answer = await mistake.send(w);
    assert.equal(answer.status, mistake.status, `${mistake.name}: ${JSON.stringify(answer.body)}`);
    assert.equal((answer.body as { error: { code: string } }).error.code, mistake.code, mistake.name);
    assert.match((answer.body as { error: { message: string } }).error.message, /\. .+\. .+\./, `${mistake.name}: three sentences`);
  }
  assert.equal(w.sim.omnichannel.chatByThread(token.ChatId)!.thread.length, messagesBefore, 'no mistake reached the thread');
  assert.deepEqual(w.sim.internalErrors, []);
});

test('an expired chat token is refused by the thread and by the transcript, a fresh one from getchattoken works (§2.4.3, §9)', async () => {
  const w = world();
  const { token } = await startChat(w, 'late');
  await w.harness.pass(25 * 3600_000);
  const expired = await w.call<{ error: { code: string; message: string } }>('GET', w.thread(token.ChatId, '/messages'), { headers: { authorization: `Bearer ${token.Token}` } });
  assert.equal(expired.status, 401);
  assert.match(expired.body.error.message, /expired/);
  assert.equal((await w.call('GET', w.connector(`v2/getchattranscripts/${token.ChatId}/late?channelId=lcw`), { headers: { authorization: token.Token } })).status, 401);
  const fresh = await w.call<{ Token: string; ChatId: string }>('GET', w.connector('v2/getchattoken/{orgId}/{widgetId}/late?channelId=lcw&refreshToken=true'));
  assert.equal(fresh.body.ChatId, token.ChatId);
  assert.equal((await w.call('GET', w.thread(token.ChatId, '/messages'), { headers: { authorization: `Bearer ${fresh.body.Token}` } })).status, 200);
});

test('a closed conversation: the thread refuses new messages with 403, the work item says Closed (§7)', async () => {
  const w = world();
  const { token, conversationId } = await startChat(w, 'closed');
  await say(w, token, 'talk to a person');
  w.harness.agentAccepts('Alice');
  w.harness.agentEnds('Alice');
  w.sim.omnichannel.agentClosesSession('Alice');
  const refused = await say(w, token, 'hello?');
  assert.equal(refused.status, 403);
  assert.equal((refused.body as unknown as { error: { code: string } }).error.code, 'Forbidden');
  const details = await w.call<{ State: string; ConversationId: string }>('GET', w.connector('getliveworkitemdetails/{orgId}/{widgetId}/closed?channelId=lcw'));
  assert.deepEqual([details.body.State, details.body.ConversationId], ['Closed', conversationId]);
});
