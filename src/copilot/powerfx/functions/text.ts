import { dateTimeFormats, formatDate, formatGeneralNumber, formatNumber, isDateFormat, parseDateText, utcText } from '../format';
import { dateFromSerial, describeType, FxError, isOptionSetMember, parseNumberText, serialFromDate, type Val } from '../values';
import { forEachRow, invalid, numberArg, scopedRows, textArg } from './helpers';
import type { CallExpr, EagerFunction, FunctionTable } from './types';

// Semantics from learn.microsoft.com/power-platform/power-fx/reference (function-text, function-value,
// function-left-mid-right, function-find, function-replace-substitute, function-split, function-ismatch,
// function-startswith, function-trim, function-concatenate) and the matching Power Fx test cases.

/** Integer argument as Power Fx takes it: numbers are truncated, `true` is 1. */
function whole(value: Val, call: CallExpr): number | FxError {
  const number = numberArg(value, call);
  return number instanceof FxError ? number : Math.trunc(number);
}

const valueFunction: EagerFunction = {
  minArgs: 1, maxArgs: 2,
  call([value], call) {
    if (value === undefined) return undefined;
    if (typeof value === 'number') return value;
    if (typeof value === 'boolean') return value ? 1 : 0;
    if (value instanceof Date) return serialFromDate(value);
    if (typeof value === 'string') {
      const number = parseNumberText(value);
      if (number === undefined) return undefined;
      return Number.isNaN(number) ? invalid(call, `the text ${JSON.stringify(value)} is not a number`) : number;
    }
    return invalid(call, `a ${describeType(value)} value is not a number`);
  },
};

export const textFunctions: FunctionTable = {
  /**
   * Text(value, [format], [language]): numbers with Excel-style formats ("0.00", "#,##0"), dates with
   * DateTimeFormat members or custom formats ("yyyy-mm-dd"). Only en-US is written.
   */
  Text: {
    minArgs: 1, maxArgs: 3,
    call([input, format], call) {
      if (call.args.length >= 2 && (format === undefined || format === '')) return '';
      if (input === undefined && call.args.length < 2) return undefined;
      // With a format, Blank is formatted as 0 (Text_ExcelCompat.txt: a Blank date is 1899-12-30).
      const value = input ?? 0;
      if (format === undefined) return plainText(value, call);
      if (isOptionSetMember(format)) {
        if (format.optionSet !== 'DateTimeFormat') return invalid(call, `${format.optionSet}.${format.member} is not a DateTimeFormat`);
        const date = value instanceof Date ? value : typeof value === 'number' ? dateFromSerial(value) : typeof value === 'string' ? parseDateText(value) : undefined;
        if (date === undefined) return invalid(call, `a ${describeType(value)} value cannot be formatted as a date`);
        if (format.member === 'UTC') return utcText(date);
        const pattern = dateTimeFormats[format.member];
        return pattern === undefined ? invalid(call, `unknown DateTimeFormat.${format.member}`) : formatDate(date, pattern);
      }
      const pattern = textArg(format, call);
      if (pattern instanceof FxError) return pattern;
      if (value instanceof Date) return isDateFormat(pattern) ? formatDate(value, pattern) : formatNumber(serialFromDate(value), pattern);
      if (typeof value === 'number' || typeof value === 'boolean') {
        const number = typeof value === 'boolean' ? (value ? 1 : 0) : value;
        return isDateFormat(pattern) ? formatDate(dateFromSerial(number), pattern) : formatNumber(number, pattern);
      }
      if (typeof value === 'string') {
        if (isDateFormat(pattern)) {
          const date = parseDateText(value);
          return date === undefined ? invalid(call, `the text ${JSON.stringify(value)} is not a date`) : formatDate(date, pattern);
        }
        const number = parseNumberText(value);
        if (number === undefined) return '';
        return Number.isNaN(number) ? invalid(call, `the text ${JSON.stringify(value)} is not a number`) : formatNumber(number, pattern);
      }
      return plainText(value, call);
    },
  },

  /**
   * Value(text): "1,234.5", "$12", "12%" and "2e3" read as numbers; "" is Blank; other text is an
   * InvalidArgument error (Value.txt: Value("xxx")), which IfError can catch. Float and Decimal are the
   * same here: the engine has one number type.
   */
  Value: valueFunction,
  Float: valueFunction,
  Decimal: valueFunction,

  IsNumeric: {
    minArgs: 1, maxArgs: 1,
    call([value]) {
      if (typeof value === 'number') return true;
      if (typeof value !== 'string') return false;
      const number = parseNumberText(value);
      return number !== undefined && !Number.isNaN(number);
    },
  },

  Lower: { minArgs: 1, maxArgs: 1, call: ([value], call) => mapText(value, call, (text) => text.toLowerCase()) },
  Upper: { minArgs: 1, maxArgs: 1, call: ([value], call) => mapText(value, call, (text) => text.toUpperCase()) },
  Proper: {
    minArgs: 1, maxArgs: 1,
    call: ([value], call) => mapText(value, call, (text) => text.toLowerCase().replace(/(^|[^\p{L}])(\p{L})/gu, (_all, before: string, letter: string) => before + letter.toUpperCase())),
  },
  /** Trim removes leading and trailing spaces and shrinks runs of spaces inside the text to one. */
  Trim: { minArgs: 1, maxArgs: 1, call: ([value], call) => mapText(value, call, (text) => text.replace(/ {2,}/g, ' ').replace(/^ +| +$/g, '')) },
  TrimEnds: { minArgs: 1, maxArgs: 1, call: ([value], call) => mapText(value, call, (text) => text.replace(/^ +| +$/g, '')) },

  Len: {
    minArgs: 1, maxArgs: 1,
    call([value], call) {
      const text = textArg(value, call);
      return text instanceof FxError ? text : text.length;
    },
  },

  Left: { minArgs: 2, maxArgs: 2, call: ([value, count], call) => slice(value, count, call, (text, n) => text.slice(0, n)) },
  Right: { minArgs: 2, maxArgs: 2, call: ([value, count], call) => slice(value, count, call, (text, n) => (n === 0 ? '' : text.slice(-n))) },

  /** Mid(text, start, [count]): start is 1-based; a start below 1 is an error, past the end gives "". */
  Mid: {
    minArgs: 2, maxArgs: 3,
    call([value, startValue, countValue], call) {
      const text = textArg(value, call);
      if (text instanceof FxError) return text;
      const start = whole(startValue, call);
      if (start instanceof FxError) return start;
      const count = countValue === undefined && call.args.length < 3 ? text.length : whole(countValue, call);
      if (count instanceof FxError) return count;
      if (start < 1 || count < 0) return invalid(call, `start ${start} and count ${count} must be at least 1 and 0`);
      return text.substr(start - 1, count);
    },
  },

  /** Find(find, within, [start]): 1-based position, case-sensitive, Blank when absent. */
  Find: {
    minArgs: 2, maxArgs: 3,
    call([findValue, withinValue, startValue], call) {
      const find = textArg(findValue, call);
      if (find instanceof FxError) return find;
      const within = textArg(withinValue, call);
      if (within instanceof FxError) return within;
      let start = 1;
      if (call.args.length === 3) {
        if (startValue === undefined) return invalid(call, 'the start position is Blank');
        const number = whole(startValue, call);
        if (number instanceof FxError) return number;
        start = number;
      }
      if (start < 1 || start > within.length + 1) return invalid(call, `start position ${start} is outside the text`);
      const found = within.indexOf(find, start - 1);
      return found < 0 ? undefined : found + 1;
    },
  },

  /** Substitute(text, old, new, [instance]): every occurrence, or only the instance-th. */
  Substitute: {
    minArgs: 3, maxArgs: 4,
    call([value, oldValue, newValue, instanceValue], call) {
      const text = textArg(value, call);
      if (text instanceof FxError) return text;
      const old = textArg(oldValue, call);
      if (old instanceof FxError) return old;
      const replacement = textArg(newValue, call);
      if (replacement instanceof FxError) return replacement;
      if (old === '') return text;
      if (call.args.length < 4) return text.split(old).join(replacement);
      const instance = whole(instanceValue, call);
      if (instance instanceof FxError) return instance;
      if (instance < 1) return invalid(call, `instance ${instance} must be at least 1`);
      let position = -1;
      for (let seen = 0; seen < instance; seen += 1) {
        position = text.indexOf(old, position + 1);
        if (position < 0) return text;
      }
      return text.slice(0, position) + replacement + text.slice(position + old.length);
    },
  },

  /** Replace(text, start, count, new): replaces by position. */
  Replace: {
    minArgs: 4, maxArgs: 4,
    call([value, startValue, countValue, newValue], call) {
      const text = textArg(value, call);
      if (text instanceof FxError) return text;
      const start = whole(startValue, call);
      if (start instanceof FxError) return start;
      const count = whole(countValue, call);
      if (count instanceof FxError) return count;
      const replacement = textArg(newValue, call);
      if (replacement instanceof FxError) return replacement;
      if (start < 1 || count < 0) return invalid(call, `start ${start} and count ${count} must be at least 1 and 0`);
      return text.slice(0, start - 1) + replacement + text.slice(start - 1 + count);
    },
  },

  Concatenate: {
    minArgs: 1, maxArgs: Infinity,
    call(values, call) {
      let out = '';
      for (const value of values) {
        const text = textArg(value, call);
        if (text instanceof FxError) return text;
        out += text;
      }
      return out;
    },
  },

  /** Concat(table, formula, [separator]): the formula's text for every row, joined. */
  Concat: {
    lazy: true, minArgs: 2, maxArgs: 3,
    call(args, call, evaluation) {
      const scoped = scopedRows(args[0]!, call, evaluation);
      if (scoped === undefined || scoped instanceof FxError) return scoped;
      const { rows, name } = scoped;
      let separator = '';
      if (args[2] !== undefined) {
        const value = textArg(evaluation.evaluate(args[2]), call);
        if (value instanceof FxError) return value;
        separator = value;
      }
      const pieces: string[] = [];
      let failure: FxError | undefined;
      const error = forEachRow(evaluation, rows, args[1]!, name, (result) => {
        const text = textArg(result, call);
        if (text instanceof FxError) {
          failure = text;
          return false;
        }
        pieces.push(text);
        return true;
      });
      return error ?? failure ?? pieces.join(separator);
    },
  },

  /** Char(code): the character of a code point (Char(10) is a line break). */
  Char: {
    minArgs: 1, maxArgs: 1,
    call([value], call) {
      const code = whole(value, call);
      if (code instanceof FxError) return code;
      if (code < 1 || code > 255) return invalid(call, `character code ${code} is outside 1 to 255 (UniChar takes the rest)`);
      return String.fromCharCode(code);
    },
  },

  UniChar: {
    minArgs: 1, maxArgs: 1,
    call([value], call) {
      const code = whole(value, call);
      if (code instanceof FxError) return code;
      if (code < 1 || code > 0x10ffff) return invalid(call, `code point ${code} is out of range`);
      return String.fromCodePoint(code);
    },
  },

  /** Split(text, separator): a single-column table of `Value`; an empty separator splits into characters. */
  Split: {
    minArgs: 2, maxArgs: 2,
    call([value, separatorValue], call) {
      const text = textArg(value, call);
      if (text instanceof FxError) return text;
      const separator = textArg(separatorValue, call);
      if (separator instanceof FxError) return separator;
      if (text === '') return [];
      return text.split(separator).map((piece) => ({ Value: piece }));
    },
  },

  /** StartsWith and EndsWith ignore case. */
  StartsWith: {
    minArgs: 2, maxArgs: 2,
    call([value, prefixValue], call) {
      const text = textArg(value, call);
      if (text instanceof FxError) return text;
      const prefix = textArg(prefixValue, call);
      if (prefix instanceof FxError) return prefix;
      return text.toLowerCase().startsWith(prefix.toLowerCase());
    },
  },

  EndsWith: {
    minArgs: 2, maxArgs: 2,
    call([value, suffixValue], call) {
      const text = textArg(value, call);
      if (text instanceof FxError) return text;
      const suffix = textArg(suffixValue, call);
      if (suffix instanceof FxError) return suffix;
      return text.toLowerCase().endsWith(suffix.toLowerCase());
    },
  },

  /** IsMatch(text, pattern, [options]): the whole text must match unless MatchOptions say otherwise. */
  IsMatch: {
    minArgs: 2, maxArgs: 3,
    call([value, patternValue, optionsValue], call) {
      const text = textArg(value, call);
      if (text instanceof FxError) return text;
      const pattern = textArg(patternValue, call);
      if (pattern instanceof FxError) return pattern;
      const options = optionsValue === undefined ? '^c$' : textArg(optionsValue, call);
      if (options instanceof FxError) return options;
      const regex = compileMatch(pattern, options);
      return regex instanceof Error ? invalid(call, `the pattern ${JSON.stringify(pattern)} is not a valid regular expression`) : regex.test(text);
    },
  },

  EncodeUrl: {
    minArgs: 1, maxArgs: 1,
    call([value], call) {
      const text = textArg(value, call);
      return text instanceof FxError ? text : encodeURIComponent(text).replace(/[!'()*]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`);
    },
  },

  /** GUID() comes from env.newGuid() so runs repeat; GUID(text) checks and normalises a GUID. */
  GUID: {
    minArgs: 0, maxArgs: 1,
    call(values, call, evaluation) {
      if (values.length === 1) {
        if (values[0] === undefined) return undefined;
        const text = textArg(values[0], call);
        if (text instanceof FxError) return text;
        const compact = text.replace(/[{}()-]/g, '');
        if (!/^[0-9a-fA-F]{32}$/.test(compact)) return invalid(call, `${JSON.stringify(text)} is not a GUID`);
        const lower = compact.toLowerCase();
        return `${lower.slice(0, 8)}-${lower.slice(8, 12)}-${lower.slice(12, 16)}-${lower.slice(16, 20)}-${lower.slice(20)}`;
      }
      if (evaluation.env.newGuid === undefined) {
        return evaluation.unsupported(call, 'GUID() without a newGuid() in the environment', 'Give the environment a newGuid() from the scenario\'s seeded random source.');
      }
      return evaluation.env.newGuid();
    },
  },
};

function plainText(value: Val, call: CallExpr): Val {
  if (typeof value === 'number') return formatGeneralNumber(value);
  return textArg(value, call);
}

function mapText(value: Val, call: CallExpr, transform: (text: string) => string): Val {
  const text = textArg(value, call);
  return text instanceof FxError ? text : transform(text);
}

function slice(value: Val, countValue: Val, call: CallExpr, take: (text: string, count: number) => string): Val {
  const text = textArg(value, call);
  if (text instanceof FxError) return text;
  if (typeof countValue === 'string' && countValue.trim() !== '' && Number.isNaN(parseNumberText(countValue) ?? 0)) {
    return invalid(call, `the count ${JSON.stringify(countValue)} is not a number`);
  }
  const count = whole(countValue, call);
  if (count instanceof FxError) return count;
  if (count < 0) return invalid(call, `the count ${count} is negative`);
  return take(text, count);
}

const compiledPatterns = new Map<string, RegExp | Error>();

/** Power Fx regular expressions are .NET-flavoured; the common subset reads the same in JavaScript with the u flag. */
function compileMatch(pattern: string, options: string): RegExp | Error {
  const key = `${options}\u0000${pattern}`;
  let compiled = compiledPatterns.get(key);
  if (compiled === undefined) {
    const begins = options.includes('^');
    const ends = options.includes('$');
    const flags = `u${options.includes('i') ? 'i' : ''}${options.includes('m') ? 'm' : ''}`;
    try {
      compiled = new RegExp(`${begins ? '^' : ''}(?:${pattern})${ends ? '$' : ''}`, flags);
    } catch (error) {
      compiled = error instanceof Error ? error : new Error(String(error));
    }
    compiledPatterns.set(key, compiled);
  }
  return compiled;
}
