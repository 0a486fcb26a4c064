import { getField, optionSetMember } from './powerfx';
import { normalizeUtterance } from './intent-matcher';

/**
 * How a Question node recognizes the customer's answer (docs/copilot-topic-yaml.md §2.2.2). Copilot
 * Studio's recognizers are not public; these rules are deterministic and documented in
 * features/README.md ("Copilots from YAML"): yes/no words for Boolean, the first number for Number,
 * the first address for Email, ISO dates and today/tomorrow/yesterday for dates, and a choice when the
 * answer contains one of its id, display name or synonyms. Any other prebuilt entity takes the answer
 * as text. `undefined` means "not recognized": the question asks again.
 */

export type Recognized = { value: unknown } | undefined;

/** A closed list as choices: `items` of an embedded ClosedListEntity or of an entity component. */
export interface ChoiceItem {
  id: string;
  displayName?: string;
  synonyms?: string[];
}

export interface EntityContext {
  /** The option set a choice answer belongs to: `<topic schema>.main.<question id>` for embedded lists. */
  optionSet: string;
  /** The current instant on the virtual clock, for relative dates. */
  now: number;
  /** Entity components of the copilot by schema name (ClosedListEntityReference, RegexEntityReference). */
  entities: ReadonlyMap<string, Record<string, unknown>>;
  /** Evaluates a formula (DynamicClosedListEntity `items`). */
  evaluate(raw: unknown): unknown;
}

const yes = new Set(['yes', 'y', 'yeah', 'yep', 'yup', 'sure', 'ok', 'okay', 'correct', 'right', 'true', 'of course', 'absolutely', 'definitely', 'please do', 'yes please', 'that is right', 'affirmative']);
const no = new Set(['no', 'n', 'nope', 'nah', 'not really', 'false', 'no thanks', 'no thank you', 'negative', 'not now', 'wrong', 'incorrect']);

const numberWords: Record<string, number> = {
  zero: 0, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10, eleven: 11, twelve: 12,
};

export function recognizeBoolean(text: string): Recognized {
  const normalized = normalizeUtterance(text);
  if (yes.has(normalized)) return { value: true };
  if (no.has(normalized)) return { value: false };
  const first = normalized.split(' ')[0] ?? '';
  if (yes.has(first)) return { value: true };
  if (no.has(first)) return { value: false };
  return undefined;
}

export function recognizeNumber(text: string): Recognized {
  const match = /-?\d+(?:[.,]\d+)?/.exec(text);
  if (match) return { value: Number(match[0].replace(',', '.')) };
  for (const word of normalizeUtterance(text).split(' ')) if (word in numberWords) return { value: numberWords[word] };
  return undefined;
}

export function recognizeEmail(text: string): Recognized {
  const match = /[^\s@<>()"',;]+@[^\s@<>()"',;]+\.[A-Za-z]{2,}/.exec(text);
  return match ? { value: match[0] } : undefined;
}

const msPerDay = 86_400_000;

export function recognizeDate(text: string, now: number): Recognized {
  const iso = /\b(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2}))?/.exec(text);
  if (iso) {
    const [, y, m, d, hh, mm] = iso;
    return { value: new Date(Date.UTC(Number(y), Number(m) - 1, Number(d), Number(hh ?? 0), Number(mm ?? 0))) };
  }
  const normalized = normalizeUtterance(text);
  const today = Math.floor(now / msPerDay) * msPerDay;
  if (/\btoday\b/.test(normalized)) return { value: new Date(today) };
  if (/\btomorrow\b/.test(normalized)) return { value: new Date(today + msPerDay) };
  if (/\byesterday\b/.test(normalized)) return { value: new Date(today - msPerDay) };
  return undefined;
}

/** The item whose id, display name or synonym the answer names, the longest name winning. */
export function recognizeChoice(text: string, items: readonly ChoiceItem[]): ChoiceItem | undefined {
  const answer = ` ${normalizeUtterance(text)} `;
  let best: { item: ChoiceItem; length: number } | undefined;
  for (const item of items) {
    for (const name of [item.id, item.displayName, ...(item.synonyms ?? [])]) {
      if (!name) continue;
      const normalized = normalizeUtterance(name);
      if (normalized && answer.includes(` ${normalized} `) && (!best || normalized.length > best.length)) best = { item, length: normalized.length };
    }
  }
  return best?.item;
}

function choiceItems(value: unknown): ChoiceItem[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((item): ChoiceItem[] => {
    if (typeof item === 'string') return [{ id: item, displayName: item }];
    if (!item || typeof item !== 'object') return [];
    const record = item as Record<string, unknown>;
    const id = record['id'] ?? record['Id'] ?? record['Value'] ?? record['DisplayName'] ?? record['displayName'];
    if (id === undefined) return [];
    const synonyms = Array.isArray(record['synonyms']) ? record['synonyms'].map(String) : [];
    const displayName = record['displayName'] ?? record['DisplayName'];
    return [{ id: String(id), ...(displayName !== undefined ? { displayName: String(displayName) } : {}), synonyms }];
  });
}

/** The entity's kind: a prebuilt name string, or the `kind` of an entity object. */
export function entityKind(entity: unknown): string {
  if (typeof entity === 'string') return entity;
  if (entity && typeof entity === 'object' && typeof (entity as { kind?: unknown }).kind === 'string') return (entity as { kind: string }).kind;
  return 'StringPrebuiltEntity';
}

/**
 * Recognizes an answer for a Question's `entity`.
 *
 * @example recognizeAnswer('BooleanPrebuiltEntity', 'yes please', context) // { value: true }
 */
export function recognizeAnswer(entity: unknown, text: string, context: EntityContext): Recognized {
  const kind = entityKind(entity);
  const record = entity && typeof entity === 'object' ? (entity as Record<string, unknown>) : {};
  switch (kind) {
    case 'BooleanPrebuiltEntity':
      return recognizeBoolean(text);
    case 'NumberPrebuiltEntity':
    case 'AgePrebuiltEntity':
    case 'MoneyPrebuiltEntity':
    case 'PercentagePrebuiltEntity':
    case 'OrdinalPrebuiltEntity':
      return recognizeNumber(text);
    case 'EmailPrebuiltEntity':
    case 'EMailPrebuiltEntity':
      return recognizeEmail(text);
    case 'DateTimePrebuiltEntity':
    case 'DatePrebuiltEntity':
    case 'DateTimeNoTimeZonePrebuiltEntity':
      return recognizeDate(text, context.now);
    case 'PhoneNumberPrebuiltEntity': {
      const match = /\+?\d[\d\s().-]{5,}\d/.exec(text);
      return match ? { value: match[0] } : undefined;
    }
    case 'URLPrebuiltEntity': {
      const match = /https?:\/\/\S+|www\.\S+/i.exec(text);
      return match ? { value: match[0] } : undefined;
    }
    case 'EmbeddedEntity': {
      const definition = record['definition'] && typeof record['definition'] === 'object' ? (record['definition'] as Record<string, unknown>) : {};
      if (definition['kind'] === 'RegexEntity') return recognizeRegex(definition['pattern'], text);
      const item = recognizeChoice(text, choiceItems(definition['items']));
      return item ? { value: optionSetMember(context.optionSet, item.id) } : undefined;
    }
    case 'ClosedListEntityReference':
    case 'RegexEntityReference': {
      const reference = String(record['entityReference'] ?? record['reference'] ?? '');
      const component = context.entities.get(reference.toLowerCase()) ?? [...context.entities.entries()].find(([name]) => name.endsWith(`.${reference.toLowerCase()}`))?.[1];
      if (!component) return { value: text.trim() };
      if (kind === 'RegexEntityReference' || component['kind'] === 'RegexEntity') return recognizeRegex(component['pattern'], text);
      const item = recognizeChoice(text, choiceItems(component['items']));
      return item ? { value: optionSetMember(reference, item.id) } : undefined;
    }
    case 'DynamicClosedListEntity': {
      const rows = context.evaluate(record['items']);
      if (!Array.isArray(rows)) return undefined;
      const items = rows.map((row, index) => {
        const label = getField(row, 'DisplayName') ?? getField(row, 'Value') ?? row;
        return { id: String(index), displayName: typeof label === 'string' ? label : String(label) };
      });
      const item = recognizeChoice(text, items);
      return item ? { value: rows[Number(item.id)] } : undefined;
    }
    default: {
      // StringPrebuiltEntity and every prebuilt entity without its own rule: the answer as written.
      const value = text.trim();
      return value ? { value } : undefined;
    }
  }
}

function recognizeRegex(pattern: unknown, text: string): Recognized {
  if (typeof pattern !== 'string') return { value: text.trim() };
  try {
    const match = new RegExp(pattern).exec(text);
    return match ? { value: match[0] } : undefined;
  } catch {
    return { value: text.trim() };
  }
}
