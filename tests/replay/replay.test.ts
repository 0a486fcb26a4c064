import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { importFile } from '../../src/replay/import';
import type { Recording } from '../../src/replay/recording';
import { diffLines, replayRecording } from '../../src/replay/replay';
import { formatReplayDiff } from '../../src/replay/replay-report';
import { checkSetup, copilotFromSetup, readSetupFile } from '../../src/replay/replay-setup';
import { readReplayInput } from '../../src/replay/replay-input';
import { loadTeamCopilot } from '../../src/replay/team-copilot';
import { updateRecording } from '../../src/replay/update-recording';
import { handoffEach, projectRoot } from './support/cli';
import { examplesFolder } from './support/examples';

const fixtures = path.join(__dirname, 'fixtures');
const billing = path.join(fixtures, 'billing.recording.json');
const folder = mkdtempSync(path.join(tmpdir(), 'handoff-replay-'));
after(() => rmSync(folder, { recursive: true, force: true }));

function normalized(file: string): Recording {
  const input = readReplayInput(file);
  assert.equal(input.kind, 'recording');
  return (input as { recording: Recording }).recording;
}

const samples = [
  'bf-transcript/billing-handoff.transcript',
  'directline/billing-handoff.log.json',
  'directline/handoff-initiate.event.json',
  'dataverse-transcript/billing-handoff.content.json',
  'd365-transcript/billing-handoff.messages.json',
  'd365-transcript/billing-handoff.annotation.json',
];

for (const sample of samples) {
  test(`${sample} replays as recorded against the setup reconstructed from it`, async () => {
    const result = await replayRecording(importFile(path.join(examplesFolder, sample)));
    assert.equal(result.divergent, false, formatReplayDiff(result));
    assert.ok(result.turns.length >= 2);
    assert.ok(result.turns.some((turn) => turn.expected.length > 0 && turn.observed.length === turn.expected.length));
    assert.equal(result.handoff.happened, true);
  });
}

test('replay catches a changed copilot reply, in the turn where it changed and nowhere else', async () => {
  const result = await replayRecording(normalized(billing), { setup: readSetupFile(path.join(fixtures, 'billing-reply-changed.setup.json')) });
  assert.equal(result.divergent, true);
  assert.deepEqual(result.turns.filter((turn) => turn.differs).map((turn) => turn.number), [1]);
  assert.deepEqual(result.turns[0]!.diff, [
    { sign: '-', from: 'copilot', text: 'Sure, I can help with billing. What would you like to know?' },
    { sign: '+', from: 'copilot', text: 'Billing questions are my speciality. What would you like to know?' },
  ]);
  assert.deepEqual([result.handoff.differences, result.routing.differences, result.closure.differs], [[], [], false]);
  assert.match(formatReplayDiff(result), /! turn 1 {2}00:00 {2}customer says "Hi, I have a question about my bill"\n {4}- copilot Sure, I can help with billing\. What would you like to know\?\n {4}\+ copilot Billing questions are my speciality\. What would you like to know\?\n/);
});

test('replay catches a changed routing rule: another queue, another agent, and the recorded agent never gets the chat', async () => {
  const result = await replayRecording(normalized(billing), { setup: readSetupFile(path.join(fixtures, 'billing-routing-changed.setup.json')) });
  assert.deepEqual(result.routing.differences, [
    { name: 'queue', expected: 'Billing queue', actual: 'General' },
    { name: 'agent', expected: 'Dana Whitfield', actual: 'Sam Okafor' },
  ]);
  const joins = result.turns.find((turn) => turn.action === 'agent "Dana Whitfield" joins');
  assert.match(joins?.error ?? '', /Dana Whitfield/);
  assert.deepEqual(result.handoff.differences, []);
  assert.match(formatReplayDiff(result), /! routing\n {4}- queue: Billing queue\n {4}\+ queue: General\n {4}- agent: Dana Whitfield\n {4}\+ agent: Sam Okafor\n/);
});

test("replay with the team's own copilot folder shows where its replies differ", async () => {
  const { copilot } = loadTeamCopilot(path.join(fixtures, 'team-copilot'));
  const result = await replayRecording(normalized(billing), { copilot, copilotSource: 'team-copilot' });
  assert.deepEqual(result.turns.filter((turn) => turn.differs).map((turn) => turn.number), [1]);
  assert.deepEqual(result.turns[0]!.diff.map((line) => `${line.sign} ${line.text}`), [
    '- Sure, I can help with billing. What would you like to know?',
    '+ Happy to help with your bill. What would you like to know?',
  ]);
  // The team's copilot sets the same variables, so the handoff and the routing agree with production.
  assert.deepEqual([result.handoff.differences, result.routing.differences], [[], []]);
});

test('--update rewrites the expected side so the next replay matches', async () => {
  const recording = normalized(billing);
  const setup = readSetupFile(path.join(fixtures, 'billing-reply-changed.setup.json'));
  const first = await replayRecording(recording, { setup });
  const { recording: updated, changed } = updateRecording(recording, first);
  assert.deepEqual(changed, ['turn 1: 1 recorded copilot message(s) replaced by 1 replayed']);
  const texts = updated.entries.filter((entry) => entry.kind === 'message' && entry.party === 'copilot').map((entry) => (entry as { text: string }).text);
  assert.deepEqual(texts, ['Billing questions are my speciality. What would you like to know?', 'Let me connect you with a billing specialist.']);
  assert.equal(updated.entries.filter((entry) => entry.party === 'customer' && entry.kind === 'message').length, 3);
  const second = await replayRecording(updated, { setup });
  assert.equal(second.divergent, false, formatReplayDiff(second));
});

test('diffLines compares normalized text and shows a changed line as removal then addition', () => {
  const line = (text: string) => ({ from: 'copilot' as const, text });
  assert.deepEqual(diffLines([line('Hello  there'), line('Case 7a8b9c0d-1e2f-4a3b-8c4d-5e6f7a8b9c0d opened')], [line('Hello there'), line('Case 11111111-2222-4333-8444-555555555555 opened')]), [
    { sign: ' ', from: 'copilot', text: 'Hello  there' },
    { sign: ' ', from: 'copilot', text: 'Case 7a8b9c0d-1e2f-4a3b-8c4d-5e6f7a8b9c0d opened' },
  ]);
  assert.deepEqual(diffLines([line('a'), line('b'), line('c')], [line('a'), line('x'), line('c')]).map((l) => `${l.sign}${l.text}`), [' a', '-b', '+x', ' c']);
});

test('the CLI prints the diff, writes it under reports/replay, exits 1 on divergence and 0 after --update', async () => {
  const reports = path.join(folder, 'reports');
  const copy = path.join(folder, 'billing.recording.json');
  copyFileSync(billing, copy);
  const raw = path.join(examplesFolder, 'directline', 'billing-handoff.log.json');
  const [diverges, update, matches, refused] = await handoffEach([
    ['replay', billing, '--setup', path.join(fixtures, 'billing-routing-changed.setup.json'), '--reports', reports],
    ['replay', copy, '--setup', path.join(fixtures, 'billing-reply-changed.setup.json'), '--update', '--reports', path.join(folder, 'update-reports')],
    ['replay', path.join(fixtures, 'inactivity.transcript'), '--reports', path.join(folder, 'matching-reports')],
    ['replay', raw, '--setup', path.join(fixtures, 'billing-reply-changed.setup.json'), '--update', '--reports', path.join(folder, 'refused-reports')],
  ]);

  assert.equal(diverges!.status, 1, diverges!.stderr);
  assert.match(diverges!.stdout, /- queue: Billing queue\n {4}\+ queue: General/);
  assert.match(diverges!.stdout, /DIVERGES: \d+ differences: .*routing \(queue, agent\)/);
  const text = readFileSync(path.join(reports, 'replay', 'billing.diff.txt'), 'utf8');
  assert.ok(diverges!.stdout.startsWith(text), 'the diff file holds what was printed');
  const json = JSON.parse(readFileSync(path.join(reports, 'replay', 'billing.diff.json'), 'utf8'));
  assert.equal(json.format, 'handoff-replay-diff');
  assert.equal(json.divergent, true);
  assert.deepEqual(json.routing.differences[0], { name: 'queue', expected: 'Billing queue', actual: 'General' });

  assert.equal(update!.status, 0, update!.stdout + update!.stderr);
  assert.match(update!.stdout, /Updated .*billing\.recording\.json: turn 1: 1 recorded copilot message\(s\) replaced by 1 replayed\./);
  assert.match(readFileSync(copy, 'utf8'), /"text": "Billing questions are my speciality\. What would you like to know\?"/);

  assert.equal(matches!.status, 0, matches!.stdout);
  assert.match(matches!.stdout, /Replay matches the recording\./);

  assert.equal(refused!.status, 1);
  assert.match(refused!.stderr, /Cannot update .*billing-handoff\.log\.json: it is a directline file as exported.*Import it first with: handoff import .* --out billing-handoff\.log\.recording\.json/);
  assert.equal(readFileSync(raw, 'utf8'), readFileSync(path.join(projectRoot, 'examples', 'recordings', 'directline', 'billing-handoff.log.json'), 'utf8'));
});

test('a setup with a wrong field stops with the file and the field', () => {
  const setup = JSON.parse(readFileSync(path.join(fixtures, 'billing-routing-changed.setup.json'), 'utf8'));
  setup.agents[1].presence = 'Lunch';
  assert.throws(() => checkSetup(setup, 'team.setup.json'), {
    name: 'ReplaySetupError',
    message: 'The replay setup team.setup.json has a wrong field agents[1].presence: it is "Lunch"; it is one of Available, Busy, Busy-DND, Away, Offline, Inactive. Fix that field; docs/replay.md shows the shape of a setup file.',
  });
  delete setup.agents;
  setup.copilot.topics[0]['trigger phrases'] = [];
  assert.throws(() => checkSetup(setup, 'team.setup.json'), /wrong field copilot\.topics\[0\]\["trigger phrases"\]: it lists no phrase\./);
  assert.throws(() => readSetupFile(path.join(folder, 'missing.setup.json')), /Failed to read the replay setup .*missing\.setup\.json: the file does not exist\. Check the path, or write one with: handoff import <recording> --setup <file>\./);
});

test('a setup copilot sends every reply of a turn and every greeting message as a message of its own', () => {
  const copilot = copilotFromSetup({ name: 'Contoso Helper', greeting: ['Hi!', 'Ask me anything.'], topics: [{ topic: 'Orders', 'trigger phrases': ['where is my order, please'], replies: ['Let me look.', 'It shipped.'] }] }, { botId: 'b' });
  const actions = copilot.topics.map((topic) => (topic.dialog.beginDialog.actions ?? []).map((action) => `${action.kind}: ${String(action['activity'])}`));
  assert.deepEqual(actions, [['SendActivity: Hi!', 'SendActivity: Ask me anything.'], ['SendActivity: Let me look.', 'SendActivity: It shipped.']]);
  assert.deepEqual(copilot.topics[1]!.dialog.beginDialog.intent?.triggerQueries, ['where is my order, please']);
});
