/**
 * The replay diff a person reads: per turn, the recorded (`-`) and replayed (`+`) messages, then the
 * handoff payload, the routing and how the conversation ended. Written to
 * `reports/replay/<name>.diff.txt`, with the same facts as JSON beside it.
 */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { ReplayResult } from './replay';
import { clockOf } from './text';

/**
 * The diff as text.
 *
 * @example console.log(formatReplayDiff(await replayRecording(recording)));
 */
export function formatReplayDiff(result: ReplayResult): string {
  const lines: string[] = [];
  const imported = result.source !== result.file ? `, imported from ${result.source}` : '';
  lines.push(`Replay of ${result.file} (${result.format}${imported}, ${result.plan.source.entries} entries, ${result.turns.length} turns, seed ${result.seed})`);
  lines.push(`  copilot: ${result.copilot}`);
  lines.push(`  queues, rules and agents: ${result.setup}`);
  lines.push('  "-" is what the recording holds, "+" what the replay gave; other lines agree.');
  lines.push('');
  for (const turn of result.turns) {
    lines.push(`${turn.differs ? '!' : ' '} turn ${turn.number}  ${clockOf(turn.offsetMs)}  ${turn.action}`);
    for (const line of turn.diff) lines.push(`    ${line.sign} ${line.from.padEnd(7)} ${indentMore(line.text)}`);
    if (turn.error) lines.push(`    ! could not be replayed: ${turn.error}`);
  }
  lines.push('');
  const { handoff } = result;
  const handoffDiffers = handoff.differences.length > 0;
  lines.push(`${handoffDiffers ? '!' : ' '} handoff payload${handoff.expected || handoff.happened ? '' : ': no handoff, as recorded'}`);
  for (const difference of handoff.differences) {
    if (difference.expected !== undefined) lines.push(`    - ${difference.name}: ${difference.expected}`);
    if (difference.actual !== undefined) lines.push(`    + ${difference.name}: ${difference.actual}`);
    else if (difference.expected !== undefined && difference.name !== 'handoff') lines.push(`    + ${difference.name}: (not handed over)`);
  }
  if (handoff.expected && handoff.happened && !handoffDiffers) lines.push(`    the same ${Object.keys(result.plan.outcome.handoff?.variables ?? {}).length} variables`);
  for (const [name, why] of Object.entries(handoff.skipped)) lines.push(`    (${name} not compared: ${why})`);
  const { routing } = result;
  const expectedRouting = result.plan.outcome.routing;
  lines.push(`${routing.differences.length > 0 ? '!' : ' '} routing`);
  for (const difference of routing.differences) {
    lines.push(`    - ${difference.name}: ${difference.expected}`);
    lines.push(`    + ${difference.name}: ${difference.actual ?? '(none)'}`);
  }
  if (routing.differences.length === 0) {
    const said = [expectedRouting.queue ? `queue "${expectedRouting.queue}"` : '', expectedRouting.agent ? `agent "${expectedRouting.agent}"` : ''].filter(Boolean).join(', ');
    lines.push(`    ${said ? `the same: ${said}` : 'the recording names no queue and no agent'}`);
  }
  lines.push(`${result.closure.differs ? '!' : ' '} end of the conversation`);
  if (result.closure.expected === undefined) lines.push(`    not compared (the model cannot explain the recording); the replay ends ${result.closure.actual}`);
  else if (result.closure.differs) {
    lines.push(`    - ${result.closure.expected}`);
    lines.push(`    + ${result.closure.actual}`);
  } else lines.push(`    the same: ${result.closure.expected} (${result.closure.actual})`);
  if (result.notes.length > 0) {
    lines.push('');
    lines.push('Not replayed or not compared:');
    for (const note of result.notes) lines.push(`  - ${note}`);
  }
  lines.push('');
  lines.push(result.divergent ? `DIVERGES: ${summary(result)}.` : 'Replay matches the recording.');
  return `${lines.join('\n')}\n`;
}

/** `turn 3, handoff (va_LastTopic), routing (queue)`. */
export function summary(result: ReplayResult): string {
  const parts: string[] = [];
  const turns = result.turns.filter((turn) => turn.differs).map((turn) => turn.number);
  if (turns.length > 0) parts.push(`${turns.length === 1 ? 'turn' : 'turns'} ${turns.join(', ')}`);
  if (result.handoff.differences.length > 0) parts.push(`handoff (${result.handoff.differences.map((d) => d.name).join(', ')})`);
  if (result.routing.differences.length > 0) parts.push(`routing (${result.routing.differences.map((d) => d.name).join(', ')})`);
  if (result.closure.differs) parts.push('end of the conversation');
  return `${result.differences} ${result.differences === 1 ? 'difference' : 'differences'}: ${parts.join(', ')}`;
}

/** The JSON beside the text: every fact of the diff, without the plan's internals. */
export function replayJson(result: ReplayResult): unknown {
  const { plan, format, ...rest } = result;
  return {
    format: 'handoff-replay-diff',
    version: 1,
    recordingFormat: format,
    ...rest,
    expected: { handoff: plan.outcome.handoff, routing: plan.outcome.routing, situation: plan.outcome.situation },
    model: plan.conformance.explained ? { explained: true } : { explained: false, gap: plan.conformance.gap },
  };
}

/**
 * Writes `<folder>/<name>.diff.txt` and `<name>.diff.json` (each through a temporary file) and returns
 * their paths.
 */
export function writeReplayReport(result: ReplayResult, folder: string, name: string): { text: string; json: string } {
  mkdirSync(folder, { recursive: true });
  const text = path.join(folder, `${name}.diff.txt`);
  const json = path.join(folder, `${name}.diff.json`);
  writeAtomically(text, formatReplayDiff(result));
  writeAtomically(json, `${JSON.stringify(replayJson(result), null, 2)}\n`);
  return { text, json };
}

/** The report name of a recording: its file name without the extensions (`billing-handoff.log.json` → `billing-handoff.log`). */
export function reportName(file: string): string {
  return path.basename(file).replace(/\.(json|transcript|txt)$/i, '').replace(/\.recording$/i, '');
}

function writeAtomically(file: string, text: string): void {
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, text, 'utf8');
  renameSync(temporary, file);
}

function indentMore(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ⏎ ');
}
