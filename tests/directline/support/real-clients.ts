import { after, before } from 'node:test';
/**
 * Shared set-up for the tests that drive unmodified real clients against a real `handoff serve`
 * (startServer on 127.0.0.1, port 0). DirectLineJS needs a global WebSocket and XMLHttpRequest in Node
 * (toolchain.md §2f, gotcha 14); no msw interception runs in these processes, so xhr2 can be installed
 * at once (gotcha 11 only bites with setupServer).
 */
import { ConnectionStatus, DirectLine, type Activity, type DirectLineOptions, type Services } from 'botframework-directlinejs';
import WebSocket from 'ws';
import { startServer, type RunningServer, type ServeOptions } from '../../../src/serve/server';

const globals = globalThis as Record<string, unknown>;
globals['WebSocket'] ??= WebSocket;
globals['XMLHttpRequest'] ??= require('xhr2') as unknown;

export { ConnectionStatus, DirectLine, type Activity };

/** A server with frozen virtual time: a test moves the clock itself, through the control API. */
export function startTestServer(options: ServeOptions = {}): Promise<RunningServer> {
  return startServer({ port: 0, speed: 0, keepAliveMs: 60_000, ...options });
}

export async function json<T = Record<string, unknown>>(url: string, init: RequestInit = {}): Promise<{ status: number; body: T }> {
  const response = await fetch(url, init);
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T };
}

/** What a website's back end does: trade the secret for a conversation token bound to a user (copilot-protocol.md §2.2). */
export async function generateToken(server: RunningServer, userId = 'dl_test-user'): Promise<{ token: string; conversationId: string }> {
  const secret = server.sim.directLine.secret;
  const { status, body } = await json<{ token: string; conversationId: string }>(`${server.urls.directLine}/tokens/generate`, {
    method: 'POST',
    headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' },
    body: JSON.stringify({ user: { id: userId, name: 'Test User' } }),
  });
  if (status !== 200) throw new Error(`tokens/generate answered ${status}`);
  return body;
}

export async function advanceClock(server: RunningServer, by: string): Promise<void> {
  const { status } = await json(`${server.urls.control}/clock/advance`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ by }) });
  if (status !== 200) throw new Error(`the control API refused to advance the clock (${status})`);
}

/**
 * Everything a client's `activity$` emits, with waits that end on an event or a timeout: real clients
 * run on real time, so the test waits for what they do, never for a fixed delay.
 */
export class ActivityLog {
  readonly activities: Activity[] = [];
  /** The error activity$ ended with, if it did. */
  error: Error | undefined;
  readonly #waiters = new Set<() => void>();
  readonly #subscription: { unsubscribe(): void };

  constructor(directLine: DirectLine) {
    this.#subscription = directLine.activity$.subscribe({
      next: (activity) => {
        this.activities.push(activity);
        for (const waiter of [...this.#waiters]) waiter();
      },
      // end() and a 404 on reconnect make activity$ error with "conversation ended" (toolchain.md gotcha 14).
      error: (error: Error) => {
        this.error = error;
        for (const waiter of [...this.#waiters]) waiter();
      },
    });
  }

  /** Resolves with the first activity (already received or still to come) that matches. */
  waitFor(description: string, predicate: (activity: Activity) => boolean, timeoutMs = 10_000): Promise<Activity> {
    const found = this.activities.find(predicate);
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const check = () => {
        const match = this.activities.find(predicate);
        if (!match) return;
        cleanUp();
        resolve(match);
      };
      const timer = setTimeout(() => {
        cleanUp();
        reject(new Error(`Timed out after ${timeoutMs} ms waiting for ${description}. Received: ${this.activities.map(describe).join(' | ') || 'nothing'}`));
      }, timeoutMs);
      const cleanUp = () => {
        clearTimeout(timer);
        this.#waiters.delete(check);
      };
      this.#waiters.add(check);
    });
  }

  /** Resolves with the error activity$ ends with. */
  waitForError(timeoutMs = 10_000): Promise<Error> {
    if (this.error) return Promise.resolve(this.error);
    return new Promise((resolve, reject) => {
      const check = () => {
        if (!this.error) return;
        cleanUp();
        resolve(this.error);
      };
      const timer = setTimeout(() => {
        cleanUp();
        reject(new Error(`Timed out after ${timeoutMs} ms waiting for activity$ to end. Received: ${this.activities.map(describe).join(' | ') || 'nothing'}`));
      }, timeoutMs);
      const cleanUp = () => {
        clearTimeout(timer);
        this.#waiters.delete(check);
      };
      this.#waiters.add(check);
    });
  }

  waitForText(text: string, timeoutMs?: number): Promise<Activity> {
    return this.waitFor(`a message "${text}"`, (activity) => activity.type === 'message' && activity.text === text, timeoutMs);
  }

  stop(): void {
    this.#subscription.unsubscribe();
  }
}

/** The activity a copilot activity answers; DirectLineJS's Activity type leaves the field out. */
export function replyToIdOf(activity: Activity): string | undefined {
  return (activity as Activity & { replyToId?: string }).replyToId;
}

function describe(activity: Activity): string {
  return `${activity.type}${'name' in activity && activity.name ? `:${activity.name}` : ''}${activity.type === 'message' ? ` "${activity.text}"` : ''} (${activity.id})`;
}

/** Resolves when the client reaches a connection status (or rejects with the statuses it went through). */
export function waitForStatus(directLine: DirectLine, wanted: ConnectionStatus, timeoutMs = 10_000): Promise<void> {
  const seen: ConnectionStatus[] = [];
  return new Promise((resolve, reject) => {
    let subscription: { unsubscribe(): void } | undefined;
    let done = false;
    const timer = setTimeout(() => {
      done = true;
      subscription?.unsubscribe();
      reject(new Error(`Timed out after ${timeoutMs} ms waiting for ${ConnectionStatus[wanted]}. Statuses seen: ${seen.map((s) => ConnectionStatus[s]).join(' → ')}`));
    }, timeoutMs);
    subscription = directLine.connectionStatus$.subscribe((status) => {
      seen.push(status);
      if (status === wanted && !done) {
        done = true;
        clearTimeout(timer);
        // The subscription is not assigned yet when the current value already matches.
        queueMicrotask(() => subscription?.unsubscribe());
        resolve();
      }
    });
  });
}

/** postActivity as a promise of its result: the id, or DirectLineJS's "retry" marker (copilot-protocol.md §0 fact 7). */
export function post(directLine: DirectLine, activity: Activity): Promise<string> {
  return new Promise((resolve, reject) => {
    directLine.postActivity(activity).subscribe({ next: resolve, error: reject });
  });
}

export function newClient(server: RunningServer, options: DirectLineOptions & Partial<Services>): DirectLine {
  return new DirectLine({ domain: server.urls.directLine, pollingInterval: 200, ...options });
}

/** The message a user types, as Web Chat posts it (copilot-protocol.md §3.5). */
export function userMessage(text: string, clientActivityID: string, userId = 'dl_test-user'): Activity {
  return { type: 'message', from: { id: userId, name: 'Test User' }, text, channelData: { clientActivityID } } as unknown as Activity;
}

export function startConversationEvent(userId = 'dl_test-user'): Activity {
  return { type: 'event', name: 'startConversation', value: {}, from: { id: userId } } as unknown as Activity;
}

/** The requests the mock saw on the wire, from the simulation's timeline. */
export function wireRequests(server: RunningServer): Array<{ method: string; url: string; status: number }> {
  return server.sim.timeline.of('wire.request').map((entry) => ({ method: entry.method, url: entry.url, status: entry.status }));
}

/** Waits until the mock has seen a request: a condition checked every 10 ms, up to a timeout (the timeline has no listener API). */
export async function waitForWire(server: RunningServer, description: string, predicate: (request: { method: string; url: string; status: number }) => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    if (wireRequests(server).some(predicate)) return;
    if (performance.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${description}. The mock saw: ${wireRequests(server).map((r) => `${r.method} ${r.url} ${r.status}`).join(', ')}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/**
 * One `handoff serve` for a test file and the real clients it creates, all ended afterwards.
 * @example
 * const suite = realClientSuite({ webSocket: false });
 * const directLine = suite.client({ token });
 */
export function realClientSuite(defaults: DirectLineOptions & Partial<Services>) {
  let running: RunningServer | undefined;
  const clients: DirectLine[] = [];
  before(async () => {
    running = await startTestServer();
  });
  after(async () => {
    for (const client of clients) client.end();
    await running?.close();
  });
  return {
    get server(): RunningServer {
      if (!running) throw new Error('The test server has not started yet. It starts in the before() hook. Use it inside a test.');
      return running;
    },
    client(options: DirectLineOptions & Partial<Services>): DirectLine {
      const directLine = newClient(this.server, { ...defaults, ...options });
      clients.push(directLine);
      return directLine;
    },
  };
}
