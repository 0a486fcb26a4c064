import { dateTimeFunctions } from './datetime';
import { jsonFunctions } from './json';
import { logicFunctions } from './logic';
import { mathFunctions } from './math';
import { tableFunctions } from './table';
import { textFunctions } from './text';
import type { FunctionDefinition } from './types';

export type { CallExpr, EagerFunction, Evaluation, FunctionDefinition, LazyFunction, PowerFxEnvironment } from './types';

/** Every implemented function, by its Power Fx name (names are case-sensitive, as in Power Fx). */
export const functions: ReadonlyMap<string, FunctionDefinition> = new Map(
  Object.entries({ ...logicFunctions, ...textFunctions, ...mathFunctions, ...dateTimeFunctions, ...tableFunctions, ...jsonFunctions }),
);

export function functionArity(name: string): { min: number; max: number } | undefined {
  const definition = functions.get(name);
  return definition === undefined ? undefined : { min: definition.minArgs, max: definition.maxArgs };
}
