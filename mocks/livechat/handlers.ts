import { http, HttpResponse } from 'msw';
import { contextVariablesOf, type InitContext, type LiveChat } from '../../src/d365/omnichannel';
import { queueAvailability, widgetOutOfOperatingHours } from '../../src/d365/widget-availability';
import type { Simulation } from '../../src/sim/simulation';
import { readJson } from '../errors';
import { authenticatedCustomer, connectorError, type CustomerIdentity } from './auth';
import { chatTokenBody, historyMessage, liveChatConfig, transcriptMessage, workItemDetails } from './payloads';
import { liveChatPaths, liveChatRoutes, routeParams } from './urls';

export interface LiveChatOptions {
  /** The messaging plane's base URL handed to clients; must end with `/` (d365-omnichannel.md §2.4.3). */
  acsEndpoint?: (request: Request) => string;
  /** The widget asks customers to sign in: the config says so and anonymous conversations are refused (§2.4.1, §2.5 D). */
  authenticatedWidget?: boolean;
}

/** ACS chat tokens live 24 hours (d365-omnichannel.md §9); the SDK needs more than 10 minutes left (§2.4.3). */
const chatTokenSeconds = 24 * 3600;

/** A chat token handed out by the legacy getchattoken before sessioninit creates the conversation (§2.5 B). */
interface PendingConversation {
  thread: { chatId: string; visitorId: string };
  identity?: CustomerIdentity;
}

/**
 * The live chat connector that the chat SDK and widget call (d365-omnichannel.md §2.3), in its anonymous
 * and `/auth/` variants. It translates the protocol into simulation calls; the rules (routing, states,
 * timers) live in src/d365. What it keeps itself is the connector's own bookkeeping: tokens handed out
 * before sessioninit, request ids that reconnected to an existing conversation, who signed in to which chat.
 */
export function liveChatHandlers(sim: Simulation, options: LiveChatOptions = {}) {
  const omnichannel = sim.omnichannel;
  const now = () => sim.clock.now();
  const pending = new Map<string, PendingConversation>();
  const reconnectedRequests = new Map<string, LiveChat>();
  const owners = new Map<string, string>();
  let nonces = 0;

  /** Wrong org or widget: errorcode 701 (§7). Config answers 404 (suggested, §7); the others 400, which clients do not retry for minutes as they do 404 (§2.2). */
  function unknownWidget(orgId: string, widgetId: string, status = 400): Response {
    return connectorError(status, `There is no chat widget ${widgetId} in organization ${orgId}. The simulation has one widget. Use the orgId and widgetId that handoff serve printed (or sim.omnichannel.orgId and widgetId).`, { errorcode: '701' });
  }

  function unknownOrg(orgId: string): Response {
    return connectorError(400, `There is no organization ${orgId}. The simulation has one organization. Use the orgId that handoff serve printed.`, { errorcode: '701' });
  }

  function unknownRequest(requestId: string): Response {
    return connectorError(400, `No conversation has requestId ${requestId}. The requestId is the one the conversation was created with. Start a conversation first, or pass the liveChatContext of the one to resume.`);
  }

  function outsideOperatingHours(): Response {
    return connectorError(400, 'The chat widget is outside its operating hours. No queue of the work stream is open now. Start the chat during the queues\' operating hours.', { errorcode: '705' });
  }

  /** The conversation a request id names, including request ids that reconnected to an earlier conversation. */
  function chatOf(requestId: string): LiveChat | undefined {
    return omnichannel.chatByRequestId(requestId) ?? reconnectedRequests.get(requestId);
  }

  /** Reconnect works within the window and if neither side pressed End (§7): the item is not in wrap-up or closed. */
  function reconnectable(chat: LiveChat | undefined): chat is LiveChat {
    if (!chat) return false;
    const { state } = omnichannel.workItemStatus(chat);
    return state !== 'WrapUp' && state !== 'Closed';
  }

  /** The reconnect id clients carry is the conversation's id (the real service's own id format is UNCONFIRMED). */
  function chatOfReconnectId(reconnectId: string): LiveChat | undefined {
    return omnichannel.chatById(reconnectId);
  }

  /** The signed-in customer on `/auth/` routes; anonymous routes of an authenticated widget are refused (§2.5 D). */
  function identify(request: Request, authRoute: boolean): { identity?: CustomerIdentity } | { error: Response } {
    if (authRoute) return authenticatedCustomer(request, now());
    if (options.authenticatedWidget) {
      return { error: connectorError(401, 'This chat widget requires the customer to sign in. Its anonymous routes are closed. Call the /auth/ route with an AuthenticatedUserToken (chatSDKConfig.getAuthToken).') };
    }
    return {};
  }

  /** Every answer on an `/auth/` route carries a fresh nonce, which ocsdk sends back on its next call (§2.1 AuthCodeNonce). */
  function answer(response: Response, authRoute: boolean): Response {
    if (authRoute) {
      nonces += 1;
      response.headers.set('authcodenonce', `n${nonces.toString(36).padStart(7, '0')}`);
    }
    return response;
  }

  function issueToken(request: Request, thread: { chatId: string; visitorId: string }, headers: Record<string, string> = {}): Response {
    const token = sim.tokens.issue({ scope: 'acs:chat', conv: thread.chatId, sub: thread.visitorId }, chatTokenSeconds);
    const acsEndpoint = options.acsEndpoint?.(request) ?? `${new URL(request.url).origin}/`;
    return HttpResponse.json(chatTokenBody(thread, token, now() + chatTokenSeconds * 1000, acsEndpoint), { headers });
  }

  /** Pre-chat answers, custom context and the token's lwicontexts all become context variables (§5.2 step 1). */
  function initContextWith(initContext: InitContext, identity: CustomerIdentity | undefined): InitContext {
    if (!identity) return initContext;
    const customContextData = { ...identity.contextData, ...(initContext.customContextData ?? {}) };
    return { ...initContext, customContextData };
  }

  function started(chat: LiveChat, identity: CustomerIdentity | undefined): LiveChat {
    if (identity) owners.set(chat.id, identity.sub);
    return chat;
  }

  /** createConversation or sessioninit with a reconnect id: the earlier conversation if it can still be resumed, else undefined. */
  function reconnect(requestId: string, reconnectId: string | undefined): LiveChat | undefined {
    if (!reconnectId) return undefined;
    const previous = chatOfReconnectId(reconnectId);
    if (!reconnectable(previous)) return undefined;
    reconnectedRequests.set(requestId, previous);
    omnichannel.customerReconnected(previous);
    return previous;
  }

  const { get, post } = http;
  return [
    get(liveChatPaths.config, ({ request }) => {
      const { orgId = '', widgetId = '' } = routeParams(liveChatRoutes.config, request.url);
      if (!omnichannel.isKnownWidget(orgId, widgetId)) return unknownWidget(orgId, widgetId, 404);
      const config = liveChatConfig(omnichannel, { outOfOperatingHours: widgetOutOfOperatingHours(omnichannel, now()), authenticated: options.authenticatedWidget ?? false });
      return HttpResponse.json(config, { headers: { date: new Date(now()).toUTCString() } });
    }),

    post(liveChatPaths.createConversation, async ({ request }) => {
      const { orgId = '', widgetId = '', auth } = routeParams(liveChatRoutes.createConversation, request.url);
      if (!omnichannel.isKnownWidget(orgId, widgetId)) return unknownWidget(orgId, widgetId);
      const who = identify(request, auth !== undefined);
      if ('error' in who) return who.error;
      const parsed = await readJson<InitContext & { requestId?: string; reconnectId?: string }>(request, (message) => connectorError(400, message));
      if ('error' in parsed) return parsed.error;
      // ocsdk sends the requestId as a header on this call (d365-omnichannel.md §2.1).
      const requestId = request.headers.get('request-id') ?? request.headers.get('x-ms-client-request-id') ?? parsed.body.requestId;
      if (!requestId) return connectorError(400, 'The conversation request has no Request-Id header. Clients send the conversation requestId with every connector call. Send it as Request-Id or x-ms-client-request-id.');
      if (widgetOutOfOperatingHours(omnichannel, now())) return outsideOperatingHours();
      const resumed = reconnect(requestId, typeof parsed.body.reconnectId === 'string' ? parsed.body.reconnectId : undefined);
      if (resumed) return answer(issueToken(request, resumed, { 'oc-sessionid': resumed.id }), auth !== undefined);
      if (chatOf(requestId)) return connectorError(400, `A conversation with requestId ${requestId} already exists. Each conversation is created once. Use a new requestId for a new conversation.`);
      const chat = started(omnichannel.createConversation({ orgId, widgetId, requestId, initContext: initContextWith(parsed.body, who.identity) }), who.identity);
      return answer(issueToken(request, chat, { 'oc-sessionid': chat.id }), auth !== undefined);
    }),

    get(liveChatPaths.chatToken, ({ request }) => {
      const { orgId = '', widgetId = '', requestId = '', reconnectId, version, auth } = routeParams(liveChatRoutes.chatToken, request.url);
      if (!omnichannel.isKnownWidget(orgId, widgetId)) return unknownWidget(orgId, widgetId);
      const who = identify(request, auth !== undefined);
      if ('error' in who) return who.error;
      if (version?.toLowerCase() === 'v4') {
        // The copilot-specific token (§2.3): 400 for a bot id the org does not know, 403 if it is not the work stream's bot.
        const botId = new URL(request.url).searchParams.get('Ms-Oc-Bot-Application-Id') ?? '';
        const copilot = sim.copilot;
        if (!copilot || botId.toLowerCase() !== copilot.botId.toLowerCase()) {
          return connectorError(400, `There is no copilot with bot id "${botId}". The v4 token route names the copilot in Ms-Oc-Bot-Application-Id. Use the copilot's bot id${copilot ? ` (${copilot.botId})` : ''}.`);
        }
        if (!omnichannel.settings.workStream.copilotFirstResponder) {
          return connectorError(403, `The copilot "${copilot.name}" is not enabled for the work stream "${omnichannel.settings.workStream.name}". Only the work stream's own bot can be named. Make the copilot the first responder.`);
        }
      }
      const existing = chatOf(requestId);
      if (existing) return answer(issueToken(request, existing, { 'oc-sessionid': existing.id }), auth !== undefined);
      if (reconnectId) {
        const resumed = reconnect(requestId, reconnectId);
        // No content: the reconnect is not possible and ocsdk rejects (§2.4.3).
        if (!resumed) return answer(new HttpResponse(null, { status: 204 }), auth !== undefined);
        return answer(issueToken(request, resumed, { 'oc-sessionid': resumed.id }), auth !== undefined);
      }
      let reservation = pending.get(requestId);
      if (!reservation) {
        reservation = { thread: omnichannel.reserveThread(), identity: who.identity };
        pending.set(requestId, reservation);
      }
      return answer(issueToken(request, reservation.thread), auth !== undefined);
    }),

    post(liveChatPaths.sessionInit, async ({ request }) => {
      const { orgId = '', widgetId = '', requestId = '', reconnectId, auth } = routeParams(liveChatRoutes.sessionInit, request.url);
      if (!omnichannel.isKnownWidget(orgId, widgetId)) return unknownWidget(orgId, widgetId);
      const who = identify(request, auth !== undefined);
      if ('error' in who) return who.error;
      const parsed = await readJson<InitContext & { chatId?: string }>(request, (message) => connectorError(400, message));
      if ('error' in parsed) return parsed.error;
      if (widgetOutOfOperatingHours(omnichannel, now())) return outsideOperatingHours();
      // A retried or reconnecting sessioninit finds its conversation already there; the body is ignored by clients (§2.3).
      if (chatOf(requestId) || reconnect(requestId, reconnectId)) return answer(new HttpResponse(null, { status: 200 }), auth !== undefined);
      const reservation = pending.get(requestId);
      if (!reservation) {
        return connectorError(400, `No chat token was issued for requestId ${requestId}. The legacy flow gets a token from getchattoken before sessioninit. Call GET /livechatconnector/v2/getchattoken first.`);
      }
      if (parsed.body.chatId !== undefined && parsed.body.chatId !== reservation.thread.chatId) {
        return connectorError(400, `The chatId ${String(parsed.body.chatId)} is not the thread issued for requestId ${requestId}. sessioninit names the thread getchattoken returned. Send ChatId from that token.`);
      }
      pending.delete(requestId);
      const identity = who.identity ?? reservation.identity;
      started(omnichannel.createConversation({ orgId, widgetId, requestId, initContext: initContextWith(parsed.body, identity), thread: reservation.thread }), identity);
      return answer(new HttpResponse(null, { status: 200 }), auth !== undefined);
    }),

    get(liveChatPaths.workItemDetails, ({ request }) => {
      const { orgId = '', widgetId = '', requestId = '', reconnectId, auth } = routeParams(liveChatRoutes.workItemDetails, request.url);
      if (!omnichannel.isKnownWidget(orgId, widgetId)) return unknownWidget(orgId, widgetId);
      const who = identify(request, auth !== undefined);
      if ('error' in who) return who.error;
      const sig = new URL(request.url).searchParams.get('sig') ?? undefined;
      const chat = chatOf(requestId) ?? chatOfReconnectId(reconnectId ?? sig ?? '');
      // Unknown ids get 400, not 404: the SDK retries 404 for minutes (d365-omnichannel.md §2.2).
      if (!chat) return unknownRequest(requestId);
      return answer(HttpResponse.json(workItemDetails(omnichannel, chat)), auth !== undefined);
    }),

    post(liveChatPaths.sessionClose, async ({ request }) => {
      const { orgId = '', widgetId = '', requestId = '', auth } = routeParams(liveChatRoutes.sessionClose, request.url);
      if (!omnichannel.isKnownWidget(orgId, widgetId)) return unknownWidget(orgId, widgetId);
      const who = identify(request, auth !== undefined);
      if ('error' in who) return who.error;
      const chat = chatOf(requestId);
      if (!chat) return unknownRequest(requestId);
      const parsed = await readJson<{ chatId?: unknown }>(request, (message) => connectorError(400, message));
      if ('error' in parsed) return parsed.error;
      if (parsed.body.chatId !== undefined && parsed.body.chatId !== chat.chatId) {
        return connectorError(400, `The chatId ${String(parsed.body.chatId)} is not the thread of requestId ${requestId}. sessionclose may name the conversation's own thread only. Leave chatId out or send ${chat.chatId}.`);
      }
      // Closing twice, or after the agent ended, changes nothing (§2.5 A step 6).
      omnichannel.customerEnded(chat);
      return answer(new HttpResponse(null, { status: 200 }), auth !== undefined);
    }),

    get(liveChatPaths.transcript, ({ request }) => {
      const { chatId = '', auth } = routeParams(liveChatRoutes.transcript, request.url);
      const who = identify(request, auth !== undefined);
      if ('error' in who) return who.error;
      const chat = omnichannel.chatByThread(chatId);
      if (!chat) return connectorError(400, `No conversation has the chat id ${chatId}. The transcript is read by the ACS thread id of the chat token. Use ChatId from createConversation.`);
      const refused = chatTokenRefusal(request, chat);
      if (refused) return refused;
      // Newest first, as a JSON string; consult messages between agents stay internal (d365-omnichannel.md §8).
      const messages = [...chat.thread].reverse().map(transcriptMessage);
      return answer(HttpResponse.json({ chatMessagesJson: JSON.stringify(messages) }), auth !== undefined);
    }),

    post(liveChatPaths.emailTranscript, async ({ request }) => {
      const { auth } = routeParams(liveChatRoutes.emailTranscript, request.url);
      const who = identify(request, auth !== undefined);
      if ('error' in who) return who.error;
      const parsed = await readJson<{ ChatId?: unknown; EmailAddress?: unknown }>(request, (message) => connectorError(400, message));
      if ('error' in parsed) return parsed.error;
      const { ChatId, EmailAddress } = parsed.body;
      if (typeof EmailAddress !== 'string' || !/^[^@\s]+@[^@\s]+$/.test(EmailAddress)) {
        return connectorError(400, `"${String(EmailAddress)}" is not an email address. The transcript is mailed to EmailAddress. Send {"ChatId", "EmailAddress", "DefaultAttachmentMessage", "CustomerLocale"}.`);
      }
      const chat = typeof ChatId === 'string' ? omnichannel.chatByThread(ChatId) : undefined;
      if (!chat) return connectorError(400, `No conversation has the chat id ${String(ChatId)}. The email request names the ACS thread in ChatId. Use ChatId from createConversation.`);
      const refused = chatTokenRefusal(request, chat);
      if (refused) return refused;
      return answer(new HttpResponse(null, { status: 200 }), auth !== undefined);
    }),

    get(liveChatPaths.reconnectableChats, ({ request }) => {
      const { orgId = '', widgetId = '' } = routeParams(liveChatRoutes.reconnectableChats, request.url);
      if (!omnichannel.isKnownWidget(orgId, widgetId)) return unknownWidget(orgId, widgetId);
      const who = authenticatedCustomer(request, now());
      if ('error' in who) return who.error;
      const mine = [...omnichannel.chats].reverse().find((chat) => owners.get(chat.id) === who.identity.sub && reconnectable(chat));
      // 200 with an empty body when there is nothing to reconnect to (§2.4.6).
      if (!mine) return answer(new HttpResponse(null, { status: 200 }), true);
      return answer(
        HttpResponse.json({ reconnectid: mine.id, conversationthreadid: mine.chatId, orgid: omnichannel.orgId, widgetappid: omnichannel.widgetId, userid: who.identity.sub, partitionkey: who.identity.sub }),
        true,
      );
    }),

    get(liveChatPaths.reconnectAvailability, ({ request }) => {
      const { orgId = '', widgetId = '', reconnectId = '' } = routeParams(liveChatRoutes.reconnectAvailability, request.url);
      if (!omnichannel.isKnownWidget(orgId, widgetId)) return unknownWidget(orgId, widgetId);
      const available = reconnectable(chatOfReconnectId(reconnectId));
      return HttpResponse.json({ reconnectId, isReconnectAvailable: available, reconnectRedirectionURL: null });
    }),

    get(liveChatPaths.validateAuthChatRecord, ({ request }) => {
      const { orgId = '', widgetId = '', chatId = '' } = routeParams(liveChatRoutes.validateAuthChatRecord, request.url);
      if (!omnichannel.isKnownWidget(orgId, widgetId)) return unknownWidget(orgId, widgetId);
      const who = authenticatedCustomer(request, now());
      if ('error' in who) return who.error;
      // {authChatExist:false} makes the SDK refuse to rehydrate someone else's chat (§2.4.6, §7).
      const chat = omnichannel.chatByThread(chatId);
      return answer(HttpResponse.json({ authChatExist: chat !== undefined && owners.get(chat.id) === who.identity.sub }), true);
    }),

    post(liveChatPaths.agentAvailability, async ({ request }) => {
      const { orgId = '', widgetId = '' } = routeParams(liveChatRoutes.agentAvailability, request.url);
      if (!omnichannel.isKnownWidget(orgId, widgetId)) return unknownWidget(orgId, widgetId);
      // Always the auth path; anonymous widgets call it without a token (§2.3).
      const signedIn = request.headers.has('authenticatedusertoken');
      let identity: CustomerIdentity | undefined;
      if (signedIn) {
        const who = authenticatedCustomer(request, now());
        if ('error' in who) return who.error;
        identity = who.identity;
      }
      const parsed = await readJson<InitContext>(request, (message) => connectorError(400, message));
      if ('error' in parsed) return parsed.error;
      const context = contextVariablesOf(initContextWith(parsed.body, identity));
      return answer(HttpResponse.json(queueAvailability(omnichannel, context, now())), signedIn);
    }),

    post(liveChatPaths.postChatSurvey, async ({ request }) => {
      const { orgId = '', widgetId = '', auth } = routeParams(liveChatRoutes.postChatSurvey, request.url);
      if (!omnichannel.isKnownWidget(orgId, widgetId)) return unknownWidget(orgId, widgetId);
      const who = identify(request, auth !== undefined);
      if ('error' in who) return who.error;
      const parsed = await readJson<Record<string, unknown>>(request, (message) => connectorError(400, message));
      if ('error' in parsed) return parsed.error;
      return answer(new HttpResponse(null, { status: 200 }), auth !== undefined);
    }),

    post(liveChatPaths.surveyInvite, async ({ request }) => {
      const { orgId = '', auth } = routeParams(liveChatRoutes.surveyInvite, request.url);
      if (orgId.toLowerCase() !== omnichannel.orgId.toLowerCase()) return unknownOrg(orgId);
      const who = identify(request, auth !== undefined);
      if ('error' in who) return who.error;
      const parsed = await readJson<{ FormId?: unknown; ConversationId?: unknown; OCLocaleCode?: unknown }>(request, (message) => connectorError(400, message));
      if ('error' in parsed) return parsed.error;
      const { FormId, ConversationId, OCLocaleCode } = parsed.body;
      if (typeof FormId !== 'string' || typeof ConversationId !== 'string' || !omnichannel.chatById(ConversationId)) {
        return connectorError(400, `The survey invite names form ${String(FormId)} for conversation ${String(ConversationId)}. Both are needed and the conversation must exist. Send {"SurveyProvider", "WidgetId", "FormId", "ConversationId", "OCLocaleCode"}.`);
      }
      // The link stays on the org's own origin: the simulation has no survey provider to send a browser to.
      const link = `${new URL(request.url).origin}/survey/form/${encodeURIComponent(FormId)}?conversationId=${encodeURIComponent(ConversationId)}`;
      return answer(HttpResponse.json({ inviteList: [{ invitationLink: link }], formsProLocaleCode: typeof OCLocaleCode === 'string' ? OCLocaleCode : 'en-us' }), auth !== undefined);
    }),

    post(liveChatPaths.typingIndicator, ({ request }) => {
      const { requestId = '' } = routeParams(liveChatRoutes.typingIndicator, request.url);
      const orgId = request.headers.get('organizationid');
      if (orgId !== null && orgId.toLowerCase() !== omnichannel.orgId.toLowerCase()) return unknownOrg(orgId);
      if (!chatOf(requestId)) return unknownRequest(requestId);
      return new HttpResponse(null, { status: 200 });
    }),

    get(liveChatPaths.dataMasking, ({ request }) => {
      const { orgId = '' } = routeParams(liveChatRoutes.dataMasking, request.url);
      if (orgId.toLowerCase() !== omnichannel.orgId.toLowerCase()) return unknownOrg(orgId);
      // The simulation masks nothing (§2.3 fetchDataMaskingInfo).
      return HttpResponse.json({ dataMaskingRules: [], setting: { maskForCustomer: false, maskForAgent: false } });
    }),

    post(liveChatPaths.secondaryChannelEvent, async ({ request }) => {
      const { orgId = '', widgetId = '', requestId = '', auth } = routeParams(liveChatRoutes.secondaryChannelEvent, request.url);
      if (!omnichannel.isKnownWidget(orgId, widgetId)) return unknownWidget(orgId, widgetId);
      const who = identify(request, auth !== undefined);
      if ('error' in who) return who.error;
      if (!chatOf(requestId)) return unknownRequest(requestId);
      const parsed = await readJson<Record<string, unknown>>(request, (message) => connectorError(400, message));
      if ('error' in parsed) return parsed.error;
      return answer(new HttpResponse(null, { status: 200 }), auth !== undefined);
    }),

    get(liveChatPaths.persistentChatHistory, ({ request }) => {
      const { orgId = '', widgetId = '' } = routeParams(liveChatRoutes.persistentChatHistory, request.url);
      if (!omnichannel.isKnownWidget(orgId, widgetId)) return unknownWidget(orgId, widgetId);
      const who = authenticatedCustomer(request, now());
      if ('error' in who) return who.error;
      const pageSize = Number(new URL(request.url).searchParams.get('pageSize') ?? 50);
      const offset = Number(request.headers.get('pagetoken') || 0);
      if (!Number.isInteger(pageSize) || pageSize < 1 || !Number.isInteger(offset) || offset < 0) {
        return connectorError(400, `pageSize ${String(pageSize)} or PageToken ${String(offset)} is not a page. History is read in pages of 1 or more messages. Send the nextPageToken of the previous page, or none.`);
      }
      // Every message of the customer's conversations, newest first: ids are strictly increasing epoch milliseconds (§3.2).
      const mine = omnichannel.chats.filter((chat) => owners.get(chat.id) === who.identity.sub);
      const all = mine.flatMap((chat) => chat.thread.map((message) => ({ chat, message }))).sort((a, b) => Number(b.message.id) - Number(a.message.id));
      const page = all.slice(offset, offset + pageSize).map(({ chat, message }) => historyMessage(chat, message, omnichannel.widgetId));
      return answer(HttpResponse.json({ chatMessages: page, nextPageToken: offset + pageSize < all.length ? String(offset + pageSize) : null }), true);
    }),

    post(liveChatPaths.authenticateChat, ({ request }) => {
      const { orgId = '', widgetId = '', chatId = '' } = routeParams(liveChatRoutes.authenticateChat, request.url);
      if (!omnichannel.isKnownWidget(orgId, widgetId)) return unknownWidget(orgId, widgetId);
      const who = authenticatedCustomer(request, now());
      if ('error' in who) return who.error;
      const chat = omnichannel.chatByThread(chatId);
      if (!chat) return connectorError(400, `No conversation has the chat id ${chatId}. A chat is authenticated mid-conversation by its ACS thread id. Use ChatId from createConversation.`);
      owners.set(chat.id, who.identity.sub);
      return answer(new HttpResponse(null, { status: 200, headers: { 'oc-sessionid': chat.id } }), true);
    }),

    post(liveChatPaths.readReceipt, async ({ request }) => {
      const { orgId = '', widgetId = '', requestId = '' } = routeParams(liveChatRoutes.readReceipt, request.url);
      if (!omnichannel.isKnownWidget(orgId, widgetId)) return unknownWidget(orgId, widgetId);
      const who = authenticatedCustomer(request, now());
      if ('error' in who) return who.error;
      if (!chatOf(requestId)) return unknownRequest(requestId);
      const parsed = await readJson<{ messageId?: unknown }>(request, (message) => connectorError(400, message));
      if ('error' in parsed) return parsed.error;
      if (typeof parsed.body.messageId !== 'string' || parsed.body.messageId === '') {
        return connectorError(400, 'The read receipt has no messageId. It names the last message the customer read. Send {"messageId": "<id>"}.');
      }
      return answer(new HttpResponse(null, { status: 200 }), true);
    }),
  ];

  /** Transcript and email calls carry the raw ACS chat token in Authorization, without "Bearer" (§2.1). */
  function chatTokenRefusal(request: Request, chat: LiveChat): Response | undefined {
    const token = (request.headers.get('authorization') ?? '').replace(/^Bearer\s+/i, '').trim();
    if (!token) return connectorError(401, 'The request has no Authorization header. Transcript calls carry the chat token of the conversation. Send the Token of the chat token as it is.');
    const check = sim.tokens.check(token);
    if (!check.valid) return connectorError(401, `The chat token is ${check.reason === 'expired' ? 'expired' : 'not valid'}. Transcripts are read with the conversation's own chat token. Get a fresh one from createConversation or getchattoken.`);
    if (check.claims.conv !== chat.chatId) return connectorError(403, 'The chat token belongs to another conversation. A transcript is read with its own conversation\'s token. Send the token issued with this ChatId.');
    return undefined;
  }
}
