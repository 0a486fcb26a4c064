/**
 * Checks real recordings end to end, outside `npm test` (which must not depend on the shared corpus):
 * every file under the given folders is imported (or gets its located reason), checked against the
 * lifecycle model, turned into a feature, and replayed against the setup reconstructed from it.
 * Prints the counts per format and every failure, gap and divergence with its position.
 *
 *   node -r ts-node/register/transpile-only src/replay/check-corpus.ts /work/shared/corpus/recordings /work/shared/corpus/directline
 *   (add --run-features to also run the generated features with `handoff run`)
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, relative } from 'node:path';
import { runFeatures } from '../cli/run-command';
import { checkConformance, formatGap } from './conformance';
import { writeFeature } from './feature-writer';
import { detectRecordingFormat, importFile, RecordingImportError } from './import';
import { planReplay } from './plan';
import { replayRecording } from './replay';
import { summary } from './replay-report';

const notRecordings = /^(?:LICENSE|README|NOTICE)(?:\.\w+)?$/i;

interface Tally {
  files: number;
  imported: number;
  explained: number;
  featureWritten: number;
  replayMatches: number;
  featurePasses: number;
  problems: string[];
}

async function main(argv: string[]): Promise<void> {
  const runFeaturesToo = argv.includes('--run-features');
  const folders = argv.filter((arg) => !arg.startsWith('--'));
  if (folders.length === 0) {
    console.error('Usage: check-corpus.ts <folder>... [--run-features] (for example /work/shared/corpus/recordings /work/shared/corpus/directline)');
    process.exitCode = 2;
    return;
  }
  const tallies = new Map<string, Tally>();
  const tallyOf = (format: string) => {
    let tally = tallies.get(format);
    if (!tally) tallies.set(format, (tally = { files: 0, imported: 0, explained: 0, featureWritten: 0, replayMatches: 0, featurePasses: 0, problems: [] }));
    return tally;
  };
  const featureFolder = mkdtempSync(join(tmpdir(), 'handoff-corpus-features-'));
  const features = new Map<string, { tally: Tally; shown: string }>();
  let skipped = 0;
  for (const folder of folders) {
    for (const path of listFiles(folder)) {
      if (notRecordings.test(basename(path))) {
        skipped += 1;
        continue;
      }
      const shown = relative(process.cwd(), path);
      const tally = tallyOf(detectQuietly(path));
      tally.files += 1;
      let recording;
      try {
        recording = importFile(path, { file: shown });
        tally.imported += 1;
      } catch (error) {
        if (!(error instanceof RecordingImportError)) throw error;
        tally.problems.push(`import failed: ${error.message}`);
        continue;
      }
      const model = checkConformance(recording);
      if (model.explained) tally.explained += 1;
      else tally.problems.push(`model gap in ${shown}: ${formatGap(model.gap!)}`);
      const plan = planReplay(recording);
      const featureFile = join(featureFolder, `${features.size + 1}-${basename(path).replace(/[^\w.-]+/g, '_')}.feature`);
      const generated = writeFeature(plan, { featureFile, command: `handoff import ${shown} --feature ${basename(featureFile)}`, keepPii: false });
      for (const fixture of generated.fixtures) writeFileSync(fixture.file, fixture.text);
      writeFileSync(featureFile, generated.feature);
      tally.featureWritten += 1;
      features.set(featureFile, { tally, shown });
      const replay = await replayRecording(recording);
      if (!replay.divergent) tally.replayMatches += 1;
      else tally.problems.push(`replay of ${shown} diverges from its own reconstruction: ${summary(replay)}; first: ${firstDifference(replay)}`);
    }
  }

  if (runFeaturesToo && features.size > 0) {
    const reports = join(featureFolder, 'reports');
    const { run } = await runFeatures({ paths: [featureFolder], reports });
    for (const scenario of run.scenarios) {
      const entry = [...features.entries()].find(([file]) => file.endsWith(basename(scenario.uri)));
      if (!entry) continue;
      if (scenario.status === 'passed') entry[1].tally.featurePasses += 1;
      else entry[1].tally.problems.push(`generated feature of ${entry[1].shown} ${scenario.status}: ${scenario.failedStep ? `${scenario.failedStep.keyword} ${scenario.failedStep.text}: ${scenario.failedStep.message?.split('\n')[0] ?? ''}` : ''}`);
    }
  }

  console.log('Recordings: import, model conformance, replay against their own reconstruction');
  const header = ['format', 'files', 'imported', 'model ok', 'features', 'replay ok', ...(runFeaturesToo ? ['feature ok'] : [])];
  console.log(header.map((text, index) => (index === 0 ? text.padEnd(22) : text.padStart(11))).join(''));
  const total: Tally = { files: 0, imported: 0, explained: 0, featureWritten: 0, replayMatches: 0, featurePasses: 0, problems: [] };
  const row = (name: string, tally: Tally) =>
    console.log(
      [name.padEnd(22), ...[tally.files, tally.imported, tally.explained, tally.featureWritten, tally.replayMatches, ...(runFeaturesToo ? [tally.featurePasses] : [])].map((n) => String(n).padStart(11))].join(''),
    );
  for (const [format, tally] of [...tallies].sort(([a], [b]) => a.localeCompare(b))) {
    row(format, tally);
    for (const key of ['files', 'imported', 'explained', 'featureWritten', 'replayMatches', 'featurePasses'] as const) total[key] += tally[key];
  }
  row('total', total);
  console.log(`(${skipped} licence/readme files skipped)`);
  for (const [format, tally] of tallies) for (const problem of tally.problems) console.log(`  ${format}: ${problem}`);
  if (runFeaturesToo) console.log(`Generated features are in ${featureFolder}`);
  else rmSync(featureFolder, { recursive: true, force: true });
}

function firstDifference(replay: Awaited<ReturnType<typeof replayRecording>>): string {
  const turn = replay.turns.find((candidate) => candidate.differs);
  if (turn) {
    if (turn.error) return `turn ${turn.number} (${turn.action}): ${turn.error}`;
    const line = turn.diff.find((candidate) => candidate.sign !== ' ');
    return `turn ${turn.number} (${turn.action}): ${line?.sign} ${line?.from}: ${JSON.stringify((line?.text ?? '').slice(0, 80))}`;
  }
  const handoff = replay.handoff.differences[0];
  if (handoff) return `handoff ${handoff.name}: ${handoff.expected} → ${handoff.actual}`;
  const routing = replay.routing.differences[0];
  if (routing) return `routing ${routing.name}: ${routing.expected} → ${routing.actual}`;
  return `end: ${replay.closure.expected} → ${replay.closure.actual}`;
}

function detectQuietly(path: string): string {
  try {
    return detectRecordingFormat(readText(path), path);
  } catch {
    return 'unknown';
  }
}

function readText(path: string): string {
  return readFileSync(path, 'utf8');
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

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
