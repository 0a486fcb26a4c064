import { InvalidArgumentError, type Command } from 'commander';
import { loadServeScenario } from '../serve/scenario';
import { startServer, type RunningServer } from '../serve/server';

function port(value: string): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 0 || number > 65535) throw new InvalidArgumentError('It must be a port number from 0 to 65535 (0 picks any free port).');
  return number;
}

function speed(value: string): number {
  const number = Number(value);
  if (!Number.isFinite(number) || number < 0) throw new InvalidArgumentError('It must be 0 (frozen) or more: virtual seconds per real second.');
  return number;
}

function seed(value: string): number {
  const number = Number(value);
  if (!Number.isSafeInteger(number) || number < 0) throw new InvalidArgumentError('It must be a whole number of 0 or more.');
  return number;
}

/** `handoff serve`: every mock on a loopback HTTP server for real clients (docs/serve.md). */
export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description('run the simulation and every mock on a real HTTP server on 127.0.0.1, for real clients (Web Chat, DirectLineJS, the chat SDK)')
    .option('--port <n>', 'port on 127.0.0.1; 0 picks any free port', port, 3978)
    .option('--speed <n>', 'virtual seconds per real second: 1 is real time, 60 a minute per second, 0 freezes time', speed, 1)
    .option('--config <file>', 'scenario file (.json, .yaml or .yml): copilot and contact center; see docs/serve.md')
    .option('--seed <n>', 'the seed of the simulation (overrides the scenario file)', seed)
    .action(async (options: { port: number; speed: number; config?: string; seed?: number }) => {
      const scenario = options.config ? loadServeScenario(options.config) : undefined;
      if (scenario && options.seed !== undefined) scenario.seed = options.seed;
      const server = await startServer({
        port: options.port,
        speed: options.speed,
        scenario,
        scenarioSource: options.config,
        log: (line) => process.stderr.write(`${line}\n`),
      });
      process.stdout.write(banner(server));
      const stop = (signal: string) => {
        process.stdout.write(`\n${signal}: stopping handoff serve.\n`);
        void server.close().then(() => process.stdout.write('handoff serve stopped.\n'));
      };
      process.once('SIGINT', () => stop('SIGINT'));
      process.once('SIGTERM', () => stop('SIGTERM'));
    });
}

function banner(server: RunningServer): string {
  const described = server.describe() as {
    urls: RunningServer['urls'];
    directLineSecret: string;
    copilot: { name: string; schemaName: string; botId: string } | null;
    liveChat: { orgUrl: string; orgId: string; widgetId: string };
    seed: number;
    speed: number;
  };
  const { urls } = described;
  return [
    `handoff serve listening on ${urls.base} (seed ${described.seed}, speed ${described.speed}x${described.speed === 0 ? ': time is frozen, advance it with the control API' : ''})`,
    '',
    `  Direct Line domain       ${urls.directLine}`,
    `  Direct Line secret       ${described.directLineSecret}`,
    `  Copilot Studio token     ${urls.tokenEndpoint ?? '(no copilot)'}`,
    `  Regional settings        ${urls.regionalChannelSettings}`,
    `  Live chat orgUrl         ${described.liveChat.orgUrl}  orgId ${described.liveChat.orgId}  widgetId ${described.liveChat.widgetId}`,
    `  Control API              ${urls.control}  (docs/serve.md)`,
    `  Demo website             ${urls.demo}`,
    described.copilot ? `  Copilot                  "${described.copilot.name}" (schema ${described.copilot.schemaName}, bot id ${described.copilot.botId})` : '',
    '',
    'Press Ctrl+C to stop.',
    '',
  ].join('\n');
}
