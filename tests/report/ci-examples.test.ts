import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import type { Command } from 'commander';
import { parseDocument } from 'yaml';
import { createProgram } from '../../src/cli';

const root = path.join(__dirname, '..', '..');
const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');

function load(file: string): Record<string, unknown> {
  const document = parseDocument(fs.readFileSync(path.join(root, 'examples', 'ci', file), 'utf8'));
  assert.deepEqual(document.errors.map((e) => e.message), [], `${file} is valid YAML`);
  return document.toJS() as Record<string, unknown>;
}

/** Every object in a YAML tree, depth first: steps, tasks and their inputs. */
function walk(node: unknown, visit: (value: Record<string, unknown>) => void): void {
  if (Array.isArray(node)) node.forEach((item) => walk(item, visit));
  else if (node && typeof node === 'object') {
    visit(node as Record<string, unknown>);
    Object.values(node).forEach((item) => walk(item, visit));
  }
}

function commands(pipeline: Record<string, unknown>, key: 'run' | 'script'): string[] {
  const found: string[] = [];
  walk(pipeline, (value) => {
    if (typeof value[key] === 'string') found.push(value[key] as string);
  });
  return found;
}

/** `npx handoff report merge a b --out c` names a command of our CLI, and only options it has. */
function assertRealHandoffCommand(line: string): void {
  const words = line.trim().split(/\s+/).slice(2);
  let command: Command = createProgram();
  while (words.length > 0 && !words[0]!.startsWith('-')) {
    const sub = command.commands.find((c) => c.name() === words[0]);
    if (!sub) break;
    command = sub;
    words.shift();
  }
  assert.notEqual(command.name(), 'handoff', `${line}: names a command of handoff`);
  for (const word of words.filter((w) => w.startsWith('--'))) {
    assert.ok(command.options.some((option) => option.long === word), `${line}: "${word}" is an option of "handoff ${command.name()}"`);
  }
}

test("the README's commands are the ones the examples run", () => {
  assert.ok(readme.includes('npm ci && npm test'));
  assert.ok(readme.includes('npx handoff run'));
});

test('the GitHub Actions example runs `npm ci && npm test` on Node 20, publishes the JUnit XML and keeps the HTML reports', () => {
  const workflow = load('github-actions.yml');
  const jobs = workflow['jobs'] as Record<string, { steps: Array<Record<string, unknown>> }>;
  const test = jobs['test']!.steps;
  assert.ok(test.some((step) => step['run'] === 'npm ci && npm test'));
  assert.ok(test.some((step) => String(step['uses']).startsWith('actions/setup-node') && (step['with'] as Record<string, unknown>)['node-version'] === 20));
  const junit = test.find((step) => String(step['uses']).startsWith('mikepenz/action-junit-report'));
  assert.equal((junit?.['with'] as Record<string, unknown>)['report_paths'], 'reports/features/junit.xml');
  const upload = test.find((step) => String(step['uses']).startsWith('actions/upload-artifact'));
  assert.match(String((upload?.['with'] as Record<string, unknown>)['path']), /reports\/features\//);
  for (const step of [junit, upload]) assert.equal(step?.['if'], '${{ !cancelled() }}', 'published when scenarios fail too');
  const handoff = commands(workflow, 'run').filter((line) => line.startsWith('npx handoff'));
  assert.ok(handoff.some((line) => line.includes('--shard ${{ matrix.shard }}/3')));
  assert.ok(handoff.some((line) => line.startsWith('npx handoff report merge')));
  handoff.forEach(assertRealHandoffCommand);
});

test('the Azure Pipelines example runs `npm ci && npm test`, publishes the JUnit XML to the Tests tab and keeps the reports', () => {
  const pipeline = load('azure-pipelines.yml');
  assert.ok(commands(pipeline, 'script').includes('npm ci && npm test'));
  const tasks: Array<Record<string, unknown>> = [];
  walk(pipeline, (value) => {
    if (typeof value['task'] === 'string') tasks.push(value);
  });
  const publish = tasks.find((t) => t['task'] === 'PublishTestResults@2');
  assert.deepEqual(
    { format: (publish?.['inputs'] as Record<string, unknown>)['testResultsFormat'], files: (publish?.['inputs'] as Record<string, unknown>)['testResultsFiles'], condition: publish?.['condition'] },
    { format: 'JUnit', files: 'reports/features/junit.xml', condition: 'succeededOrFailed()' },
  );
  const artifact = tasks.find((t) => t['task'] === 'PublishPipelineArtifact@1');
  assert.equal((artifact?.['inputs'] as Record<string, unknown>)['targetPath'], 'reports');
  assert.ok(tasks.some((t) => t['task'] === 'UseNode@1' && (t['inputs'] as Record<string, unknown>)['version'] === '20.x'));
  const handoff = commands(pipeline, 'script').filter((line) => line.startsWith('npx handoff'));
  assert.ok(handoff.some((line) => line.includes('--shard $(System.JobPositionInPhase)/$(System.TotalJobsInPhase)')));
  handoff.forEach(assertRealHandoffCommand);
});

test('the JUnit path the examples publish is where `npm test` writes the feature reports', () => {
  const script = fs.readFileSync(path.join(root, 'scripts', 'test.js'), 'utf8');
  assert.match(script, /const out = path\.join\(reports, 'features'\);/);
  assert.match(script, /'run', '--reports', out\]/);
});
