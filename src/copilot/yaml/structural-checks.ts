import { resolveDialogReference } from './dialog-references';
import { isRecord, locateNode, nodeIdOf, walkDialog } from './dialog-walk';
import { formatLocation, locationOf } from './source-locations';
import type { Diagnostic, LoadedCopilot, LoadedTopic, SourceLocation } from './types';

/**
 * Checks that make a copilot unrunnable, reported with file, line, column and node id. Unknown node
 * kinds are not judged here: the interpreter decides what it supports (see `nodeKinds`).
 *
 * A redirect to a topic that is not there is an error when a whole copilot was loaded (agent folder,
 * solution); in a bare folder of topic files or a single file the rest of the copilot is simply
 * absent, so it is a warning there.
 */
/**
 * Runs every structural check on a loaded copilot (loadCopilot already does, and puts the result
 * in `copilot.diagnostics`; call it again after changing topics).
 *
 * @example
 * const errors = checkCopilot(copilot).filter((diagnostic) => diagnostic.severity === 'error');
 */
export function checkCopilot(copilot: LoadedCopilot): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  for (const topic of copilot.topics) diagnostics.push(...checkTopic(topic));
  diagnostics.push(...checkDuplicateTopics(copilot.topics));
  diagnostics.push(...checkRedirects(copilot));
  return diagnostics;
}

interface Redirect {
  from: LoadedTopic;
  to: LoadedTopic;
  node: Record<string, unknown>;
  location: SourceLocation;
}

function topicLabel(topic: LoadedTopic): string {
  return `Topic "${topic.displayName}"`;
}

function topicStart(topic: LoadedTopic): SourceLocation {
  return locationOf(topic.dialog) ?? { file: topic.file, line: 1, column: 1 };
}

/**
 * The checks of one topic alone: trigger, node kinds, node ids, GotoAction targets.
 *
 * @example
 * const problems = checkTopic(copilot.topics[0]!);
 */
export function checkTopic(topic: LoadedTopic): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const trigger = topic.dialog['beginDialog'];
  if (!isRecord(trigger)) {
    const where = topicStart(topic);
    diagnostics.push({
      severity: 'error',
      code: 'topic-without-trigger',
      message:
        `${topicLabel(topic)} (${formatLocation(where)}) has no trigger. ` +
        'Every topic starts from exactly one trigger under `beginDialog:` (copilot-topic-yaml.md §2.1), so the interpreter cannot tell when to run it. ' +
        'Add `beginDialog:` with a trigger kind such as OnRecognizedIntent, or remove the file.',
      location: where,
    });
  }

  const firstById = new Map<string, SourceLocation>();
  const nodeIds = new Set<string>();
  const gotos: { node: Record<string, unknown>; location: SourceLocation }[] = [];
  walkDialog(topic.dialog, (entry) => {
    const location = locateNode(entry, topic);
    const node = entry.node;
    if (entry.role !== 'condition' && (!isRecord(node) || typeof node['kind'] !== 'string' || node['kind'] === '')) {
      const what = entry.role === 'trigger' ? 'Its trigger' : 'A node';
      diagnostics.push({
        severity: 'error',
        code: 'node-without-kind',
        message:
          `${topicLabel(topic)} (${formatLocation(location)}): ${what.toLowerCase()} has no \`kind\`. ` +
          'The kind says what the node does; without it the interpreter cannot run the node or anything after it. ' +
          'Add `kind:` (for example SendActivity) or remove the list item.',
        location,
        ...(isRecord(node) && nodeIdOf(node) !== undefined ? { nodeId: nodeIdOf(node) } : {}),
      });
    }
    if (!isRecord(node)) return;
    const id = nodeIdOf(node);
    if (id === undefined) {
      if (entry.role !== 'trigger') {
        diagnostics.push({
          severity: 'warning',
          code: 'node-without-id',
          message:
            `${topicLabel(topic)} (${formatLocation(location)}): a ${entry.role === 'condition' ? 'condition' : String(node['kind'] ?? 'node')} has no \`id\`. ` +
            'Copilot Studio requires one per node, and traces, GotoAction and reports name nodes by it. ' +
            'Add a unique `id:`.',
          location,
        });
      }
      return;
    }
    nodeIds.add(id);
    const first = firstById.get(id);
    if (first) {
      diagnostics.push({
        severity: 'error',
        code: 'duplicate-node-id',
        message:
          `${topicLabel(topic)} (${formatLocation(location)}) uses node id "${id}" again; it was first used at ${formatLocation(first)}. ` +
          'Node ids must be unique within a topic, because traces and GotoAction name a node by its id. ' +
          'Give one of the two nodes a new id.',
        location,
        nodeId: id,
      });
    } else {
      firstById.set(id, location);
    }
    if (node['kind'] === 'GotoAction') gotos.push({ node, location });
  });

  for (const { node, location } of gotos) {
    const target = node['actionId'];
    if (typeof target !== 'string' || nodeIds.has(target)) continue;
    diagnostics.push({
      severity: 'error',
      code: 'missing-goto-target',
      message:
        `${topicLabel(topic)} (${formatLocation(location)}): GotoAction jumps to node "${target}", which is not in this topic. ` +
        'A GotoAction can only continue at a node id of the same topic. ' +
        'Correct `actionId` to an existing node id.',
      location,
      ...(nodeIdOf(node) !== undefined ? { nodeId: nodeIdOf(node) } : {}),
    });
  }
  return diagnostics;
}

function checkDuplicateTopics(topics: readonly LoadedTopic[]): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const first = new Map<string, LoadedTopic>();
  for (const topic of topics) {
    const key = topic.schemaName.toLowerCase();
    const earlier = first.get(key);
    if (!earlier) {
      first.set(key, topic);
      continue;
    }
    const where = topicStart(topic);
    diagnostics.push({
      severity: 'error',
      code: 'duplicate-topic',
      message:
        `Topic schema name "${topic.schemaName}" (${formatLocation(where)}) is also the schema name of ${earlier.file}. ` +
        'Redirects name topics by schema name (compared without case), so one of the two could never be reached. ' +
        'Rename one file or remove the copy.',
      location: where,
    });
  }
  return diagnostics;
}

function checkRedirects(copilot: LoadedCopilot): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const whole = copilot.layout === 'classic' || copilot.layout === 'cli' || copilot.layout === 'solution';
  const componentNames = new Set(copilot.components.map((component) => component.schemaName?.toLowerCase()).filter(Boolean));
  const redirects = new Map<LoadedTopic, Redirect[]>();
  for (const topic of copilot.topics) {
    const own: Redirect[] = [];
    redirects.set(topic, own);
    walkDialog(topic.dialog, (entry) => {
      const node = entry.node;
      if (!isRecord(node) || (node['kind'] !== 'BeginDialog' && node['kind'] !== 'ReplaceDialog')) return;
      const reference = node['dialog'];
      const location = locateNode(entry, topic);
      if (typeof reference !== 'string' || reference.trim().startsWith('=')) return;
      const target = resolveDialogReference(copilot, reference);
      if (target) {
        own.push({ from: topic, to: target, node, location });
        return;
      }
      if (componentNames.has(reference.trim().toLowerCase())) return;
      diagnostics.push({
        severity: whole ? 'error' : 'warning',
        code: 'missing-dialog-target',
        message:
          `${topicLabel(topic)} (${formatLocation(location)}) redirects with ${String(node['kind'])} to "${reference}", which is not a topic of this copilot. ` +
          (whole
            ? 'The interpreter cannot start a topic that was not loaded. '
            : 'Only part of a copilot was loaded (loose topic files), so the target may live elsewhere, but the interpreter cannot start it. ') +
          'Add the target topic or correct the `dialog:` reference.',
        location,
        ...(nodeIdOf(node) !== undefined ? { nodeId: nodeIdOf(node) } : {}),
      });
    });
  }
  diagnostics.push(...findCycles(copilot.topics, redirects));
  return diagnostics;
}

/**
 * Redirect cycles (A → B → A, or A → A): strongly connected components of the redirect graph,
 * reported once each, at the first redirect of the cycle in topic order.
 */
function findCycles(topics: readonly LoadedTopic[], redirects: Map<LoadedTopic, Redirect[]>): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const indexOf = new Map<LoadedTopic, number>();
  const lowLink = new Map<LoadedTopic, number>();
  const onStack = new Set<LoadedTopic>();
  const stack: LoadedTopic[] = [];
  let counter = 0;
  const components: LoadedTopic[][] = [];

  // Iterative Tarjan: real copilots have a few hundred topics, but the recursion depth must not
  // depend on the input.
  for (const start of topics) {
    if (indexOf.has(start)) continue;
    const work: { topic: LoadedTopic; next: number }[] = [{ topic: start, next: 0 }];
    indexOf.set(start, counter);
    lowLink.set(start, counter++);
    stack.push(start);
    onStack.add(start);
    while (work.length > 0) {
      const frame = work[work.length - 1]!;
      const edges = redirects.get(frame.topic) ?? [];
      if (frame.next < edges.length) {
        const target = edges[frame.next++]!.to;
        if (!indexOf.has(target)) {
          indexOf.set(target, counter);
          lowLink.set(target, counter++);
          stack.push(target);
          onStack.add(target);
          work.push({ topic: target, next: 0 });
        } else if (onStack.has(target)) {
          lowLink.set(frame.topic, Math.min(lowLink.get(frame.topic)!, indexOf.get(target)!));
        }
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) lowLink.set(parent.topic, Math.min(lowLink.get(parent.topic)!, lowLink.get(frame.topic)!));
      if (lowLink.get(frame.topic) === indexOf.get(frame.topic)) {
        const component: LoadedTopic[] = [];
        let member: LoadedTopic | undefined;
        do {
          member = stack.pop()!;
          onStack.delete(member);
          component.push(member);
        } while (member !== frame.topic);
        components.push(component);
      }
    }
  }

  const order = new Map(topics.map((topic, index) => [topic, index]));
  for (const component of components) {
    const members = new Set(component);
    const selfLoop = component.length === 1 && (redirects.get(component[0]!) ?? []).some((edge) => edge.to === component[0]);
    if (component.length < 2 && !selfLoop) continue;
    const first = [...component].sort((a, b) => order.get(a)! - order.get(b)!)[0]!;
    const path = cyclePath(first, members, redirects);
    const entry = path[0];
    if (!entry) continue;
    const names = [...path.map((edge) => edge.from.displayName), first.displayName].join(' → ');
    diagnostics.push({
      severity: 'error',
      code: 'redirect-cycle',
      message:
        `${topicLabel(first)} (${formatLocation(entry.location)}) starts a redirect cycle: ${names}. ` +
        'Each BeginDialog or ReplaceDialog on the cycle leads back to where it started, so a conversation that follows it never ends. ' +
        'Break the cycle, for example with EndDialog or a condition that stops redirecting.',
      location: entry.location,
      ...(nodeIdOf(entry.node) !== undefined ? { nodeId: nodeIdOf(entry.node) } : {}),
    });
  }
  return diagnostics;
}

/** A shortest list of redirects from `start` back to `start` within one cycle. */
function cyclePath(start: LoadedTopic, members: Set<LoadedTopic>, redirects: Map<LoadedTopic, Redirect[]>): Redirect[] {
  const cameBy = new Map<LoadedTopic, Redirect>();
  const queue: LoadedTopic[] = [start];
  for (let head = 0; head < queue.length; head++) {
    const topic = queue[head]!;
    for (const edge of redirects.get(topic) ?? []) {
      if (!members.has(edge.to)) continue;
      if (edge.to === start) {
        const path: Redirect[] = [edge];
        for (let at = topic; at !== start; ) {
          const previous = cameBy.get(at)!;
          path.unshift(previous);
          at = previous.from;
        }
        return path;
      }
      if (!cameBy.has(edge.to)) {
        cameBy.set(edge.to, edge);
        queue.push(edge.to);
      }
    }
  }
  return [];
}
