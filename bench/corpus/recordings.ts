/**
 * Imports every file under the given folders and prints, per detected format, how many files
 * imported, which failed and why (with the position), and how many entries and warnings they gave.
 * Then times the import of a generated 10,000-activity transcript next to a plain JSON.parse of the
 * same text (the baseline, measured in the same run).
 *
 *   node -r ts-node/register/transpile-only bench/corpus/recordings.ts <folder>...
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { performance } from 'node:perf_hooks';
import { detectRecordingFormat, importFile, importRecording } from '../../src/replay/import/import-recording';
import { RecordingImportError } from '../../src/replay/import/recording-import-error';

/** Files that travel with a corpus folder and are not recordings. */
const notRecordings = /^(?:LICENSE|README|NOTICE)(?:\.\w+)?$/i;

interface FormatTally {
  files: number;
  imported: number;
  entries: number;
  warnings: number;
  failures: string[];
  warningSamples: string[];
}

function main(folders: string[]): void {
  if (folders.length === 0) {
    console.error('Usage: recordings.ts <folder>... (for example /work/shared/corpus/recordings /work/shared/corpus/directline)');
    process.exitCode = 2;
    return;
  }
  const tallies = new Map<string, FormatTally>();
  const tallyOf = (format: string) => {
    let tally = tallies.get(format);
    if (!tally) {
      tally = { files: 0, imported: 0, entries: 0, warnings: 0, failures: [], warningSamples: [] };
      tallies.set(format, tally);
    }
    return tally;
  };
  let skipped = 0;
  for (const folder of folders) {
    for (const path of listFiles(folder)) {
      if (notRecordings.test(basename(path))) {
        skipped += 1;
        continue;
      }
      const shown = relative(process.cwd(), path);
      const format = detectQuietly(path);
      const tally = tallyOf(format);
      tally.files += 1;
      try {
        const recording = importFile(path, { file: shown });
        tally.imported += 1;
        tally.entries += recording.entries.length;
        tally.warnings += recording.warnings.length;
        for (const warning of recording.warnings.slice(0, 2)) tally.warningSamples.push(`${shown} (${warning.position}): ${warning.message}`);
      } catch (error) {
        if (!(error instanceof RecordingImportError)) throw error;
        tally.failures.push(error.message);
      }
    }
  }

  console.log('Corpus import');
  console.log(`${'format'.padEnd(22)}${'files'.padStart(6)}${'imported'.padStart(10)}${'failed'.padStart(8)}${'entries'.padStart(9)}${'warnings'.padStart(10)}`);
  for (const [format, tally] of [...tallies].sort(([a], [b]) => a.localeCompare(b))) {
    console.log(
      `${format.padEnd(22)}${String(tally.files).padStart(6)}${String(tally.imported).padStart(10)}${String(tally.failures.length).padStart(8)}${String(tally.entries).padStart(9)}${String(tally.warnings).padStart(10)}`,
    );
    for (const failure of tally.failures) console.log(`    failed: ${failure}`);
    for (const sample of tally.warningSamples) console.log(`    warning: ${sample}`);
  }
  console.log(`(${skipped} licence/readme files skipped)`);
  console.log('');
  measureLargeTranscript(10_000);
}

/** The detected format, or `unknown` when detection itself fails (the import then reports why). */
function detectQuietly(path: string): string {
  try {
    return detectRecordingFormat(readFileSync(path, 'utf8'), path);
  } catch {
    return 'unknown';
  }
}

function listFiles(folder: string): string[] {
  const found: string[] = [];
  for (const name of readdirSync(folder).sort()) {
    const path = join(folder, name);
    if (statSync(path).isDirectory()) found.push(...listFiles(path));
    else found.push(path);
  }
  return found;
}

/**
 * A .transcript of `count` activities in the Emulator's shape: customer and copilot messages (some with
 * an e-mail address or a phone number to replace), typing, DialogTracing and VariableAssignment traces.
 */
export function generateTranscript(count: number): string {
  const start = Date.parse('2026-03-02T09:00:00Z');
  const user = { id: 'user-1', name: 'Maria Lopez', role: 'user' };
  const bot = { id: 'bot-1', name: 'Contoso Helper', role: 'bot' };
  const activities: unknown[] = [];
  for (let index = 0; index < count; index += 1) {
    const base = { id: `a-${index}`, timestamp: new Date(start + index * 1500).toISOString(), channelId: 'emulator', conversation: { id: 'c-1' } };
    switch (index % 5) {
      case 0:
        activities.push({ ...base, type: 'message', from: user, recipient: bot, text: `Question ${index}: my e-mail is maria${index % 7}@example.net, call +1 425 555 ${String(1000 + (index % 9000)).padStart(4, '0')}` });
        break;
      case 1:
        activities.push({ ...base, type: 'typing', from: bot, recipient: user });
        break;
      case 2:
        activities.push({ ...base, type: 'trace', name: 'DialogTracing', valueType: 'DialogTracing', from: bot, recipient: user, value: { actions: [{ topicId: `contoso.topic.Topic${index % 11}`, actionType: 'SendActivity' }] } });
        break;
      case 3:
        activities.push({ ...base, type: 'trace', valueType: 'VariableAssignment', from: bot, recipient: user, value: { name: 'Department', id: 'Global.Department', newValue: 'Billing', type: 'global' } });
        break;
      default:
        activities.push({ ...base, type: 'message', from: bot, recipient: user, text: `Answer ${index}, Maria: here is what I found about your bill.` });
    }
  }
  return JSON.stringify(activities, null, 2);
}

function measureLargeTranscript(count: number): void {
  const text = generateTranscript(count);
  const runs = 5;
  const time = (work: () => void) => {
    const samples: number[] = [];
    for (let run = 0; run < runs; run += 1) {
      const started = performance.now();
      work();
      samples.push(performance.now() - started);
    }
    samples.sort((a, b) => a - b);
    return samples[Math.floor(runs / 2)] as number;
  };
  let entries = 0;
  const parseMs = time(() => JSON.parse(text));
  const keepMs = time(() => {
    entries = importRecording(text, { file: 'generated.transcript', keepPii: true }).entries.length;
  });
  const importMs = time(() => importRecording(text, { file: 'generated.transcript' }));
  const size = (text.length / 1024 / 1024).toFixed(1);
  console.log(`Generated transcript: ${count} activities, ${size} MB, ${entries} entries; median of ${runs} runs`);
  console.log(`  JSON.parse alone (baseline)        ${parseMs.toFixed(1).padStart(8)} ms`);
  console.log(`  import, personal data kept         ${keepMs.toFixed(1).padStart(8)} ms`);
  console.log(`  import, personal data replaced     ${importMs.toFixed(1).padStart(8)} ms   (target < 1000 ms)`);
}

if (require.main === module) main(process.argv.slice(2));
