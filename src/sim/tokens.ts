import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * JWT-shaped tokens (HS256) signed with a per-simulation key. Real clients decode them (the chat SDK reads
 * `exp`, copilot-protocol.md §2.1 treats Direct Line tokens as opaque JWTs); the mocks verify the
 * signature and the expiry against the virtual clock, as the real services reject forged or expired tokens.
 */
export interface TokenClaims {
  /** What the token grants, e.g. `directline:conversation` or `acs:chat`. */
  scope: string;
  /** The conversation (or thread) the token is bound to, if any. */
  conv?: string;
  sub?: string;
  iat: number;
  exp: number;
  [claim: string]: unknown;
}

export type TokenCheck = { valid: true; claims: TokenClaims } | { valid: false; reason: 'malformed' | 'signature' | 'expired' };

export class TokenService {
  readonly #key: Buffer;
  readonly #now: () => number;
  /**
   * The claims of every token this service signed, by token: checking one of them needs no second HMAC
   * (a client sends its token with every request). Other tokens, forged ones included, are verified in full.
   */
  readonly #issued = new Map<string, TokenClaims>();

  constructor(key: string, now: () => number) {
    this.#key = Buffer.from(key);
    this.#now = now;
  }

  issue(claims: Omit<TokenClaims, 'iat' | 'exp'>, lifetimeSeconds: number): string {
    const iat = Math.floor(this.#now() / 1000);
    const header = encode({ alg: 'HS256', typ: 'JWT' });
    const signed = { ...claims, iat, exp: iat + lifetimeSeconds } as TokenClaims;
    const payload = encode(signed);
    const token = `${header}.${payload}.${this.#sign(`${header}.${payload}`)}`;
    this.#issued.set(token, signed);
    return token;
  }

  check(token: string): TokenCheck {
    const issued = this.#issued.get(token);
    if (issued) return this.#unexpired({ ...issued });
    const parts = token.split('.');
    if (parts.length !== 3) return { valid: false, reason: 'malformed' };
    const [header, payload, signature] = parts as [string, string, string];
    const expected = Buffer.from(this.#sign(`${header}.${payload}`));
    const given = Buffer.from(signature);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return { valid: false, reason: 'signature' };
    let claims: TokenClaims;
    try {
      claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as TokenClaims;
    } catch {
      return { valid: false, reason: 'malformed' };
    }
    return this.#unexpired(claims);
  }

  #unexpired(claims: TokenClaims): TokenCheck {
    if (typeof claims.exp !== 'number' || claims.exp * 1000 <= this.#now()) return { valid: false, reason: 'expired' };
    return { valid: true, claims };
  }

  #sign(data: string): string {
    return createHmac('sha256', this.#key).update(data).digest('base64url');
  }
}

function encode(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}
