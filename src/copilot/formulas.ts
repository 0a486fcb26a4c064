import { evaluateFormula, interpolateTemplate, parseFormula, type PowerFxEnvironment, type SourceLocation } from './powerfx';

/** A variable as Power Fx names it, split on dots: `['Global', 'Department']`, `['System', 'Activity', 'Text']`. */
export type VariablePath = readonly string[];
export type VariableReader = (path: VariablePath) => unknown;

/**
 * How topic YAML encodes values (copilot-topic-yaml.md §3.3): a scalar starting with `=` is a Power Fx
 * formula, anything else is a literal; message templates hold `{expression}` holes.
 */
export class FormulaRunner {
  readonly #now: () => number;
  readonly #environment: Record<string, unknown>;

  constructor(now: () => number = () => 0, environmentVariables: Record<string, unknown> = {}) {
    this.#now = now;
    this.#environment = environmentVariables;
  }

  value(raw: unknown, read: VariableReader, where?: SourceLocation): unknown {
    if (typeof raw !== 'string' || !raw.startsWith('=')) return raw;
    return evaluateFormula(parseFormula(raw.slice(1), where), this.#env(read));
  }

  condition(raw: unknown, read: VariableReader, where?: SourceLocation): boolean {
    return this.value(raw, read, where) === true;
  }

  template(text: string, read: VariableReader, where?: SourceLocation): string {
    return text.includes('{') ? interpolateTemplate(text, this.#env(read), where) : text;
  }

  #env(read: VariableReader): PowerFxEnvironment {
    return {
      getVariable: (path) => (path[0] === 'Env' ? this.#environment[path.slice(1).join('.')] : read(path)),
      now: this.#now,
    };
  }
}
