import assert from 'node:assert/strict';
import { test } from 'node:test';
import { finishedOnly, mergeMessageStreams } from '../../src/report/message-stream';
import { summarizeRun } from '../../src/report/run-result';
import { syntheticRun } from '../../src/report/synthetic-run';

const run = syntheticRun({ scenarios: 6, perFeature: 3, failEvery: 4 });

test('an interrupted stream keeps the scenarios that finished, drops the one under way whole, and says why', () => {
  // Cut the stream in the middle of the fifth scenario, as Ctrl-C would.
  const started = run.flatMap((envelope, index) => (envelope.testCaseStarted ? [index] : []));
  const cut = run.slice(0, started[4]! + 3);
  const kept = finishedOnly(cut, 'Interrupted (SIGINT) after 4 of 6 scenarios.');
  assert.equal(kept.filter((e) => e.testCaseStarted).length, 4);
  assert.equal(kept.filter((e) => e.testCase).length, 4, 'test cases that never finished are not announced either');
  assert.ok(!kept.some((e) => e.testStepStarted?.testCaseStartedId === cut[started[4]!]!.testCaseStarted!.id));
  const lastFinished = kept.filter((e) => e.testCaseFinished).at(-1)!.testCaseFinished!;
  assert.deepEqual(kept.at(-1), { testRunFinished: { testRunStartedId: run.find((e) => e.testRunStarted)!.testRunStarted!.id, timestamp: lastFinished.timestamp, success: false, message: 'Interrupted (SIGINT) after 4 of 6 scenarios.' } });
  const result = summarizeRun(kept);
  assert.deepEqual(result.counts, { passed: 3, failed: 1, skipped: 0 });
  assert.equal(result.interruption, 'Interrupted (SIGINT) after 4 of 6 scenarios.');
});

test('a finished stream passes through unchanged', () => {
  assert.deepEqual(finishedOnly(run, 'unused'), run);
});

test('one stream merged alone is the same run', () => {
  const merged = summarizeRun(mergeMessageStreams([{ label: 'only', envelopes: run }]));
  const original = summarizeRun(run);
  assert.deepEqual(merged.scenarios.map((s) => [s.anchor, s.status, s.seed]), original.scenarios.map((s) => [s.anchor, s.status, s.seed]));
  assert.equal(merged.success, original.success);
});
