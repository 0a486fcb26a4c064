/**
 * Keeps secrets out of every report and log: Direct Line secrets and tokens, chat tokens (JWTs), bearer
 * credentials, values configured as secret, and any value stored under a name that says it is one.
 */

/** What a secret is replaced with. */
export const redactedMark = '[redacted]';

/** A JWT: three base64url parts, the header starting with `{"` (`eyJ`). Direct Line and ACS chat tokens are JWTs (copilot-protocol.md §2.1). */
const jwtPattern = /\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}/g;
/** `Authorization: Bearer <secret-or-token>` as Direct Line takes it (copilot-protocol.md §2.1). */
const bearerPattern = /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{8,}/gi;
/** Names whose values are secret wherever they appear: context variables, event values, settings. */
const secretNamePattern = /secret|passw(or)?d|token|authori[sz]ation|api[-_]?key|credential|connection[-_]?string/i;
/** Environment variables whose values are secret, as CI systems mask them. */
const secretEnvironmentPattern = /SECRET|TOKEN|PASSWORD|PASSWD|API_?KEY|CREDENTIAL|CONNECTION_?STRING/i;
/** Where a JWT or a bearer credential may be: most strings hold neither, and one scan rules out both. */
const credentialHint = /eyJ|bearer|basic/i;
/** Shorter values are too likely to be ordinary words to replace wherever they occur. */
const shortestSecret = 8;

export class Redactor {
  /** Longest first, so a secret that contains another is replaced whole. */
  #values: string[] = [];

  constructor(secrets: Iterable<string> = []) {
    for (const secret of secrets) this.addSecret(secret);
  }

  /** Registers a value that must never be written; values shorter than 8 characters are ignored. */
  addSecret(value: string | undefined): void {
    if (!value || value.length < shortestSecret || this.#values.includes(value)) return;
    this.#values = [...this.#values, value].sort((a, b) => b.length - a.length);
  }

  /**
   * Replaces known secrets, JWTs and bearer credentials in a piece of text. Known secrets are searched as
   * plain strings: a scenario makes a redactor of its own, and compiling a pattern of its secrets would
   * cost more than all the searches it makes.
   */
  text(text: string): string {
    if (text.length < shortestSecret) return text;
    let result = text;
    for (const secret of this.#values) if (result.includes(secret)) result = result.replaceAll(secret, redactedMark);
    if (!credentialHint.test(result)) return result;
    if (result.includes('eyJ')) result = result.replace(jwtPattern, redactedMark);
    if (/bearer|basic/i.test(result)) result = result.replace(bearerPattern, (_match, scheme: string) => `${scheme} ${redactedMark}`);
    return result;
  }

  /**
   * The value with every string redacted, and every value stored under a secret-sounding name
   * (`DirectLineSecret`, `chatToken`, `Authorization`) replaced whole. Objects that hold no secret are
   * returned as they are; the others are copied, never changed in place.
   */
  value<T>(value: T): T {
    return this.#walk(value, false, true) as T;
  }

  /** The same by content only, for cucumber's messages, whose field names are cucumber's own. */
  strings<T>(value: T): T {
    return this.#walk(value, false, false) as T;
  }

  #walk(value: unknown, secretName: boolean, byName: boolean): unknown {
    if (secretName && value !== null && value !== undefined && typeof value !== 'object') return redactedMark;
    if (typeof value === 'string') return this.text(value);
    if (Array.isArray(value)) {
      let copy: unknown[] | undefined;
      value.forEach((item, index) => {
        const redacted = this.#walk(item, secretName, byName);
        if (redacted !== item) (copy ??= [...value])[index] = redacted;
      });
      return copy ?? value;
    }
    if (value && typeof value === 'object') {
      let copy: Record<string, unknown> | undefined;
      for (const key in value) {
        const item = (value as Record<string, unknown>)[key];
        const redacted = this.#walk(item, secretName || (byName && isSecretName(key)), byName);
        if (redacted !== item) (copy ??= { ...(value as Record<string, unknown>) })[key] = redacted;
      }
      return copy ?? value;
    }
    return value;
  }
}

/**
 * The secrets a run is configured with: every environment variable named like a secret, plus
 * `HANDOFF_SECRETS` (values separated by commas or new lines) for anything else.
 */
export function secretsFromEnvironment(environment: NodeJS.ProcessEnv = process.env): string[] {
  const secrets: string[] = [];
  for (const [name, value] of Object.entries(environment)) {
    if (!value) continue;
    if (name === 'HANDOFF_SECRETS') secrets.push(...value.split(/[,\n]/).map((s) => s.trim()).filter(Boolean));
    else if (secretEnvironmentPattern.test(name)) secrets.push(value);
  }
  return secrets;
}

/** The redactor every report writer uses unless given another. */
export function createRedactor(environment: NodeJS.ProcessEnv = process.env): Redactor {
  return new Redactor(secretsFromEnvironment(environment));
}

/** Whether a name says its value is secret; a timeline repeats a few dozen names thousands of times, so each is tested once. */
const secretNames = new Map<string, boolean>();

function isSecretName(name: string): boolean {
  let secret = secretNames.get(name);
  if (secret === undefined) {
    secret = secretNamePattern.test(name);
    if (secretNames.size < 10_000) secretNames.set(name, secret);
  }
  return secret;
}
