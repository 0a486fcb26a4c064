/**
 * Replays a recording in the simulation and compares what comes back with what was recorded.
 *
 * The customer's turns (and the agent's, who is a person in the recording too) are sent at their
 * recorded virtual times, through the mocks like any scenario (the customer's client talks to the live
 * chat endpoints over the in-process wire). What the customer's client receives in each turn is
 * compared with the copilot's and agent's recorded messages (normalized for ids, timestamps and
 * whitespace); then the handoff payload (va_* and custom variables), the routing (queue, agent) and how
 * the conversation ended.
 */
import { createSurfaces, inProcessFetch } from '../../mocks/network';
import type { CopilotDefinition } from '../copilot/copilot-definition';
import { Harness } from '../harness/harness';
import { currentState } from '../harness/expectations';
import { seedFrom } from '../sim/seed';
import { planReplay, type PlanTurn, type ReplayPlan } from './plan';
import type { Recording } from './recording';
import { applySetup, type ReplaySetup } from './replay-setup';
import { contextText, normalizeMessage } from './text';

export interface ReplayOptions {
  /** The file replayed, as the report names it (default: the file the recording was imported from). */
  file?: string;
  /** Default: a hash of the recording's file name, so a replay is the same every time. */
  seed?: number;
  /** Replaces the setup reconstructed from the recording (a team's own queues, rules, agents, copilot). */
  setup?: ReplaySetup;
  /** Where `setup` came from, for the report. */
  setupSource?: string;
  /** A team's own copilot; replaces the setup's copilot. */
  copilot?: CopilotDefinition;
  /** Where `copilot` came from, for the report. */
  copilotSource?: string;
}

export interface ReplayLine {
  from: 'copilot' | 'agent';
  text: string;
}

export interface DiffLine {
  /** `' '` in both, `-` recorded only, `+` replayed only. */
  sign: ' ' | '-' | '+';
  from: 'copilot' | 'agent';
  text: string;
}

export interface TurnResult {
  number: number;
  offsetMs: number;
  /** The turn in words: `customer says "…"`. */
  action: string;
  expected: ReplayLine[];
  observed: ReplayLine[];
  diff: DiffLine[];
  /** The step could not be done in the simulation (the agent was never offered the chat, …). */
  error?: string;
  differs: boolean;
}

export interface ValueDifference {
  name: string;
  expected?: string;
  actual?: string;
}

export interface ReplayResult {
  file: string;
  /** The file the recording was imported from. */
  source: string;
  format: string;
  seed: number;
  copilot: string;
  setup: string;
  turns: TurnResult[];
  handoff: { expected: boolean; happened: boolean; /** When the replay handed off, since the start. */ offsetMs?: number; differences: ValueDifference[]; skipped: Record<string, string>; observed: Record<string, string> };
  routing: { differences: ValueDifference[]; observed: { queue?: string; agent?: string } };
  closure: { expected?: string; actual: string; differs: boolean };
  notes: string[];
  /** How many places differ: turns, variables, routing facts, closure. */
  differences: number;
  divergent: boolean;
  plan: ReplayPlan;
}

const builtFrom = 'reconstructed from the recording';

/**
 * Replays a recording and compares.
 *
 * @example
 * const result = await replayRecording(importFile('chat.transcript'));
 * if (result.divergent) console.log(formatReplayDiff(result));
 */
export async function replayRecording(recording: Recording, options: ReplayOptions = {}): Promise<ReplayResult> {
  const plan = planReplay(recording);
  const seed = options.seed ?? seedFrom(recording.source.file);
  const start = Date.parse(recording.startedAt);
  const harness = new Harness({ seed, startAt: start, connect: (sim) => inProcessFetch(createSurfaces(sim)) });
  applySetup(harness, options.setup ?? plan.setup, options.copilot ? { copilot: options.copilot } : {});

  const turns: TurnResult[] = [];
  // One read per turn, over the wire as the customer's client polls. What it brings is split by when it
  // was sent: before the turn's action it answered the turn before (or is this turn's, when the turn is
  // the waiting itself).
  const sentAt = new Map<string, number>();
  let scanned = 0;
  const readNew = async (): Promise<Array<ReplayLine & { sentAt: number }>> => {
    if (!harness.started || !hasConversation(harness)) return [];
    await harness.customerReads();
    const conversationId = harness.conversationId;
    const entries = harness.timeline;
    const fresh: Array<ReplayLine & { sentAt: number }> = [];
    for (; scanned < entries.length; scanned += 1) {
      const entry = entries[scanned]!;
      if (entry.kind === 'message.sent') sentAt.set(entry.messageId, entry.at);
      else if (entry.kind === 'message.delivered' && entry.to === 'customer' && entry.conversationId === conversationId && (entry.from === 'copilot' || entry.from === 'agent')) {
        fresh.push({ from: entry.from, text: entry.text, sentAt: sentAt.get(entry.messageId) ?? entry.at });
      }
    }
    return fresh;
  };
  const elapsed = () => harness.sim.clock.now() - start;

  for (const turn of plan.turns) {
    const result: TurnResult = { number: turn.number, offsetMs: turn.offsetMs, action: describeAction(turn), expected: turn.expected.map(({ from, text }) => ({ from, text })), observed: [], diff: [], differs: false };
    const previous = turns.at(-1);
    turns.push(result);
    let actedAt = Number.POSITIVE_INFINITY;
    try {
      if (turn.offsetMs > elapsed()) await harness.pass(turn.offsetMs - elapsed());
      actedAt = harness.sim.clock.now();
      await act(harness, turn);
    } catch (error) {
      result.error = firstSentences(error);
    }
    try {
      for (const { sentAt: at, ...line } of await readNew()) {
        (at < actedAt && previous && turn.action.kind !== 'inactivity' ? previous : result).observed.push(line);
      }
    } catch (error) {
      result.error ??= firstSentences(error);
    }
  }
  // Let the recording's remaining time pass: a timer may still fire (inactivity, auto-close).
  const end = recording.entries.at(-1)?.offsetMs ?? 0;
  try {
    if (harness.started && end > elapsed()) {
      await harness.pass(end - elapsed());
      turns.at(-1)?.observed.push(...(await readNew()).map(({ from, text }) => ({ from, text })));
    }
  } catch (error) {
    const last = turns.at(-1);
    if (last) last.error ??= firstSentences(error);
  }
  for (const turn of turns) {
    turn.diff = diffLines(turn.expected, turn.observed);
    turn.differs = turn.error !== undefined || turn.diff.some((line) => line.sign !== ' ');
  }

  const conversationId = harness.started && hasConversation(harness) ? harness.conversationId : undefined;
  const timeline = harness.timeline;
  const handoffFact = timeline.find((entry): entry is Extract<(typeof timeline)[number], { kind: 'handoff.requested' }> => entry.kind === 'handoff.requested' && entry.conversationId === conversationId);
  const observedVariables: Record<string, string> = Object.fromEntries(Object.entries(handoffFact?.variables ?? {}).map(([name, value]) => [name, contextText(value)]));
  const handoffDifferences: ValueDifference[] = [];
  const expectedHandoff = plan.outcome.handoff;
  if (expectedHandoff && handoffFact) {
    for (const [name, expected] of Object.entries(expectedHandoff.variables)) {
      const actual = observedVariables[name];
      const same = actual !== undefined && (name.toLowerCase() === 'va_language' ? actual.toLowerCase() === expected.toLowerCase() : normalizeMessage(actual) === normalizeMessage(expected));
      if (!same) handoffDifferences.push({ name, expected, ...(actual !== undefined ? { actual } : {}) });
    }
    if (expectedHandoff.agentMessage !== undefined && normalizeMessage(handoffFact.agentMessage) !== normalizeMessage(expectedHandoff.agentMessage)) {
      handoffDifferences.push({ name: 'message to agent', expected: expectedHandoff.agentMessage, actual: handoffFact.agentMessage });
    }
  } else if (expectedHandoff && !handoffFact) {
    handoffDifferences.push({ name: 'handoff', expected: 'the copilot hands off', actual: 'no handoff' });
  } else if (!expectedHandoff && handoffFact) {
    handoffDifferences.push({ name: 'handoff', expected: 'no handoff', actual: `the copilot hands off (topic ${observedVariables['va_LastTopic'] ?? '?'})` });
  }

  const routingObserved: { queue?: string; agent?: string } = {};
  if (conversationId) {
    const decisions = timeline.filter((entry): entry is Extract<(typeof timeline)[number], { kind: 'routing.decided' }> => entry.kind === 'routing.decided' && entry.conversationId === conversationId);
    const queue = decisions.filter((decision) => decision.step === 'route-to-queue' && decision.queue !== 'copilot').at(-1)?.queue;
    if (queue) routingObserved.queue = queue;
    // The agent who has the chat, else the last one routing offered it to (an offer may have run out).
    const chat = harness.sim.omnichannel.chats.find((candidate) => candidate.id === conversationId);
    const agent = chat?.agent ?? chat?.offeredTo ?? decisions.filter((decision) => decision.step === 'assignment' && decision.agent).at(-1)?.agent;
    if (agent) routingObserved.agent = agent;
  }
  const routingDifferences: ValueDifference[] = [];
  for (const key of ['queue', 'agent'] as const) {
    const expected = plan.outcome.routing[key];
    if (expected !== undefined && expected !== routingObserved[key]) routingDifferences.push({ name: key, expected, ...(routingObserved[key] !== undefined ? { actual: routingObserved[key] } : {}) });
  }

  const state = conversationId ? currentState(timeline, 'conversation', conversationId) : undefined;
  const actual = state ? `${state.state}${state.reason ? ` (${state.reason})` : ''}` : 'not started';
  const situation = plan.outcome.situation;
  const closureDiffers = situation !== undefined && (!state || !situation.states.includes(state.state) || (situation.closureReason !== undefined && state.reason !== situation.closureReason));
  const closure = { ...(situation ? { expected: situation.text } : {}), actual, differs: closureDiffers };

  const differences = turns.filter((turn) => turn.differs).length + handoffDifferences.length + routingDifferences.length + (closureDiffers ? 1 : 0);
  return {
    file: options.file ?? recording.source.file,
    source: recording.source.file,
    format: recording.source.format,
    seed,
    copilot: options.copilotSource ?? (options.setup?.copilot ? (options.setupSource ?? 'the given setup') : builtFrom),
    setup: options.setupSource ?? (options.setup ? 'the given setup' : builtFrom),
    turns,
    handoff: { expected: expectedHandoff !== undefined, happened: handoffFact !== undefined, ...(handoffFact ? { offsetMs: handoffFact.at - start } : {}), differences: handoffDifferences, skipped: expectedHandoff?.skipped ?? {}, observed: observedVariables },
    routing: { differences: routingDifferences, observed: routingObserved },
    closure,
    notes: plan.notes.map((note) => note.message),
    differences,
    divergent: differences > 0,
    plan,
  };
}

async function act(harness: Harness, turn: PlanTurn): Promise<void> {
  const action = turn.action;
  switch (action.kind) {
    case 'startChat':
      await harness.customerStartsChat();
      return;
    case 'customerSays':
      await harness.customerSays(action.text);
      return;
    case 'customerEnds':
      await harness.customerEndsChat();
      return;
    case 'inactivity':
      return;
    case 'agentJoins':
      harness.agentBecomes(action.agent, 'Available');
      harness.agentAccepts(action.agent);
      return;
    case 'agentSays':
      harness.agentSays(action.agent, action.text);
      return;
    case 'agentEnds':
      harness.agentEnds(action.agent);
      return;
  }
}

/** The turn in words, for diffs. */
export function describeAction(turn: PlanTurn): string {
  const action = turn.action;
  switch (action.kind) {
    case 'startChat':
      return 'the customer starts a chat';
    case 'customerSays':
      return `customer says ${JSON.stringify(flat(action.text))}`;
    case 'customerEnds':
      return 'the customer ends the chat';
    case 'inactivity':
      return 'time passes without the customer';
    case 'agentJoins':
      return `agent "${action.agent}" joins`;
    case 'agentSays':
      return `agent "${action.agent}" says ${JSON.stringify(flat(action.text))}`;
    case 'agentEnds':
      return `agent "${action.agent}" ends the conversation`;
  }
}

function flat(text: string): string {
  const one = text.replace(/\s+/g, ' ').trim();
  return one.length > 100 ? `${one.slice(0, 99)}…` : one;
}

/** A line-by-line diff of two short lists (longest common subsequence), on normalized text. */
export function diffLines(expected: readonly ReplayLine[], observed: readonly ReplayLine[]): DiffLine[] {
  const key = (line: ReplayLine) => `${line.from}\u0000${normalizeMessage(line.text)}`;
  const a = expected.map(key);
  const b = observed.map(key);
  const lengths: number[][] = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i -= 1) {
    for (let j = b.length - 1; j >= 0; j -= 1) lengths[i]![j] = a[i] === b[j] ? lengths[i + 1]![j + 1]! + 1 : Math.max(lengths[i + 1]![j]!, lengths[i]![j + 1]!);
  }
  const out: DiffLine[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      out.push({ sign: ' ', ...expected[i]! });
      i += 1;
      j += 1;
    } else if (j < b.length && (i >= a.length || lengths[i]![j + 1]! >= lengths[i + 1]![j]!)) {
      // Removals first when both are possible, so a changed line reads "- old" then "+ new".
      if (i < a.length && lengths[i + 1]![j]! >= lengths[i]![j + 1]!) {
        out.push({ sign: '-', ...expected[i]! });
        i += 1;
      } else {
        out.push({ sign: '+', ...observed[j]! });
        j += 1;
      }
    } else {
      out.push({ sign: '-', ...expected[i]! });
      i += 1;
    }
  }
  return out;
}

function hasConversation(harness: Harness): boolean {
  try {
    return harness.conversationId !== '';
  } catch {
    return false;
  }
}

/** The error's message without the timeline slice assertions append. */
function firstSentences(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0]!.trim();
}
