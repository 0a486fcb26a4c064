import { compareValues, describeType, FxError, isOptionSetMember, isRecord, isTable, normalize, readField, toBoolean, valuesEqual, type PowerFxRecord, type PowerFxValue, type Val } from '../values';
import { columnName, forEachRow, invalid, numberArg, rowRecord, scopedRows, scopedTable, tableArg, tableOf } from './helpers';
import type { CallExpr, Evaluation, FunctionTable } from './types';
import type { Expr } from '../ast';

// Semantics from learn.microsoft.com/power-platform/power-fx/reference (function-first-last,
// function-filter-lookup, function-forall, function-table-counts, function-sort, function-sequence,
// function-index, function-table) and the Power Fx test cases (FirstLastN.txt, Index.txt, Sequence.txt).

/** Rows that satisfy every condition, each evaluated with the row as ThisRecord. */
function matchingRows(
  args: readonly Expr[],
  call: CallExpr,
  evaluation: Evaluation,
  conditions: readonly Expr[],
  limit: number,
): { rows: PowerFxValue[]; name: string | undefined; blank: boolean } | FxError {
  const { table, name } = scopedTable(args[0]!);
  const source = evaluation.evaluate(table);
  const rows = tableArg(source, call);
  if (rows instanceof FxError) return rows;
  const kept: PowerFxValue[] = [];
  for (const entry of rows) {
    if (kept.length >= limit) break;
    const row = normalize(entry) as PowerFxValue;
    evaluation.pushScope(row, name);
    let keep: boolean | FxError = true;
    try {
      for (const condition of conditions) {
        keep = toBoolean(evaluation.evaluate(condition), call.start);
        if (keep !== true) break;
      }
    } finally {
      evaluation.popScope();
    }
    if (keep instanceof FxError) return keep;
    if (keep) kept.push(row);
  }
  return { rows: kept, name, blank: source === undefined };
}

function count(value: Val, call: CallExpr): Val {
  const number = numberArg(value, call);
  return number instanceof FxError ? number : Math.trunc(number);
}

export const tableFunctions: FunctionTable = {
  First: {
    minArgs: 1, maxArgs: 1,
    call([value], call) {
      const rows = tableArg(value, call);
      return rows instanceof FxError ? rows : normalize(rows[0]);
    },
  },
  Last: {
    minArgs: 1, maxArgs: 1,
    call([value], call) {
      const rows = tableArg(value, call);
      return rows instanceof FxError ? rows : normalize(rows[rows.length - 1]);
    },
  },
  FirstN: {
    minArgs: 1, maxArgs: 2,
    call([value, countValue], call) {
      if (value === undefined) return undefined;
      const rows = tableArg(value, call);
      if (rows instanceof FxError) return rows;
      const n = call.args.length < 2 ? 1 : count(countValue, call);
      return typeof n === 'number' ? rows.slice(0, Math.max(0, n)) : n;
    },
  },
  LastN: {
    minArgs: 1, maxArgs: 2,
    call([value, countValue], call) {
      if (value === undefined) return undefined;
      const rows = tableArg(value, call);
      if (rows instanceof FxError) return rows;
      const n = call.args.length < 2 ? 1 : count(countValue, call);
      return typeof n === 'number' ? (n <= 0 ? [] : rows.slice(-n)) : n;
    },
  },
  /** Index(table, n): 1-based; outside the table is an InvalidArgument error; a Blank table gives Blank. */
  Index: {
    minArgs: 2, maxArgs: 2,
    call([value, position], call) {
      if (value === undefined) return undefined;
      const rows = tableArg(value, call);
      if (rows instanceof FxError) return rows;
      if (position === undefined) return invalid(call, 'the position is Blank');
      const n = count(position, call);
      if (typeof n !== 'number') return n;
      if (n < 1 || n > rows.length) return invalid(call, `position ${n} is outside a table of ${rows.length} row(s)`);
      return normalize(rows[n - 1]);
    },
  },
  CountRows: {
    minArgs: 1, maxArgs: 1,
    call([value], call) {
      const rows = tableArg(value, call);
      return rows instanceof FxError ? rows : rows.length;
    },
  },
  CountIf: {
    lazy: true, minArgs: 2, maxArgs: Infinity,
    call(args, call, evaluation) {
      const found = matchingRows(args, call, evaluation, args.slice(1), Infinity);
      return found instanceof FxError ? found : found.rows.length;
    },
  },
  Filter: {
    lazy: true, minArgs: 2, maxArgs: Infinity,
    call(args, call, evaluation) {
      const found = matchingRows(args, call, evaluation, args.slice(1), Infinity);
      return found instanceof FxError ? found : found.blank ? undefined : found.rows;
    },
  },
  /** LookUp(table, condition, [reduction]): the first matching row (or the reduction of it), else Blank. */
  LookUp: {
    lazy: true, minArgs: 2, maxArgs: 3,
    call(args, call, evaluation) {
      const found = matchingRows(args, call, evaluation, [args[1]!], 1);
      if (found instanceof FxError) return found;
      const row = found.rows[0];
      if (found.rows.length === 0) return undefined;
      if (args[2] === undefined) return row;
      evaluation.pushScope(row, found.name);
      try {
        return evaluation.evaluate(args[2]);
      } finally {
        evaluation.popScope();
      }
    },
  },
  /** ForAll(table, formula): a table of the results; scalar results become a `Value` column. */
  ForAll: {
    lazy: true, minArgs: 2, maxArgs: 2,
    call(args, call, evaluation) {
      const scoped = scopedRows(args[0]!, call, evaluation);
      if (scoped === undefined || scoped instanceof FxError) return scoped;
      const { rows, name } = scoped;
      const results: Val[] = [];
      const error = forEachRow(evaluation, rows, args[1]!, name, (result) => {
        results.push(result);
      });
      return error ?? tableOf(results);
    },
  },
  /** Table(record, ...) or Table(untyped array): a table; tables given as arguments are appended. */
  Table: {
    minArgs: 0, maxArgs: Infinity,
    call(values, call) {
      const rows: PowerFxValue[] = [];
      for (const value of values) {
        if (isTable(value)) for (const row of value) rows.push(rowRecord(normalize(row) as PowerFxValue));
        else if (value === undefined || isRecord(value)) rows.push(value);
        else return invalid(call, `expected records but got a ${describeType(value)} value`);
      }
      return rows;
    },
  },
  /** SortByColumns(table, column, [SortOrder], column2, [SortOrder2], ...): a stable sort. */
  SortByColumns: {
    lazy: true, minArgs: 2, maxArgs: Infinity,
    call(args, call, evaluation) {
      const source = evaluation.evaluate(args[0]!);
      if (source === undefined) return undefined;
      const rows = tableArg(source, call);
      if (rows instanceof FxError) return rows;
      const keys: Array<{ column: string; descending: boolean }> = [];
      for (let index = 1; index < args.length; index += 1) {
        const column = columnName(args[index]!, evaluation, call);
        if (column instanceof FxError) return column;
        let descending = false;
        const next = args[index + 1];
        if (next !== undefined && isSortOrderArgument(next)) {
          const order = sortOrder(evaluation.evaluate(next), call);
          if (order instanceof FxError) return order;
          descending = order;
          index += 1;
        }
        keys.push({ column, descending });
      }
      return stableSort(rows, (left, right) => {
        for (const key of keys) {
          const order = compareForSort(readField(left, key.column, call.start), readField(right, key.column, call.start), key.descending);
          if (order !== 0) return order;
        }
        return 0;
      });
    },
  },
  /** Sort(table, formula, [SortOrder]). */
  Sort: {
    lazy: true, minArgs: 2, maxArgs: 3,
    call(args, call, evaluation) {
      const scoped = scopedRows(args[0]!, call, evaluation);
      if (scoped === undefined || scoped instanceof FxError) return scoped;
      const { rows, name } = scoped;
      let descending = false;
      if (args[2] !== undefined) {
        const order = sortOrder(evaluation.evaluate(args[2]), call);
        if (order instanceof FxError) return order;
        descending = order;
      }
      const sortKeys: Val[] = [];
      const error = forEachRow(evaluation, rows, args[1]!, name, (result) => {
        sortKeys.push(result);
      });
      if (error !== undefined) return error;
      const indexes = rows.map((_row, index) => index);
      indexes.sort((left, right) => {
        return compareForSort(sortKeys[left], sortKeys[right], descending) || left - right;
      });
      return indexes.map((index) => rows[index] as PowerFxValue);
    },
  },
  /** Distinct(table, formula): the distinct results in first-seen order, as a `Value` column. */
  Distinct: {
    lazy: true, minArgs: 2, maxArgs: 2,
    call(args, call, evaluation) {
      const scoped = scopedRows(args[0]!, call, evaluation);
      if (scoped === undefined || scoped instanceof FxError) return scoped;
      const { rows, name } = scoped;
      const seen: PowerFxValue[] = [];
      const error = forEachRow(evaluation, rows, args[1]!, name, (result) => {
        const value = result as PowerFxValue;
        if (!seen.some((known) => valuesEqual(known, value))) seen.push(value);
      });
      return error ?? seen.map((value) => ({ Value: value }));
    },
  },
  /** ShowColumns(table, column, ...): only the named columns. */
  ShowColumns: {
    lazy: true, minArgs: 2, maxArgs: Infinity,
    call(args, call, evaluation) {
      const source = evaluation.evaluate(args[0]!);
      const columns: string[] = [];
      for (const arg of args.slice(1)) {
        const column = columnName(arg, evaluation, call);
        if (column instanceof FxError) return column;
        columns.push(column);
      }
      const pick = (row: PowerFxValue): PowerFxRecord => {
        const record: Record<string, PowerFxValue> = {};
        for (const column of columns) {
          const value = readField(row, column, call.start);
          record[column] = value instanceof FxError ? undefined : value;
        }
        return record as PowerFxRecord;
      };
      if (isRecord(source)) return pick(source);
      const rows = tableArg(source, call);
      return rows instanceof FxError ? rows : rows.map((row) => pick(row as PowerFxValue));
    },
  },
  /** Sequence(count, [start], [step]): a `Value` column of numbers; at most 50,000 rows, as in Power Fx. */
  Sequence: {
    minArgs: 1, maxArgs: 3,
    call([countValue, startValue, stepValue], call) {
      const n = count(countValue, call);
      if (typeof n !== 'number') return n;
      const start = call.args.length < 2 ? 1 : numberArg(startValue, call);
      if (start instanceof FxError) return start;
      const step = call.args.length < 3 ? 1 : numberArg(stepValue, call);
      if (step instanceof FxError) return step;
      if (n > 50_000) return invalid(call, `${n} rows is more than the 50,000 Power Fx allows`);
      const rows: PowerFxRecord[] = [];
      for (let index = 0; index < n; index += 1) rows.push({ Value: start + index * step });
      return rows;
    },
  },
};

/** Column names are single identifiers or text; anything else after a column is its sort order. */
function isSortOrderArgument(expr: Expr): boolean {
  if (expr.kind === 'name') return expr.path[0] === 'SortOrder' || expr.path.length > 1;
  if (expr.kind === 'text') return /^(ascending|descending)$/i.test(expr.value);
  return true;
}

/** SortOrder.Descending, or the text "Descending"/"descending". */
function sortOrder(value: Val, call: CallExpr): boolean | FxError {
  if (value instanceof FxError) return value;
  const name = isOptionSetMember(value) ? value.member : typeof value === 'string' ? value : undefined;
  if (name !== undefined && /^descending$/i.test(name)) return true;
  if (name !== undefined && /^ascending$/i.test(name)) return false;
  return invalid(call, 'expected SortOrder.Ascending or SortOrder.Descending');
}

// Text sorts as .NET's culture comparison does: case-insensitive first, lower case before upper case.
const collator = new Intl.Collator('en-US', { sensitivity: 'variant', caseFirst: 'lower' });

/** Blank sorts last in either direction (Sort.txt); values that cannot be ordered keep their order. */
function compareForSort(left: Val, right: Val, descending: boolean): number {
  if (left instanceof FxError || right instanceof FxError) return 0;
  if (left === undefined) return right === undefined ? 0 : 1;
  if (right === undefined) return -1;
  const order = typeof left === 'string' && typeof right === 'string' ? collator.compare(left, right) : compareValues(left, right);
  if (Number.isNaN(order)) return 0;
  return descending ? -Math.sign(order) : Math.sign(order);
}

function stableSort(rows: readonly PowerFxValue[], compare: (left: PowerFxValue, right: PowerFxValue) => number): PowerFxValue[] {
  const indexes = rows.map((_row, index) => index);
  indexes.sort((left, right) => compare(rows[left] as PowerFxValue, rows[right] as PowerFxValue) || left - right);
  return indexes.map((index) => rows[index] as PowerFxValue);
}
