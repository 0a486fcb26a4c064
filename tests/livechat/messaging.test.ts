import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bearer, messages, say, startChat, world, type ChatMessage } from './support/live-chat';

/**
 * The messaging plane (d365-omnichannel.md §3.2): the ACS chat thread REST API behind the chat token,
 * with customer, copilot, agent and system messages told apart by their tags (§3.3) and the automated
 * system messages of §5.5.
 */

function roles(list: ChatMessage[]): Array<[string, string, string]> {
  return [...list].reverse().map((message) => [message.senderDisplayName, message.metadata.tags, message.content.message]);
}

test('a handoff as the thread shows it: who said what, told apart by tags, newest first (§3.3, §5.5)', async () => {
  const w = world();
  const { token } = await startChat(w, 'm-1');
  await say(w, token, 'my bill');
  await say(w, token, 'talk to a person');
  w.harness.agentAccepts('Alice');
  w.harness.agentSays('Alice', 'Hi, Alice here.');
  w.harness.agentEnds('Alice');
  const list = await messages(w, token);
  assert.deepEqual(roles(list), [
    ['Contoso Assistant', '', 'Hello, I am Contoso Assistant.'],
    ['Customer', 'ChannelId-lcw,FromCustomer', 'my bill'],
    ['Contoso Assistant', '', 'I can help with billing.'],
    ['Customer', 'ChannelId-lcw,FromCustomer', 'talk to a person'],
    ['Contoso Assistant', '', 'Let me connect you with an agent.'],
    ['__system__', 'system,agentjoinedconversation', 'Alice has joined the conversation.'],
    ['Alice', 'public', 'Hi, Alice here.'],
    ['__system__', 'system,agentendconversation', 'Alice has ended the conversation.'],
  ]);
  for (const message of list) {
    assert.equal(message.type, 'text');
    assert.equal(message.senderCommunicationIdentifier.rawId, message.senderCommunicationIdentifier.communicationUser.id, 'never without a sender: the SDK drops such messages');
    assert.match(message.id, /^\d+$/);
  }
  assert.deepEqual(list.map((message) => Number(message.id)), list.map((message) => Number(message.id)).sort((a, b) => b - a), 'newest first');
  assert.equal(list.find((message) => message.senderDisplayName === 'Customer')?.senderCommunicationIdentifier.rawId, token.VisitorId);
});

test('startTime lists what came at or after it; maxPageSize pages through nextLink (§3.2)', async () => {
  const w = world();
  const { token } = await startChat(w, 'm-2');
  await w.harness.pass(60_000);
  const later = new Date(w.sim.clock.now()).toISOString();
  await say(w, token, 'my bill');
  assert.deepEqual((await messages(w, token, `&startTime=${encodeURIComponent(later)}`)).map((message) => message.content.message), ['I can help with billing.', 'my bill']);

  const first = await w.call<{ value: ChatMessage[]; nextLink: string | null }>('GET', w.thread(token.ChatId, '/messages?maxPageSize=2'), { headers: bearer(token) });
  assert.equal(first.body.value.length, 2);
  assert.ok(first.body.nextLink);
  const second = await w.call<{ value: ChatMessage[]; nextLink: string | null }>('GET', first.body.nextLink, { headers: bearer(token) });
  assert.deepEqual(second.body.value.map((message) => message.content.message), ['Hello, I am Contoso Assistant.']);
  assert.equal(second.body.nextLink, null);
});

test('one message by id, and 404 for an id the thread does not have (§3.2 get message)', async () => {
  const w = world();
  const { token } = await startChat(w, 'm-3');
  const sent = await say(w, token, 'my bill');
  const one = await w.call<ChatMessage>('GET', w.thread(token.ChatId, `/messages/${sent.body.id}`), { headers: bearer(token) });
  assert.equal(one.status, 200);
  assert.equal(one.body.content.message, 'my bill');
  const missing = await w.call<{ error: { code: string } }>('GET', w.thread(token.ChatId, '/messages/1'), { headers: bearer(token) });
  assert.equal(missing.status, 404);
  assert.equal(missing.body.error.code, 'NotFound');
});

test('participants follow the thread: the copilot leaves on handoff, the agent joins, and leaves when ending (§3.2, §3.5)', async () => {
  const w = world();
  const { token } = await startChat(w, 'm-4');
  const participants = async () => (await w.call<{ value: Array<{ displayName: string; communicationIdentifier: { rawId: string } }> }>('GET', w.thread(token.ChatId, '/participants'), { headers: bearer(token) })).body.value.map((p) => p.displayName);
  assert.deepEqual(await participants(), ['Customer', 'Contoso Assistant']);
  await say(w, token, 'talk to a person');
  assert.deepEqual(await participants(), ['Customer']);
  w.harness.agentAccepts('Alice');
  assert.deepEqual(await participants(), ['Customer', 'Alice']);
  w.harness.agentEnds('Alice');
  assert.deepEqual(await participants(), ['Customer'], 'the agent left the thread: what onAgentEndSession hears');
});

test('typing, read receipts and thread properties (§3.2)', async () => {
  const w = world();
  const { token } = await startChat(w, 'm-5');
  assert.equal((await w.call('POST', w.thread(token.ChatId, '/typing?api-version=2024-03-07'), { headers: bearer(token), body: { senderDisplayName: 'Customer' } })).status, 200);
  const [greeting] = await messages(w, token);
  assert.equal((await w.call('POST', w.thread(token.ChatId, '/readReceipts'), { headers: bearer(token), body: { chatMessageId: greeting!.id } })).status, 200);
  const receipts = await w.call<{ value: Array<{ chatMessageId: string; senderCommunicationIdentifier: { rawId: string } }> }>('GET', w.thread(token.ChatId, '/readReceipts'), { headers: bearer(token) });
  assert.deepEqual(receipts.body.value.map((receipt) => [receipt.chatMessageId, receipt.senderCommunicationIdentifier.rawId]), [[greeting!.id, token.VisitorId]]);
  const thread = await w.call<{ id: string; topic: string; createdOn: string }>('GET', w.thread(token.ChatId), { headers: bearer(token) });
  assert.equal(thread.body.id, token.ChatId);
  assert.equal(thread.body.createdOn, new Date(w.sim.omnichannel.chatByThread(token.ChatId)!.createdOn).toISOString());
});

test('the realtime configuration points the signaling client at the messaging plane itself (chat-sdk-in-browser.md §5.1)', async () => {
  const w = world();
  const { token } = await startChat(w, 'm-6');
  const config = await w.call<{ trouterServiceUrl: string; registrarServiceUrl: string; cloudType: string }>('GET', 'https://acs.handoff.test/chat/config/realTimeNotifications?api-version=2024-09-01', { headers: bearer(token) });
  assert.deepEqual(config.body, { trouterServiceUrl: 'https://acs.handoff.test/trouter', registrarServiceUrl: 'https://acs.handoff.test/registrar', cloudType: 'Public' });
  assert.equal((await w.call('GET', 'https://acs.handoff.test/chat/config/realTimeNotifications?api-version=2024-09-01')).status, 401);
});

test('queue position messages reach the waiting customer tagged system,queueposition (§5.5)', async () => {
  const w = world((harness) => harness.configureWorkStream({ queuePositionMessages: true }));
  w.sim.omnichannel.setPresence('Alice', 'Offline');
  const { token } = await startChat(w, 'm-7');
  await say(w, token, 'my bill');
  await say(w, token, 'talk to a person');
  await w.harness.pass(60_000);
  const positions = (await messages(w, token)).filter((message) => message.metadata.tags === 'system,queueposition');
  assert.ok(positions.length >= 1, 'at least one queue position message within a minute');
  assert.equal(positions[0]?.content.message, 'You are number 1 in the queue.');
});
