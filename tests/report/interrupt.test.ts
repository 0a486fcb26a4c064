import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { before, test } from 'node:test';
import { readMessages, summarizeRun } from '../../src/report/run-result';
import { filesUnder, handoff, temporaryFolder, type CliResult } from './support/handoff-cli';

/**
 * Ctrl-C in the middle of a run: three quick scenarios finish, then a slow one (hundreds of virtual hours
 * of a Direct Line client refreshing its token take a few real seconds) is interrupted. The reports must
 * be complete, valid files about the scenarios that finished.
 */
const folder = temporaryFolder('interrupt');
const reports = path.join(folder, 'reports');
const background = `  Background:
    Given the copilot "Contoso Assistant" with the topics:
      | topic    | trigger phrases | reply                  |
      | Greeting | hello           | Hello! How can I help? |
`;
let run: CliResult;

before(async () => {
  fs.writeFileSync(
    path.join(folder, 'a-quick.feature'),
    `Feature: Quick\n\n${background}\n${[1, 2, 3].map((n) => `  Scenario: Quick ${n}\n    When the customer says "hello"\n    Then the customer sees "Hello! How can I help?"\n`).join('\n')}`,
  );
  fs.writeFileSync(
    path.join(folder, 'b-slow.feature'),
    `Feature: Slow\n\n${background}    And the website uses Copilot Studio's embed code\n\n${[1, 2, 3].map((n) => `  Scenario: Slow ${n}\n    When the customer says "hello"\n    And 600 hours pass\n    Then the customer sees "Hello! How can I help?"\n`).join('\n')}`,
  );
  let sent = false;
  run = await handoff(['run', folder, '--reports', reports], {
    onStdout: (stdout, child) => {
      // The quick feature's line is printed once its three scenarios finished: interrupt the slow one.
      if (!sent && stdout.includes('a-quick.feature')) {
        sent = true;
        child.kill('SIGINT');
      }
    },
  });
});

test('the interrupted run exits 130 and says how many scenarios finished', () => {
  assert.equal(run.status, 130, run.stdout + run.stderr);
  assert.match(run.stdout, /Interrupted \(SIGINT\) after 3 of 6 scenarios; the reports hold the 3 that finished\.\nscenarios: 3 passed, 0 failed, 0 skipped\. Reports: /);
});

test('the message stream is whole: every line is JSON, every scenario in it finished, and the run says it was interrupted', () => {
  const text = fs.readFileSync(path.join(reports, 'messages.ndjson'), 'utf8');
  assert.ok(text.endsWith('\n'));
  const envelopes = text.trimEnd().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
  const count = (key: string) => envelopes.filter((e) => key in e).length;
  assert.equal(count('testCase'), 3);
  assert.equal(count('testCaseStarted'), 3);
  assert.equal(count('testCaseFinished'), 3);
  const finished = envelopes.find((e) => 'testRunFinished' in e)?.['testRunFinished'] as { success: boolean; message: string };
  assert.equal(finished.success, false);
  assert.match(finished.message, /^Interrupted \(SIGINT\)/);
  const result = summarizeRun(readMessages(path.join(reports, 'messages.ndjson')));
  assert.deepEqual(result.scenarios.map((s) => `${s.name} ${s.status}`), ['Quick 1 passed', 'Quick 2 passed', 'Quick 3 passed']);
});

test('every other report is complete and valid about the same three scenarios', () => {
  const junit = fs.readFileSync(path.join(reports, 'junit.xml'), 'utf8');
  assert.match(junit, /<testsuite [^>]*tests="3" [^>]*failures="0"/);
  assert.ok(junit.trimEnd().endsWith('</testsuite>'));
  const json = JSON.parse(fs.readFileSync(path.join(reports, 'cucumber-report.json'), 'utf8')) as Array<{ elements: unknown[] }>;
  assert.equal(json.flatMap((f) => f.elements).length, 3);
  for (const page of ['cucumber-report.html', 'conversations.html', 'index.html']) assert.ok(fs.readFileSync(path.join(reports, page), 'utf8').trimEnd().endsWith('</html>'), page);
  assert.match(fs.readFileSync(path.join(reports, 'index.html'), 'utf8'), /Interrupted \(SIGINT\) after 3 of 6 scenarios/);
  assert.equal((JSON.parse(fs.readFileSync(path.join(reports, 'coverage.json'), 'utf8')) as { scenarios: number }).scenarios, 3);
  assert.deepEqual(filesUnder(reports).filter((f) => f.endsWith('.tmp')), []);
});
