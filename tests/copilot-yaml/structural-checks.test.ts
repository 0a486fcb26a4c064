import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadCopilot, nodeKinds, type Diagnostic } from '../../src/copilot/yaml';
import { at, fixture, positionIn, temporaryFolder } from './fixture-paths';

const BROKEN = fixture('broken-agent');
const copilot = loadCopilot(BROKEN);

function only(code: string): Diagnostic {
  const found = copilot.diagnostics.filter((diagnostic) => diagnostic.code === code);
  assert.equal(found.length, 1, `exactly one ${code}: ${found.map((diagnostic) => diagnostic.message).join(' | ')}`);
  return found[0]!;
}

function where(file: string, needle: string): string {
  const { line, column } = positionIn(path.join(BROKEN, file), needle);
  return `${file}:${line}:${column}`;
}

test('the broken agent reports each structural error once, and nothing else', () => {
  assert.deepEqual(
    copilot.diagnostics.map((diagnostic) => `${diagnostic.severity} ${diagnostic.code}`).sort(),
    [
      'error duplicate-node-id',
      'error duplicate-topic',
      'error invalid-yaml',
      'error missing-dialog-target',
      'error missing-goto-target',
      'error node-without-kind',
      'error not-a-topic',
      'error redirect-cycle',
      'error topic-without-trigger',
    ],
  );
});

test('invalid YAML is located where the yaml library stops, and the file is not loaded as a topic', () => {
  const invalid = only('invalid-yaml');
  assert.equal(at(invalid.location), 'topics/InvalidYaml.mcs.yml:7:11');
  assert.match(invalid.message, /^Failed to load topics\/InvalidYaml\.mcs\.yml:7:11: /);
  assert.equal(copilot.topics.some((topic) => topic.file === 'topics/InvalidYaml.mcs.yml'), false);
  const component = copilot.components.find((candidate) => candidate.file === 'topics/InvalidYaml.mcs.yml');
  assert.match(component?.reason ?? '', /invalid YAML at 7:11/);
});

test('a topic file without kind: AdaptiveDialog, and a topic without a trigger, are errors', () => {
  assert.equal(at(only('not-a-topic').location), 'topics/NotATopic.mcs.yml:1:1');
  assert.equal(at(only('topic-without-trigger').location), 'topics/NoTrigger.mcs.yml:1:1');
});

test('a node without kind is an error at the node, and an unknown kind is left to the interpreter', () => {
  const missing = only('node-without-kind');
  assert.equal(at(missing.location), where('topics/NodeWithoutKind.mcs.yml', 'id: sendMessage_nokind01'));
  assert.equal(missing.nodeId, 'sendMessage_nokind01');
  const topic = copilot.topics.find((candidate) => candidate.shortName === 'NodeWithoutKind')!;
  assert.deepEqual(nodeKinds(topic).map((node) => [node.kind, node.id]), [
    ['', 'sendMessage_nokind01'],
    ['CustomFutureNode', 'future_01'],
  ]);
});

test('a duplicate node id is reported at the second node and names the first', () => {
  const duplicate = only('duplicate-node-id');
  assert.equal(duplicate.nodeId, 'sendMessage_dup01');
  const second = positionIn(path.join(BROKEN, 'topics/DuplicateIds.mcs.yml'), 'kind: SendActivity\n              id: sendMessage_dup01');
  assert.equal(at(duplicate.location), `topics/DuplicateIds.mcs.yml:${second.line}:${second.column}`);
  assert.ok(duplicate.message.includes(`first used at ${where('topics/DuplicateIds.mcs.yml', 'kind: SendActivity')}`), duplicate.message);
});

test('two files with the same schema name (compared without case) are a duplicate topic', () => {
  const duplicate = only('duplicate-topic');
  assert.equal(at(duplicate.location), 'topics/billing.topic.mcs.yml:1:1');
  assert.match(duplicate.message, /cr999_broken\.topic\.billing.*topics\/Billing\.mcs\.yml/);
});

test('a redirect to a missing topic is an error in a whole agent; a formula target is left alone', () => {
  const missing = only('missing-dialog-target');
  assert.equal(missing.severity, 'error');
  assert.equal(missing.nodeId, 'beginDialog_missing01');
  assert.equal(at(missing.location), where('topics/MissingTarget.mcs.yml', 'kind: BeginDialog'));
  assert.match(missing.message, /cr999_broken\.topic\.DoesNotExist/);
});

test('a redirect cycle A → B → A is reported once, at the first redirect', () => {
  const cycle = only('redirect-cycle');
  assert.equal(at(cycle.location), where('topics/CycleA.mcs.yml', 'kind: BeginDialog'));
  assert.equal(cycle.nodeId, 'beginDialog_toB01');
  assert.match(cycle.message, /CycleA → CycleB → CycleA/);
});

test('a GotoAction to a node id that is not in the topic is an error', () => {
  const goto = only('missing-goto-target');
  assert.equal(goto.nodeId, 'goto_01');
  assert.match(goto.message, /"noSuchNode"/);
});

test('a topic that redirects to itself is a cycle of one', () => {
  const folder = temporaryFolder('self-loop');
  fs.writeFileSync(
    path.join(folder, 'Retry.mcs.yml'),
    ['kind: AdaptiveDialog', 'beginDialog:', '  kind: OnRecognizedIntent', '  id: main', '  actions:', '    - kind: ReplaceDialog', '      id: again01', '      dialog: cr1_bot.topic.Retry', ''].join('\n'),
  );
  const loaded = loadCopilot(folder);
  assert.equal(loaded.layout, 'topic-files');
  assert.deepEqual(
    loaded.diagnostics.map((diagnostic) => [diagnostic.code, at(diagnostic.location), diagnostic.nodeId]),
    [['redirect-cycle', 'Retry.mcs.yml:6:7', 'again01']],
  );
  assert.match(loaded.diagnostics[0]?.message ?? '', /Retry → Retry/);
});

test('diagnostic messages follow the three-sentence form and name file:line:column', () => {
  for (const diagnostic of copilot.diagnostics) {
    assert.ok(diagnostic.message.includes(at(diagnostic.location)), `${diagnostic.code} names its location`);
    assert.ok(diagnostic.message.split(/\. (?=[A-Z])/).length >= 3, `${diagnostic.code}: ${diagnostic.message}`);
  }
});
