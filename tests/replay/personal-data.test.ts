import assert from 'node:assert/strict';
import { test } from 'node:test';
import { importRecording } from '../../src/replay/import';
import { passesLuhn } from '../../src/replay/import/personal-data';
import type { Recording } from '../../src/replay/recording';
import { entriesOfKind, exampleText } from './support/examples';

const d365File = 'd365-transcript/billing-handoff.messages.json';
const bfFile = 'bf-transcript/billing-handoff.transcript';
const dataverseFile = 'dataverse-transcript/billing-handoff.content.json';

/** A Direct Line array with one customer and one copilot message, for focused cases. */
function chat(customerText: string, copilotText = 'Thanks, noted.', customerName = 'User'): string {
  return JSON.stringify([
    { type: 'message', id: 'c|0000000', channelId: 'directline', timestamp: '2026-03-02T10:00:00Z', from: { id: 'u1', name: customerName, role: 'user' }, text: customerText },
    { type: 'message', id: 'c|0000001', channelId: 'directline', timestamp: '2026-03-02T10:00:02Z', from: { id: 'b1', name: 'Contoso Helper', role: 'bot' }, text: copilotText },
  ]);
}

function texts(recording: Recording): string[] {
  return entriesOfKind(recording, 'message').map((entry) => entry.text);
}

test('e-mail addresses, phone and card numbers and names are gone from every text of the story', () => {
  const serialized = JSON.stringify(importRecording(exampleText(d365File), { file: d365File }));
  for (const original of ['maria.lopez@example.net', '425 555 0134', '4111 1111 1111 1111', 'Maria', 'Lopez', 'Dana', 'Whitfield']) {
    assert.ok(!serialized.includes(original), `${original} is still in the recording`);
  }
  assert.ok(serialized.includes('Contoso Helper'), 'the copilot is not a person and keeps its name');
  assert.ok(serialized.includes('INV-20260301-0042'), 'an invoice number is not personal data');
});

test('the same original always gets the same replacement within a conversation', () => {
  const recording = importRecording(exampleText(bfFile), { file: bfFile });
  const customerNames = new Set(entriesOfKind(recording, 'message').filter((entry) => entry.party === 'customer').map((entry) => entry.displayName));
  assert.equal(customerNames.size, 1);
  const [customerName] = [...customerNames];
  assert.notEqual(customerName, 'Maria Lopez');
  const members = recording.entries.find((entry) => entry.kind === 'event' && entry.name === 'conversationUpdate');
  assert.deepEqual(members?.kind === 'event' ? members.value : undefined, { membersAdded: ['Contoso Helper', customerName], membersRemoved: [] });
  // "Hi Maria, this is Dana Whitfield": the first name maps to the first name of the replacement.
  const agentMessage = entriesOfKind(recording, 'message').find((entry) => entry.party === 'agent');
  const firstName = (customerName as string).split(' ')[0] as string;
  assert.ok(agentMessage?.text.startsWith(`Hi ${firstName}, this is ${agentMessage.displayName} from Billing.`), agentMessage?.text);
});

test('an address in a variable and in the handoff gets the same replacement', () => {
  const recording = importRecording(exampleText(dataverseFile), { file: dataverseFile });
  const note = entriesOfKind(recording, 'variable').find((entry) => entry.name === 'AgentNote')?.value as string;
  const [handoff] = entriesOfKind(recording, 'handoff');
  const email = /\S+@\S+/.exec(note)?.[0];
  assert.ok(email && email !== 'maria.lopez@example.net');
  assert.ok(handoff?.agentMessage?.endsWith(`Contact: ${email}`), handoff?.agentMessage);
  assert.equal(handoff?.variables.va_AgentMessage, handoff?.agentMessage);
});

test('names the customer introduces themselves with and surnames next to a known name are replaced', () => {
  const introduced = importRecording(chat("Hello, I'm Priya Raman and my order is late"), { file: 'intro.json' });
  assert.doesNotMatch(texts(introduced)[0] as string, /Priya|Raman/);
  assert.match(texts(introduced)[0] as string, /^Hello, I'm \S+ \S+ and my order is late$/);

  const adjacent = importRecording(chat('Please tell Priya Raman that I called', 'I will tell her.', 'Priya'), { file: 'adjacent.json' });
  assert.doesNotMatch(texts(adjacent)[0] as string, /Priya|Raman/);
});

test('a name held by a name variable is replaced there and wherever it appears in text', () => {
  const activities = JSON.parse(chat('hi', 'Connecting Priya now.')) as Record<string, unknown>[];
  activities.push({
    type: 'event',
    name: 'handoff.initiate',
    id: 'c|0000002',
    channelId: 'directline',
    timestamp: '2026-03-02T10:00:03Z',
    from: { id: 'b1', name: 'Contoso Helper', role: 'bot' },
    value: { msdyn_CustomerName: 'Priya Raman', va_BotName: 'Contoso Helper', va_LastTopic: 'Escalate' },
  });
  const recording = importRecording(JSON.stringify(activities), { file: 'variables.json', seed: 2 });
  const [handoff] = entriesOfKind(recording, 'handoff');
  const replacement = handoff?.variables.msdyn_CustomerName as string;
  assert.notEqual(replacement, 'Priya Raman');
  assert.equal(texts(recording)[1], `Connecting ${replacement.split(' ')[0]} now.`);
  assert.equal(handoff?.variables.va_BotName, 'Contoso Helper');
  assert.equal(handoff?.variables.va_LastTopic, 'Escalate');
});

test('digits inside a URL are not taken for a phone number', () => {
  const input = 'See https://contoso.example/orders/42555501234?ref=4255550123 for details';
  assert.equal(texts(importRecording(chat(input), { file: 'url.json', seed: 4 }))[0], input);
});

test('import is seeded: the same seed gives identical bytes, another seed other replacements', () => {
  const text = exampleText(d365File);
  const first = JSON.stringify(importRecording(text, { file: d365File, seed: 42 }));
  const again = JSON.stringify(importRecording(text, { file: d365File, seed: 42 }));
  const other = JSON.stringify(importRecording(text, { file: d365File, seed: 43 }));
  assert.equal(again, first);
  assert.notEqual(other, first);
});

test('without a seed the content decides: re-importing a file gives byte-identical output', () => {
  const text = exampleText(bfFile);
  const first = importRecording(text, { file: bfFile });
  assert.equal(JSON.stringify(importRecording(text, { file: bfFile })), JSON.stringify(first));
  // Another content hashes to another seed, so the pseudonyms differ.
  const edited = text.replace('Hi, I have a question about my bill', 'Hi, I have a question about my invoice');
  const customerName = (recording: Recording) => entriesOfKind(recording, 'message').find((entry) => entry.party === 'customer')?.displayName;
  assert.notEqual(customerName(importRecording(edited, { file: bfFile })), customerName(first));
});

test('keepPii leaves personal data as it was', () => {
  const recording = importRecording(exampleText(d365File), { file: d365File, keepPii: true });
  assert.ok(texts(recording).includes('Thank you! You can reach me at maria.lopez@example.net or +1 425 555 0134.'));
});

test('card numbers: only Luhn-valid runs of 13 to 19 digits are replaced, by Luhn-valid numbers of the same layout', () => {
  const recording = importRecording(chat('Valid 4111 1111 1111 1111, invalid 4111 1111 1111 1112, twenty digits 41111111111111111111.'), { file: 'cards.json', seed: 1 });
  const [text] = texts(recording);
  const match = /^Valid (\d{4} \d{4} \d{4} \d{4}), invalid 4111 1111 1111 1112, twenty digits 41111111111111111111\.$/.exec(text as string);
  assert.ok(match, text);
  const replacement = (match[1] as string).replace(/ /g, '');
  assert.notEqual(replacement, '4111111111111111');
  assert.ok(passesLuhn(replacement));
  assert.ok(replacement.startsWith('4'), 'the issuer digit is kept');
});

test('phone numbers in common layouts are replaced; dates, amounts, ids and order numbers are not', () => {
  const input = 'Call +44 20 7946 0958 or (425) 555-0100 or 425.555.0199 or 4255550123. Order 1234567 on 2026-03-02, total 1,234.56, ref 3f2a8c1e-7b4d-4e9a-9c2f-1d5e6a7b8c90.';
  const [text] = texts(importRecording(chat(input), { file: 'phones.json', seed: 9 }));
  for (const phone of ['+44 20 7946 0958', '(425) 555-0100', '425.555.0199', '4255550123']) assert.ok(!text?.includes(phone), `${phone} kept`);
  for (const kept of ['Order 1234567', '2026-03-02', '1,234.56', '3f2a8c1e-7b4d-4e9a-9c2f-1d5e6a7b8c90']) assert.ok(text?.includes(kept), `${kept} changed: ${text}`);
  assert.match(text as string, /^Call \+44 \d{2} \d{4} \d{4} or \(\d{3}\) \d{3}-\d{4} or \d{3}\.\d{3}\.\d{4} or \d{10}\./);
});

test('passesLuhn accepts valid card numbers and rejects a changed digit', () => {
  assert.ok(passesLuhn('4111111111111111'));
  assert.ok(passesLuhn('5555555555554444'));
  assert.ok(!passesLuhn('4111111111111112'));
});
