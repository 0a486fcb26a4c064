import { ScenarioError } from '../sim/errors';
import type { Simulation } from '../sim/simulation';
import type { WireClient } from './wire-client';

/** What a customer can do, whichever embed code the website uses. */
export interface CustomerClient {
  readonly channel: 'Dynamics 365 chat widget' | "Copilot Studio's embed code";
  /** The simulation's id for this customer's conversation, once it started. */
  readonly conversationId: string | undefined;
  start(context?: Record<string, string>): Promise<void>;
  say(text: string): Promise<void>;
  /** Fetches what arrived since the last read and notes each delivery on the timeline. */
  read(): Promise<void>;
  end(): Promise<void>;
  /** What a live client does on its own timers while time passes (e.g. refreshing a token). */
  keepAlive(): Promise<void>;
  /** The longest stretch of virtual time the client can leave unattended. */
  readonly keepAliveInterval: number;
}

/** A fixed, neutral org URL: anything matching `*-crmN.*` would be rewritten by the chat SDK (d365-omnichannel.md §1). */
export const inProcessOrgUrl = 'https://contoso.handoff.test';
export const inProcessDirectLineDomain = 'https://directline.handoff.test/v3/directline';

interface ChatToken {
  ChatId: string;
  Token: string;
  VisitorId: string;
  ACSEndpoint: string;
}

interface ChatMessage {
  id: string;
  content: { message: string };
  senderDisplayName: string;
  metadata?: { tags?: string };
}

/** The Dynamics 365 chat widget's calls, in the order the chat SDK makes them (d365-omnichannel.md §2.5 A). */
export class LiveChatCustomer implements CustomerClient {
  readonly channel = 'Dynamics 365 chat widget' as const;
  readonly #sim: Simulation;
  readonly #wire: WireClient;
  readonly #orgUrl: string;
  #requestId = '';
  #token: ChatToken | undefined;
  #conversationId: string | undefined;
  readonly #seen = new Set<string>();

  constructor(sim: Simulation, wire: WireClient, orgUrl = inProcessOrgUrl) {
    this.#sim = sim;
    this.#wire = wire;
    this.#orgUrl = orgUrl;
  }

  get conversationId(): string | undefined {
    return this.#conversationId;
  }

  async start(context: Record<string, string> = {}): Promise<void> {
    const { orgId, widgetId } = this.#sim.omnichannel;
    this.#requestId = this.#sim.ids.uuid();
    await this.#wire.json('GET', `${this.#orgUrl}/livechatconnector/config/${orgId}/${widgetId}?requestId=${this.#requestId}&channelId=lcw`);
    const customContextData = Object.fromEntries(Object.entries(context).map(([name, value]) => [name, { value, isDisplayable: true }]));
    const created = await this.#wire.json<ChatToken>('POST', `${this.#orgUrl}/livechatconnector/organization/${orgId}/widgetApp/${widgetId}/conversation`, {
      headers: { 'Request-Id': this.#requestId, 'x-ms-client-request-id': this.#requestId },
      body: { locale: 'en-us', channelId: 'lcw', isProactiveChat: false, customContextData },
    });
    this.#token = created.body;
    this.#conversationId = created.headers.get('oc-sessionid') ?? undefined;
  }

  async say(text: string): Promise<void> {
    const token = this.#started();
    await this.#wire.json('POST', `${this.#threadUrl(token)}/messages?api-version=2021-09-07`, {
      headers: { authorization: `Bearer ${token.Token}` },
      body: { content: text, senderDisplayName: 'Customer', metadata: { deliveryMode: 'bridged', tags: 'ChannelId-lcw,FromCustomer', widgetId: this.#sim.omnichannel.widgetId } },
    });
  }

  async read(): Promise<void> {
    const token = this.#started();
    const listed = await this.#wire.json<{ value: ChatMessage[] }>('GET', `${this.#threadUrl(token)}/messages?api-version=2021-09-07`, {
      headers: { authorization: `Bearer ${token.Token}` },
    });
    // The list is newest first (d365-omnichannel.md §3.2); a widget shows it oldest first.
    for (const message of [...listed.body.value].reverse()) {
      if (this.#seen.has(message.id) || message.senderDisplayName === 'Customer') continue;
      this.#seen.add(message.id);
      this.#sim.timeline.record(
        'customer',
        { kind: 'message.delivered', to: 'customer', reader: 'customer', messageId: message.id, from: roleOf(message), text: message.content.message },
        this.#conversationId,
      );
    }
  }

  async end(): Promise<void> {
    const { orgId, widgetId } = this.#sim.omnichannel;
    this.#started();
    // The widget checks the work item first and skips the close call after wrap-up (d365-omnichannel.md §2.5 A step 6).
    const details = await this.#wire.json<{ State: string }>('GET', `${this.#orgUrl}/livechatconnector/getliveworkitemdetails/${orgId}/${widgetId}/${this.#requestId}?channelId=lcw`);
    if (details.body.State === 'WrapUp' || details.body.State === 'Closed') return;
    await this.#wire.json('POST', `${this.#orgUrl}/livechatconnector/sessionclose/${orgId}/${widgetId}/${this.#requestId}?channelId=lcw`, { body: {} });
  }

  /** The chat token lives 24 hours (d365-omnichannel.md §9); the widget has nothing to renew within a scenario. */
  readonly keepAliveInterval = Number.POSITIVE_INFINITY;

  async keepAlive(): Promise<void> {}

  #threadUrl(token: ChatToken): string {
    return `${token.ACSEndpoint}chat/threads/${encodeURIComponent(token.ChatId)}`;
  }

  #started(): ChatToken {
    if (!this.#token) throw new ScenarioError('The customer has not started a chat. A chat starts before anything is said in it. Start it with: When the customer starts a chat.');
    return this.#token;
  }
}

/** How clients tell senders apart by tags (d365-omnichannel.md §3.3). */
function roleOf(message: ChatMessage): 'customer' | 'copilot' | 'agent' | 'system' {
  const tags = (message.metadata?.tags ?? '').toLowerCase().split(',');
  if (tags.includes('system') || message.senderDisplayName.startsWith('__')) return 'system';
  if (tags.includes('public')) return 'agent';
  if (message.senderDisplayName === 'Customer') return 'customer';
  return 'copilot';
}

interface DirectLineActivity {
  type: string;
  id: string;
  name?: string;
  text?: string;
  value?: unknown;
  from?: { id?: string; role?: string };
}

/** The copilot's own embed code: Direct Line straight to the copilot (copilot-protocol.md §2), polling for activities. */
export class DirectLineCustomer implements CustomerClient {
  readonly channel = "Copilot Studio's embed code" as const;
  readonly #sim: Simulation;
  readonly #wire: WireClient;
  readonly #domain: string;
  #token = '';
  #tokenIssuedAt = 0;
  #conversationId: string | undefined;
  #watermark = '';
  #sequence = 0;

  constructor(sim: Simulation, wire: WireClient, domain = inProcessDirectLineDomain) {
    this.#sim = sim;
    this.#wire = wire;
    this.#domain = domain;
  }

  get conversationId(): string | undefined {
    return this.#conversationId;
  }

  async start(): Promise<void> {
    // The website's back end trades the secret for a token; the page starts the conversation with it (copilot-protocol.md §2.2).
    const generated = await this.#wire.json<{ token: string }>('POST', `${this.#domain}/tokens/generate`, {
      headers: { authorization: `Bearer ${this.#sim.directLine.secret}` },
      body: { user: { id: 'dl_customer', name: 'Customer' } },
    });
    const started = await this.#wire.json<{ conversationId: string; token: string }>('POST', `${this.#domain}/conversations`, {
      headers: { authorization: `Bearer ${generated.body.token}` },
      body: { user: { id: 'dl_customer' } },
    });
    this.#token = started.body.token;
    this.#tokenIssuedAt = this.#sim.clock.now();
    this.#conversationId = started.body.conversationId;
    // Copilot Studio's canvas asks for the greeting with this event once connected (copilot-protocol.md §4.2).
    await this.#wire.json('POST', `${this.#domain}/conversations/${started.body.conversationId}/activities`, {
      headers: { authorization: `Bearer ${this.#token}` },
      body: { type: 'event', name: 'startConversation', from: { id: 'dl_customer', name: 'Customer' }, locale: 'en-US' },
    });
  }

  /** DirectLineJS refreshes its token every 15 minutes (copilot-protocol.md §2.2). */
  readonly keepAliveInterval = 15 * 60_000;

  async keepAlive(): Promise<void> {
    if (!this.#conversationId || this.#sim.clock.now() - this.#tokenIssuedAt < this.keepAliveInterval) return;
    const refreshed = await this.#wire.json<{ token: string }>('POST', `${this.#domain}/tokens/refresh`, { headers: { authorization: `Bearer ${this.#token}` } });
    this.#token = refreshed.body.token;
    this.#tokenIssuedAt = this.#sim.clock.now();
  }

  async say(text: string): Promise<void> {
    this.#sequence += 1;
    await this.#wire.json('POST', `${this.#domain}/conversations/${this.#started()}/activities`, {
      headers: { authorization: `Bearer ${this.#token}` },
      body: { type: 'message', from: { id: 'dl_customer', name: 'Customer' }, locale: 'en-US', text, channelData: { clientActivityID: `customer-${this.#sequence}` } },
    });
  }

  async read(): Promise<void> {
    const id = this.#started();
    const page = await this.#wire.json<{ activities: DirectLineActivity[]; watermark?: string }>('GET', `${this.#domain}/conversations/${id}/activities?watermark=${this.#watermark}`, {
      headers: { authorization: `Bearer ${this.#token}` },
    });
    if (page.body.watermark) this.#watermark = page.body.watermark;
    for (const activity of page.body.activities) {
      if (activity.from?.role === 'user') continue;
      if (activity.type === 'message') {
        this.#sim.timeline.record('customer', { kind: 'message.delivered', to: 'customer', reader: 'customer', messageId: activity.id, from: 'copilot', text: activity.text ?? '' }, id);
      } else if (activity.type === 'event' || activity.type === 'endOfConversation') {
        this.#sim.timeline.record('customer', { kind: 'event.delivered', to: 'customer', name: activity.name ?? activity.type, value: activity.value }, id);
      }
    }
  }

  async end(): Promise<void> {
    await this.#wire.json('POST', `${this.#domain}/conversations/${this.#started()}/activities`, {
      headers: { authorization: `Bearer ${this.#token}` },
      body: { type: 'endOfConversation', from: { id: 'dl_customer' } },
    });
  }

  #started(): string {
    if (!this.#conversationId) throw new ScenarioError('The customer has not started a chat. A chat starts before anything is said in it. Start it with: When the customer starts a chat.');
    return this.#conversationId;
  }
}
