import type { ActionNode, CopilotDefinition, TopicDefinition, TriggerNode } from './copilot-definition';
import { buildHandoffPayload, type HandoffPayload, type TranscriptActivity } from './handoff-payload';
import { IntentMatcher } from './intent-matcher';
import { FormulaRunner, type VariablePath } from './formulas';

/** What the copilot does, for the host (Dynamics 365 or Direct Line) to put on its wire. */
export type CopilotOutput =
  | { kind: 'message'; text: string; topic: string }
  | { kind: 'transfer'; topic: string; handoff: HandoffPayload }
  | { kind: 'conversationEnded'; topic: string }
  /** `CloseOmnichannelConversation = true` followed by a transfer: D365 ends the chat (d365-omnichannel.md §6.4). */
  | { kind: 'closeRequested'; topic: string };

export interface CopilotHost {
  /** The raw channel id the copilot sees: `lcw` behind Dynamics 365, `directline` on the embed code. */
  channelId: string;
  conversationId: string;
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  deliver(output: CopilotOutput): void;
  topicTriggered(topic: string, trigger: string): void;
  problem(message: string): void;
  newId(): string;
}

/** System.Activity.Channel is an option set (copilot-topic-yaml.md §3.2); raw ids map onto its members. */
const channelMembers: Record<string, string> = {
  lcw: 'Omnichannel',
  omnichannel: 'Omnichannel',
  directline: 'Directline',
  webchat: 'Directline',
  msteams: 'MsTeams',
  telephony: 'Telephony',
  facebook: 'Facebook',
};

const fallbackMessage = "I'm sorry, I'm not sure how to help with that. Can you try rephrasing?";

interface Frame {
  topic: TopicDefinition;
  actions: readonly ActionNode[];
  index: number;
  topicVariables: Map<string, unknown>;
}

interface PendingQuestion {
  frame: Frame;
  variable: string;
  entity: unknown;
}

/** One conversation with a copilot: its variables, the topic stack, and the inactivity timers. */
export class CopilotSession {
  readonly #copilot: CopilotDefinition;
  readonly #host: CopilotHost;
  readonly #formulas: FormulaRunner;
  readonly #matcher: IntentMatcher<TopicDefinition>;
  readonly #globals = new Map<string, unknown>();
  #frames: Frame[] = [];
  #pending: PendingQuestion | undefined;
  #phrases: string[] = [];
  #topicsByPhrase: string[] = [];
  #lastTopic = '';
  #transcript: TranscriptActivity[] = [];
  #lastText = '';
  #fallbackCount = 0;
  #ended = false;
  #inactivityTimer: unknown;
  #idleSince = 0;
  #inactivityTiers: TopicDefinition[] = [];

  constructor(copilot: CopilotDefinition, host: CopilotHost, formulas = new FormulaRunner()) {
    this.#copilot = copilot;
    this.#host = host;
    this.#formulas = formulas;
    const intentTopics = copilot.topics.filter((topic) => isIntentTrigger(topic.dialog.beginDialog));
    this.#matcher = new IntentMatcher(intentTopics.map((topic) => ({ value: topic, phrases: topic.dialog.beginDialog.intent?.triggerQueries ?? [] })));
  }

  get ended(): boolean {
    return this.#ended;
  }

  get globalVariables(): ReadonlyMap<string, unknown> {
    return this.#globals;
  }

  /** The conversation starts: context variables from the channel become globals, the greeting runs. */
  begin(context: Record<string, unknown> = {}): void {
    for (const [name, value] of Object.entries(context)) this.#globals.set(name, value);
    for (const topic of this.#topicsWithTrigger('OnConversationStart')) this.#startTopic(topic, 'OnConversationStart');
    this.#run();
    this.#armInactivity();
  }

  /** The customer said something. */
  receiveMessage(text: string): void {
    if (this.#ended) return;
    this.#lastText = text;
    this.#phrases.push(text);
    this.#transcript.push({ type: 'message', id: this.#host.newId(), timestamp: new Date(this.#host.now()).toISOString(), from: { id: 'customer', role: 'user' }, text });
    if (this.#pending) {
      const { frame, variable } = this.#pending;
      this.#pending = undefined;
      this.#assign(variable, text, frame);
    } else {
      const match = this.#matcher.match(text);
      if (match) {
        this.#fallbackCount = 0;
        this.#topicsByPhrase.push(match.value.name);
        this.#lastTopic = match.value.name;
        this.#startTopic(match.value, match.value.dialog.beginDialog.kind);
      } else {
        this.#fallbackCount += 1;
        const fallback = this.#topicsWithTrigger('OnUnknownIntent')[0];
        if (fallback) this.#startTopic(fallback, 'OnUnknownIntent');
        else this.#say(fallbackMessage, 'Fallback');
      }
    }
    this.#run();
    this.#armInactivity();
  }

  /** Stops the session's timers: the conversation left the copilot. */
  stop(): void {
    this.#ended = true;
    this.#cancelInactivity();
    this.#frames = [];
    this.#pending = undefined;
  }

  #topicsWithTrigger(kind: string): TopicDefinition[] {
    return this.#copilot.topics.filter((topic) => topic.dialog.beginDialog.kind === kind);
  }

  #startTopic(topic: TopicDefinition, trigger: string): void {
    if (topic.dialog.startBehavior === 'CancelOtherTopics' || trigger !== 'OnConversationStart') {
      this.#frames = [];
      this.#pending = undefined;
    }
    this.#host.topicTriggered(topic.name, trigger);
    this.#frames.push({ topic, actions: topic.dialog.beginDialog.actions ?? [], index: 0, topicVariables: new Map() });
  }

  #run(): void {
    while (this.#frames.length > 0 && !this.#ended && !this.#pending) {
      const frame = this.#frames[this.#frames.length - 1]!;
      const action = frame.actions[frame.index];
      if (!action) {
        this.#frames.pop();
        continue;
      }
      frame.index += 1;
      if (action.disabled === true) continue;
      this.#execute(action, frame);
    }
  }

  #execute(action: ActionNode, frame: Frame): void {
    switch (action.kind) {
      case 'SendActivity':
        this.#say(this.#formulas.template(activityText(action['activity']), this.#variables(frame), frame.topic.locate?.(action)), frame.topic.name);
        return;
      case 'SetVariable':
        this.#assign(String(action['variable']), this.#formulas.value(action['value'], this.#variables(frame), frame.topic.locate?.(action)), frame);
        return;
      case 'SetTextVariable':
        this.#assign(String(action['variable']), this.#formulas.template(String(action['value'] ?? ''), this.#variables(frame), frame.topic.locate?.(action)), frame);
        return;
      case 'ConditionGroup':
        this.#branch(action, frame);
        return;
      case 'Question':
        this.#say(this.#formulas.template(activityText(action['prompt']), this.#variables(frame), frame.topic.locate?.(action)), frame.topic.name);
        this.#pending = { frame, variable: String(action['variable']), entity: action['entity'] };
        return;
      case 'BeginDialog':
      case 'ReplaceDialog':
        this.#redirect(action, frame);
        return;
      case 'EndDialog':
        this.#frames = this.#frames.filter((f) => f.topicVariables !== frame.topicVariables);
        return;
      case 'CancelAllDialogs':
        this.#frames = [];
        return;
      case 'EndConversation':
        this.#host.deliver({ kind: 'conversationEnded', topic: frame.topic.name });
        this.stop();
        return;
      case 'TransferConversation':
      case 'TransferConversationV2':
        this.#transfer(action, frame);
        return;
      default:
        this.#host.problem(
          `Topic "${frame.topic.name}" stopped at node ${action.id ?? '(no id)'}${where(frame, action)}: the node kind "${action.kind}" is not supported yet. ` +
            'The rest of the topic did not run.',
        );
        this.#frames = this.#frames.filter((f) => f.topicVariables !== frame.topicVariables);
    }
  }

  #branch(action: ActionNode, frame: Frame): void {
    const conditions = Array.isArray(action['conditions']) ? (action['conditions'] as ActionNode[]) : [];
    const variables = this.#variables(frame);
    const chosen = conditions.find((item) => this.#formulas.condition(item['condition'], variables, frame.topic.locate?.(item)));
    const actions = chosen ? chosen['actions'] : action['elseActions'];
    if (Array.isArray(actions) && actions.length > 0) {
      this.#frames.push({ topic: frame.topic, actions: actions as ActionNode[], index: 0, topicVariables: frame.topicVariables });
    }
  }

  #redirect(action: ActionNode, frame: Frame): void {
    const reference = String(this.#formulas.value(action['dialog'], this.#variables(frame), frame.topic.locate?.(action)) ?? '');
    const target = this.#copilot.topics.find((topic) => topic.schemaName === reference || topic.name === reference);
    if (!target) {
      this.#host.problem(`Topic "${frame.topic.name}" redirects to "${reference}"${where(frame, action)}, which this copilot does not have. The redirect was skipped.`);
      return;
    }
    if (action.kind === 'ReplaceDialog') this.#frames = this.#frames.filter((f) => f.topicVariables !== frame.topicVariables);
    if (target.dialog.startBehavior === 'CancelOtherTopics') this.#frames = [];
    this.#host.topicTriggered(target.name, action.kind);
    this.#frames.push({ topic: target, actions: target.dialog.beginDialog.actions ?? [], index: 0, topicVariables: new Map() });
  }

  #transfer(action: ActionNode, frame: Frame): void {
    const transferType = (action['transferType'] ?? {}) as Record<string, unknown>;
    const messageToAgent = transferType['messageToAgent'] ?? action['messageToAgent'];
    const agentMessage = messageToAgent === undefined ? '' : this.#formulas.template(activityText(messageToAgent), this.#variables(frame), frame.topic.locate?.(action));
    if (this.#globals.get('CloseOmnichannelConversation') === true) {
      this.#host.deliver({ kind: 'closeRequested', topic: frame.topic.name });
      this.stop();
      return;
    }
    const customVariables: Record<string, unknown> = Object.fromEntries(this.#globals);
    for (const [name, value] of frame.topicVariables) customVariables[name] = value;
    const handoff = buildHandoffPayload({
      conversationId: this.#host.conversationId,
      botId: this.#copilot.botId,
      botName: this.#copilot.name,
      language: this.#copilot.language,
      lastTopic: this.#lastTopic || frame.topic.name,
      topics: this.#topicsByPhrase,
      phrases: this.#phrases,
      agentMessage,
      customVariables,
      transcript: [...this.#transcript],
    });
    this.#host.deliver({ kind: 'transfer', topic: frame.topic.name, handoff });
    this.stop();
  }

  #say(text: string, topic: string): void {
    this.#transcript.push({ type: 'message', id: this.#host.newId(), timestamp: new Date(this.#host.now()).toISOString(), from: { id: this.#copilot.botId, name: this.#copilot.name, role: 'bot' }, text });
    this.#host.deliver({ kind: 'message', text, topic });
  }

  #assign(variable: string, value: unknown, frame: Frame): void {
    const name = variable.replace(/^init:/, '');
    const [scope, ...rest] = name.split('.');
    const key = rest.join('.');
    if (scope === 'Global') this.#globals.set(key, value);
    else if (scope === 'Topic') frame.topicVariables.set(key, value);
    else this.#host.problem(`Topic "${frame.topic.name}" sets "${variable}"${where(frame, frame.actions[frame.index - 1])}, which is not a Topic or Global variable. The value was not stored.`);
  }

  #variables(frame: Frame | undefined): (path: VariablePath) => unknown {
    return (path) => {
      const [scope, name, ...rest] = path;
      let value: unknown;
      if (scope === 'Global') value = this.#globals.get(name ?? '');
      else if (scope === 'Topic') value = frame?.topicVariables.get(name ?? '');
      else if (scope === 'System') return dig(this.#system(), path.slice(1));
      else return undefined;
      return dig(value, rest);
    };
  }

  #system(): Record<string, unknown> {
    const channelId = this.#host.channelId;
    return {
      Activity: { Text: this.#lastText, ChannelId: channelId, Channel: { optionSet: 'ChannelId', member: channelMembers[channelId] ?? channelId } },
      LastMessage: { Text: this.#lastText },
      Conversation: { Id: this.#host.conversationId, InTestMode: false },
      Bot: { Name: this.#copilot.name, Id: this.#copilot.botId, SchemaName: this.#copilot.schemaName },
      User: { Language: this.#copilot.language },
      FallbackCount: this.#fallbackCount,
    };
  }

  /**
   * Copilot Studio's inactivity runtime (copilot-protocol.md §7.1): on every customer message all
   * OnInactivity triggers are re-evaluated, one per duration, shortest first; one timer is armed at a
   * time and the next one when it fires. The trigger's condition is evaluated when its timer fires,
   * because variables may have changed since it was armed (copilot-topic-yaml.md §2.1 leaves it open).
   */
  #armInactivity(): void {
    this.#cancelInactivity();
    if (this.#ended) return;
    const byDuration = new Map<number, TopicDefinition>();
    for (const topic of this.#topicsWithTrigger('OnInactivity')) {
      const seconds = this.#inactivitySeconds(topic);
      const current = byDuration.get(seconds);
      if (!current || (topic.dialog.beginDialog.priority ?? 0) < (current.dialog.beginDialog.priority ?? 0)) byDuration.set(seconds, topic);
    }
    this.#inactivityTiers = [...byDuration.entries()].sort(([a], [b]) => a - b).map(([, topic]) => topic);
    this.#idleSince = this.#host.now();
    this.#armNextTier(0);
  }

  #armNextTier(index: number): void {
    const topic = this.#inactivityTiers[index];
    if (!topic || this.#ended) return;
    const dueAt = this.#idleSince + this.#inactivitySeconds(topic) * 1000;
    this.#inactivityTimer = this.#host.setTimeout(() => {
      this.#inactivityTimer = undefined;
      if (this.#formulas.condition(topic.dialog.beginDialog.condition ?? true, this.#variables(undefined), topic.locate?.(topic.dialog.beginDialog))) {
        this.#startTopic(topic, 'OnInactivity');
        this.#run();
      }
      this.#armNextTier(index + 1);
    }, Math.max(0, dueAt - this.#host.now()));
  }

  #cancelInactivity(): void {
    if (this.#inactivityTimer !== undefined) this.#host.clearTimeout(this.#inactivityTimer);
    this.#inactivityTimer = undefined;
  }

  #inactivitySeconds(topic: TopicDefinition): number {
    const raw = topic.dialog.beginDialog.durationInSeconds ?? 1800; // schema default (copilot-topic-yaml.md §2.1)
    const value = Number(this.#formulas.value(raw, this.#variables(undefined), topic.locate?.(topic.dialog.beginDialog)));
    return Number.isFinite(value) && value >= 0 ? value : 1800;
  }
}

function isIntentTrigger(trigger: TriggerNode): boolean {
  return (trigger.kind === 'OnRecognizedIntent' || trigger.kind === 'OnEscalate') && Array.isArray(trigger.intent?.triggerQueries);
}

/** `activity:` is a string or `{ text: [variations] }`; the first variation keeps runs deterministic. */
function activityText(activity: unknown): string {
  if (typeof activity === 'string') return activity;
  if (activity && typeof activity === 'object') {
    const text = (activity as { text?: unknown }).text;
    if (Array.isArray(text)) return String(text[0] ?? '');
    if (typeof text === 'string') return text;
  }
  return '';
}

function dig(value: unknown, path: readonly string[]): unknown {
  let current = value;
  for (const segment of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[segment];
  }
  return current;
}

function where(frame: Frame, action: ActionNode | undefined): string {
  const location = action ? frame.topic.locate?.(action) : undefined;
  return location ? ` (${location.file}:${location.line}:${location.column})` : frame.topic.file ? ` (${frame.topic.file})` : '';
}
