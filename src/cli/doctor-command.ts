import type { Command } from 'commander';
import { runDoctor } from '../doctor/doctor';
import { formatDoctorJson, formatDoctorText } from '../doctor/report';

/**
 * `handoff doctor <copilot folder> [--d365 <config file>] [--json]`: the static checks of an exported
 * copilot for what breaks its handoff to Dynamics 365 (docs/doctor-rules.md). Exit code 1 when there
 * is an error finding, 0 otherwise.
 */
export function registerDoctorCommand(program: Command): void {
  program
    .command('doctor')
    .description('check an exported copilot (agent folder, solution export or topic files) for what breaks its handoff to Dynamics 365; see docs/doctor-rules.md')
    .argument('<copilot>', 'the copilot folder, solution zip or topic file')
    .option('--d365 <file>', 'Dynamics 365 settings (environment, connection, context variables, routing rules) for the checks that need them')
    .option('--json', 'print the findings as JSON, for CI')
    .action((copilot: string, options: { d365?: string; json?: boolean }) => {
      const report = runDoctor(copilot, options.d365 !== undefined ? { d365: options.d365 } : {});
      process.stdout.write(options.json ? formatDoctorJson(report) : formatDoctorText(report));
      process.exitCode = report.errors > 0 ? 1 : 0;
    });
}
