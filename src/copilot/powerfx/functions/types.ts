import type { Expr } from '../ast';
import type { PowerFxValue, Val } from '../values';

/**
 * Where a formula gets its variables and time. The interpreter implements it; the engine never reads
 * the wall clock.
 */
export interface PowerFxEnvironment {
  /**
   * The value of a whole dotted variable name split on dots: `['Topic', 'CaseNumber']`,
   * `['System', 'Activity', 'Channel']`, `['Env', 'contoso_Url']`. Walking into stored records is the
   * environment's job (`getField` does it the Power Fx way). Return `undefined` for an unset variable
   * (Blank); `null` is read as Blank too. Values should be PowerFxValues; the type is `unknown` so that
   * interpreters can hand over what they stored without a cast.
   */
  getVariable(path: readonly string[]): unknown;
  /** The current instant in epoch milliseconds, from the simulation's virtual clock. */
  now(): number;
  /** A new GUID for GUID(); a seeded source keeps runs reproducible. */
  newGuid?(): string;
}

/** A call node, as functions receive it (for error positions and argument nodes). */
export type CallExpr = Extract<Expr, { kind: 'call' }>;

/** What a function implementation may ask of the running evaluation. */
export interface Evaluation {
  readonly env: PowerFxEnvironment;
  evaluate(expr: Expr): Val;
  /** Makes `record` the innermost row scope (`ThisRecord`, bare column names, or `name` from `As`). */
  pushScope(record: PowerFxValue, name?: string): void;
  popScope(): void;
  /** Throws a PowerFxError of code `unsupported` positioned at `expr`; `remedy` replaces the default last sentence. */
  unsupported(expr: Expr, what: string, remedy?: string): never;
}

interface FunctionShape {
  readonly minArgs: number;
  readonly maxArgs: number;
}

/** Arguments are evaluated first; an error value among them is returned without calling the function. */
export interface EagerFunction extends FunctionShape {
  readonly lazy?: false;
  call(args: Val[], call: CallExpr, evaluation: Evaluation): Val;
}

/** Receives argument expressions: for short-circuits (If, And) and per-row formulas (Filter, ForAll). */
export interface LazyFunction extends FunctionShape {
  readonly lazy: true;
  call(args: readonly Expr[], call: CallExpr, evaluation: Evaluation): Val;
}

export type FunctionDefinition = EagerFunction | LazyFunction;

export type FunctionTable = Readonly<Record<string, FunctionDefinition>>;
