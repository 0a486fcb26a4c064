// Text() formats of Power Fx for the en-US language, in UTC (the engine's documented time zone).
// Placeholders follow learn.microsoft.com/power-platform/power-fx/reference/function-text and the
// Power Fx test cases (Text_Format.txt): 0 # , . % for numbers; d m y h s f AM/PM for dates, where m
// next to h or s means minutes.

const monthNames = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const dayNames = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

/** Power Fx's DateTimeFormat option set, spelled as format strings for en-US. */
export const dateTimeFormats: Readonly<Record<string, string>> = {
  LongDate: 'dddd, mmmm d, yyyy',
  LongDateTime: 'dddd, mmmm d, yyyy h:mm:ss AM/PM',
  LongDateTime24: 'dddd, mmmm d, yyyy hh:mm:ss',
  LongTime: 'h:mm:ss AM/PM',
  LongTime24: 'hh:mm:ss',
  ShortDate: 'm/d/yyyy',
  ShortDateTime: 'm/d/yyyy h:mm AM/PM',
  ShortDateTime24: 'm/d/yyyy hh:mm',
  ShortTime: 'h:mm AM/PM',
  ShortTime24: 'hh:mm',
};

/** Numbers as Text(n) writes them: up to 15 significant digits, no exponent below 1e15. */
export function formatGeneralNumber(value: number): string {
  if (Number.isInteger(value) && Math.abs(value) < 1e15) return String(value);
  const rounded = Number(value.toPrecision(15));
  if (Math.abs(rounded) >= 1e-7 || rounded === 0) {
    const text = String(rounded);
    if (!text.includes('e')) return text;
  }
  return rounded.toExponential().replace(/e\+?/, 'E+').replace('E+-', 'E-');
}

/** A date whose UTC time is midnight is shown as a date; anything else as a date and time. */
export function isDateOnly(date: Date): boolean {
  return date.getTime() % 86_400_000 === 0;
}

/** Power Fx's Time type is a time on day 0 (1899-12-30); such values are written as times. */
export function isTimeOnly(date: Date): boolean {
  const serialZero = Date.UTC(1899, 11, 30);
  return date.getTime() > serialZero && date.getTime() < serialZero + 86_400_000;
}

export function defaultDateText(date: Date): string {
  if (isTimeOnly(date)) return formatDate(date, dateTimeFormats.ShortTime as string);
  return formatDate(date, isDateOnly(date) ? dateTimeFormats.ShortDate as string : dateTimeFormats.ShortDateTime as string);
}

/** DateTimeFormat.UTC: ISO 8601 with milliseconds and `Z`. */
export function utcText(date: Date): string {
  return date.toISOString();
}

// ---------------------------------------------------------------------------------------------
// Date formats

type DatePart =
  | { kind: 'literal'; text: string }
  | { kind: 'year'; digits: 2 | 4 }
  | { kind: 'month'; width: 1 | 2 | 3 | 4 }
  | { kind: 'minute'; width: 1 | 2 }
  | { kind: 'day'; width: 1 | 2 | 3 | 4 }
  | { kind: 'hour'; width: 1 | 2 }
  | { kind: 'second'; width: 1 | 2 }
  | { kind: 'fraction'; digits: number }
  | { kind: 'ampm'; style: 'AM/PM' | 'am/pm' | 'A/P' | 'a/p' };

const compiledDateFormats = new Map<string, { parts: DatePart[]; twelveHour: boolean }>();

function compileDateFormat(format: string): { parts: DatePart[]; twelveHour: boolean } {
  const known = compiledDateFormats.get(format);
  if (known !== undefined) return known;
  const parts: DatePart[] = [];
  let twelveHour = false;
  let index = 0;
  const literal = (text: string): void => {
    const last = parts[parts.length - 1];
    if (last?.kind === 'literal') last.text += text;
    else parts.push({ kind: 'literal', text });
  };
  while (index < format.length) {
    const char = format[index] as string;
    const lower = char.toLowerCase();
    const run = runLength(format, index, lower);
    if (char === '"') {
      const end = format.indexOf('"', index + 1);
      literal(format.slice(index + 1, end < 0 ? format.length : end));
      index = end < 0 ? format.length : end + 1;
    } else if (char === '\\' && index + 1 < format.length) {
      literal(format[index + 1] as string);
      index += 2;
    } else if (char === '[') {
      // Locale tags such as [$-en-US] select a language; the engine only writes en-US.
      const end = format.indexOf(']', index);
      index = end < 0 ? format.length : end + 1;
    } else if (/^am\/pm/i.test(format.slice(index, index + 5))) {
      const text = format.slice(index, index + 5);
      parts.push({ kind: 'ampm', style: text === text.toLowerCase() ? 'am/pm' : 'AM/PM' });
      twelveHour = true;
      index += 5;
    } else if (/^a\/p/i.test(format.slice(index, index + 3))) {
      parts.push({ kind: 'ampm', style: char === 'a' ? 'a/p' : 'A/P' });
      twelveHour = true;
      index += 3;
    } else if (lower === 'y') {
      parts.push({ kind: 'year', digits: run <= 2 ? 2 : 4 });
      index += run;
    } else if (lower === 'm') {
      parts.push({ kind: 'month', width: Math.min(run, 4) as 1 | 2 | 3 | 4 });
      index += run;
    } else if (lower === 'd') {
      parts.push({ kind: 'day', width: Math.min(run, 4) as 1 | 2 | 3 | 4 });
      index += run;
    } else if (lower === 'h') {
      parts.push({ kind: 'hour', width: Math.min(run, 2) as 1 | 2 });
      index += run;
    } else if (lower === 's') {
      parts.push({ kind: 'second', width: Math.min(run, 2) as 1 | 2 });
      index += run;
    } else if (char === '0' && format[index - 1] === '.') {
      // "ss.000": zeros after the decimal point are fractions of a second (Text_ExcelCompat.txt).
      parts.push({ kind: 'fraction', digits: Math.min(run, 3) });
      index += run;
    } else {
      literal(char);
      index += 1;
    }
  }
  // m and mm mean minutes right after an hour or right before a second (Excel's rule, kept by Power Fx).
  for (let position = 0; position < parts.length; position += 1) {
    const part = parts[position];
    if (part?.kind !== 'month' || part.width > 2) continue;
    const previous = neighbour(parts, position, -1);
    const next = neighbour(parts, position, 1);
    if (previous?.kind === 'hour' || next?.kind === 'second') parts[position] = { kind: 'minute', width: part.width as 1 | 2 };
  }
  const compiled = { parts, twelveHour };
  compiledDateFormats.set(format, compiled);
  return compiled;
}

function neighbour(parts: DatePart[], position: number, step: 1 | -1): DatePart | undefined {
  for (let index = position + step; index >= 0 && index < parts.length; index += step) {
    const part = parts[index] as DatePart;
    if (part.kind !== 'literal') return part;
  }
  return undefined;
}

function runLength(text: string, index: number, lower: string): number {
  let end = index;
  while (end < text.length && (text[end] as string).toLowerCase() === lower) end += 1;
  return end - index;
}

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}

export function formatDate(date: Date, format: string): string {
  const { parts, twelveHour } = compileDateFormat(format);
  let out = '';
  const hours = date.getUTCHours();
  for (const part of parts) {
    switch (part.kind) {
      case 'literal': out += part.text; break;
      case 'year': out += part.digits === 2 ? pad(date.getUTCFullYear() % 100, 2) : pad(date.getUTCFullYear(), 4); break;
      case 'month': {
        const month = date.getUTCMonth();
        out += part.width === 1 ? String(month + 1) : part.width === 2 ? pad(month + 1, 2) : part.width === 3 ? (monthNames[month] as string).slice(0, 3) : monthNames[month];
        break;
      }
      case 'minute': out += part.width === 1 ? String(date.getUTCMinutes()) : pad(date.getUTCMinutes(), 2); break;
      case 'day': {
        const day = date.getUTCDay();
        out += part.width === 1 ? String(date.getUTCDate()) : part.width === 2 ? pad(date.getUTCDate(), 2) : part.width === 3 ? (dayNames[day] as string).slice(0, 3) : dayNames[day];
        break;
      }
      case 'hour': {
        const shown = twelveHour ? ((hours + 11) % 12) + 1 : hours;
        out += part.width === 1 ? String(shown) : pad(shown, 2);
        break;
      }
      case 'second': out += part.width === 1 ? String(date.getUTCSeconds()) : pad(date.getUTCSeconds(), 2); break;
      case 'fraction': out += pad(date.getUTCMilliseconds(), 3).slice(0, part.digits); break;
      case 'ampm': {
        const pm = hours >= 12;
        out += part.style === 'AM/PM' ? (pm ? 'PM' : 'AM') : part.style === 'am/pm' ? (pm ? 'pm' : 'am') : part.style === 'A/P' ? (pm ? 'P' : 'A') : pm ? 'p' : 'a';
        break;
      }
    }
  }
  return out;
}

/** A format is a date format when its first placeholder (outside quotes and escapes) is d, m, y, h or s. */
export function isDateFormat(format: string): boolean {
  const bare = format.replace(/"[^"]*"|\\.|\[[^\]]*\]/g, '');
  const first = /[dmyhs0#]/i.exec(bare);
  return first !== null && first[0] !== '0' && first[0] !== '#';
}

// ---------------------------------------------------------------------------------------------
// Number formats

interface NumberFormat {
  prefix: string;
  suffix: string;
  /** Placeholders and literals of the integer part, left to right. */
  integer: Array<'0' | '#' | { literal: string }>;
  fraction: Array<'0' | '#'>;
  grouping: boolean;
  percent: boolean;
  /** Trailing commas divide by 1000 each. */
  scale: number;
}

const compiledNumberFormats = new Map<string, NumberFormat[]>();

function compileNumberFormat(format: string): NumberFormat[] {
  const known = compiledNumberFormats.get(format);
  if (known !== undefined) return known;
  const sections = splitSections(format).map(compileSection);
  compiledNumberFormats.set(format, sections);
  return sections;
}

function splitSections(format: string): string[] {
  const sections: string[] = [];
  let current = '';
  let quoted = false;
  for (let index = 0; index < format.length; index += 1) {
    const char = format[index] as string;
    if (char === '"') quoted = !quoted;
    if (char === ';' && !quoted) {
      sections.push(current);
      current = '';
    } else current += char;
  }
  sections.push(current);
  return sections;
}

function compileSection(section: string): NumberFormat {
  const result: NumberFormat = { prefix: '', suffix: '', integer: [], fraction: [], grouping: false, percent: false, scale: 1 };
  let phase: 'prefix' | 'integer' | 'fraction' | 'suffix' = 'prefix';
  let pendingLiteral = '';
  const addLiteral = (text: string): void => {
    if (phase === 'prefix') result.prefix += text;
    else if (phase === 'suffix') result.suffix += text;
    else pendingLiteral += text;
  };
  const flushInteger = (): void => {
    if (pendingLiteral !== '') result.integer.push({ literal: pendingLiteral });
    pendingLiteral = '';
  };
  let index = 0;
  let trailingCommas = 0;
  while (index < section.length) {
    const char = section[index] as string;
    if (char === '"') {
      const end = section.indexOf('"', index + 1);
      addLiteral(section.slice(index + 1, end < 0 ? section.length : end));
      index = end < 0 ? section.length : end + 1;
      continue;
    }
    if (char === '\\' && index + 1 < section.length) {
      addLiteral(section[index + 1] as string);
      index += 2;
      continue;
    }
    if (char === '[') {
      const end = section.indexOf(']', index);
      index = end < 0 ? section.length : end + 1;
      continue;
    }
    if (char === '0' || char === '#') {
      if (phase === 'prefix') phase = 'integer';
      if (phase === 'integer') {
        if (trailingCommas > 0) result.grouping = true;
        trailingCommas = 0;
        flushInteger();
        result.integer.push(char);
      } else if (phase === 'fraction') {
        result.fraction.push(char);
      } else result.suffix += char;
    } else if (char === '.' && (phase === 'prefix' || phase === 'integer')) {
      flushInteger();
      phase = 'fraction';
    } else if (char === ',' && phase === 'integer') {
      trailingCommas += 1;
    } else if (char === '%') {
      result.percent = true;
      if (phase === 'integer' || phase === 'fraction') {
        result.suffix += pendingLiteral;
        pendingLiteral = '';
        phase = 'suffix';
      }
      addLiteral('%');
    } else {
      if (phase === 'fraction') {
        phase = 'suffix';
      }
      addLiteral(char);
    }
    index += 1;
  }
  if (phase === 'integer') {
    result.suffix = pendingLiteral + result.suffix;
  } else if (pendingLiteral !== '') result.suffix = pendingLiteral + result.suffix;
  result.scale = Math.pow(1000, trailingCommas);
  return result;
}

/** Rounds half away from zero at `decimals` places, as Excel and Power Fx do, avoiding binary artefacts. */
export function roundHalfAwayFromZero(value: number, decimals: number): number {
  // Doubles hold 15-17 significant digits; rounding beyond that changes nothing (Round.txt: Round(x, 1e28) = x).
  if (decimals > 15) return value;
  if (decimals < -15) return 0;
  const factor = Math.pow(10, decimals);
  const scaled = Number((Math.abs(value) * factor).toPrecision(15));
  return (Math.sign(value) * Math.round(scaled)) / factor;
}

export function formatNumber(value: number, format: string): string {
  const sections = compileNumberFormat(format);
  let section = sections[0] as NumberFormat;
  let shown = value;
  if (value < 0 && sections.length > 1) {
    section = sections[1] as NumberFormat;
    shown = -value;
  } else if (value === 0 && sections.length > 2) section = sections[2] as NumberFormat;
  if (section.percent) shown *= 100;
  shown /= section.scale;
  const decimals = section.fraction.length;
  const rounded = roundHalfAwayFromZero(shown, decimals);
  const [integerDigits, fractionDigits = ''] = Math.abs(rounded).toFixed(decimals).split('.') as [string, string?];
  // Optional (#) decimals drop trailing zeros; required (0) decimals keep them.
  let keep = fractionDigits.length;
  while (keep > 0 && section.fraction[keep - 1] === '#' && fractionDigits[keep - 1] === '0') keep -= 1;
  const fractionText = decimals > 0 ? `.${fractionDigits.slice(0, keep)}` : '';
  // A lone # shows nothing for a zero integer part ("#.00" writes 0.5 as ".50").
  const minimumDigits = section.integer.filter((part) => part === '0').length;
  const integerText = (integerDigits === '0' ? '' : integerDigits).padStart(minimumDigits, '0');
  const body = section.grouping
    ? integerText.replace(/\B(?=(\d{3})+(?!\d))/g, ',')
    : section.integer.length === 0 ? (decimals > 0 ? integerText : '') : fillIntegerPlaceholders(section.integer, integerText);
  const text = `${section.prefix}${body}${fractionText}${section.suffix}`;
  return rounded < 0 && section === sections[0] ? `-${text}` : text;
}

/** Digits fill placeholders from the right; the leftmost placeholder takes the digits left over. */
function fillIntegerPlaceholders(parts: NumberFormat['integer'], digits: string): string {
  let remaining = digits;
  let out = '';
  let firstPlaceholder = parts.findIndex((part) => typeof part === 'string');
  if (firstPlaceholder < 0) firstPlaceholder = 0;
  for (let index = parts.length - 1; index >= 0; index -= 1) {
    const part = parts[index] as NumberFormat['integer'][number];
    if (typeof part !== 'string') {
      out = part.literal + out;
      continue;
    }
    if (index === firstPlaceholder) {
      out = remaining + out;
      remaining = '';
    } else if (remaining.length > 0) {
      out = remaining.slice(-1) + out;
      remaining = remaining.slice(0, -1);
    } else if (part === '0') out = `0${out}`;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Reading dates

const monthLookup = new Map<string, number>();
monthNames.forEach((name, index) => {
  monthLookup.set(name.toLowerCase(), index);
  monthLookup.set(name.slice(0, 3).toLowerCase(), index);
});
monthLookup.set('sept', 8);

/**
 * Reads a date or date/time written in ISO 8601, US order (`1/31/2024 2:30 PM`) or with a month name
 * (`January 31, 2024`, `31 Jan 2024`). Times without an offset are UTC. Returns undefined when the
 * text is none of these.
 */
export function parseDateText(text: string): Date | undefined {
  const trimmed = text.trim();
  const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,7}))?)?\s*(Z|[+-]\d{2}:?\d{2})?)?$/i.exec(trimmed);
  if (iso !== null) {
    const [, year, month, day, hour = '0', minute = '0', second = '0', fraction = '0', zone] = iso;
    return build(+year!, +month!, +day!, +hour, +minute, +second, Math.floor(Number(`0.${fraction}`) * 1000), zone);
  }
  const yearFirst = /^(\d{4})\/(\d{1,2})\/(\d{1,2})(?:[ T,]+(.*))?$/.exec(trimmed);
  if (yearFirst !== null) return withTime(+yearFirst[2]!, +yearFirst[3]!, +yearFirst[1]!, yearFirst[4]);
  const us = /^(\d{1,2})[/-](\d{1,2})[/-](\d{2,4})(?:[ T,]+(.*))?$/.exec(trimmed);
  if (us !== null) {
    const [, month, day, year, time] = us;
    return withTime(+month!, +day!, fullYear(year!), time);
  }
  const monthFirst = /^(?:[A-Za-z]+,?\s+)?([A-Za-z]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})(?:[ T,]+(.*))?$/.exec(trimmed);
  if (monthFirst !== null) {
    const month = monthLookup.get((monthFirst[1] as string).toLowerCase());
    if (month !== undefined) return withTime(month + 1, +monthFirst[2]!, +monthFirst[3]!, monthFirst[4]);
  }
  const dayFirst = /^(?:[A-Za-z]+,?\s+)?(\d{1,2})(?:st|nd|rd|th)?[\s-]+([A-Za-z]{3,9})\.?,?[\s-]+(\d{4})(?:[ T,]+(.*))?$/.exec(trimmed);
  if (dayFirst !== null) {
    const month = monthLookup.get((dayFirst[2] as string).toLowerCase());
    if (month !== undefined) return withTime(month + 1, +dayFirst[1]!, +dayFirst[3]!, dayFirst[4]);
  }
  // A time alone is a time on day 0, 1899-12-30 (DateValue.txt: DateTimeValue("12:34:56")).
  const time = parseTimeText(trimmed);
  if (time !== undefined) return build(1899, 12, 30, 0, 0, 0, time.milliseconds, time.zone);
  return undefined;
}

function fullYear(text: string): number {
  const year = Number(text);
  // Two-digit years follow the .NET en-US window: 00-49 → 2000s, 50-99 → 1900s.
  return text.length <= 2 ? (year < 50 ? 2000 + year : 1900 + year) : year;
}

function withTime(month: number, day: number, year: number, time: string | undefined): Date | undefined {
  if (time === undefined || time.trim() === '') return build(year, month, day, 0, 0, 0, 0, undefined);
  const parsed = parseTimeText(time);
  if (parsed === undefined) return undefined;
  return build(year, month, day, 0, 0, 0, parsed.milliseconds, parsed.zone);
}

/** `14:30`, `2:30 PM`, `14:30:15.5`, optionally followed by `Z` or an offset. */
export function parseTimeText(text: string): { milliseconds: number; zone: string | undefined } | undefined {
  const match = /^(\d{1,2})(?::(\d{2}))?(?::(\d{2})(?:\.(\d{1,7}))?)?\s*([AaPp][Mm]?)?\s*(Z|[+-]\d{2}:?\d{2})?$/.exec(text.trim());
  if (match === null) return undefined;
  const [, hourText, minute = '0', second = '0', fraction = '0', meridiem, zone] = match;
  let hour = Number(hourText);
  if (match[2] === undefined && meridiem === undefined) return undefined;
  if (meridiem !== undefined) {
    if (hour < 1 || hour > 12) return undefined;
    const pm = meridiem.toLowerCase().startsWith('p');
    hour = (hour % 12) + (pm ? 12 : 0);
  }
  if (Number(minute) > 59 || Number(second) > 59) return undefined;
  const milliseconds = ((hour * 60 + Number(minute)) * 60 + Number(second)) * 1000 + Math.floor(Number(`0.${fraction}`) * 1000);
  return { milliseconds, zone };
}

function build(year: number, month: number, day: number, hour: number, minute: number, second: number, extraMs: number, zone: string | undefined): Date | undefined {
  if (month < 1 || month > 12 || day < 1 || day > 31) return undefined;
  const utc = Date.UTC(year, month - 1, day, hour, minute, second) + extraMs;
  const check = new Date(Date.UTC(year, month - 1, day));
  if (check.getUTCDate() !== day) return undefined;
  let offsetMinutes = 0;
  if (zone !== undefined && zone.toUpperCase() !== 'Z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    offsetMinutes = sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4)));
  }
  return new Date(utc - offsetMinutes * 60_000);
}
