import type { BinaryOperator, Expr, FormulaAst } from './ast';
import { formatLocation, PowerFxError, type SourceLocation } from './errors';
import { functions, type Evaluation, type PowerFxEnvironment } from './functions';
import { knownPowerFxFunctions } from './functions/known-functions';
import { optionSets, textEnums, variableScopes } from './option-sets';
import { isTimeOnly } from './format';
import { locate } from './parser';
import {
  compareValues, dateFromSerial, describeType, errorKindCodes, FxError, isRecord, isTable, msPerDay, normalize, optionSetMember,
  readField, serialFromDate, toBoolean, toNumber, toText, valuesEqual,
  type PowerFxRecord, type PowerFxValue, type Val,
} from './values';

interface ScopeFrame {
  readonly record: PowerFxValue;
  readonly name: string | undefined;
}

const hasOwn = Object.prototype.hasOwnProperty;

class FormulaEvaluation implements Evaluation {
  private readonly scopes: ScopeFrame[] = [];

  constructor(readonly formula: FormulaAst, readonly env: PowerFxEnvironment) {}

  pushScope(record: PowerFxValue, name?: string): void {
    this.scopes.push({ record, name });
  }

  popScope(): void {
    this.scopes.pop();
  }

  location(expr: Expr | number): SourceLocation {
    return locate(this.formula.source, this.formula.where, typeof expr === 'number' ? expr : expr.start);
  }

  unsupported(expr: Expr, what: string, remedy = 'Rewrite the formula with supported functions, or implement the function in src/copilot/powerfx/functions.'): never {
    const location = this.location(expr);
    throw new PowerFxError(
      'unsupported',
      `Power Fx formula at ${formatLocation(location)} uses ${what}, which this engine does not support. ` +
        `The formula cannot run in the simulation. ${remedy}`,
      { location, functionName: expr.kind === 'call' ? expr.name : undefined },
    );
  }

  evaluate(expr: Expr): Val {
    switch (expr.kind) {
      case 'number':
      case 'text':
      case 'boolean':
        return expr.value;
      case 'name':
        return this.resolveName(expr);
      case 'binary':
        return this.binary(expr.operator, expr.left, expr.right, expr.start);
      case 'call':
        return this.call(expr);
      case 'unary':
        return this.unary(expr);
      case 'member': {
        const object = this.evaluate(expr.object);
        if (object instanceof FxError) return object;
        return readField(object, expr.field, expr.start);
      }
      case 'record': {
        const record: Record<string, PowerFxValue> = {};
        for (const field of expr.fields) {
          const value = this.evaluate(field.value);
          if (value instanceof FxError) return value;
          record[field.name] = value;
        }
        return record;
      }
      case 'table': {
        const rows: PowerFxValue[] = new Array(expr.items.length);
        for (let index = 0; index < expr.items.length; index += 1) {
          const value = this.evaluate(expr.items[index] as Expr);
          if (value instanceof FxError) return value;
          rows[index] = isRecord(value) ? value : { Value: value };
        }
        return rows;
      }
      case 'interpolation': {
        let out = '';
        for (const part of expr.parts) {
          if (typeof part === 'string') {
            out += part;
            continue;
          }
          const text = toText(this.evaluate(part), part.start);
          if (text instanceof FxError) return text;
          out += text;
        }
        return out;
      }
      case 'as':
        return this.evaluate(expr.value);
    }
  }

  /**
   * Names resolve, in order: row scopes (ThisRecord, `As` names, then columns of the current rows),
   * variable scopes (Topic, Global, System, Env → env.getVariable with the whole path), option sets.
   */
  private resolveName(expr: Extract<Expr, { kind: 'name' }>): Val {
    const path = expr.path;
    const head = path[0] as string;
    for (let index = this.scopes.length - 1; index >= 0; index -= 1) {
      const frame = this.scopes[index] as ScopeFrame;
      if (frame.name !== undefined) {
        if (frame.name === head) return this.walk(frame.record, path, 1, expr.start);
        continue;
      }
      if (head === 'ThisRecord') return this.walk(frame.record, path, 1, expr.start);
      if (hasColumn(frame.record, head)) return this.walk(frame.record, path, 0, expr.start);
    }
    if (variableScopes.has(head)) return normalize(this.env.getVariable(path));
    const optionSet = optionSets.get(head);
    if (optionSet !== undefined) return this.optionSetValue(expr, head, optionSet.members);
    if (head === 'ErrorKind' && path.length === 2) {
      const code = errorKindCodes[path[1] as string];
      if (code !== undefined) return code;
    }
    const textEnum = textEnums.get(head);
    if (textEnum !== undefined && path.length === 2) {
      const text = textEnum[path[1] as string];
      if (text !== undefined) return text;
    }
    // A quoted name with dots is a topic's choice option set: 'bot.topic.Survey.main.question_1'.'Very good'
    // (docs/copilot-topic-yaml.md §2.2.2).
    if (head.includes('.') && path.length === 2) return optionSetMember(head, path[1] as string);
    // Rows of one table need not all carry every column (JSON from connectors): a missing column is Blank.
    if (path.length === 1 && this.hasRowScope()) return undefined;
    return this.unsupported(expr, `the name "${path.join('.')}", which is not a variable (Topic., Global., System., Env.), a column in scope or a known option set`);
  }

  private hasRowScope(): boolean {
    for (const frame of this.scopes) if (frame.name === undefined) return true;
    return false;
  }

  private optionSetValue(expr: Extract<Expr, { kind: 'name' }>, setName: string, members: ReadonlySet<string> | 'open'): Val {
    const member = expr.path[1];
    if (member === undefined) return this.unsupported(expr, `the option set ${setName} without a member`);
    if (members !== 'open' && !members.has(member)) {
      return this.unsupported(expr, `the member "${member}" of option set ${setName} (known members: ${[...members].join(', ')})`);
    }
    const value = optionSetMember(setName, member);
    return expr.path.length > 2 ? this.walk(value, expr.path, 2, expr.start) : value;
  }

  private walk(value: PowerFxValue, path: readonly string[], from: number, start: number): Val {
    let current: Val = value;
    for (let index = from; index < path.length; index += 1) {
      current = readField(current, path[index] as string, start);
      if (current instanceof FxError) return current;
    }
    return current;
  }

  private call(expr: Extract<Expr, { kind: 'call' }>): Val {
    const definition = functions.get(expr.name);
    if (definition === undefined) {
      return this.unsupported(expr, knownPowerFxFunctions.has(expr.name) ? `the function ${expr.name}` : `the unknown function ${expr.name}`);
    }
    if (definition.lazy === true) return definition.call(expr.args, expr, this);
    const values: Val[] = new Array(expr.args.length);
    for (let index = 0; index < expr.args.length; index += 1) {
      const value = this.evaluate(expr.args[index] as Expr);
      if (value instanceof FxError) return value;
      values[index] = value;
    }
    return definition.call(values, expr, this);
  }

  private unary(expr: Extract<Expr, { kind: 'unary' }>): Val {
    const operand = this.evaluate(expr.operand);
    if (operand instanceof FxError) return operand;
    if (expr.operator === '!') {
      const truth = toBoolean(operand, expr.start);
      return truth instanceof FxError ? truth : !truth;
    }
    const number = toNumber(operand, expr.start);
    if (number instanceof FxError) return number;
    return expr.operator === '-' ? -number : number / 100;
  }

  private binary(operator: BinaryOperator, leftExpr: Expr, rightExpr: Expr, start: number): Val {
    // And/Or evaluate their right side only when needed (LazyEvaluation_ShortCircuit.txt).
    if (operator === '&&' || operator === '||') {
      const left = toBoolean(this.evaluate(leftExpr), start);
      if (left instanceof FxError) return left;
      if (operator === '&&' ? !left : left) return left;
      return toBoolean(this.evaluate(rightExpr), start);
    }
    const left = this.evaluate(leftExpr);
    if (left instanceof FxError) return left;
    const right = this.evaluate(rightExpr);
    if (right instanceof FxError) return right;
    switch (operator) {
      case '=':
        return valuesEqual(left, right);
      case '<>':
        return !valuesEqual(left, right);
      case '<':
      case '<=':
      case '>':
      case '>=': {
        const order = compareValues(left, right);
        if (Number.isNaN(order)) return new FxError('InvalidArgument', `a ${describeType(left)} value cannot be compared with a ${describeType(right)} value`, start);
        return operator === '<' ? order < 0 : operator === '<=' ? order <= 0 : operator === '>' ? order > 0 : order >= 0;
      }
      case 'in':
      case 'exactin':
        return membership(left, right, operator === 'exactin', start);
      case '&': {
        const leftText = toText(left, start);
        if (leftText instanceof FxError) return leftText;
        const rightText = toText(right, start);
        return rightText instanceof FxError ? rightText : leftText + rightText;
      }
      default:
        return arithmetic(operator, left, right, start);
    }
  }
}

/** Does the row answer to this bare name? Scalar rows answer `Value` (single-column tables). */
function hasColumn(row: PowerFxValue, name: string): boolean {
  if (row === undefined) return false;
  if (typeof row === 'object' && !Array.isArray(row) && !(row instanceof Date)) return hasOwn.call(row, name);
  return name === 'Value';
}

/**
 * `in` / `exactin`: substring test on text (ignoring case for `in`), or membership in a table, where a
 * single-column row is compared by its one value and other rows as whole records.
 */
function membership(left: PowerFxValue, right: PowerFxValue, exact: boolean, start: number): Val {
  if (isTable(right)) {
    for (const row of right) {
      const candidate = singleValue(row as PowerFxValue, left);
      if (typeof left === 'string' && typeof candidate === 'string') {
        if (exact ? left === candidate : left.toLowerCase() === candidate.toLowerCase()) return true;
      } else if (valuesEqual(left, candidate)) return true;
    }
    return false;
  }
  const needle = toText(left, start);
  if (needle instanceof FxError) return needle;
  const haystack = toText(right, start);
  if (haystack instanceof FxError) return haystack;
  return exact ? haystack.includes(needle) : haystack.toLowerCase().includes(needle.toLowerCase());
}

function singleValue(row: PowerFxValue, probe: PowerFxValue): PowerFxValue {
  if (!isRecord(row) || isRecord(probe)) return row;
  const keys = Object.keys(row);
  return keys.length === 1 ? normalize((row as PowerFxRecord)[keys[0] as string]) as PowerFxValue : row;
}

/**
 * + - * / ^ on numbers (Blank is 0, text and booleans coerce). A date plus or minus a number moves by
 * days; a date minus a date is the number of days between them (OpMatrix_Minus_Float.txt).
 */
function arithmetic(operator: BinaryOperator, left: PowerFxValue, right: PowerFxValue, start: number): Val {
  if ((operator === '+' || operator === '-') && (left instanceof Date || right instanceof Date)) {
    if (left instanceof Date && right instanceof Date) {
      // A Time is a date on day 0; Date + Time is a DateTime (DateTime.txt).
      if (operator === '+' && (isTimeOnly(left) || isTimeOnly(right))) return dateFromSerial(serialFromDate(left) + serialFromDate(right));
      if (operator === '+') return new FxError('NotSupported', 'two dates cannot be added', start);
      return (left.getTime() - right.getTime()) / msPerDay;
    }
    if (!(left instanceof Date)) {
      if (operator === '-') return new FxError('NotSupported', 'a date cannot be subtracted from a number', start);
      return shiftDate(right as Date, left, 1, start);
    }
    return shiftDate(left, right, operator === '+' ? 1 : -1, start);
  }
  const a = toNumber(left, start);
  if (a instanceof FxError) return a;
  const b = toNumber(right, start);
  if (b instanceof FxError) return b;
  let result: number;
  switch (operator) {
    case '+': result = a + b; break;
    case '-': result = a - b; break;
    case '*': result = a * b; break;
    case '/':
      if (b === 0) return new FxError('Div0', 'division by zero', start);
      result = a / b;
      break;
    case '^':
      if (a === 0 && b < 0) return new FxError('Div0', 'zero raised to a negative power', start);
      result = Math.pow(a, b);
      break;
    default:
      return new FxError('NotSupported', `operator ${operator}`, start);
  }
  return Number.isFinite(result) ? result : new FxError('Numeric', 'the result is not a finite number', start);
}

function shiftDate(date: Date, days: PowerFxValue, sign: 1 | -1, start: number): Val {
  const count = toNumber(days, start);
  if (count instanceof FxError) return count;
  return dateFromSerial(serialFromDate(date) + sign * count);
}

/**
 * Evaluates a parsed formula. Blank is `undefined`. A Power Fx error value that reaches the top
 * (division by zero, an invalid argument) throws a PowerFxError of code `runtime`; a construct the
 * engine does not implement throws one of code `unsupported`.
 *
 * @example evaluateFormula(parseFormula('=Topic.Tries < 3'), { getVariable: () => 1, now: () => 0 }) // true
 */
export function evaluateFormula(ast: FormulaAst, env: PowerFxEnvironment): PowerFxValue {
  const evaluation = new FormulaEvaluation(ast, env);
  let result: Val;
  try {
    result = evaluation.evaluate(ast.body);
  } catch (error) {
    if (error instanceof PowerFxError) throw error;
    const location = evaluation.location(ast.body);
    throw new PowerFxError(
      'runtime',
      `Power Fx formula at ${formatLocation(location)} failed: ${error instanceof Error ? error.message : String(error)}. ` +
        'The engine or the environment threw instead of returning a value. Report the formula with this message so the engine can be fixed.',
      { location },
    );
  }
  if (result instanceof FxError) {
    const location = evaluation.location(result.start);
    throw new PowerFxError(
      'runtime',
      `Power Fx formula at ${formatLocation(location)} produced an error: ${result.message} (ErrorKind.${result.kind}). ` +
        'Copilot Studio would route this to the OnError topic. ' +
        'Guard the formula with IfError() or fix the values it reads.',
      { location, functionName: result.functionName, errorKind: result.kind },
    );
  }
  return result;
}
