import { locationOf, locationOfKey } from './source-locations';
import type { LoadedTopic, NodeKindEntry, SourceLocation } from './types';

/**
 * The nodes of a topic: its trigger (`beginDialog`, and any extra `triggers`), every action in an
 * `actions` or `elseActions` list at any depth, and every `conditions` item of a ConditionGroup.
 * Measured on the corpus, these three keys are the only lists of nodes in real topics
 * (415 `actions`, 101 `elseActions`, 221 `conditions` lists); other lists of objects with `kind`
 * (`inputs`, `attachments`, `quickReplies`) are data of a node, not nodes.
 */
export interface DialogNode {
  role: 'trigger' | 'action' | 'condition';
  /** The node itself; an action list item may be a non-object by mistake. */
  node: unknown;
  /** The list holding it (undefined for the trigger) and its index there. */
  list?: unknown[];
  index: number;
}

const ACTION_LISTS = ['actions', 'elseActions'] as const;

/**
 * Visits the nodes of a dialog depth first, in file order.
 *
 * @example
 * walkDialog(topic.dialog, (entry) => {
 *   if (entry.role === 'action') console.log((entry.node as { kind?: string }).kind);
 * });
 */
export function walkDialog(dialog: Record<string, unknown>, visit: (entry: DialogNode) => void): void {
  const trigger = dialog['beginDialog'];
  if (isRecord(trigger)) {
    visit({ role: 'trigger', node: trigger, index: 0 });
    walkLists(trigger, visit);
  }
  const extraTriggers = dialog['triggers'];
  if (Array.isArray(extraTriggers)) {
    extraTriggers.forEach((item, index) => {
      visit({ role: 'trigger', node: item, list: extraTriggers, index });
      if (isRecord(item)) walkLists(item, visit);
    });
  }
}

/** Visits the node lists of one node in the order its keys were written, so the walk follows the file. */
function walkLists(node: Record<string, unknown>, visit: (entry: DialogNode) => void): void {
  for (const [key, list] of Object.entries(node)) {
    if (!Array.isArray(list)) continue;
    if ((ACTION_LISTS as readonly string[]).includes(key)) {
      list.forEach((item, index) => {
        visit({ role: 'action', node: item, list, index });
        if (isRecord(item)) walkLists(item, visit);
      });
    } else if (key === 'conditions') {
      list.forEach((item, index) => {
        if (!isRecord(item)) return;
        visit({ role: 'condition', node: item, list, index });
        walkLists(item, visit);
      });
    }
  }
}

/** Where a walked node is; falls back to the start of the topic's file. */
export function locateNode(entry: DialogNode, topic: LoadedTopic): SourceLocation {
  const own = isRecord(entry.node) ? locationOf(entry.node) : undefined;
  const inList = !own && entry.list ? locationOfKey(entry.list, entry.index) : undefined;
  return own ?? inList ?? { file: topic.file, line: 1, column: 1 };
}

/**
 * Every action of a topic, depth first in file order, with its kind, id and location, so callers
 * can count and report the kinds the interpreter supports or not. Unknown kinds are listed like any
 * other; a list item without a kind is listed with kind ''.
 *
 * @example
 * const unsupported = nodeKinds(topic).filter((node) => !SUPPORTED.has(node.kind));
 */
export function nodeKinds(topic: LoadedTopic): NodeKindEntry[] {
  const result: NodeKindEntry[] = [];
  walkDialog(topic.dialog, (entry) => {
    if (entry.role !== 'action') return;
    const kind = isRecord(entry.node) && typeof entry.node['kind'] === 'string' ? entry.node['kind'] : '';
    const id = isRecord(entry.node) ? nodeIdOf(entry.node) : undefined;
    result.push({ kind, ...(id !== undefined ? { id } : {}), location: locateNode(entry, topic) });
  });
  return result;
}

export function nodeIdOf(node: Record<string, unknown>): string | undefined {
  const id = node['id'];
  return typeof id === 'string' || typeof id === 'number' ? String(id) : undefined;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
