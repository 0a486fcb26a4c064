import { evaluateFormula, interpolateTemplate, isOptionSetMember, parseFormula, PowerFxError, type PowerFxEnvironment, type SourceLocation } from './powerfx';

/** A variable as Power Fx names it, split on dots: `['Global', 'Department']`, `['System', 'Activity', 'Text']`. */
export type VariablePath = readonly string[];
export type VariableReader = (path: VariablePath) => unknown;

/**
 * How topic YAML encodes values (copilot-topic-yaml.md §3.3): a scalar starting with `=` is a Power Fx
 * formula, anything else is a literal; message templates hold `{expression}` holes. `where` is the file
 * position of the value's first character, so an error points into the formula.
 */
export class FormulaRunner {
  readonly #now: () => number;
  readonly #environment: Record<string, unknown>;

  constructor(now: () => number = () => 0, environmentVariables: Record<string, unknown> = {}) {
    this.#now = now;
    this.#environment = environmentVariables;
  }

  /** The clock formulas read (Now(), Today()). */
  now(): number {
    return this.#now();
  }

  value(raw: unknown, read: VariableReader, where?: SourceLocation): unknown {
    if (typeof raw !== 'string' || !isFormula(raw)) return raw;
    return evaluateFormula(parseFormula(raw, where), this.#env(read));
  }

  /** A condition: a formula, or the literal booleans YAML writes (`true`, `True`). */
  condition(raw: unknown, read: VariableReader, where?: SourceLocation): boolean {
    if (typeof raw === 'string' && !isFormula(raw)) return raw.trim().toLowerCase() === 'true';
    return this.value(raw, read, where) === true;
  }

  /**
   * Fills a message template's holes. A record or table in a hole is written as JSON, as Copilot
   * Studio's own messages show such variables (real topics send them to the generative layer that way).
   */
  template(text: string, read: VariableReader, where?: SourceLocation): string {
    if (!text.includes('{')) return text;
    const env = this.#env(read);
    try {
      return interpolateTemplate(text, env, where);
    } catch (error) {
      if (!(error instanceof PowerFxError) || error.code !== 'runtime' || !/a (Record|Table) value cannot be used as text/.test(error.message)) throw error;
      return templateWithJson(text, env, where);
    }
  }

  #env(read: VariableReader): PowerFxEnvironment {
    return {
      getVariable: (path) => {
        if (path[0] === 'Env') {
          const name = path.slice(1).join('.');
          if (name in this.#environment) return this.#environment[name];
        }
        return read(path);
      },
      now: this.#now,
    };
  }
}

/** The template again, hole by hole: records and tables as JSON, everything else as the engine writes it. */
function templateWithJson(text: string, env: PowerFxEnvironment, where: SourceLocation | undefined): string {
  let out = '';
  let index = 0;
  while (index < text.length) {
    const char = text[index]!;
    if ((char === '{' || char === '}') && text[index + 1] === char) {
      out += char + char;
      index += 2;
      continue;
    }
    const close = char === '{' ? matchingBrace(text, index + 1) : -1;
    const inner = close < 0 ? '' : text.slice(index + 1, close);
    if (close < 0 || inner.trim() === '') {
      out += char;
      index += 1;
      continue;
    }
    const value = evaluateFormula(parseFormula(inner, shifted(where, text, index + 1)), env);
    out += value !== null && typeof value === 'object' && !(value instanceof Date) && !isOptionSetMember(value) ? JSON.stringify(value) : interpolateTemplate(`{${inner}}`, env);
    index = close + 1;
  }
  return out;
}

/** The `}` closing a hole that starts at `offset`, skipping strings and nested records; -1 if none on the line. */
function matchingBrace(text: string, offset: number): number {
  let depth = 1;
  for (let index = offset; index < text.length; index += 1) {
    const char = text[index];
    if (char === '"') {
      index += 1;
      while (index < text.length && !(text[index] === '"' && text[index + 1] !== '"')) index += text[index] === '"' ? 2 : 1;
    } else if (char === '\n') return -1;
    else if (char === '{') depth += 1;
    else if (char === '}' && --depth === 0) return index;
  }
  return -1;
}

function shifted(where: SourceLocation | undefined, text: string, offset: number): SourceLocation | undefined {
  if (!where) return undefined;
  const before = text.slice(0, offset).split('\n');
  return before.length === 1 ? { ...where, column: where.column + offset } : { ...where, line: where.line + before.length - 1, column: where.column + (before.at(-1)?.length ?? 0) };
}

/** `=...`, also after leading blanks (a block scalar's first line). */
export function isFormula(raw: string): boolean {
  for (let index = 0; index < raw.length; index += 1) {
    const code = raw.charCodeAt(index);
    if (code === 61 /* = */) return true;
    if (code !== 32 && code !== 9 && code !== 10 && code !== 13) return false;
  }
  return false;
}
