import { http, HttpResponse } from 'msw';
import type { LiveChat, ThreadMessage } from '../../src/d365/omnichannel';
import type { Simulation } from '../../src/sim/simulation';
import { bearerOf, readJson, serviceError } from '../errors';

const threadMessages = /\/chat\/threads\/(?<threadId>[^/]+)\/messages$/i;
const maxMessageBytes = 28 * 1024; // 28 KB per message including metadata (d365-omnichannel.md §7)

/** The messaging plane: the ACS chat thread REST API the chat SDK and its adapter call (d365-omnichannel.md §3.2). */
export function acsChatHandlers(sim: Simulation) {
  const omnichannel = sim.omnichannel;

  /** The thread and the caller's right to it: a valid chat token bound to this thread. */
  function authorize(request: Request): { chat: LiveChat } | { error: Response } {
    const threadId = decodeURIComponent(threadMessages.exec(new URL(request.url).pathname)?.groups?.['threadId'] ?? '');
    const token = bearerOf(request);
    if (!token) return { error: serviceError(401, 'Unauthorized', 'The request has no Authorization: Bearer <chat token> header.') };
    const check = sim.tokens.check(token);
    if (!check.valid) return { error: serviceError(401, 'Unauthorized', check.reason === 'expired' ? 'The chat token has expired.' : 'The chat token is not valid.') };
    const chat = omnichannel.chatByThread(threadId);
    if (!chat) return { error: serviceError(404, 'NotFound', `There is no chat thread ${threadId}.`) };
    if (check.claims.conv !== chat.chatId) return { error: serviceError(403, 'Forbidden', 'The chat token does not grant access to this thread.') };
    return { chat };
  }

  return [
    http.get(threadMessages, ({ request }) => {
      const access = authorize(request);
      if ('error' in access) return access.error;
      const startTime = new URL(request.url).searchParams.get('startTime');
      const from = startTime ? Date.parse(startTime) : Number.NEGATIVE_INFINITY;
      if (Number.isNaN(from)) return serviceError(400, 'BadRequest', `startTime "${startTime}" is not an ISO-8601 date-time.`);
      // Newest first, at or after startTime (d365-omnichannel.md §3.2).
      const value = access.chat.thread.filter((message) => message.createdOn >= from).reverse().map(chatMessage);
      return HttpResponse.json({ value, nextLink: null });
    }),

    http.post(threadMessages, async ({ request }) => {
      const access = authorize(request);
      if ('error' in access) return access.error;
      if (omnichannel.workItemStatus(access.chat).state === 'Closed') {
        return serviceError(403, 'Forbidden', 'The conversation is closed; the thread no longer accepts messages.');
      }
      const raw = await request.clone().text();
      if (Buffer.byteLength(raw) > maxMessageBytes) return serviceError(413, 'RequestEntityTooLarge', `The message is ${Buffer.byteLength(raw)} bytes; a message may be at most ${maxMessageBytes} bytes.`);
      const parsed = await readJson<{ content?: unknown; type?: string }>(request, (message) => serviceError(400, 'BadRequest', message));
      if ('error' in parsed) return parsed.error;
      if (typeof parsed.body.content !== 'string' || parsed.body.content === '') {
        return serviceError(400, 'BadRequest', 'The message needs a non-empty "content" string.');
      }
      const message = omnichannel.customerMessaged(access.chat, parsed.body.content);
      return HttpResponse.json({ id: message.id }, { status: 201 });
    }),
  ];
}

/** The REST ChatMessage shape (d365-omnichannel.md §3.2). */
function chatMessage(message: ThreadMessage) {
  return {
    id: message.id,
    type: 'text',
    sequenceId: message.sequenceId,
    version: message.id,
    content: { message: message.content },
    senderDisplayName: message.senderDisplayName,
    senderCommunicationIdentifier: { rawId: message.senderId, communicationUser: { id: message.senderId } },
    createdOn: new Date(message.createdOn).toISOString(),
    metadata: { deliveryMode: 'bridged', tags: message.tags },
  };
}
