import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { readMessages, summarizeRun, type ScenarioResult } from '../../src/report/run-result';
import { handoff, handoffEach, projectRoot, type CliResult } from './support/cli';

/**
 * Every format round-trips through the CLI: `handoff import <sample> --feature` writes a feature,
 * `handoff run` runs it, and it passes, because the simulation reproduces what the recording holds.
 * One run takes every feature (and one made to fail), so the CLI starts as few times as it can.
 */
const samples = [
  'examples/recordings/bf-transcript/billing-handoff.transcript',
  'examples/recordings/directline/billing-handoff.log.json',
  'examples/recordings/directline/handoff-initiate.event.json',
  'examples/recordings/dataverse-transcript/billing-handoff.content.json',
  'examples/recordings/d365-transcript/billing-handoff.messages.json',
  'examples/recordings/d365-transcript/billing-handoff.live-transcript.json',
  'examples/recordings/d365-transcript/billing-handoff.annotation.json',
  // Our own: a greeting and a turn of two messages, a reply over two lines, two inactivity topics, the copilot ending the chat.
  'tests/replay/fixtures/inactivity.transcript',
  // Our own: an agent's message over two lines, a customer phrase with a comma.
  'tests/replay/fixtures/multiline-agent.transcript',
];

const folder = mkdtempSync(path.join(tmpdir(), 'handoff-roundtrip-'));
const featureOf = (sample: string) => path.join(folder, 'features', `${sample.split('/').slice(-2).join('-').replace(/\./g, '-')}.feature`);
const changedFeature = path.join(folder, 'features', 'changed-reply.feature');
const broken = path.join(folder, 'broken.transcript');
const brokenOut = path.join(folder, 'broken-out');
after(() => rmSync(folder, { recursive: true, force: true }));

let brokenImport: CliResult;
let printed: CliResult;
let written: CliResult;
let run: CliResult;
let scenarios: ScenarioResult[];

before(async () => {
  writeFileSync(broken, readFileSync(path.join(projectRoot, samples[0]!), 'utf8').slice(0, 400));
  const imports = await handoffEach([
    ...samples.map((sample) => ['import', sample, '--feature', featureOf(sample)]),
    ['import', broken, '--feature', path.join(brokenOut, 'broken.feature'), '--out', path.join(brokenOut, 'broken.json')],
    ['import', samples[0]!, '--seed', '7'],
    ['import', samples[4]!, '--keep-pii', '--out', path.join(folder, 'written', 'billing.recording.json'), '--setup', path.join(folder, 'written', 'billing.setup.json')],
  ]);
  written = imports.pop()!;
  printed = imports.pop()!;
  brokenImport = imports.pop()!;
  imports.forEach((result, index) => assert.equal(result.status, 0, `import of ${samples[index]} failed: ${result.stderr}`));
  // The same conversation, but the team's copilot now answers the billing question differently.
  const original = readFileSync(featureOf(samples[1]!), 'utf8');
  const changed = original.replace(/\| Sure, I can help with billing\. What would you like to know\? +\|/, '| Billing questions are my speciality. |');
  assert.notEqual(changed, original, 'the reply cell was not found in the generated feature');
  mkdirSync(path.dirname(changedFeature), { recursive: true });
  writeFileSync(changedFeature, changed);
  const reports = path.join(folder, 'reports');
  run = await handoff(['run', path.join(folder, 'features'), '--reports', reports]);
  scenarios = summarizeRun(readMessages(path.join(reports, 'messages.ndjson'))).scenarios;
});

test('every sample recording imports into a feature that passes when run', () => {
  const passing = scenarios.filter((scenario) => scenario.uri.endsWith(path.basename(changedFeature)) === false);
  assert.deepEqual(
    passing.map((scenario) => `${path.basename(scenario.uri)}: ${scenario.status}`).sort(),
    samples.map((sample) => `${path.basename(featureOf(sample))}: passed`).sort(),
    run.stdout,
  );
});

test('a generated feature whose copilot no longer says what was recorded fails with the difference', () => {
  const changed = scenarios.find((scenario) => scenario.uri.endsWith(path.basename(changedFeature)));
  assert.equal(changed?.status, 'failed');
  assert.equal(changed?.failedStep?.text, 'the customer sees "Sure, I can help with billing. What would you like to know?"');
  assert.match(changed?.failedStep?.message ?? '', /The customer did not see "Sure, I can help with billing\. What would you like to know\?"\.\n\s+the customer saw:\n\s+1\. copilot\s+Billing questions are my speciality\./);
  assert.equal(run.status, 1);
});

test('the generated feature states the handoff, the routing outcome and the end in the glossary words', () => {
  const feature = readFileSync(featureOf('examples/recordings/directline/billing-handoff.log.json'), 'utf8');
  assert.match(feature, /^\s+When 31 seconds pass\n\s+And the customer says "I was charged twice this month\. Can I talk to a person\? My email is [^"]+"$/m);
  assert.match(feature, /^\s+Then the customer sees "Let me connect you with a billing specialist\."$/m);
  assert.match(feature, /^\s+And Dynamics 365 receives the context variables:\n\s+\| variable +\| value +\|\n(?:.*\n)*?\s+\| va_Topics +\| \["Billing","Escalate"\] +\|/m);
  assert.match(feature, /^\s+\| Recorded routing \| Department = Billing \| Billing queue \|$/m);
  assert.match(feature, /^\s+And the conversation waits in queue "Billing queue"$/m);
  assert.match(feature, /^\s+Then agent "[^"]+" is offered the conversation\n\s+When agent "[^"]+" accepts$/m);
  assert.match(feature, /^\s+Then the conversation is in wrap-up$/m);
});

test('a copilot a table cannot hold goes to a fixture next to the feature', () => {
  const feature = readFileSync(featureOf('tests/replay/fixtures/inactivity.transcript'), 'utf8');
  const fixture = featureOf('tests/replay/fixtures/inactivity.transcript').replace(/\.feature$/, '.copilot.json');
  assert.match(feature, new RegExp(`Given the copilot from "${path.basename(fixture)}"`));
  const copilot = JSON.parse(readFileSync(fixture, 'utf8')).copilot;
  assert.deepEqual(copilot.greeting, ["Hi! I'm Contoso Helper.", 'Ask me about orders, returns or your bill.']);
  assert.deepEqual(copilot.inactivity.map((topic: { 'inactive for': string }) => topic['inactive for']), ['5 minutes', '10 minutes']);
  assert.match(feature, /And the customer sees:\n\s+"""\n\s+Your order shipped yesterday\.\n\s+It arrives on "Friday"\.\n\s+"""/);
  assert.match(feature, /(?:Then|And) the conversation is closed with reason "ConversationEndedByBot"/);
});

test('a failed import is one line naming the file and position, exits 1 and writes nothing', () => {
  assert.equal(brokenImport.status, 1);
  assert.match(brokenImport.stderr, /^handoff import: Failed to import recording .*broken\.transcript \(line \d+, column \d+\): [^\n]+\. [^\n]+\.\n$/);
  assert.equal(existsSync(brokenOut) ? readdirSync(brokenOut).length : 0, 0);
});

test('import prints the normalized recording, or writes it and the replay setup', () => {
  assert.equal(printed.status, 0, printed.stderr);
  const recording = JSON.parse(printed.stdout);
  assert.deepEqual([recording.format, recording.version, recording.source.format], ['handoff-recording', 1, 'bf-transcript']);
  assert.match(printed.stderr, /^Imported .*billing-handoff\.transcript: bf-transcript, \d+ entries, 0 warnings\.\nThe lifecycle model explains the conversation\.\n$/);

  assert.equal(written.status, 0, written.stderr);
  const saved = JSON.parse(readFileSync(path.join(folder, 'written', 'billing.recording.json'), 'utf8'));
  assert.ok(saved.entries.some((entry: { text?: string }) => entry.text?.includes('Dana Whitfield') || entry.text?.includes('Maria')), 'with --keep-pii the names stay as recorded');
  const setup = JSON.parse(readFileSync(path.join(folder, 'written', 'billing.setup.json'), 'utf8'));
  assert.equal(setup.format, 'handoff-replay-setup');
  assert.deepEqual(setup.copilot.topics.map((topic: { topic: string; then?: string }) => `${topic.topic}${topic.then ? ` → ${topic.then}` : ''}`), ['Billing', 'Escalate → transfer to agent']);
});
