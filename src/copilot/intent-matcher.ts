/**
 * Deterministic recognition of what the customer said, by normalized phrase overlap:
 * a trigger phrase scores 1 when the utterance contains it word for word, otherwise the share of the
 * phrase's words (stop words aside) that the utterance contains. The best phrase of each topic is the
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

export class IntentMatcher<T> {
  readonly #candidates: Array<{ value: T; phrases: Array<{ text: string; normalized: string; words: string[] }> }>;

  constructor(candidates: ReadonlyArray<Candidate<T>>) {
    this.#candidates = candidates.map((candidate) => ({
      value: candidate.value,
      phrases: candidate.phrases.map((text) => {
        const normalized = normalizeUtterance(text);
        return { text, normalized, words: contentWords(normalized) };
      }),
    }));
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
    const words = new Set(normalized.split(' '));
    let best: IntentMatch<T> | undefined;
    for (const candidate of this.#candidates) {
      for (const phrase of candidate.phrases) {
        if (!phrase.normalized) continue;
        let score: number;
        if (padded.includes(` ${phrase.normalized} `)) score = 1;
        else if (phrase.words.length === 0) score = 0;
        else score = phrase.words.filter((word) => words.has(word)).length / phrase.words.length;
        if (score >= minimumScore && (!best || score > best.score) && (best?.value === candidate.value || accept(candidate.value))) best = { value: candidate.value, score, phrase: phrase.text };
      }
    }
    return best;
  }
}

function contentWords(normalized: string): string[] {
  const words = normalized.split(' ').filter((word) => word && !stopWords.has(word));
  return words.length > 0 ? words : normalized.split(' ').filter(Boolean);
}
