import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { FailureBundle } from '../../src/report/failure-bundle';
import { handoff, handoffEach, projectRoot, type CliResult } from './support/cli';

/**
 * A failing scenario writes a failure bundle; `handoff replay <bundle>` runs that scenario again with
 * its seed and says whether it fails the same way. One real bundle, and copies of it pointing at
 * features that changed since.
 */
const folder = mkdtempSync(path.join(tmpdir(), 'handoff-bundle-'));
after(() => rmSync(folder, { recursive: true, force: true }));

const failing = (expected: string) => `Feature: A scenario for bundle replay

  Scenario: The customer expects a goodbye
    Given the copilot "Contoso Assistant" with the topics:
      | topic   | trigger phrases | reply               |
      | Billing | billing         | I can help with it. |
    When the customer says "I have a billing question"
    Then the customer sees "${expected}"
`;

let bundle: FailureBundle;
let results: Record<'same' | 'other' | 'moved' | 'passes', CliResult>;

before(async () => {
  const feature = path.join(folder, 'fails.feature');
  writeFileSync(feature, failing('Goodbye!'));
  const run = await handoff(['run', feature, '--reports', path.join(folder, 'run')]);
  assert.equal(run.status, 1, run.stdout);
  const [file] = readdirSync(path.join(folder, 'run', 'failures'));
  assert.ok(file, 'the failed run wrote no failure bundle');
  const bundleFile = path.join(folder, 'run', 'failures', file);
  bundle = JSON.parse(readFileSync(bundleFile, 'utf8')) as FailureBundle;

  const variant = (name: string, change: (copy: FailureBundle) => void) => {
    const copy = JSON.parse(JSON.stringify(bundle)) as FailureBundle;
    change(copy);
    const target = path.join(folder, `${name}.bundle.json`);
    writeFileSync(target, JSON.stringify(copy));
    return target;
  };
  const other = variant('other', (copy) => {
    copy.failedStep!.message = 'The customer did not see "Hello!".';
  });
  const moved = path.join(folder, 'moved.feature');
  writeFileSync(moved, `# Two lines were added above the scenario since the run.\n\n${failing('Goodbye!')}`);
  const movedBundle = variant('moved', (copy) => {
    copy.scenario.uri = path.relative(projectRoot, moved);
  });
  const passes = path.join(folder, 'passes.feature');
  writeFileSync(passes, failing('I can help with it.'));
  const passesBundle = variant('passes', (copy) => {
    copy.scenario.uri = path.relative(projectRoot, passes);
  });
  const replays = await handoffEach([bundleFile, other, movedBundle, passesBundle].map((target, index) => ['replay', target, '--reports', path.join(folder, `replay-${index}`)]));
  results = { same: replays[0]!, other: replays[1]!, moved: replays[2]!, passes: replays[3]! };
});

test('the bundle of a failed run reproduces: same step, same message, same timeline', () => {
  assert.equal(bundle.seed !== null && bundle.timeline.length > 0, true);
  const { same } = results;
  assert.equal(same.status, 0, same.stdout + same.stderr);
  assert.match(same.stdout, new RegExp(`ran .*fails\\.feature:3 with seed ${bundle.seed}`));
  assert.match(same.stdout, /Reproduced: the scenario fails the same way, at "Then the customer sees "Goodbye!"" \(line 8\):\n {2}The customer did not see "Goodbye!"\./);
  assert.match(same.stdout, new RegExp(`The timelines are identical \\(${bundle.timeline.length} entries\\)\\.`));
});

test('a bundle whose recorded failure differs from the one now is reported as a different failure', () => {
  assert.equal(results.other.status, 1);
  assert.match(results.other.stdout, /Reproduced a failure, but not the same one:\n {2}- bundle: "Then the customer sees "Goodbye!"": The customer did not see "Hello!"\.\n {2}\+ now: {4}"Then the customer sees "Goodbye!"": The customer did not see "Goodbye!"\./);
});

test('a scenario that moved within its feature is found by its name', () => {
  assert.equal(results.moved.status, 0, results.moved.stdout);
  assert.match(results.moved.stdout, /ran .*moved\.feature:5 with seed/);
  assert.match(results.moved.stdout, /\(the scenario moved from line 3; it was found by its name\)/);
});

test('a bundle whose scenario passes now says it does not reproduce and exits 1', () => {
  assert.equal(results.passes.status, 1);
  assert.match(results.passes.stdout, /Not reproduced: the scenario passes now with seed \d+; the bundle recorded it failed at "Then the customer sees "Goodbye!""\./);
});
