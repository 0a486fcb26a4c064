import type { Command } from 'commander';
import path from 'node:path';
import { writeFileAtomic } from '../report/atomic-write';
import { suggestScenarios } from '../report/coverage-suggestions';
import { cucumberReportFiles } from '../report/cucumber-reports';
import { describeEvent, measureCoverage, uncoveredTransitions } from '../report/model-coverage';
import { readMessages, summarizeRun } from '../report/run-result';
import { projectRoot } from './run-command';

export interface CoverageCommandOptions {
  reports: string;
  suggest?: boolean;
  out?: string;
}

const allCovered = '# Every transition of the lifecycle machines is covered.\n';

/**
 * `handoff coverage [--reports dir] [--suggest] [--out file]`: which states and transitions of the
 * lifecycle machines the last run went through, and with --suggest Gherkin skeletons for the
 * transitions no scenario covers (to --out, or to stdout).
 */
export function registerCoverageCommand(program: Command): void {
  program
    .command('coverage')
    .description('model coverage of the last run; --suggest writes Gherkin skeletons for uncovered transitions')
    .option('--reports <dir>', 'the reports folder of the run', path.join(projectRoot, 'reports'))
    .option('--suggest', 'write Gherkin skeletons for the transitions no scenario covers')
    .option('--out <file>', 'where --suggest writes the skeletons (default: stdout)')
    .action((options: CoverageCommandOptions) => coverageCommand(options));
}

export function coverageCommand(options: CoverageCommandOptions, output: { write(text: string): unknown } = process.stdout): void {
  const envelopes = readMessages(path.join(options.reports, cucumberReportFiles.messages));
  const run = summarizeRun(envelopes);
  const coverage = measureCoverage(run.scenarios.map((scenario) => ({ anchor: scenario.anchor, entries: scenario.timeline?.entries ?? [] })));
  const uncovered = uncoveredTransitions(coverage);
  const report: string[] = [];
  for (const machine of coverage.machines) {
    const states = machine.states.filter((s) => s.coveredBy.length > 0).length;
    const transitions = machine.transitions.filter((t) => t.coveredBy.length > 0).length;
    report.push(`${machine.machine}: states ${states}/${machine.states.length}, transitions ${transitions}/${machine.transitions.length}`);
    for (const { item } of machine.transitions.filter((t) => t.coveredBy.length === 0)) report.push(`  not covered: ${item.source} -> ${item.target} on ${describeEvent(item.event)}`);
  }
  const { states, transitions } = coverage.totals;
  report.push(`total over ${coverage.scenarios} scenarios: states ${states.covered}/${states.total}, transitions ${transitions.covered}/${transitions.total}`);
  if (!options.suggest) {
    output.write(`${report.join('\n')}\n`);
    return;
  }
  const stepExpressions = new Set(envelopes.flatMap((envelope) => (envelope.stepDefinition ? [envelope.stepDefinition.pattern.source] : [])));
  const skeletons = suggestScenarios(uncovered, { stepExpressions }) || allCovered;
  if (!options.out) {
    output.write(skeletons);
    return;
  }
  writeFileAtomic(path.resolve(options.out), skeletons);
  output.write(`${report.join('\n')}\n${uncovered.length} skeletons written to ${options.out}\n`);
}
