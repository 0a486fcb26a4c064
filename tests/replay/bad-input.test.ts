import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RecordingImportError, importRecording } from '../../src/replay/import';
import type { RecordingFormat } from '../../src/replay/recording';
import { entriesOfKind, exampleText } from './support/examples';

/** Runs the import and returns the error it must throw. */
function importError(text: string, file = 'bad.json', format?: RecordingFormat): RecordingImportError {
  try {
    importRecording(text, { file, keepPii: true, ...(format ? { format } : {}) });
  } catch (error) {
    assert.ok(error instanceof RecordingImportError, `expected a RecordingImportError, got ${String(error)}`);
    return error;
  }
  assert.fail('the import succeeded');
}

/** What failed (naming file and position), why, what to do. */
function assertThreeSentences(error: RecordingImportError): void {
  assert.ok(error.message.startsWith(`Failed to import recording ${error.file} (${error.position}): `), error.message);
  const sentences = error.message.split(/(?<=[.!?])\s+(?=[A-Z])/);
  assert.ok(sentences.length >= 2 && error.message.endsWith('.'), error.message);
  assert.ok(error.remedy.length > 0 && error.message.endsWith(error.remedy));
}

const message = (id: string, timestamp: unknown, text: string, role = 'user') => ({
  type: 'message',
  id,
  channelId: 'directline',
  ...(timestamp === undefined ? {} : { timestamp }),
  from: { id: role === 'user' ? 'u1' : 'b1', role },
  text,
});

test('a truncated file fails at the line and column where it ends', () => {
  const text = exampleText('bf-transcript/billing-handoff.transcript');
  const cut = text.slice(0, 500);
  const error = importError(cut, 'cut.transcript');
  const lines = cut.split('\n');
  assert.equal(error.position, `line ${lines.length}, column ${(lines.at(-1) as string).length + 1}`);
  assert.match(error.reason, /truncated/);
  assertThreeSentences(error);
});

test('malformed JSON fails at the line and column of the mistake', () => {
  const error = importError('[\n  {"type": "message",\n   "text": "hi",,\n  }\n]', 'broken.json');
  assert.equal(error.position, 'line 3, column 17');
  assert.match(error.reason, /malformed/);
  assertThreeSentences(error);
});

test('a file that is not JSON at all fails at line 1, column 1', () => {
  const error = importError('Conversation with Maria\n10:00 Hi', 'notes.txt');
  assert.equal(error.position, 'line 1, column 1');
  assertThreeSentences(error);
});

test('an empty file fails with its own reason', () => {
  const error = importError('  \n', 'empty.json');
  assert.equal(error.position, 'file');
  assert.match(error.reason, /empty/);
});

test('an unknown format fails and names the fields it found', () => {
  const error = importError(JSON.stringify({ chat: [{ who: 'me', said: 'hi' }] }), 'other.json');
  assert.match(error.reason, /format is unknown.*fields chat/);
  assertThreeSentences(error);
  assert.match(importError('[]', 'empty-array.json').reason, /empty array/);
  assert.match(importError('[1, 2, 3]', 'numbers.json').reason, /number/);
});

test('an unknown format name in the options fails before reading', () => {
  const error = importError('[]', 'any.json', 'slack-export' as RecordingFormat);
  assert.equal(error.position, 'options.format');
  assert.match(error.remedy, /bf-transcript, directline, dataverse-transcript, d365-transcript/);
});

test('forcing a format the content does not have fails with the shape it expected', () => {
  const error = importError(exampleText('d365-transcript/billing-handoff.live-transcript.json'), 'live.json', 'bf-transcript');
  assert.match(error.reason, /array of activities/);
  assertThreeSentences(error);
});

test('an activity that is not an object fails at its array index', () => {
  const error = importError(JSON.stringify([message('c|0000000', '2026-03-02T10:00:00Z', 'hi'), 'oops']), 'list.json');
  assert.equal(error.position, '[1]');
  assert.match(error.reason, /string "oops", not a JSON object/);
});

test('a missing timestamp is interpolated from the neighbours, with a warning', () => {
  const text = JSON.stringify([
    message('c|0000000', '2026-03-02T10:00:00Z', 'one'),
    message('c|0000001', undefined, 'two', 'bot'),
    message('c|0000002', 'yesterday', 'three'),
    message('c|0000003', '2026-03-02T10:00:30Z', 'four', 'bot'),
  ]);
  const recording = importRecording(text, { file: 'gaps.json', keepPii: true });
  assert.deepEqual(entriesOfKind(recording, 'message').map((entry) => [entry.text, entry.offsetMs]), [
    ['one', 0],
    ['two', 10_000],
    ['three', 20_000],
    ['four', 30_000],
  ]);
  assert.equal(recording.warnings.length, 1);
  assert.equal(recording.warnings[0]?.position, '[1] to [2]');
  assert.match(recording.warnings[0]?.message ?? '', /These 2 items have no usable timestamp.*interpolated/);
});

test('a missing timestamp at the end is copied from the previous one', () => {
  const text = JSON.stringify([message('c|0000000', '2026-03-02T10:00:00Z', 'one'), message('c|0000001', undefined, 'two', 'bot')]);
  const recording = importRecording(text, { file: 'tail.json', keepPii: true });
  assert.equal(recording.entries[1]?.offsetMs, 0);
  assert.match(recording.warnings[0]?.message ?? '', /copied from the previous timestamp/);
});

test('no timestamp anywhere is an error, since nothing can be interpolated', () => {
  const error = importError(JSON.stringify([message('c|0000000', undefined, 'one'), message('c|0000001', undefined, 'two', 'bot')]), 'timeless.json');
  assert.equal(error.position, '[0]');
  assert.match(error.reason, /no activity or message has a usable timestamp/);
  assertThreeSentences(error);
});

test('activities out of order are sorted by timestamp, with a warning at the first misplaced one', () => {
  const text = JSON.stringify([
    message('c|0000000', '2026-03-02T10:00:00Z', 'one'),
    message('c|0000001', '2026-03-02T10:00:20Z', 'three', 'bot'),
    message('c|0000002', '2026-03-02T10:00:10Z', 'two'),
  ]);
  const recording = importRecording(text, { file: 'shuffled.json', keepPii: true });
  assert.deepEqual(entriesOfKind(recording, 'message').map((entry) => entry.text), ['one', 'two', 'three']);
  assert.deepEqual(recording.warnings.map((warning) => warning.position), ['[2]']);
  assert.match(recording.warnings[0]?.message ?? '', /1 item is earlier than an item before it.*sorted/);
});

test('D365 messages in neither newest-first nor oldest-first order are sorted, with a warning', () => {
  const list = JSON.parse(exampleText('d365-transcript/billing-handoff.messages.json')) as unknown[];
  const swapped = [...list];
  [swapped[3], swapped[10]] = [swapped[10], swapped[3]];
  const recording = importRecording(JSON.stringify(swapped), { file: 'swapped.json', keepPii: true });
  assert.equal(recording.warnings.length, 1);
  assert.match(recording.warnings[0]?.message ?? '', /newest first or oldest first; the timeline was sorted/);
  const offsets = recording.entries.map((entry) => entry.offsetMs);
  assert.deepEqual(offsets, [...offsets].sort((a, b) => a - b));
});

test('unknown D365 tags are ignored with one warning per tag, naming the first message', () => {
  const list = JSON.parse(exampleText('d365-transcript/billing-handoff.messages.json')) as { tags?: string; content?: string }[];
  const tagged = list.map((item) => (item.tags?.startsWith('public') ? { ...item, tags: `${item.tags},vipcustomer` } : item));
  const recording = importRecording(JSON.stringify(tagged), { file: 'tagged.json', keepPii: true });
  assert.equal(recording.warnings.length, 1);
  const firstPublic = tagged.findIndex((item) => item.tags?.includes('vipcustomer'));
  assert.equal(recording.warnings[0]?.position, `[${firstPublic}]`);
  assert.match(recording.warnings[0]?.message ?? '', /"vipcustomer" is not a known D365 transcript tag.*ignored on 2 messages/);
  assert.equal(entriesOfKind(recording, 'message').filter((entry) => entry.party === 'agent').length, 3, 'the agent is still told by public');
});

test('a D365 message that is not an object fails at its index inside chatMessagesJson', () => {
  const error = importError(JSON.stringify({ chatMessagesJson: JSON.stringify([{ created: '2026-03-02T10:00:00Z', content: 'hi', tags: '' }, null]) }), 'live.json');
  assert.equal(error.position, 'chatMessagesJson[1]');
  assert.match(error.reason, /null, not a JSON object/);
});

test('broken JSON inside chatMessagesJson is located inside the embedded JSON', () => {
  const error = importError(JSON.stringify({ chatMessagesJson: '[{"created": "2026-03-02T10:00:00Z",\n"content": }]' }), 'live.json');
  assert.equal(error.position, 'chatMessagesJson, line 2, column 12 of the embedded JSON');
});

test('an annotation whose documentbody is not base64 fails at documentbody', () => {
  const error = importError(JSON.stringify({ objecttypecode: 'msdyn_transcript', documentbody: 'not base64!' }), 'annotation.json');
  assert.equal(error.position, 'documentbody');
  assertThreeSentences(error);
});

test('activities without a type are skipped with one warning', () => {
  const text = JSON.stringify([message('c|0000000', '2026-03-02T10:00:00Z', 'one'), { id: 'x', timestamp: '2026-03-02T10:00:01Z' }, { id: 'y', timestamp: '2026-03-02T10:00:02Z' }]);
  const recording = importRecording(text, { file: 'untyped.json', format: 'directline', keepPii: true });
  assert.equal(recording.entries.length, 1);
  assert.deepEqual(recording.warnings.map((warning) => warning.position), ['[1]']);
  assert.match(recording.warnings[0]?.message ?? '', /2 activities .* have no type and were skipped/);
});
