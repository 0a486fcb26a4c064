import { Faker, base, en } from '@faker-js/faker';
import type { RecordingEntry } from '../recording';

/**
 * The people a conversation names: customers' and agents' display names as the input gives them.
 * Copilot names are kept apart: a copilot is not a person and its name is not replaced.
 */
export class PeopleRegister {
  readonly people: string[] = [];
  readonly copilots = new Set<string>();

  addPerson(displayName: unknown): void {
    const name = normalizeName(displayName);
    if (name && !isRoleLabel(name) && !this.people.includes(name)) this.people.push(name);
  }

  addCopilot(displayName: unknown): void {
    const name = normalizeName(displayName);
    if (name) this.copilots.add(name);
  }
}

/** Entry fields that can hold personal data; the others are ids, kinds and names of things. */
const scrubbedFields = ['text', 'displayName', 'value', 'variables', 'agentMessage', 'agent', 'detail', 'attachments', 'suggestedActions'] as const;

/**
 * Replaces personal data in the entries, in place: e-mail addresses, phone numbers, card numbers
 * (13 to 19 digits passing the Luhn check) and people's names (display names, names they introduce
 * themselves with, and surnames written next to a known first name). The same original always gets
 * the same replacement within one conversation, and the replacements come from a Faker seeded with
 * `seed`, so importing the same file twice gives the same bytes.
 */
export function pseudonymizeEntries(entries: RecordingEntry[], people: PeopleRegister, seed: number): void {
  const faker = new Faker({ locale: [en, base], seed });
  const names = learnNames(entries, people);
  const replacer = new Replacer(faker, names, [...people.copilots]);
  for (const entry of entries) {
    const fields = entry as unknown as Record<string, unknown>;
    for (const field of scrubbedFields) {
      if (fields[field] !== undefined) fields[field] = replacer.scrubValue(fields[field]);
    }
  }
}

/** A 32-bit FNV-1a hash of the text: the default seed, so a file always gets the same pseudonyms. */
export function hashText(text: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index += 1) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** The Luhn checksum that every payment card number passes. */
export function passesLuhn(digits: string): boolean {
  let sum = 0;
  for (let index = 0; index < digits.length; index += 1) {
    let digit = digits.charCodeAt(digits.length - 1 - index) - 48;
    if (index % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
}

/** Labels that channels use instead of a name (`User`, `C2 User`, `Customer`, `__agent__`). */
function isRoleLabel(name: string): boolean {
  return /^(?:c\d\s+)?(?:user|customer|visitor|guest|bot|agent|representative|system|anonymous|you|me)$/i.test(name) || name.startsWith('__');
}

function normalizeName(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const name = value.replace(/\s+/g, ' ').trim();
  return name.length >= 2 ? name : undefined;
}

/** A capitalized word that can be part of a name (letters, apostrophes, hyphens). */
const nameWord = "\\p{Lu}[\\p{Ll}'’-]+";
const introduction = new RegExp(`\\b(?:my name is|my name's|I am|I'm|this is|call me)\\s+(${nameWord}(?:\\s+${nameWord})?)`, 'gu');
/** Capitalized words that follow "I'm" or "this is" without being names. */
const notNames = new Set(
  'Sorry Not Here Looking Trying Having Calling Just Still Happy Glad Fine Good Interested Afraid Unable Able Ready Back Also Very Really So Okay Going Getting Writing Contacting Reaching Following Checking Asking Wondering New Currently Now Your The This That It'.split(' '),
);

/** Variables that hold a person's name: `CustomerName`, `msdyn_CustomerName`, `FirstName`, … */
const personNameKey = /name$/i;
const notPersonNameKey = /bot|topic|queue|skill|file|company|account|product|organi[sz]ation|user_?name|display/i;
const personNameValue = /^\p{Lu}[\p{Ll}'’-]+(?: \p{Lu}[\p{Ll}'’-]+){0,2}$/u;

/** Every (name, value) pair of the handoff variables, variable assignments and event values. */
function* namedValues(entries: RecordingEntry[]): Generator<[string, unknown]> {
  for (const entry of entries) {
    if (entry.kind === 'variable') yield [entry.name, entry.value];
    const values = entry.kind === 'handoff' ? entry.variables : entry.kind === 'event' ? entry.value : undefined;
    if (values !== null && typeof values === 'object' && !Array.isArray(values)) yield* Object.entries(values);
  }
}

interface NameParts {
  full: string;
  tokens: string[];
}

/** Every name to replace, in a fixed order: display names, then names found in text, in timeline order. */
function learnNames(entries: RecordingEntry[], people: PeopleRegister): NameParts[] {
  const found: string[] = [...people.people];
  const texts = entries
    .filter((entry) => entry.kind === 'message' && (entry.party === 'customer' || entry.party === 'agent'))
    .map((entry) => (entry as { text: string }).text);
  for (const text of texts) {
    for (const match of text.matchAll(introduction)) {
      const words = (match[1] as string).split(' ').filter((word) => !notNames.has(word));
      // "I'm Maria Lopez" keeps both words; "I'm Maria and" stops at the lowercase word already.
      const name = words.join(' ');
      if (name && !found.includes(name)) found.push(name);
    }
  }
  for (const [key, value] of namedValues(entries)) {
    const name = typeof value === 'string' ? value.trim() : '';
    if (personNameKey.test(key) && !notPersonNameKey.test(key) && personNameValue.test(name) && !found.includes(name)) found.push(name);
  }
  const known = found.filter((name) => ![...people.copilots].some((copilot) => copilot === name));
  // A surname written right after a known first name ("Dana" in the roster, "Dana Whitfield" in text).
  const firstNames = known.filter((name) => !name.includes(' '));
  if (firstNames.length > 0) {
    const allTexts = entries.filter((entry) => entry.kind === 'message').map((entry) => (entry as { text: string }).text);
    const adjacent = new RegExp(`(?<![\\p{L}\\p{N}])(${firstNames.map(escapeRegExp).join('|')})\\s+(${nameWord})`, 'gu');
    for (const text of allTexts) {
      for (const match of text.matchAll(adjacent)) {
        const full = `${match[1]} ${match[2]}`;
        if (!notNames.has(match[2] as string) && !known.includes(full)) known.push(full);
      }
    }
  }
  return known.map((full) => ({ full, tokens: full.split(' ').filter((token) => /^\p{L}[\p{L}'’-]+$/u.test(token)) }));
}

class Replacer {
  readonly #faker: Faker;
  /** Original → replacement, for names, name parts, e-mail addresses, phone and card numbers. */
  readonly #names = new Map<string, string>();
  readonly #emails = new Map<string, string>();
  readonly #phones = new Map<string, string>();
  readonly #cards = new Map<string, string>();
  readonly #namePattern: RegExp | undefined;

  constructor(faker: Faker, names: NameParts[], copilots: string[]) {
    this.#faker = faker;
    const originals = new Set(names.flatMap((name) => [name.full, ...name.tokens]));
    for (const name of names) {
      const replacementTokens = name.tokens.map((token, index) => {
        const known = this.#names.get(token);
        if (known) return known;
        const isLast = index === name.tokens.length - 1 && name.tokens.length > 1;
        const replacement = this.#fresh(() => (isLast ? faker.person.lastName() : faker.person.firstName()), originals);
        this.#names.set(token, replacement);
        return replacement;
      });
      if (!this.#names.has(name.full)) {
        let replaced = name.full;
        name.tokens.forEach((token, index) => {
          replaced = replaced.replace(token, replacementTokens[index] as string);
        });
        this.#names.set(name.full, replaced);
      }
    }
    // A copilot's name maps to itself: as the longer match it shields a person's name inside it
    // ("Contoso" of "Contoso Helper" when someone is called Contoso).
    for (const copilot of copilots) if (!this.#names.has(copilot)) this.#names.set(copilot, copilot);
    const keys = [...this.#names.keys()].sort((a, b) => b.length - a.length);
    this.#namePattern = keys.length > 0 ? new RegExp(`(?<![\\p{L}\\p{N}_])(?:${keys.map(escapeRegExp).join('|')})(?![\\p{L}\\p{N}_])`, 'gu') : undefined;
  }

  scrubValue(value: unknown): unknown {
    if (typeof value === 'string') return this.scrubText(value);
    if (Array.isArray(value)) return value.map((item) => this.scrubValue(item));
    if (value !== null && typeof value === 'object') {
      const result: Record<string, unknown> = {};
      for (const [key, item] of Object.entries(value)) result[key] = this.scrubValue(item);
      return result;
    }
    return value;
  }

  scrubText(text: string): string {
    // One pass over e-mails, card-like and phone-like runs, so a replacement is never scanned again.
    let result = text.replace(contactPattern, (match: string, email?: string, card?: string, phone?: string) => {
      if (email) return this.#email(email);
      if (card) return this.#card(card) ?? this.#phone(card) ?? card;
      if (phone) return this.#phone(phone) ?? phone;
      return match;
    });
    if (this.#namePattern) result = result.replace(this.#namePattern, (name) => this.#names.get(name) ?? name);
    return result;
  }

  #email(original: string): string {
    const key = original.toLowerCase();
    return remember(this.#emails, key, () => this.#faker.internet.exampleEmail().toLowerCase());
  }

  #card(original: string): string | undefined {
    const digits = original.replace(/\D/g, '');
    if (digits.length < 13 || digits.length > 19 || !passesLuhn(digits)) return undefined;
    // Same issuer digit and grouping, new digits, a valid check digit: replay code that validates cards still works.
    const pattern = original.trim().replace(/\d/g, '#').replace(/^#/, digits.charAt(0)).replace(/#$/, 'L');
    return remember(this.#cards, digits, () => this.#faker.helpers.replaceCreditCardSymbols(pattern));
  }

  #phone(original: string): string | undefined {
    if (!looksLikePhone(original)) return undefined;
    const digits = original.replace(/\D/g, '');
    return remember(this.#phones, digits, () => this.#newPhone(original.trim()));
  }

  /** Same layout and country code, new digits: `+1 425 555 0134` → `+1 738 204 9916`. */
  #newPhone(original: string): string {
    const countryCode = /^\+\d{1,3}(?=[ .-])/.exec(original)?.[0] ?? '';
    let leading = true;
    const rest = original.slice(countryCode.length).replace(/\d/g, () => {
      const digit = this.#faker.number.int({ min: leading ? 2 : 0, max: 9 });
      leading = false;
      return String(digit);
    });
    return countryCode + rest;
  }

  #fresh(make: () => string, avoid: Set<string>): string {
    let candidate = make();
    for (let attempt = 0; attempt < 20 && (avoid.has(candidate) || [...this.#names.values()].includes(candidate)); attempt += 1) {
      candidate = make();
    }
    return candidate;
  }
}

/**
 * Group 1 an e-mail address, group 2 a run of 13–19 digits (spaces or dashes between them) that may be
 * a card, group 3 a phone-like run: an optional +, digits in groups separated by spaces, dots, dashes
 * or parentheses. Digits glued to letters (ids, GUIDs) or inside a URL's path or query never match.
 */
const contactPattern = new RegExp(
  [
    String.raw`([A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,})`,
    String.raw`(?<![\w.+\-/=?&#:])(\d(?:[ -]?\d){12,18})(?![\w/]|[.-]\d)`,
    String.raw`(?<![\w.+\-/=?&#:])(\+?\(?\d[\d ().-]{5,20}\d)(?![\w/]|[.-]\d)`,
  ].join('|'),
  'g',
);

function looksLikePhone(candidate: string): boolean {
  const digits = candidate.replace(/\D/g, '');
  if (digits.length < 7 || digits.length > 15) return false;
  if (/^\d{4}-\d{2}-\d{2}/.test(candidate) || /^\d{1,2}[./-]\d{1,2}[./-]\d{2,4}$/.test(candidate)) return false; // dates
  if (/^\d{1,3}(?:\.\d{1,3}){3}$/.test(candidate)) return false; // IPv4 addresses
  if (/^\d+\.\d+$/.test(candidate)) return false; // decimals
  const separated = /[ ().-]/.test(candidate.trim()) || candidate.trim().startsWith('+');
  // A bare digit run is a phone only at phone length; shorter ones are order numbers and amounts.
  return separated || (digits.length >= 10 && digits.length <= 12);
}

function remember(map: Map<string, string>, key: string, make: () => string): string {
  const known = map.get(key);
  if (known !== undefined) return known;
  const made = make();
  map.set(key, made);
  return made;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
