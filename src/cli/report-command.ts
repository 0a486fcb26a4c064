import type { Command } from 'commander';
import fs from 'node:fs';
import path from 'node:path';
import { ensureWritableFolder } from '../report/atomic-write';
import { cucumberReportFiles } from '../report/cucumber-reports';
import { mergeMessageStreams } from '../report/message-stream';
import { createRedactor } from '../report/redaction';
import { readMessages } from '../report/run-result';
import { failureSummary } from '../report/run-progress';
import { handoffReportFiles, writeRunReports } from '../report/write-run-reports';

/**
 * `handoff report merge <dirs...> [--out dir]`: one set of reports from the reports folders of the shards
 * of one suite (`handoff run --shard i/n`), as if the suite had run in one job.
 */
export function registerReportCommand(program: Command): void {
  const report = program.command('report').description('work with the reports of finished runs');
  report
    .command('merge')
    .description("merge the reports folders of a suite's shards into one set of reports")
    .argument('<dirs...>', 'reports folders of the shards, each holding messages.ndjson')
    .option('--out <dir>', 'where the merged reports are written', 'reports')
    .action(async (dirs: string[], options: { out: string }) => {
      const streams = dirs.map((dir) => {
        const file = path.join(dir, cucumberReportFiles.messages);
        if (!fs.existsSync(file)) {
          throw new Error(`Cannot merge ${dir}: it holds no ${cucumberReportFiles.messages}. Every run of handoff writes one into its reports folder. Pass the --reports folder of each shard's run.`);
        }
        return { label: dir, envelopes: readMessages(file) };
      });
      const out = path.resolve(options.out);
      ensureWritableFolder(out);
      const { run } = await writeRunReports(out, mergeMessageStreams(streams), createRedactor());
      const failures = failureSummary(run);
      if (failures.length > 0) process.stdout.write(`${failures.join('\n')}\n\n`);
      const { passed, failed, skipped } = run.counts;
      process.stdout.write(`merged ${dirs.length} folders: ${passed} passed, ${failed} failed, ${skipped} skipped. Reports: ${path.relative(process.cwd(), path.join(out, handoffReportFiles.summary))}\n`);
      process.exitCode = run.success && failed === 0 ? 0 : 1;
    });
}
