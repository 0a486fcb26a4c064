import { ScenarioError } from '../sim/errors';
import type { Timeline } from '../sim/timeline';

export class WireError extends ScenarioError {}

/**
 * Sends customer traffic over the wire (fetch, answered by the mocks) and notes every request on the
 * timeline, so a scenario's wire cost is measurable and a failed request explains itself.
 */
export class WireClient {
  readonly #fetch: typeof fetch;
  readonly #timeline: Timeline;
  readonly #conversationId: () => string | undefined;

  constructor(fetchImplementation: typeof fetch, timeline: Timeline, conversationId: () => string | undefined) {
    this.#fetch = fetchImplementation;
    this.#timeline = timeline;
    this.#conversationId = conversationId;
  }

  async json<T>(method: string, url: string, options: { headers?: Record<string, string>; body?: unknown; expect?: number[] } = {}): Promise<{ status: number; body: T; headers: Headers }> {
    const response = await this.#fetch(url, {
      method,
      headers: { accept: 'application/json', ...(options.body === undefined ? {} : { 'content-type': 'application/json' }), ...options.headers },
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
    this.#timeline.record('wire', { kind: 'wire.request', method, url: new URL(url).pathname, status: response.status }, this.#conversationId());
    const text = await response.text();
    const expected = options.expect ?? [200, 201];
    if (!expected.includes(response.status)) {
      throw new WireError(`${method} ${url} answered ${response.status}: ${text || '(empty body)'}. The mock refused the customer's request. Read the message above for what it expected.`);
    }
    return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T, headers: response.headers };
  }
}
