/**
 * Conformance to the model: is an imported conversation a path the lifecycle machines allow?
 *
 * Each entry of the recording becomes the lifecycle events it stands for (a customer message is
 * `customer.messaged`, a handoff `copilot.escalated`, an agent joining `agent.offered` then
 * `agent.accepted`, …) and the conversation and work item machines take them with xstate's pure
 * `transition`, from their initial snapshots, on the recording's own clock: a timer the machines arm
 * (bot-only inactivity, Open auto-close, …) fires when the recording's time passes its deadline, as
 * it would in the product. The first entry neither machine can take is a gap in the model.
 */
import { initialTransition, transition, type AnyActorLogic, type AnyMachineSnapshot } from 'xstate';
import { conversationMachine, type ConversationEvent } from '../model/conversation.machine';
import type { LifecycleEvent } from '../model/events';
import { workItemMachine } from '../model/work-item.machine';
import type { Recording, RecordingEntry } from './recording';
import { clockOf } from './text';

/** One lifecycle event the walk took. */
export interface ModelStep {
  /** Position of the entry in `recording.entries`. */
  entry: number;
  offsetMs: number;
  event: string;
  /** Not in the recording itself but implied by it (a D365 transcript never says the chat was queued before an agent joined). */
  implied: boolean;
  conversation: string;
  workItem: string;
}

/** The first entry the model cannot explain. */
export interface ModelGap {
  /** Position of the entry in `recording.entries`. */
  entry: number;
  /** The entry's position in the input file (`source.index`). */
  sourceIndex: number;
  at: string;
  offsetMs: number;
  /** The entry in words: `agent message "Hi, …"`. */
  what: string;
  /** The lifecycle event it could not take. */
  event: string;
  /** The machines' states when it came. */
  conversation: string;
  workItem: string;
  /** Why, one sentence without the full stop. */
  reason: string;
}

export interface ConformanceResult {
  explained: boolean;
  steps: ModelStep[];
  gap?: ModelGap;
  /** Where the machines are after the last entry they took. */
  final: { conversation: string; workItem: string; closureReason: string | null; wrapUpReason: string | null; queue: string | null; agent: string | null };
  /** Entries that carry no lifecycle meaning (topics, variables, typing, roster updates, …). */
  ignored: number;
}

type Snapshot = AnyMachineSnapshot;
type MachineName = 'conversation' | 'workItem';

interface PendingTimer {
  machine: MachineName;
  event: { type: string };
  due: number;
}

/** A message is not a transition of the conversation; these are the situations in which each party can write. */
const canWriteIn: Record<'customer' | 'copilot' | 'agent', readonly string[]> = {
  customer: ['withCopilot', 'escalated', 'queued', 'offered', 'withAgent', 'awaitingCustomer'],
  copilot: ['withCopilot'],
  agent: ['withAgent', 'wrapUp'],
};

const joiningStates = ['escalated', 'queued', 'offered'];

/**
 * Walks a recording through the lifecycle machines.
 *
 * @example
 * const result = checkConformance(importFile('chat.transcript'));
 * if (!result.explained) console.log(formatGap(result.gap!));
 */
export function checkConformance(recording: Recording): ConformanceResult {
  const walk = new LifecycleWalk(Date.parse(recording.startedAt));
  const steps: ModelStep[] = [];
  let ignored = 0;
  const engagesCopilot = copilotBeforeAgent(recording.entries);
  let agent: string | undefined;

  for (const [index, entry] of recording.entries.entries()) {
    const time = Date.parse(entry.at);
    walk.advanceTo(time);
    if (index === 0 && engagesCopilot) {
      walk.take({ type: 'copilot.engaged' });
      steps.push(walk.step(index, entry, 'copilot.engaged', true));
    }
    agent = agentOf(entry) ?? agent;
    const planned = eventsOf(entry, walk.conversationState, agent ?? 'agent');
    if (planned.kind === 'ignore') {
      ignored += 1;
      continue;
    }
    if (planned.kind === 'unmapped') {
      return walk.result(steps, ignored, gapOf(entry, index, walk, '(no event)', planned.why));
    }
    if (planned.kind === 'write') {
      const allowed = canWriteIn[planned.party];
      const state = walk.conversationState;
      if (!allowed.includes(state)) {
        // The model has no event for an agent's message; the conversation's situation says whether one can come.
        const event = planned.event?.type ?? `${planned.party} message`;
        return walk.result(steps, ignored, gapOf(entry, index, walk, event, `the model lets the ${planned.party} write only while the conversation is ${allowed.join(', ')}${walk.timerNote()}`));
      }
      if (planned.event) {
        if (walk.canTake(planned.event)) walk.take(planned.event);
        steps.push(walk.step(index, entry, planned.event.type, false));
      }
      continue;
    }
    for (const { event, implied } of planned.events) {
      if (!walk.canTake(event)) {
        const machines = `neither the conversation machine nor the work item machine takes ${event.type} there`;
        return walk.result(steps, ignored, gapOf(entry, index, walk, event.type, `${implied ? `${event.type} is implied by this entry, but ` : ''}${machines}${walk.timerNote()}`));
      }
      walk.take(event);
      steps.push(walk.step(index, entry, event.type, implied));
    }
  }
  return walk.result(steps, ignored);
}

/** The gap in words: `Entry 12 (input [15], 02:03, agent message "Hi, …"): the model cannot take agent.offered in withCopilot / active.withCopilot, because …`. */
export function formatGap(gap: ModelGap): string {
  return (
    `Entry ${gap.entry} (input item ${gap.sourceIndex}, ${clockOf(gap.offsetMs)}, ${gap.at}, ${gap.what}): ` +
    `the model cannot take ${gap.event} with the conversation in ${gap.conversation} and the work item in ${gap.workItem}, because ${gap.reason}.`
  );
}

/** A short report: the path the model took, then the gap if there is one. */
export function formatConformance(result: ConformanceResult, file: string): string {
  const lines = [`Model check of ${file}: ${result.explained ? 'the lifecycle machines explain every entry' : 'the recording leaves the model'}`];
  for (const step of result.steps) {
    lines.push(`  ${clockOf(step.offsetMs)}  entry ${String(step.entry).padStart(3)}  ${step.event.padEnd(18)}${step.implied ? ' (implied)' : '          '}  → ${step.conversation} / ${step.workItem}`);
  }
  if (result.gap) {
    lines.push(`  GAP: ${formatGap(result.gap)}`);
    lines.push('  A recording from production that the model cannot take shows a path the model is missing (or a recording that is not what it seems): extend the machines in src/model, or report the recording.');
  } else {
    lines.push(`  ends: conversation ${result.final.conversation}${result.final.closureReason ? ` (${result.final.closureReason})` : ''}, work item ${result.final.workItem}; ${result.ignored} entries carry no lifecycle event.`);
  }
  return lines.join('\n');
}

type Planned =
  | { kind: 'ignore' }
  /** The entry means something the model has no event for. */
  | { kind: 'unmapped'; why: string }
  | { kind: 'write'; party: 'customer' | 'copilot' | 'agent'; event?: LifecycleEvent }
  | { kind: 'events'; events: Array<{ event: ConversationEvent; implied: boolean }> };

function eventsOf(entry: RecordingEntry, state: string, agent: string): Planned {
  // An agent who writes or ends the chat while it waits for one has joined it, whether or not the recording says so.
  const joinFirst = () => (joiningStates.includes(state) ? agentJoined(state, agent, undefined, true) : []);
  switch (entry.kind) {
    case 'message':
      if (entry.party === 'system') return { kind: 'ignore' };
      if (entry.party === 'agent') {
        const join = joinFirst();
        return join.length > 0 ? { kind: 'events', events: join } : { kind: 'write', party: 'agent' };
      }
      return { kind: 'write', party: entry.party, event: { type: entry.party === 'customer' ? 'customer.messaged' : 'copilot.messaged' } };
    case 'handoff':
      return { kind: 'events', events: [{ event: { type: 'copilot.escalated' }, implied: false }] };
    case 'routing':
      switch (entry.action) {
        case 'agentJoined':
          return { kind: 'events', events: agentJoined(state, agent, entry.queue, false) };
        case 'handoffStatus': {
          const status = (entry.detail ?? '').toLowerCase();
          if (status.startsWith('accepted')) return { kind: 'events', events: agentJoined(state, agent, entry.queue, false) };
          if (status.startsWith('failed')) return { kind: 'ignore' };
          return state === 'escalated' ? { kind: 'events', events: [{ event: { type: 'routing.queued', queue: entry.queue ?? 'unknown queue' }, implied: false }] } : { kind: 'ignore' };
        }
        case 'queuePosition':
        case 'averageWaitTime':
          // Waiting messages say the chat is queued; once it is, they repeat what the model knows.
          return state === 'queued' || state === 'offered' ? { kind: 'ignore' } : { kind: 'events', events: [{ event: { type: 'routing.queued', queue: entry.queue ?? 'unknown queue' }, implied: false }] };
        default:
          return { kind: 'ignore' };
      }
    case 'closure':
      return closureEvents(entry, state, agent, joinFirst);
    default:
      return { kind: 'ignore' };
  }
}

function agentJoined(state: string, agent: string, queue: string | undefined, implied: boolean): Array<{ event: ConversationEvent; implied: boolean }> {
  const events: Array<{ event: ConversationEvent; implied: boolean }> = [];
  if (state === 'escalated') events.push({ event: { type: 'routing.queued', queue: queue ?? 'unknown queue' }, implied: true });
  if (state !== 'offered') events.push({ event: { type: 'agent.offered', agent }, implied: true });
  events.push({ event: { type: 'agent.accepted', agent }, implied });
  return events;
}

function closureEvents(entry: Extract<RecordingEntry, { kind: 'closure' }>, state: string, agent: string, joinFirst: () => Array<{ event: ConversationEvent; implied: boolean }>): Planned {
  const reason = entry.reason ?? '';
  const one = (event: ConversationEvent): Planned => ({ kind: 'events', events: [{ event, implied: false }] });
  if (entry.party === 'agent' || reason === 'agentendconversation') return { kind: 'events', events: [...joinFirst(), { event: { type: 'agent.ended', agent }, implied: false }] };
  if (entry.party === 'customer') return one({ type: 'customer.ended' });
  if (reason === 'supervisorforceclosedconversation') return one({ type: 'supervisor.forceClosed' });
  if (entry.party === 'copilot' || reason === 'EndConversation' || reason === 'Resolved') return one({ type: 'copilot.ended' });
  // Copilot Studio's session outcome (Dataverse SessionInfo): a verdict on the copilot's session, not an event of its own.
  if (reason === 'Escalated') return state === 'withCopilot' ? one({ type: 'copilot.escalated' }) : { kind: 'ignore' };
  if (reason === 'Abandoned') return { kind: 'ignore' };
  return { kind: 'unmapped', why: `no lifecycle event stands for a closure ${reason ? `with reason ${JSON.stringify(reason)}` : 'without a reason'} by the ${entry.party}` };
}

function agentOf(entry: RecordingEntry): string | undefined {
  if (entry.kind === 'routing' && entry.agent) return entry.agent;
  if (entry.kind === 'message' && entry.party === 'agent' && entry.displayName) return entry.displayName;
  return undefined;
}

/** The copilot was the first responder when it acted before any agent did. */
function copilotBeforeAgent(entries: readonly RecordingEntry[]): boolean {
  for (const entry of entries) {
    if (entry.party === 'copilot') return true;
    if (entry.party === 'agent' || (entry.kind === 'routing' && (entry.action === 'agentJoined' || entry.action === 'handoffStatus'))) return false;
  }
  return false;
}

function describe(entry: RecordingEntry): string {
  switch (entry.kind) {
    case 'message':
      return `${entry.party} message ${JSON.stringify(entry.text.length > 50 ? `${entry.text.slice(0, 49)}…` : entry.text)}`;
    case 'routing':
      return `routing ${entry.action}${entry.agent ? ` (${entry.agent})` : ''}${entry.queue ? ` to ${entry.queue}` : ''}`;
    case 'closure':
      return `closure by ${entry.party}${entry.reason ? ` (${entry.reason})` : ''}`;
    case 'handoff':
      return `handoff (${entry.via})`;
    default:
      return `${entry.party} ${entry.kind}`;
  }
}

function gapOf(entry: RecordingEntry, index: number, walk: LifecycleWalk, event: string, reason: string): ModelGap {
  return {
    entry: index,
    sourceIndex: entry.source.index,
    at: entry.at,
    offsetMs: entry.offsetMs,
    what: describe(entry),
    event,
    conversation: walk.conversationState,
    workItem: walk.workItemState,
    reason,
  };
}

/** The two machines side by side, on the recording's clock. */
class LifecycleWalk {
  readonly #start: number;
  #now: number;
  #conversation: Snapshot;
  #workItem: Snapshot;
  readonly #timers = new Map<string, PendingTimer>();
  #lastTimer: { name: string; at: number; machine: MachineName } | undefined;

  constructor(start: number) {
    this.#start = start;
    this.#now = start;
    const [conversation, conversationActions] = initialTransition(conversationMachine as AnyActorLogic);
    const [workItem, workItemActions] = initialTransition(workItemMachine as AnyActorLogic, {});
    this.#conversation = conversation as Snapshot;
    this.#workItem = workItem as Snapshot;
    this.#schedule('conversation', conversationActions);
    this.#schedule('workItem', workItemActions);
  }

  get conversationState(): string {
    return stateName(this.#conversation.value);
  }

  get workItemState(): string {
    return stateName(this.#workItem.value);
  }

  canTake(event: { type: string }): boolean {
    return this.#conversation.can(event) || this.#workItem.can(event);
  }

  take(event: { type: string }): void {
    if (this.#conversation.can(event)) this.#apply('conversation', event);
    if (this.#workItem.can(event)) this.#apply('workItem', event);
  }

  /** Fires, in deadline order, every timer due by `time`. */
  advanceTo(time: number): void {
    for (;;) {
      const due = [...this.#timers.entries()].filter(([, timer]) => timer.due <= time).sort(([, a], [, b]) => a.due - b.due)[0];
      if (!due) break;
      const [id, timer] = due;
      this.#timers.delete(id);
      this.#now = timer.due;
      const before = timer.machine === 'conversation' ? this.conversationState : this.workItemState;
      this.#apply(timer.machine, timer.event);
      const after = timer.machine === 'conversation' ? this.conversationState : this.workItemState;
      if (before !== after) this.#lastTimer = { name: timerName(timer.event.type), at: timer.due, machine: timer.machine };
    }
    this.#now = time;
  }

  /** ` (the work item's openAutoClose timer closed it at 20:00)` when a timer moved the model last. */
  timerNote(): string {
    const timer = this.#lastTimer;
    if (!timer) return '';
    const machine = timer.machine === 'workItem' ? 'work item' : 'conversation';
    return ` (the ${machine}'s ${timer.name} timer moved it at ${clockOf(timer.at - this.#start)}, as the recording's time passed its deadline)`;
  }

  step(entry: number, recorded: RecordingEntry, event: string, implied: boolean): ModelStep {
    return { entry, offsetMs: recorded.offsetMs, event, implied, conversation: this.conversationState, workItem: this.workItemState };
  }

  result(steps: ModelStep[], ignored: number, gap?: ModelGap): ConformanceResult {
    const context = this.#conversation.context as { closureReason: string | null; wrapUpReason: string | null; queue: string | null; agent: string | null };
    return {
      explained: gap === undefined,
      steps,
      ...(gap ? { gap } : {}),
      final: {
        conversation: this.conversationState,
        workItem: this.workItemState,
        closureReason: context.closureReason,
        wrapUpReason: context.wrapUpReason,
        queue: context.queue,
        agent: context.agent,
      },
      ignored,
    };
  }

  #apply(machine: MachineName, event: { type: string }): void {
    const logic = (machine === 'conversation' ? conversationMachine : workItemMachine) as AnyActorLogic;
    const current = machine === 'conversation' ? this.#conversation : this.#workItem;
    const [next, actions] = transition(logic, current, event);
    if (machine === 'conversation') this.#conversation = next as Snapshot;
    else this.#workItem = next as Snapshot;
    this.#schedule(machine, actions);
    if (machine === 'workItem') this.#coupleConversation(event);
  }

  /** What Omnichannel does when the work item moves on its own (d365/omnichannel.ts #workItemChanged). */
  #coupleConversation(cause: { type: string }): void {
    const top = this.workItemState.split('.')[0];
    const reason = (this.#workItem.context as { statusReason: string }).statusReason;
    if (top === 'closed' && this.conversationState !== 'closed') this.#apply('conversation', { type: 'workItem.closed', reason } as ConversationEvent);
    else if (top === 'wrapUp' && this.conversationState === 'withAgent' && cause.type.startsWith('xstate.after')) this.#apply('conversation', { type: 'workItem.wrappedUp', reason } as ConversationEvent);
  }

  #schedule(machine: MachineName, actions: ReadonlyArray<{ type: string; params?: unknown }>): void {
    for (const action of actions) {
      const params = (action.params ?? {}) as { event?: { type: string }; id?: string; delay?: number; sendId?: string };
      if (action.type === 'xstate.raise' && params.event && typeof params.delay === 'number') {
        this.#timers.set(`${machine}:${params.id ?? params.event.type}`, { machine, event: params.event, due: this.#now + params.delay });
      } else if (action.type === 'xstate.cancel' && params.sendId) {
        this.#timers.delete(`${machine}:${params.sendId}`);
      }
    }
  }
}

/** `{ open: { awaitingAssignment: 'inLine' } }` → `open.awaitingAssignment.inLine`. */
function stateName(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object') {
    const [key, inner] = Object.entries(value as Record<string, unknown>)[0] ?? [];
    return key === undefined ? '' : `${key}${stateName(inner) ? `.${stateName(inner)}` : ''}`;
  }
  return '';
}

/** `xstate.after.openAutoClose.workItem.open` → `openAutoClose`. */
function timerName(type: string): string {
  return /^xstate\.after\.([^.]+)/.exec(type)?.[1] ?? type;
}
