import { Command, InvalidArgumentError } from 'commander';
import path from 'node:path';
import { parallelOption, projectRoot, runFeatures, shardOption } from './run-command';
import { registerServeCommand } from './serve-command';
import { registerImportCommand } from './import-command';
import { registerReplayCommand } from './replay-command';
import { registerReportCommand } from './report-command';
import { registerCoverageCommand } from './coverage-command';
import { registerDoctorCommand } from './doctor-command';
import { registerConformanceCommand } from './conformance-command';

function wholeNumber(value: string): number {
  const number = Number(value);
  if (!Number.isSafeInteger(number) || number < 0) throw new InvalidArgumentError('It must be a whole number of 0 or more.');
  return number;
}

export function createProgram(): Command {
  const program = new Command('handoff')
    .description('Simulate and test Copilot Studio → Dynamics 365 Customer Service handoffs, offline and on virtual time.')
    .showHelpAfterError();

  program
    .command('run')
    .description('run feature files (default: the bundled features) and write reports')
    .argument('[paths...]', 'feature files or folders')
    .option('--tags <expression>', 'only scenarios matching a tag expression, e.g. "@routing and not @wip"')
    .option('--seed <n>', 'one seed for every scenario, to reproduce a failure', wholeNumber)
    .option('--reports <dir>', 'where reports are written', path.join(projectRoot, 'reports'))
    .option('--parallel <n>', 'run scenarios in n worker processes', parallelOption)
    .option('--shard <i/n>', 'run only the i-th of n slices of the scenarios (one CI job each); merge with `handoff report merge`', shardOption)
    .action(async (paths: string[], options: { tags?: string; seed?: number; reports: string; parallel?: number; shard?: string }) => {
      const summary = await runFeatures({ paths, ...options });
      process.exitCode = summary.success ? 0 : 1;
    });

  registerServeCommand(program);
  registerImportCommand(program);
  registerReplayCommand(program);
  registerReportCommand(program);
  registerCoverageCommand(program);
  registerDoctorCommand(program);
  registerConformanceCommand(program);

  return program;
}

export async function main(argv: string[]): Promise<void> {
  try {
    await createProgram().parseAsync(argv, { from: 'user' });
  } catch (error) {
    process.stderr.write(`handoff: ${(error as Error).message}\n`);
    process.exitCode = 2;
  }
}
