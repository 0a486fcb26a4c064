import type { DirectLineConversation, DirectLineUser } from '../../src/copilot/direct-line-channel';
import { userOf } from '../../src/copilot/direct-line-channel';
import type { Simulation } from '../../src/sim/simulation';
import type { TokenClaims } from '../../src/sim/tokens';
import { bearerOf, serviceError } from '../errors';

/** What the Authorization header proved: the bot's secret, or a token bound to one conversation (copilot-protocol.md §2.1). */
export type Access =
  | { kind: 'secret' }
  | { kind: 'token'; token: string; claims: TokenClaims; conversationId: string; user?: DirectLineUser };

/**
 * The service's answers to bad credentials (copilot-protocol.md §2.7): 401 when the header is missing or
 * malformed, 403 `TokenExpired` for an expired token, 403 `BadArgument` for anything else it cannot
 * accept. Codes and statuses are what clients react to (§3.4); the messages start with the observed text.
 */
export const authErrors = {
  missing: () =>
    serviceError(401, 'BadArgument', 'Missing token or secret. Direct Line needs "Authorization: Bearer <secret or token>" on every call. Send the secret that handoff serve printed, or a token from tokens/generate.'),
  invalid: () =>
    serviceError(403, 'BadArgument', 'Invalid token or secret. The credential is not this bot\'s secret nor a token it issued. Use the secret that handoff serve printed, or a token from tokens/generate.'),
  expired: () =>
    serviceError(403, 'TokenExpired', 'Token expired. Direct Line tokens live 30 minutes unless refreshed. Refresh tokens before they expire (POST /v3/directline/tokens/refresh), or get a new one.'),
  otherConversation: () =>
    serviceError(403, 'BadArgument', 'Security token not valid for this conversation. A token is bound to the one conversation it was issued for. Use the token returned for this conversation, or the secret.'),
};

export function unknownConversation(id: string): Response {
  return serviceError(404, 'BadArgument', `Unknown conversation. Direct Line has no conversation "${id}", or it has forgotten it. Start a new conversation with POST /v3/directline/conversations.`);
}

/** Checks the Authorization header as the service does (copilot-protocol.md §2.1, §2.7). */
export function authenticate(sim: Simulation, request: Request): Access | Response {
  const credential = bearerOf(request);
  if (!credential) return authErrors.missing();
  if (credential === sim.directLine.secret) return { kind: 'secret' };
  const check = sim.directLine.checkToken(credential);
  if (!check.valid) return check.reason === 'expired' ? authErrors.expired() : authErrors.invalid();
  // Stream tokens (`t=`) and other services' tokens are not Direct Line conversation tokens.
  if (check.claims.scope !== 'directline:conversation' || !check.claims.conv) return authErrors.invalid();
  return { kind: 'token', token: credential, claims: check.claims, conversationId: check.claims.conv, user: userOf(check.claims) };
}

/** The conversation a call names, if the credential may use it: 403 for another conversation's token, 404 when unknown or forgotten. */
export function conversationFor(sim: Simulation, request: Request, id: string): { access: Access; conversation: DirectLineConversation } | Response {
  const access = authenticate(sim, request);
  if (access instanceof Response) return access;
  if (access.kind === 'token' && access.conversationId !== id) return authErrors.otherConversation();
  const conversation = sim.directLine.conversation(id);
  if (!conversation) return unknownConversation(id);
  return { access, conversation };
}

/**
 * A watermark from a query string: empty or absent means "from the start" (copilot-protocol.md §2.3).
 * The mock's watermarks are the sequence number of the last activity a client has, so anything else is
 * a 400 with the service's `BadArgument` code.
 */
export function readWatermark(url: URL): number | Response {
  const raw = url.searchParams.get('watermark');
  if (raw === null || raw === '') return -1;
  if (!/^\d{1,9}$/.test(raw)) {
    return serviceError(400, 'BadArgument', `Invalid watermark "${raw}". Watermarks are opaque values this service returned in an ActivitySet. Send back the last watermark you received, or none to read from the start.`);
  }
  return Number(raw);
}
