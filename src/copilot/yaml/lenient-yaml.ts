import { Document, LineCounter, isAlias, isMap, isScalar, isSeq, parseDocument, type YAMLError } from 'yaml';
import { registerOrigin, type ParsedFile } from './source-locations';

/**
 * YAML as Copilot Studio writes it. Copilot Studio's own parser accepts a few constructs that
 * YAML 1.2 (and so the `yaml` package) rejects or reads differently; measured on the public corpus
 * (real-topics-census.md §10, `handoff conformance`):
 *
 * - a plain scalar starting with `@` or a backtick: `@odata.nextLink:`, `@Descriptor: String`
 *   (error BAD_SCALAR_START, Workday topics of microsoft/CopilotStudioSamples);
 * - an HTTP header value that is the MIME wildcard (`accept:` then star, slash, star): YAML reads the
 *   leading star as an alias to an anchor that does not exist (no parse error, but resolving it
 *   throws "Unresolved alias");
 * - a brace-wrapped token used as a key, `{VersionNumber}:` (SharePoint trigger outputs): YAML reads
 *   a flow mapping as the key, and the `yaml` package errors on the second such key in a mapping
 *   ("Map comment with trailing content");
 * - a flow collection followed by text on the same line, `dialog: { REPLACE-WITH-COPILOT-NAME }.topic.Search`
 *   (a template placeholder; error UNEXPECTED_TOKEN "Unexpected scalar at node end").
 *
 * Each is read as the plain string Copilot Studio sees. The offending characters are swapped for
 * private-use placeholders of the same length (so every line and column stays true) and swapped
 * back in every key and string of the result; an alias with no anchor becomes its own text. Every repair is reported back so the loader can warn about it: nothing is changed silently.
 */

export type YamlQuirkKind = 'reserved-indicator' | 'flow-key' | 'flow-with-trailing-text' | 'unresolved-alias' | 'yaml-warning';

export interface YamlQuirk {
  kind: YamlQuirkKind;
  line: number;
  column: number;
  /** What was read and how, for the warning. */
  detail: string;
}

export interface YamlFailure {
  line: number;
  column: number;
  message: string;
  /** How many errors the yaml library reported in all. */
  count: number;
}

export interface LenientYaml {
  /** The document as plain objects, arrays and scalars; undefined when the text is not YAML. */
  value: unknown;
  failure?: YamlFailure;
  quirks: YamlQuirk[];
  /** `# Name: Escalate` and the comment lines around it, before the first YAML line. */
  header: { name?: string; description?: string };
}

const PLACEHOLDER_OF: Record<string, string> = {
  '@': '\uE040',
  '`': '\uE060',
  '{': '\uE07B',
  '}': '\uE07D',
  '[': '\uE05B',
  ']': '\uE05D',
};
const ORIGINAL_OF = new Map(Object.entries(PLACEHOLDER_OF).map(([original, placeholder]) => [placeholder, original]));
const ANY_PLACEHOLDER = /[\uE040\uE060\uE07B\uE07D\uE05B\uE05D]/;
const ALL_PLACEHOLDERS = /[\uE040\uE060\uE07B\uE07D\uE05B\uE05D]/g;

/** A key that is a single brace-wrapped token: `{VersionNumber}:` at the start of a line or list item. */
const FLOW_KEY = /^([ \t]*(?:-[ \t]+)*)\{([^{}[\],:#"'\r\n]*)\}(?=[ \t]*:(?:[ \t\r]|$))/gm;

const MAX_REPAIR_PASSES = 4;
const MAX_ALIAS_DEPTH = 64;

interface PendingQuirk {
  kind: YamlQuirkKind;
  offset: number;
  detail: string;
}

/**
 * Parses one file's text. Strips a UTF-8 byte-order mark, accepts CRLF, repairs the quirks above,
 * and registers every mapping and list of the result so `locationOf` can find it in `file`.
 *
 * @example
 * const parsed = parseLenientYaml(text, 'topics/Escalate.mcs.yml');
 * if (parsed.failure) console.log(`${parsed.failure.line}:${parsed.failure.column} ${parsed.failure.message}`);
 */
export function parseLenientYaml(text: string, file: string): LenientYaml {
  const original = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const header = readHeaderComment(original);
  const canRepair = !ANY_PLACEHOLDER.test(original);
  const pending: PendingQuirk[] = [];
  let source = canRepair && original.includes('}') ? repairFlowKeys(original, pending) : original;

  let lineCounter = new LineCounter();
  let doc = parseDocument(source, { lineCounter, prettyErrors: false, uniqueKeys: true });
  for (let pass = 0; canRepair && doc.errors.length > 0 && pass < MAX_REPAIR_PASSES; pass++) {
    const repaired = repairReportedErrors(source, doc.errors, pending);
    if (repaired === source) break;
    source = repaired;
    lineCounter = new LineCounter();
    doc = parseDocument(source, { lineCounter, prettyErrors: false, uniqueKeys: true });
  }

  const position = (offset: number) => {
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };
  const usesPlaceholders = source !== original;
  const restore = (value: string) => (usesPlaceholders ? value.replace(ALL_PLACEHOLDERS, (ch) => ORIGINAL_OF.get(ch) ?? ch) : value);

  const firstError = doc.errors[0];
  if (firstError) {
    return {
      value: undefined,
      failure: { ...position(firstError.pos[0]), message: firstMessageLine(firstError), count: doc.errors.length },
      quirks: [],
      header,
    };
  }

  const parsed: ParsedFile = { file, lineCounter, keyText: (key) => keyText(key, source, restore) };
  const builder = new PlainBuilder(doc, parsed, source, restore, pending);
  const value = builder.build(doc.contents, 0);
  for (const warning of doc.warnings) {
    pending.push({ kind: 'yaml-warning', offset: warning.pos[0], detail: firstMessageLine(warning) });
  }
  const quirks = pending
    .sort((a, b) => a.offset - b.offset)
    .map((quirk) => ({ kind: quirk.kind, detail: quirk.detail, ...position(quirk.offset) }));
  return { value, quirks, header };
}

function firstMessageLine(error: YAMLError): string {
  return error.message.split('\n')[0] ?? error.message;
}

function repairFlowKeys(source: string, pending: PendingQuirk[]): string {
  return source.replace(FLOW_KEY, (match: string, indent: string, token: string, offset: number) => {
    pending.push({ kind: 'flow-key', offset: offset + indent.length, detail: `key "{${token}}" read as a plain string` });
    return `${indent}${PLACEHOLDER_OF['{']}${token}${PLACEHOLDER_OF['}']}`;
  });
}

function repairReportedErrors(source: string, errors: readonly YAMLError[], pending: PendingQuirk[]): string {
  const edits = new Map<number, string>();
  for (const error of errors) {
    const start = error.pos[0];
    const ch = source[start];
    if (error.code === 'BAD_SCALAR_START' && (ch === '@' || ch === '`')) {
      edits.set(start, PLACEHOLDER_OF[ch] ?? ch);
      pending.push({ kind: 'reserved-indicator', offset: start, detail: `plain value starting with "${ch}" read as a string` });
    } else if (error.code === 'UNEXPECTED_TOKEN') {
      const open = flowCollectionBefore(source, start);
      if (open === undefined) continue;
      const close = source.lastIndexOf(source[open] === '{' ? '}' : ']', start);
      edits.set(open, PLACEHOLDER_OF[source[open] ?? ''] ?? '');
      edits.set(close, PLACEHOLDER_OF[source[close] ?? ''] ?? '');
      const lineEnd = source.indexOf('\n', start);
      const written = source.slice(open, lineEnd < 0 ? undefined : lineEnd).trimEnd();
      pending.push({ kind: 'flow-with-trailing-text', offset: open, detail: `value "${written}" read as a plain string` });
    }
  }
  if (edits.size === 0) return source;
  let repaired = '';
  let from = 0;
  for (const offset of [...edits.keys()].sort((a, b) => a - b)) {
    repaired += source.slice(from, offset) + edits.get(offset);
    from = offset + 1;
  }
  return repaired + source.slice(from);
}

/**
 * For text that directly follows a flow collection on the same line (`{ X }.topic.Search`), the
 * offset of the collection's opening bracket, provided the collection is a whole value: it opens
 * after `key: ` or `- ` and holds no nested brackets.
 */
function flowCollectionBefore(source: string, textStart: number): number | undefined {
  const close = source[textStart - 1];
  if (close !== '}' && close !== ']') return undefined;
  const openChar = close === '}' ? '{' : '[';
  for (let i = textStart - 2; i >= 0; i--) {
    const ch = source[i];
    if (ch === '\n' || ch === '{' || ch === '[' || ch === '}' || ch === ']') {
      if (ch !== openChar) return undefined;
      const before = source.slice(source.lastIndexOf('\n', i - 1) + 1, i);
      return /(?::|^[ \t]*-|^)[ \t]*$/.test(before) ? i : undefined;
    }
  }
  return undefined;
}

function keyText(key: unknown, source: string, restore: (value: string) => string): string {
  if (isScalar(key) && key.value !== null && typeof key.value !== 'object') return restore(String(key.value));
  const range = (key as { range?: [number, number, number] } | null)?.range;
  return range ? restore(source.slice(range[0], range[1]).trim()) : '';
}

function readHeaderComment(source: string): { name?: string; description?: string } {
  let name: string | undefined;
  const description: string[] = [];
  let from = 0;
  while (from < source.length) {
    const end = source.indexOf('\n', from);
    const line = source.slice(from, end < 0 ? undefined : end).trim();
    from = end < 0 ? source.length : end + 1;
    if (line === '') continue;
    if (!line.startsWith('#')) break;
    const content = line.replace(/^#+\s?/, '').trim();
    const named = /^Name:\s*(.+)$/i.exec(content);
    if (named?.[1] && name === undefined) name = named[1].trim();
    else if (content) description.push(content);
  }
  return { ...(name ? { name } : {}), ...(description.length ? { description: description.join('\n') } : {}) };
}

/** Turns the yaml library's AST into plain data, registering each collection's origin. */
class PlainBuilder {
  private readonly resolving = new Set<unknown>();

  constructor(
    private readonly doc: Document.Parsed,
    private readonly parsed: ParsedFile,
    private readonly source: string,
    private readonly restore: (value: string) => string,
    private readonly pending: PendingQuirk[],
  ) {}

  build(node: unknown, depth: number): unknown {
    if (node === null || node === undefined) return null;
    if (isScalar(node)) return this.scalar(node);
    if (isMap(node)) {
      const result: Record<string, unknown> = {};
      for (const pair of node.items) {
        const key = this.parsed.keyText(pair.key);
        const value = this.build(pair.value, depth);
        // "__proto__" must become an own property, never the prototype.
        if (key === '__proto__') Object.defineProperty(result, key, { value, enumerable: true, writable: true, configurable: true });
        else result[key] = value;
      }
      registerOrigin(result, this.parsed, node);
      return result;
    }
    if (isSeq(node)) {
      const result = node.items.map((item) => this.build(item, depth));
      registerOrigin(result, this.parsed, node);
      return result;
    }
    if (isAlias(node)) {
      const target = node.resolve(this.doc);
      if (!target) {
        const offset = node.range?.[0] ?? 0;
        this.pending.push({ kind: 'unresolved-alias', offset, detail: `"*${node.source}" has no anchor and is read as a plain string` });
        return this.restore(`*${node.source}`);
      }
      if (this.resolving.has(target) || depth >= MAX_ALIAS_DEPTH) return null;
      this.resolving.add(target);
      const value = this.build(target, depth + 1);
      this.resolving.delete(target);
      return value;
    }
    return null;
  }

  private scalar(node: { value: unknown; type?: string; range?: [number, number, number] | null }): unknown {
    const { value } = node;
    if (typeof value === 'string') return this.restore(value);
    if (typeof value === 'number' && node.type === 'PLAIN' && node.range) {
      // Keep numbers that a number type would change as written: leading zeros (an id, a phone
      // number) or integers beyond double precision.
      const written = this.source.slice(node.range[0], node.range[1]).trim();
      if (/^[-+]?0\d/.test(written) || (Number.isInteger(value) && !Number.isSafeInteger(value))) return written;
    }
    if (typeof value === 'bigint') return String(value);
    return value;
  }
}
