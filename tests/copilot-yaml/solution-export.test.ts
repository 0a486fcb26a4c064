import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { zipSync } from 'fflate';
import { discoverCopilots, loadCopilot, locationOf, unmanagedOverManaged, type LoadedCopilot } from '../../src/copilot/yaml';
import { at, filesUnder, fixture, positionIn, temporaryFolder } from './fixture-paths';

type Tree = Record<string, any>;

const SOLUTION = fixture('solution-managed');
const folderCopilot = loadCopilot(SOLUTION);

/** Zips a fixture folder with fflate, optionally under one top folder, and returns the zip's path. */
function zipFolder(folder: string, topFolder = ''): string {
  const entries: Record<string, Uint8Array> = {};
  for (const file of filesUnder(folder)) entries[`${topFolder}${file}`] = new Uint8Array(fs.readFileSync(path.join(folder, file)));
  const target = path.join(temporaryFolder('solution-zip'), `${path.basename(folder)}.zip`);
  fs.writeFileSync(target, zipSync(entries));
  return target;
}

function summary(copilot: LoadedCopilot) {
  return copilot.topics.map((topic) => ({
    schemaName: topic.schemaName,
    displayName: topic.displayName,
    file: topic.file,
    state: topic.state,
    dialog: topic.dialog,
  }));
}

test('a managed solution folder gives the solution name, version, managed flag and its bot', () => {
  assert.equal(folderCopilot.layout, 'solution');
  assert.deepEqual(folderCopilot.solution, {
    uniqueName: 'ContosoSupport',
    displayName: 'Contoso Support & Returns',
    version: '1.2.0.0',
    managed: true,
    file: 'solution.xml',
    publisher: 'contoso',
    bots: [{ schemaName: 'cr123_contosoSupport', displayName: 'Contoso Support', file: 'bots/cr123_contosoSupport/bot.xml' }],
  });
  assert.equal(folderCopilot.schemaName, 'cr123_contosoSupport');
  assert.equal(folderCopilot.displayName, 'Contoso Support');
  assert.equal(folderCopilot.settings['language'], 1033);
  assert.equal((folderCopilot.settings['configuration'] as Tree)['settings']['GenerativeActionsEnabled'], false);
});

test('topics come from botcomponents/<schema>.topic.<Name>/data with botcomponent.xml names and states', () => {
  assert.deepEqual(
    folderCopilot.topics.map((topic) => [topic.schemaName, topic.shortName, topic.displayName, topic.state, topic.customizable]),
    [
      ['cr123_contosoSupport.topic.Escalate', 'Escalate', 'Escalate', 'active', false],
      ['cr123_contosoSupport.topic.Goodbye', 'Goodbye', 'Goodbye', 'inactive', false],
      ['cr123_contosoSupport.topic.Greeting', 'Greeting', 'Conversation Start', 'active', true],
    ],
  );
  const escalate = folderCopilot.topics[0]!;
  assert.equal(escalate.file, 'botcomponents/cr123_contosoSupport.topic.Escalate/data');
  const redirect = (escalate.dialog as Tree)['beginDialog']['actions'][1];
  assert.equal(redirect['dialog'], 'cr123_contosoSupport.topic.Goodbye');
  assert.equal(at(locationOf(redirect)), `${escalate.file}:${positionIn(path.join(SOLUTION, escalate.file), 'kind: BeginDialog').line}:7`);
});

test('other solution components are loaded or ignored with a reason: translation, tool, skill, variable, agent', () => {
  const byFile = new Map(folderCopilot.components.map((component) => [component.file, component]));
  const translation = byFile.get('botcomponents/cr123_contosoSupport.topic.Greeting.fr-FR/data');
  assert.equal(translation?.status, 'ignored');
  assert.match(translation?.reason ?? '', /translation of cr123_contosoSupport\.topic\.Greeting/);
  const tool = byFile.get('botcomponents/cr123_contosoSupport.topic.OrderTool/data');
  assert.deepEqual([tool?.kind, tool?.status], ['TaskDialog', 'ignored']);
  const skill = byFile.get('botcomponents/cr123_contosoSupport.skill.HandoffSkill/data');
  assert.deepEqual([skill?.kind, skill?.status, skill?.schemaName], ['SkillDefinition', 'loaded', 'cr123_contosoSupport.skill.HandoffSkill']);
  assert.equal((skill?.data as Tree | undefined)?.['actions'][0]['actionId'], 'startConversation');
  const endpoint = folderCopilot.components.find((component) => component.kind === 'EnvironmentVariableDefinition');
  assert.equal(endpoint?.data?.['defaultValue'], 'https://handoff.contoso.example/api/messages');
  assert.deepEqual(folderCopilot.globalVariables.map((variable) => [variable.name, variable.settings]), [['CustomerTier', { scope: 'Conversation' }]]);
  assert.equal(folderCopilot.agent?.['instructions'], 'Help Contoso customers.');
  assert.deepEqual(folderCopilot.diagnostics, []);
});

test('the same solution zipped with fflate loads the same topics, located in the zip', () => {
  const zip = zipFolder(SOLUTION);
  const zipped = loadCopilot(zip);
  assert.equal(zipped.layout, 'solution');
  assert.equal(zipped.root, zip);
  assert.deepEqual(summary(zipped), summary(folderCopilot));
  assert.deepEqual(zipped.solution, folderCopilot.solution);
  const redirect = (zipped.topics[0]!.dialog as Tree)['beginDialog']['actions'][1];
  assert.deepEqual(locationOf(redirect), locationOf((folderCopilot.topics[0]!.dialog as Tree)['beginDialog']['actions'][1]));
});

test('a zip holding the solution under one top folder uses that folder as root', () => {
  const zip = zipFolder(SOLUTION, 'ContosoSupport_1_2_0_0_managed/');
  const zipped = loadCopilot(zip);
  assert.equal(zipped.root, `${zip}!/ContosoSupport_1_2_0_0_managed`);
  assert.deepEqual(summary(zipped), summary(folderCopilot));
});

test('discoverCopilots finds solution zips next to loose topic files', () => {
  const zip = zipFolder(SOLUTION);
  const folder = path.dirname(zip);
  fs.writeFileSync(path.join(folder, 'Loose.mcs.yml'), 'kind: AdaptiveDialog\nbeginDialog:\n  kind: OnConversationStart\n  id: main\n');
  fs.writeFileSync(path.join(folder, 'notes.zip'), zipSync({ 'readme.txt': new Uint8Array([104, 105]) }));
  assert.deepEqual(discoverCopilots(folder), [folder, zip].sort());
});

const LOCAL_EDITS = fixture('managed-with-local-edits');

test('loose topics beside a managed solution form an unmanaged layer above it', () => {
  const copilot = loadCopilot(LOCAL_EDITS);
  assert.deepEqual(
    copilot.layers?.map((layer) => [layer.name, layer.managed, layer.origin, layer.components.map((component) => component.schemaName)]),
    [
      ['HelpdeskManaged', true, 'solution', ['cr456_helpdesk.topic.Escalate', 'cr456_helpdesk.topic.Greeting']],
      ['loose files', false, 'loose-files', ['cr456_helpdesk.topic.Escalate', 'cr456_helpdesk.topic.Extra']],
    ],
  );
  assert.deepEqual(unmanagedOverManaged(copilot), [
    {
      schemaName: 'cr456_helpdesk.topic.Escalate',
      kind: 'AdaptiveDialog',
      managedLayer: 'HelpdeskManaged',
      unmanagedLayer: 'loose files',
      location: { file: 'topics/Escalate.mcs.yml', line: 1, column: 1 },
      managedFile: 'botcomponents/cr456_helpdesk.topic.Escalate/data',
      customizable: false,
    },
  ]);
});

test('the top (unmanaged) layer is the topic that runs, and the overridden one is listed, not silently dropped', () => {
  const copilot = loadCopilot(LOCAL_EDITS);
  const escalate = copilot.topics.filter((topic) => topic.schemaName === 'cr456_helpdesk.topic.Escalate');
  assert.equal(escalate.length, 1);
  assert.equal(escalate[0]?.layer, 'loose files');
  assert.equal((escalate[0]?.dialog as Tree)['beginDialog']['actions'][0]['activity'], 'An edit made directly in production.');
  const overridden = copilot.components.find((component) => component.file === 'botcomponents/cr456_helpdesk.topic.Escalate/data');
  assert.equal(overridden?.status, 'ignored');
  assert.match(overridden?.reason ?? '', /overridden by topics\/Escalate\.mcs\.yml/);
  assert.deepEqual(copilot.diagnostics.filter((diagnostic) => diagnostic.severity === 'error'), []);
});

test('the same loose files over an unmanaged solution are not reported, and a plain managed solution has one layer', () => {
  const copy = temporaryFolder('unmanaged-solution');
  for (const file of filesUnder(LOCAL_EDITS)) {
    fs.mkdirSync(path.dirname(path.join(copy, file)), { recursive: true });
    fs.copyFileSync(path.join(LOCAL_EDITS, file), path.join(copy, file));
  }
  const manifest = path.join(copy, 'solution.xml');
  fs.writeFileSync(manifest, fs.readFileSync(manifest, 'utf8').replace('<Managed>1</Managed>', '<Managed>0</Managed>'));
  const unmanaged = loadCopilot(copy);
  assert.equal(unmanaged.solution?.managed, false);
  assert.equal(unmanaged.layers?.length, 2);
  assert.deepEqual(unmanagedOverManaged(unmanaged), []);

  assert.equal(folderCopilot.layers?.length, 1);
  assert.deepEqual(unmanagedOverManaged(folderCopilot), []);
});
