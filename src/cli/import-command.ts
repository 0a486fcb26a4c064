import { Command, InvalidArgumentError, Option } from 'commander';
import fs from 'node:fs';
import path from 'node:path';
import { checkConformance, formatGap } from '../replay/conformance';
import { writeFeature } from '../replay/feature-writer';
import { RecordingImportError, importFile, recordingFormats, writeRecording, type RecordingFormat } from '../replay/import';
import { planReplay } from '../replay/plan';
import { readReplayInput } from '../replay/replay-input';

interface ImportOptions {
  format?: RecordingFormat;
  keepPii?: boolean;
  seed?: number;
  out?: string;
  feature?: string;
  fixture?: boolean;
  setup?: string;
}

function seedNumber(value: string): number {
  const number = Number(value);
  if (!Number.isSafeInteger(number) || number < 0) throw new InvalidArgumentError('It must be a whole number of 0 or more.');
  return number;
}

/**
 * `handoff import <file>`: reads a recorded conversation (Bot Framework .transcript, Direct Line log,
 * Copilot Studio Dataverse transcript, Dynamics 365 transcript) into the normalized recording
 * (docs/recording-format.md) and prints it, or writes it (`--out`), a feature file that replays it
 * (`--feature`) and the reconstructed replay setup (`--setup`). Nothing is written when the import fails.
 */
export function registerImportCommand(program: Command): void {
  program
    .command('import')
    .description('import a recorded conversation; print or write the normalized recording, a feature that replays it, or its replay setup')
    .argument('<file>', 'a .transcript, Direct Line log, Dataverse transcript content or Dynamics 365 transcript')
    .addOption(new Option('--format <format>', 'skip detection: the file is in this format').choices([...recordingFormats]))
    .option('--keep-pii', 'keep e-mail addresses, phone and card numbers and names as recorded')
    .option('--seed <n>', 'seed of the pseudonyms (default: a hash of the file)', seedNumber)
    .option('--out <recording.json>', 'write the normalized recording to this file instead of printing it')
    .option('--feature <out.feature>', 'write a feature file that replays the conversation (and its copilot fixture when one is needed)')
    .option('--fixture', 'with --feature: put the copilot in a JSON fixture next to the feature even when a table could hold it')
    .option('--setup <out.setup.json>', 'write the copilot, queues, rules and agents reconstructed from the recording, for `handoff replay --setup`')
    .action((file: string, options: ImportOptions) => {
      process.exitCode = runImport(file, options);
    });
}

function runImport(file: string, options: ImportOptions): number {
  let recording;
  try {
    const importOptions = { ...(options.keepPii ? { keepPii: true } : {}), ...(options.seed !== undefined ? { seed: options.seed } : {}) };
    // A normalized recording (handoff import --out) reads back as it is, so a feature can be made from it later.
    const input = options.format ? undefined : readReplayInput(file, importOptions);
    if (input?.kind === 'bundle') {
      process.stderr.write(`handoff import: Cannot import ${file}: it is a failure bundle, not a recorded conversation. A bundle reruns its scenario instead. Run: handoff replay ${file}\n`);
      return 1;
    }
    recording = input?.kind === 'recording' ? input.recording : importFile(file, { format: options.format!, ...importOptions });
  } catch (error) {
    if (!(error instanceof RecordingImportError)) throw error;
    process.stderr.write(`handoff import: ${error.message}\n`);
    return 1;
  }
  for (const warning of recording.warnings) process.stderr.write(`warning: ${file} (${warning.position}): ${warning.message}\n`);

  // Everything is worked out before the first file is written, so a failure leaves nothing behind.
  const writes: Array<{ file: string; text: string }> = [];
  const plan = options.feature || options.setup ? planReplay(recording) : undefined;
  if (options.feature && plan) {
    const command = ['handoff import', file, options.keepPii ? '--keep-pii' : '', options.seed !== undefined ? `--seed ${options.seed}` : '', `--feature ${options.feature}`].filter(Boolean).join(' ');
    const generated = writeFeature(plan, { featureFile: options.feature, command, keepPii: options.keepPii === true, fixture: options.fixture === true });
    writes.push(...generated.fixtures, { file: options.feature, text: generated.feature });
  }
  if (options.setup && plan) writes.push({ file: options.setup, text: `${JSON.stringify(plan.setup, null, 2)}\n` });
  try {
    if (options.out) writeRecording(recording, options.out);
    for (const write of writes) writeTextFile(write.file, write.text);
  } catch (error) {
    process.stderr.write(`handoff import: ${(error as Error).message}\n`);
    return 1;
  }

  const summary = `Imported ${file}: ${recording.source.format}, ${recording.entries.length} entries, ${recording.warnings.length} warnings.`;
  const model = checkConformance(recording);
  const modelLine = model.explained ? 'The lifecycle model explains the conversation.' : `Model gap: ${formatGap(model.gap!)}`;
  if (!options.out && writes.length === 0) {
    process.stdout.write(`${JSON.stringify(recording, null, 2)}\n`);
    process.stderr.write(`${summary}\n${modelLine}\n`);
    return 0;
  }
  const lines = [summary];
  if (options.out) lines.push(`  recording → ${options.out}`);
  for (const write of writes) lines.push(`  ${write.file.endsWith('.feature') ? 'feature' : write.file.endsWith('.copilot.json') ? 'copilot fixture' : 'replay setup'} → ${write.file}`);
  for (const note of plan?.notes ?? []) lines.push(`  note: ${note.message}`);
  lines.push(modelLine);
  if (options.feature) lines.push(`Run it with: npx handoff run ${options.feature}`);
  process.stdout.write(`${lines.join('\n')}\n`);
  return 0;
}

/** Temporary file, then rename: a reader never sees half a file, a failed write leaves the old one. */
function writeTextFile(file: string, text: string): void {
  const temporary = `${file}.${process.pid}.tmp`;
  try {
    fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    fs.writeFileSync(temporary, text, 'utf8');
    fs.renameSync(temporary, file);
  } catch (error) {
    try {
      fs.rmSync(temporary, { force: true });
    } catch {
      // The folder could not be made: there is no temporary file to remove.
    }
    const cause = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new Error(`Failed to write ${file}: the file system refused (${cause}). Check that the folder is writable and has space, then import again.`, { cause: error });
  }
}
