import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';

export const root = path.join(__dirname, '..', '..', '..');

export interface CliResult {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs `node bin/handoff.js <args>` from the project root, as CI would (CI=true), and collects its output. */
export function handoff(args: string[], options: { env?: NodeJS.ProcessEnv; onStdout?: (text: string, child: ReturnType<typeof spawn>) => void } = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(root, 'bin', 'handoff.js'), ...args], { cwd: root, env: { ...process.env, CI: 'true', ...options.env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      options.onStdout?.(stdout, child);
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (status, signal) => resolve({ status, signal, stdout, stderr }));
  });
}

export function temporaryFolder(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `handoff-${prefix}-`));
}

/** Every file under a folder, recursively, with its path relative to the folder. */
export function filesUnder(folder: string): string[] {
  return (fs.readdirSync(folder, { recursive: true }) as string[]).filter((file) => fs.statSync(path.join(folder, file)).isFile()).sort();
}

/**
 * The text of a report file as a reader could recover it: the file itself, plus every base64 blob in it
 * unpacked (timeline attachments are gzipped JSON in base64, in messages.ndjson, the cucumber JSON and
 * the cucumber HTML), so a secret hidden in a compressed attachment is found too.
 */
export function recoverableText(file: string): string {
  const text = fs.readFileSync(file, 'utf8');
  const unpacked: string[] = [];
  for (const blob of text.match(/H4sI[A-Za-z0-9+/=]{16,}/g) ?? []) {
    try {
      unpacked.push(gunzipSync(Buffer.from(blob, 'base64')).toString('utf8'));
    } catch {
      // Not every base64 run that starts like gzip is one.
    }
  }
  return [text, ...unpacked].join('\n');
}
