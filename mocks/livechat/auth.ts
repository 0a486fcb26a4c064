import { HttpResponse } from 'msw';
import { decodeJwt } from 'jose';

/** The signed-in customer of an authenticated chat, as its website's JWT describes them (d365-omnichannel.md §6.2). */
export interface CustomerIdentity {
  /** The contact or account id (`sub`), which reconnectable chats and chat ownership are keyed by. */
  sub: string;
  /** `lwicontexts`: context variables the website passes in the token, as customContextData entries. */
  contextData: Record<string, unknown>;
}

/** The connector's error bodies are never parsed by clients (d365-omnichannel.md §7): status and headers matter. */
export function connectorError(status: number, message: string, headers?: Record<string, string>): Response {
  return HttpResponse.json({ message }, { status, headers });
}

/**
 * Reads `AuthenticatedUserToken` (d365-omnichannel.md §2.1) on an `/auth/` route. The real service checks
 * the RS256 signature against the widget's public key URL, which an offline simulation cannot fetch, so
 * only the claims are checked: a JWT with `exp` in the future on the virtual clock, and a `sub` (§6.2).
 * Invalid or expired tokens get 401 (status UNCONFIRMED, §7); a token without `sub` gets 401 with the
 * header `message: UserId not found`, which the SDK turns into AuthContactIdNotFoundFailure (§7).
 */
export function authenticatedCustomer(request: Request, now: number): { identity: CustomerIdentity } | { error: Response } {
  const token = request.headers.get('authenticatedusertoken')?.trim();
  if (!token) {
    return { error: connectorError(401, 'The authenticated chat call has no AuthenticatedUserToken header. Routes under /auth/ need the signed-in customer\'s JWT. Pass it with chatSDKConfig.getAuthToken.') };
  }
  let claims: Record<string, unknown>;
  try {
    claims = decodeJwt(token);
  } catch (error) {
    return { error: connectorError(401, `The AuthenticatedUserToken is not a JWT: ${(error as Error).message}. The customer's token must be a JWT with sub, iat and exp claims. Check what getAuthToken returns.`) };
  }
  if (typeof claims['exp'] !== 'number' || claims['exp'] * 1000 <= now) {
    return { error: connectorError(401, `The AuthenticatedUserToken has expired (exp ${String(claims['exp'])}, now ${Math.floor(now / 1000)} on the simulation's clock). Expired customer tokens are refused. Issue a fresh token.`) };
  }
  const sub = claims['sub'];
  if (typeof sub !== 'string' || sub === '') {
    return { error: connectorError(401, 'The AuthenticatedUserToken has no sub claim. The sub claim names the contact or account the chat belongs to. Add it to the token.', { message: 'UserId not found' }) };
  }
  let contextData: Record<string, unknown> = {};
  const lwicontexts = claims['lwicontexts'];
  if (lwicontexts !== undefined) {
    // A JSON *string* of context variables (§6.2).
    try {
      const parsed = typeof lwicontexts === 'string' ? (JSON.parse(lwicontexts) as unknown) : lwicontexts;
      if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('it is not a JSON object');
      contextData = parsed as Record<string, unknown>;
    } catch (error) {
      return { error: connectorError(401, `The lwicontexts claim of the AuthenticatedUserToken is not a JSON object: ${(error as Error).message}. It carries context variables as a JSON string. Encode it with JSON.stringify.`) };
    }
  }
  return { identity: { sub, contextData } };
}
