import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isCi, RunProgress } from '../../src/report/run-progress';
import { syntheticRun } from '../../src/report/synthetic-run';

/** 45 scenarios in 3 features of 15; every 10th fails: the 10th (feature 0), the 20th and 30th (feature 1), the 40th (feature 2). */
const envelopes = syntheticRun({ scenarios: 45, perFeature: 15, failEvery: 10 });

function capture(isTTY: boolean) {
  const chunks: string[] = [];
  return { chunks, out: { isTTY, columns: 200, write: (text: string) => chunks.push(text) } };
}

test('in CI the run prints one line per feature, once all its scenarios finished, and nothing else', () => {
  const { chunks, out } = capture(true);
  const progress = new RunProgress(out, { ci: true });
  for (const envelope of envelopes) progress.update(envelope);
  progress.finish();
  assert.deepEqual(chunks, [
    'FAIL features/synthetic/billing-0.feature  15 scenarios, 1 failed\n',
    'FAIL features/synthetic/billing-1.feature  15 scenarios, 2 failed\n',
    'FAIL features/synthetic/billing-2.feature  15 scenarios, 1 failed\n',
  ]);
});

test('into a pipe (no TTY) the output is the same quiet one line per feature', () => {
  const { chunks, out } = capture(false);
  const progress = new RunProgress(out);
  for (const envelope of envelopes) progress.update(envelope);
  assert.equal(chunks.length, 3);
  assert.ok(chunks.every((line) => line.endsWith('\n') && !line.includes('\r')));
});

test('in a terminal one line rewrites itself with scenarios done of total and failures so far', () => {
  const { chunks, out } = capture(true);
  const progress = new RunProgress(out, { ci: false });
  for (const envelope of envelopes) progress.update(envelope);
  assert.ok(chunks.every((chunk) => chunk.startsWith('\r\x1b[K')), 'every update redraws the same line');
  assert.ok(chunks.includes('\r\x1b[K0/45 scenarios · 0 failed · Synthetic billing handoffs 0'));
  assert.ok(chunks.includes('\r\x1b[K10/45 scenarios · 1 failed · Synthetic billing handoffs 0'));
  assert.equal(chunks.at(-1), '\r\x1b[K45/45 scenarios · 4 failed · Synthetic billing handoffs 2');
  progress.finish();
  assert.equal(chunks.at(-1), '\r\x1b[K', 'finishing clears the line');
  assert.deepEqual(progress.counts, { total: 45, done: 45, failed: 4 });
});

test('CI=true counts as CI, CI=false and an empty CI do not', () => {
  assert.equal(isCi({ CI: 'true' }), true);
  assert.equal(isCi({ CI: '1' }), true);
  assert.equal(isCi({ CI: 'false' }), false);
  assert.equal(isCi({ CI: '' }), false);
  assert.equal(isCi({}), false);
});
