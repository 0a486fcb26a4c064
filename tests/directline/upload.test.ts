import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { RunningServer } from '../../src/serve/server';
import { generateToken, json, startTestServer } from './support/real-clients';

/** Upload (copilot-protocol.md §2.5): the files are kept and served back from the private link in the echoed activity. */
let server: RunningServer;

before(async () => {
  server = await startTestServer();
});

after(() => server.close());

async function conversation(): Promise<{ conversationId: string; token: string }> {
  const { token } = await generateToken(server);
  const started = await json<{ conversationId: string; token: string }>(`${server.urls.directLine}/conversations`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
  return started.body;
}

async function activitiesOf(started: { conversationId: string; token: string }) {
  const page = await json<{ activities: Array<Record<string, unknown>> }>(`${server.urls.directLine}/conversations/${started.conversationId}/activities`, { headers: { authorization: `Bearer ${started.token}` } });
  return page.body.activities;
}

test('upload: a multipart upload as DirectLineJS builds it becomes one message whose attachments link to the files', async () => {
  const started = await conversation();
  const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 1, 2, 3, 4]);
  const form = new FormData();
  // The shape of DirectLineJS's postMessageWithAttachments (copilot-protocol.md §2.5).
  form.append('activity', new Blob([JSON.stringify({ type: 'message', text: 'here is my receipt', from: { id: 'dl_test-user' }, channelData: { clientActivityID: 'up-1' }, attachments: [{ contentType: 'image/png', name: 'receipt.png' }, { contentType: 'text/plain', name: 'notes.txt' }] })], { type: 'application/vnd.microsoft.activity' }));
  form.append('file', new Blob([png], { type: 'image/png' }), 'receipt.png');
  form.append('file', new Blob(['paid twice'], { type: 'text/plain' }), 'notes.txt');
  const uploaded = await json<{ id: string }>(`${server.urls.directLine}/conversations/${started.conversationId}/upload?userId=dl_test-user`, { method: 'POST', headers: { authorization: `Bearer ${started.token}` }, body: form });
  assert.equal(uploaded.status, 200);
  assert.match(uploaded.body.id, /\|\d{7}$/);

  const echo = (await activitiesOf(started)).find((activity) => activity['id'] === uploaded.body.id)!;
  assert.equal(echo['text'], 'here is my receipt');
  assert.equal((echo['channelData'] as { clientActivityID: string }).clientActivityID, 'up-1');
  const attachments = echo['attachments'] as Array<{ contentType: string; name: string; contentUrl: string }>;
  assert.deepEqual(attachments.map((attachment) => [attachment.contentType, attachment.name]), [['image/png', 'receipt.png'], ['text/plain', 'notes.txt']]);

  const image = await fetch(attachments[0]!.contentUrl);
  assert.equal(image.status, 200);
  assert.equal(image.headers.get('content-type'), 'image/png');
  assert.deepEqual(new Uint8Array(await image.arrayBuffer()), png, 'the private link serves the bytes that were uploaded');
  assert.equal(await (await fetch(attachments[1]!.contentUrl)).text(), 'paid twice');
});

test('upload: a single raw file with Content-Disposition becomes a message with one attachment', async () => {
  const started = await conversation();
  const uploaded = await json<{ id: string }>(`${server.urls.directLine}/conversations/${started.conversationId}/upload?userId=dl_test-user`, {
    method: 'POST',
    headers: { authorization: `Bearer ${started.token}`, 'content-type': 'application/pdf', 'content-disposition': 'name="file"; filename="invoice.pdf"' },
    body: '%PDF-1.4 invoice',
  });
  assert.equal(uploaded.status, 200);
  const echo = (await activitiesOf(started)).find((activity) => activity['id'] === uploaded.body.id)!;
  const [attachment] = echo['attachments'] as Array<{ contentType: string; name: string; contentUrl: string }>;
  assert.equal(attachment?.name, 'invoice.pdf');
  assert.equal(await (await fetch(attachment!.contentUrl)).text(), '%PDF-1.4 invoice');
});

test('upload: mistakes get 400 with the reason, and a forgotten conversation takes its files with it', async () => {
  const started = await conversation();
  const url = `${server.urls.directLine}/conversations/${started.conversationId}/upload?userId=dl_test-user`;
  const noFile = new FormData();
  noFile.append('activity', new Blob(['{"type": "message"}'], { type: 'application/vnd.microsoft.activity' }));
  const missing = await json<{ error: { code: string } }>(url, { method: 'POST', headers: { authorization: `Bearer ${started.token}` }, body: noFile });
  assert.equal(missing.status, 400);
  assert.equal(missing.body.error.code, 'MissingProperty');
  const badActivity = new FormData();
  badActivity.append('activity', new Blob(['not json'], { type: 'application/vnd.microsoft.activity' }));
  badActivity.append('file', new Blob(['x']), 'x.txt');
  const bad = await json<{ error: { code: string } }>(url, { method: 'POST', headers: { authorization: `Bearer ${started.token}` }, body: badActivity });
  assert.equal(bad.status, 400);
  assert.equal(bad.body.error.code, 'BadArgument');

  const good = new FormData();
  good.append('file', new Blob(['kept']), 'kept.txt');
  const uploaded = await json<{ id: string }>(url, { method: 'POST', headers: { authorization: `Bearer ${started.token}` }, body: good });
  const echo = (await activitiesOf(started)).find((activity) => activity['id'] === uploaded.body.id)!;
  const link = (echo['attachments'] as Array<{ contentUrl: string }>)[0]!.contentUrl;
  assert.equal((await fetch(link)).status, 200);
  await json(`${server.urls.control}/directline/conversations/${started.conversationId}/end`, { method: 'POST' });
  assert.equal((await fetch(link)).status, 404);
});
