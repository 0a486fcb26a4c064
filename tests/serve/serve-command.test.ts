import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';

const root = path.resolve(__dirname, '..', '..');
const cli = path.join(root, 'bin', 'handoff.js');

test('handoff serve prints its URLs and secret, answers on 127.0.0.1 and stops cleanly on SIGTERM', async () => {
  const child = spawn(process.execPath, [cli, 'serve', '--port', '0', '--speed', '0'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += String(chunk)));
  child.stderr.on('data', (chunk: Buffer) => (output += String(chunk)));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`handoff serve did not start within 30 s:\n${output}`)), 30_000);
    child.stdout.on('data', () => {
      if (output.includes('Press Ctrl+C to stop.')) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
  const base = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output)?.[1];
  assert.ok(base, output);
  assert.match(output, /Direct Line secret {7}\S{43}/);
  assert.match(output, /Direct Line domain {7}http:\/\/127\.0\.0\.1:\d+\/v3\/directline/);
  assert.match(output, /Control API {14}http:\/\/127\.0\.0\.1:\d+\/_handoff/);
  const health = await fetch(`${base}/_handoff/health`);
  assert.equal(health.status, 200);

  child.kill('SIGTERM');
  const code = await Promise.race([exited, new Promise<'hung'>((resolve) => setTimeout(() => resolve('hung'), 15_000))]);
  assert.equal(code, 0, `handoff serve exits by itself after SIGTERM:\n${output}`);
  assert.match(output, /handoff serve stopped\./);
});

test('handoff serve --config names the field of a wrong setting and exits with 2', () => {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'handoff-serve-'));
  const file = path.join(folder, 'scenario.yaml');
  fs.writeFileSync(file, 'contactCenter:\n  agents:\n    - name: Alice\n      queues: [General]\n      capacity: lots\n');
  const result = spawnSync(process.execPath, [cli, 'serve', '--port', '0', '--config', file], { cwd: root, encoding: 'utf8', timeout: 30_000 });
  assert.equal(result.status, 2, result.stdout + result.stderr);
  assert.match(result.stderr, /scenario\.yaml:5:17: contactCenter\.agents\[0\]\.capacity is "lots"\. It must be a whole number of 0 or more\. Fix that field in scenario\.yaml\./);
});
