import { errorKindCodes, FxError, isRecord, isTable, toBoolean, valuesEqual, type PowerFxValue } from '../values';
import { booleanArg, invalid, scopedTable } from './helpers';
import type { FunctionTable } from './types';

// Semantics from learn.microsoft.com/power-platform/power-fx/reference (function-if, function-isblank-isempty,
// function-iferror, function-logicals, function-with) and the Power Fx test cases (If.txt, Coalesce.txt,
// IsEmpty.txt, IfError.txt, LazyEvaluation_ShortCircuit.txt).

export const logicFunctions: FunctionTable = {
  /** If(condition, then, [condition2, then2, ...], [else]): only the chosen branch is evaluated. */
  If: {
    lazy: true, minArgs: 2, maxArgs: Infinity,
    call(args, call, evaluation) {
      let index = 0;
      for (; index + 1 < args.length; index += 2) {
        const condition = toBoolean(evaluation.evaluate(args[index]!), call.start);
        if (condition instanceof FxError) return condition;
        if (condition) return evaluation.evaluate(args[index + 1]!);
      }
      return index < args.length ? evaluation.evaluate(args[index]!) : undefined;
    },
  },

  /** Switch(value, match1, result1, ..., [default]): matches compare with `=`. */
  Switch: {
    lazy: true, minArgs: 3, maxArgs: Infinity,
    call(args, _call, evaluation) {
      const subject = evaluation.evaluate(args[0]!);
      if (subject instanceof FxError) return subject;
      let index = 1;
      for (; index + 1 < args.length; index += 2) {
        const candidate = evaluation.evaluate(args[index]!);
        if (candidate instanceof FxError) return candidate;
        if (valuesEqual(subject, candidate)) return evaluation.evaluate(args[index + 1]!);
      }
      return index < args.length ? evaluation.evaluate(args[index]!) : undefined;
    },
  },

  And: {
    lazy: true, minArgs: 1, maxArgs: Infinity,
    call(args, call, evaluation) {
      for (const arg of args) {
        const value = toBoolean(evaluation.evaluate(arg), call.start);
        if (value !== true) return value;
      }
      return true;
    },
  },

  Or: {
    lazy: true, minArgs: 1, maxArgs: Infinity,
    call(args, call, evaluation) {
      for (const arg of args) {
        const value = toBoolean(evaluation.evaluate(arg), call.start);
        if (value !== false) return value;
      }
      return false;
    },
  },

  Not: {
    minArgs: 1, maxArgs: 1,
    call([value], call) {
      const truth = booleanArg(value, call);
      return truth instanceof FxError ? truth : !truth;
    },
  },

  Boolean: {
    minArgs: 1, maxArgs: 1,
    call([value], call) {
      return value === undefined || value === '' ? undefined : booleanArg(value, call);
    },
  },

  Blank: { minArgs: 0, maxArgs: 0, call: () => undefined },

  /** IsBlank("") is true; an error stays an error (Blank.txt: IsBlank(Abs(1/0)) is Div0). */
  IsBlank: {
    minArgs: 1, maxArgs: 1,
    call([value]) {
      return value === undefined || value === '';
    },
  },

  IsBlankOrError: {
    lazy: true, minArgs: 1, maxArgs: 1,
    call(args, _call, evaluation) {
      const value = evaluation.evaluate(args[0]!);
      return value === undefined || value === '' || value instanceof FxError;
    },
  },

  /** IsEmpty(table): Blank is empty too; anything that is not a table is an error. */
  IsEmpty: {
    minArgs: 1, maxArgs: 1,
    call([value], call) {
      if (value === undefined) return true;
      if (isTable(value)) return value.length === 0;
      return invalid(call, 'expected a table');
    },
  },

  /** Coalesce(a, b, ...): the first argument that is neither Blank nor empty text; later ones are not evaluated. */
  Coalesce: {
    lazy: true, minArgs: 1, maxArgs: Infinity,
    call(args, _call, evaluation) {
      for (const arg of args) {
        const value = evaluation.evaluate(arg);
        if (value instanceof FxError) return value;
        if (value !== undefined && value !== '') return value;
      }
      return undefined;
    },
  },

  /**
   * IfError(value, fallback, [value2, fallback2, ...], [default]): the fallback of the first error, which
   * can read FirstError.Kind and FirstError.Message; without errors, the default or the last value.
   */
  IfError: {
    lazy: true, minArgs: 2, maxArgs: Infinity,
    call(args, _call, evaluation) {
      let last: PowerFxValue = undefined;
      let index = 0;
      for (; index + 1 < args.length; index += 2) {
        const value = evaluation.evaluate(args[index]!);
        if (value instanceof FxError) {
          evaluation.pushScope({ Kind: errorKindCodes[value.kind], Message: value.message }, 'FirstError');
          try {
            return evaluation.evaluate(args[index + 1]!);
          } finally {
            evaluation.popScope();
          }
        }
        last = value;
      }
      return index < args.length ? evaluation.evaluate(args[index]!) : last;
    },
  },

  IsError: {
    lazy: true, minArgs: 1, maxArgs: 1,
    call(args, _call, evaluation) {
      return evaluation.evaluate(args[0]!) instanceof FxError;
    },
  },

  /** With(record, formula): the record's fields become names inside the formula. */
  With: {
    lazy: true, minArgs: 2, maxArgs: 2,
    call(args, call, evaluation) {
      const { table: recordExpr, name } = scopedTable(args[0]!);
      const scope = evaluation.evaluate(recordExpr);
      if (scope instanceof FxError) return scope;
      if (scope !== undefined && !isRecord(scope)) return invalid(call, 'expected a record as the first argument');
      evaluation.pushScope(scope ?? {}, name);
      try {
        return evaluation.evaluate(args[1]!);
      } finally {
        evaluation.popScope();
      }
    },
  },
};
