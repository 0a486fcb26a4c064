import { http, HttpResponse } from 'msw';
import type { InitContext } from '../../src/d365/omnichannel';
import type { Simulation } from '../../src/sim/simulation';
import { readJson } from '../errors';
import { liveChatRoutes, routeParams } from './urls';
import { liveChatConfig, transcriptMessage } from './payloads';

export interface LiveChatOptions {
  /** The messaging plane's base URL handed to clients; must end with `/` (d365-omnichannel.md §2.4.3). */
  acsEndpoint?: (request: Request) => string;
}

/** The connector's error bodies are never parsed by clients (d365-omnichannel.md §7): status and headers matter. */
function connectorError(status: number, message: string, headers?: Record<string, string>): Response {
  return HttpResponse.json({ message }, { status, headers });
}

/** The live chat connector that the chat SDK and widget call (d365-omnichannel.md §2). */
export function liveChatHandlers(sim: Simulation, options: LiveChatOptions = {}) {
  const omnichannel = sim.omnichannel;
  const unknownWidget = (orgId: string, widgetId: string) =>
    connectorError(404, `No chat widget ${widgetId} in organization ${orgId}. Use the orgId and widgetId the simulation printed.`, { errorcode: '701' });

  return [
    http.get(liveChatRoutes.config, ({ request }) => {
      const { orgId = '', widgetId = '' } = routeParams(liveChatRoutes.config, request.url);
      if (!omnichannel.isKnownWidget(orgId, widgetId)) return unknownWidget(orgId, widgetId);
      return HttpResponse.json(liveChatConfig(omnichannel), { headers: { date: sim.clock.isoNow() } });
    }),

    http.post(liveChatRoutes.createConversation, async ({ request }) => {
      const { orgId = '', widgetId = '' } = routeParams(liveChatRoutes.createConversation, request.url);
      if (!omnichannel.isKnownWidget(orgId, widgetId)) return unknownWidget(orgId, widgetId);
      const parsed = await readJson<InitContext & { requestId?: string }>(request, (message) => connectorError(400, message));
      if ('error' in parsed) return parsed.error;
      // ocsdk sends the requestId as a header on this call (d365-omnichannel.md §2.1).
      const requestId = request.headers.get('request-id') ?? request.headers.get('x-ms-client-request-id') ?? parsed.body.requestId;
      if (!requestId) return connectorError(400, 'The conversation request has no Request-Id header. Clients send the conversation requestId with every connector call.');
      if (omnichannel.chatByRequestId(requestId)) return connectorError(400, `A conversation with requestId ${requestId} already exists.`);
      const chat = omnichannel.createConversation({ orgId, widgetId, requestId, initContext: parsed.body });
      const token = sim.tokens.issue({ scope: 'acs:chat', conv: chat.chatId, sub: chat.visitorId }, 24 * 3600);
      const acsEndpoint = options.acsEndpoint?.(request) ?? `${new URL(request.url).origin}/`;
      return HttpResponse.json(
        {
          ChatId: chat.chatId,
          Token: token,
          ExpiresIn: new Date(sim.clock.now() + 24 * 3600_000).toISOString(),
          VisitorId: chat.visitorId,
          // RegionGtms must be a JSON string: the SDK always JSON.parses it (d365-omnichannel.md §2.4.3).
          RegionGtms: '{}',
          ACSEndpoint: acsEndpoint,
        },
        { headers: { 'oc-sessionid': chat.id } },
      );
    }),

    http.get(liveChatRoutes.workItemDetails, ({ request }) => {
      const { requestId = '' } = routeParams(liveChatRoutes.workItemDetails, request.url);
      const chat = omnichannel.chatByRequestId(requestId);
      // Unknown ids get 400, not 404: the SDK retries 404 for minutes (d365-omnichannel.md §2.2).
      if (!chat) return connectorError(400, `No conversation with requestId ${requestId}.`);
      const status = omnichannel.workItemStatus(chat);
      return HttpResponse.json({
        State: status.state,
        ConversationId: chat.id,
        AgentAcceptedOn: chat.agentAcceptedOn === undefined ? null : new Date(chat.agentAcceptedOn).toISOString(),
        CanRenderPostChat: chat.agentAcceptedOn === undefined ? 'False' : 'True',
        ParticipantType: chat.agentAcceptedOn === undefined ? 'Bot' : 'User',
      });
    }),

    http.post(liveChatRoutes.sessionClose, async ({ request }) => {
      const { requestId = '' } = routeParams(liveChatRoutes.sessionClose, request.url);
      const chat = omnichannel.chatByRequestId(requestId);
      if (!chat) return connectorError(400, `No conversation with requestId ${requestId}.`);
      const parsed = await readJson<{ chatId?: string }>(request, (message) => connectorError(400, message));
      if ('error' in parsed) return parsed.error;
      omnichannel.customerEnded(chat);
      return new HttpResponse(null, { status: 200 });
    }),

    http.get(liveChatRoutes.transcript, ({ request }) => {
      const { chatId = '' } = routeParams(liveChatRoutes.transcript, request.url);
      const chat = omnichannel.chatByThread(chatId);
      if (!chat) return connectorError(400, `No conversation with chat id ${chatId}.`);
      // Newest first, as a JSON string (d365-omnichannel.md §8).
      const messages = [...chat.thread].reverse().map(transcriptMessage);
      return HttpResponse.json({ chatMessagesJson: JSON.stringify(messages) });
    }),
  ];
}
