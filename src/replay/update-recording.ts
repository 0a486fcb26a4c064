/**
 * `handoff replay --update`: rewrites the expected side of a normalized recording with what the
 * replay gave, so the next replay compares against it (a golden file, for a team that changed its
 * copilot or routing on purpose). The driving side stays: the customer's and agent's messages and
 * their times, the agent joining and the end of the chat. Rewritten: the copilot's messages, the
 * handoff variables (and whether there is a handoff), and the queue.
 */
import type { HandoffEntry, MessageEntry, Recording, RecordingEntry } from './recording';
import type { ReplayResult } from './replay';
import { normalizeMessage } from './text';

export interface RecordingUpdate {
  recording: Recording;
  /** What was rewritten, in words. */
  changed: string[];
}

/**
 * The recording with its expected side taken from `result`.
 *
 * @example
 * const { recording: updated, changed } = updateRecording(recording, await replayRecording(recording, { copilot }));
 * writeRecording(updated, 'billing.recording.json');
 */
export function updateRecording(recording: Recording, result: ReplayResult): RecordingUpdate {
  const plan = result.plan;
  const changed: string[] = [];
  const removed = new Set<number>();
  const added: RecordingEntry[] = [];
  const copilotName = plan.setup.copilot?.name;
  const at = (offsetMs: number) => new Date(Date.parse(recording.startedAt) + offsetMs).toISOString();

  plan.turns.forEach((turn, index) => {
    const replayed = result.turns[index]!;
    const recordedLines = turn.expected.filter((line) => line.from === 'copilot');
    const observed = replayed.observed.filter((line) => line.from === 'copilot');
    const same = recordedLines.length === observed.length && recordedLines.every((line, i) => normalizeMessage(line.text) === normalizeMessage(observed[i]!.text));
    if (same) return;
    for (const line of recordedLines) removed.add(line.entry);
    const first = recordedLines[0] ? (recording.entries[recordedLines[0].entry] as MessageEntry) : undefined;
    const offsetMs = first?.offsetMs ?? turn.offsetMs;
    const source = first?.source ?? recording.entries[turn.entry ?? 0]?.source ?? { index: 0 };
    for (const line of observed) {
      added.push({ at: at(offsetMs), offsetMs, party: 'copilot', kind: 'message', text: line.text, ...(copilotName ? { displayName: copilotName } : {}), source });
    }
    changed.push(`turn ${turn.number}: ${recordedLines.length} recorded copilot message(s) replaced by ${observed.length} replayed`);
  });

  const entries = recording.entries.map((entry) => ({ ...entry })) as RecordingEntry[];
  const handoffIndex = entries.findIndex((entry) => entry.kind === 'handoff');
  const observedVariables = result.handoff.observed;
  if (handoffIndex >= 0 && !result.handoff.happened) {
    removed.add(handoffIndex);
    changed.push('the handoff: removed (the replay did not hand off)');
  } else if (handoffIndex >= 0 && result.handoff.differences.length > 0) {
    const handoff = entries[handoffIndex] as HandoffEntry;
    const variables = { ...handoff.variables };
    for (const difference of result.handoff.differences) {
      if (difference.name in variables && difference.actual !== undefined) variables[difference.name] = typedLike(variables[difference.name], difference.actual);
      else if (difference.name === 'message to agent' && difference.actual !== undefined) handoff.agentMessage = difference.actual;
    }
    handoff.variables = variables;
    changed.push(`the handoff variables ${result.handoff.differences.map((d) => d.name).join(', ')}`);
  } else if (handoffIndex < 0 && result.handoff.happened) {
    const offsetMs = result.handoff.offsetMs ?? 0;
    const turn = [...plan.turns].reverse().find((candidate) => candidate.offsetMs <= offsetMs);
    added.push({
      at: at(offsetMs),
      offsetMs,
      party: 'copilot',
      kind: 'handoff',
      via: 'handoff.initiate',
      variables: Object.fromEntries(Object.entries(observedVariables).map(([name, value]) => [name, parseListText(value)])),
      source: recording.entries[turn?.entry ?? 0]?.source ?? { index: 0 },
    });
    changed.push('the handoff: added (the replay handed off)');
  }

  const queueDifference = result.routing.differences.find((difference) => difference.name === 'queue');
  if (queueDifference?.actual !== undefined) {
    for (const entry of entries) if (entry.kind === 'routing' && entry.queue !== undefined) entry.queue = queueDifference.actual;
    changed.push(`the queue: "${queueDifference.expected}" → "${queueDifference.actual}"`);
  }

  const kept = entries.filter((_, index) => !removed.has(index));
  const merged = [...kept, ...added].map((entry, order) => ({ entry, order })).sort((a, b) => a.entry.offsetMs - b.entry.offsetMs || a.order - b.order).map(({ entry }) => entry);
  const updated: Recording = {
    ...recording,
    entries: merged,
    warnings: changed.length > 0 ? [...recording.warnings, { position: 'entries', message: `Rewritten by handoff replay --update (copilot: ${result.copilot}; setup: ${result.setup}): ${changed.join('; ')}.` }] : recording.warnings,
  };
  return { recording: updated, changed };
}

/** A replayed value as text goes back in the recorded value's type: a list stays a list. */
function typedLike(recorded: unknown, text: string): unknown {
  if (typeof recorded === 'string') return text;
  if (typeof recorded === 'number' && Number.isFinite(Number(text))) return Number(text);
  if (typeof recorded === 'boolean' && (text === 'true' || text === 'false')) return text === 'true';
  return parseListText(text);
}

function parseListText(text: string): unknown {
  if (!/^[[{]/.test(text)) return text;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
