import type { LoadedCopilot, LoadedTopic } from './types';

/**
 * Topics reference each other by schema name, `<bot schema>.topic.<ShortName>`
 * (copilot-topic-yaml.md §1.1). Hand-written repositories name files `<name>.topic.mcs.yml` and
 * component collections keep a full schema name as file name, so a reference is resolved in order:
 * exact schema name; then, after stripping `<bot>.topic.`, short name, file stem, and `<stem>.topic`
 * (all case-insensitive).
 */

interface TopicIndex {
  topics: readonly LoadedTopic[];
  size: number;
  bySchemaName: Map<string, LoadedTopic>;
  byShortName: Map<string, LoadedTopic>;
  byStem: Map<string, LoadedTopic>;
}

const indexes = new WeakMap<LoadedCopilot, TopicIndex>();

/**
 * The topic a BeginDialog / ReplaceDialog `dialog:` names, or undefined (also for a Power Fx
 * formula, which only the interpreter can evaluate).
 *
 * @example
 * resolveDialogReference(copilot, 'cr924_agentMXECGF.topic.EndofConversation')?.file; // 'topics/EndofConversation.mcs.yml'
 */
export function resolveDialogReference(copilot: LoadedCopilot, reference: string): LoadedTopic | undefined {
  const wanted = reference.trim();
  if (wanted === '' || wanted.startsWith('=')) return undefined;
  const index = indexFor(copilot);
  const lower = wanted.toLowerCase();
  const exact = index.bySchemaName.get(lower);
  if (exact) return exact;
  const short = shortNameOfReference(copilot.schemaName, lower);
  return index.byShortName.get(short) ?? index.byStem.get(short) ?? index.byStem.get(`${short}.topic`);
}

/** The part after `<bot>.topic.`, lower-cased; the whole reference when it has no `.topic.`. */
function shortNameOfReference(botSchemaName: string, lowerReference: string): string {
  const ownPrefix = `${botSchemaName.toLowerCase()}.topic.`;
  if (botSchemaName && lowerReference.startsWith(ownPrefix)) return lowerReference.slice(ownPrefix.length);
  const infix = lowerReference.indexOf('.topic.');
  return infix >= 0 ? lowerReference.slice(infix + '.topic.'.length) : lowerReference;
}

function indexFor(copilot: LoadedCopilot): TopicIndex {
  const cached = indexes.get(copilot);
  if (cached && cached.topics === copilot.topics && cached.size === copilot.topics.length) return cached;
  const index: TopicIndex = {
    topics: copilot.topics,
    size: copilot.topics.length,
    bySchemaName: new Map(),
    byShortName: new Map(),
    byStem: new Map(),
  };
  // First one wins: a duplicate is reported by the structural checks, not resolved silently here.
  for (const topic of copilot.topics) {
    setOnce(index.bySchemaName, topic.schemaName.toLowerCase(), topic);
    setOnce(index.byShortName, topic.shortName.toLowerCase(), topic);
    setOnce(index.byStem, topicFileStem(topic.file).toLowerCase(), topic);
  }
  indexes.set(copilot, index);
  return index;
}

function setOnce(map: Map<string, LoadedTopic>, key: string, topic: LoadedTopic): void {
  if (!map.has(key)) map.set(key, topic);
}

const YAML_EXTENSION = /(\.mcs)?\.ya?ml$/i;
const GENERIC_BASENAMES = new Set(['data', 'data.yml', 'data.yaml', 'topic.yml', 'topic.yaml', 'topic.mcs.yml', 'topic.mcs.yaml']);

/**
 * A topic file's stem: the file name without `.mcs.yml` / `.mcs.yaml` / `.yml` / `.yaml`. A solution
 * export's `botcomponents/<schema>/data` and a sample's `<Topic>/topic.yaml` carry no name of their
 * own, so their folder name stands in.
 *
 * @example
 * topicFileStem('topics/Greeting.topic.mcs.yml'); // 'Greeting.topic'
 * topicFileStem('botcomponents/cr_bot.topic.Escalate/data'); // 'cr_bot.topic.Escalate'
 */
export function topicFileStem(file: string): string {
  const parts = file.split('/');
  const base = parts[parts.length - 1] ?? file;
  const named = GENERIC_BASENAMES.has(base.toLowerCase()) && parts.length > 1 ? (parts[parts.length - 2] ?? base) : base;
  return named === base ? base.replace(YAML_EXTENSION, '') : named;
}
