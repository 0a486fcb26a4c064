/**
 * One ordered log of everything that happened in a simulation, on virtual time. Assertions, reports,
 * replay bundles and model coverage are all views of it.
 */

/** Who acted; each is a swimlane in the conversation report. */
export type Party = 'customer' | 'copilot' | 'routing' | 'agent' | 'system' | 'wire';

/** A message as it was posted into a conversation (the thread, or the Direct Line activity log). */
export interface MessageSent {
  kind: 'message.sent';
  messageId: string;
  from: 'customer' | 'copilot' | 'agent' | 'system';
  sender: string;
  text: string;
  tags?: string;
}

/** A message handed to a reader through the reader's own path (the wire for the customer, the agent's panel). */
export interface MessageDelivered {
  kind: 'message.delivered';
  to: 'customer' | 'agent' | 'copilot';
  reader: string;
  messageId: string;
  from: MessageSent['from'];
  text: string;
}

/** An event activity that reached the customer's client (only possible on Direct Line). */
export interface EventDelivered {
  kind: 'event.delivered';
  to: 'customer';
  name: string;
  value?: unknown;
}

export interface EventSent {
  kind: 'event.sent';
  from: 'customer' | 'copilot' | 'system';
  name: string;
  channel: string;
  value?: unknown;
}

export interface HandoffRequested {
  kind: 'handoff.requested';
  channel: string;
  variables: Record<string, unknown>;
  agentMessage: string;
  transcriptLength: number;
}

export interface ContextUpdated {
  kind: 'context.updated';
  variables: Record<string, string>;
}

export interface TopicTriggered {
  kind: 'topic.triggered';
  topic: string;
  trigger: string;
}

export interface RoutingDecided {
  kind: 'routing.decided';
  /** Which step of unified routing decided (d365-omnichannel.md §5.2), or who moved the item by hand. */
  step: 'route-to-queue' | 'assignment' | 'overflow' | 'transfer' | 'supervisor';
  queue?: string;
  agent?: string;
  outcome: string;
  explanation: string[];
}

/** A participant leg of a work item (`msdyn_ocsession`, d365-omnichannel.md §4.3) opened, was joined or closed. */
export interface SessionChanged {
  kind: 'session.changed';
  sessionId: string;
  participant: string;
  mode: 'copilot' | 'primary' | 'consult';
  change: 'created' | 'joined' | 'closed';
  /** `msdyn_assignreason` when created, `msdyn_closurereason` when closed. */
  reason?: string;
}

export interface StateChanged {
  kind: 'state.changed';
  machine: 'conversation' | 'workItem' | 'agent';
  id: string;
  from: string;
  to: string;
  event: string;
  reason?: string;
}

export interface TimerFired {
  kind: 'timer.fired';
  timer: string;
}

export interface WireRequest {
  kind: 'wire.request';
  method: string;
  url: string;
  status: number;
}

export interface ProblemReported {
  kind: 'problem';
  message: string;
}

export type TimelineFact =
  | MessageSent
  | MessageDelivered
  | EventSent
  | EventDelivered
  | HandoffRequested
  | ContextUpdated
  | TopicTriggered
  | RoutingDecided
  | SessionChanged
  | StateChanged
  | TimerFired
  | WireRequest
  | ProblemReported;

export type TimelineEntry = TimelineFact & {
  /** Position in the log; entries at the same instant keep the order they happened in. */
  seq: number;
  /** Virtual epoch milliseconds. */
  at: number;
  party: Party;
  /** The conversation this entry belongs to, when it belongs to one. */
  conversationId?: string;
};

export class Timeline {
  readonly #entries: TimelineEntry[] = [];
  readonly #now: () => number;
  readonly #listeners = new Set<(entry: TimelineEntry) => void>();

  constructor(now: () => number) {
    this.#now = now;
  }

  record<F extends TimelineFact>(party: Party, fact: F, conversationId?: string): TimelineEntry {
    const entry = { ...fact, seq: this.#entries.length, at: this.#now(), party, conversationId } as TimelineEntry;
    this.#entries.push(entry);
    if (this.#listeners.size > 0) for (const listener of this.#listeners) listener(entry);
    return entry;
  }

  /**
   * Hears every entry from now on, as it is recorded; returns the way to stop. For transport adapters that
   * push news to real clients (serve's realtime channel); a listener must not throw or change the simulation.
   */
  onRecord(listener: (entry: TimelineEntry) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  get entries(): readonly TimelineEntry[] {
    return this.#entries;
  }

  of<K extends TimelineFact['kind']>(kind: K, conversationId?: string): Array<Extract<TimelineEntry, { kind: K }>> {
    return this.#entries.filter(
      (entry): entry is Extract<TimelineEntry, { kind: K }> =>
        entry.kind === kind && (conversationId === undefined || entry.conversationId === conversationId),
    );
  }

  toJSON(): TimelineEntry[] {
    return [...this.#entries];
  }
}

/** One line per entry, for failure messages and the console: `09:04:00.000 agent  message.sent ...`. */
export function formatEntry(entry: TimelineEntry): string {
  const time = new Date(entry.at).toISOString().slice(11, 23);
  return `${time} ${entry.party.padEnd(8)} ${describeFact(entry)}`;
}

export function formatTimeline(entries: readonly TimelineEntry[], limit = 40): string {
  const shown = entries.filter((e) => e.kind !== 'wire.request').slice(-limit);
  return shown.map((entry) => `  ${formatEntry(entry)}`).join('\n');
}

function describeFact(entry: TimelineFact): string {
  switch (entry.kind) {
    case 'message.sent':
      return `${entry.sender} says "${entry.text}"${entry.tags ? ` [tags: ${entry.tags}]` : ''}`;
    case 'message.delivered':
      return `${entry.reader} receives "${entry.text}" (from ${entry.from})`;
    case 'event.sent':
      return `event ${entry.name} on ${entry.channel}`;
    case 'event.delivered':
      return `customer's client receives event ${entry.name}`;
    case 'handoff.requested':
      return `hands off on ${entry.channel} with ${Object.keys(entry.variables).length} variables, transcript of ${entry.transcriptLength}, message to agent "${entry.agentMessage}"`;
    case 'context.updated':
      return `context variables ${Object.entries(entry.variables).map(([k, v]) => `${k}=${v}`).join(', ')}`;
    case 'topic.triggered':
      return `topic "${entry.topic}" (${entry.trigger})`;
    case 'routing.decided':
      return `${entry.step}: ${entry.outcome}`;
    case 'session.changed':
      return `session of ${entry.participant} (${entry.mode}) ${entry.change}${entry.reason ? ` (${entry.reason})` : ''}`;
    case 'state.changed':
      return `${entry.machine} ${entry.id}: ${entry.from} -> ${entry.to} on ${entry.event}${entry.reason ? ` (${entry.reason})` : ''}`;
    case 'timer.fired':
      return `timer ${entry.timer} fired`;
    case 'wire.request':
      return `${entry.method} ${entry.url} -> ${entry.status}`;
    case 'problem':
      return `problem: ${entry.message}`;
  }
}
