import { spawn } from 'node:child_process';
import { cpus } from 'node:os';
import path from 'node:path';

export const projectRoot = path.resolve(__dirname, '..', '..', '..');
const bin = path.join(projectRoot, 'bin', 'handoff.js');

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `handoff <args>` as a child process, as a person would; several can run at once. */
export function handoff(args: string[], options: { env?: NodeJS.ProcessEnv } = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { cwd: projectRoot, env: { ...process.env, SEED: '', ...options.env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

/** Runs several `handoff` commands, as many at a time as there are cores, and returns their results in order. */
export async function handoffEach(commands: string[][]): Promise<CliResult[]> {
  const results: CliResult[] = new Array(commands.length);
  let next = 0;
  const worker = async () => {
    while (next < commands.length) {
      const index = next;
      next += 1;
      results[index] = await handoff(commands[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(cpus().length, commands.length)) }, worker));
  return results;
}
