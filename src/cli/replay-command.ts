import { Command, InvalidArgumentError } from 'commander';
import fs from 'node:fs';
import path from 'node:path';
import type { CopilotDefinition } from '../copilot/copilot-definition';
import { formatReproduction, reproduceBundle } from '../replay/bundle-replay';
import { checkConformance, formatConformance } from '../replay/conformance';
import { RecordingImportError, writeRecording } from '../replay/import';
import { replayRecording } from '../replay/replay';
import { readReplayInput } from '../replay/replay-input';
import { formatReplayDiff, reportName, summary, writeReplayReport } from '../replay/replay-report';
import { readSetupFile, ReplaySetupError, type ReplaySetup } from '../replay/replay-setup';
import { loadTeamCopilot } from '../replay/team-copilot';
import { updateRecording } from '../replay/update-recording';
import { ScenarioError } from '../sim/errors';
import { projectRoot } from './run-command';

interface ReplayCommandOptions {
  copilot?: string;
  setup?: string;
  update?: boolean;
  checkModel?: boolean;
  keepPii?: boolean;
  seed?: number;
  reports: string;
}

function seedNumber(value: string): number {
  const number = Number(value);
  if (!Number.isSafeInteger(number) || number < 0) throw new InvalidArgumentError('It must be a whole number of 0 or more.');
  return number;
}

/** Files in a folder that are replay's own outputs or companions, not recordings. */
const notRecordings = /(\.setup\.json|\.copilot\.json|\.diff\.json|\.diff\.txt|\.feature|\.md|\.tmp)$|^(LICENSE|README|NOTICE)(\.\w+)?$/i;

/**
 * `handoff replay <file|folder>`: replays recorded conversations in the simulation and prints a per-turn
 * diff against the recording (also written to `<reports>/replay/<name>.diff.txt` and `.json`); exits 1
 * when a replay diverges. A failure bundle (reports/failures/*.json) reruns its scenario with its seed.
 */
export function registerReplayCommand(program: Command): void {
  program
    .command('replay')
    .description('replay recorded conversations (or a failure bundle) in the simulation and show where they diverge')
    .argument('<path>', 'a recording in any format handoff import reads, a normalized recording, a failure bundle, or a folder of them')
    .option('--copilot <folder>', "replay with the team's own copilot (exported agent folder, solution export or topic files)")
    .option('--setup <file>', 'the copilot, queues, rules and agents to replay against (default: <recording>.setup.json next to it, else reconstructed)')
    .option('--update', 'rewrite the expected side of a normalized recording with what the replay gave')
    .option('--check-model', 'only check the recording against the lifecycle machines; exit 1 on a gap')
    .option('--keep-pii', 'import recordings with their names and contact data as recorded (as handoff import --keep-pii)')
    .option('--seed <n>', 'seed of the simulation (default: a hash of the file name)', seedNumber)
    .option('--reports <dir>', 'where reports are written', path.join(projectRoot, 'reports'))
    .action(async (target: string, options: ReplayCommandOptions) => {
      process.exitCode = await runReplay(target, options);
    });
}

async function runReplay(target: string, options: ReplayCommandOptions): Promise<number> {
  const files = listInputs(target);
  if (files.length === 0) {
    process.stderr.write(`handoff replay: Nothing to replay in ${target}: the folder holds no recording. Replay reads .transcript and .json recordings. Pass a recording file or a folder that holds some.\n`);
    return 1;
  }
  let copilot: { definition: CopilotDefinition; source: string } | undefined;
  if (options.copilot && !options.checkModel) {
    try {
      const loaded = loadTeamCopilot(options.copilot);
      copilot = { definition: loaded.copilot, source: `${options.copilot} (${loaded.copilot.topics.length} topics)` };
      for (const warning of loaded.warnings.slice(0, 5)) process.stderr.write(`copilot ${warning}\n`);
    } catch (error) {
      if (!(error instanceof ScenarioError)) throw error;
      process.stderr.write(`handoff replay: ${error.message}\n`);
      return 1;
    }
  }
  let failures = 0;
  const folder = files.length > 1 || files[0] !== target ? target : undefined;
  for (const file of files) {
    try {
      failures += (await replayOne(file, options, copilot, folder)) ? 0 : 1;
    } catch (error) {
      if (!(error instanceof RecordingImportError) && !(error instanceof ScenarioError) && !isReadableError(error)) throw error;
      process.stderr.write(`handoff replay: ${(error as Error).message}\n`);
      failures += 1;
    }
  }
  if (files.length > 1) process.stdout.write(`\n${files.length - failures} of ${files.length} replays match; ${failures} ${failures === 1 ? 'differs or failed' : 'differ or failed'}.\n`);
  return failures > 0 ? 1 : 0;
}

/** Replays one file; true when it matches (or the model explains it, with --check-model). */
async function replayOne(file: string, options: ReplayCommandOptions, copilot: { definition: CopilotDefinition; source: string } | undefined, folder: string | undefined): Promise<boolean> {
  const input = readReplayInput(file, options.keepPii ? { keepPii: true } : {});
  const several = folder !== undefined;
  // In a folder, the report is named after the path inside it, so recordings of the same name do not collide.
  const name = several ? path.relative(folder, path.dirname(file)).split(path.sep).filter(Boolean).concat(reportName(file)).join('__') : reportName(file);
  if (input.kind === 'bundle') {
    if (options.checkModel || options.update) throw new ScenarioError(`Cannot ${options.update ? 'update' : 'model-check'} ${file}: it is a failure bundle, not a recording. A bundle is reproduced by running its scenario again. Run: handoff replay ${file}`);
    const reproduction = await reproduceBundle(file, { reports: path.join(options.reports, 'replay', name) });
    process.stdout.write(formatReproduction(reproduction));
    return reproduction.verdict === 'same failure';
  }
  const { recording } = input;
  if (options.checkModel) {
    const result = checkConformance(recording);
    process.stdout.write(`${formatConformance(result, file)}\n`);
    return result.explained;
  }
  const setupFile = options.setup ?? sidecarSetup(file);
  let setup: ReplaySetup | undefined;
  if (setupFile) setup = readSetupFile(setupFile);
  const result = await replayRecording(recording, {
    file,
    ...(options.seed !== undefined ? { seed: options.seed } : {}),
    ...(setup ? { setup, setupSource: setupFile! } : {}),
    ...(copilot ? { copilot: copilot.definition, copilotSource: copilot.source } : {}),
  });
  const written = writeReplayReport(result, path.join(options.reports, 'replay'), name);
  if (several) process.stdout.write(`${result.divergent ? 'DIVERGES' : 'matches '}  ${file}${result.divergent ? `: ${summary(result)}` : ''}\n`);
  else process.stdout.write(formatReplayDiff(result));
  process.stdout.write(`${several ? '  ' : ''}diff → ${path.relative(process.cwd(), written.text) || written.text} (and .json)\n`);

  if (!options.update || !result.divergent) {
    if (options.update) process.stdout.write('Nothing to update: the replay matches the recording.\n');
    return !result.divergent;
  }
  if (!input.normalized) {
    throw new ScenarioError(
      `Cannot update ${file}: it is a ${recording.source.format} file as exported, and replay only rewrites normalized recordings. Rewriting the export would no longer be what the product recorded. ` +
        `Import it first with: handoff import ${file} --out ${name}.recording.json, then replay that file with --update.`,
    );
  }
  const update = updateRecording(recording, result);
  writeRecording(update.recording, file);
  const again = await replayRecording(update.recording, {
    file,
    ...(options.seed !== undefined ? { seed: options.seed } : {}),
    ...(setup ? { setup, setupSource: setupFile! } : {}),
    ...(copilot ? { copilot: copilot.definition, copilotSource: copilot.source } : {}),
  });
  process.stdout.write(`Updated ${file}: ${update.changed.join('; ') || 'nothing the recording can hold changed'}.\n`);
  if (again.divergent) process.stdout.write(`Still different after the update (the recording's driving side, e.g. who joins and when, is not rewritten): ${summary(again)}.\n`);
  return !again.divergent;
}

/** `chat.transcript` → `chat.setup.json` next to it, when that file exists. */
function sidecarSetup(file: string): string | undefined {
  const candidate = path.join(path.dirname(file), `${reportName(file)}.setup.json`);
  return fs.existsSync(candidate) ? candidate : undefined;
}

function listInputs(target: string): string[] {
  let stats: fs.Stats;
  try {
    stats = fs.statSync(target);
  } catch {
    return [target]; // the import names the problem with the path
  }
  if (!stats.isDirectory()) return [target];
  return (fs.readdirSync(target, { recursive: true }) as string[])
    .map((name) => path.join(target, String(name)))
    .filter((file) => fs.statSync(file).isFile() && !notRecordings.test(path.basename(file)) && /\.(json|transcript)$/i.test(file))
    .sort();
}

/** Errors whose message already says what failed, why and what to do (setup files, bundles, writes). */
function isReadableError(error: unknown): boolean {
  return error instanceof ReplaySetupError || (error instanceof Error && /^(Cannot|Failed to) /.test(error.message));
}
