import * as fs from 'node:fs';
import * as path from 'node:path';
import YAML, { isMap, isSeq, LineCounter, type Node } from 'yaml';
import { parseRuleCondition, type RuleClause } from '../d365/work-stream';
import type { SourceLocation } from '../copilot/powerfx';

/**
 * What `handoff doctor --d365 <file>` knows of the Dynamics 365 side (docs/doctor-rules.md, "The --d365
 * file"): where the Customer Service package is installed, how the copilot is connected, the work
 * stream's context variables and its route-to-queue rules, written as the feature tables write them.
 */
export interface D365Config {
  file: string;
  /** The environment of the Customer Service package. */
  environment?: string;
  copilot: { environment?: string; connected: boolean };
  contextVariables: string[];
  routingRules: Array<{ name: string; condition: string; queue?: string; clauses: RuleClause[]; location: SourceLocation }>;
  location: SourceLocation;
}

export class D365ConfigError extends Error {
  constructor(readonly location: SourceLocation, message: string) {
    super(message);
  }
}

/**
 * @throws D365ConfigError with the file, line and column of the first problem.
 * @example const config = readD365Config('contoso-d365.yml');
 */
export function readD365Config(file: string): D365Config {
  // Locations are absolute: the report shows them relative to the current directory, not to the copilot.
  const absolute = path.resolve(file);
  const start: SourceLocation = { file: absolute, line: 1, column: 1 };
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
  } catch (error) {
    throw new D365ConfigError(start, `The --d365 file ${file} cannot be read: ${(error as Error).message}.`);
  }
  const lineCounter = new LineCounter();
  const document = YAML.parseDocument(text, { lineCounter, prettyErrors: false });
  const at = (node: Node | null | undefined): SourceLocation => {
    const offset = node?.range?.[0];
    if (offset === undefined) return start;
    const { line, col } = lineCounter.linePos(offset);
    return { file: absolute, line, column: col };
  };
  if (document.errors.length > 0) {
    const error = document.errors[0]!;
    const position = error.linePos?.[0];
    throw new D365ConfigError(position ? { file: absolute, line: position.line, column: position.col } : start, `The --d365 file is not YAML: ${error.message.split('\n')[0]}.`);
  }
  const root = document.contents;
  if (!isMap(root)) throw new D365ConfigError(start, 'The --d365 file is not a mapping of settings (environment, copilot, contextVariables, routingRules).');
  const known = new Set(['environment', 'copilot', 'contextVariables', 'routingRules']);
  for (const pair of root.items) {
    const key = String((pair.key as { value?: unknown } | null)?.value ?? '');
    if (!known.has(key)) throw new D365ConfigError(at(pair.key as Node), `The --d365 file has the unknown setting "${key}"; the settings are ${[...known].join(', ')}.`);
  }
  const value = document.toJS() as Record<string, unknown>;
  const copilot = (value['copilot'] ?? {}) as Record<string, unknown>;
  const config: D365Config = {
    file,
    ...(typeof value['environment'] === 'string' ? { environment: value['environment'] } : {}),
    copilot: { ...(typeof copilot['environment'] === 'string' ? { environment: copilot['environment'] } : {}), connected: copilot['connected'] !== false },
    contextVariables: [],
    routingRules: [],
    location: start,
  };
  for (const entry of Array.isArray(value['contextVariables']) ? value['contextVariables'] : []) {
    const name = typeof entry === 'string' ? entry : (entry as { name?: unknown } | null)?.name;
    if (typeof name === 'string') config.contextVariables.push(name);
  }
  const rulesNode = root.get('routingRules', true) as Node | undefined;
  const ruleNodes = isSeq(rulesNode) ? rulesNode.items : [];
  (Array.isArray(value['routingRules']) ? value['routingRules'] : []).forEach((entry, index) => {
    const node = ruleNodes[index] as Node | undefined;
    const record = (entry ?? {}) as Record<string, unknown>;
    const name = String(record['name'] ?? `rule ${index + 1}`);
    const condition = String(record['condition'] ?? '');
    let clauses: RuleClause[];
    try {
      clauses = parseRuleCondition(name, condition);
    } catch (error) {
      throw new D365ConfigError(at(node), (error as Error).message);
    }
    config.routingRules.push({ name, condition, ...(typeof record['queue'] === 'string' ? { queue: record['queue'] } : {}), clauses, location: at(node) });
  });
  return config;
}
