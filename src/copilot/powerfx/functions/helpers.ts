import type { Expr } from '../ast';
import { dateFromSerial, describeType, FxError, isRecord, isTable, normalize, toBoolean, toNumber, toText, type ErrorKind, type PowerFxRecord, type PowerFxTable, type PowerFxValue, type Val } from '../values';
import { parseDateText } from '../format';
import type { CallExpr, Evaluation } from './types';

export function fail(call: CallExpr, kind: ErrorKind, message: string): FxError {
  return new FxError(kind, `${call.name}: ${message}`, call.start, call.name);
}

export function invalid(call: CallExpr, message: string): FxError {
  return fail(call, 'InvalidArgument', message);
}

export function numberArg(value: Val, call: CallExpr): number | FxError {
  return toNumber(value, call.start);
}

export function textArg(value: Val, call: CallExpr): string | FxError {
  return toText(value, call.start);
}

export function booleanArg(value: Val, call: CallExpr): boolean | FxError {
  return toBoolean(value, call.start);
}

/** Blank is an empty table; a JSON array is a table whose scalar rows read as `{ Value: row }`. */
export function tableArg(value: Val, call: CallExpr): PowerFxTable | FxError {
  if (value instanceof FxError) return value;
  if (value === undefined) return [];
  if (isTable(value)) return value;
  return invalid(call, `expected a table but got a ${describeType(value)} value`);
}

/** Dates may arrive as dates, as text (`"2024-05-01"`), or as Power Fx day numbers; Blank is day 0 (1899-12-30). */
export function dateArg(value: Val, call: CallExpr): Date | FxError {
  if (value instanceof Date) return value;
  if (value instanceof FxError) return value;
  if (value === undefined || value === '') return dateFromSerial(0);
  if (typeof value === 'number') return dateFromSerial(value);
  if (typeof value === 'string') {
    const parsed = parseDateText(value);
    return parsed ?? invalid(call, `the text ${JSON.stringify(value)} is not a date`);
  }
  return invalid(call, `expected a date but got a ${describeType(value)} value`);
}

/** A row of a table as a record: scalar rows become `{ Value: row }` (allocates only for scalar rows). */
export function rowRecord(row: PowerFxValue): PowerFxRecord {
  return isRecord(row) ? row : { Value: row };
}

/** Evaluates `expr` once per row with the row as ThisRecord; stops at the first error value. */
export function forEachRow(
  evaluation: Evaluation,
  rows: PowerFxTable,
  expr: Expr,
  scopeName: string | undefined,
  visit: (result: Val, row: PowerFxValue, index: number) => boolean | void,
): FxError | undefined {
  for (let index = 0; index < rows.length; index += 1) {
    const row = normalize(rows[index]) as PowerFxValue;
    evaluation.pushScope(row, scopeName);
    let result: Val;
    try {
      result = evaluation.evaluate(expr);
    } finally {
      evaluation.popScope();
    }
    if (result instanceof FxError) return result;
    if (visit(result, row, index) === false) return undefined;
  }
  return undefined;
}

/** `ForAll(Topic.Rows As row, ...)`: the table expression and the scope name it was given. */
export function scopedTable(expr: Expr): { table: Expr; name: string | undefined } {
  return expr.kind === 'as' ? { table: expr.value, name: expr.name } : { table: expr, name: undefined };
}

/**
 * The rows of a lazily evaluated table argument (`Table` or `Table As Name`) with its row name; undefined
 * when the table is Blank, which makes the function's result Blank.
 */
export function scopedRows(arg: Expr, call: CallExpr, evaluation: Evaluation): { rows: PowerFxTable; name: string | undefined } | FxError | undefined {
  const { table, name } = scopedTable(arg);
  const source = evaluation.evaluate(table);
  if (source === undefined) return undefined;
  const rows = tableArg(source, call);
  return rows instanceof FxError ? rows : { rows, name };
}

/**
 * The table of a formula's per-row results: records stay records (a Blank among records is a Blank row),
 * scalars become a `Value` column.
 */
export function tableOf(values: Val[]): PowerFxValue[] {
  const ofRecords = values.some(isRecord);
  const rows: PowerFxValue[] = new Array(values.length);
  for (let index = 0; index < values.length; index += 1) {
    const value = values[index] as PowerFxValue;
    rows[index] = isRecord(value) || (ofRecords && value === undefined) ? value : { Value: value };
  }
  return rows;
}

/** A column name given as text (`"Name"`) or, in newer Power Fx, as an identifier (`Name`, `'Name'`). */
export function columnName(expr: Expr, evaluation: Evaluation, call: CallExpr): string | FxError {
  if (expr.kind === 'name' && expr.path.length === 1) return expr.path[0] as string;
  const value = evaluation.evaluate(expr);
  if (typeof value === 'string') return value;
  if (value instanceof FxError) return value;
  return invalid(call, `expected a column name but got a ${describeType(value)} value`);
}
