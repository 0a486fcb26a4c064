import { conversationMachine } from '../model/conversation.machine';
import { ObservedActor } from '../sim/observed-actor';
import type { SimulationServices } from '../sim/services';
import type { TokenCheck, TokenClaims } from '../sim/tokens';
import type { CopilotDefinition } from './copilot-definition';
import { CopilotSession, type CopilotOutput } from './copilot-session';
import { FormulaRunner } from './formulas';
import { handoffInitiateActivity, type TranscriptActivity } from './handoff-payload';

/** A Bot Framework activity as Direct Line stores and serves it (copilot-protocol.md §5). */
export interface Activity {
  type: string;
  id?: string;
  timestamp?: string;
  channelId?: string;
  from?: { id?: string; name?: string; role?: string };
  conversation?: { id: string };
  recipient?: { id?: string; name?: string; role?: string };
  replyToId?: string;
  text?: string;
  name?: string;
  value?: unknown;
  channelData?: Record<string, unknown>;
  attachments?: unknown[];
  [key: string]: unknown;
}

/** Who a token speaks for: Direct Line rewrites `from.id` to the token's user (copilot-protocol.md §2.1). */
export interface DirectLineUser {
  id: string;
  name?: string;
}

/** A file sent through upload, kept so that its private link can serve it back (copilot-protocol.md §2.3, §2.5). */
export interface StoredAttachment {
  id: string;
  conversationId: string;
  contentType: string;
  name: string;
  bytes: Uint8Array;
}

/** What a stream (or any observer) hears about one conversation. */
export interface ConversationSubscriber {
  activities(activities: readonly Activity[], watermark: string): void;
  /** The service forgot the conversation: every later call answers 404 (copilot-protocol.md §2.7). */
  ended(): void;
}

export interface DirectLineConversation {
  id: string;
  activities: Activity[];
  /** The token the conversation was started with: starting again with it answers 200 (copilot-protocol.md §2.2). */
  startedWithToken?: string;
  /** The user bound by the token, or the last `from` a client sent; bot activities are addressed to it. */
  user?: DirectLineUser;
  copilot: CopilotSession;
  conversation: ObservedActor<typeof conversationMachine>;
  /** The client activity the copilot is answering: its replies carry it as `replyToId` (copilot-protocol.md §3.5). */
  lastUserActivityId?: string;
  readonly subscribers: Set<ConversationSubscriber>;
  readonly attachments: Map<string, StoredAttachment>;
}

/** Enough remembered tokens for thousands of live conversations; past it the memory starts over. */
const maxVerifiedTokens = 10_000;

/** Direct Line's own placeholder for the service URL of every activity (copilot-protocol.md §4.3). */
export const directLineServiceUrl = 'https://directline.botframework.com/';

/** The event that runs Copilot Studio's Conversation Start topic (copilot-protocol.md §4.2). */
export const startConversationEventName = 'startConversation';

/**
 * The copilot reached through its own embed code: Direct Line straight to the copilot, no Dynamics 365
 * in the loop. A transfer can only become a `handoff.initiate` event to the website; nothing routes it,
 * so no agent ever joins (seed: "If you use the embed code from Copilot Studio, handoff doesn't work").
 */
export class DirectLineChannel {
  readonly #services: SimulationServices;
  readonly #copilot: () => CopilotDefinition | undefined;
  readonly #conversations = new Map<string, DirectLineConversation>();
  /** Conversations the service no longer knows: 404 "Unknown conversation" (copilot-protocol.md §2.7). */
  readonly #ended = new Set<string>();
  readonly #attachments = new Map<string, StoredAttachment>();
  /** Tokens whose signature was already verified: a busy client sends the same token on every call. */
  readonly #verified = new Map<string, TokenClaims>();
  /** The secret the channel accepts, as Copilot Studio's channel settings show it. */
  readonly secret: string;
  readonly tokenLifetimeSeconds = 1800; // copilot-protocol.md §2.2 recommends enforcing 1800
  /** A stream URL must be opened within 60 s, then the client asks for a new one (copilot-protocol.md §2.2). */
  readonly streamTokenLifetimeSeconds = 60;

  constructor(services: SimulationServices, copilot: () => CopilotDefinition | undefined) {
    this.#services = services;
    this.#copilot = copilot;
    this.secret = services.ids.alphanumeric(43);
  }

  get conversations(): ReadonlyMap<string, DirectLineConversation> {
    return this.#conversations;
  }

  /** 22 base62 characters plus a region suffix, like the service's ids (copilot-protocol.md §12.1). */
  newConversationId(): string {
    return `${this.#services.ids.alphanumeric(22)}-${this.#services.ids.alphanumeric(1)}`;
  }

  /** A conversation token; `user` becomes the `user` claim that clients and the service read (copilot-protocol.md §2.1, §3.5). */
  issueToken(conversationId: string, user?: Partial<DirectLineUser>, lifetimeSeconds = this.tokenLifetimeSeconds): string {
    const claims: Omit<TokenClaims, 'iat' | 'exp'> = { scope: 'directline:conversation', conv: conversationId };
    if (user?.id) claims['user'] = user.id;
    if (user?.name) claims['name'] = user.name;
    return this.#services.tokens.issue(claims, lifetimeSeconds);
  }

  /** A new token with the same conversation and user as a still-valid one (copilot-protocol.md §2.2 refresh). */
  refreshToken(claims: TokenClaims): string {
    return this.issueToken(String(claims.conv), userOf(claims));
  }

  /**
   * The `t=` of a stream URL: pre-authorises one WebSocket to one conversation (copilot-protocol.md §0
   * fact 1) and remembers where its replay starts (§2.6).
   */
  issueStreamToken(conversationId: string, replayAfter: number): string {
    return this.#services.tokens.issue({ scope: 'directline:stream', conv: conversationId, after: replayAfter }, this.streamTokenLifetimeSeconds);
  }

  /**
   * Checks a token as TokenService does, remembering good signatures; expiry is checked on every call
   * against the virtual clock, as the service rejects an expired token (copilot-protocol.md §2.7).
   */
  checkToken(token: string): TokenCheck {
    const known = this.#verified.get(token);
    if (known) return known.exp * 1000 <= this.#services.clock.now() ? { valid: false, reason: 'expired' } : { valid: true, claims: known };
    const check = this.#services.tokens.check(token);
    if (check.valid) {
      if (this.#verified.size >= maxVerifiedTokens) this.#verified.clear();
      this.#verified.set(token, check.claims);
    }
    return check;
  }

  conversation(id: string): DirectLineConversation | undefined {
    return this.#conversations.get(id);
  }

  isEnded(id: string): boolean {
    return this.#ended.has(id);
  }

  /**
   * Creates the conversation. Nothing is said until the client sends `startConversation`, as Copilot
   * Studio does (copilot-protocol.md §4.2, §12.3).
   */
  start(conversationId: string, startedWithToken?: string, user?: DirectLineUser): DirectLineConversation {
    const copilot = this.#copilot();
    if (!copilot) {
      throw new Error('No copilot is defined for this simulation. Direct Line talks to a copilot. Define one with: Given the copilot "Name" with the topics:');
    }
    const { clock, timeline, ids } = this.#services;
    const conversation: DirectLineConversation = {
      id: conversationId,
      activities: [],
      startedWithToken,
      user,
      subscribers: new Set(),
      attachments: new Map(),
      conversation: new ObservedActor(conversationMachine, { clock, timeline, machineName: 'conversation', id: conversationId, conversationId }),
      copilot: undefined as unknown as CopilotSession,
    };
    conversation.copilot = new CopilotSession(
      copilot,
      {
        channelId: 'directline',
        conversationId,
        now: () => clock.now(),
        setTimeout: (callback, ms) => clock.setTimeout(callback, ms),
        clearTimeout: (handle) => clock.clearTimeout(handle),
        deliver: (output) => this.#copilotDid(conversation, copilot, output),
        topicTriggered: (topic, trigger) => timeline.record('copilot', { kind: 'topic.triggered', topic, trigger }, conversationId),
        problem: (message) => timeline.record('copilot', { kind: 'problem', message }, conversationId),
        newId: () => ids.uuid(),
      },
      new FormulaRunner(() => clock.now()),
    );
    this.#conversations.set(conversationId, conversation);
    return conversation;
  }

  /**
   * A client activity: stamped, echoed into the log, and handed to the copilot (copilot-protocol.md
   * §2.4). `from.id` becomes the token's user when the token binds one (§2.1); `channelData` is kept so
   * that Web Chat finds its `clientActivityID` in the echo (§0 fact 5).
   */
  receive(conversation: DirectLineConversation, activity: Activity, tokenUser?: DirectLineUser): Activity {
    const from = { ...activity.from, id: tokenUser?.id ?? activity.from?.id, name: activity.from?.name ?? tokenUser?.name, role: 'user' };
    if (from.id) conversation.user = { id: from.id, name: from.name };
    const copilot = this.#copilot();
    const stored = this.#append(conversation, {
      ...activity,
      from,
      recipient: { id: copilot?.botId, name: copilot?.name, role: 'bot' },
    });
    if (activity.type === 'message') {
      conversation.lastUserActivityId = stored.id;
      this.#services.timeline.record('customer', { kind: 'message.sent', messageId: stored.id!, from: 'customer', sender: from.name ?? 'Customer', text: activity.text ?? '' }, conversation.id);
      conversation.conversation.send({ type: 'customer.messaged' });
      conversation.copilot.receiveMessage(activity.text ?? '');
    } else if (activity.type === 'event' && activity.name === startConversationEventName) {
      conversation.lastUserActivityId = stored.id;
      this.#services.timeline.record('customer', { kind: 'event.sent', from: 'customer', name: startConversationEventName, channel: 'directline', value: activity.value }, conversation.id);
      if (!conversation.copilot.ended) conversation.copilot.begin();
    }
    return stored;
  }

  /**
   * Activities after a watermark (copilot-protocol.md §2.3): the watermark is the sequence number of the
   * last activity a client has, `-1` for none. Polling never sees `typing` (§2.3 table, §12.6).
   */
  activitiesAfter(conversation: DirectLineConversation, after: number, options: { includeTyping: boolean }): { activities: Activity[]; watermark?: string } {
    const newer = conversation.activities.slice(Math.max(0, after + 1));
    return {
      activities: options.includeTyping ? newer : newer.filter((activity) => activity.type !== 'typing'),
      watermark: this.watermarkOf(conversation),
    };
  }

  /** The watermark of everything so far; none while the log is empty, so a client keeps its own (§2.3). */
  watermarkOf(conversation: DirectLineConversation): string | undefined {
    return conversation.activities.length > 0 ? String(conversation.activities.length - 1) : undefined;
  }

  /** The sequence number of the newest activity, `-1` when there is none. */
  lastSequence(conversation: DirectLineConversation): number {
    return conversation.activities.length - 1;
  }

  subscribe(conversation: DirectLineConversation, subscriber: ConversationSubscriber): () => void {
    conversation.subscribers.add(subscriber);
    return () => conversation.subscribers.delete(subscriber);
  }

  /**
   * The service forgets the conversation (retention, or a fault a test injects, copilot-protocol.md
   * §2.3, §12.11): every later call answers 404 and open streams close, so clients end (§3.4).
   */
  end(conversationId: string): boolean {
    const conversation = this.#conversations.get(conversationId);
    if (!conversation) return false;
    this.#conversations.delete(conversationId);
    this.#ended.add(conversationId);
    conversation.copilot.stop();
    for (const attachment of conversation.attachments.values()) this.#attachments.delete(attachment.id);
    this.#services.timeline.record('system', { kind: 'problem', message: `Direct Line forgot conversation ${conversationId}: later calls answer 404 "Unknown conversation"` }, conversationId);
    for (const subscriber of [...conversation.subscribers]) subscriber.ended();
    conversation.subscribers.clear();
    return true;
  }

  /** Keeps an uploaded file; the activity refers to it by a private link (copilot-protocol.md §2.3). */
  storeAttachment(conversation: DirectLineConversation, file: { contentType: string; name: string; bytes: Uint8Array }): StoredAttachment {
    const stored: StoredAttachment = { id: this.#services.ids.alphanumeric(24), conversationId: conversation.id, ...file };
    conversation.attachments.set(stored.id, stored);
    this.#attachments.set(stored.id, stored);
    return stored;
  }

  attachment(conversationId: string, attachmentId: string): StoredAttachment | undefined {
    const stored = this.#attachments.get(attachmentId);
    return stored?.conversationId === conversationId ? stored : undefined;
  }

  #copilotDid(conversation: DirectLineConversation, copilot: CopilotDefinition, output: CopilotOutput): void {
    const bot = { id: copilot.botId, name: copilot.name, role: 'bot' };
    const recipient = conversation.user ? { ...conversation.user, role: 'user' } : undefined;
    switch (output.kind) {
      case 'message': {
        // The shape of a Copilot Studio message over Direct Line (copilot-protocol.md §4.3, §12.7).
        const activity = this.#append(conversation, {
          type: 'message',
          from: bot,
          recipient,
          textFormat: 'markdown',
          text: output.text,
          inputHint: 'acceptingInput',
          attachments: [],
          entities: [],
          replyToId: conversation.lastUserActivityId,
        });
        this.#services.timeline.record('copilot', { kind: 'message.sent', messageId: activity.id!, from: 'copilot', sender: copilot.name, text: output.text }, conversation.id);
        return;
      }
      case 'transfer': {
        const { timeline } = this.#services;
        // The transcript is the Direct Line log itself, with the service's ids, as in the real capture (copilot-protocol.md §6.2, §11.3).
        const transcript = conversation.activities.filter((activity) => activity.type === 'message') as unknown as TranscriptActivity[];
        const payload = { ...output.handoff, transcript };
        const envelope = { id: this.#nextId(conversation), timestamp: this.#nextTimestamp(conversation), conversationId: conversation.id, botId: copilot.botId, botName: copilot.name, replyToId: conversation.lastUserActivityId };
        const event: Activity = {
          ...handoffInitiateActivity(payload, envelope),
          serviceUrl: directLineServiceUrl,
          // The conversation reference of the activity that led to the transfer (copilot-protocol.md §6.1, §6.2).
          relatesTo: {
            activityId: conversation.lastUserActivityId,
            user: recipient,
            bot,
            conversation: { id: conversation.id },
            channelId: 'directline',
            serviceUrl: directLineServiceUrl,
          },
        };
        this.#push(conversation, event);
        timeline.record('copilot', { kind: 'handoff.requested', channel: 'directline', variables: output.handoff.variables, agentMessage: output.handoff.agentMessage, transcriptLength: transcript.length }, conversation.id);
        timeline.record('copilot', { kind: 'event.sent', from: 'copilot', name: 'handoff.initiate', channel: 'directline', value: output.handoff.variables }, conversation.id);
        conversation.conversation.send({ type: 'copilot.escalated' });
        return;
      }
      case 'conversationEnded':
      case 'closeRequested':
        // Direct Line forwards endOfConversation and keeps the conversation open (copilot-protocol.md §7.2).
        this.#append(conversation, { type: 'endOfConversation', from: bot, recipient, code: 'completedSuccessfully', replyToId: conversation.lastUserActivityId });
        this.#services.timeline.record('copilot', { kind: 'event.sent', from: 'copilot', name: 'endOfConversation', channel: 'directline' }, conversation.id);
        return;
    }
  }

  /** Direct Line stamps id, timestamp, channel and conversation on everything it stores (copilot-protocol.md §2.4). */
  #append(conversation: DirectLineConversation, activity: Activity): Activity {
    const stored: Activity = {
      ...activity,
      id: this.#nextId(conversation),
      timestamp: this.#nextTimestamp(conversation),
      serviceUrl: directLineServiceUrl,
      channelId: 'directline',
      conversation: { id: conversation.id },
    };
    if (stored.recipient === undefined) delete stored.recipient;
    if (stored.replyToId === undefined) delete stored.replyToId;
    this.#push(conversation, stored);
    return stored;
  }

  #push(conversation: DirectLineConversation, activity: Activity): void {
    conversation.activities.push(activity);
    const watermark = String(conversation.activities.length - 1);
    for (const subscriber of conversation.subscribers) subscriber.activities([activity], watermark);
  }

  /** `<conversationId>|<zero-padded sequence>` like the real service (copilot-protocol.md §2.3, §12.1). */
  #nextId(conversation: DirectLineConversation): string {
    return `${conversation.id}|${String(conversation.activities.length).padStart(7, '0')}`;
  }

  /** Strictly increasing timestamps, even within one virtual millisecond: Web Chat orders by them (§0 fact 6). */
  #nextTimestamp(conversation: DirectLineConversation): string {
    const last = conversation.activities.at(-1)?.timestamp;
    const now = this.#services.clock.now();
    const at = last ? Math.max(now, Date.parse(last) + 1) : now;
    return new Date(at).toISOString();
  }
}

/** The user a token binds, from its claims. */
export function userOf(claims: TokenClaims): DirectLineUser | undefined {
  const id = claims['user'];
  if (typeof id !== 'string' || !id) return undefined;
  const name = claims['name'];
  return typeof name === 'string' ? { id, name } : { id };
}
