import { roundHalfAwayFromZero } from '../format';
import { FxError, isTable, type Val } from '../values';
import { fail, forEachRow, numberArg, scopedTable, tableArg } from './helpers';
import type { CallExpr, Evaluation, FunctionTable } from './types';
import type { Expr } from '../ast';

// Semantics from learn.microsoft.com/power-platform/power-fx/reference (function-mod, function-round,
// function-numericals, function-aggregates) and the Power Fx test cases (Mod.txt, Round.txt, MinMax.txt).

function unary(transform: (value: number) => number | FxError | undefined): FunctionTable[string] {
  return {
    minArgs: 1, maxArgs: 1,
    call([value], call) {
      const number = numberArg(value, call);
      return number instanceof FxError ? number : checked(transform(number), call);
    },
  };
}

function checked(value: number | FxError | undefined, call: CallExpr): Val {
  if (typeof value === 'number' && !Number.isFinite(value)) return fail(call, 'Numeric', 'the result is not a finite number');
  return value;
}

function rounding(direction: 'nearest' | 'up' | 'down'): FunctionTable[string] {
  return {
    minArgs: 1, maxArgs: 2,
    call([value, digitsValue], call) {
      const number = numberArg(value, call);
      if (number instanceof FxError) return number;
      const digitsNumber = numberArg(digitsValue, call);
      if (digitsNumber instanceof FxError) return digitsNumber;
      const digits = Math.trunc(digitsNumber);
      if (direction === 'nearest') return roundHalfAwayFromZero(number, digits);
      const factor = Math.pow(10, digits);
      // toPrecision(15) removes binary noise so RoundUp(2.3, 1) stays 2.3 instead of becoming 2.4.
      const scaled = Number((Math.abs(number) * factor).toPrecision(15));
      const magnitude = direction === 'up' ? Math.ceil(scaled) : Math.floor(scaled);
      return (Math.sign(number) * magnitude) / factor;
    },
  };
}

/**
 * Aggregates take scalars (Max(1, 2, 3)) or a table and a per-row formula (Max(Topic.Rows, Amount));
 * Blank values are skipped; no values at all give Blank (Average: a Div0 error, as in Power Fx).
 */
function aggregate(reduce: (values: number[]) => number): FunctionTable[string] {
  return {
    lazy: true, minArgs: 1, maxArgs: Infinity,
    call(args, call, evaluation) {
      const numbers = collectNumbers(args, call, evaluation);
      if (numbers instanceof FxError) return numbers;
      if (numbers.length === 0) return call.name === 'Average' ? fail(call, 'Div0', 'there are no values to average') : undefined;
      return checked(reduce(numbers), call);
    },
  };
}

function collectNumbers(args: readonly Expr[], call: CallExpr, evaluation: Evaluation): number[] | FxError {
  const numbers: number[] = [];
  if (args.length === 2) {
    const { table, name } = scopedTable(args[0]!);
    const first = evaluation.evaluate(table);
    if (isTable(first)) {
      const rows = tableArg(first, call);
      if (rows instanceof FxError) return rows;
      let failure: FxError | undefined;
      const error = forEachRow(evaluation, rows, args[1]!, name, (result) => {
        if (result === undefined) return true;
        const number = numberArg(result, call);
        if (number instanceof FxError) {
          failure = number;
          return false;
        }
        numbers.push(number);
        return true;
      });
      return error ?? failure ?? numbers;
    }
  }
  for (const arg of args) {
    const value = evaluation.evaluate(arg);
    if (value === undefined) continue;
    const number = numberArg(value, call);
    if (number instanceof FxError) return number;
    numbers.push(number);
  }
  return numbers;
}

export const mathFunctions: FunctionTable = {
  Abs: unary(Math.abs),
  Int: unary(Math.floor),
  Trunc: unary(Math.trunc),
  Sqrt: {
    minArgs: 1, maxArgs: 1,
    call([value], call) {
      const number = numberArg(value, call);
      if (number instanceof FxError) return number;
      return number < 0 ? fail(call, 'Numeric', `the square root of ${number} is not a real number`) : Math.sqrt(number);
    },
  },
  Power: {
    minArgs: 2, maxArgs: 2,
    call([base, exponent], call) {
      const left = numberArg(base, call);
      if (left instanceof FxError) return left;
      const right = numberArg(exponent, call);
      return right instanceof FxError ? right : checked(Math.pow(left, right), call);
    },
  },
  /** Mod(number, divisor): the result has the divisor's sign, as in Excel. */
  Mod: {
    minArgs: 2, maxArgs: 2,
    call([value, divisorValue], call) {
      const number = numberArg(value, call);
      if (number instanceof FxError) return number;
      const divisor = numberArg(divisorValue, call);
      if (divisor instanceof FxError) return divisor;
      if (divisor === 0) return fail(call, 'Div0', 'the divisor is zero');
      return number - divisor * Math.floor(number / divisor);
    },
  },
  Round: rounding('nearest'),
  RoundUp: rounding('up'),
  RoundDown: rounding('down'),
  Sum: aggregate((values) => values.reduce((total, value) => total + value, 0)),
  Average: aggregate((values) => values.reduce((total, value) => total + value, 0) / values.length),
  Max: aggregate((values) => values.reduce((best, value) => (value > best ? value : best))),
  Min: aggregate((values) => values.reduce((best, value) => (value < best ? value : best))),
};
