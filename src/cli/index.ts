import { Command, InvalidArgumentError } from 'commander';
import path from 'node:path';
import type { RunOptions } from './run-command';

/** The project folder, where the bundled features and reports live. */
const projectRoot = path.resolve(__dirname, '..', '..');

/**
 * Each command's module is loaded only when that command runs (all of them for help), because some
 * bring in heavy dependencies: cucumber, a browser bundle, the YAML loader.
 */
const commandModules: Record<string, () => (program: Command) => void> = {
  serve: () => (require('./serve-command') as typeof import('./serve-command')).registerServeCommand,
  import: () => (require('./import-command') as typeof import('./import-command')).registerImportCommand,
  replay: () => (require('./replay-command') as typeof import('./replay-command')).registerReplayCommand,
  report: () => (require('./report-command') as typeof import('./report-command')).registerReportCommand,
  coverage: () => (require('./coverage-command') as typeof import('./coverage-command')).registerCoverageCommand,
  doctor: () => (require('./doctor-command') as typeof import('./doctor-command')).registerDoctorCommand,
  conformance: () => (require('./conformance-command') as typeof import('./conformance-command')).registerConformanceCommand,
};

const runCommand = () => require('./run-command') as typeof import('./run-command');

function wholeNumber(value: string): number {
  const number = Number(value);
  if (!Number.isSafeInteger(number) || number < 0) throw new InvalidArgumentError('It must be a whole number of 0 or more.');
  return number;
}

export function createProgram(argv: readonly string[] = []): Command {
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
    .option('--parallel <n>', 'run scenarios in n worker processes', (value: string) => runCommand().parallelOption(value))
    .option('--shard <i/n>', 'run only the i-th of n slices of the scenarios (one CI job each); merge with `handoff report merge`', (value: string) => runCommand().shardOption(value))
    .action(async (paths: string[], options: Omit<RunOptions, 'paths'>) => {
      const summary = await runCommand().runFeatures({ paths, ...options });
      process.exitCode = summary.success ? 0 : 1;
    });

  const named = argv[0];
  const wanted = named !== undefined && named in commandModules ? [named] : Object.keys(commandModules);
  for (const name of wanted) commandModules[name]!()(program);

  return program;
}

export async function main(argv: string[]): Promise<void> {
  try {
    await createProgram(argv).parseAsync(argv, { from: 'user' });
  } catch (error) {
    process.stderr.write(`handoff: ${(error as Error).message}\n`);
    process.exitCode = 2;
  }
}
