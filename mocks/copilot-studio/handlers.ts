import { http, HttpResponse } from 'msw';
import type { Simulation } from '../../src/sim/simulation';
import { serviceError } from '../errors';

/** The Power Platform host's paths a canvas calls before Direct Line (copilot-protocol.md §4.1, surface A). */
export const copilotStudioPathPrefixes = ['/powervirtualagents/', '/api/botmanagement/'] as const;

/** Copilot Studio tokens observed with `expires_in: 3600` (copilot-protocol.md §4.1). */
const copilotStudioTokenSeconds = 3600;

/**
 * Copilot Studio's token endpoint and regional channel settings (copilot-protocol.md §4.1): a page gets a
 * token bound to a new conversation, then finds the regional Direct Line base URL. Host-agnostic like
 * the Direct Line handlers, so the regional URL is the host the page called.
 */
export function copilotStudioHandlers(sim: Simulation) {
  const channel = sim.directLine;

  function apiVersionMissing(request: Request): Response | undefined {
    if (new URL(request.url).searchParams.get('api-version')) return undefined;
    // The Power Platform API's error code for this is UNCONFIRMED; the status is the usual 400.
    return serviceError(400, 'MissingApiVersionParameter', 'The api-version query parameter is missing. Copilot Studio\'s endpoints are versioned. Add ?api-version=2022-03-01-preview.');
  }

  function tokenFor(): { token: string; expires_in: number; conversationId: string } {
    const conversationId = channel.newConversationId();
    return { token: channel.issueToken(conversationId, undefined, copilotStudioTokenSeconds), expires_in: copilotStudioTokenSeconds, conversationId };
  }

  return [
    http.get('*/powervirtualagents/botsbyschema/:schemaName/directline/token', ({ request, params }) => {
      const missing = apiVersionMissing(request);
      if (missing) return missing;
      const copilot = sim.copilot;
      const schemaName = String(params['schemaName']);
      if (!copilot || schemaName.toLowerCase() !== copilot.schemaName.toLowerCase()) {
        return serviceError(404, 'BotNotFound', `No copilot with the schema name "${schemaName}" in this environment. The token endpoint names the copilot by its schema name. Use ${copilot ? `"${copilot.schemaName}"` : 'the schema name handoff serve printed'}.`);
      }
      // No Authorization unless "secured access" is on (copilot-protocol.md §4.1); the token binds one conversation.
      return HttpResponse.json(tokenFor());
    }),

    http.get('*/powervirtualagents/regionalchannelsettings', ({ request }) => {
      const missing = apiVersionMissing(request);
      if (missing) return missing;
      const origin = new URL(request.url).origin;
      // Keep the trailing "/": clients build new URL("v3/directline", directline) (copilot-protocol.md §4.1).
      return HttpResponse.json({ channelUrlsById: { directline: `${origin}/`, webchat: `${origin}/` } });
    }),

    http.get('*/api/botmanagement/v1/directline/directlinetoken', ({ request }) => {
      const botId = new URL(request.url).searchParams.get('botId') ?? '';
      const copilot = sim.copilot;
      if (!copilot || botId.toLowerCase() !== copilot.botId.toLowerCase()) {
        return serviceError(404, 'BotNotFound', `No copilot with the id "${botId}". The legacy token endpoint names the copilot by ?botId=. Use ${copilot ? `"${copilot.botId}"` : 'the bot id handoff serve printed'}.`);
      }
      return HttpResponse.json({ token: tokenFor().token });
    }),
  ];
}
