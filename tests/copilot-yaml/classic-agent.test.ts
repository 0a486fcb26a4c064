import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadCopilot, locationOf, locationOfKey, nodeKinds, resolveDialogReference, type LoadedTopic } from '../../src/copilot/yaml';
import { at, filesUnder, fixture, positionIn } from './fixture-paths';

type Tree = Record<string, any>;

const AGENT = fixture('Contoso Support');
const copilot = loadCopilot(AGENT);

function topic(shortName: string): LoadedTopic {
  const found = copilot.topics.find((candidate) => candidate.shortName === shortName);
  assert.ok(found, `topic ${shortName} was loaded`);
  return found;
}

test('the fixture keeps its byte-level quirks (BOM settings, CRLF topic)', () => {
  const settings = fs.readFileSync(path.join(AGENT, 'settings.mcs.yml'));
  assert.deepEqual([...settings.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
  assert.ok(settings.includes('\r\n'));
  assert.ok(fs.readFileSync(path.join(AGENT, 'topics', 'Escalate.topic.mcs.yml')).includes('\r\n'));
});

test('an agent folder with a space in its name loads as the classic layout, named by settings.mcs.yml', () => {
  assert.equal(copilot.layout, 'classic');
  assert.equal(copilot.root, AGENT);
  assert.equal(copilot.schemaName, 'cr123_contosoSupport');
  assert.equal(copilot.displayName, 'Contoso Support');
  assert.equal((copilot.settings['configuration'] as Tree)['settings']['GenerativeActionsEnabled'], false);
  assert.equal(copilot.agent?.['kind'], 'GptComponentMetadata');
});

test('topics are named <bot>.topic.<ShortName>, also from .topic.mcs.yml and .mcs.yaml file names', () => {
  assert.deepEqual(
    copilot.topics.map((loaded) => [loaded.schemaName, loaded.file]),
    [
      ['cr123_contosoSupport.topic.EndofConversation', 'topics/EndofConversation.mcs.yml'],
      ['cr123_contosoSupport.topic.Escalate', 'topics/Escalate.topic.mcs.yml'],
      ['cr123_contosoSupport.topic.Goodbye', 'topics/Goodbye.mcs.yaml'],
      ['cr123_contosoSupport.topic.Greeting', 'topics/Greeting.mcs.yml'],
      ['cr123_contosoSupport.topic.OrderStatus', 'topics/OrderStatus.mcs.yml'],
    ],
  );
});

test('display names come from mcs.metadata, the # Name comment header, or the intent', () => {
  assert.equal(topic('Greeting').displayName, 'Greeting');
  assert.equal(topic('Greeting').description, 'Welcomes the customer when the conversation starts.');
  assert.equal(topic('Escalate').displayName, 'Talk to a person');
  assert.equal(topic('Escalate').description, 'Hands the conversation to a live agent in Dynamics 365 Customer Service.');
  assert.equal(topic('OrderStatus').displayName, 'Order status');
});

test('the dialog is the YAML as written, without the file-only mcs.metadata header', () => {
  const greeting = topic('Greeting').dialog as Tree;
  assert.equal('mcs.metadata' in greeting, false);
  assert.equal(greeting['beginDialog']['actions'][0]['activity']['text'][0], "Hello, I'm {System.Bot.Name}. How can I help?");

  const escalate = topic('Escalate').dialog as Tree;
  assert.equal(escalate['startBehavior'], 'CancelOtherTopics');
  assert.equal(escalate['beginDialog']['kind'], 'OnEscalate');
  const [group, transfer] = escalate['beginDialog']['actions'];
  assert.equal(group['conditions'][0]['condition'], '=Global.CustomerTier = "Gold"');
  assert.equal(group['elseActions'][0]['activity'], 'Connecting you to the next available agent.\nPlease stay in this chat.');
  assert.equal(transfer['transferType']['messageToAgent'], '="Customer tier " & Global.CustomerTier');

  const order = topic('OrderStatus').dialog as Tree;
  assert.deepEqual(order['beginDialog']['intent']['triggerQueries'], ['Where is my order', 'Yes']);
  assert.equal(order['beginDialog']['actions'][0]['defaultValue'], '0042');
  assert.equal(order['beginDialog']['actions'][0]['repeatCount'], 2);
});

test('every node can be located in its CRLF file, and a property value too', () => {
  const escalate = topic('Escalate');
  const file = path.join(AGENT, escalate.file);
  const [group, transfer] = (escalate.dialog as Tree)['beginDialog']['actions'];
  const transferKind = positionIn(file, 'kind: TransferConversationV2');
  assert.deepEqual(locationOf(transfer), { file: 'topics/Escalate.topic.mcs.yml', ...transferKind });
  const conditionItem = group['conditions'][0];
  const idKey = positionIn(file, 'id: conditionItem_gold01');
  assert.deepEqual(locationOf(conditionItem), { file: 'topics/Escalate.topic.mcs.yml', ...idKey });
  const formula = positionIn(file, '=Global.CustomerTier');
  assert.deepEqual(locationOfKey(conditionItem, 'condition'), { file: 'topics/Escalate.topic.mcs.yml', ...formula });
  const trigger = positionIn(file, 'kind: OnEscalate');
  assert.deepEqual(locationOf((escalate.dialog as Tree)['beginDialog']), { file: 'topics/Escalate.topic.mcs.yml', ...trigger });
});

test('nodeKinds walks actions, elseActions and condition actions in file order', () => {
  const nodes = nodeKinds(topic('Escalate'));
  assert.deepEqual(
    nodes.map((node) => [node.kind, node.id]),
    [
      ['ConditionGroup', 'conditionGroup_tier01'],
      ['SendActivity', 'sendMessage_gold01'],
      ['SendActivity', 'sendMessage_std01'],
      ['TransferConversationV2', 'transfer_agent01'],
    ],
  );
  const lines = nodes.map((node) => node.location.line);
  assert.deepEqual(lines, [...lines].sort((a, b) => a - b));
  assert.equal(at(nodes[1]?.location), `topics/Escalate.topic.mcs.yml:${positionIn(path.join(AGENT, 'topics/Escalate.topic.mcs.yml'), 'kind: SendActivity').line}:15`);
});

test('dialog references resolve by schema name, short name, file stem and <stem>.topic, without case', () => {
  assert.equal(resolveDialogReference(copilot, 'cr123_contosoSupport.topic.Escalate')?.file, 'topics/Escalate.topic.mcs.yml');
  assert.equal(resolveDialogReference(copilot, 'CR123_CONTOSOSUPPORT.TOPIC.escalate')?.file, 'topics/Escalate.topic.mcs.yml');
  assert.equal(resolveDialogReference(copilot, 'Escalate.topic')?.file, 'topics/Escalate.topic.mcs.yml');
  assert.equal(resolveDialogReference(copilot, 'otherbot_x.topic.Greeting')?.file, 'topics/Greeting.mcs.yml');
  assert.equal(resolveDialogReference(copilot, 'cr123_contosoSupport.topic.Nothing'), undefined);
  assert.equal(resolveDialogReference(copilot, '=Topic.Next'), undefined);
});

test('every file of the folder is a topic or a component with a status, and ignored ones say why', () => {
  const accounted = new Set([...copilot.topics.map((loaded) => loaded.file), ...copilot.components.map((component) => component.file)]);
  for (const file of filesUnder(AGENT)) {
    assert.ok(accounted.has(file.startsWith('.mcs/') ? '.mcs' : file), `${file} is accounted for`);
  }
  const byFile = new Map(copilot.components.map((component) => [component.file, component]));
  assert.equal(byFile.get('actions/LookupOrder.mcs.yml')?.status, 'ignored');
  assert.match(byFile.get('actions/LookupOrder.mcs.yml')?.reason ?? '', /does not call them/);
  assert.equal(byFile.get('knowledge/Website.mcs.yml')?.kind, 'KnowledgeSourceConfiguration');
  assert.match(byFile.get('translations/Greeting.fr-FR.mcs.yml')?.reason ?? '', /translated topics/);
  assert.equal(byFile.get('.mcs')?.kind, 'CloudCache');
  assert.equal(byFile.get('entities/Product.mcs.yml')?.status, 'loaded');
  assert.deepEqual(byFile.get('entities/Product.mcs.yml')?.data?.['items'], [
    { id: 'laptop', displayName: 'Laptop' },
    { id: 'phone', displayName: 'Phone' },
  ]);
});

test('global variables come from variables/, with their settings', () => {
  assert.deepEqual(copilot.globalVariables, [
    { name: 'CustomerTier', file: 'variables/CustomerTier.mcs.yml', settings: { scope: 'Conversation', aIVisibility: 'Hidden' } },
  ]);
});

test('an unknown root kind is ignored with a located warning, and the folder has no errors', () => {
  assert.deepEqual(
    copilot.diagnostics.map((diagnostic) => [diagnostic.severity, diagnostic.code, at(diagnostic.location)]),
    [['warning', 'unknown-root-kind', 'settings/Moderation.mcs.yml:1:1']],
  );
  assert.match(copilot.diagnostics[0]?.message ?? '', /FutureModerationSettings/);
});

test('a single topic file loads on its own; a redirect out of it is only a warning there', () => {
  const single = loadCopilot(path.join(AGENT, 'topics', 'EndofConversation.mcs.yml'));
  assert.equal(single.layout, 'single-topic');
  assert.equal(single.root, path.join(AGENT, 'topics'));
  assert.equal(single.schemaName, 'cr123_contosoSupport', 'inferred from the redirect it makes');
  assert.deepEqual(single.topics.map((loaded) => [loaded.schemaName, loaded.file]), [
    ['cr123_contosoSupport.topic.EndofConversation', 'EndofConversation.mcs.yml'],
  ]);
  assert.deepEqual(
    single.diagnostics.map((diagnostic) => [diagnostic.severity, diagnostic.code, diagnostic.nodeId]),
    [['warning', 'missing-dialog-target', 'beginDialog_escalate01']],
  );
});
