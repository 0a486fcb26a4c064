/**
 * How well the loader reads real exports. Run:
 *
 *   node -r ts-node/register/transpile-only bench/corpus/topics.ts ../shared/corpus/topics
 *
 * Prints the units discoverCopilots finds, the topic files under the folder (counted from the raw
 * text, independently of the loader), how many of them loaded as topics, each one that did not
 * with its located reason, node kinds by count and diagnostics by code. Figures only; it asserts
 * nothing.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { discoverCopilots } from '../../src/copilot/yaml/discover-copilots';
import { nodeKinds } from '../../src/copilot/yaml/dialog-walk';
import { loadCopilot } from '../../src/copilot/yaml/load-copilot';
import { formatLocation } from '../../src/copilot/yaml/source-locations';
import { decodeText } from '../../src/copilot/yaml/source-tree';
import type { LoadedCopilot } from '../../src/copilot/yaml/types';

const ROOT_KIND_LINE = /^kind:[ \t]*(\S+)[ \t]*\r?$/m;

function main(folder: string): void {
  const root = path.resolve(folder);
  const started = performance.now();
  const units = discoverCopilots(root);
  const discovered = performance.now();

  const loads: LoadedCopilot[] = [];
  let loadMs = 0;
  for (const unit of units) {
    const before = performance.now();
    const copilot = loadCopilot(unit);
    loads.push(copilot);
    for (const bot of copilot.solution?.bots ?? []) {
      if (bot.schemaName.toLowerCase() !== copilot.schemaName.toLowerCase()) loads.push(loadCopilot(unit, { bot: bot.schemaName }));
    }
    loadMs += performance.now() - before;
  }

  const topicFiles = findTopicFiles(root);
  const loaded = new Map<string, { copilot: LoadedCopilot; index: number }>();
  loads.forEach((copilot) =>
    copilot.topics.forEach((topic, index) => loaded.set(path.join(copilot.root, topic.file), { copilot, index })),
  );

  const layouts = new Map<string, number>();
  for (const copilot of loads) layouts.set(copilot.layout, (layouts.get(copilot.layout) ?? 0) + 1);
  console.log(`Corpus: ${root}`);
  console.log(`Units found: ${units.length} (${loads.length} copilots loaded: ${[...layouts].map(([layout, n]) => `${n} ${layout}`).join(', ')})`);
  console.log(`Topic files found (raw text: root kind AdaptiveDialog, or a topic position without a kind): ${topicFiles.length}`);
  const loadedCount = topicFiles.filter((file) => loaded.has(file)).length;
  const percent = topicFiles.length ? ((100 * loadedCount) / topicFiles.length).toFixed(1) : '0';
  console.log(`Topic files loaded as topics: ${loadedCount} (${percent}%)`);
  console.log(`Topics loaded in all: ${loaded.size}`);

  const failing = topicFiles.filter((file) => !loaded.has(file));
  console.log(`\nTopic files not loaded: ${failing.length}`);
  for (const file of failing) console.log(`  ${path.relative(root, file)}: ${reasonFor(file, loads)}`);

  const kinds = new Map<string, number>();
  for (const { copilot, index } of loaded.values()) {
    const topic = copilot.topics[index];
    if (!topic) continue;
    for (const node of nodeKinds(topic)) kinds.set(node.kind || '(no kind)', (kinds.get(node.kind || '(no kind)') ?? 0) + 1);
  }
  console.log(`\nNode kinds (actions at any depth, ${[...kinds.values()].reduce((a, b) => a + b, 0)} nodes):`);
  for (const [kind, count] of [...kinds].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))) console.log(`  ${String(count).padStart(5)}  ${kind}`);

  const codes = new Map<string, number>();
  for (const copilot of loads) {
    for (const diagnostic of copilot.diagnostics) {
      const key = `${diagnostic.severity} ${diagnostic.code}`;
      codes.set(key, (codes.get(key) ?? 0) + 1);
    }
  }
  console.log('\nDiagnostics by code:');
  for (const [code, count] of [...codes].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))) console.log(`  ${String(count).padStart(5)}  ${code}`);

  const ignored = new Map<string, number>();
  for (const copilot of loads) {
    for (const component of copilot.components) {
      const key = `${component.status} ${component.kind}`;
      ignored.set(key, (ignored.get(key) ?? 0) + 1);
    }
  }
  console.log('\nComponents by status and kind:');
  for (const [key, count] of [...ignored].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))) console.log(`  ${String(count).padStart(5)}  ${key}`);

  console.log(`\nTime: discovery ${(discovered - started).toFixed(0)} ms, loading ${loadMs.toFixed(0)} ms (${loads.length} copilots)`);
}

/** Topic files judged from their text alone, so the loader's own view does not decide the denominator. */
function findTopicFiles(root: string): string[] {
  const found: string[] = [];
  const walk = (directory: string) => {
    for (const entry of fs.readdirSync(directory, { withFileTypes: true })) {
      const full = path.join(directory, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== '.git' && entry.name !== 'node_modules') walk(full);
        continue;
      }
      if (!/\.ya?ml$/i.test(entry.name) && !/^data(\.ya?ml)?$/i.test(entry.name)) continue;
      const text = decodeText(fs.readFileSync(full));
      const rootKind = ROOT_KIND_LINE.exec(text)?.[1];
      const inTopicPosition = /(^|[\\/])topics[\\/]/i.test(path.relative(root, full)) || /\.topic\./i.test(path.basename(directory));
      if (rootKind === 'AdaptiveDialog' || (rootKind === undefined && inTopicPosition)) found.push(full);
    }
  };
  walk(root);
  return found.sort();
}

function reasonFor(file: string, loads: readonly LoadedCopilot[]): string {
  for (const copilot of loads) {
    const relative = path.relative(copilot.root, file).split(path.sep).join('/');
    if (relative.startsWith('..')) continue;
    const error = copilot.diagnostics.find((diagnostic) => diagnostic.location.file === relative && diagnostic.severity === 'error');
    if (error) return `${formatLocation({ ...error.location, file: path.basename(file) })} ${error.code}: ${error.message.split('. ')[0]?.replace(/^.*?: /, '')}`;
    const component = copilot.components.find((candidate) => candidate.file === relative);
    if (component) return `${component.status} as ${component.kind}: ${component.reason ?? ''}`;
  }
  return 'not inside any unit discoverCopilots found';
}

const folder = process.argv[2];
if (!folder) {
  console.error(
    'bench/corpus/topics.ts needs a folder. It measures how many topic files under that folder load. ' +
      'Run: node -r ts-node/register/transpile-only bench/corpus/topics.ts ../shared/corpus/topics',
  );
  process.exitCode = 2;
} else {
  main(folder);
}
