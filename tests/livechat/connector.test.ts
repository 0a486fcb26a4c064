import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeJwt } from 'jose';
import { bearer, customerToken, messages, say, startChat, world, type ChatToken } from './support/live-chat';

/**
 * The live chat connector (d365-omnichannel.md §2.3) as the chat SDK and the widget call it: payloads of
 * §2.4, both conversation-creation flows, the authenticated variants and the smaller endpoints, answered
 * in process by the same handlers `handoff serve` puts on the wire.
 */

test('config: LiveChatVersion 2, string values, and no auth settings for an anonymous widget (§2.4.1)', async () => {
  const w = world();
  const config = await w.call<Record<string, unknown> & { LiveWSAndLiveChatEngJoin: Record<string, unknown>; DataMaskingInfo: { setting: Record<string, unknown> } }>('GET', w.connector('config/{orgId}/{widgetId}?requestId=r1&channelId=lcw'));
  assert.equal(config.status, 200);
  assert.equal(config.body['LiveChatVersion'], 2);
  assert.equal(config.body.LiveWSAndLiveChatEngJoin['OutOfOperatingHours'], 'False');
  assert.equal(config.body.LiveWSAndLiveChatEngJoin['msdyn_widgetappid'], w.sim.omnichannel.widgetId);
  assert.equal(config.body.DataMaskingInfo.setting['msdyn_maskforcustomer'], false, 'a boolean: the string "false" would turn masking on');
  assert.equal('LiveChatConfigAuthSettings' in config.body, false);
  assert.ok(config.headers.get('date'), 'the SDK copies the date header into its config');

  const authenticated = world(undefined, { authenticatedWidget: true });
  const authConfig = await authenticated.call<Record<string, unknown>>('GET', authenticated.connector('config/{orgId}/{widgetId}?requestId=r1&channelId=lcw'));
  assert.ok(authConfig.body['LiveChatConfigAuthSettings'], 'an authenticated widget says so in its config');
});

test('createConversation returns the chat token the SDK needs, and the copilot greets in the thread (§2.4.3)', async () => {
  const w = world();
  const { token, conversationId } = await startChat(w, 'req-1', { body: { customContextData: { CartValue: { value: '100', isDisplayable: true } }, preChatResponse: { Type: 'InputSubmit', Name: 'Pat' } } });
  assert.match(token.ChatId, /^19:.+@thread\.v2$/);
  assert.equal(typeof token.RegionGtms, 'string', 'RegionGtms is a JSON string');
  assert.deepEqual(JSON.parse(token.RegionGtms), {});
  assert.equal(token.ACSEndpoint, 'https://acs.handoff.test/');
  assert.match(token.VisitorId, /^8:acs:/);
  const claims = decodeJwt(token.Token);
  assert.ok(typeof claims.exp === 'number' && claims.exp * 1000 - w.sim.clock.now() > 10 * 60_000, 'exp more than 10 minutes ahead');
  const chat = w.sim.omnichannel.chatById(conversationId)!;
  assert.equal(chat.requestId, 'req-1');
  assert.deepEqual({ CartValue: chat.context['CartValue'], Name: chat.context['Name'] }, { CartValue: '100', Name: 'Pat' });
  const [greeting] = await messages(w, token);
  assert.equal(greeting?.content.message, 'Hello, I am Contoso Assistant.');
  assert.equal(greeting?.metadata.tags, '', 'copilot messages carry no tags');
});

test('getliveworkitemdetails follows the work item: Active with the copilot, WrapUp after the agent ends, Closed (§2.4.5)', async () => {
  const w = world();
  const { token, conversationId } = await startChat(w, 'req-2');
  const details = () => w.call<{ State: string; ConversationId: string; CanRenderPostChat: string; ParticipantType: string; AgentAcceptedOn: string | null }>('GET', w.connector('getliveworkitemdetails/{orgId}/{widgetId}/req-2?channelId=lcw'));
  assert.deepEqual((await details()).body, { State: 'Active', ConversationId: conversationId, AgentAcceptedOn: null, CanRenderPostChat: 'False', ParticipantType: 'Bot' });
  await say(w, token, 'my bill');
  await say(w, token, 'talk to a person');
  w.harness.agentAccepts('Alice');
  const accepted = (await details()).body;
  assert.equal(accepted.State, 'Active');
  assert.equal(accepted.ParticipantType, 'User');
  assert.equal(accepted.CanRenderPostChat, 'True');
  assert.equal(accepted.AgentAcceptedOn, new Date(w.sim.clock.now()).toISOString());
  w.harness.agentEnds('Alice');
  assert.equal((await details()).body.State, 'WrapUp');
  // Closing after wrap-up changes nothing (§2.5 A step 6); the agent closes the session.
  assert.equal((await w.call('POST', w.connector('sessionclose/{orgId}/{widgetId}/req-2?channelId=lcw'), { body: {} })).status, 200);
  w.sim.omnichannel.agentClosesSession('Alice');
  assert.equal((await details()).body.State, 'Closed');
});

test('sessionclose ends the conversation for the customer (§2.3)', async () => {
  const w = world();
  const { conversationId } = await startChat(w, 'req-3');
  const closed = await w.call('POST', w.connector('sessionclose/{orgId}/{widgetId}/req-3?channelId=lcw'), { body: {} });
  assert.equal(closed.status, 200);
  assert.notEqual(w.sim.omnichannel.workItemStatus(w.sim.omnichannel.chatById(conversationId)!).state, 'Active');
});

test('the legacy flow: getchattoken hands out the thread, sessioninit creates the conversation in it (§2.5 B)', async () => {
  const w = world();
  const issued = await w.call<ChatToken>('GET', w.connector('v2/getchattoken/{orgId}/{widgetId}/legacy-1?channelId=lcw'));
  assert.equal(issued.status, 200);
  assert.equal(w.sim.omnichannel.chats.length, 0, 'no work item before sessioninit');
  const again = await w.call<ChatToken>('GET', w.connector('v2/getchattoken/{orgId}/{widgetId}/legacy-1?channelId=lcw&refreshToken=true'));
  assert.equal(again.body.ChatId, issued.body.ChatId, 'a refresh keeps the thread');
  const init = await w.call('POST', w.connector('sessioninit/{orgId}/{widgetId}/legacy-1?channelId=lcw'), { body: { locale: 'en-us', chatId: issued.body.ChatId, customContextData: { Tier: { value: 'Gold' } } } });
  assert.equal(init.status, 200);
  const chat = w.sim.omnichannel.chatByRequestId('legacy-1')!;
  assert.equal(chat.chatId, issued.body.ChatId);
  assert.equal(chat.context['Tier'], 'Gold');
  const [greeting] = await messages(w, issued.body);
  assert.equal(greeting?.content.message, 'Hello, I am Contoso Assistant.', 'the token from getchattoken reads the new thread');
  assert.equal((await w.call('POST', w.connector('sessioninit/{orgId}/{widgetId}/legacy-1?channelId=lcw'), { body: {} })).status, 200, 'a retried sessioninit is harmless');
  assert.equal(w.sim.omnichannel.chats.length, 1);
});

test('the copilot token route (v4) checks the bot id: 400 for an unknown bot, 200 for the work stream\'s copilot (§2.3)', async () => {
  const w = world();
  const botId = w.sim.copilot!.botId;
  assert.equal((await w.call('GET', w.connector(`v4/getchattoken/{orgId}/{widgetId}/bot-1?channelId=lcw&Ms-Oc-Bot-Application-Id=${botId}`))).status, 200);
  assert.equal((await w.call('GET', w.connector('v4/getchattoken/{orgId}/{widgetId}/bot-2?channelId=lcw&Ms-Oc-Bot-Application-Id=00000000-0000-0000-0000-000000000000'))).status, 400);
  const noBot = world((harness) => harness.configureWorkStream({ copilotFirstResponder: false }));
  assert.equal((await noBot.call('GET', noBot.connector(`v4/getchattoken/{orgId}/{widgetId}/bot-3?channelId=lcw&Ms-Oc-Bot-Application-Id=${noBot.sim.copilot!.botId}`))).status, 403);
});

test('the transcript: a JSON string, newest first, with the raw chat token in Authorization (§8)', async () => {
  const w = world();
  const { token } = await startChat(w, 'req-4');
  await say(w, token, 'my bill');
  await say(w, token, 'talk to a person');
  w.harness.agentAccepts('Alice');
  w.harness.agentSays('Alice', 'Hi, Alice here.');
  const transcript = await w.call<{ chatMessagesJson: string }>('GET', w.connector(`v2/getchattranscripts/${token.ChatId}/req-4?channelId=lcw`), { headers: { authorization: token.Token } });
  assert.equal(transcript.status, 200);
  assert.equal(typeof transcript.body.chatMessagesJson, 'string');
  const list = JSON.parse(transcript.body.chatMessagesJson) as Array<{ id: string; content: string; tags: string; from: { user?: { displayName: string } | null; application?: { displayName: string } | null } }>;
  assert.equal(list[0]?.content, 'Hi, Alice here.');
  assert.deepEqual(list.map((message) => message.id), [...list.map((message) => message.id)].sort((a, b) => Number(b) - Number(a)), 'newest first');
  assert.equal(list[0]?.tags, 'public');
  assert.equal(list[0]?.from.user?.displayName, 'Alice', 'representatives under from.user');
  const customer = list.find((message) => message.content === 'my bill');
  assert.equal(customer?.from.application?.displayName, 'Customer');
  assert.ok(list.some((message) => message.tags === 'system,agentjoinedconversation'));
});

test('email transcript needs an address and the conversation\'s own token (§2.3 createemailrequest)', async () => {
  const w = world();
  const { token } = await startChat(w, 'req-5');
  const email = (body: object, headers: Record<string, string> = { authorization: token.Token }) => w.call('POST', w.connector('createemailrequest/req-5?channelId=lcw'), { headers, body });
  assert.equal((await email({ ChatId: token.ChatId, EmailAddress: 'pat@example.com', DefaultAttachmentMessage: 'Your transcript', CustomerLocale: 'en-us' })).status, 200);
  assert.equal((await email({ ChatId: token.ChatId, EmailAddress: 'not an address' })).status, 400);
  assert.equal((await email({ ChatId: token.ChatId, EmailAddress: 'pat@example.com' }, {})).status, 401);
});

test('getAgentAvailability says where the context would queue and whether someone can take it (§2.4.6)', async () => {
  const w = world();
  const ask = (body: object) => w.call<Record<string, unknown>>('POST', w.connector('auth/getagentavailability/{orgId}/{widgetId}/avail-1?channelId=lcw'), { body });
  const billing = await ask({ locale: 'en-us', customContextData: { Department: { value: 'Billing', isDisplayable: true } }, cacheKey: 'k' });
  assert.equal(billing.status, 200);
  assert.deepEqual(billing.body, { IsQueueAvailable: true, AverageWaitTime: 0, AvailableUntil: null, AvailableNext: null, QueuePosition: 1, QueueName: 'Billing', QueueId: 'Billing', AgentAvailability: true });
  w.sim.omnichannel.setPresence('Alice', 'Offline');
  assert.equal((await ask({ customContextData: { Department: { value: 'Billing' } } })).body['AgentAvailability'], false, 'nobody in Billing can take it');
  assert.equal((await ask({})).body['QueueName'], 'General', 'no rule matches: the fallback queue');
});

test('outside operating hours: config says so and createConversation answers 400 with errorcode 705 (§2.4.4, §7)', async () => {
  // Saturday noon in Paris: both queues keep weekday hours, and only the copilot's bot queue is 24×7.
  const w = world((harness) => harness.startAt(Date.parse('2026-01-10T11:00:00Z')), { queueHours: 'Mon-Fri 09:00-17:00 Europe/Paris' });
  const config = await w.call<{ LiveWSAndLiveChatEngJoin: { OutOfOperatingHours: string } }>('GET', w.connector('config/{orgId}/{widgetId}?requestId=r&channelId=lcw'));
  assert.equal(config.body.LiveWSAndLiveChatEngJoin.OutOfOperatingHours, 'True');
  const created = await w.call('POST', w.connector('organization/{orgId}/widgetApp/{widgetId}/conversation'), { headers: { 'Request-Id': 'closed-1' }, body: { locale: 'en-us' } });
  assert.equal(created.status, 400);
  assert.equal(created.headers.get('errorcode'), '705');
  assert.equal(w.sim.omnichannel.chats.length, 0);
  const sessionInit = await w.call('POST', w.connector('sessioninit/{orgId}/{widgetId}/closed-2?channelId=lcw'), { body: {} });
  assert.equal(sessionInit.headers.get('errorcode'), '705');
});

test('reconnect: within the window the same conversation comes back; after wrap-up a new one starts (§7)', async () => {
  const w = world();
  const { token, conversationId } = await startChat(w, 'first');
  const availability = await w.call<{ isReconnectAvailable: boolean }>('GET', w.connector(`reconnect/{orgId}/{widgetId}/${conversationId}`));
  assert.equal(availability.body.isReconnectAvailable, true);
  w.sim.omnichannel.customerDisconnected(w.sim.omnichannel.chatById(conversationId)!);
  const again = await startChat(w, 'second', { body: { reconnectId: conversationId } });
  assert.equal(again.conversationId, conversationId);
  assert.equal(again.token.ChatId, token.ChatId, 'the same thread');
  assert.equal((await w.call<{ ConversationId: string }>('GET', w.connector('getliveworkitemdetails/{orgId}/{widgetId}/second?channelId=lcw'))).body.ConversationId, conversationId);

  await say(w, again.token, 'my bill');
  await say(w, again.token, 'talk to a person');
  w.harness.agentAccepts('Alice');
  w.harness.agentEnds('Alice');
  assert.equal((await w.call<{ isReconnectAvailable: boolean }>('GET', w.connector(`reconnect/{orgId}/{widgetId}/${conversationId}`))).body.isReconnectAvailable, false);
  const fresh = await startChat(w, 'third', { body: { reconnectId: conversationId } });
  assert.notEqual(fresh.conversationId, conversationId, 'too late: a new conversation');
  assert.equal((await w.call('GET', w.connector('v2/getchattoken/{orgId}/{widgetId}/fourth/' + conversationId + '?channelId=lcw'))).status, 204, 'the legacy token call answers no content when reconnect is not possible');
});

test('authenticated chat: /auth/ routes take the customer JWT, its lwicontexts become context, and chats belong to their sub (§2.5 D)', async () => {
  const w = world();
  const now = w.sim.clock.now();
  const pat = { AuthenticatedUserToken: customerToken({ sub: 'contact-pat', lwicontexts: JSON.stringify({ Tier: 'Gold' }) }, now), AuthCodeNonce: 'abcd1234' };
  const { token, conversationId, answer } = await startChat(w, 'auth-1', { auth: true, headers: pat });
  assert.ok(answer.headers.get('authcodenonce'), 'a fresh nonce on every auth answer');
  assert.equal(w.sim.omnichannel.chatById(conversationId)!.context['Tier'], 'Gold');

  const details = await w.call<{ State: string }>('GET', w.connector('auth/getliveworkitemdetails/{orgId}/{widgetId}/auth-1?channelId=lcw'), { headers: pat });
  assert.equal(details.body.State, 'Active');
  const reconnectable = await w.call<{ reconnectid: string; conversationthreadid: string; userid: string }>('GET', w.connector('auth/reconnectablechats/{orgId}/{widgetId}/auth-2?channelId=lcw'), { headers: pat });
  assert.deepEqual([reconnectable.body.reconnectid, reconnectable.body.conversationthreadid, reconnectable.body.userid], [conversationId, token.ChatId, 'contact-pat']);
  const mine = await w.call<{ authChatExist: boolean }>('GET', w.connector(`auth/validateauthchatmaprecord/{orgId}/{widgetId}/${encodeURIComponent(token.ChatId)}/auth-1?channelId=lcw`), { headers: pat });
  assert.equal(mine.body.authChatExist, true);
  const someoneElse = { AuthenticatedUserToken: customerToken({ sub: 'contact-sam' }, now) };
  const theirs = await w.call<{ authChatExist: boolean }>('GET', w.connector(`auth/validateauthchatmaprecord/{orgId}/{widgetId}/${encodeURIComponent(token.ChatId)}/auth-1?channelId=lcw`), { headers: someoneElse });
  assert.equal(theirs.body.authChatExist, false, 'nobody rehydrates someone else\'s chat');
  const nothing = await w.call('GET', w.connector('auth/reconnectablechats/{orgId}/{widgetId}/auth-3?channelId=lcw'), { headers: someoneElse });
  assert.equal(nothing.status, 200);
  assert.equal(nothing.body, undefined, 'an empty body when there is nothing to reconnect to');

  await say(w, token, 'my bill');
  const history = await w.call<{ chatMessages: Array<{ content: string; additionalData: { ConversationId: string } }>; nextPageToken: string | null }>('GET', w.connector('auth/organization/{orgId}/widgetapp/{widgetId}/conversation/history?pageSize=2'), { headers: { ...pat, PageToken: '' } });
  assert.equal(history.status, 200);
  assert.equal(history.body.chatMessages.length, 2);
  assert.equal(history.body.chatMessages[0]?.content, 'I can help with billing.', 'newest first');
  assert.equal(history.body.chatMessages[0]?.additionalData.ConversationId, conversationId);
  assert.equal(history.body.nextPageToken, '2');
  const next = await w.call<{ chatMessages: unknown[]; nextPageToken: string | null }>('GET', w.connector('auth/organization/{orgId}/widgetapp/{widgetId}/conversation/history?pageSize=2'), { headers: { ...pat, PageToken: '2' } });
  assert.equal(next.body.chatMessages.length, 1);
  assert.equal(next.body.nextPageToken, null);

  const receipt = await w.call('POST', w.connector('auth/organization/{orgId}/widgetapp/{widgetId}/conversations/auth-1/readreceipt'), { headers: pat, body: { messageId: '1' } });
  assert.equal(receipt.status, 200);
  const transcript = await w.call('GET', w.connector(`v2/auth/getchattranscripts/${token.ChatId}/auth-1?channelId=lcw`), { headers: { ...pat, authorization: token.Token } });
  assert.equal(transcript.status, 200);
  assert.equal((await w.call('POST', w.connector('auth/sessionclose/{orgId}/{widgetId}/auth-1?channelId=lcw'), { headers: pat, body: {} })).status, 200);
});

test('mid-conversation sign-in makes an anonymous chat the customer\'s own (§2.3 authenticateChat)', async () => {
  const w = world();
  const { token, conversationId } = await startChat(w, 'anon-1');
  const pat = { AuthenticatedUserToken: customerToken({ sub: 'contact-pat' }, w.sim.clock.now()) };
  const signedIn = await w.call('POST', w.connector(`auth/authenticateChat/{orgId}/{widgetId}/${encodeURIComponent(token.ChatId)}/anon-1?channelId=lcw`), { headers: pat });
  assert.equal(signedIn.status, 200);
  assert.equal(signedIn.headers.get('oc-sessionid'), conversationId);
  const mine = await w.call<{ authChatExist: boolean }>('GET', w.connector(`auth/validateauthchatmaprecord/{orgId}/{widgetId}/${encodeURIComponent(token.ChatId)}/anon-1?channelId=lcw`), { headers: pat });
  assert.equal(mine.body.authChatExist, true);
});

test('an authenticated widget refuses anonymous conversations (§2.5 D)', async () => {
  const w = world(undefined, { authenticatedWidget: true });
  const anonymous = await w.call('POST', w.connector('organization/{orgId}/widgetApp/{widgetId}/conversation'), { headers: { 'Request-Id': 'anon' }, body: {} });
  assert.equal(anonymous.status, 401);
  const signedIn = await startChat(w, 'signed', { auth: true, headers: { AuthenticatedUserToken: customerToken({ sub: 'contact-pat' }, w.sim.clock.now()) } });
  assert.ok(signedIn.conversationId);
});

test('the smaller endpoints: typing, data masking, survey invite, post-chat survey, secondary channel events (§2.3)', async () => {
  const w = world();
  const { conversationId } = await startChat(w, 'small-1');
  const { orgId, widgetId } = w.sim.omnichannel;
  assert.equal((await w.call('POST', `https://contoso.handoff.test/inbound/typingindicator/livechat/sendtypingindicator/small-1`, { headers: { OrganizationId: orgId, customerDisplayName: 'Customer' } })).status, 200);
  const masking = await w.call<{ dataMaskingRules: unknown[]; setting: { maskForCustomer: boolean } }>('GET', w.connector(`fetchdatamaskinginfo/${orgId}`));
  assert.deepEqual(masking.body, { dataMaskingRules: [], setting: { maskForCustomer: false, maskForAgent: false } });
  const invite = await w.call<{ inviteList: Array<{ invitationLink: string }>; formsProLocaleCode: string }>('POST', w.connector(`getsurveyinvite/${orgId}/owner-1`), { body: { SurveyProvider: 600990000, WidgetId: widgetId, FormId: 'form-1', ConversationId: conversationId, OCLocaleCode: 'en-us' } });
  assert.equal(invite.status, 200);
  assert.match(invite.body.inviteList[0]!.invitationLink, /^https:\/\/contoso\.handoff\.test\/survey\/form\/form-1\?conversationId=/, 'the link stays on the org origin');
  assert.equal(invite.body.formsProLocaleCode, 'en-us');
  assert.equal((await w.call('POST', `https://contoso.handoff.test/survey/submitpostchat/${orgId}/${widgetId}/small-1?channelId=lcw`, { body: { rating: 5 } })).status, 200);
  assert.equal((await w.call('POST', w.connector('secondarychannelevent/{orgId}/{widgetId}/small-1?channelId=lcw'), { body: { eventType: 'Call' } })).status, 200);
});

test('the copilot and the agent reach a bearer of the chat token only through the thread (§3.2)', async () => {
  const w = world();
  const { token } = await startChat(w, 'req-6');
  const sent = await say(w, token, 'my bill');
  assert.equal(sent.status, 201);
  assert.match(sent.body.id, /^\d+$/, 'message ids are epoch-millisecond strings');
  const list = await messages(w, token);
  assert.equal(list[0]?.content.message, 'I can help with billing.');
  assert.equal((await w.call('GET', w.thread(token.ChatId, '/messages'), { headers: bearer({ ...token, Token: 'x.y.z' }) })).status, 401);
});
