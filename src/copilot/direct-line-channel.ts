import { conversationMachine } from '../model/conversation.machine';
import { ObservedActor } from '../sim/observed-actor';
import type { SimulationServices } from '../sim/services';
import type { CopilotDefinition } from './copilot-definition';
import { CopilotSession, type CopilotOutput } from './copilot-session';
import { FormulaRunner } from './formulas';
import { handoffInitiateActivity } from './handoff-payload';

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

export interface DirectLineConversation {
  id: string;
  activities: Activity[];
  /** The token the conversation was started with: starting again with it answers 200 (copilot-protocol.md §2.2). */
  startedWithToken?: string;
  copilot: CopilotSession;
  conversation: ObservedActor<typeof conversationMachine>;
  lastUserActivityId?: string;
  /** Notified when activities are appended, so a stream can push them. */
  listeners: Set<(activities: Activity[]) => void>;
}

/**
 * The copilot reached through its own embed code: Direct Line straight to the copilot, no Dynamics 365
 * in the loop. A transfer can only become a `handoff.initiate` event to the website; nothing routes it,
 * so no agent ever joins (seed: "If you use the embed code from Copilot Studio, handoff doesn't work").
 */
export class DirectLineChannel {
  readonly #services: SimulationServices;
  readonly #copilot: () => CopilotDefinition | undefined;
  readonly #conversations = new Map<string, DirectLineConversation>();
  /** The secret the channel accepts, as Copilot Studio's channel settings show it. */
  readonly secret: string;
  readonly tokenLifetimeSeconds = 1800; // copilot-protocol.md §2.2 recommends enforcing 1800

  constructor(services: SimulationServices, copilot: () => CopilotDefinition | undefined) {
    this.#services = services;
    this.#copilot = copilot;
    this.secret = services.ids.alphanumeric(43);
  }

  get conversations(): ReadonlyMap<string, DirectLineConversation> {
    return this.#conversations;
  }

  /** Reserves a conversation id for a token (tokens/generate does not start the conversation, §2.2). */
  newConversationId(): string {
    return `${this.#services.ids.alphanumeric(22)}-${this.#services.ids.alphanumeric(1)}`;
  }

  issueToken(conversationId: string, user?: { id?: string; name?: string }): string {
    return this.#services.tokens.issue({ scope: 'directline:conversation', conv: conversationId, user: user?.id, name: user?.name }, this.tokenLifetimeSeconds);
  }

  conversation(id: string): DirectLineConversation | undefined {
    return this.#conversations.get(id);
  }

  /** Starts the conversation: the copilot's conversation-start topic runs (copilot-protocol.md §4.2). */
  start(conversationId: string, startedWithToken?: string): DirectLineConversation {
    const copilot = this.#copilot();
    if (!copilot) {
      throw new Error('No copilot is defined for this simulation. Direct Line talks to a copilot. Define one with: Given the copilot "Name" with the topics:');
    }
    const { clock, timeline, ids } = this.#services;
    const conversation: DirectLineConversation = {
      id: conversationId,
      activities: [],
      startedWithToken,
      listeners: new Set(),
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
    conversation.copilot.begin();
    return conversation;
  }

  /** A client activity: stamped, echoed into the log, and handed to the copilot (copilot-protocol.md §2.4). */
  receive(conversation: DirectLineConversation, activity: Activity): Activity {
    const stored = this.#append(conversation, {
      ...activity,
      from: { ...activity.from, role: 'user' },
      recipient: { id: this.#copilot()?.botId, name: this.#copilot()?.name, role: 'bot' },
    });
    if (activity.type === 'message') {
      conversation.lastUserActivityId = stored.id;
      this.#services.timeline.record('customer', { kind: 'message.sent', messageId: stored.id!, from: 'customer', sender: activity.from?.name ?? 'Customer', text: activity.text ?? '' }, conversation.id);
      conversation.conversation.send({ type: 'customer.messaged' });
      conversation.copilot.receiveMessage(activity.text ?? '');
    }
    return stored;
  }

  /** Activities after the watermark, and the new watermark (copilot-protocol.md §2.3). */
  activitiesAfter(conversation: DirectLineConversation, watermark: number): { activities: Activity[]; watermark: string } {
    return { activities: conversation.activities.slice(watermark), watermark: String(conversation.activities.length) };
  }

  #copilotDid(conversation: DirectLineConversation, copilot: CopilotDefinition, output: CopilotOutput): void {
    const bot = { id: copilot.botId, name: copilot.name, role: 'bot' };
    switch (output.kind) {
      case 'message': {
        const activity = this.#append(conversation, { type: 'message', from: bot, text: output.text, replyToId: conversation.lastUserActivityId });
        this.#services.timeline.record('copilot', { kind: 'message.sent', messageId: activity.id!, from: 'copilot', sender: copilot.name, text: output.text }, conversation.id);
        return;
      }
      case 'transfer': {
        const { timeline } = this.#services;
        const envelope = { id: this.#nextId(conversation), timestamp: this.#nextTimestamp(conversation), conversationId: conversation.id, botId: copilot.botId, botName: copilot.name, replyToId: conversation.lastUserActivityId };
        const event = handoffInitiateActivity(output.handoff, envelope);
        this.#push(conversation, event);
        timeline.record('copilot', { kind: 'handoff.requested', channel: 'directline', variables: output.handoff.variables, agentMessage: output.handoff.agentMessage, transcriptLength: output.handoff.transcript.length }, conversation.id);
        timeline.record('copilot', { kind: 'event.sent', from: 'copilot', name: 'handoff.initiate', channel: 'directline', value: output.handoff.variables }, conversation.id);
        conversation.conversation.send({ type: 'copilot.escalated' });
        return;
      }
      case 'conversationEnded':
      case 'closeRequested':
        // Direct Line forwards endOfConversation and keeps the conversation open (copilot-protocol.md §7.2).
        this.#append(conversation, { type: 'endOfConversation', from: bot, code: 'completedSuccessfully', replyToId: conversation.lastUserActivityId });
        this.#services.timeline.record('copilot', { kind: 'event.sent', from: 'copilot', name: 'endOfConversation', channel: 'directline' }, conversation.id);
        return;
    }
  }

  #append(conversation: DirectLineConversation, activity: Activity): Activity {
    const stored: Activity = {
      ...activity,
      id: this.#nextId(conversation),
      timestamp: this.#nextTimestamp(conversation),
      channelId: 'directline',
      conversation: { id: conversation.id },
    };
    this.#push(conversation, stored);
    return stored;
  }

  #push(conversation: DirectLineConversation, activity: Activity): void {
    conversation.activities.push(activity);
    for (const listener of conversation.listeners) listener([activity]);
  }

  /** `<conversationId>|<zero-padded sequence>` like the real service (copilot-protocol.md §2.3). */
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
