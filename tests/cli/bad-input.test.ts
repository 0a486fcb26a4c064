import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';

const root = path.resolve(__dirname, '..', '..');

/** Each scenario holds one mistake a QA engineer can make; the run must explain every one without a stack trace. */
const mistakes = `Feature: mistakes

  Background:
    Given the copilot "Contoso Assistant" with the topics:
      | topic    | trigger phrases  | reply                             | then              |
      | Escalate | talk to a person | Let me connect you with an agent. | transfer to agent |

  Scenario: a typo in a step
    When the customer sayz "hello"

  Scenario: a table with the wrong header
    Given the agents:
      | name  | queues  |
      | Alice | General |
    When the customer says "hello"

  Scenario: a cell that is not a number
    Given the queues:
      | queue   |
      | General |
    And the agents:
      | agent | queues  | capacity |
      | Alice | General | lots     |
    When the customer says "hello"

  Scenario: a rule that names an unknown queue
    Given the queues:
      | queue   |
      | General |
    And the agents:
      | agent | queues  |
      | Alice | General |
    And the routing rules:
      | rule    | condition            | queue   |
      | Billing | Department = Billing | Billing |
    When the customer says "hello"

  Scenario: an unknown agent
    Given the queues:
      | queue   |
      | General |
    And the agents:
      | agent | queues  |
      | Alice | General |
    When the customer says "talk to a person"
    Then agent "Alicia" is offered the conversation

  Scenario: an unknown queue in an assertion
    Given the queues:
      | queue   |
      | General |
    And the agents:
      | agent | queues  |
      | Alice | General |
    When the customer says "talk to a person"
    Then the conversation is routed to queue "Billing"

  Scenario: an unknown context variable
    Given the queues:
      | queue   |
      | General |
    And the agents:
      | agent | queues  |
      | Alice | General |
    When the customer says "talk to a person"
    Then the context variable "va_TopicName" received by Dynamics 365 is "Escalate"
`;

test('bad scenario input is explained by name, row and column, with the names that exist, and no stack trace', () => {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'handoff-bad-input-'));
  const feature = path.join(folder, 'mistakes.feature');
  fs.writeFileSync(feature, mistakes);
  const run = spawnSync(process.execPath, [path.join(root, 'bin', 'handoff.js'), 'run', feature, '--reports', path.join(folder, 'reports')], { encoding: 'utf8', cwd: root });
  const output = `${run.stdout}\n${run.stderr}`;
  assert.equal(run.status, 1, output);
  assert.match(output, /Undefined step "the customer sayz "hello"" \(.*mistakes\.feature:9\)\. No step definition matches it\. Closest known steps:\n\s+the customer says \{string\}/);
  assert.match(output, /The table of "Given the agents:" has unknown columns "name" and no column "agent"\. .*Use the header: \| agent \| queues \| presence \| capacity \|/);
  assert.match(output, /Row 1, column "capacity" of the table of "Given the agents:" is "lots"\. It must be a whole number/);
  assert.match(output, /Routing rule "Billing" sends conversations to queue "Billing", which is not defined\. Defined queues: "General"/);
  assert.match(output, /There is no agent "Alicia"\. .*Known agents: "Alice"/);
  assert.match(output, /There is no queue "Billing"\. .*Known queues: "General"/);
  assert.match(output, /received no context variable "va_TopicName"\. It received: .*va_LastTopic/);
  assert.doesNotMatch(output, /^\s+at .+\(.+:\d+:\d+\)$/m, 'no stack trace in the output');
  assert.match(output, /0 passed, 7 failed/);
  assert.match(output, /reproduce: npx handoff run .*mistakes\.feature:\d+ --seed \d+/);
});

test('an unwritable reports folder is a clear error and a non-zero exit', () => {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'handoff-reports-'));
  const blocker = path.join(folder, 'not-a-folder');
  fs.writeFileSync(blocker, '');
  const run = spawnSync(process.execPath, [path.join(root, 'bin', 'handoff.js'), 'run', '--reports', path.join(blocker, 'reports')], { encoding: 'utf8', cwd: root });
  assert.notEqual(run.status, 0);
  assert.match(run.stderr, /Cannot write reports to the folder .*not-a-folder\/reports: .*\((ENOTDIR|EEXIST)\)\. .*--reports <dir>/);
});

test('a seed that is not a number is refused with the form it takes', () => {
  const run = spawnSync(process.execPath, [path.join(root, 'bin', 'handoff.js'), 'run', '--seed', 'abc'], { encoding: 'utf8', cwd: root });
  assert.notEqual(run.status, 0);
  assert.match(run.stderr, /--seed <n>.*It must be a whole number/s);
});
