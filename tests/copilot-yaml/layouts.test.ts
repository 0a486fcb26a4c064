import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { discoverCopilots, loadCopilot, locationOfKey, resolveDialogReference } from '../../src/copilot/yaml';
import { at, FIXTURES, fixture } from './fixture-paths';

type Tree = Record<string, any>;

test('a CLI-layered agent loads its topics and ignores behaviors, tools and connections with reasons', () => {
  const copilot = loadCopilot(fixture('cli-agent'));
  assert.equal(copilot.layout, 'cli');
  assert.equal(copilot.schemaName, 'cr555_returnsHelper');
  assert.equal(copilot.displayName, 'Returns Helper');
  assert.deepEqual(copilot.topics.map((topic) => topic.schemaName), ['cr555_returnsHelper.topic.Greeting']);
  assert.deepEqual(
    copilot.components.map((component) => [component.file, component.kind, component.status]),
    [
      ['settings.mcs.yml', 'BotEntity', 'loaded'],
      ['agent.sync.yaml', 'LayoutMarker', 'loaded'],
      ['behaviors/refund-policy.mcs.yml', 'InlineAgentSkill', 'ignored'],
      ['capabilities/knowledge/faq.mcs.yml', 'KnowledgeSourceConfiguration', 'ignored'],
      ['capabilities/tools/orders.mcs.yml', 'McpTool', 'ignored'],
      ['infrastructure/connections/dataverse.sync.yaml', 'ConnectionReference', 'ignored'],
    ],
  );
  assert.ok(copilot.components.filter((component) => component.status === 'ignored').every((component) => (component.reason ?? '').length > 20));
  assert.deepEqual(copilot.diagnostics, []);
});

test('a bare folder of quirky topic files loads them with the values Copilot Studio means', () => {
  const copilot = loadCopilot(fixture('quirky-topics'));
  assert.equal(copilot.layout, 'topic-files');
  assert.deepEqual(copilot.topics.map((topic) => topic.file), ['FileOutputs.yml', 'ListContacts.yaml']);
  const contacts = copilot.topics[1]!.dialog as Tree;
  const http = contacts['beginDialog']['actions'][0];
  assert.equal(http['headers']['accept'], '*/*');
  assert.deepEqual(Object.keys(http['responseSchema']['properties']), ['@odata.nextLink', 'value']);
  assert.deepEqual(at(locationOfKey(http['responseSchema']['properties'], '@odata.nextLink')), 'ListContacts.yaml:20:28');
  const files = copilot.topics[0]!.dialog as Tree;
  const parse = files['beginDialog']['actions'][0];
  assert.deepEqual(Object.keys(parse['valueType']['properties']), ['{FilenameWithExtension}', '{VersionNumber}']);
  assert.equal(files['beginDialog']['actions'][1]['dialog'], '{ REPLACE-WITH-COPILOT-NAME }.topic.Search');
});

test('each repaired quirk is a located warning, and a redirect out of loose files is only a warning', () => {
  const copilot = loadCopilot(fixture('quirky-topics'));
  assert.deepEqual(
    copilot.diagnostics.map((diagnostic) => [diagnostic.severity, diagnostic.code, at(diagnostic.location)]),
    [
      ['warning', 'yaml-quirk', 'FileOutputs.yml:13:11'],
      ['warning', 'yaml-quirk', 'FileOutputs.yml:23:15'],
      ['warning', 'yaml-quirk', 'ListContacts.yaml:15:17'],
      ['warning', 'yaml-quirk', 'ListContacts.yaml:20:11'],
      ['warning', 'missing-dialog-target', 'FileOutputs.yml:21:7'],
    ],
  );
  assert.match(copilot.diagnostics[0]!.message, /\(2 places; the first is shown\)/);
  assert.deepEqual(copilot.components.map((component) => [component.file, component.status]), [['README.md', 'ignored']]);
});

test('an agent uses the component collection its references.mcs.yml points to', () => {
  const copilot = loadCopilot(fixture('collection-workspace', 'Agent One'));
  assert.deepEqual(copilot.topics.map((topic) => [topic.schemaName, topic.displayName, topic.file]), [
    ['cr777_agentOne.topic.Greeting', 'Greeting', 'topics/Greeting.mcs.yml'],
    ['cr777_agentOne.topic.CC_Shared', 'Shared hours', '../SharedTopics/topics/cr777_agentOne.topic.CC_Shared.mcs.yml'],
  ]);
  assert.equal(resolveDialogReference(copilot, 'cr777_agentOne.topic.CC_Shared')?.displayName, 'Shared hours');
  assert.deepEqual(copilot.diagnostics, []);
  assert.equal(copilot.components.find((component) => component.file === 'references.mcs.yml')?.status, 'loaded');
});

test('discoverCopilots lists every loadable unit of the fixtures', () => {
  const units = discoverCopilots(FIXTURES).map((unit) => path.relative(FIXTURES, unit));
  assert.deepEqual(units, [
    'Contoso Support',
    'broken-agent',
    'cli-agent',
    path.join('collection-workspace', 'Agent One'),
    path.join('collection-workspace', 'SharedTopics'),
    'managed-with-local-edits',
    'quirky-topics',
    'solution-managed',
  ].sort());
});

test('a folder of folders loads as empty topic files with a hint, and a missing path is a diagnostic, not a throw', () => {
  const parent = loadCopilot(fixture('collection-workspace'));
  assert.equal(parent.topics.length, 0);
  assert.deepEqual(parent.components.map((component) => [component.kind, component.file]), [
    ['Folder', 'Agent One'],
    ['Folder', 'SharedTopics'],
  ]);
  assert.deepEqual(parent.diagnostics.map((diagnostic) => diagnostic.code), ['no-topics']);
  assert.match(parent.diagnostics[0]!.message, /discoverCopilots/);

  const missing = loadCopilot(fixture('does-not-exist'));
  assert.equal(missing.topics.length, 0);
  assert.deepEqual(missing.diagnostics.map((diagnostic) => [diagnostic.severity, diagnostic.code]), [['error', 'unreadable-file']]);
  assert.match(missing.diagnostics[0]!.message, /^Failed to open .*does-not-exist: /);
});
