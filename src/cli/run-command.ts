import fs from 'node:fs';
import path from 'node:path';
import type { Envelope } from '@cucumber/messages';
import { loadConfiguration, runCucumber } from '@cucumber/cucumber/api';
import { suggestSteps } from './step-suggestions';

export const projectRoot = path.resolve(__dirname, '..', '..');

export interface RunOptions {
  paths: string[];
  tags?: string;
  seed?: number;
  reports: string;
}

export interface RunSummary {
  success: boolean;
  scenarios: { passed: number; failed: number; skipped: number };
}

/** Runs features through cucumber's own API and writes every report into `reports`. */
export async function runFeatures(options: RunOptions): Promise<RunSummary> {
  const reports = path.resolve(options.reports);
  ensureWritable(reports);
  if (options.seed !== undefined) process.env['SEED'] = String(options.seed);
  const paths = options.paths.length > 0 ? options.paths : [path.join(projectRoot, 'features', '**', '*.feature')];
  const { runConfiguration } = await loadConfiguration({
    provided: {
      paths,
      require: [path.join(projectRoot, 'src', 'steps', '**', '*.ts')],
      requireModule: ['ts-node/register/transpile-only'],
      format: [
        'progress',
        ['html', path.join(reports, 'cucumber-report.html')],
        ['json', path.join(reports, 'cucumber-report.json')],
        ['junit', path.join(reports, 'junit.xml')],
        ['message', path.join(reports, 'messages.ndjson')],
      ],
      formatOptions: { junit: { suiteName: 'handoff-harness' } },
      tags: options.tags ?? '',
      retry: 0,
      strict: true,
    },
  });
  const messages: Envelope[] = [];
  const { success } = await runCucumber(runConfiguration, { cwd: projectRoot }, (message) => messages.push(message));
  for (const line of suggestSteps(messages)) process.stderr.write(`${line}\n`);
  return { success, scenarios: countScenarios(messages) };
}

function ensureWritable(folder: string): void {
  try {
    fs.mkdirSync(folder, { recursive: true });
    fs.accessSync(folder, fs.constants.W_OK);
  } catch (error) {
    throw new Error(`Cannot write reports to ${folder}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}. Every run writes its reports there. Pass a writable folder with --reports <dir>.`);
  }
}

function countScenarios(messages: readonly Envelope[]): RunSummary['scenarios'] {
  const worst = new Map<string, string>();
  const rank: Record<string, number> = { PASSED: 0, SKIPPED: 1, PENDING: 2, UNDEFINED: 3, AMBIGUOUS: 3, UNKNOWN: 3, FAILED: 4 };
  for (const message of messages) {
    if (message.testCaseStarted) worst.set(message.testCaseStarted.id, 'PASSED');
    const finished = message.testStepFinished;
    if (finished) {
      const status = finished.testStepResult.status;
      const current = worst.get(finished.testCaseStartedId) ?? 'PASSED';
      if ((rank[status] ?? 3) > (rank[current] ?? 0)) worst.set(finished.testCaseStartedId, status);
    }
  }
  const counts = { passed: 0, failed: 0, skipped: 0 };
  for (const status of worst.values()) {
    if (status === 'PASSED') counts.passed += 1;
    else if (status === 'SKIPPED') counts.skipped += 1;
    else counts.failed += 1;
  }
  return counts;
}
