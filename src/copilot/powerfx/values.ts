import { defaultDateText, formatGeneralNumber } from './format';

/** A Power Fx record: a plain object whose fields hold values. */
export interface PowerFxRecord {
  readonly [field: string]: PowerFxValue;
}

/**
 * A Power Fx table: an array of records. A row that is not a record (a string from a JSON array, for
 * example) behaves as the single-column record `{ Value: row }`, as `[1, 2]` does in Power Fx.
 */
export type PowerFxTable = readonly PowerFxValue[];

/**
 * What a formula computes. Blank is `undefined` (`null` from JSON is read as Blank); date/time values are
 * `Date` instants (the engine works in UTC); option-set members are `{ optionSet, member }`.
 */
export type PowerFxValue = string | number | boolean | undefined | Date | PowerFxRecord | PowerFxTable | OptionSetMember;

/** `ChannelId.MsTeams`, `SignInReason.SignInRequired`, `'bot.topic.Survey.main.question_1'.'Very good'`. */
export interface OptionSetMember {
  readonly optionSet: string;
  readonly member: string;
}

class InternedMember implements OptionSetMember {
  constructor(readonly optionSet: string, readonly member: string) {}
}

const internedMembers = new Map<string, Map<string, InternedMember>>();

/**
 * The one shared instance for a member, so evaluating `ChannelId.MsTeams` allocates nothing after the
 * first time. Plain `{ optionSet, member }` objects work too.
 *
 * @example system.Activity.Channel = optionSetMember('ChannelId', 'Omnichannel')
 */
export function optionSetMember(optionSet: string, member: string): OptionSetMember {
  let members = internedMembers.get(optionSet);
  if (members === undefined) {
    members = new Map();
    internedMembers.set(optionSet, members);
  }
  let found = members.get(member);
  if (found === undefined) {
    found = new InternedMember(optionSet, member);
    members.set(member, found);
  }
  return found;
}

/**
 * A Power Fx error value (ErrorKind and message). It flows through operators and functions until
 * IfError/IsError handles it; evaluateFormula turns one that reaches the top into a runtime PowerFxError.
 */
export class FxError {
  constructor(
    readonly kind: ErrorKind,
    readonly message: string,
    /** Offset in the formula source of the node that raised it. */
    readonly start: number,
    readonly functionName?: string,
  ) {}
}

/** Power Fx's ErrorKind names (Microsoft.PowerFx ErrorKind), the subset this engine raises. */
export type ErrorKind = 'Div0' | 'InvalidArgument' | 'Numeric' | 'NotApplicable' | 'NotSupported' | 'Custom' | 'Validation';

export type Val = PowerFxValue | FxError;

/** ErrorKind members are numbers in Power Fx (FirstError.Kind = ErrorKind.Div0 compares 13 with 13). */
export const errorKindCodes: Readonly<Record<string, number>> = {
  None: 0, Sync: 1, MissingRequired: 2, CreatePermission: 3, EditPermission: 4, DeletePermission: 5, Conflict: 6,
  NotFound: 7, ConstraintViolated: 8, GeneratedValue: 9, ReadOnlyValue: 10, Validation: 11, Unknown: 12, Div0: 13,
  BadLanguageCode: 14, BadRegex: 15, InvalidFunctionUsage: 16, FileNotFound: 17, AnalysisError: 18, ReadPermission: 19,
  NotSupported: 20, InsufficientMemory: 21, QuotaExceeded: 22, Network: 23, Numeric: 24, InvalidArgument: 25,
  Internal: 26, NotApplicable: 27, Timeout: 28, ServiceUnavailable: 29, InvalidJSON: 30, Custom: 1000,
};

export function isError(value: unknown): value is FxError {
  return value instanceof FxError;
}

export function isOptionSetMember(value: unknown): value is OptionSetMember {
  if (value instanceof InternedMember) return true;
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as { optionSet?: unknown; member?: unknown };
  return typeof candidate.optionSet === 'string' && typeof candidate.member === 'string' && Object.keys(value).length === 2;
}

/** A plain object that is not an option-set member. */
export function isRecord(value: unknown): value is PowerFxRecord {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || value instanceof Date) return false;
  if (value instanceof InternedMember || value instanceof FxError) return false;
  return !isOptionSetMember(value);
}

export function isTable(value: unknown): value is PowerFxTable {
  return Array.isArray(value);
}

/** Values from the environment or from JSON may be `null`; Power Fx has only Blank. */
export function normalize(value: unknown): Val {
  if (value === null) return undefined;
  return value as Val;
}

const hasOwn = Object.prototype.hasOwnProperty;

/**
 * Reads a field the way Power Fx does: a field of Blank is Blank, a missing field is Blank, a column of
 * a table is a single-column table, and a scalar row answers `Value` with itself. Exported for
 * environments that walk variable paths (`Topic.Case.Id`) into stored records.
 *
 * @example path.slice(1).reduce(getField, topicVariables.get(path[0]))
 */
export function getField(value: unknown, field: string): PowerFxValue {
  const found = readField(value, field, -1);
  return isError(found) ? undefined : found;
}

export function readField(value: unknown, field: string, start: number): Val {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'object') {
    if (Array.isArray(value)) return value.map((row) => ({ [field]: asPlain(readField(row, field, start)) }));
    if (value instanceof Date || value instanceof FxError) return fieldError(value, field, start);
    if (value instanceof InternedMember) return fieldError(value, field, start);
    return hasOwn.call(value, field) ? normalize((value as Record<string, unknown>)[field]) : undefined;
  }
  if (field === 'Value') return value as Val;
  return fieldError(value, field, start);
}

function asPlain(value: Val): PowerFxValue {
  return isError(value) ? undefined : value;
}

function fieldError(value: unknown, field: string, start: number): FxError {
  if (value instanceof FxError) return value;
  return new FxError('InvalidArgument', `a ${describeType(value)} value has no field "${field}"`, start);
}

export function describeType(value: unknown): string {
  if (value === undefined || value === null) return 'Blank';
  if (typeof value === 'string') return 'Text';
  if (typeof value === 'number') return 'Number';
  if (typeof value === 'boolean') return 'Boolean';
  if (value instanceof Date) return 'DateTime';
  if (Array.isArray(value)) return 'Table';
  if (value instanceof FxError) return 'Error';
  if (isOptionSetMember(value)) return `${value.optionSet} option set`;
  return 'Record';
}

// ---------------------------------------------------------------------------------------------
// Dates: Power Fx converts dates to numbers as days since 1899-12-30 (OpMatrix_*.txt test cases:
// Value(Date(2000,1,1)) = 36526). This engine works in UTC so that runs do not depend on the machine.

export const msPerDay = 86_400_000;
const serialEpoch = Date.UTC(1899, 11, 30);

export function serialFromDate(date: Date): number {
  return (date.getTime() - serialEpoch) / msPerDay;
}

export function dateFromSerial(serial: number): Date {
  return new Date(serialEpoch + Math.round(serial * msPerDay));
}

// ---------------------------------------------------------------------------------------------
// Coercions (Power Fx type coercion rules; the engine has no binder, so it coerces at run time).

export function toNumber(value: Val, start: number): number | FxError {
  if (typeof value === 'number') return value;
  if (value === undefined) return 0;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'string') {
    const parsed = parseNumberText(value);
    return parsed === undefined ? 0 : Number.isNaN(parsed) ? new FxError('InvalidArgument', `the text ${JSON.stringify(value)} is not a number`, start) : parsed;
  }
  if (value instanceof Date) return serialFromDate(value);
  if (value instanceof FxError) return value;
  return new FxError('InvalidArgument', `a ${describeType(value)} value cannot be used as a number`, start);
}

/**
 * Reads text as Power Fx's Value() does for en-US: thousands separators, a currency sign, a percent
 * sign and exponents are allowed. Returns undefined for empty text and NaN for text that is no number.
 */
export function parseNumberText(text: string): number | undefined {
  let trimmed = text.trim();
  if (trimmed === '') return undefined;
  let scale = 1;
  let negative = false;
  let signed = false;
  let currency = false;
  // A sign, a currency symbol and a percent sign may lead in any order ("$-12", "-%12", "+$ 12").
  for (;;) {
    const first = trimmed[0];
    if ((first === '-' || first === '+') && !signed) { signed = true; negative = first === '-'; }
    else if (first === '%' && scale === 1) scale = 0.01;
    else if (first !== undefined && '$€£¥'.includes(first) && !currency) currency = true;
    else break;
    trimmed = trimmed.slice(1).trim();
  }
  if (trimmed.endsWith('%') && scale === 1) { scale = 0.01; trimmed = trimmed.slice(0, -1).trim(); }
  if (!/^(?:\d{1,3}(?:,\d{3})+|\d+)?(?:\.\d*)?(?:[eE][+-]?\d+)?$/.test(trimmed) || !/\d/.test(trimmed)) return NaN;
  const number = Number(trimmed.replace(/,/g, ''));
  return (negative ? -number : number) * scale;
}

export function toText(value: Val, start: number): string | FxError {
  if (typeof value === 'string') return value;
  if (value === undefined) return '';
  if (typeof value === 'number') return formatGeneralNumber(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (value instanceof Date) return defaultDateText(value);
  if (value instanceof FxError) return value;
  if (isOptionSetMember(value)) return value.member;
  return new FxError('InvalidArgument', `a ${describeType(value)} value cannot be used as text`, start);
}

export function toBoolean(value: Val, start: number): boolean | FxError {
  if (typeof value === 'boolean') return value;
  if (value === undefined) return false;
  if (typeof value === 'number') return value !== 0;
  if (typeof value === 'string') {
    const lower = value.toLowerCase();
    if (lower === 'true') return true;
    if (lower === 'false' || lower === '') return false;
    return new FxError('InvalidArgument', `the text ${JSON.stringify(value)} is not true or false`, start);
  }
  if (value instanceof FxError) return value;
  return new FxError('InvalidArgument', `a ${describeType(value)} value cannot be used as true or false`, start);
}

// ---------------------------------------------------------------------------------------------
// Comparison

/**
 * `=` of Power Fx: Blank equals only Blank (`Blank() = ""` is false), text is compared case-sensitively,
 * an option-set member equals the same member and, against text, its member name ignoring case. Values
 * of different scalar types are compared as text: the binder of real Power Fx would have rejected those
 * formulas, and here they usually come from a simulated variable typed more loosely than in Copilot Studio.
 */
export function valuesEqual(left: PowerFxValue, right: PowerFxValue): boolean {
  if (left === right) return true;
  if (left === undefined || right === undefined) return false;
  const leftType = typeof left;
  if (leftType === typeof right && leftType !== 'object') return false;
  if (left instanceof Date || right instanceof Date) {
    if (left instanceof Date && right instanceof Date) return left.getTime() === right.getTime();
    const other = left instanceof Date ? right : left;
    const date = (left instanceof Date ? left : right) as Date;
    if (typeof other === 'number') return serialFromDate(date) === other;
    if (typeof other === 'string') return defaultDateText(date) === other;
    return false;
  }
  const leftMember = isOptionSetMember(left);
  const rightMember = isOptionSetMember(right);
  if (leftMember || rightMember) {
    if (leftMember && rightMember) return left.optionSet === right.optionSet && left.member === right.member;
    const member = (leftMember ? left : right) as OptionSetMember;
    const other = leftMember ? right : left;
    return typeof other === 'string' && other.toLowerCase() === member.member.toLowerCase();
  }
  if (Array.isArray(left) || Array.isArray(right)) {
    if (!Array.isArray(left) || !Array.isArray(right) || left.length !== right.length) return false;
    for (let index = 0; index < left.length; index += 1) if (!rowsEqual(left[index], right[index])) return false;
    return true;
  }
  if (typeof left === 'object' || typeof right === 'object') {
    if (typeof left !== 'object' || typeof right !== 'object') return false;
    return recordsEqual(left as PowerFxRecord, right as PowerFxRecord);
  }
  return String(left) === String(right);
}

function rowsEqual(left: PowerFxValue, right: PowerFxValue): boolean {
  return valuesEqual(isRecord(left) ? left : { Value: left }, isRecord(right) ? right : { Value: right });
}

function recordsEqual(left: PowerFxRecord, right: PowerFxRecord): boolean {
  const leftKeys = Object.keys(left);
  if (leftKeys.length !== Object.keys(right).length) return false;
  for (const key of leftKeys) {
    if (!hasOwn.call(right, key) || !valuesEqual(normalize(left[key]) as PowerFxValue, normalize(right[key]) as PowerFxValue)) return false;
  }
  return true;
}

/**
 * Ordering for `<`, `<=`, `>`, `>=` and sorting: numbers, dates and booleans by value with Blank as 0
 * (`Blank() < 0.0000001` is true in Power Fx), text ordinally. Returns NaN when the two cannot be ordered.
 */
export function compareValues(left: PowerFxValue, right: PowerFxValue): number {
  if (typeof left === 'string' && typeof right === 'string') return left < right ? -1 : left > right ? 1 : 0;
  if (typeof left === 'string' && right === undefined) return left === '' ? 0 : 1;
  if (left === undefined && typeof right === 'string') return right === '' ? 0 : -1;
  const leftNumber = orderingNumber(left);
  const rightNumber = orderingNumber(right);
  if (leftNumber === undefined || rightNumber === undefined) {
    if (typeof left === 'string' || typeof right === 'string') {
      const leftText = toText(left, -1);
      const rightText = toText(right, -1);
      if (typeof leftText === 'string' && typeof rightText === 'string') return leftText < rightText ? -1 : leftText > rightText ? 1 : 0;
    }
    return NaN;
  }
  return leftNumber - rightNumber;
}

function orderingNumber(value: PowerFxValue): number | undefined {
  if (typeof value === 'number') return value;
  if (value === undefined) return 0;
  if (value instanceof Date) return serialFromDate(value);
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'string') {
    const parsed = parseNumberText(value);
    return parsed === undefined || Number.isNaN(parsed) ? undefined : parsed;
  }
  return undefined;
}

/** Blank, empty text, or an empty table read as blank by IsBlank? Only the first two: IsBlank([]) is false. */
export function isBlankValue(value: Val): boolean {
  return value === undefined || value === '';
}
