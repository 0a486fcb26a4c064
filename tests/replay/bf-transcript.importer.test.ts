import assert from 'node:assert/strict';
import { test } from 'node:test';
import { detectRecordingFormat, importRecording } from '../../src/replay/import';
import { entriesOfKind, exampleText, messageLines } from './support/examples';

const file = 'bf-transcript/billing-handoff.transcript';
const text = exampleText(file);

test('a flat array of Emulator activities is detected as a Bot Framework transcript', () => {
  assert.equal(detectRecordingFormat(text, file), 'bf-transcript');
});

test('an object with a transcript array is detected and read the same way as the flat array', () => {
  const wrapped = JSON.stringify({ transcript: JSON.parse(text) });
  assert.equal(detectRecordingFormat(wrapped, 'wrapped.transcript'), 'bf-transcript');
  const flat = importRecording(text, { file, keepPii: true });
  const fromWrapper = importRecording(wrapped, { file, keepPii: true });
  assert.deepEqual(fromWrapper.entries.map(({ source, ...entry }) => entry), flat.entries.map(({ source, ...entry }) => entry));
});

test('the billing story reads as customer, copilot, agent messages in time order', () => {
  const recording = importRecording(text, { file, keepPii: true });
  assert.equal(recording.source.format, 'bf-transcript');
  assert.equal(recording.channel, 'emulator');
  assert.equal(recording.conversationId, '6c1d2e30-1a2b-11f1-8f00-2d4c5e6f7a80|livechat');
  assert.equal(recording.startedAt, '2026-03-02T14:05:00.000Z');
  assert.deepEqual(messageLines(recording), [
    'customer: Hi, I have a question about my bill',
    'copilot: Sure, I can help with billing. What would you like to know?',
    'customer: I was charged twice this month. Can I talk to a person?',
    'copilot: Let me connect you with a billing specialist.',
    'agent: Hi Maria, this is Dana Whitfield from Billing. I can see the duplicate charge and I have refunded it.',
    'customer: Thank you! If you need anything else, call me on (425) 555-0134.',
  ]);
  assert.deepEqual(recording.warnings, []);
});

test('the handoff keeps the va_* and custom variables, the private agent message and the transcript length', () => {
  const recording = importRecording(text, { file, keepPii: true });
  const [handoff, ...others] = entriesOfKind(recording, 'handoff');
  assert.ok(handoff);
  assert.equal(others.length, 0);
  assert.equal(handoff.party, 'copilot');
  assert.equal(handoff.via, 'handoff.initiate');
  assert.equal(handoff.variables.Department, 'Billing');
  assert.deepEqual(handoff.variables.va_Topics, ['Billing', 'Escalate']);
  assert.equal(handoff.agentMessage, 'Customer reports a double charge on the March invoice and asked for a person. Contact: maria.lopez@example.net');
  assert.equal(handoff.transcriptLength, 4);
  assert.equal(handoff.offsetMs, 32_000);
  assert.deepEqual(handoff.source, { index: 8 });
});

test('topics come from DialogTracing traces and variables from VariableAssignment traces', () => {
  const recording = importRecording(text, { file, keepPii: true });
  assert.deepEqual(
    entriesOfKind(recording, 'topic').map((entry) => [entry.topic, entry.actions]),
    [
      ['Billing', ['SendActivity']],
      ['Escalate', ['SendActivity', 'TransferConversationV2']],
    ],
  );
  assert.deepEqual(
    entriesOfKind(recording, 'variable').map(({ name, id, scope, value }) => ({ name, id, scope, value })),
    [{ name: 'Department', id: 'Global.Department', scope: 'global', value: 'Billing' }],
  );
});

test('the agent after the handoff is told from the copilot, and endOfConversation closes with its code', () => {
  const recording = importRecording(text, { file, keepPii: true });
  const agentMessages = entriesOfKind(recording, 'message').filter((entry) => entry.party === 'agent');
  assert.deepEqual(agentMessages.map((entry) => entry.displayName), ['Dana Whitfield']);
  const closures = entriesOfKind(recording, 'closure');
  assert.deepEqual(closures.map(({ party, reason }) => ({ party, reason })), [{ party: 'agent', reason: 'completedSuccessfully' }]);
  assert.equal(recording.entries.at(-1)?.kind, 'closure');
});

test('every entry points back at its activity in the file', () => {
  const activities = JSON.parse(text) as { type: string; text?: string }[];
  const recording = importRecording(text, { file, keepPii: true });
  for (const entry of entriesOfKind(recording, 'message')) {
    assert.equal(activities[entry.source.index]?.text, entry.text);
  }
  assert.equal(activities[recording.entries[0]?.source.index ?? -1]?.type, 'conversationUpdate');
});
