import * as fs from 'node:fs';
import * as path from 'node:path';
import { topicFileStem } from './dialog-references';
import { isRecord, walkDialog } from './dialog-walk';
import { parseLenientYaml, type LenientYaml, type YamlQuirkKind } from './lenient-yaml';
import { FILE_REASONS, rootKindHandling } from './root-kinds';
import { readBotComponentXml, readBotXml, readEnvironmentVariableXml, readSolutionManifest, type BotComponentXml, type BotXml } from './solution-xml';
import { formatLocation } from './source-locations';
import { decodeText, openFolder, openZip, type SourceTree } from './source-tree';
import { checkCopilot } from './structural-checks';
import type {
  ComponentLayer,
  CopilotComponent,
  CopilotLayout,
  Diagnostic,
  GlobalVariable,
  LayeredComponent,
  LoadOptions,
  LoadedCopilot,
  LoadedTopic,
  SolutionBot,
  SolutionInfo,
  SourceLocation,
} from './types';

/**
 * Loads a copilot exported as code (copilot-topic-yaml.md §1), from any of the shapes teams keep:
 *
 * - an agent folder cloned by the VS Code extension (`settings.mcs.yml`, `agent.mcs.yml`, `topics/`,
 *   `variables/`, ...) — layout `classic`, or `cli` when `agent.sync.yaml` or CLI settings say so;
 * - a solution export, zip or unzipped (`solution.xml`, `bots/<schema>/`, `botcomponents/<schema>/data`);
 * - a bare folder of topic files (only the files directly in it) — `topic-files`;
 * - one topic file — `single-topic`.
 *
 * It never throws for bad input: every file ends up as a topic, a component (loaded or ignored
 * with the reason), or a located diagnostic. Structural checks (structural-checks.ts) run last.
 *
 * @example
 * const copilot = loadCopilot('exports/Contoso Support');
 * for (const d of copilot.diagnostics) console.log(`${d.severity} ${d.code}: ${d.message}`);
 * const escalate = copilot.topics.find((topic) => topic.shortName === 'Escalate');
 */
export function loadCopilot(inputPath: string, options: LoadOptions = {}): LoadedCopilot {
  const absolute = path.resolve(inputPath);
  let stats: fs.Stats;
  try {
    stats = fs.statSync(absolute);
  } catch (error) {
    return unreadableCopilot(absolute, error);
  }
  try {
    if (stats.isDirectory()) {
      const markers = topLevelMarkers(absolute);
      if (isSolutionRoot(markers)) return loadSolution(openFolder(absolute, { recursive: true }), options);
      if (isAgentRoot(markers)) return loadAgentFolder(openFolder(absolute, { recursive: true }));
      return loadTopicFiles(openFolder(absolute, { recursive: false }));
    }
    if (/\.zip$/i.test(absolute)) {
      const tree = openZip(absolute, (names) => isSolutionRoot(names) || isAgentRoot(names));
      if (isSolutionRoot(tree.files)) return loadSolution(tree, options);
      if (isAgentRoot(tree.files)) return loadAgentFolder(tree);
      return loadTopicFiles(tree);
    }
    return loadSingleTopic(absolute);
  } catch (error) {
    return unreadableCopilot(absolute, error);
  }
}

/** Top-level names of a folder ('topics/' for folders), plus `Other/Solution.xml` of unpacked solutions. */
function topLevelMarkers(folder: string): string[] {
  const names: string[] = [];
  for (const entry of fs.readdirSync(folder, { withFileTypes: true })) {
    names.push(entry.isDirectory() ? `${entry.name}/` : entry.name);
    if (entry.isDirectory() && entry.name.toLowerCase() === 'other') {
      for (const inner of fs.readdirSync(path.join(folder, entry.name))) names.push(`${entry.name}/${inner}`);
    }
  }
  return names;
}

export function isSolutionRoot(names: readonly string[]): boolean {
  return (
    names.some((name) => /^(other\/)?solution\.xml$/i.test(name)) ||
    (names.some((name) => /^customizations\.xml$/i.test(name)) && names.some((name) => /^botcomponents\//i.test(name)))
  );
}

export function isAgentRoot(names: readonly string[]): boolean {
  return (
    names.some((name) => /^(settings\.mcs|agent\.sync|collection\.mcs)\.ya?ml$/i.test(name)) ||
    (names.some((name) => /^agent\.mcs\.ya?ml$/i.test(name)) && names.some((name) => /^topics\//i.test(name)))
  );
}

const YAML_FILE = /\.ya?ml$/i;

/** The why and what-to-do sentences of each yaml-quirk warning. */
const QUIRK_EXPLANATIONS: Record<YamlQuirkKind, string> = {
  'reserved-indicator':
    'Copilot Studio writes such values unquoted but YAML 1.2 reserves the character, so the loader reads the value the way Copilot Studio does. Quote the value if other YAML tools must read the file too.',
  'unresolved-alias':
    'YAML reads a leading star as a reference to an anchor, and the file defines none, so the loader reads the text as Copilot Studio does. Quote the value if other YAML tools must read the file too.',
  'flow-key':
    'YAML would read a braced key as a mapping, which cannot be a property name, so the loader reads it as the text Copilot Studio wrote. Quote the key if other YAML tools must read the file too.',
  'flow-with-trailing-text':
    'YAML reads the braces as a mapping followed by stray text; this is how template placeholders are written, so the loader keeps the whole value as text. Replace the placeholder with the real name before running the topic.',
  'yaml-warning': 'The yaml library accepted the file with this warning. Check that the value reads as intended.',
};

/** Where a file sits decides how a root kind is read (see classify). */
interface Position {
  /** The file must be a topic: topics/ folder, `.topic.` solution component, a file loaded on its own. */
  topic: boolean;
  /** What a file without a root kind is. */
  noKind?: 'agent' | 'knowledge-file';
  /** Set for translations: the reason they are ignored. */
  ignoreTopicBecause?: string;
  xml?: BotComponentXml;
  schemaName?: string;
  layer?: string;
}

interface TopicCandidate {
  file: string;
  value: Record<string, unknown>;
  parsed: LenientYaml;
  xml?: BotComponentXml;
  schemaName?: string;
  layer?: string;
}

class CopilotBuilder {
  readonly diagnostics: Diagnostic[] = [];
  readonly components: CopilotComponent[] = [];
  readonly candidates: TopicCandidate[] = [];
  readonly globalVariables: GlobalVariable[] = [];
  agent?: Record<string, unknown>;

  /**
   * Methods take paths relative to `tree`; everything recorded is labelled relative to the loaded
   * root, which differs (by `labelPrefix`) for a component collection read from a sibling folder.
   */
  constructor(
    readonly tree: SourceTree,
    private readonly labelPrefix = '',
  ) {}

  label(file: string): string {
    return this.labelPrefix + file;
  }

  /** Takes over what another builder collected (a referenced component collection). */
  absorb(other: CopilotBuilder): void {
    this.diagnostics.push(...other.diagnostics);
    this.components.push(...other.components);
    this.candidates.push(...other.candidates);
    this.globalVariables.push(...other.globalVariables);
  }

  /** Reads and parses a YAML file; reports why when it cannot. */
  parse(file: string, expectedKind: string): LenientYaml | undefined {
    let text: string;
    try {
      text = this.tree.readText(file);
    } catch (error) {
      const location = { file: this.label(file), line: 1, column: 1 };
      this.diagnostics.push({
        severity: 'error',
        code: 'unreadable-file',
        message:
          `Failed to read ${formatLocation(location)}: ${errorText(error)}. ` +
          'The file is listed but its bytes could not be read, so nothing in it can run. ' +
          'Check the file permissions or extract the export again.',
        location,
      });
      this.ignore(expectedKind, file, `unreadable: ${errorText(error)}`);
      return undefined;
    }
    const parsed = parseLenientYaml(text, this.label(file));
    if (parsed.failure) {
      const { line, column, message, count } = parsed.failure;
      const location = { file: this.label(file), line, column };
      const more = count > 1 ? ` (and ${count - 1} more YAML error${count > 2 ? 's' : ''})` : '';
      this.diagnostics.push({
        severity: 'error',
        code: 'invalid-yaml',
        message:
          `Failed to load ${formatLocation(location)}: ${message}${more}. ` +
          "The file is not YAML even after the repairs for Copilot Studio's own quirks, so none of it can run. " +
          'Fix the YAML at that position (an editor with YAML support shows it) and load again.',
        location,
      });
      this.ignore(expectedKind, file, `invalid YAML at ${line}:${column}: ${message}`);
      return undefined;
    }
    this.reportQuirks(file, parsed);
    return parsed;
  }

  private reportQuirks(file: string, parsed: LenientYaml): void {
    const byKind = new Map<YamlQuirkKind, LenientYaml['quirks']>();
    for (const quirk of parsed.quirks) byKind.set(quirk.kind, [...(byKind.get(quirk.kind) ?? []), quirk]);
    for (const quirks of byKind.values()) {
      const first = quirks[0]!;
      const location = { file: this.label(file), line: first.line, column: first.column };
      const places = quirks.length > 1 ? ` (${quirks.length} places; the first is shown)` : '';
      this.diagnostics.push({
        severity: 'warning',
        code: 'yaml-quirk',
        message: `${formatLocation(location)}: ${first.detail}${places}. ${QUIRK_EXPLANATIONS[first.kind]}`,
        location,
      });
    }
  }

  ignore(kind: string, file: string, reason: string, extra: Partial<CopilotComponent> = {}): void {
    this.components.push({ kind, file: this.label(file), status: 'ignored', reason, ...extra });
  }

  loaded(kind: string, file: string, extra: Partial<CopilotComponent> = {}): void {
    this.components.push({ kind, file: this.label(file), status: 'loaded', ...extra });
  }

  /** Decides what a parsed file is from its root kind and position. */
  classify(file: string, parsed: LenientYaml, position: Position): void {
    const value = parsed.value;
    const names = {
      ...(position.schemaName ? { schemaName: position.schemaName } : {}),
      ...(position.xml?.name ? { displayName: position.xml.name } : {}),
    };
    if (!isRecord(value)) {
      if (position.topic) {
        this.notATopic(file, value === null || value === undefined ? 'is empty' : 'is not a mapping');
        this.ignore('AdaptiveDialog', file, 'not a topic: the root is not a mapping', names);
      } else {
        this.ignore('unknown', file, `${FILE_REASONS.otherFile} (the YAML root is not a mapping)`, names);
      }
      return;
    }
    const kind = typeof value['kind'] === 'string' ? value['kind'] : undefined;
    if (kind === undefined) {
      if (position.topic || 'beginDialog' in value) {
        this.notATopic(file, 'has no `kind: AdaptiveDialog`');
        this.ignore('AdaptiveDialog', file, 'not a topic: no `kind: AdaptiveDialog`', names);
      } else if (position.noKind === 'agent') {
        this.agent ??= value;
        this.loaded('GptComponentMetadata', file, names);
      } else if (position.noKind === 'knowledge-file') {
        this.ignore('FileAttachmentComponentMetadata', file, FILE_REASONS.knowledgeFile, names);
      } else {
        this.ignore('unknown', file, `${FILE_REASONS.otherFile} (YAML without a root kind)`, names);
      }
      return;
    }
    const handling = rootKindHandling(kind);
    if (!handling) {
      if (position.topic) {
        this.notATopic(file, `has root kind "${kind}" instead of AdaptiveDialog`);
      } else {
        const location = { file: this.label(file), line: 1, column: 1 };
        this.diagnostics.push({
          severity: 'warning',
          code: 'unknown-root-kind',
          message:
            `${formatLocation(location)} has root kind "${kind}", which the loader does not know. ` +
            'It is ignored: the harness only runs topics and reads variables, entities, skills and agent metadata. ' +
            'If it matters to a conversation, report the kind so the loader can learn it.',
          location,
        });
      }
      this.ignore(kind, file, `unknown root kind "${kind}"`, names);
      return;
    }
    switch (handling.role) {
      case 'topic':
        if (position.ignoreTopicBecause) {
          this.ignore(kind, file, position.ignoreTopicBecause, names);
        } else {
          this.candidates.push({
            file: this.label(file),
            value,
            parsed,
            ...(position.xml ? { xml: position.xml } : {}),
            ...(position.schemaName ? { schemaName: position.schemaName } : {}),
            ...(position.layer ? { layer: position.layer } : {}),
          });
        }
        return;
      case 'agent':
        this.agent ??= value;
        this.loaded(kind, file, { ...names, data: value });
        return;
      case 'variable': {
        const metadata = isRecord(value['mcs.metadata']) ? value['mcs.metadata'] : {};
        const name = stringOf(value['name']) ?? stringOf(metadata['componentName']) ?? position.xml?.name ?? lastSegment(topicFileStem(file));
        const settings: Record<string, unknown> = {};
        for (const [key, setting] of Object.entries(value)) {
          if (key !== 'kind' && key !== 'name' && key !== 'mcs.metadata') settings[key] = setting;
        }
        this.globalVariables.push({ name, file: this.label(file), settings });
        this.loaded(kind, file, { ...names, displayName: name, data: value });
        return;
      }
      case 'entity':
      case 'skill':
      case 'environment-variable':
        this.loaded(kind, file, { ...names, data: value });
        return;
      case 'ignored':
        this.ignore(kind, file, handling.reason ?? FILE_REASONS.otherFile, names);
        return;
    }
  }

  private notATopic(file: string, what: string): void {
    const location = { file: this.label(file), line: 1, column: 1 };
    this.diagnostics.push({
      severity: 'error',
      code: 'not-a-topic',
      message:
        `Failed to load topic ${formatLocation(location)}: the file ${what}. ` +
        'A topic file holds one `kind: AdaptiveDialog` with its trigger under `beginDialog:` (copilot-topic-yaml.md §2.0), so the interpreter cannot run it. ' +
        'Add `kind: AdaptiveDialog` at the top, or move the file out of the topics.',
      location,
    });
  }

  /** Turns the collected candidates into topics, naming each with `name`. */
  topics(name: (candidate: TopicCandidate) => { schemaName: string; shortName: string }): LoadedTopic[] {
    return this.candidates.map((candidate) => {
      const { value, parsed, xml } = candidate;
      const metadata = isRecord(value['mcs.metadata']) ? value['mcs.metadata'] : undefined;
      delete value['mcs.metadata'];
      const { schemaName, shortName } = name(candidate);
      const trigger = isRecord(value['beginDialog']) ? value['beginDialog'] : undefined;
      const intent = trigger && isRecord(trigger['intent']) ? trigger['intent'] : undefined;
      const displayName =
        stringOf(metadata?.['componentName']) ??
        xml?.name ??
        parsed.header.name ??
        stringOf(intent?.['displayName']) ??
        stringOf(value['modelDisplayName']) ??
        shortName;
      const description = stringOf(metadata?.['description']) ?? xml?.description ?? parsed.header.description;
      return {
        schemaName,
        shortName,
        displayName,
        file: candidate.file,
        dialog: value,
        ...(description ? { description } : {}),
        ...(xml?.active !== undefined ? { state: xml.active ? ('active' as const) : ('inactive' as const) } : {}),
        ...(xml?.customizable !== undefined ? { customizable: xml.customizable } : {}),
        ...(candidate.layer ? { layer: candidate.layer } : {}),
      };
    });
  }

  finish(parts: {
    layout: CopilotLayout;
    displayName: string;
    schemaName: string;
    settings: Record<string, unknown>;
    topics: LoadedTopic[];
    solution?: SolutionInfo;
    layers?: ComponentLayer[];
  }): LoadedCopilot {
    const copilot: LoadedCopilot = {
      root: this.tree.root,
      layout: parts.layout,
      displayName: parts.displayName,
      schemaName: parts.schemaName,
      settings: parts.settings,
      ...(this.agent ? { agent: this.agent } : {}),
      topics: parts.topics,
      globalVariables: this.globalVariables,
      components: this.components,
      ...(parts.solution ? { solution: parts.solution } : {}),
      ...(parts.layers ? { layers: parts.layers } : {}),
      diagnostics: this.diagnostics,
    };
    copilot.diagnostics.push(...checkCopilot(copilot));
    if (copilot.topics.length === 0) {
      const location = { file: '.', line: 1, column: 1 };
      copilot.diagnostics.push({
        severity: 'warning',
        code: 'no-topics',
        message:
          `No topic was loaded from ${copilot.root}. ` +
          'Without topics the copilot cannot answer; the folder may hold several copilots or none. ' +
          'Use discoverCopilots() on it to find the loadable units, or check the components list for what was ignored and why.',
        location,
      });
    }
    return copilot;
  }
}

/** Names a topic of an agent folder or loose files from its file stem. */
function nameFromStem(stem: string, botSchemaName: string): { schemaName: string; shortName: string } {
  const infix = stem.toLowerCase().indexOf('.topic.');
  if (infix >= 0) return { schemaName: stem, shortName: stem.slice(infix + '.topic.'.length) };
  const shortName = stem.replace(/\.topic$/i, '');
  return { schemaName: botSchemaName ? `${botSchemaName}.topic.${shortName}` : shortName, shortName };
}

/**
 * The bot schema name when no settings file gives it: the most frequent `<bot>` of `<bot>.topic.`
 * in file names and in BeginDialog / ReplaceDialog references.
 */
function inferBotSchemaName(candidates: readonly TopicCandidate[]): string {
  const counts = new Map<string, number>();
  const count = (reference: string) => {
    const infix = reference.toLowerCase().indexOf('.topic.');
    const bot = infix > 0 ? reference.slice(0, infix) : '';
    // Schema names are identifiers; template placeholders such as <AGENT_SCHEMA> do not count.
    if (/^[A-Za-z0-9_-]+$/.test(bot)) {
      counts.set(bot, (counts.get(bot) ?? 0) + 1);
    }
  };
  for (const candidate of candidates) {
    count(candidate.schemaName ?? topicFileStem(candidate.file));
    walkDialog(candidate.value, (entry) => {
      if (isRecord(entry.node) && typeof entry.node['dialog'] === 'string') count(entry.node['dialog'].trim());
    });
  }
  let best = '';
  let bestCount = 0;
  for (const [bot, seen] of counts) {
    if (seen > bestCount) {
      best = bot;
      bestCount = seen;
    }
  }
  return best;
}

function loadAgentFolder(tree: SourceTree): LoadedCopilot {
  const builder = new CopilotBuilder(tree);
  const { settings, settingsFile, referencesFile } = collectAgentFolder(builder);
  if (referencesFile) collectComponentCollections(builder, referencesFile);
  const cli =
    tree.files.some((file) => /^agent\.sync\.ya?ml$/i.test(file)) ||
    (isRecord(settings['configuration']) && 'agentSettings' in settings['configuration']) ||
    /^cli/i.test(stringOf(settings['template']) ?? '');
  const botSchemaName = stringOf(settings['schemaName']) ?? '';
  const schemaName = settingsFile && botSchemaName ? botSchemaName : botSchemaName || inferBotSchemaName(builder.candidates);
  const topics = builder.topics((candidate) => nameFromStem(topicFileStem(candidate.file), schemaName));
  const displayName =
    stringOf(settings['displayName']) ??
    stringOf(builder.agent?.['displayName']) ??
    stringOf(settings['name']) ??
    path.basename(tree.root);
  return builder.finish({ layout: cli ? 'cli' : 'classic', displayName, schemaName, settings, topics });
}

/** Reads every file of an agent (or component collection) workspace into the builder. */
function collectAgentFolder(builder: CopilotBuilder): {
  settings: Record<string, unknown>;
  settingsFile?: string;
  referencesFile?: string;
} {
  const { tree } = builder;
  const files = tree.files;
  const settingsFile = files.find((file) => /^settings\.mcs\.ya?ml$/i.test(file));
  const collectionFile = files.find((file) => /^collection\.mcs\.ya?ml$/i.test(file));
  const referencesFile = files.find((file) => /^references\.mcs\.ya?ml$/i.test(file));
  const identityFile = settingsFile ?? collectionFile;
  let settings: Record<string, unknown> = {};
  if (identityFile) {
    const parsed = builder.parse(identityFile, settingsFile ? 'BotEntity' : 'BotComponentCollection');
    if (parsed && isRecord(parsed.value)) {
      settings = parsed.value;
      builder.loaded(settingsFile ? 'BotEntity' : 'BotComponentCollection', identityFile, { data: settings });
    }
  } else {
    const location = { file: builder.label('.'), line: 1, column: 1 };
    builder.diagnostics.push({
      severity: 'warning',
      code: 'missing-settings',
      message:
        `The agent folder ${tree.root} has no settings.mcs.yml. ` +
        'That file names the bot schema (`schemaName`), which prefixes every topic schema name, so names are inferred from topic references instead. ' +
        'Clone the agent again with the VS Code extension, or add settings.mcs.yml with its schemaName.',
      location,
    });
  }

  let cloudCacheSeen = false;
  for (const file of files) {
    if (file === identityFile || file === referencesFile) continue;
    const lower = file.toLowerCase();
    if (lower.startsWith('.mcs/')) {
      if (!cloudCacheSeen) builder.ignore('CloudCache', '.mcs', FILE_REASONS.cloudCache);
      cloudCacheSeen = true;
    } else if (/^agent\.sync\.ya?ml$/.test(lower)) {
      builder.loaded('LayoutMarker', file);
    } else if (/^connectionreferences?\.mcs\.ya?ml$/.test(lower) || /^connectioreferences\.mcs\.ya?ml$/.test(lower)) {
      builder.ignore('ConnectionReferences', file, FILE_REASONS.connectionReferences);
    } else if (lower.startsWith('infrastructure/connections/')) {
      builder.ignore('ConnectionReference', file, FILE_REASONS.connectionReferences);
    } else if (/^icon\.png$/.test(lower)) {
      builder.ignore('Icon', file, FILE_REASONS.icon);
    } else if (lower.startsWith('workflows/')) {
      builder.ignore('Workflow', file, FILE_REASONS.workflow);
    } else if (YAML_FILE.test(lower)) {
      const position = agentFilePosition(lower);
      const parsed = builder.parse(file, position.topic ? 'AdaptiveDialog' : 'unknown');
      if (parsed) builder.classify(file, parsed, position);
    } else if (lower.startsWith('knowledge/') || lower.startsWith('capabilities/knowledge/')) {
      builder.ignore('KnowledgeFile', file, FILE_REASONS.knowledgeFile);
    } else {
      builder.ignore('File', file, FILE_REASONS.otherFile);
    }
  }
  return { settings, ...(settingsFile ? { settingsFile } : {}), ...(referencesFile ? { referencesFile } : {}) };
}

/**
 * references.mcs.yml lists sibling component-collection workspaces (`componentCollections:
 * - directory: ../MyCC333/`) whose topics the agent uses; they are read into the same copilot,
 * labelled relative to the agent folder. Only folders on disk can be followed (not zips).
 */
function collectComponentCollections(builder: CopilotBuilder, referencesFile: string): void {
  const parsed = builder.parse(referencesFile, 'ComponentCollectionReferences');
  if (!parsed) return;
  const collections = isRecord(parsed.value) && Array.isArray(parsed.value['componentCollections']) ? parsed.value['componentCollections'] : [];
  const directories = collections
    .map((entry) => (isRecord(entry) ? stringOf(entry['directory']) : undefined))
    .filter((directory): directory is string => directory !== undefined);
  const onDisk = fs.existsSync(builder.tree.root) && fs.statSync(builder.tree.root).isDirectory();
  const followed: string[] = [];
  for (const directory of directories) {
    const absolute = path.resolve(builder.tree.root, directory);
    const found = onDisk && fs.existsSync(absolute) && fs.statSync(absolute).isDirectory() && isAgentRoot(topLevelMarkers(absolute));
    if (!found) continue;
    const prefix = `${path.relative(builder.tree.root, absolute).split(path.sep).join('/')}/`;
    const collection = new CopilotBuilder(openFolder(absolute, { recursive: true }), prefix);
    collectAgentFolder(collection);
    builder.absorb(collection);
    followed.push(directory);
  }
  const missing = directories.filter((directory) => !followed.includes(directory));
  if (missing.length === 0 && directories.length > 0) {
    builder.loaded('ComponentCollectionReferences', referencesFile, { data: { directories } });
  } else {
    builder.ignore(
      'ComponentCollectionReferences',
      referencesFile,
      `${FILE_REASONS.componentCollectionReferences}; not found as a folder next to this one: ${missing.join(', ') || '(no directory listed)'}`,
    );
  }
}

/** How a YAML file of an agent folder is read, by folder (SYNC-SEMANTICS-CLASSIC.md, -CLI.md). */
function agentFilePosition(lowerFile: string): Position {
  if (/^agent\.mcs\.ya?ml$/.test(lowerFile)) return { topic: false, noKind: 'agent' };
  if (lowerFile.startsWith('topics/')) return { topic: true };
  if (lowerFile.startsWith('translations/')) return { topic: false, ignoreTopicBecause: FILE_REASONS.translation };
  if (lowerFile.startsWith('agents/')) return { topic: false, ignoreTopicBecause: FILE_REASONS.childAgentContent };
  if (/^(capabilities\/)?knowledge\/files\//.test(lowerFile)) return { topic: false, noKind: 'knowledge-file' };
  return { topic: false };
}

function loadTopicFiles(tree: SourceTree): LoadedCopilot {
  const builder = new CopilotBuilder(tree);
  for (const file of tree.files) {
    const base = file.split('/').pop() ?? file;
    if (YAML_FILE.test(base) || /^data$/i.test(base)) {
      const parsed = builder.parse(file, 'unknown');
      if (parsed) builder.classify(file, parsed, { topic: false });
    } else {
      builder.ignore('File', file, FILE_REASONS.otherFile);
    }
  }
  for (const folder of tree.unwalkedFolders) {
    builder.ignore(
      'Folder',
      folder,
      'a bare folder of topic files is read one level deep; load this subfolder on its own (discoverCopilots lists every loadable unit)',
    );
  }
  const schemaName = inferBotSchemaName(builder.candidates);
  const topics = builder.topics((candidate) => nameFromStem(stemIn(tree.root, candidate.file), schemaName));
  return builder.finish({ layout: 'topic-files', displayName: path.basename(tree.root), schemaName, settings: {}, topics });
}

function loadSingleTopic(file: string): LoadedCopilot {
  const root = path.dirname(file);
  const base = path.basename(file);
  const siblingXml = path.join(root, 'botcomponent.xml');
  const tree: SourceTree = {
    root,
    files: [base],
    unwalkedFolders: [],
    readText: (relative) => decodeText(fs.readFileSync(path.join(root, relative))),
  };
  const builder = new CopilotBuilder(tree);
  let xml: BotComponentXml | undefined;
  if (/^data(\.ya?ml)?$/i.test(base) && fs.existsSync(siblingXml)) xml = readBotComponentXml(tree.readText('botcomponent.xml'));
  const schemaFromFolder = /^data(\.ya?ml)?$/i.test(base) ? (xml?.schemaName ?? path.basename(root)) : undefined;
  const parsed = builder.parse(base, 'AdaptiveDialog');
  if (parsed) {
    builder.classify(base, parsed, {
      topic: true,
      ...(xml ? { xml } : {}),
      ...(schemaFromFolder ? { schemaName: schemaFromFolder } : {}),
    });
  }
  const schemaName = inferBotSchemaName(builder.candidates);
  const topics = builder.topics((candidate) => nameFromStem(candidate.schemaName ?? stemIn(root, candidate.file), schemaName));
  return builder.finish({
    layout: 'single-topic',
    displayName: topics[0]?.displayName ?? base,
    schemaName,
    settings: {},
    topics,
  });
}

/** A file's stem; a file directly in the loaded folder takes the folder's name when its own is generic (`topic.yaml`). */
function stemIn(root: string, file: string): string {
  return topicFileStem(file.includes('/') ? file : `${path.basename(root)}/${file}`);
}

interface ComponentGroup {
  folder: string;
  xmlFile?: string;
  dataFile?: string;
  otherFiles: string[];
  xml: BotComponentXml;
  schemaName: string;
  /** Lower-cased parent bot schema name; undefined for component-collection members. */
  parentBot?: string;
}

const LOOSE_LAYER = 'loose files';

function loadSolution(tree: SourceTree, options: LoadOptions): LoadedCopilot {
  const builder = new CopilotBuilder(tree);
  const files = tree.files;
  const manifestFile = files.find((file) => /^(other\/)?solution\.xml$/i.test(file));
  const manifest = manifestFile ? readSolutionManifest(tree.readText(manifestFile)) : { managed: false };
  const solutionName = manifest.uniqueName ?? path.basename(tree.root).replace(/\.zip$/i, '');

  const groups = new Map<string, ComponentGroup>();
  const botXmls = new Map<string, { schemaName: string; file: string; xml: BotXml; configFile?: string }>();
  for (const file of files) {
    const component = /^botcomponents\/([^/]+)\/(.+)$/i.exec(file);
    if (component) {
      const [, folder = '', inner = ''] = component;
      const group = groups.get(folder) ?? { folder, otherFiles: [], xml: {}, schemaName: folder };
      if (/^botcomponent\.xml$/i.test(inner)) group.xmlFile = file;
      else if (/^data(\.ya?ml)?$/i.test(inner)) group.dataFile = file;
      else group.otherFiles.push(file);
      groups.set(folder, group);
      continue;
    }
    const bot = /^bots\/([^/]+)\/(bot\.xml|configuration\.json)$/i.exec(file);
    if (bot) {
      const [, schemaName = '', name = ''] = bot;
      const entry = botXmls.get(schemaName.toLowerCase()) ?? { schemaName, file, xml: {} };
      if (/^bot\.xml$/i.test(name)) {
        entry.file = file;
        entry.xml = readBotXml(tree.readText(file));
      } else {
        entry.configFile = file;
      }
      botXmls.set(schemaName.toLowerCase(), entry);
    }
  }
  for (const group of groups.values()) {
    if (group.xmlFile) group.xml = readBotComponentXml(tree.readText(group.xmlFile));
    group.schemaName = group.xml.schemaName ?? group.folder;
    if (!group.xml.parentCollection) group.parentBot = (group.xml.parentBot ?? group.schemaName.split('.')[0] ?? '').toLowerCase();
  }

  // The bots the solution carries, and which one this copilot is.
  const bots = new Map<string, SolutionBot>();
  for (const [key, entry] of botXmls) bots.set(key, { schemaName: entry.xml.schemaName ?? entry.schemaName, displayName: entry.xml.name ?? entry.schemaName, file: entry.file });
  for (const group of groups.values()) {
    if (group.parentBot && !bots.has(group.parentBot)) {
      const schemaName = group.xml.parentBot ?? group.schemaName.split('.')[0] ?? group.parentBot;
      bots.set(group.parentBot, { schemaName, displayName: schemaName, file: group.xmlFile ?? group.dataFile ?? group.folder });
    }
  }
  const topicCount = (bot: string) =>
    [...groups.values()].filter((group) => group.parentBot === bot && /\.topic\./i.test(group.schemaName)).length;
  const ranked = [...bots.keys()].sort((a, b) => topicCount(b) - topicCount(a) || (a < b ? -1 : a > b ? 1 : 0));
  let chosen = ranked[0];
  if (options.bot !== undefined) {
    const wanted = options.bot.toLowerCase();
    if (bots.has(wanted)) {
      chosen = wanted;
    } else {
      const location = { file: manifestFile ?? '.', line: 1, column: 1 };
      builder.diagnostics.push({
        severity: 'error',
        code: 'unknown-bot',
        message:
          `The solution ${solutionName} (${formatLocation(location)}) has no bot "${options.bot}". ` +
          `It carries ${[...bots.values()].map((bot) => bot.schemaName).join(', ') || 'no bot'}, so the loader took ${chosen ? bots.get(chosen)?.schemaName : 'none'} instead. ` +
          'Pass one of those schema names as the bot option.',
        location,
      });
    }
  }
  const chosenBot = chosen ? bots.get(chosen) : undefined;

  const solutionLayer: LayeredComponent[] = [];
  for (const group of [...groups.values()].sort((a, b) => (a.folder < b.folder ? -1 : 1))) {
    const kindHint = componentKindHint(group.schemaName);
    const names = { schemaName: group.schemaName, ...(group.xml.name ? { displayName: group.xml.name } : {}) };
    const groupFiles = [group.xmlFile, group.dataFile, ...group.otherFiles].filter((file): file is string => file !== undefined);
    if (group.parentBot !== undefined && group.parentBot !== chosen) {
      const owner = bots.get(group.parentBot)?.schemaName ?? group.parentBot;
      for (const file of groupFiles) {
        builder.ignore(kindHint, file, `belongs to bot ${owner} of the same solution; load it with the option { bot: '${owner}' }`, names);
      }
      continue;
    }
    if (group.xmlFile) builder.loaded('BotComponentXml', group.xmlFile, names);
    for (const file of group.otherFiles) {
      const reason = /\/filedata\//i.test(file) ? FILE_REASONS.knowledgeFile : `${FILE_REASONS.otherFile} (a component's YAML is its data file)`;
      builder.ignore(kindHint, file, reason, names);
    }
    if (!group.dataFile) {
      if (!group.otherFiles.length && !group.xmlFile) continue;
      if (!group.otherFiles.length) builder.ignore(kindHint, group.xmlFile ?? group.folder, 'the component has no data file', names);
      continue;
    }
    const isTopicName = /\.topic\./i.test(group.schemaName);
    const translation = group.xml.componentType === 10 || group.xml.parentComponent !== undefined;
    const parsed = builder.parse(group.dataFile, isTopicName ? 'AdaptiveDialog' : kindHint);
    if (parsed) {
      builder.classify(group.dataFile, parsed, {
        topic: isTopicName && !translation,
        ...(translation ? { ignoreTopicBecause: `${FILE_REASONS.translation} (translation of ${group.xml.parentComponent ?? 'a topic'})` } : {}),
        xml: group.xml,
        schemaName: group.schemaName,
        layer: solutionName,
      });
    }
    solutionLayer.push({
      schemaName: group.schemaName,
      kind: kindOfParsed(parsed) ?? kindHint,
      file: group.dataFile,
      ...(group.xml.customizable !== undefined ? { customizable: group.xml.customizable } : {}),
    });
  }
  const solutionCandidates = builder.candidates.length;

  let settings: Record<string, unknown> = {};
  const looseFiles: string[] = [];
  for (const file of files) {
    const lower = file.toLowerCase();
    if (/^botcomponents\//.test(lower)) continue;
    if (file === manifestFile) {
      builder.loaded('SolutionManifest', file, { displayName: solutionName });
      continue;
    }
    const bot = /^bots\/([^/]+)\//.exec(lower);
    if (bot) {
      const entry = botXmls.get(bot[1] ?? '');
      if (bot[1] !== chosen || !entry) {
        builder.ignore('Bot', file, `belongs to bot ${entry?.schemaName ?? bot[1]} of the same solution`);
      } else if (file === entry.configFile) {
        const configuration = readJson(tree, file);
        if (configuration.value) {
          settings = { ...settings, configuration: configuration.value };
          builder.loaded('BotConfiguration', file, { data: configuration.value });
        } else {
          builder.ignore('BotConfiguration', file, `not JSON: ${configuration.error}`);
        }
      } else if (file === entry.file) {
        settings = { ...botSettings(entry.xml, entry.schemaName), ...settings };
        builder.loaded('Bot', file, { schemaName: entry.schemaName, ...(entry.xml.name ? { displayName: entry.xml.name } : {}) });
      } else {
        builder.ignore('File', file, FILE_REASONS.otherFile);
      }
      continue;
    }
    if (/^environmentvariabledefinitions\/[^/]+\/environmentvariabledefinition\.xml$/.test(lower)) {
      const variable = readEnvironmentVariableXml(tree.readText(file));
      builder.loaded('EnvironmentVariableDefinition', file, {
        ...(variable.schemaName ? { schemaName: variable.schemaName } : {}),
        ...(variable.displayName ? { displayName: variable.displayName } : {}),
        data: { ...variable },
      });
      continue;
    }
    if (/^botcomponentcollections\/[^/]+\/botcomponentcollection\.xml$/.test(lower)) {
      builder.loaded('BotComponentCollection', file);
      continue;
    }
    if (/^(\[content_types\]\.xml|customizations\.xml|other\/|assets\/|botcomponentcollections\/)/.test(lower)) {
      builder.ignore('SolutionPackaging', file, FILE_REASONS.solutionPackaging);
      continue;
    }
    if (YAML_FILE.test(lower)) {
      looseFiles.push(file);
      continue;
    }
    builder.ignore('SolutionComponent', file, FILE_REASONS.solutionNonBot);
  }

  // Loose YAML next to the solution: unmanaged customisations, a layer above it.
  const looseLayer: LayeredComponent[] = [];
  for (const file of looseFiles) {
    const parsed = builder.parse(file, 'unknown');
    if (!parsed) continue;
    const before = builder.components.length;
    builder.classify(file, parsed, { topic: file.toLowerCase().startsWith('topics/'), layer: LOOSE_LAYER });
    const added = builder.components.slice(before);
    for (const component of added) {
      looseLayer.push({ schemaName: component.schemaName ?? topicFileStem(file), kind: component.kind, file });
    }
  }

  const schemaName = chosenBot?.schemaName ?? inferBotSchemaName(builder.candidates);
  const allTopics = builder.topics((candidate) =>
    candidate.schemaName
      ? { schemaName: candidate.schemaName, shortName: nameFromStem(candidate.schemaName, schemaName).shortName }
      : nameFromStem(topicFileStem(candidate.file), schemaName),
  );
  for (const topic of allTopics.slice(solutionCandidates)) {
    looseLayer.push({ schemaName: topic.schemaName, kind: 'AdaptiveDialog', file: topic.file });
  }
  // A loose topic replaces the solution's topic of the same schema name: the top layer is the one that runs.
  const looseTopics = new Map(allTopics.slice(solutionCandidates).map((topic) => [topic.schemaName.toLowerCase(), topic]));
  const topics = allTopics.filter((topic, index) => {
    const override = index < solutionCandidates ? looseTopics.get(topic.schemaName.toLowerCase()) : undefined;
    if (override) {
      builder.components.push({
        kind: 'AdaptiveDialog',
        file: topic.file,
        status: 'ignored',
        reason: `overridden by ${override.file}, a loose unmanaged file in a layer above solution ${solutionName}`,
        schemaName: topic.schemaName,
        displayName: topic.displayName,
      });
    }
    return !override;
  });

  const layers: ComponentLayer[] = [
    { name: solutionName, managed: manifest.managed, origin: 'solution', file: manifestFile ?? '.', components: solutionLayer },
  ];
  if (looseLayer.length > 0) layers.push({ name: LOOSE_LAYER, managed: false, origin: 'loose-files', file: '.', components: looseLayer });

  const solution: SolutionInfo = {
    uniqueName: solutionName,
    ...(manifest.displayName ? { displayName: manifest.displayName } : {}),
    ...(manifest.version ? { version: manifest.version } : {}),
    managed: manifest.managed,
    file: manifestFile ?? '.',
    ...(manifest.publisher ? { publisher: manifest.publisher } : {}),
    bots: [...bots.values()],
  };
  const displayName =
    chosenBot?.displayName ?? stringOf(builder.agent?.['displayName']) ?? manifest.displayName ?? solutionName;
  return builder.finish({ layout: 'solution', displayName, schemaName, settings, topics, solution, layers });
}

/** The infix of a solution component schema name (`<bot>.<infix>.<name>`), used until its data says its kind. */
function componentKindHint(schemaName: string): string {
  const parts = schemaName.split('.');
  const infix = parts.length >= 3 ? (parts[1] ?? '') : '';
  const known: Record<string, string> = {
    topic: 'AdaptiveDialog',
    gpt: 'GptComponentMetadata',
    skill: 'SkillDefinition',
    action: 'TaskDialog',
    agent: 'AgentDialog',
    entity: 'Entity',
    file: 'FileAttachmentComponent',
    globalvariable: 'Variable',
    knowledge: 'KnowledgeSourceConfiguration',
  };
  return known[infix.toLowerCase()] ?? (infix || 'unknown');
}

function kindOfParsed(parsed: LenientYaml | undefined): string | undefined {
  return parsed && isRecord(parsed.value) && typeof parsed.value['kind'] === 'string' ? parsed.value['kind'] : undefined;
}

/** A solution bot's settings in the shape of settings.mcs.yml where the fields match. */
function botSettings(xml: BotXml, schemaName: string): Record<string, unknown> {
  return {
    ...(xml.name ? { displayName: xml.name } : {}),
    schemaName: xml.schemaName ?? schemaName,
    ...(xml.language !== undefined ? { language: xml.language } : {}),
    ...(xml.template ? { template: xml.template } : {}),
    ...(xml.authenticationMode !== undefined ? { authenticationMode: xml.authenticationMode } : {}),
    ...(xml.customizable !== undefined ? { customizable: xml.customizable } : {}),
  };
}

function readJson(tree: SourceTree, file: string): { value?: Record<string, unknown>; error?: string } {
  try {
    const value: unknown = JSON.parse(tree.readText(file).replace(/^\uFEFF/, ''));
    return isRecord(value) ? { value } : { error: 'the root is not an object' };
  } catch (error) {
    return { error: errorText(error) };
  }
}

function unreadableCopilot(root: string, error: unknown): LoadedCopilot {
  const location: SourceLocation = { file: path.basename(root), line: 1, column: 1 };
  return {
    root,
    layout: 'single-topic',
    displayName: path.basename(root),
    schemaName: '',
    settings: {},
    topics: [],
    globalVariables: [],
    components: [],
    diagnostics: [
      {
        severity: 'error',
        code: 'unreadable-file',
        message:
          `Failed to open ${root}: ${errorText(error)}. ` +
          'The loader needs an agent folder, a solution folder or zip, a folder of topic files or one topic file. ' +
          'Check the path and that the file is readable.',
        location,
      },
    ],
  };
}

function stringOf(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

function lastSegment(stem: string): string {
  const parts = stem.split('.');
  return parts[parts.length - 1] ?? stem;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
