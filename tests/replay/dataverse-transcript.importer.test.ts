import assert from 'node:assert/strict';
import { test } from 'node:test';
import { detectRecordingFormat, importRecording } from '../../src/replay/import';
import { entriesOfKind, exampleText, messageLines } from './support/examples';

const file = 'dataverse-transcript/billing-handoff.content.json';
const content = exampleText(file);

test('activities with epoch-second timestamps and numeric roles are detected as a Dataverse transcript', () => {
  assert.equal(detectRecordingFormat(content, file), 'dataverse-transcript');
});

test('numeric roles: 1 is the customer, 0 the copilot (copilot-protocol.md §11.2, the public samples agree)', () => {
  const recording = importRecording(content, { file, keepPii: true });
  assert.deepEqual(messageLines(recording), [
    'copilot: Hello, I am Contoso Helper. How can I help you today?',
    'customer: Hi, my name is Maria Lopez and I have a question about my bill',
    'copilot: Sure, I can help with billing. What would you like to know?',
    'customer: I was charged twice this month. Can I talk to a person?',
    'copilot: Let me connect you with a billing specialist.',
  ]);
  const [start] = recording.entries.filter((entry) => entry.kind === 'event' && entry.name === 'startConversation');
  assert.equal(start?.party, 'customer');
});

test('epoch seconds become ISO instants and offsets in milliseconds', () => {
  const recording = importRecording(content, { file, keepPii: true });
  assert.equal(recording.startedAt, '2026-03-02T14:05:00.000Z');
  const customerAsks = entriesOfKind(recording, 'message').find((entry) => entry.text.startsWith('I was charged'));
  assert.equal(customerAsks?.at, '2026-03-02T14:05:41.000Z');
  assert.equal(customerAsks?.offsetMs, 41_000);
});

test('DialogTracing gives the topics that ran, one entry per topic run with its actions', () => {
  const recording = importRecording(content, { file, keepPii: true });
  assert.deepEqual(
    entriesOfKind(recording, 'topic').map((entry) => ({ topic: entry.topic, topicId: entry.topicId, actions: entry.actions })),
    [
      { topic: 'ConversationStart', topicId: 'contoso_helper.topic.ConversationStart', actions: ['SendActivity'] },
      { topic: 'Billing', topicId: 'contoso_helper.topic.Billing', actions: ['SetVariable', 'SendActivity', 'Question'] },
      { topic: 'Escalate', topicId: 'contoso_helper.topic.Escalate', actions: ['SendActivity', 'TransferConversationV2'] },
    ],
  );
});

test('VariableAssignment traces become variable entries, the handoff event a handoff, SessionInfo the closure', () => {
  const recording = importRecording(content, { file, keepPii: true });
  const department = entriesOfKind(recording, 'variable').find((entry) => entry.name === 'Department');
  assert.deepEqual(department && { id: department.id, scope: department.scope, value: department.value }, { id: 'Global.Department', scope: 'global', value: 'Billing' });
  const [handoff] = entriesOfKind(recording, 'handoff');
  assert.equal(handoff?.variables.Department, 'Billing');
  assert.equal(handoff?.variables.va_BotName, 'Contoso Helper');
  assert.equal(handoff?.transcriptLength, undefined, 'no Transcript attachment, no length');
  const [closure] = entriesOfKind(recording, 'closure');
  assert.deepEqual(closure && { party: closure.party, reason: closure.reason, detail: closure.detail }, { party: 'system', reason: 'Escalated', detail: 'Engaged' });
});

test('the whole conversationtranscript record and a Web API response give the same entries as the content', () => {
  const record = {
    conversationtranscriptid: '5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a8b9',
    name: 'f0e1d2c3-b4a5-4697-8889-7a6b5c4d3e2f_c0ffee00-1234-4abc-9def-0123456789ab',
    schematype: 'powervirtualagents',
    schemaversion: '0.2.1',
    metadata: JSON.stringify({ BotId: 'c0ffee00-1234-4abc-9def-0123456789ab', BotName: 'Contoso Helper' }),
    content: JSON.stringify(JSON.parse(content)),
  };
  const fromContent = importRecording(content, { file, seed: 5 });
  for (const wrapped of [record, { value: [record] }]) {
    const text = JSON.stringify(wrapped);
    assert.equal(detectRecordingFormat(text, 'record.json'), 'dataverse-transcript');
    const recording = importRecording(text, { file, seed: 5 });
    assert.equal(recording.conversationId, 'f0e1d2c3-b4a5-4697-8889-7a6b5c4d3e2f');
    assert.deepEqual(recording.entries, fromContent.entries);
  }
});
