import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { before, test } from 'node:test';
import type { Envelope } from '@cucumber/messages';
import { loadConfiguration, runCucumber } from '@cucumber/cucumber/api';
import { coverageCommand } from '../../src/cli/coverage-command';
import { readFailureBundle } from '../../src/report/failure-bundle';
import type { ModelCoverage } from '../../src/report/model-coverage';
import { readMessages, summarizeRun } from '../../src/report/run-result';
import { decodeTimelineAttachment, timelineMediaType } from '../../src/report/timeline-attachment';
import { handoff, root, temporaryFolder, type CliResult } from './support/handoff-cli';

/** One run of the report fixtures (tests/fixtures/report): four scenarios pass, one fails on purpose. */
const reports = temporaryFolder('reports');
const failing = 'Deliberately failing: a billing question expected in the general queue';
const failingAnchor = 'tests-fixtures-report-handoff-report-feature-30';
const passingAnchor = 'tests-fixtures-report-handoff-report-feature-23';
let run: CliResult;

before(async () => {
  run = await handoff(['run', 'tests/fixtures/report', '--reports', reports]);
});

const read = (file: string) => fs.readFileSync(path.join(reports, file), 'utf8');

test('the run exits 1 and, in CI, prints one line per feature and the failure with its reproduce command', () => {
  assert.equal(run.status, 1, run.stderr);
  const lines = run.stdout.split('\n');
  assert.deepEqual(lines.slice(0, 2), ['FAIL tests/fixtures/report/handoff-report.feature  2 scenarios, 1 failed', 'ok   tests/fixtures/report/lifecycle-report.feature  3 scenarios']);
  assert.ok(run.stdout.includes(`✗ tests/fixtures/report/handoff-report.feature:30 ${failing}\n    Then the conversation is routed to queue "General" (failed)\n      The conversation was routed to queue "Billing", not to queue "General".`));
  assert.match(run.stdout, /reproduce: npx handoff run tests\/fixtures\/report\/handoff-report\.feature:30 --seed \d+\n/);
  assert.match(run.stdout, /scenarios: 4 passed, 1 failed, 0 skipped\. Reports: .*index\.html\n$/);
});

test('every report is written, and nothing half-written is left behind', () => {
  for (const file of ['cucumber-report.html', 'cucumber-report.json', 'junit.xml', 'messages.ndjson', 'conversations.html', 'index.html', 'coverage.json']) {
    assert.ok(fs.statSync(path.join(reports, file)).size > 0, file);
  }
  assert.deepEqual((fs.readdirSync(reports, { recursive: true }) as string[]).filter((f) => f.endsWith('.tmp')), []);
});

test('JUnit has one testcase per scenario, steps in the body, and a failure message that names the failing step', () => {
  const junit = read('junit.xml');
  assert.match(junit, /<testsuite name="handoff-harness" [^>]*tests="5" [^>]*failures="1"/);
  assert.equal(junit.match(/<testcase /g)?.length, 5);
  const failed = /<testcase classname="Report fixture: the billing team takes over from the copilot" name="Deliberately failing[^"]*"[^>]*>\s*<failure type="ExpectationError" message="([^"]*)">/.exec(junit);
  assert.ok(failed, 'the failing scenario has a <failure>');
  assert.ok(failed[1]!.startsWith('Step &quot;Then the conversation is routed to queue &quot;General&quot;&quot; (line 33) failed: The conversation was routed to queue &quot;Billing&quot;, not to queue &quot;General&quot;.'), failed[1]);
  assert.ok(!failed[1]!.includes('timeline (virtual time)'), 'the timeline slice stays in the body, out of the message');
  assert.match(junit, /And agent "Alice" says "Hi, I'm Alice from billing\."\.+passed/);
});

test('cucumber JSON (for Xray) holds both features and every scenario, the timeline as an embedding', () => {
  const features = JSON.parse(read('cucumber-report.json')) as Array<{ uri: string; elements: Array<{ name: string; steps: Array<{ embeddings?: Array<{ mime_type: string }> }> }> }>;
  assert.deepEqual(features.map((f) => [f.uri, f.elements.length]), [['tests/fixtures/report/handoff-report.feature', 2], ['tests/fixtures/report/lifecycle-report.feature', 3]]);
  for (const scenario of features.flatMap((f) => f.elements)) {
    assert.ok(scenario.steps.some((step) => step.embeddings?.some((e) => e.mime_type === timelineMediaType)), scenario.name);
  }
});

test('the message stream carries a readable timeline for every scenario, passing ones included', () => {
  const envelopes = readMessages(path.join(reports, 'messages.ndjson'));
  const attachments = envelopes.filter((e) => e.attachment?.mediaType === timelineMediaType);
  assert.equal(attachments.length, 5);
  for (const { attachment } of attachments) {
    const timeline = decodeTimelineAttachment(attachment!.body);
    assert.ok(timeline && timeline.entries.some((entry) => entry.kind === 'state.changed'));
  }
  const result = summarizeRun(envelopes);
  assert.deepEqual(result.scenarios.map((s) => [s.line, s.status, s.seed !== undefined]), [[23, 'passed', true], [30, 'failed', true], [17, 'passed', true], [22, 'passed', true], [29, 'passed', true]]);
});

test('the failing scenario has a failure bundle with its seed, feature, step and timeline, in a documented format', () => {
  const bundle = readFailureBundle(path.join(reports, 'failures', 'deliberately-failing-a-billing-question-expected-in-the-general-queue.json'));
  assert.deepEqual(fs.readdirSync(path.join(reports, 'failures')), ['deliberately-failing-a-billing-question-expected-in-the-general-queue.json']);
  assert.equal(bundle.format, 'handoff-failure-bundle');
  assert.equal(bundle.version, 1);
  assert.deepEqual(bundle.scenario, { uri: 'tests/fixtures/report/handoff-report.feature', line: 30, name: failing, feature: 'Report fixture: the billing team takes over from the copilot', tags: ['@protocol:omnichannel'] });
  assert.equal(typeof bundle.seed, 'number');
  assert.equal(bundle.reproduce, `npx handoff run tests/fixtures/report/handoff-report.feature:30 --seed ${bundle.seed}`);
  assert.equal(bundle.failedStep?.text, 'the conversation is routed to queue "General"');
  assert.equal(bundle.failedStep?.line, 33);
  assert.ok(bundle.timeline.some((entry) => entry.kind === 'routing.decided' && entry.queue === 'Billing'));
  assert.deepEqual(bundle.steps.map((s) => s.status).slice(-2), ['failed', 'skipped']);
});

test('the conversation report is one self-contained page with every scenario, the failure marked and explained', () => {
  const html = read('conversations.html');
  assert.doesNotMatch(html, /<script|<link|src=|https?:\/\//i, 'no script, no stylesheet link, nothing fetched');
  assert.equal(html.match(/<section class="scenario/g)?.length, 5);
  assert.match(html, new RegExp(`<section class="scenario failed" id="${failingAnchor}" data-status="failed">`));
  assert.match(html, /<pre class="assertion">The conversation was routed to queue &quot;Billing&quot;, not to queue &quot;General&quot;\./);
  assert.match(html, /<li class="step-failed" data-failing="true">Then the conversation is routed to queue &quot;General&quot;/);
  assert.match(html, /Reproduce: <code>npx handoff run tests\/fixtures\/report\/handoff-report\.feature:30 --seed \d+<\/code> · failure bundle <a href="failures\/deliberately-failing/);
  const passing = html.slice(html.indexOf(`id="${passingAnchor}"`), html.indexOf(`id="${failingAnchor}"`));
  assert.match(passing, /class="view customer-view">.*Hi, I&#39;m Alice from billing\./s);
  assert.match(passing, /class="view agent-view"><h3>Agent Alice<\/h3><div class="bubble note">.*Customer disputes an invoice/s);
  assert.match(passing, /<b>conversation<\/b>: <span class="state">withCopilot<\/span>.*<span class="state">withAgent<\/span>/s);
  assert.match(passing, /<h3>Routing explanation<\/h3>.*rule &quot;Billing team&quot; matched/s);
  assert.match(passing, /<tr><td>Department<\/td><td>Billing<\/td><td>Billing<\/td><\/tr>/);
  assert.match(passing, /<div class="swimlanes">.*<div class="lane-agent">/s);
});

test('the summary page lists features and scenarios with status and links, the failure first, and model coverage', () => {
  const html = read('index.html');
  assert.match(html, /<table class="failures">.*<a href="conversations\.html#tests-fixtures-report-handoff-report-feature-30">Deliberately failing/s);
  for (const anchor of [passingAnchor, failingAnchor, 'tests-fixtures-report-lifecycle-report-feature-17']) assert.ok(html.includes(`href="conversations.html#${anchor}"`), anchor);
  assert.match(html, /<h3>Report fixture: how a chat ends <span class="muted">tests\/fixtures\/report\/lifecycle-report\.feature · 3 scenarios<\/span><\/h3>/);
  assert.match(html, /<h2 id="coverage">Model coverage<\/h2>/);
});

test('coverage.json says which transitions the run covered, and by which scenario', () => {
  const coverage = JSON.parse(read('coverage.json')) as ModelCoverage;
  assert.equal(coverage.format, 'handoff-model-coverage');
  assert.equal(coverage.scenarios, 5);
  const conversation = coverage.machines.find((m) => m.machine === 'conversation')!;
  const accepted = conversation.transitions.find((t) => t.item.source === 'offered' && t.item.event === 'agent.accepted');
  assert.deepEqual(accepted?.coveredBy.sort(), [passingAnchor, 'tests-fixtures-report-lifecycle-report-feature-22']);
  const declined = conversation.transitions.find((t) => t.item.source === 'offered' && t.item.event === 'agent.declined');
  assert.deepEqual(declined?.coveredBy, []);
  assert.ok(coverage.totals.transitions.covered > 0 && coverage.totals.transitions.covered < coverage.totals.transitions.total);
});

function coverageOutput(options: { suggest?: boolean; out?: string } = {}): string {
  let text = '';
  coverageCommand({ reports, ...options }, { write: (chunk: string) => (text += chunk) });
  return text;
}

test('`handoff coverage` lists, per machine, what was covered and each transition that was not', () => {
  const coverage = JSON.parse(read('coverage.json')) as ModelCoverage;
  const { states, transitions } = coverage.totals;
  const output = coverageOutput();
  assert.ok(output.endsWith(`total over 5 scenarios: states ${states.covered}/${states.total}, transitions ${transitions.covered}/${transitions.total}\n`), output);
  assert.match(output, /^conversation: states \d+\/\d+, transitions \d+\/\d+$/m);
  assert.match(output, /^ {2}not covered: offered -> queued on agent\.declined$/m);
  assert.doesNotMatch(output, /not covered: offered -> withAgent on agent\.accepted/);
});

const skeletons = path.join(reports, 'suggested', 'uncovered.feature');

test('`handoff coverage --suggest` writes one skeleton scenario per uncovered transition', () => {
  const output = coverageOutput({ suggest: true, out: skeletons });
  const coverage = JSON.parse(read('coverage.json')) as ModelCoverage;
  const uncovered = coverage.machines.flatMap((m) => m.transitions.filter((t) => t.coveredBy.length === 0).map((t) => t.item.id));
  const feature = fs.readFileSync(skeletons, 'utf8');
  assert.deepEqual([...feature.matchAll(/^ {2}# (.+)$/gm)].map((m) => m[1]), uncovered);
  assert.equal(feature.match(/^ {2}Scenario: /gm)?.length, uncovered.length);
  assert.ok(output.endsWith(`${uncovered.length} skeletons written to ${skeletons}\n`), output);
  assert.match(feature, /# conversation: offered -> queued on agent\.declined\n {2}Scenario: conversation goes from offered to queued on agent\.declined\n {4}When the customer says "talk to a person"\n {4}Then agent "Alice" is offered the conversation\n {4}When agent "Alice" declines\n {4}Then the conversation is waiting in a queue\n/);
  assert.equal(coverageOutput({ suggest: true }), feature, 'without --out the skeletons go to stdout');
});

test('every step of the skeletons is a real step of the project: a dry run finds none undefined', async () => {
  if (!fs.existsSync(skeletons)) coverageOutput({ suggest: true, out: skeletons });
  const { runConfiguration } = await loadConfiguration({
    provided: { paths: [skeletons], require: [path.join(root, 'src', 'steps', '**', '*.ts')], dryRun: true, format: [], strict: true },
  });
  const messages: Envelope[] = [];
  await runCucumber(runConfiguration, { cwd: root, stdout: new PassThrough() }, (message) => messages.push(message));
  const statuses = messages.filter((m) => m.testStepFinished).map((m) => m.testStepFinished!.testStepResult.status);
  assert.ok(statuses.length > 20, 'the skeletons have steps');
  assert.deepEqual([...new Set(statuses)], ['SKIPPED'], 'no UNDEFINED or AMBIGUOUS step');
});
