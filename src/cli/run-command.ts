import path from 'node:path';
import { PassThrough } from 'node:stream';
import { InvalidArgumentError } from 'commander';
import type { Envelope } from '@cucumber/messages';
import { loadConfiguration, runCucumber } from '@cucumber/cucumber/api';
import { ensureWritableFolder } from '../report/atomic-write';
import { finishedOnly } from '../report/message-stream';
import { createRedactor } from '../report/redaction';
import { runInterruption } from '../report/run-interruption';
import type { RunResult } from '../report/run-result';
import { RunProgress, failureSummary, isCi, type ProgressOutput } from '../report/run-progress';
import { handoffReportFiles, writeRunReports } from '../report/write-run-reports';
import { suggestSteps } from './step-suggestions';

export const projectRoot = path.resolve(__dirname, '..', '..');

export interface RunOptions {
  paths: string[];
  tags?: string;
  seed?: number;
  reports: string;
  /** Worker processes (cucumber's `parallel`); 0 or absent runs in this process. */
  parallel?: number;
  /** `i/n`: run only the i-th of n slices of the scenarios (cucumber's `shard`, 12.2 and later). */
  shard?: string;
  /** Where progress and the closing summary go; the default is stdout. */
  output?: ProgressOutput;
}

export interface RunSummary {
  success: boolean;
  scenarios: { passed: number; failed: number; skipped: number };
  run: RunResult;
}

/**
 * Runs features through cucumber's own API. The run's messages are collected, not written by
 * cucumber, then every report is written from them (src/report/write-run-reports.ts): secrets are
 * redacted before any file exists, and a run stopped with Ctrl-C still writes complete reports of
 * the scenarios that finished.
 */
export async function runFeatures(options: RunOptions): Promise<RunSummary> {
  const reports = path.resolve(options.reports);
  ensureWritableFolder(reports);
  if (options.seed !== undefined) process.env['SEED'] = String(options.seed);
  const output = options.output ?? process.stdout;
  const paths = options.paths.length > 0 ? options.paths : [path.join(projectRoot, 'features', '**', '*.feature')];
  const { runConfiguration } = await loadConfiguration({
    provided: {
      paths,
      require: [path.join(projectRoot, 'src', 'steps', '**', '*.ts')],
      requireModule: ['ts-node/register/transpile-only'],
      // Reports are written from the collected messages; cucumber's console formatter writes nowhere.
      format: [],
      tags: options.tags ?? '',
      retry: 0,
      strict: true,
      parallel: options.parallel ?? 0,
      ...(options.shard ? { shard: options.shard } : {}),
    },
  });
  const redactor = createRedactor();
  const messages: Envelope[] = [];
  const progress = new RunProgress(output, { ci: isCi() });
  const stopInterrupts = onInterrupt(async () => {
    runInterruption.requested = true;
    progress.finish();
    const { done, total } = progress.counts;
    const reason = `Interrupted (SIGINT) after ${done} of ${total} scenarios; the reports hold the ${done} that finished.`;
    const written = await writeRunReports(reports, finishedOnly(messages, reason), redactor);
    output.write(`\n${reason}\n${closingLine(written.run, reports)}\n`);
  });
  let success: boolean;
  try {
    ({ success } = await runCucumber(runConfiguration, { cwd: projectRoot, stdout: discard() }, (message) => {
      if (runInterruption.requested) return;
      messages.push(message);
      progress.update(message);
    }));
  } finally {
    progress.finish();
  }
  if (!stopInterrupts()) return new Promise<never>(() => undefined); // the interrupt handler writes the reports and exits
  for (const line of suggestSteps(messages)) process.stderr.write(`${redactor.text(line)}\n`);
  const { run } = await writeRunReports(reports, messages, redactor);
  const failures = failureSummary(run);
  if (failures.length > 0) output.write(`\n${failures.join('\n')}\n`);
  output.write(`\n${closingLine(run, reports)}\n`);
  return { success, scenarios: run.counts, run };
}

/** `--parallel <n>`: a whole number of workers, 0 for none. */
export function parallelOption(value: string): number {
  const number = Number(value);
  if (!Number.isSafeInteger(number) || number < 0) throw new InvalidArgumentError('It is the number of worker processes, a whole number such as 4 (0 runs in this process).');
  return number;
}

/** `--shard <i/n>`: the i-th of n slices, counted from 1. */
export function shardOption(value: string): string {
  const match = /^(\d+)\/(\d+)$/.exec(value.trim());
  const index = Number(match?.[1]);
  const total = Number(match?.[2]);
  if (!match || total < 1 || index < 1 || index > total) throw new InvalidArgumentError('It reads i/n: this job runs the i-th of n slices, e.g. 1/3, 2/3 and 3/3.');
  return `${index}/${total}`;
}

function closingLine(run: RunResult, reports: string): string {
  const { passed, failed, skipped } = run.counts;
  const where = path.relative(process.cwd(), path.join(reports, handoffReportFiles.summary)) || handoffReportFiles.summary;
  return `scenarios: ${passed} passed, ${failed} failed, ${skipped} skipped. Reports: ${where}`;
}

/**
 * While a run is going, Ctrl-C writes the reports of what finished and exits 130; a second Ctrl-C
 * exits at once. Returns the function that stops listening, which answers false once an interrupt began.
 */
function onInterrupt(writeReports: () => Promise<void>): () => boolean {
  let interrupted = false;
  const handler = (): void => {
    if (interrupted) process.exit(130);
    interrupted = true;
    writeReports()
      .catch((error: unknown) => process.stderr.write(`handoff: ${(error as Error).message}\n`))
      .finally(() => process.exit(130));
  };
  process.on('SIGINT', handler);
  return () => {
    process.off('SIGINT', handler);
    return !interrupted;
  };
}

function discard(): PassThrough {
  const sink = new PassThrough();
  sink.resume();
  return sink;
}
