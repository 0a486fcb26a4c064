import { evaluateFormula, getField, parseFormula, type PowerFxEnvironment, type PowerFxValue } from '../../src/copilot/powerfx';

/** Friday 17 May 2024, 13:45:30 UTC: every test reads this instant, never the wall clock. */
export const fixedNow = Date.UTC(2024, 4, 17, 13, 45, 30);

/** An environment over nested variables: `{ Topic: { Case: { Id: 7 } } }` answers `['Topic', 'Case', 'Id']`. */
export function environmentOf(variables: Record<string, unknown> = {}, now = fixedNow): PowerFxEnvironment & { reads: string[][] } {
  const reads: string[][] = [];
  let guids = 0;
  return {
    reads,
    getVariable(path) {
      reads.push([...path]);
      let value: PowerFxValue = variables as PowerFxValue;
      for (const segment of path) value = getField(value, segment);
      return value;
    },
    now: () => now,
    newGuid: () => `00000000-0000-4000-8000-${String(++guids).padStart(12, '0')}`,
  };
}

/** Parses and evaluates a formula against nested variables. */
export function run(formula: string, variables: Record<string, unknown> = {}): PowerFxValue {
  return evaluateFormula(parseFormula(formula), environmentOf(variables));
}
