import { evaluateFormula, interpolateTemplate, parseFormula, type PowerFxEnvironment, type SourceLocation } from './powerfx';

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

  template(text: string, read: VariableReader, where?: SourceLocation): string {
    return text.includes('{') ? interpolateTemplate(text, this.#env(read), where) : text;
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

/** `=...`, also after leading blanks (a block scalar's first line). */
export function isFormula(raw: string): boolean {
  for (let index = 0; index < raw.length; index += 1) {
    const code = raw.charCodeAt(index);
    if (code === 61 /* = */) return true;
    if (code !== 32 && code !== 9 && code !== 10 && code !== 13) return false;
  }
  return false;
}
