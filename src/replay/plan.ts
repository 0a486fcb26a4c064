/**
 * What replaying a recording means, worked out once for `handoff import --feature` and `handoff
 * replay`: the turns to drive (the customer's and the agent's actions, at their recorded times), what
 * the customer saw in each turn, the outcome (handoff variables, routing, how the chat ended), and a
 * setup (copilot, queues, rules, agents) reconstructed from the recording that reproduces it.
 *
 * Reconstruction, in the words of features/README.md: one topic per distinct customer phrase that got
 * a reply (named after the traced topic, or va_Topics), the escalation as a `transfer to agent` topic
 * whose `sets` are the handoff's custom variables, an inactivity topic where the copilot spoke up
 * after the customer went quiet, a queue (and a rule when the recording names the queue) and the agent,
 * Offline until the moment the recording says the agent joined.
 */
import { IntentMatcher, normalizeUtterance } from '../copilot/intent-matcher';
import { checkConformance, type ConformanceResult } from './conformance';
import type { HandoffEntry, Recording, RecordingEntry } from './recording';
import type { ReplaySetup, SetupCopilot, SetupInactivityTopic, SetupTopic } from './replay-setup';
import { setupFormat } from './replay-setup';
import { contextText, durationText, normalizeMessage, quoted } from './text';

/** The copilot runtime's answer when nothing matches (copilot-session.ts, features/README.md). */
export const fallbackReply = "I'm sorry, I'm not sure how to help with that. Can you try rephrasing?";

/** A copilot message this long after the customer's last word is the copilot speaking up on its own (an inactivity topic), not a reply. */
export const inactivityGapMs = 60_000;

export type TurnAction =
  | { kind: 'startChat' }
  | { kind: 'customerSays'; text: string }
  | { kind: 'customerEnds' }
  /** Only time passes; the copilot speaks up on its own. */
  | { kind: 'inactivity' }
  | { kind: 'agentJoins'; agent: string }
  | { kind: 'agentSays'; agent: string; text: string }
  | { kind: 'agentEnds'; agent: string };

export interface ExpectedLine {
  from: 'copilot' | 'agent';
  text: string;
  /** Position in `recording.entries`. */
  entry: number;
}

export interface PlanTurn {
  /** 1-based, as diffs print it. */
  number: number;
  offsetMs: number;
  action: TurnAction;
  /** The entry that drives the turn, when one does. */
  entry?: number;
  /** The copilot's and agents' messages the customer saw in this turn, in order. */
  expected: ExpectedLine[];
  /** The copilot handed off in this turn. */
  handsOff: boolean;
  /** The copilot ended the conversation in this turn. */
  endsConversation: boolean;
  /** Before the handoff: the copilot answers. */
  phase: 'copilot' | 'agent';
  /** The topic the reconstructed copilot answers this turn with. */
  topic?: string;
}

export interface PlanNote {
  entry?: number;
  offsetMs?: number;
  message: string;
}

export interface ExpectedSituation {
  /** Conversation machine states that agree with the recording. */
  states: string[];
  closureReason?: string;
  /** In words, for diffs: `in wrap-up`, `handed off and waiting for an agent`. */
  text: string;
}

export interface ExpectedOutcome {
  handoff?: {
    /** The handoff variables replay compares, as Dynamics 365 holds them (text; lists as JSON). */
    variables: Record<string, string>;
    /** Variables left out of the comparison, with why. */
    skipped: Record<string, string>;
    /** The private message to the agent, when the variables do not carry it as va_AgentMessage. */
    agentMessage?: string;
  };
  routing: { queue?: string; agent?: string };
  /** Absent when the model cannot explain the recording (see `conformance.gap`). */
  situation?: ExpectedSituation;
}

export interface ReplayPlan {
  source: { file: string; format: string; startedAt: string; entries: number };
  setup: ReplaySetup;
  turns: PlanTurn[];
  outcome: ExpectedOutcome;
  notes: PlanNote[];
  conformance: ConformanceResult;
  /** Where the reconstruction needs more than a table row can hold (several replies in a turn, a phrase with commas, …). */
  needsFixture: string[];
}

const idVariables = new Set(['va_conversationid', 'va_botid']);
const phraseVariables = new Set(['va_phrases', 'va_lastphrase', 'va_lastphrases']);
/** Topics the runtime runs by itself; their name says nothing about the customer's phrase. */
const systemTopics = new Set(['conversationstart', 'greeting']);

/**
 * Works out the turns, outcome and reconstructed setup of a recording.
 *
 * @example
 * const plan = planReplay(importFile('examples/recordings/directline/billing-handoff.log.json'));
 * plan.turns.map((turn) => turn.action.kind); // ['customerSays', 'customerSays', 'agentJoins', 'agentSays', …]
 */
export function planReplay(recording: Recording): ReplayPlan {
  const notes: PlanNote[] = [];
  const entries = recording.entries;
  const handoffIndex = entries.findIndex((entry) => entry.kind === 'handoff');
  const handoff = handoffIndex >= 0 ? (entries[handoffIndex] as HandoffEntry) : undefined;
  const agentName = agentOf(entries);
  const turns = buildTurns(recording, handoffIndex, agentName, notes);
  const conformance = checkConformance(recording);
  const setup = reconstructSetup(recording, turns, handoff, agentName, notes);
  const outcome = expectedOutcome(recording, turns, handoff, agentName, conformance, notes);
  return {
    source: { file: recording.source.file, format: recording.source.format, startedAt: recording.startedAt, entries: entries.length },
    setup: setup.setup,
    turns,
    outcome,
    notes,
    conformance,
    needsFixture: setup.needsFixture,
  };
}

function buildTurns(recording: Recording, handoffIndex: number, agent: string, notes: PlanNote[]): PlanTurn[] {
  const turns: PlanTurn[] = [];
  let current: PlanTurn | undefined;
  let joined = false;
  const push = (offsetMs: number, action: TurnAction, entry: number | undefined, phase: PlanTurn['phase']): PlanTurn => {
    current = { number: turns.length + 1, offsetMs, action, ...(entry !== undefined ? { entry } : {}), expected: [], handsOff: false, endsConversation: false, phase };
    turns.push(current);
    return current;
  };
  const join = (offsetMs: number, index: number) => {
    if (joined) return;
    joined = true;
    push(offsetMs, { kind: 'agentJoins', agent }, index, 'agent');
  };
  const note = (entry: RecordingEntry, index: number, message: string) => notes.push({ entry: index, offsetMs: entry.offsetMs, message });

  recording.entries.forEach((entry, index) => {
    const phase: PlanTurn['phase'] = handoffIndex < 0 || index <= handoffIndex ? 'copilot' : 'agent';
    switch (entry.kind) {
      case 'message': {
        const visible = entry.visibility === undefined || entry.visibility === 'public';
        if (entry.party === 'system') return;
        if (entry.party === 'customer') {
          if (entry.text.trim() === '') {
            note(entry, index, `The customer's message without text${entry.value !== undefined ? ' (a card submit)' : entry.attachments ? ' (an attachment)' : ''} is not replayed: the chat only carries text.`);
            return;
          }
          push(entry.offsetMs, { kind: 'customerSays', text: entry.text }, index, phase);
          return;
        }
        if (entry.party === 'agent') {
          if (!visible) {
            note(entry, index, `The agent's ${entry.visibility} note ${quoted(entry.text, 60)} is not replayed: the customer never saw it.`);
            return;
          }
          join(entry.offsetMs, index);
          push(entry.offsetMs, { kind: 'agentSays', agent, text: entry.text }, index, 'agent').expected.push({ from: 'agent', text: entry.text, entry: index });
          return;
        }
        // The copilot.
        if (!visible) {
          note(entry, index, `The copilot's ${entry.visibility} message ${quoted(entry.text, 60)} is not compared: the customer never saw it.`);
          return;
        }
        if (phase === 'agent') {
          note(entry, index, `The copilot's message ${quoted(entry.text, 60)} after the handoff is not compared: in the simulation the copilot leaves when it hands off.`);
          return;
        }
        // Inactivity timers count from the customer's last message (copilot-protocol.md §7.1); a message
        // this long after its turn began is the copilot speaking up on its own.
        if (!current) push(0, { kind: 'startChat' }, undefined, 'copilot');
        else if (entry.offsetMs - current.offsetMs >= inactivityGapMs) push(entry.offsetMs, { kind: 'inactivity' }, index, 'copilot');
        current!.expected.push({ from: 'copilot', text: entry.text, entry: index });
        return;
      }
      case 'handoff':
        if (current && current.phase === 'copilot') current.handsOff = true;
        else note(entry, index, 'The handoff comes before the customer or copilot said anything; the reconstructed copilot cannot hand off at that moment.');
        return;
      case 'routing':
        if (entry.action === 'agentJoined' || (entry.action === 'handoffStatus' && (entry.detail ?? '').toLowerCase().startsWith('accepted'))) join(entry.offsetMs, index);
        return;
      case 'closure': {
        const reason = entry.reason ?? '';
        if (entry.party === 'agent' || reason === 'agentendconversation') {
          join(entry.offsetMs, index);
          push(entry.offsetMs, { kind: 'agentEnds', agent }, index, 'agent');
        } else if (entry.party === 'customer') {
          push(entry.offsetMs, { kind: 'customerEnds' }, index, phase);
        } else if (entry.party === 'copilot' || reason === 'EndConversation' || reason === 'Resolved') {
          if (current && current.phase === 'copilot') current.endsConversation = true;
          else note(entry, index, `The copilot's end of the conversation (${reason || 'endOfConversation'}) has no turn of the copilot's to belong to; it is not replayed.`);
        } else if (reason === 'Escalated') {
          if (handoffIndex < 0) note(entry, index, "Copilot Studio says the session was escalated, but the recording holds no handoff; the escalation is not replayed.");
        } else if (reason === 'Abandoned') {
          note(entry, index, "Copilot Studio's session outcome \"Abandoned\" is not replayed: it is a verdict on a session the customer left, not an event.");
        } else {
          note(entry, index, `The closure ${quoted(reason || 'without a reason')} by ${entry.party} has no step in the simulation; it is not replayed.`);
        }
        return;
      }
      default:
        return;
    }
  });
  return turns;
}

function agentOf(entries: readonly RecordingEntry[]): string {
  for (const entry of entries) {
    if (entry.kind === 'routing' && entry.agent && (entry.action === 'agentJoined' || entry.action === 'handoffStatus')) return entry.agent;
  }
  for (const entry of entries) {
    if (entry.kind === 'message' && entry.party === 'agent' && entry.displayName) return entry.displayName;
  }
  return 'Agent';
}

function reconstructSetup(recording: Recording, turns: PlanTurn[], handoff: HandoffEntry | undefined, agent: string, notes: PlanNote[]): { setup: ReplaySetup; needsFixture: string[] } {
  const needsFixture: string[] = [];
  const copilotTurns = turns.filter((turn) => turn.phase === 'copilot');
  const hasCopilot = recording.entries.some((entry) => entry.party === 'copilot');
  const setup: ReplaySetup = { format: setupFormat, version: 1 };

  if (hasCopilot) {
    const language = handoff?.variables['va_Language'];
    const copilot: SetupCopilot = { name: copilotName(recording, handoff), ...(typeof language === 'string' && language ? { language } : {}), topics: [] };
    const start = copilotTurns.find((turn) => turn.action.kind === 'startChat');
    if (start && start.expected.length > 0) {
      copilot.greeting = start.expected.map((line) => line.text);
      if (copilot.greeting.length > 1) needsFixture.push(`the copilot greets with ${copilot.greeting.length} messages`);
    }
    const names = topicNamer(recording, handoff, copilotTurns);
    let lastCustomerAt = 0;
    let inactivityCount = 0;
    for (const turn of copilotTurns) {
      if (turn.action.kind === 'customerSays') {
        lastCustomerAt = turn.offsetMs;
        const replies = turn.expected.map((line) => line.text);
        if (!turn.handsOff && !turn.endsConversation && replies.length === 1 && normalizeMessage(replies[0]!) === normalizeMessage(fallbackReply)) continue;
        const topic: SetupTopic = {
          topic: names(turn),
          'trigger phrases': [turn.action.text],
          replies,
          ...(turn.handsOff ? handoffTopicFields(handoff) : {}),
          ...(turn.endsConversation ? { then: 'end conversation' as const } : {}),
        };
        turn.topic = addTopic(copilot.topics, topic);
        if (replies.length > 1) needsFixture.push(`turn ${turn.number} gets ${replies.length} replies`);
        if (replies.some((reply) => reply.includes('{'))) {
          notes.push({ entry: turn.entry, offsetMs: turn.offsetMs, message: `Turn ${turn.number}: a reply holds "{", which the copilot runtime reads as a Power Fx hole; the replayed reply may differ.` });
        }
      } else if (turn.action.kind === 'inactivity') {
        inactivityCount += 1;
        const [first, ...rest] = turn.expected;
        if (!first) continue;
        const seconds = Math.max(1, Math.round((turn.offsetMs - lastCustomerAt) / 1000));
        const topic: SetupInactivityTopic = {
          topic: `Inactivity ${inactivityCount}`,
          'inactive for': durationText(seconds * 1000),
          message: first.text,
          ...(turn.endsConversation ? { then: 'end conversation' as const } : {}),
        };
        (copilot.inactivity ??= []).push(topic);
        turn.topic = topic.topic;
        if (rest.length > 0) notes.push({ entry: turn.entry, offsetMs: turn.offsetMs, message: `Turn ${turn.number}: an inactivity topic sends one message; the copilot's ${rest.length} further message(s) in this turn will be missing from the replay.` });
        if (turn.handsOff) notes.push({ entry: turn.entry, offsetMs: turn.offsetMs, message: `Turn ${turn.number}: the copilot handed off without the customer saying anything; an inactivity topic cannot transfer, so the replay will not hand off there.` });
      } else if (turn.handsOff) {
        notes.push({ entry: turn.entry, offsetMs: turn.offsetMs, message: `Turn ${turn.number}: the copilot handed off when the chat started; the reconstructed copilot cannot, so the replay will not hand off there.` });
      }
    }
    checkPhrases(copilot, copilotTurns, notes, needsFixture);
    setup.copilot = copilot;
  }

  if (handoff) {
    const recordedQueue = recording.entries.find((entry): entry is Extract<RecordingEntry, { kind: 'routing' }> => entry.kind === 'routing' && entry.queue !== undefined)?.queue;
    const queue = recordedQueue ?? 'Recorded queue';
    // A declared queue needs a member (work-stream.ts); without an agent the queue is the work stream's fallback, which needs none.
    const joins = turns.some((turn) => turn.action.kind === 'agentJoins');
    if (joins) {
      setup.queues = [{ queue, priority: 1 }];
      setup.agents = [{ agent, queues: [queue], presence: 'Offline', capacity: 1 }];
    } else {
      setup['fallback queue'] = queue;
    }
    if (recordedQueue) setup['routing rules'] = [{ rule: 'Recorded routing', condition: routingCondition(handoff, copilotTurns), queue }];
  } else if (turns.some((turn) => turn.phase === 'agent' || turn.action.kind === 'agentJoins')) {
    notes.push({ message: 'An agent takes part but the recording holds no handoff; the replay cannot route the conversation to the agent.' });
  }
  return { setup, needsFixture };
}

function copilotName(recording: Recording, handoff: HandoffEntry | undefined): string {
  const named = handoff?.variables['va_BotName'];
  if (typeof named === 'string' && named.trim()) return named.trim();
  const message = recording.entries.find((entry) => entry.kind === 'message' && entry.party === 'copilot' && entry.displayName);
  return message && message.kind === 'message' && message.displayName ? message.displayName : 'Recorded copilot';
}

/** The custom variables a handoff carries become the escalation topic's `sets`. */
function handoffTopicFields(handoff: HandoffEntry | undefined): Pick<SetupTopic, 'then' | 'sets' | 'message to agent'> {
  const sets: Record<string, string> = {};
  for (const [name, value] of Object.entries(handoff?.variables ?? {})) {
    if (/^va_/i.test(name) || /^msdyn_/i.test(name) || !/^[A-Za-z_][\w]*$/.test(name) || value === null || value === undefined) continue;
    sets[name] = contextText(value);
  }
  const message = handoff?.agentMessage ?? (typeof handoff?.variables['va_AgentMessage'] === 'string' ? (handoff.variables['va_AgentMessage'] as string) : undefined);
  return { then: 'transfer to agent', ...(Object.keys(sets).length > 0 ? { sets } : {}), ...(message ? { 'message to agent': message } : {}) };
}

/**
 * Names topics as the recording does: the traced topic of the turn, else va_Topics paired with
 * va_Phrases (or in order), else va_LastTopic for the escalation, else `Turn N`.
 */
function topicNamer(recording: Recording, handoff: HandoffEntry | undefined, turns: PlanTurn[]): (turn: PlanTurn) => string {
  const vaTopics = Array.isArray(handoff?.variables['va_Topics']) ? (handoff!.variables['va_Topics'] as unknown[]).map(String) : [];
  const vaPhrases = Array.isArray(handoff?.variables['va_Phrases']) ? (handoff!.variables['va_Phrases'] as unknown[]).map(String) : [];
  const spoken = turns.filter((turn) => turn.action.kind === 'customerSays');
  const byOrder = spoken.length === vaTopics.length;
  const entryTurn = new Map<number, PlanTurn>();
  for (const turn of turns) if (turn.entry !== undefined) entryTurn.set(turn.entry, turn);
  return (turn) => {
    const text = turn.action.kind === 'customerSays' ? turn.action.text : '';
    const traced = tracedTopic(recording, turn, turns);
    if (traced) return traced;
    if (vaPhrases.length === vaTopics.length) {
      const at = vaPhrases.findIndex((phrase) => normalizeUtterance(phrase) === normalizeUtterance(text));
      if (at >= 0) return vaTopics[at]!;
    }
    if (byOrder) return vaTopics[spoken.indexOf(turn)]!;
    if (turn.handsOff && typeof handoff?.variables['va_LastTopic'] === 'string') return handoff.variables['va_LastTopic'] as string;
    return turn.handsOff ? 'Escalate' : `Turn ${turn.number}`;
  };
}

/** The last topic traced between a turn's first entry and the next turn's. */
function tracedTopic(recording: Recording, turn: PlanTurn, turns: PlanTurn[]): string | undefined {
  if (turn.entry === undefined) return undefined;
  const next = turns.find((other) => other.number > turn.number && other.entry !== undefined)?.entry ?? recording.entries.length;
  let found: string | undefined;
  for (let index = turn.entry; index < next; index += 1) {
    const entry = recording.entries[index]!;
    if (entry.kind === 'topic' && !systemTopics.has(entry.topic.toLowerCase())) found = entry.topic;
  }
  return found;
}

/** Adds a topic, merging it into one of the same name and behaviour, or renaming it `Name (2)`; returns the name it got. */
function addTopic(topics: SetupTopic[], topic: SetupTopic): string {
  const same = topics.find((known) => known.topic === topic.topic);
  if (same && sameBehaviour(same, topic)) {
    if (!same['trigger phrases'].includes(topic['trigger phrases'][0]!)) same['trigger phrases'].push(...topic['trigger phrases']);
    return same.topic;
  }
  let name = topic.topic;
  for (let count = 2; topics.some((known) => known.topic === name); count += 1) name = `${topic.topic} (${count})`;
  topics.push({ ...topic, topic: name });
  return name;
}

function sameBehaviour(a: SetupTopic, b: SetupTopic): boolean {
  return JSON.stringify([a.replies, a.sets, a.then, a['message to agent']]) === JSON.stringify([b.replies, b.sets, b.then, b['message to agent']]);
}

/**
 * Checks, with the simulation's own intent matcher, that every customer phrase reaches its topic;
 * longer phrases go first when a shorter one would capture them. A table cell splits phrases on `,`
 * and `;`, so a phrase holding either one needs the fixture unless its fragments still match.
 */
function checkPhrases(copilot: SetupCopilot, turns: PlanTurn[], notes: PlanNote[], needsFixture: string[]): void {
  const spoken = turns.filter((turn): turn is PlanTurn & { action: { kind: 'customerSays'; text: string } } => turn.action.kind === 'customerSays');
  const misses = (topics: SetupTopic[], split: boolean) => {
    const matcher = new IntentMatcher(topics.map((topic) => ({ value: topic.topic, phrases: split ? topic['trigger phrases'].flatMap(cellPhrases) : topic['trigger phrases'] })));
    return spoken.filter((turn) => (matcher.match(turn.action.text)?.value ?? undefined) !== turn.topic);
  };
  if (misses(copilot.topics, false).length > 0) {
    copilot.topics.sort((a, b) => longest(b) - longest(a));
  }
  const whole = misses(copilot.topics, false);
  for (const turn of whole) {
    const matcher = new IntentMatcher(copilot.topics.map((topic) => ({ value: topic.topic, phrases: topic['trigger phrases'] })));
    const picked = matcher.match(turn.action.text)?.value;
    notes.push({
      entry: turn.entry,
      offsetMs: turn.offsetMs,
      message: `Turn ${turn.number}: the simulation's intent matching answers ${quoted(turn.action.text, 50)} with ${picked ? `topic "${picked}"` : 'its fallback'}, not ${turn.topic ? `topic "${turn.topic}"` : 'the fallback'}; expect a difference there.`,
    });
  }
  if (whole.length === 0 && misses(copilot.topics, true).length > 0) needsFixture.push('a customer phrase holds "," or ";", which a table cell would split');
  if (copilot.topics.some((topic) => Object.values(topic.sets ?? {}).some((value) => /[;,]/.test(value)))) needsFixture.push('a handoff variable holds "," or ";", which a table cell would split');
  if (copilot.topics.length > 15) needsFixture.push(`the copilot has ${copilot.topics.length} topics`);
}

/** The phrases a `trigger phrases` cell gives: the steps split it on `,` and `;` (src/steps/support/tables.ts). */
export function cellPhrases(text: string): string[] {
  return text.split(/[;,]/).map((part) => part.trim()).filter(Boolean);
}

function longest(topic: SetupTopic): number {
  return Math.max(...topic['trigger phrases'].map((phrase) => phrase.length));
}

/** A rule that sends this handoff to the recorded queue: a custom variable it carries, else the topic that escalated. */
function routingCondition(handoff: HandoffEntry, turns: PlanTurn[]): string {
  for (const [name, value] of Object.entries(handoff.variables)) {
    if (/^va_/i.test(name) || /^msdyn_/i.test(name) || !/^[A-Za-z_]\w*$/.test(name)) continue;
    if ((typeof value === 'string' || typeof value === 'number') && /^[^"\n;,]+$/.test(String(value)) && !/\band\b/i.test(String(value))) return `${name} = ${value}`;
  }
  const escalation = turns.find((turn) => turn.handsOff)?.topic;
  return escalation && !/\band\b/i.test(escalation) && !/["\n]/.test(escalation) ? `va_LastTopic = ${escalation}` : 'va_Scope = bot';
}

function expectedOutcome(recording: Recording, turns: PlanTurn[], handoff: HandoffEntry | undefined, agent: string, conformance: ConformanceResult, notes: PlanNote[]): ExpectedOutcome {
  const outcome: ExpectedOutcome = { routing: {} };
  if (handoff) {
    const variables: Record<string, string> = {};
    const skipped: Record<string, string> = {};
    const spoken = turns.filter((turn) => turn.phase === 'copilot' && turn.action.kind === 'customerSays').map((turn) => (turn.action as { text: string }).text);
    for (const [name, value] of Object.entries(handoff.variables)) {
      const lower = name.toLowerCase();
      if (idVariables.has(lower)) skipped[name] = 'an id of the recorded conversation';
      else if (lower.startsWith('msdyn_')) skipped[name] = 'set by Dynamics 365, not by the copilot';
      else if (phraseVariables.has(lower) && !phrasesAgree(lower, value, spoken)) skipped[name] = "the recording's own value differs from the customer's messages it holds";
      else variables[name] = contextText(value);
    }
    outcome.handoff = { variables, skipped, ...(!('va_AgentMessage' in handoff.variables) && handoff.agentMessage ? { agentMessage: handoff.agentMessage } : {}) };
  }
  const queue = recording.entries.find((entry): entry is Extract<RecordingEntry, { kind: 'routing' }> => entry.kind === 'routing' && entry.queue !== undefined)?.queue;
  if (queue) outcome.routing.queue = queue;
  if (turns.some((turn) => turn.action.kind === 'agentJoins')) outcome.routing.agent = agent;

  if (conformance.gap) {
    notes.push({ entry: conformance.gap.entry, offsetMs: conformance.gap.offsetMs, message: `The lifecycle model cannot explain entry ${conformance.gap.entry} (${conformance.gap.what}); how the conversation ended is not compared.` });
    return outcome;
  }
  const { conversation, closureReason } = conformance.final;
  const situations: Record<string, string> = {
    withCopilot: 'with the copilot',
    withAgent: 'with an agent',
    wrapUp: 'in wrap-up',
    awaitingCustomer: 'waiting for the customer',
    closed: `closed${closureReason ? ` with reason ${closureReason}` : ''}`,
  };
  // Routing rarely shows in a recording: escalated, queued and offered all mean "handed off, no agent yet".
  outcome.situation = joiningStates.includes(conversation)
    ? { states: [...joiningStates], text: 'handed off and waiting for an agent' }
    : { states: [conversation], ...(conversation === 'closed' && closureReason ? { closureReason } : {}), text: situations[conversation] ?? conversation };
  return outcome;
}

const joiningStates = ['escalated', 'queued', 'offered'];

function phrasesAgree(name: string, value: unknown, spoken: string[]): boolean {
  const same = (a: string, b: string) => normalizeMessage(a) === normalizeMessage(b);
  if (name === 'va_phrases') return Array.isArray(value) && value.length === spoken.length && value.every((phrase, index) => same(String(phrase), spoken[index]!));
  return typeof value === 'string' && spoken.length > 0 && same(value, spoken.at(-1)!);
}
