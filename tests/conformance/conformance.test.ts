import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { test } from 'node:test';
import { runConformance, sampleAnswer } from '../../src/conformance/conformance';
import { intentTopic, writeAgent } from '../copilot/support/session-driver';

const root = path.resolve(__dirname, '..', '..');

/** A folder with one copilot: runnable topics, an unsupported node, an unknown function, a question loop and a file that is not YAML. */
function corpus(): string {
  return writeAgent({
    Greeting: 'kind: AdaptiveDialog\nbeginDialog:\n  kind: OnConversationStart\n  id: main\n  actions:\n    - kind: SendActivity\n      id: hello\n      activity: Hello {System.Bot.Name}\n',
    Ask: intentTopic(
      'ask',
      '    - kind: Question\n      id: qNumber\n      variable: Topic.N\n      prompt: How many?\n      entity: NumberPrebuiltEntity\n    - kind: Question\n      id: qSure\n      variable: Topic.Sure\n      prompt: Sure?\n      entity: BooleanPrebuiltEntity\n    - kind: InvokeFlowAction\n      id: flow\n      flowId: 00000000-0000-0000-0000-000000000042\n    - kind: HttpRequestAction\n      id: http\n      url: https://api.contoso.test/x\n      response: Topic.R\n',
    ),
    Mcp: intentTopic('mcp', '    - kind: InvokeMcpToolAction\n      id: mcp_node\n'),
    Fancy: intentTopic('fancy', '    - kind: SetVariable\n      id: fancy_set\n      variable: Topic.X\n      value: =Magic(1)\n'),
    Loop: intentTopic('loop', '    - kind: Question\n      id: again\n      variable: Topic.A\n      alwaysPrompt: true\n      prompt: Again?\n      entity: BooleanPrebuiltEntity\n    - kind: GotoAction\n      id: back\n      actionId: again\n'),
    Broken: 'kind: AdaptiveDialog\nbeginDialog:\n  kind: OnRecognizedIntent\n   id: main\n',
  });
}

test('conformance loads every topic file, smoke-runs each topic, and names why the rest did not run', async () => {
  const report = await runConformance(corpus());
  assert.equal(report.topicFiles, 6);
  assert.equal(report.loadedFiles, 5);
  assert.equal(report.notLoaded.length, 1);
  assert.match(report.notLoaded[0]!.reason, /topics\/Broken\.mcs\.yml:\d+:\d+/);
  assert.equal(report.topics, 5);
  assert.equal(report.ranToEnd, 2, 'the greeting and the questions-flow-HTTP topic run to their end');
  assert.deepEqual(report.unsupportedKinds, { InvokeMcpToolAction: 1 });
  assert.deepEqual(Object.keys(report.unsupportedFunctions), ['Magic']);
  const reasons = report.notRunToEnd.map((entry) => `${entry.topic}: ${entry.reason}`).sort();
  assert.equal(reasons.length, 3);
  assert.match(reasons[0]!, /^Fancy: .*fancy_set .*topics\/Fancy\.mcs\.yml:\d+:\d+/);
  assert.match(reasons[1]!, /^Loop: Topic "Loop" still waits at node again after 25 generated answers/);
  assert.match(reasons[2]!, /^Mcp: Topic "Mcp" stopped at node mcp_node \(.*topics\/Mcp\.mcs\.yml:9:7\): the node kind "InvokeMcpToolAction" is not supported/);
  assert.ok(Object.keys(report.errorsByFile).some((file) => file.endsWith('Broken.mcs.yml')));
});

test('smoke answers are what each entity recognizes', () => {
  assert.equal(sampleAnswer({ kind: 'question', topic: 't', nodeId: 'q', entity: 'BooleanPrebuiltEntity' }), 'yes');
  assert.equal(sampleAnswer({ kind: 'question', topic: 't', nodeId: 'q', entity: { kind: 'EmailPrebuiltEntity' } }), 'smoke@contoso.com');
  assert.equal(sampleAnswer({ kind: 'question', topic: 't', nodeId: 'q', entity: { kind: 'EmbeddedEntity', definition: { items: [{ id: 'a', displayName: 'Alpha' }] } } }), 'Alpha');
  assert.equal(sampleAnswer({ kind: 'card', topic: 't', nodeId: 'c', entity: undefined }), '{"submitted": true}');
});

test('handoff conformance prints the figures and the reasons', () => {
  const folder = corpus();
  const result = spawnSync(process.execPath, [path.join(root, 'bin', 'handoff.js'), 'conformance', folder], { cwd: root, encoding: 'utf8' });
  assert.equal(result.status, 0, result.stderr);
  assert.match(result.stdout, /topic files loaded: {4}5 of 6 \(83\.3%; target 98%\)/);
  assert.match(result.stdout, /topics run to the end: 2 of 5 \(40\.0%; target 90%\)/);
  assert.match(result.stdout, /Unsupported node kinds \(nodes in loaded topics\):\n +1 {2}InvokeMcpToolAction/);
  assert.match(result.stdout, /Unsupported Power Fx functions \(calls in loaded topics\):\n +1 {2}Magic/);
  assert.match(result.stdout, /Errors by file: \d+ files/);
});
