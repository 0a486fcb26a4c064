import { http, HttpResponse } from 'msw';
import type { LiveChat } from '../../src/d365/omnichannel';
import type { Simulation } from '../../src/sim/simulation';
import { bearerOf, readJson, serviceError } from '../errors';
import { pathOnly } from '../livechat/urls';
import { chatMessage, identifier } from './payloads';

const thread = '/chat/threads/(?<threadId>[^/?]+)';
const routes = {
  messages: new RegExp(`${thread}/messages$`, 'i'),
  message: new RegExp(`${thread}/messages/(?<messageId>[^/?]+)$`, 'i'),
  typing: new RegExp(`${thread}/typing$`, 'i'),
  participants: new RegExp(`${thread}/participants$`, 'i'),
  readReceipts: new RegExp(`${thread}/readReceipts$`, 'i'),
  thread: new RegExp(`${thread}$`, 'i'),
  realtimeConfig: /\/chat\/config\/realTimeNotifications$/i,
} as const;

/** What msw matches: the routes without capturing groups, so a malformed escape is a 404/400, never a throw (mocks/livechat/urls.ts). */
const matchers = Object.fromEntries(Object.entries(routes).map(([name, pattern]) => [name, pathOnly(pattern)])) as Record<keyof typeof routes, RegExp>;

const maxMessageBytes = 28 * 1024; // 28 KB per message including metadata (d365-omnichannel.md §7)

/** Where the realtime emulation lives on the messaging plane's own origin (chat-sdk-in-browser.md §5.1, §5.3). */
export const realtimePaths = { trouter: '/trouter', registrar: '/registrar' } as const;

function params(pattern: RegExp, request: Request): Record<string, string> {
  const groups = pattern.exec(new URL(request.url).pathname)?.groups ?? {};
  const decoded: Record<string, string> = {};
  for (const [key, value] of Object.entries(groups)) {
    try {
      decoded[key] = decodeURIComponent(value);
    } catch {
      decoded[key] = value;
    }
  }
  return decoded;
}

/**
 * The messaging plane: the ACS chat thread REST API the chat SDK and its Web Chat adapter call
 * (d365-omnichannel.md §3.2). Every call needs `Authorization: Bearer <chat token>` bound to the thread;
 * errors use the ACS body `{ "error": { "code", "message" } }`, and 401/403/404 make the adapter stop
 * polling for good (§3.2 errors).
 */
export function acsChatHandlers(sim: Simulation) {
  const omnichannel = sim.omnichannel;
  /** Read receipts per thread and reader: the last message each participant read (§3.2 read receipts). */
  const receipts = new Map<string, Map<string, { chatMessageId: string; readOn: number }>>();

  /** The caller's chat token, valid on the virtual clock, for the ACS chat scope. */
  function tokenOf(request: Request): { claims: { conv?: string; sub?: string } } | { error: Response } {
    const token = bearerOf(request);
    if (!token) return { error: serviceError(401, 'Unauthorized', 'The request has no Authorization: Bearer <chat token> header. Every messaging call carries the chat token. Send the Token from createConversation.') };
    const check = sim.tokens.check(token);
    if (!check.valid) {
      return { error: serviceError(401, 'Unauthorized', check.reason === 'expired' ? 'The chat token has expired. Chat tokens last 24 hours on the simulation\'s clock. Get a fresh one with getchattoken.' : 'The chat token is not valid. Only tokens the live chat connector issued are accepted. Use the Token from createConversation.') };
    }
    if (check.claims.scope !== 'acs:chat') return { error: serviceError(401, 'Unauthorized', 'The token is not a chat token. The messaging plane accepts the chat token of the live chat connector only. Use the Token from createConversation.') };
    return { claims: check.claims };
  }

  /** The thread and the caller's right to it: a valid chat token bound to this thread. */
  function authorize(request: Request, pattern: RegExp): { chat: LiveChat; reader: string; path: Record<string, string> } | { error: Response } {
    const path = params(pattern, request);
    const token = tokenOf(request);
    if ('error' in token) return token;
    const chat = omnichannel.chatByThread(path['threadId'] ?? '');
    if (!chat) return { error: serviceError(404, 'NotFound', `There is no chat thread ${path['threadId']}. The thread id is the ChatId of the chat token. Check the URL.`) };
    if (token.claims.conv !== chat.chatId) return { error: serviceError(403, 'Forbidden', 'The chat token does not grant access to this thread. A chat token is bound to its own thread. Use the token issued with this ChatId.') };
    return { chat, reader: token.claims.sub ?? chat.visitorId, path };
  }

  return [
    http.get(matchers.messages, ({ request }) => {
      const access = authorize(request, routes.messages);
      if ('error' in access) return access.error;
      const search = new URL(request.url).searchParams;
      const startTime = search.get('startTime');
      const from = startTime ? Date.parse(startTime) : Number.NEGATIVE_INFINITY;
      if (Number.isNaN(from)) return serviceError(400, 'BadRequest', `startTime "${startTime}" is not an ISO-8601 date-time. The list starts at a message's createdOn. Send a value such as 2026-01-05T09:00:00Z.`);
      const pageSize = search.has('maxPageSize') ? Number(search.get('maxPageSize')) : Number.POSITIVE_INFINITY;
      const offset = Number(search.get('continuation') ?? 0);
      if (!(pageSize >= 1) || !Number.isInteger(offset) || offset < 0) {
        return serviceError(400, 'BadRequest', `maxPageSize ${search.get('maxPageSize')} or continuation ${search.get('continuation')} is not a page. Pages hold 1 or more messages. Send a positive maxPageSize and follow nextLink.`);
      }
      // Newest first, at or after startTime (d365-omnichannel.md §3.2).
      const all = access.chat.thread.filter((message) => message.createdOn >= from).reverse();
      const page = all.slice(offset, offset + pageSize);
      let nextLink: string | null = null;
      if (offset + page.length < all.length) {
        const next = new URL(request.url);
        next.searchParams.set('continuation', String(offset + page.length));
        nextLink = next.toString();
      }
      return HttpResponse.json({ value: page.map(chatMessage), nextLink });
    }),

    http.post(matchers.messages, async ({ request }) => {
      const access = authorize(request, routes.messages);
      if ('error' in access) return access.error;
      if (access.reader !== access.chat.visitorId) return serviceError(403, 'Forbidden', 'Only the customer posts with this chat token. Agents and the copilot post through Dynamics 365. Use the customer\'s chat token.');
      if (omnichannel.workItemStatus(access.chat).state === 'Closed') {
        return serviceError(403, 'Forbidden', 'The conversation is closed; the thread no longer accepts messages. A closed conversation cannot be continued. Start a new chat.');
      }
      const parsed = await readJson<{ content?: unknown; type?: unknown }>(request, (message) => serviceError(400, 'BadRequest', message), {
        bytes: maxMessageBytes,
        tooLarge: (bytes) => serviceError(413, 'RequestEntityTooLarge', `The message is ${bytes} bytes. A message may be at most ${maxMessageBytes} bytes including its metadata. Send a shorter message.`),
      });
      if ('error' in parsed) return parsed.error;
      if (parsed.body.type !== undefined && parsed.body.type !== 'text' && parsed.body.type !== 'html') {
        return serviceError(400, 'BadRequest', `Message type "${String(parsed.body.type)}" cannot be sent. Clients send text or html messages. Leave type out or send "text".`);
      }
      if (typeof parsed.body.content !== 'string' || parsed.body.content === '') {
        return serviceError(400, 'BadRequest', 'The message has no content. A message needs a non-empty "content" string. Send {"content": "Hi"}.');
      }
      const message = omnichannel.customerMessaged(access.chat, parsed.body.content);
      return HttpResponse.json({ id: message.id }, { status: 201 });
    }),

    http.get(matchers.message, ({ request }) => {
      const access = authorize(request, routes.message);
      if ('error' in access) return access.error;
      const message = access.chat.thread.find((candidate) => candidate.id === access.path['messageId']);
      if (!message) return serviceError(404, 'NotFound', `There is no message ${access.path['messageId']} in this thread. Message ids are the ids the list returned. Check the id.`);
      return HttpResponse.json(chatMessage(message));
    }),

    // The typing call reaches ACS; the simulation's agents do not watch typing (§3.5 sendTypingEvent).
    http.post(matchers.typing, async ({ request }) => {
      const access = authorize(request, routes.typing);
      if ('error' in access) return access.error;
      const parsed = await readJson<Record<string, unknown>>(request, (message) => serviceError(400, 'BadRequest', message));
      if ('error' in parsed) return parsed.error;
      return new HttpResponse(null, { status: 200 });
    }),

    http.get(matchers.participants, ({ request }) => {
      const access = authorize(request, routes.participants);
      if ('error' in access) return access.error;
      const value = omnichannel.threadParticipants(access.chat).map((participant) => ({
        communicationIdentifier: identifier(participant.id),
        displayName: participant.displayName,
        shareHistoryTime: new Date(access.chat.createdOn).toISOString(),
      }));
      return HttpResponse.json({ value, nextLink: null });
    }),

    http.get(matchers.readReceipts, ({ request }) => {
      const access = authorize(request, routes.readReceipts);
      if ('error' in access) return access.error;
      const value = [...(receipts.get(access.chat.chatId)?.entries() ?? [])].map(([reader, receipt]) => ({
        senderCommunicationIdentifier: identifier(reader),
        chatMessageId: receipt.chatMessageId,
        readOn: new Date(receipt.readOn).toISOString(),
      }));
      return HttpResponse.json({ value, nextLink: null });
    }),

    http.post(matchers.readReceipts, async ({ request }) => {
      const access = authorize(request, routes.readReceipts);
      if ('error' in access) return access.error;
      const parsed = await readJson<{ chatMessageId?: unknown }>(request, (message) => serviceError(400, 'BadRequest', message));
      if ('error' in parsed) return parsed.error;
      const { chatMessageId } = parsed.body;
      if (typeof chatMessageId !== 'string' || !access.chat.thread.some((message) => message.id === chatMessageId)) {
        return serviceError(400, 'BadRequest', `"${String(chatMessageId)}" is not a message of this thread. A read receipt names the last message read. Send {"chatMessageId": "<id from the list>"}.`);
      }
      const byReader = receipts.get(access.chat.chatId) ?? new Map<string, { chatMessageId: string; readOn: number }>();
      byReader.set(access.reader, { chatMessageId, readOn: sim.clock.now() });
      receipts.set(access.chat.chatId, byReader);
      return new HttpResponse(null, { status: 200 });
    }),

    // Thread properties (§3.2; whether clients call it is UNCONFIRMED). The service created the thread.
    http.get(matchers.thread, ({ request }) => {
      const access = authorize(request, routes.thread);
      if ('error' in access) return access.error;
      const service = access.chat.visitorId.replace(/_[^_]*$/, '_service');
      return HttpResponse.json({ id: access.chat.chatId, topic: omnichannel.settings.workStream.name, createdOn: new Date(access.chat.createdOn).toISOString(), createdByCommunicationIdentifier: identifier(service) });
    }),

    /**
     * Where the realtime channel is (chat-sdk-in-browser.md §5.1): startRealtimeNotifications awaits this
     * call, and the signaling client then connects to whatever it names, here this plane's own origin.
     */
    http.get(matchers.realtimeConfig, ({ request }) => {
      const token = tokenOf(request);
      if ('error' in token) return token.error;
      const origin = new URL(request.url).origin;
      return HttpResponse.json({ trouterServiceUrl: `${origin}${realtimePaths.trouter}`, registrarServiceUrl: `${origin}${realtimePaths.registrar}`, cloudType: 'Public' });
    }),
  ];
}
