import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Redactor, redactedMark, secretsFromEnvironment } from '../../src/report/redaction';
import { decodeTimelineAttachment, encodeTimelineAttachment } from '../../src/report/timeline-attachment';
import type { TimelineEntry } from '../../src/sim/timeline';

const jwt = 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzY29wZSI6ImRpcmVjdGxpbmU6Y29udmVyc2F0aW9uIn0.c2lnbmF0dXJlLWJ5dGVzLWhlcmU';

test('a JWT anywhere in a text is replaced, the words around it kept', () => {
  const redactor = new Redactor();
  assert.equal(redactor.text(`my token is ${jwt}, thanks`), `my token is ${redactedMark}, thanks`);
});

test('a bearer credential keeps its scheme and loses its value', () => {
  assert.equal(new Redactor().text('Authorization: Bearer abcDEF1234567890xyz'), `Authorization: Bearer ${redactedMark}`);
});

test('a configured secret is replaced wherever it occurs, the longest first', () => {
  const redactor = new Redactor(['Canary-0001', 'Canary-0001-extended']);
  assert.equal(redactor.text('a Canary-0001-extended b Canary-0001 c'), `a ${redactedMark} b ${redactedMark} c`);
});

test('values shorter than 8 characters are not treated as secrets, so ordinary words survive', () => {
  const redactor = new Redactor(['true', 'General']);
  assert.equal(redactor.text('routed to General: true'), 'routed to General: true');
});

test('a value under a secret-sounding name is replaced whole, nested ones too, other values untouched', () => {
  const redactor = new Redactor();
  const value = { variables: { Department: 'Billing', DirectLineSecret: 'plain-looking-value', chat: { accessToken: 'abc' }, apiKeys: ['k1'] } };
  assert.deepEqual(redactor.value(value), {
    variables: { Department: 'Billing', DirectLineSecret: redactedMark, chat: { accessToken: redactedMark }, apiKeys: [redactedMark] },
  });
  assert.equal(value.variables.DirectLineSecret, 'plain-looking-value', 'the input is copied, never changed in place');
});

test('an object without secrets comes back as the same object (no copy)', () => {
  const value = { a: ['one', 'two'], b: { c: 3 } };
  assert.equal(new Redactor().value(value), value);
});

test('strings() redacts by content only: cucumber field names are not secrets', () => {
  const envelope = { testStepFinished: { token: 'not-a-secret-by-name', message: `failed with ${jwt}` } };
  assert.deepEqual(new Redactor().strings(envelope), { testStepFinished: { token: 'not-a-secret-by-name', message: `failed with ${redactedMark}` } });
});

test('secrets come from environment variables named like secrets and from HANDOFF_SECRETS', () => {
  const secrets = secretsFromEnvironment({ DIRECTLINE_SECRET: 'dl-secret-value', GITHUB_TOKEN: 'ghp_0123456789', HANDOFF_SECRETS: 'first-secret, second-secret\nthird-secret', PATH: '/usr/bin' });
  assert.deepEqual(secrets.sort(), ['dl-secret-value', 'first-secret', 'ghp_0123456789', 'second-secret', 'third-secret']);
});

test('the timeline attachment is redacted when encoded and reads back', () => {
  const entries: TimelineEntry[] = [
    { kind: 'context.updated', variables: { Department: 'Billing', ChatToken: 'opaque-value-123' }, seq: 0, at: 1, party: 'system', conversationId: 'c1' },
    { kind: 'message.sent', messageId: 'm1', from: 'customer', sender: 'Customer', text: `here: ${jwt} and Canary-0001`, seq: 1, at: 2, party: 'customer', conversationId: 'c1' },
  ];
  const body = encodeTimelineAttachment(42, entries, new Redactor(['Canary-0001']));
  const decoded = decodeTimelineAttachment(body);
  assert.equal(decoded?.seed, 42);
  assert.deepEqual(decoded?.entries[0], { ...entries[0], variables: { Department: 'Billing', ChatToken: redactedMark } });
  assert.equal((decoded?.entries[1] as { text: string }).text, `here: ${redactedMark} and ${redactedMark}`);
  assert.equal(decodeTimelineAttachment('not an attachment'), undefined);
});
