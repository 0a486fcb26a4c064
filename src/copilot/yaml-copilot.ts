import * as fs from 'node:fs';
import * as path from 'node:path';
import { ScenarioError } from '../sim/errors';
import type { AdaptiveDialog, CopilotDefinition, TopicDefinition } from './copilot-definition';
import type { CopilotFixtures } from './copilot-fixtures';
import { actionKindStatus, schemaTriggerKinds } from './node-kinds';
import type { SourceLocation } from './powerfx';
import { formatLocation, loadCopilot, locationOf, locationOfKey, nodeKinds, type Diagnostic, type LoadedCopilot } from './yaml';

/**
 * From a loaded export (src/copilot/yaml) to the shape the runtime runs (CopilotDefinition), with
 * every node locatable, so that a runtime message names the file, line and column of the node.
 */

/** A problem found while turning a loaded copilot into a runnable one; the loader's diagnostics plus node kinds. */
export interface CopilotProblem {
  severity: 'error' | 'warning';
  code: string;
  /** Three sentences: what failed, why, what to do; names file:line:column and the node id. */
  message: string;
  location: SourceLocation;
  nodeId?: string;
}

export interface YamlCopilotOptions {
  /** How file names appear in messages: relative to this folder (default: the current directory). */
  relativeTo?: string;
  /** The copilot's id (va_BotId); a fixed one keeps payloads stable. */
  botId?: string;
  fixtures?: CopilotFixtures;
}

export class CopilotLoadError extends ScenarioError {}

/**
 * Unknown node kinds (not Copilot Studio's at all) are errors; real kinds the harness does not run are
 * warnings, reported once per node (the topic runs up to that node and stops, census §2).
 *
 * @example nodeKindProblems(loadCopilot('examples/copilots/contoso-d365')).filter((p) => p.severity === 'error')
 */
export function nodeKindProblems(loaded: LoadedCopilot): CopilotProblem[] {
  const problems: CopilotProblem[] = [];
  for (const topic of loaded.topics) {
    const trigger = topic.dialog['beginDialog'] as Record<string, unknown> | undefined;
    const triggerKind = trigger && typeof trigger['kind'] === 'string' ? trigger['kind'] : undefined;
    if (trigger && triggerKind && !schemaTriggerKinds.has(triggerKind)) {
      const location = locationOf(trigger) ?? { file: topic.file, line: 1, column: 1 };
      problems.push({
        severity: 'error',
        code: 'unknown-trigger-kind',
        message:
          `Topic "${topic.displayName}" (${formatLocation(location)}) has the trigger kind "${triggerKind}", which is not a Copilot Studio trigger. ` +
          'Copilot Studio would refuse the topic, so the harness cannot tell when it runs. ' +
          'Use a trigger kind of the schema such as OnRecognizedIntent, OnEscalate or OnInactivity (docs/copilot-topic-yaml.md §2.1).',
        location,
        nodeId: typeof trigger['id'] === 'string' ? trigger['id'] : 'main',
      });
    }
    for (const node of nodeKinds(topic)) {
      if (node.kind === '') continue; // the loader reports a node without a kind
      const status = actionKindStatus(node.kind);
      if (status === 'supported') continue;
      const id = node.id ?? '(no id)';
      problems.push(
        status === 'unknown'
          ? {
              severity: 'error',
              code: 'unknown-node-kind',
              message:
                `Failed to load topic "${topic.displayName}" (${formatLocation(node.location)}): node ${id} has the kind "${node.kind}", which is not a Copilot Studio node kind. ` +
                'Copilot Studio would refuse the topic, and the harness never skips a node silently. ' +
                'Use a kind of the schema: SendActivity sends a message, BeginDialog redirects (docs/copilot-topic-yaml.md §2.3 lists common inventions).',
              location: node.location,
              ...(node.id !== undefined ? { nodeId: node.id } : {}),
            }
          : {
              severity: 'warning',
              code: 'unsupported-node-kind',
              message:
                `Topic "${topic.displayName}" (${formatLocation(node.location)}): node ${id} has the kind "${node.kind}", which the harness does not run yet. ` +
                'A conversation that reaches it stops that topic there, with this node named on the timeline. ' +
                'Avoid the node in scenarios, or ask for the kind to be supported (features/README.md lists the supported kinds).',
              location: node.location,
              ...(node.id !== undefined ? { nodeId: node.id } : {}),
            },
      );
    }
  }
  return problems;
}

/**
 * The runnable copilot of a loaded export. Inactive topics (botcomponent.xml) are left out, as
 * Copilot Studio does not run them.
 *
 * @example const copilot = copilotFromYaml(loadCopilot('examples/copilots/contoso-d365'));
 */
export function copilotFromYaml(loaded: LoadedCopilot, options: YamlCopilotOptions = {}): CopilotDefinition {
  const relativeTo = options.relativeTo ?? process.cwd();
  const rootLabel = path.relative(relativeTo, loaded.root.split('!/')[0] ?? loaded.root) || '.';
  const label = (location: SourceLocation | undefined): SourceLocation | undefined =>
    location ? { ...location, file: rootLabel === '.' ? location.file : `${rootLabel}/${location.file}` } : undefined;
  const topics: TopicDefinition[] = loaded.topics
    .filter((topic) => topic.state !== 'inactive' && topic.dialog['kind'] === 'AdaptiveDialog' && isObject(topic.dialog['beginDialog']))
    .map((topic) => ({
      name: topic.displayName || topic.shortName,
      schemaName: topic.schemaName,
      dialog: topic.dialog as unknown as AdaptiveDialog,
      file: rootLabel === '.' ? topic.file : `${rootLabel}/${topic.file}`,
      locate: (node: object) => label(locationOf(node)),
      locateValue: (node: object, key: string) => label(locationOfKey(node, key) ?? locationOf(node)),
    }));
  const entities = new Map<string, Record<string, unknown>>();
  const environmentVariables: Record<string, unknown> = {};
  for (const component of loaded.components) {
    if (component.status !== 'loaded' || !component.data) continue;
    if (/Entity$/.test(component.kind)) {
      const stem = path.basename(component.file).replace(/(\.mcs)?\.ya?ml$/i, '');
      for (const name of [component.schemaName, component.displayName, stem, loaded.schemaName ? `${loaded.schemaName}.entity.${stem}` : undefined]) {
        if (name) entities.set(name.toLowerCase(), component.data);
      }
    } else if (component.kind === 'EnvironmentVariableDefinition') {
      const name = typeof component.data['schemaName'] === 'string' ? component.data['schemaName'] : component.schemaName;
      if (name) environmentVariables[name] = environmentValue(component.data['defaultValue']);
    }
  }
  const language = loaded.settings['language'];
  const environment = environmentOf(loaded);
  return {
    name: loaded.displayName || path.basename(loaded.root),
    schemaName: loaded.schemaName,
    botId: options.botId ?? '00000000-0000-4000-8000-00000000c0de',
    // settings.mcs.yml writes the LCID (1033); the va_Language payload carries a culture name.
    language: typeof language === 'string' ? language : language === 1033 || language === undefined ? 'en-us' : String(language),
    topics,
    source: rootLabel,
    ...(environment ? { environment } : {}),
    ...(entities.size > 0 ? { entities } : {}),
    ...(Object.keys(environmentVariables).length > 0 ? { environmentVariables } : {}),
    ...(options.fixtures ? { fixtures: options.fixtures } : {}),
  };
}

/**
 * Loads an exported copilot for a scenario. Errors of the loader (invalid YAML, a redirect to a
 * missing topic, a redirect cycle, a duplicate topic, ...) and unknown node kinds stop it with every
 * error named by file, line, column and node id; warnings come back for the report.
 *
 * @throws CopilotLoadError (a ScenarioError: printed without a stack trace).
 * @example const { copilot, warnings } = loadYamlCopilot('examples/copilots/contoso-d365');
 */
export function loadYamlCopilot(folder: string, options: YamlCopilotOptions = {}): { copilot: CopilotDefinition; warnings: CopilotProblem[] } {
  const loaded = loadCopilot(folder);
  const problems: CopilotProblem[] = [...loaded.diagnostics.map(fromDiagnostic), ...nodeKindProblems(loaded)];
  const errors = problems.filter((problem) => problem.severity === 'error');
  if (errors.length > 0) {
    const shown = errors.slice(0, 5).map((problem) => `  ${problem.message}${problem.nodeId !== undefined && !problem.message.includes(problem.nodeId) ? ` (node ${problem.nodeId})` : ''}`);
    const more = errors.length > shown.length ? `\n  ... and ${errors.length - shown.length} more.` : '';
    throw new CopilotLoadError(
      `Failed to load the copilot ${folder}: ${errors.length} error${errors.length === 1 ? '' : 's'}. ` +
        'The harness runs a copilot only when Copilot Studio would accept it. ' +
        `Fix these (run \`handoff doctor ${folder}\` for every finding):\n${shown.join('\n')}${more}`,
    );
  }
  const copilot = copilotFromYaml(loaded, options);
  if (copilot.topics.length === 0) {
    throw new CopilotLoadError(
      `Failed to load the copilot ${folder}: it holds no topic the harness can run. ` +
        'A copilot answers through its topics (topics/*.mcs.yml, or botcomponents/<schema>.topic.<Name>/data in a solution). ' +
        'Pass an exported agent folder, a solution export or a folder of topic files.',
    );
  }
  return { copilot, warnings: problems.filter((problem) => problem.severity === 'warning') };
}

export function fromDiagnostic(diagnostic: Diagnostic): CopilotProblem {
  return {
    severity: diagnostic.severity,
    code: diagnostic.code,
    message: diagnostic.message,
    location: diagnostic.location,
    ...(diagnostic.nodeId !== undefined ? { nodeId: diagnostic.nodeId } : {}),
  };
}

/** The environment id of an agent folder, from the sync library's `.mcs/conn.json` (copilot-topic-yaml.md §1.1). */
function environmentOf(loaded: LoadedCopilot): string | undefined {
  const file = path.join(loaded.root, '.mcs', 'conn.json');
  if (!fs.existsSync(file)) return undefined;
  try {
    const value = JSON.parse(fs.readFileSync(file, 'utf8').replace(/^\uFEFF/, '')) as Record<string, unknown>;
    const id = value['EnvironmentId'] ?? value['environmentId'] ?? value['EnvironmentName'] ?? value['environmentName'];
    return typeof id === 'string' ? id : undefined;
  } catch {
    return undefined;
  }
}

/** An environment variable's default value: JSON ones become records (their fields are read with dots). */
function environmentValue(value: unknown): unknown {
  if (typeof value !== 'string' || !/^\s*[[{]/.test(value)) return value;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return value;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
