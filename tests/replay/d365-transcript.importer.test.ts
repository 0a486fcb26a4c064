import assert from 'node:assert/strict';
import { test } from 'node:test';
import { detectRecordingFormat, importRecording } from '../../src/replay/import';
import { entriesOfKind, exampleText, messageLines } from './support/examples';

const messagesFile = 'd365-transcript/billing-handoff.messages.json';
const messages = exampleText(messagesFile);
const variants = ['d365-transcript/billing-handoff.messages.json', 'd365-transcript/billing-handoff.live-transcript.json', 'd365-transcript/billing-handoff.annotation.json'];

test('the messages array, the chatMessagesJson wrapper and the base64 annotation are all detected as D365', () => {
  for (const file of variants) assert.equal(detectRecordingFormat(exampleText(file), file), 'd365-transcript', file);
});

test('the three shapes of one transcript give the same entries', () => {
  const [first, ...others] = variants.map((file) => importRecording(exampleText(file), { file, seed: 11 }));
  for (const other of others) assert.deepEqual(other.entries, first?.entries);
});

test('newest-first messages are put oldest first without a warning', () => {
  const recording = importRecording(messages, { file: messagesFile, keepPii: true });
  assert.deepEqual(recording.warnings, []);
  assert.equal(recording.startedAt, '2026-03-02T14:05:00.000Z');
  const offsets = recording.entries.map((entry) => entry.offsetMs);
  assert.deepEqual(offsets, [...offsets].sort((a, b) => a - b));
  // The newest message is first in the file, so the first entry points at the end of the array.
  assert.equal(recording.entries[0]?.source.index, 16);
  assert.equal(recording.channel, 'lcw');
});

test('tags tell copilot (no public tag), agent (public, private) and customer apart', () => {
  const recording = importRecording(messages, { file: messagesFile, keepPii: true });
  assert.deepEqual(messageLines(recording), [
    'copilot: Hello, I am Contoso Helper. How can I help you today?',
    "customer: Hi, I'm Maria Lopez. I have a question about my bill",
    'copilot: Sure, I can help with billing. What would you like to know?',
    'customer: I was charged twice this month on card 4111 1111 1111 1111. Can I talk to a person?',
    'copilot: Let me connect you with a billing specialist.',
    'agent: Hi Maria, I can see the duplicate charge and I have refunded it.',
    'agent: Refund issued against INV-20260301-0042.',
    'customer: Thank you! You can reach me at maria.lopez@example.net or +1 425 555 0134.',
    'agent: You are welcome. Goodbye!',
  ]);
  const visibilities = entriesOfKind(recording, 'message').filter((entry) => entry.party === 'agent').map((entry) => entry.visibility);
  assert.deepEqual(visibilities, ['public', 'private', 'public']);
});

test('the Escalate directive is the handoff, with its context, the agent-only text and the transcript length', () => {
  const recording = importRecording(messages, { file: messagesFile, keepPii: true });
  const [handoff] = entriesOfKind(recording, 'handoff');
  assert.equal(handoff?.via, 'escalate-tags');
  assert.equal(handoff?.party, 'copilot');
  assert.equal(handoff?.variables.Department, 'Billing');
  assert.deepEqual(handoff?.variables.va_Topics, ['Billing', 'Escalate']);
  assert.equal(handoff?.agentMessage, 'Customer reports a double charge on the March invoice and asked for a person.');
  assert.equal(handoff?.transcriptLength, 5);
});

test('system and control messages become routing, context and closure entries', () => {
  const recording = importRecording(messages, { file: messagesFile, keepPii: true });
  assert.deepEqual(
    entriesOfKind(recording, 'routing').map(({ action, agent }) => (agent ? `${action} ${agent}` : action)),
    ['memberAdded', 'queuePosition', 'memberAdded', 'agentJoined Dana Whitfield', 'memberRemoved'],
  );
  const [context] = recording.entries.filter((entry) => entry.kind === 'event' && entry.name === 'OmnichannelContextMessage');
  assert.deepEqual(context?.kind === 'event' ? context.value : undefined, { msdyn_ConversationId: '7a8b9c0d-1e2f-4a3b-8c4d-5e6f7a8b9c0d', Department: 'Unknown' });
  const [closure] = entriesOfKind(recording, 'closure');
  assert.deepEqual(closure && { reason: closure.reason, offsetMs: closure.offsetMs }, { reason: 'agentendconversation', offsetMs: 176_000 });
});

test('tags written as a JSON array are read like the comma-separated form', () => {
  const list = JSON.parse(messages) as { tags?: string }[];
  const asArrays = list.map((message) => (message.tags && !message.tags.startsWith('{') ? { ...message, tags: JSON.stringify(message.tags.split(',')) } : message));
  const fromArrays = importRecording(JSON.stringify(asArrays), { file: messagesFile, seed: 3 });
  const fromStrings = importRecording(messages, { file: messagesFile, seed: 3 });
  assert.deepEqual(fromArrays.entries, fromStrings.entries);
});
