import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { checkConformance, formatGap } from '../../src/replay/conformance';
import { importFile } from '../../src/replay/import';
import type { Recording } from '../../src/replay/recording';
import { readReplayInput } from '../../src/replay/replay-input';
import { handoff } from './support/cli';
import { examplesFolder } from './support/examples';

const fixtures = path.join(__dirname, 'fixtures');

function fixture(name: string): Recording {
  const input = readReplayInput(path.join(fixtures, name));
  assert.equal(input.kind, 'recording');
  return (input as { recording: Recording }).recording;
}

test('a recorded handoff through Dynamics 365 is a path the model allows, with the routing it implies', () => {
  const result = checkConformance(importFile(path.join(examplesFolder, 'd365-transcript', 'billing-handoff.messages.json')));
  assert.equal(result.explained, true);
  assert.equal(result.gap, undefined);
  assert.deepEqual(
    result.steps.filter((step) => !['customer.messaged', 'copilot.messaged'].includes(step.event)).map((step) => `${step.event}${step.implied ? ' (implied)' : ''} → ${step.conversation}`),
    [
      'copilot.engaged (implied) → withCopilot',
      'copilot.escalated → escalated',
      'routing.queued → queued',
      'agent.offered (implied) → offered',
      'agent.accepted → withAgent',
      'agent.ended → wrapUp',
    ],
  );
  assert.deepEqual([result.final.conversation, result.final.wrapUpReason], ['wrapUp', 'ConversationEndedByAgent']);
});

test('every sample recording is a path the model allows', () => {
  for (const sample of ['bf-transcript/billing-handoff.transcript', 'directline/billing-handoff.log.json', 'dataverse-transcript/billing-handoff.content.json', 'd365-transcript/billing-handoff.annotation.json']) {
    const result = checkConformance(importFile(path.join(examplesFolder, sample)));
    assert.equal(result.explained, true, `${sample}: ${result.gap ? formatGap(result.gap) : ''}`);
  }
});

test('an agent writing while the copilot still has the chat is a gap at that entry', () => {
  const result = checkConformance(fixture('agent-without-handoff.recording.json'));
  assert.equal(result.explained, false);
  assert.deepEqual(
    { entry: result.gap?.entry, at: result.gap?.at, event: result.gap?.event, conversation: result.gap?.conversation, workItem: result.gap?.workItem },
    { entry: 2, at: '2026-03-05T09:01:00.000Z', event: 'agent message', conversation: 'withCopilot', workItem: 'active.withCopilot' },
  );
  assert.equal(result.steps.length, 3, 'the walk stops at the gap');
});

test("a customer writing after the model's bot-only inactivity closed the chat is a gap, blamed on the timer", () => {
  const result = checkConformance(fixture('idle-customer.recording.json'));
  assert.equal(result.gap?.entry, 2);
  assert.equal(result.gap?.event, 'customer.messaged');
  assert.equal(result.gap?.conversation, 'closed');
  assert.match(formatGap(result.gap!), /^Entry 2 \(input item 2, 31:00, 2026-03-05T09:31:00\.000Z, customer message "And on Saturdays\?"\): the model cannot take customer\.messaged with the conversation in closed .*botOnlyInactivity timer moved it at 30:00/);
});

test('handoff replay --check-model prints the gap and exits 1; a path the model allows exits 0', async () => {
  const [gap, allowed] = await Promise.all([
    handoff(['replay', '--check-model', path.join(fixtures, 'agent-without-handoff.recording.json')]),
    handoff(['replay', '--check-model', path.join(fixtures, 'billing.recording.json')]),
  ]);
  assert.equal(gap.status, 1);
  assert.match(gap.stdout, /GAP: Entry 2 \(input item 2, 01:00, .*agent message "Hi Maria, Alex here\. Let me take over\."\): the model cannot take agent message/);
  assert.equal(allowed.status, 0, allowed.stdout);
  assert.match(allowed.stdout, /the lifecycle machines explain every entry/);
});
