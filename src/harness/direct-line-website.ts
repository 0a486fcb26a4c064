import type { Activity } from '../copilot/direct-line-channel';
import type { Simulation } from '../sim/simulation';
import { ExpectationError } from './expectations';

/** The Direct Line domain of the in-process mocks (mocks/directline routes are host-agnostic). */
const domain = 'https://directline.handoff.test/v3/directline';

/** Requests a website's code can get wrong, in the words of the feature files. */
export const badDirectLineRequests = [
  'a body that is not JSON',
  'an activity without a type',
  'an activity of an unknown type',
  'an activity over 256 KB',
  'an event without a name',
  'without credentials',
  'with a made-up token',
  'to an unknown conversation',
  'a read with a bad watermark',
] as const;
export type BadDirectLineRequest = (typeof badDirectLineRequests)[number];

interface Answer {
  method: string;
  path: string;
  status: number;
  body: Record<string, unknown> | undefined;
}

/**
 * The Direct Line contract as a website's own code meets it (copilot-protocol.md §2): tokens,
 * conversations, activities, watermarks and errors, over the wire of the in-process mocks. The verbs
 * of features/directline; each does one request or checks what the requests returned.
 */
export class DirectLineWebsite {
  readonly #sim: Simulation;
  readonly #fetch: () => typeof fetch;
  #token: string | undefined;
  #conversationId: string | undefined;
  #firstConversationId: string | undefined;
  #last: Answer | undefined;
  readonly #received = new Map<string, Activity>();
  #watermark = '';
  #sent: { id?: string; clientActivityID: string } | undefined;
  #sequence = 0;

  constructor(sim: Simulation, fetchImplementation: () => typeof fetch) {
    this.#sim = sim;
    this.#fetch = fetchImplementation;
  }

  // What the website does

  /** The website's server trades the secret for a token; the page starts the conversation with it (copilot-protocol.md §2.2). */
  async startWithToken(): Promise<void> {
    const generated = await this.#call('POST', '/tokens/generate', { credential: this.#sim.directLine.secret, body: { user: { id: 'dl_website-user', name: 'Website user' } } });
    this.#token = String(generated.body?.['token'] ?? '');
    const started = await this.#call('POST', '/conversations', { body: {} });
    this.#conversationId = String(started.body?.['conversationId'] ?? '');
    this.#firstConversationId ??= this.#conversationId;
  }

  async startAgainWithTheSameToken(): Promise<void> {
    const started = await this.#call('POST', '/conversations', { body: {} });
    this.#conversationId = String(started.body?.['conversationId'] ?? '');
  }

  /** What Copilot Studio's canvas sends once connected (copilot-protocol.md §4.2). */
  async sendStartConversation(): Promise<void> {
    await this.#post({ type: 'event', name: 'startConversation', from: { id: 'dl_website-user' } });
  }

  async sendMessage(text: string): Promise<void> {
    this.#sequence += 1;
    const clientActivityID = `website-${this.#sequence}`;
    const answer = await this.#post({ type: 'message', from: { id: 'dl_website-user' }, text, channelData: { clientActivityID } });
    this.#sent = { id: typeof answer.body?.['id'] === 'string' ? answer.body['id'] : undefined, clientActivityID };
  }

  async refreshToken(): Promise<void> {
    const refreshed = await this.#call('POST', '/tokens/refresh');
    if (refreshed.status === 200) this.#token = String(refreshed.body?.['token']);
  }

  /** Reads from the last watermark, as a polling client does (copilot-protocol.md §2.3, §3.3). */
  async read(): Promise<Activity[]> {
    const answer = await this.#call('GET', `/conversations/${this.#started()}/activities?watermark=${encodeURIComponent(this.#watermark)}`);
    if (answer.status !== 200) return [];
    const activities = (answer.body?.['activities'] ?? []) as Activity[];
    if (typeof answer.body?.['watermark'] === 'string' && answer.body['watermark']) this.#watermark = answer.body['watermark'];
    for (const activity of activities) this.#received.set(String(activity.id), activity);
    return activities;
  }

  /** A token of a fresh conversation of its own, used on this one (copilot-protocol.md §2.2 notes). */
  async useAnotherConversationsToken(): Promise<void> {
    const other = await this.#call('POST', '/tokens/generate', { credential: this.#sim.directLine.secret, body: {} });
    this.#token = String(other.body?.['token'] ?? '');
  }

  async sendBadRequest(kind: BadDirectLineRequest): Promise<void> {
    const activities = `/conversations/${this.#started()}/activities`;
    switch (kind) {
      case 'a body that is not JSON':
        await this.#call('POST', activities, { raw: '{"type": "message", "text": ' });
        return;
      case 'an activity without a type':
        await this.#call('POST', activities, { body: { text: 'hello', from: { id: 'dl_website-user' } } });
        return;
      case 'an activity of an unknown type':
        await this.#call('POST', activities, { body: { type: 'shout', from: { id: 'dl_website-user' } } });
        return;
      case 'an activity over 256 KB':
        await this.#call('POST', activities, { body: { type: 'message', from: { id: 'dl_website-user' }, text: 'x'.repeat(300_000) } });
        return;
      case 'an event without a name':
        await this.#call('POST', activities, { body: { type: 'event', from: { id: 'dl_website-user' } } });
        return;
      case 'without credentials':
        await this.#call('POST', activities, { credential: '', body: { type: 'message', from: { id: 'dl_website-user' }, text: 'hello' } });
        return;
      case 'with a made-up token':
        await this.#call('POST', activities, { credential: 'eyJhbGciOiJIUzI1NiJ9.eyJ1c2VyIjoibWUifQ.c2lnbmF0dXJl', body: { type: 'message', from: { id: 'dl_website-user' }, text: 'hello' } });
        return;
      case 'to an unknown conversation':
        await this.#call('POST', '/conversations/NoSuchConversation000000-x/activities', { credential: this.#sim.directLine.secret, body: { type: 'message', from: { id: 'dl_website-user' }, text: 'hello' } });
        return;
      case 'a read with a bad watermark':
        await this.#call('GET', `${activities}?watermark=yesterday`);
        return;
    }
  }

  /** The service forgets the conversation (retention, or an outage): a fault only the simulation can cause. */
  forgetConversation(): void {
    this.#sim.directLine.end(this.#started());
  }

  // What the website checks

  expectAnswer(status: number, code?: string): void {
    const last = this.#lastAnswer();
    const error = last.body?.['error'] as { code?: string; message?: string } | undefined;
    if (last.status === status && (code === undefined || error?.code === code)) return;
    this.#fail(`Direct Line answered ${last.method} ${last.path} with ${last.status}${error ? ` ${error.code}: "${error.message}"` : ''}, not ${status}${code ? ` ${code}` : ''}.`);
  }

  expectSameConversation(): void {
    if (this.#conversationId && this.#conversationId === this.#firstConversationId) return;
    this.#fail(`Starting again answered conversation "${this.#conversationId}", not the first one "${this.#firstConversationId}".`);
  }

  async expectNothingReceived(): Promise<void> {
    const activities = await this.read();
    if (activities.length > 0) this.#fail(`The website received ${activities.length} activities: ${activities.map(describe).join(', ')}.`);
  }

  async expectCopilotMessage(text: string): Promise<Activity> {
    await this.read();
    const found = [...this.#received.values()].find((activity) => activity.type === 'message' && activity.from?.role === 'bot' && activity.text === text);
    if (!found) this.#fail(`The website did not receive the copilot's message "${text}".`);
    return found!;
  }

  /** The echo: same clientActivityID, a service id `<conversation>|<7 digits>` (copilot-protocol.md §0 fact 5, §2.3). */
  async expectEcho(): Promise<void> {
    await this.read();
    const sent = this.#sentMessage();
    const echo = [...this.#received.values()].find((activity) => (activity.channelData as { clientActivityID?: string } | undefined)?.clientActivityID === sent.clientActivityID);
    if (!echo) this.#fail(`No echo of the message with clientActivityID "${sent.clientActivityID}" came back.`);
    if (echo!.id !== sent.id || !new RegExp(`^${escapeRegExp(this.#started())}\\|\\d{7}$`).test(String(echo!.id))) {
      this.#fail(`The echo has the id "${echo!.id}"; the POST answered "${sent.id}", and the service's ids read <conversation>|<7 digits>.`);
    }
    if (echo!.from?.role !== 'user') this.#fail(`The echo comes from "${echo!.from?.role}", not from the user.`);
  }

  async expectReplyToLastMessage(text: string): Promise<void> {
    const reply = await this.expectCopilotMessage(text);
    if (reply.replyToId !== this.#sentMessage().id) this.#fail(`The copilot's "${text}" answers "${reply.replyToId}", not the message the website sent ("${this.#sentMessage().id}").`);
  }

  async expectIncreasingTimestamps(): Promise<void> {
    await this.read();
    const activities = [...this.#received.values()];
    const backwards = activities.findIndex((activity, index) => index > 0 && Date.parse(String(activity.timestamp)) <= Date.parse(String(activities[index - 1]!.timestamp)));
    if (activities.length < 2 || backwards !== -1) {
      this.#fail(`Timestamps must strictly increase; got ${activities.map((activity) => activity.timestamp).join(', ') || 'no activities'}.`);
    }
  }

  /** Reads from the watermark of the last read; what comes is exactly `expected`, by text, event name or type. */
  async expectReadReturnsOnly(expected: readonly string[]): Promise<void> {
    const activities = await this.read();
    const got = activities.map(describe);
    if (got.length !== expected.length || got.some((item, index) => item !== expected[index])) {
      this.#fail(`Reading from the last watermark returned ${got.map((item) => `"${item}"`).join(', ') || 'nothing'}; expected ${expected.map((item) => `"${item}"`).join(', ')}.`);
    }
  }

  /** handoff.initiate with its variables (copilot-protocol.md §6.2): each value compared as text, lists as JSON. */
  async expectHandoffVariables(variables: ReadonlyArray<{ name: string; value: string }>): Promise<void> {
    const event = await this.#handoffEvent();
    const value = (event.value ?? {}) as Record<string, unknown>;
    for (const { name, value: wanted } of variables) {
      const actual = value[name];
      const shown = typeof actual === 'string' ? actual : JSON.stringify(actual);
      if (shown !== wanted) this.#fail(`handoff.initiate carries ${name} = ${shown === undefined ? '(missing)' : `"${shown}"`}, not "${wanted}".`);
    }
  }

  /** The transcript attachment holds every message of the log before the event (copilot-protocol.md §6.2, §11.3). */
  async expectHandoffTranscriptOfTheConversation(): Promise<void> {
    const event = await this.#handoffEvent();
    const [attachment] = (event.attachments ?? []) as Array<{ contentType?: string; name?: string; content?: { activities?: Activity[] } }>;
    if (attachment?.contentType !== 'application/json' || attachment.name?.toLowerCase() !== 'transcript') {
      this.#fail(`handoff.initiate's first attachment is ${JSON.stringify({ contentType: attachment?.contentType, name: attachment?.name })}, not the application/json "Transcript".`);
    }
    const transcript = (attachment!.content?.activities ?? []).map((activity) => `${activity.from?.role}: ${activity.text} (${activity.id})`);
    const messages = [...this.#received.values()].filter((activity) => activity.type === 'message' && Number(String(activity.id).split('|')[1]) < Number(String(event.id).split('|')[1]));
    const expected = messages.map((activity) => `${activity.from?.role}: ${activity.text} (${activity.id})`);
    if (transcript.join('\n') !== expected.join('\n')) this.#fail(`The transcript holds:\n  ${transcript.join('\n  ')}\nbut the conversation was:\n  ${expected.join('\n  ')}`);
  }

  async expectActivityOfType(type: string): Promise<void> {
    await this.read();
    if (![...this.#received.values()].some((activity) => activity.type === type)) this.#fail(`The website received no "${type}" activity.`);
  }

  // Plumbing

  async #handoffEvent(): Promise<Activity> {
    await this.read();
    const event = [...this.#received.values()].find((activity) => activity.type === 'event' && activity.name === 'handoff.initiate');
    if (!event) this.#fail('The website received no handoff.initiate event.');
    return event!;
  }

  async #post(activity: Activity): Promise<Answer> {
    return this.#call('POST', `/conversations/${this.#started()}/activities`, { body: activity });
  }

  async #call(method: string, path: string, options: { credential?: string; body?: unknown; raw?: string } = {}): Promise<Answer> {
    const credential = options.credential ?? this.#token ?? '';
    const headers: Record<string, string> = { accept: 'application/json' };
    if (credential) headers['authorization'] = `Bearer ${credential}`;
    const payload = options.raw ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
    if (payload !== undefined) headers['content-type'] = 'application/json';
    const response = await this.#fetch()(`${domain}${path}`, { method, headers, body: payload });
    const text = await response.text();
    this.#sim.timeline.record('wire', { kind: 'wire.request', method, url: new URL(`${domain}${path}`).pathname, status: response.status }, this.#conversationId);
    let body: Record<string, unknown> | undefined;
    try {
      body = text ? (JSON.parse(text) as Record<string, unknown>) : undefined;
    } catch {
      body = undefined;
    }
    this.#last = { method, path: path.split('?')[0]!, status: response.status, body };
    return this.#last;
  }

  #started(): string {
    if (!this.#conversationId) this.#fail('The website has not started a Direct Line conversation. Everything else happens in one. Start it with: When the website starts a Direct Line conversation with a token.');
    return this.#conversationId!;
  }

  #sentMessage(): { id?: string; clientActivityID: string } {
    if (!this.#sent) this.#fail('The website has not sent a message. An echo and a reply follow a message. Send one with: When the website sends the message "Hello".');
    return this.#sent!;
  }

  #lastAnswer(): Answer {
    if (!this.#last) this.#fail('The website has not called Direct Line yet. An answer follows a request. Add a When step that calls Direct Line first.');
    return this.#last!;
  }

  #fail(message: string): never {
    throw new ExpectationError(message);
  }
}

/** An activity as the feature files name it: a message by its text, an event by its name, anything else by its type. */
function describe(activity: Activity): string {
  if (activity.type === 'message') return String(activity.text ?? '');
  if (activity.type === 'event') return String(activity.name ?? 'event');
  return activity.type;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
