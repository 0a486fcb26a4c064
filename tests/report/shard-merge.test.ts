import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { before, test } from 'node:test';
import { createProgram } from '../../src/cli';
import { parallelOption, shardOption } from '../../src/cli/run-command';
import { mergeMessageStreams } from '../../src/report/message-stream';
import type { ModelCoverage } from '../../src/report/model-coverage';
import { readMessages, summarizeRun, type RunResult } from '../../src/report/run-result';
import { handoff, temporaryFolder, type CliResult } from './support/handoff-cli';

/**
 * The report fixtures (5 scenarios, one failing) run serially, in two shards and with two workers;
 * the shards merged must give the same reports as the serial run.
 */
const folder = temporaryFolder('shards');
const dir = (name: string) => path.join(folder, name);
const runs: Record<string, CliResult> = {};

before(async () => {
  const fixtures = 'tests/fixtures/report';
  const [serial, first, second, parallel] = await Promise.all([
    handoff(['run', fixtures, '--reports', dir('serial')]),
    handoff(['run', fixtures, '--shard', '1/2', '--reports', dir('shard-1')]),
    handoff(['run', fixtures, '--shard', '2/2', '--reports', dir('shard-2')]),
    handoff(['run', fixtures, '--parallel', '2', '--reports', dir('parallel')]),
  ]);
  Object.assign(runs, { serial, first, second, parallel });
  runs['merge'] = await handoff(['report', 'merge', dir('shard-1'), dir('shard-2'), '--out', dir('merged')]);
});

const result = (name: string): RunResult => summarizeRun(readMessages(path.join(dir(name), 'messages.ndjson')));
const outcomes = (run: RunResult) => run.scenarios.map((s) => `${s.uri}:${s.line} ${s.name} → ${s.status}`);

test('each shard runs its own part of the scenarios, and together they run every scenario once', () => {
  const first = outcomes(result('shard-1'));
  const second = outcomes(result('shard-2'));
  assert.ok(first.length > 0 && second.length > 0, `${runs['first']?.stderr}${runs['second']?.stderr}`);
  assert.equal(first.length + second.length, 5);
  assert.deepEqual([...first, ...second].sort(), outcomes(result('serial')).sort());
});

test('the merged reports say what the serial run says: the same scenarios, in the same order, with the same statuses', () => {
  assert.equal(runs['merge']?.status, 1, runs['merge']?.stderr);
  assert.match(runs['merge']!.stdout, /merged 2 folders: 4 passed, 1 failed, 0 skipped\./);
  const serial = result('serial');
  const merged = result('merged');
  assert.deepEqual(outcomes(merged), outcomes(serial));
  assert.deepEqual(merged.counts, { passed: 4, failed: 1, skipped: 0 });
  assert.deepEqual(merged.scenarios.map((s) => s.seed), serial.scenarios.map((s) => s.seed), 'each scenario kept its seed');
  assert.deepEqual(merged.scenarios.map((s) => s.timeline?.entries.length), serial.scenarios.map((s) => s.timeline?.entries.length), 'and its whole timeline');
});

test('the merged JUnit, cucumber JSON, coverage and failure bundles match the serial run', () => {
  const testcases = (name: string) => [...fs.readFileSync(path.join(dir(name), 'junit.xml'), 'utf8').matchAll(/<testcase classname="([^"]*)" name="([^"]*)"[^>]*>\s*(<failure)?/g)].map((m) => `${m[1]} / ${m[2]}${m[3] ? ' FAILED' : ''}`);
  assert.deepEqual(testcases('merged'), testcases('serial'));
  const features = (name: string) => (JSON.parse(fs.readFileSync(path.join(dir(name), 'cucumber-report.json'), 'utf8')) as Array<{ uri: string; elements: Array<{ name: string }> }>).map((f) => [f.uri, f.elements.map((e) => e.name)]);
  assert.deepEqual(features('merged'), features('serial'));
  const coverage = (name: string) => JSON.parse(fs.readFileSync(path.join(dir(name), 'coverage.json'), 'utf8')) as ModelCoverage;
  assert.deepEqual(coverage('merged').totals, coverage('serial').totals);
  assert.deepEqual(fs.readdirSync(path.join(dir('merged'), 'failures')), fs.readdirSync(path.join(dir('serial'), 'failures')));
  const sections = (name: string) => [...fs.readFileSync(path.join(dir(name), 'conversations.html'), 'utf8').matchAll(/<section class="([^"]*)" id="([^"]*)"/g)].map((m) => `${m[2]} ${m[1]}`);
  assert.deepEqual(sections('merged'), sections('serial'));
});

test('--parallel 2 runs the same scenarios with the same results as a serial run', () => {
  assert.equal(runs['parallel']?.status, 1, runs['parallel']?.stderr);
  assert.deepEqual(outcomes(result('parallel')), outcomes(result('serial')));
});

test('merging a shard twice is refused: it would count its scenarios twice', () => {
  const shard = readMessages(path.join(dir('shard-1'), 'messages.ndjson'));
  assert.throws(
    () => mergeMessageStreams([{ label: 'reports/shard-1', envelopes: shard }, { label: 'reports/shard-1 again', envelopes: shard }]),
    /^MergeError: Cannot merge reports\/shard-1 again: it ran a scenario that reports\/shard-1 ran too \(pickle [^)]+\)\. Each scenario must run in exactly one shard\. Pass each shard's folder once, from runs with the same --shard total\.$/,
  );
});

test('`handoff report merge` refuses a folder without a message stream, saying what to pass instead', async () => {
  const empty = temporaryFolder('empty');
  await assert.rejects(
    createProgram().parseAsync(['report', 'merge', empty, '--out', dir('none')], { from: 'user' }),
    new RegExp(`^Error: Cannot merge ${empty}: it holds no messages\\.ndjson\\. Every run of handoff writes one into its reports folder\\. Pass the --reports folder of each shard's run\\.$`),
  );
  assert.equal(fs.existsSync(dir('none')), false, 'nothing was written');
});

test('--shard reads i/n, and --parallel a number of workers', () => {
  assert.equal(shardOption('2/3'), '2/3');
  for (const bad of ['3/2', '0/2', '1', 'a/b', '1/0']) assert.throws(() => shardOption(bad), /It reads i\/n: this job runs the i-th of n slices, e\.g\. 1\/3, 2\/3 and 3\/3\./, bad);
  assert.equal(parallelOption('4'), 4);
  assert.throws(() => parallelOption('-1'), /It is the number of worker processes/);
});
