import { isMap, isSeq, isScalar, type LineCounter, type YAMLMap, type YAMLSeq } from 'yaml';
import type { SourceLocation } from './types';

/**
 * Where loaded objects came from. The loader registers every mapping and sequence it turns into a
 * plain object or array; positions are computed on demand from the yaml library's AST, so loading
 * stays cheap and the plain data carries no bookkeeping.
 */
export interface ParsedFile {
  /** Relative to the loaded root. */
  file: string;
  lineCounter: LineCounter;
  /** Turns a parsed key back into the key the plain object uses (undoes quirk placeholders). */
  keyText: (key: unknown) => string;
}

interface Origin {
  parsed: ParsedFile;
  node: YAMLMap | YAMLSeq;
}

const origins = new WeakMap<object, Origin>();

export function registerOrigin(value: object, parsed: ParsedFile, node: YAMLMap | YAMLSeq): void {
  origins.set(value, { parsed, node });
}

/**
 * Where a loaded object (an action, a trigger, a condition item, any mapping or list) starts.
 *
 * @example
 * const topic = copilot.topics[0];
 * const where = locationOf(topic.dialog.beginDialog as object); // { file: 'topics/Escalate.mcs.yml', line: 4, column: 3 }
 */
export function locationOf(node: object): SourceLocation | undefined {
  const origin = origins.get(node);
  if (!origin) return undefined;
  return at(origin.parsed, origin.node.range?.[0] ?? 0);
}

/**
 * Where the value of one property of a loaded object starts (for a list, the item at that index).
 * For a block scalar (`|-`) this is the indicator; the text begins on the next line. A key with an
 * empty value is located at the key.
 *
 * @example
 * const condition = locationOfKey(conditionItem, 'condition'); // where "=Topic.X = true" starts
 */
export function locationOfKey(node: object, key: string | number): SourceLocation | undefined {
  const origin = origins.get(node);
  if (!origin) return undefined;
  const { parsed } = origin;
  if (isSeq(origin.node)) {
    const item = origin.node.items[Number(key)];
    const offset = item && typeof item === 'object' && 'range' in item ? (item as { range?: [number, number, number] }).range?.[0] : undefined;
    return offset === undefined ? undefined : at(parsed, offset);
  }
  if (!isMap(origin.node)) return undefined;
  for (const pair of origin.node.items) {
    if (parsed.keyText(pair.key) !== String(key)) continue;
    const value = pair.value as { range?: [number, number, number] } | null;
    if (value?.range && !(isScalar(value) && value.value === null && value.range[0] === value.range[1])) {
      return at(parsed, value.range[0]);
    }
    const keyNode = pair.key as { range?: [number, number, number] } | null;
    return keyNode?.range ? at(parsed, keyNode.range[0]) : undefined;
  }
  return undefined;
}

function at(parsed: ParsedFile, offset: number): SourceLocation {
  const { line, col } = parsed.lineCounter.linePos(offset);
  return { file: parsed.file, line, column: col };
}

/**
 * `file:line:column`, the form every message uses.
 *
 * @example
 * formatLocation({ file: 'topics/Escalate.mcs.yml', line: 14, column: 5 }); // 'topics/Escalate.mcs.yml:14:5'
 */
export function formatLocation(location: SourceLocation): string {
  return `${location.file}:${location.line}:${location.column}`;
}
