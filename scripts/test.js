#!/usr/bin/env node
// The README's test command: type check, unit tests, every feature, then the browser checks.
// Each stage counts its own results; the last line is the total, `N passed, N failed, N skipped`.
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const reports = path.join(root, 'reports');
const only = (() => {
  const at = process.argv.indexOf('--only');
  return at > 0 ? process.argv[at + 1] : undefined;
})();

const stages = [
  { name: 'typecheck', run: typecheck },
  { name: 'unit', run: unitTests },
  { name: 'features', run: features },
  { name: 'browser', run: browser },
];

const totals = { passed: 0, failed: 0, skipped: 0 };
for (const stage of stages) {
  if (only && stage.name !== only) continue;
  const started = process.hrtime.bigint();
  console.log(`\n=== ${stage.name} ===`);
  const counts = stage.run();
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  console.log(`--- ${stage.name}: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped (${seconds.toFixed(1)} s)`);
  totals.passed += counts.passed;
  totals.failed += counts.failed;
  totals.skipped += counts.skipped;
}
console.log(`\n${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exitCode = totals.failed > 0 ? 1 : 0;

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', ...options });
  if (result.error) throw result.error;
  return result.status ?? 1;
}

function typecheck() {
  const status = run(process.execPath, [require.resolve('typescript/bin/tsc'), '--noEmit', '-p', '.']);
  return { passed: status === 0 ? 1 : 0, failed: status === 0 ? 0 : 1, skipped: 0 };
}

function unitTests() {
  const files = listFiles(path.join(root, 'tests'), (f) => f.endsWith('.test.ts'));
  if (files.length === 0) return { passed: 0, failed: 0, skipped: 0 };
  fs.mkdirSync(reports, { recursive: true });
  const tap = path.join(reports, 'unit.tap');
  run(process.execPath, [
    '--require', 'ts-node/register/transpile-only',
    '--test', '--test-concurrency=2',
    '--test-reporter=dot', '--test-reporter-destination=stdout',
    '--test-reporter=tap', `--test-reporter-destination=${tap}`,
    ...files,
  ], { env: { ...process.env, TS_NODE_TRANSPILE_ONLY: 'true' } });
  const text = fs.existsSync(tap) ? fs.readFileSync(tap, 'utf8') : '';
  const count = (label) => Number((text.match(new RegExp(`^# ${label} (\\d+)$`, 'm')) ?? [])[1] ?? 0);
  const failed = count('fail') + count('cancelled');
  if (!text) return { passed: 0, failed: 1, skipped: 0 };
  return { passed: count('pass'), failed, skipped: count('skipped') + count('todo') };
}

function features() {
  const out = path.join(reports, 'features');
  const status = run(process.execPath, [path.join(root, 'bin', 'handoff.js'), 'run', '--reports', out]);
  const counts = countScenarios(path.join(out, 'messages.ndjson'));
  if (status !== 0 && counts.failed === 0) counts.failed = 1; // the run itself broke
  return counts;
}

function browser() {
  const config = path.join(root, 'playwright.config.ts');
  const specs = listFiles(path.join(root, 'tests', 'browser'), (f) => f.endsWith('.spec.ts'));
  if (!fs.existsSync(config) || specs.length === 0) return { passed: 0, failed: 0, skipped: 0 };
  const chromium = run(process.execPath, [path.join(root, 'scripts', 'ensure-chromium.js')]);
  if (chromium !== 0) return { passed: 0, failed: 1, skipped: 0 };
  const results = path.join(reports, 'playwright', 'results.json');
  fs.rmSync(results, { force: true });
  run(process.execPath, [require.resolve('@playwright/test/cli'), 'test'], {
    env: { ...process.env, PLAYWRIGHT_JSON_OUTPUT_NAME: results },
  });
  if (!fs.existsSync(results)) return { passed: 0, failed: 1, skipped: 0 };
  const stats = JSON.parse(fs.readFileSync(results, 'utf8')).stats ?? {};
  return { passed: stats.expected ?? 0, failed: (stats.unexpected ?? 0) + (stats.flaky ?? 0), skipped: stats.skipped ?? 0 };
}

/** Reads cucumber's message stream: a scenario's status is the worst of its steps' statuses. */
function countScenarios(file) {
  const counts = { passed: 0, failed: 0, skipped: 0 };
  if (!fs.existsSync(file)) return { ...counts, failed: 1 };
  const worst = new Map();
  const rank = { PASSED: 0, SKIPPED: 1, PENDING: 2, UNDEFINED: 3, AMBIGUOUS: 3, UNKNOWN: 3, FAILED: 4 };
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    if (!line) continue;
    const message = JSON.parse(line);
    if (message.testCaseStarted) worst.set(message.testCaseStarted.id, 'PASSED');
    const finished = message.testStepFinished;
    if (finished) {
      const status = finished.testStepResult.status;
      const current = worst.get(finished.testCaseStartedId) ?? 'PASSED';
      if (rank[status] > rank[current]) worst.set(finished.testCaseStartedId, status);
    }
  }
  for (const status of worst.values()) {
    if (status === 'PASSED') counts.passed += 1;
    else if (status === 'SKIPPED') counts.skipped += 1;
    else counts.failed += 1;
  }
  return counts;
}

function listFiles(dir, keep) {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { recursive: true })
    .map((f) => path.join(dir, String(f)))
    .filter((f) => keep(f) && fs.statSync(f).isFile())
    .sort();
}
