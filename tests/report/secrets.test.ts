import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { before, test } from 'node:test';
import { redactedMark } from '../../src/report/redaction';
import { filesUnder, handoff, recoverableText, temporaryFolder, type CliResult } from './support/handoff-cli';

/**
 * A scenario carries canary secrets everywhere a secret could travel: in the feature text, a pre-chat
 * context variable, a customer message, the copilot's variables handed to Dynamics 365, and the
 * message of a failing assertion. One canary is configured as secret (HANDOFF_SECRETS), one is a
 * chat-token-shaped JWT. Neither may appear in any file of the reports folder, compressed or not, nor
 * in the run's console output.
 */
const canary = `canary-${randomBytes(8).toString('hex')}`;
const jwtCanary = `eyJ${randomBytes(12).toString('base64url')}.eyJ${randomBytes(18).toString('base64url')}.${randomBytes(16).toString('base64url')}`;
const folder = temporaryFolder('secrets');
const reports = path.join(folder, 'reports');
let run: CliResult;

before(async () => {
  const feature = path.join(folder, 'secrets.feature');
  fs.writeFileSync(
    feature,
    `Feature: Secrets stay out of the reports

  Background:
    Given the copilot "Contoso Assistant" with the topics:
      | topic    | trigger phrases  | reply                             | then              |
      | Escalate | talk to a person | Let me connect you with an agent. | transfer to agent |
    And the queues:
      | queue   |
      | General |
    And the agents:
      | agent | queues  |
      | Alice | General |

  Scenario: A customer pastes credentials into the chat
    When the customer starts a chat with the context:
      | variable      | value        |
      | LoyaltyNumber | ${canary}    |
      | ChatToken     | ${jwtCanary} |
    And the customer says "my password is ${canary} and my token is ${jwtCanary}"
    And the customer says "talk to a person"
    And agent "Alice" accepts
    Then the customer sees "${canary}"
`,
  );
  run = await handoff(['run', feature, '--reports', reports], { env: { HANDOFF_SECRETS: canary } });
});

test('the canary scenario ran and failed on the assertion that quotes the secret', () => {
  assert.equal(run.status, 1, run.stderr);
  assert.match(run.stdout, /The customer did not see "\[redacted\]"\./);
});

test('no file in the reports folder holds a canary, even inside compressed timeline attachments', () => {
  const files = filesUnder(reports);
  assert.ok(files.includes('messages.ndjson') && files.includes('conversations.html') && files.some((f) => f.startsWith('failures')), files.join(', '));
  for (const file of files) {
    const text = recoverableText(path.join(reports, file));
    assert.ok(!text.includes(canary), `${file} holds the configured secret`);
    assert.ok(!text.includes(jwtCanary), `${file} holds the JWT`);
  }
});

test('nor does the console output of the run', () => {
  for (const output of [run.stdout, run.stderr]) {
    assert.ok(!output.includes(canary));
    assert.ok(!output.includes(jwtCanary));
  }
});

test('the secrets were there to redact: the reports show where they were replaced', () => {
  const conversations = fs.readFileSync(path.join(reports, 'conversations.html'), 'utf8');
  assert.ok(conversations.includes(`my password is ${redactedMark} and my token is ${redactedMark}`));
  assert.match(conversations, /<tr><td>ChatToken<\/td><td>.*<\/td><td>\[redacted\]<\/td><\/tr>/);
  const messages = fs.readFileSync(path.join(reports, 'messages.ndjson'), 'utf8');
  assert.ok(messages.includes(`| LoyaltyNumber | ${redactedMark}`), 'the feature source in the message stream');
});
