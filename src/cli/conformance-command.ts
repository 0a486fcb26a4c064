import type { Command } from 'commander';
import { runConformance, type ConformanceReport } from '../conformance/conformance';

/**
 * `handoff conformance <folder>`: loads every copilot and topic under a folder, runs a generated smoke
 * conversation through each topic's trigger, and prints files loaded, topics run to their end,
 * unsupported node kinds and functions by count, and errors by file (src/conformance/conformance.ts).
 */
export function registerConformanceCommand(program: Command): void {
  program
    .command('conformance')
    .description('load every copilot and topic under a folder, smoke-run each topic through its trigger, and report what loads and runs')
    .argument('<folder>', 'a folder of exported copilots, solutions or topic files')
    .option('--json', 'print the report as JSON')
    .action(async (folder: string, options: { json?: boolean }) => {
      const report = await runConformance(folder);
      process.stdout.write(options.json ? `${JSON.stringify(report, null, 2)}\n` : formatConformanceReport(report));
    });
}

function percent(part: number, whole: number): string {
  return whole === 0 ? '0.0%' : `${((100 * part) / whole).toFixed(1)}%`;
}

function counts(record: Record<string, number>): string[] {
  const entries = Object.entries(record).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  return entries.length === 0 ? ['  (none)'] : entries.map(([name, count]) => `  ${String(count).padStart(5)}  ${name}`);
}

export function formatConformanceReport(report: ConformanceReport): string {
  const lines = [
    `Conformance of ${report.folder}`,
    `  copilots loaded:       ${report.copilots} (from ${report.units} units)`,
    `  topic files loaded:    ${report.loadedFiles} of ${report.topicFiles} (${percent(report.loadedFiles, report.topicFiles)}; target 98%)`,
    `  topics run to the end: ${report.ranToEnd} of ${report.topics} (${percent(report.ranToEnd, report.topics)}; target 90%)${report.inactiveTopics > 0 ? `; ${report.inactiveTopics} inactive topics not run` : ''}`,
    `  redirects to topics outside a loose folder of topic files, skipped by the smoke run: ${report.absentRedirects}`,
    '',
    'Unsupported node kinds (nodes in loaded topics):',
    ...counts(report.unsupportedKinds),
    '',
    'Unsupported Power Fx functions (calls in loaded topics):',
    ...counts(report.unsupportedFunctions),
    '',
    `Topic files not loaded: ${report.notLoaded.length}`,
    ...report.notLoaded.map((entry) => `  ${entry.file}: ${entry.reason}`),
    '',
    `Topics not run to the end: ${report.notRunToEnd.length}`,
    ...report.notRunToEnd.map((entry) => `  ${entry.reason}`),
    '',
    `Errors by file: ${Object.keys(report.errorsByFile).length} files`,
    ...Object.entries(report.errorsByFile)
      .sort((a, b) => a[0].localeCompare(b[0]))
      .flatMap(([file, errors]) => [`  ${file}`, ...errors.map((error) => `    - ${error}`)]),
  ];
  return `${lines.join('\n')}\n`;
}
