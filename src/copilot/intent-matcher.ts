/**
 * Deterministic recognition of what the customer said, by normalized phrase overlap:
 * a trigger phrase scores 1 (plus a little per character, so the longest wins) when the utterance
 * contains it word for word, otherwise the share of the phrase's words (stop words aside) that the
 * utterance contains. The best phrase of each topic is the
 * topic's score; the highest score of at least `minimumScore` wins, and on a tie the topic listed first.
 */

const stopWords = new Set(['a', 'an', 'the', 'i', 'to', 'me', 'my', 'is', 'am', 'are', 'do', 'can', 'please', 'with', 'of', 'for', 'and', 'you', 'it', 'on', 'in', 'want', 'would', 'like', 'need']);

export const minimumScore = 0.6;

export interface Candidate<T> {
  value: T;
  phrases: readonly string[];
}

export interface IntentMatch<T> {
  value: T;
  score: number;
  phrase: string;
}

export function normalizeUtterance(text: string): string {
  return text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

interface IndexedPhrase<T> {
  value: T;
  text: string;
  normalized: string;
  /** Distinct content words. */
  wordCount: number;
}

export class IntentMatcher<T> {
  /** Every phrase of every candidate, in candidate order then phrase order: the index is the tie-break. */
  readonly #phrases: Array<IndexedPhrase<T>> = [];
  /** Content word → the phrases that contain it: only phrases sharing a word with the utterance are scored. */
  readonly #byWord = new Map<string, number[]>();
  readonly #overlap: Uint16Array;
  readonly #touched: number[] = [];

  constructor(candidates: ReadonlyArray<Candidate<T>>) {
    for (const candidate of candidates) {
      for (const text of candidate.phrases) {
        const normalized = normalizeUtterance(text);
        if (!normalized) continue;
        const words = [...new Set(contentWords(normalized))];
        const id = this.#phrases.length;
        this.#phrases.push({ value: candidate.value, text, normalized, wordCount: words.length });
        for (const word of words) {
          const list = this.#byWord.get(word);
          if (list) list.push(id);
          else this.#byWord.set(word, [id]);
        }
      }
    }
    this.#overlap = new Uint16Array(this.#phrases.length);
  }

  match(utterance: string): IntentMatch<T> | undefined {
    return this.matchWhere(utterance, () => true);
  }

  /**
   * The best match among the candidates `accept` lets through (a trigger's condition, for example),
   * asked only of candidates that score, so a copilot of hundreds of topics pays for the few that do.
   */
  matchWhere(utterance: string, accept: (value: T) => boolean): IntentMatch<T> | undefined {
    const normalized = normalizeUtterance(utterance);
    if (!normalized) return undefined;
    const padded = ` ${normalized} `;
    const overlap = this.#overlap;
    const touched = this.#touched;
    touched.length = 0;
    for (const word of new Set(normalized.split(' '))) {
      const ids = this.#byWord.get(word);
      if (!ids) continue;
      for (const id of ids) {
        const count = overlap[id]!;
        overlap[id] = count + 1;
        if (count === 0) touched.push(id);
      }
    }
    let best: IntentMatch<T> | undefined;
    let bestId = -1;
    let rejected: Set<T> | undefined;
    for (const id of touched) {
      const phrase = this.#phrases[id]!;
      const shared = overlap[id]!;
      overlap[id] = 0;
      // Word for word beats any share of words, and a longer phrase said word for word beats a shorter one.
      const score = shared === phrase.wordCount && padded.includes(` ${phrase.normalized} `) ? 1 + phrase.normalized.length / 10_000 : shared / phrase.wordCount;
      if (score < minimumScore) continue;
      if (best && (score < best.score || (score === best.score && id > bestId))) continue;
      if (best?.value !== phrase.value && (rejected?.has(phrase.value) || !accept(phrase.value))) {
        (rejected ??= new Set()).add(phrase.value);
        continue;
      }
      best = { value: phrase.value, score, phrase: phrase.text };
      bestId = id;
    }
    return best;
  }
}

function contentWords(normalized: string): string[] {
  const words = normalized.split(' ').filter((word) => word && !stopWords.has(word));
  return words.length > 0 ? words : normalized.split(' ').filter(Boolean);
}
