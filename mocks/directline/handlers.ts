import { http, HttpResponse } from 'msw';
import type { Activity, DirectLineConversation } from '../../src/copilot/direct-line-channel';
import type { Simulation } from '../../src/sim/simulation';
import { bearerOf, readJson, serviceError } from '../errors';

const base = '*/v3/directline';

type Access = { kind: 'secret' } | { kind: 'token'; conversationId: string; token: string };

/** Direct Line 3.0 as the copilot's own embed code uses it (copilot-protocol.md §2). */
export function directLineHandlers(sim: Simulation) {
  const channel = sim.directLine;

  /** Secret or token in the Authorization header, checked as the service does (copilot-protocol.md §2.1, §2.7). */
  function authenticate(request: Request): Access | Response {
    const credential = bearerOf(request);
    if (!credential) return serviceError(401, 'BadArgument', 'Missing token or secret');
    if (credential === channel.secret) return { kind: 'secret' };
    const check = sim.tokens.check(credential);
    if (!check.valid) {
      return check.reason === 'expired' ? serviceError(403, 'TokenExpired', 'Token expired') : serviceError(403, 'BadArgument', 'Invalid token or secret');
    }
    if (check.claims.scope !== 'directline:conversation' || !check.claims.conv) return serviceError(403, 'BadArgument', 'Invalid token or secret');
    return { kind: 'token', conversationId: check.claims.conv, token: credential };
  }

  function conversationFor(request: Request, id: string): DirectLineConversation | Response {
    const access = authenticate(request);
    if (access instanceof Response) return access;
    if (access.kind === 'token' && access.conversationId !== id) return serviceError(403, 'BadArgument', 'Security token not valid for this conversation');
    const conversation = channel.conversation(id);
    if (!conversation) return serviceError(404, 'BadArgument', 'Unknown conversation');
    return conversation;
  }

  return [
    http.post(`${base}/tokens/generate`, async ({ request }) => {
      const access = authenticate(request);
      if (access instanceof Response) return access;
      if (access.kind !== 'secret') return serviceError(403, 'BadArgument', 'A token can only be generated with the secret');
      const parsed = await readJson<{ user?: { id?: string; name?: string } }>(request, (message) => serviceError(400, 'BadArgument', message));
      if ('error' in parsed) return parsed.error;
      const conversationId = channel.newConversationId();
      return HttpResponse.json({ conversationId, token: channel.issueToken(conversationId, parsed.body.user), expires_in: channel.tokenLifetimeSeconds });
    }),

    http.post(`${base}/tokens/refresh`, ({ request }) => {
      const access = authenticate(request);
      if (access instanceof Response) return access;
      // Only a token can be refreshed, and only while it is still valid (copilot-protocol.md §2.1).
      if (access.kind !== 'token') return serviceError(403, 'BadArgument', 'Only a token can be refreshed, not a secret');
      return HttpResponse.json({ conversationId: access.conversationId, token: channel.issueToken(access.conversationId), expires_in: channel.tokenLifetimeSeconds });
    }),

    http.post(`${base}/conversations`, async ({ request }) => {
      const access = authenticate(request);
      if (access instanceof Response) return access;
      const parsed = await readJson<{ user?: { id?: string; name?: string } }>(request, (message) => serviceError(400, 'BadArgument', message));
      if ('error' in parsed) return parsed.error;
      const existing = access.kind === 'token' ? channel.conversation(access.conversationId) : undefined;
      // 201 for a new conversation, 200 when started again with the same token (copilot-protocol.md §2.2).
      if (existing) return HttpResponse.json(conversationResource(existing.id, access.kind === 'token' ? access.token : channel.issueToken(existing.id)), { status: 200 });
      const conversationId = access.kind === 'token' ? access.conversationId : channel.newConversationId();
      const token = access.kind === 'token' ? access.token : channel.issueToken(conversationId, parsed.body.user);
      channel.start(conversationId, token);
      return HttpResponse.json(conversationResource(conversationId, token), { status: 201 });
    }),

    http.get(`${base}/conversations/:conversationId/activities`, ({ request, params }) => {
      const conversation = conversationFor(request, String(params['conversationId']));
      if (conversation instanceof Response) return conversation;
      const raw = new URL(request.url).searchParams.get('watermark');
      const watermark = raw === null || raw === '' ? 0 : Number(raw);
      if (!Number.isInteger(watermark) || watermark < 0) return serviceError(400, 'BadArgument', `Invalid watermark "${raw}"`);
      return HttpResponse.json(channel.activitiesAfter(conversation, watermark));
    }),

    http.post(`${base}/conversations/:conversationId/activities`, async ({ request, params }) => {
      const conversation = conversationFor(request, String(params['conversationId']));
      if (conversation instanceof Response) return conversation;
      const parsed = await readJson<Activity>(request, (message) => serviceError(400, 'BadArgument', message));
      if ('error' in parsed) return parsed.error;
      if (typeof parsed.body.type !== 'string' || !parsed.body.type) return serviceError(400, 'MissingProperty', 'The activity has no "type".');
      if (!parsed.body.from?.id) return serviceError(400, 'MissingProperty', 'The activity has no "from.id".');
      const stored = channel.receive(conversation, parsed.body);
      return HttpResponse.json({ id: stored.id });
    }),
  ];

  function conversationResource(conversationId: string, token: string) {
    return { conversationId, token, expires_in: channel.tokenLifetimeSeconds, streamUrl: `wss://directline.handoff.test/v3/directline/conversations/${conversationId}/stream?t=${token}` };
  }
}
