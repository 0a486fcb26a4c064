import assert from 'node:assert/strict';
import { test } from 'node:test';
import { detectRecordingFormat, importRecording } from '../../src/replay/import';
import { entriesOfKind, exampleText, messageLines } from './support/examples';

const logFile = 'directline/billing-handoff.log.json';
const log = exampleText(logFile);
const eventFile = 'directline/handoff-initiate.event.json';

test('GET responses appended one after another are detected as a Direct Line log', () => {
  assert.equal(detectRecordingFormat(log, logFile), 'directline');
});

test('a single handoff.initiate event object is detected as Direct Line', () => {
  assert.equal(detectRecordingFormat(exampleText(eventFile), eventFile), 'directline');
});

test('an array of activities is Direct Line when its ids or channel say so, a .transcript otherwise', () => {
  const activities = JSON.parse(log.split('\n{')[0] as string).activities as Record<string, unknown>[];
  assert.equal(detectRecordingFormat(JSON.stringify(activities), 'list.json'), 'directline');
  const anonymous = activities.map(({ id, channelId, ...rest }) => ({ ...rest, id: `x-${String(id).slice(-3)}`, channelId: 'webchat' }));
  assert.equal(detectRecordingFormat(JSON.stringify(anonymous), 'list.json'), 'bf-transcript');
});

test('the three responses make one timeline with positions naming the document', () => {
  const recording = importRecording(log, { file: logFile, keepPii: true });
  assert.equal(recording.conversationId, 'Hc7Qm2xVb4T1kE9sLr8pWz-us');
  assert.equal(recording.channel, 'directline');
  assert.deepEqual(messageLines(recording), [
    'customer: Hi, I have a question about my bill',
    'copilot: Sure, I can help with billing. What would you like to know?',
    'customer: I was charged twice this month. Can I talk to a person? My email is maria.lopez@example.net',
    'copilot: Let me connect you with a billing specialist.',
    'agent: Hi Maria, this is Dana Whitfield from Billing. I can see the duplicate charge and I have refunded it.',
    'customer: Thank you! If you need anything else, call me on +1 425 555 0134.',
    'agent: You are welcome. The refund shows within 3 business days. Goodbye!',
  ]);
  // 4 + 4 + 5 activities; the handoff's embedded transcript repeats logged ones and adds nothing.
  assert.equal(Math.max(...recording.entries.map((entry) => entry.source.index)), 12);
  assert.ok(recording.entries.every((entry) => entry.source.transcriptIndex === undefined));
});

test('typing, suggested actions, the hub status and the closing activity become their own entries', () => {
  const recording = importRecording(log, { file: logFile, keepPii: true });
  assert.equal(entriesOfKind(recording, 'typing').length, 1);
  const greeting = entriesOfKind(recording, 'message')[1];
  assert.deepEqual(greeting?.suggestedActions, ['A charge I do not recognise', 'Talk to a person']);
  const [status] = entriesOfKind(recording, 'routing');
  assert.deepEqual(
    status && { party: status.party, action: status.action, queue: status.queue, agent: status.agent, detail: status.detail },
    { party: 'system', action: 'handoffStatus', queue: 'Billing queue', agent: 'Dana Whitfield', detail: 'accepted' },
  );
  const [closure] = entriesOfKind(recording, 'closure');
  assert.equal(closure?.reason, 'completedSuccessfully');
  assert.equal(closure?.offsetMs, 176_000);
});

test('the handoff carries Department = Billing and the private message', () => {
  const recording = importRecording(log, { file: logFile, keepPii: true });
  const [handoff] = entriesOfKind(recording, 'handoff');
  assert.equal(handoff?.variables.Department, 'Billing');
  assert.equal(handoff?.variables.va_LastTopic, 'Escalate');
  assert.match(handoff?.agentMessage ?? '', /^Customer reports a double charge/);
  assert.equal(handoff?.transcriptLength, 4);
});

test('a lone handoff.initiate brings the conversation before it from its Transcript attachment', () => {
  const recording = importRecording(exampleText(eventFile), { file: eventFile, keepPii: true });
  assert.deepEqual(
    recording.entries.map((entry) => [entry.party, entry.kind, entry.source.transcriptIndex ?? null]),
    [
      ['customer', 'message', 0],
      ['copilot', 'message', 1],
      ['customer', 'message', 2],
      ['copilot', 'message', 3],
      ['copilot', 'handoff', null],
    ],
  );
  assert.ok(recording.entries.every((entry) => entry.source.index === 0));
  assert.equal(recording.startedAt, '2026-03-02T14:05:00.000Z');
});

test('activities repeated by overlapping responses are imported once, with a warning', () => {
  const documents = log.split(/\n(?=\{)/);
  const overlapping = [...documents, documents[1]].join('\n');
  const recording = importRecording(overlapping, { file: 'overlap.json', keepPii: true });
  const clean = importRecording(log, { file: 'overlap.json', keepPii: true });
  assert.equal(recording.entries.length, clean.entries.length);
  assert.equal(recording.warnings.length, 1);
  assert.equal(recording.warnings[0]?.position, 'document 4, activities[0]');
  assert.match(recording.warnings[0]?.message ?? '', /4 activities repeat the id of an earlier one/);
});
