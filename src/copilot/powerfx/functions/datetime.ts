import { parseDateText, parseTimeText } from '../format';
import { dateFromSerial, FxError, isOptionSetMember, msPerDay, type Val } from '../values';
import { dateArg, invalid, numberArg, textArg } from './helpers';
import type { CallExpr, EagerFunction, FunctionTable } from './types';

// Semantics from learn.microsoft.com/power-platform/power-fx/reference (function-now-today-istoday,
// function-datevalue-timevalue, function-dateadd-datediff, function-datetime-parts, function-date-time)
// and the Power Fx test cases (DateDiff.txt, DateAdd.txt, DateValue.txt). All in UTC: the simulation's
// clock is an epoch instant and runs must not depend on the machine's time zone.

const timeUnitMs: Readonly<Record<string, number>> = {
  Milliseconds: 1, Seconds: 1_000, Minutes: 60_000, Hours: 3_600_000, Days: msPerDay,
};

function startOfDay(date: Date): Date {
  return new Date(Math.floor(date.getTime() / msPerDay) * msPerDay);
}

/** TimeUnit.Days, the text "Days" (or "days"), or Blank for the default. */
function timeUnit(value: Val, call: CallExpr): string | FxError {
  if (value === undefined) return 'Days';
  if (isOptionSetMember(value)) {
    if (value.optionSet === 'TimeUnit') return value.member;
    return invalid(call, `${value.optionSet}.${value.member} is not a TimeUnit`);
  }
  const text = textArg(value, call);
  if (text instanceof FxError) return text;
  const known = ['Milliseconds', 'Seconds', 'Minutes', 'Hours', 'Days', 'Months', 'Quarters', 'Years'].find((unit) => unit.toLowerCase() === text.toLowerCase());
  return known ?? invalid(call, `"${text}" is not a TimeUnit`);
}

function addMonths(date: Date, months: number): Date {
  const year = date.getUTCFullYear();
  const month = date.getUTCMonth() + months;
  const target = new Date(Date.UTC(year, month, 1));
  // .NET AddMonths keeps the day when it exists and otherwise takes the month's last day.
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(date.getUTCDate(), lastDay));
  return new Date(target.getTime() + (date.getTime() % msPerDay + msPerDay) % msPerDay);
}

function datePart(read: (date: Date) => number): EagerFunction {
  return {
    minArgs: 1, maxArgs: 1,
    call([value], call) {
      if (value === undefined) return undefined;
      const date = dateArg(value, call);
      return date instanceof FxError ? date : read(date);
    },
  };
}

function parsedDate(value: Val, call: CallExpr, keep: 'date' | 'datetime'): Val {
  if (value === undefined || value === '') return undefined;
  if (value instanceof Date) return keep === 'date' ? startOfDay(value) : value;
  if (typeof value === 'number') return keep === 'date' ? startOfDay(dateFromSerial(value)) : dateFromSerial(value);
  const text = textArg(value, call);
  if (text instanceof FxError) return text;
  const date = parseDateText(text);
  if (date === undefined) return invalid(call, `the text ${JSON.stringify(text)} is not a date`);
  return keep === 'date' ? startOfDay(date) : date;
}

function componentArgs(values: Val[], call: CallExpr): number[] | FxError {
  const numbers: number[] = [];
  for (const value of values) {
    const number = numberArg(value, call);
    if (number instanceof FxError) return number;
    numbers.push(Math.trunc(number));
  }
  return numbers;
}

export const dateTimeFunctions: FunctionTable = {
  /** Now(): the environment's clock, never the machine's. */
  Now: { minArgs: 0, maxArgs: 0, call: (_values, _call, evaluation) => new Date(evaluation.env.now()) },
  /** Today(): midnight (UTC) of the environment's current day. */
  Today: { minArgs: 0, maxArgs: 0, call: (_values, _call, evaluation) => startOfDay(new Date(evaluation.env.now())) },
  IsToday: {
    minArgs: 1, maxArgs: 1,
    call([value], call, evaluation) {
      if (value === undefined) return false;
      const date = dateArg(value, call);
      return date instanceof FxError ? date : startOfDay(date).getTime() === startOfDay(new Date(evaluation.env.now())).getTime();
    },
  },

  DateValue: { minArgs: 1, maxArgs: 2, call: ([value], call) => parsedDate(value, call, 'date') },
  DateTimeValue: { minArgs: 1, maxArgs: 2, call: ([value], call) => parsedDate(value, call, 'datetime') },
  /** TimeValue(text): a time of day, as Power Fx's Time type (a date on day 0, 1899-12-30). */
  TimeValue: {
    minArgs: 1, maxArgs: 2,
    call([value], call) {
      if (value === undefined || value === '') return undefined;
      if (value instanceof Date) return dateFromSerial(0 + (value.getTime() % msPerDay) / msPerDay);
      const text = textArg(value, call);
      if (text instanceof FxError) return text;
      const time = parseTimeText(text);
      if (time !== undefined) return dateFromSerial((time.milliseconds % msPerDay) / msPerDay);
      const date = parseDateText(text);
      if (date === undefined) return invalid(call, `the text ${JSON.stringify(text)} is not a time`);
      return dateFromSerial((date.getTime() % msPerDay) / msPerDay);
    },
  },

  Date: {
    minArgs: 3, maxArgs: 3,
    call(values, call) {
      const parts = componentArgs(values, call);
      if (parts instanceof FxError) return parts;
      const [year, month, day] = parts as [number, number, number];
      if (year < 0 || year > 9999) return invalid(call, `year ${year} is out of range`);
      return new Date(Date.UTC(year < 1900 && year >= 0 && year < 100 ? year + 1900 : year, month - 1, day));
    },
  },
  DateTime: {
    minArgs: 6, maxArgs: 7,
    call(values, call) {
      const parts = componentArgs(values, call);
      if (parts instanceof FxError) return parts;
      const [year, month, day, hour, minute, second, millisecond = 0] = parts as [number, number, number, number, number, number, number?];
      if (year < 0 || year > 9999) return invalid(call, `year ${year} is out of range`);
      return new Date(Date.UTC(year < 100 ? year + 1900 : year, month - 1, day, hour, minute, second, millisecond));
    },
  },
  Time: {
    minArgs: 3, maxArgs: 4,
    call(values, call) {
      const parts = componentArgs(values, call);
      if (parts instanceof FxError) return parts;
      const [hour, minute, second, millisecond = 0] = parts as [number, number, number, number?];
      // A time of day wraps around midnight: Time(30, 0, 0) is 6:00 (Time.txt).
      const milliseconds = (((hour * 60 + minute) * 60 + second) * 1000 + millisecond) % msPerDay;
      return dateFromSerial((milliseconds + msPerDay) % msPerDay / msPerDay);
    },
  },

  /** DateAdd(date, count, [unit]): months and years keep the day of month when it exists. */
  DateAdd: {
    minArgs: 2, maxArgs: 3,
    call([value, countValue, unitValue], call) {
      const date = dateArg(value, call);
      if (date instanceof FxError) return date;
      const count = numberArg(countValue, call);
      if (count instanceof FxError) return count;
      const unit = timeUnit(unitValue, call);
      if (unit instanceof FxError) return unit;
      const step = timeUnitMs[unit];
      if (step !== undefined) return new Date(date.getTime() + Math.round(count * step));
      const months = Math.trunc(count) * (unit === 'Years' ? 12 : unit === 'Quarters' ? 3 : 1);
      return addMonths(date, months);
    },
  },

  /**
   * DateDiff(start, end, [unit]): how many unit boundaries lie between the two (DateDiff.txt: from
   * 23:59:59.999 on Dec 31 to midnight is 1 day, 1 month and 1 year).
   */
  DateDiff: {
    minArgs: 2, maxArgs: 3,
    call([startValue, endValue, unitValue], call) {
      const start = dateArg(startValue, call);
      if (start instanceof FxError) return start;
      const end = dateArg(endValue, call);
      if (end instanceof FxError) return end;
      const unit = timeUnit(unitValue, call);
      if (unit instanceof FxError) return unit;
      const step = timeUnitMs[unit];
      if (step !== undefined) return Math.floor(end.getTime() / step) - Math.floor(start.getTime() / step);
      const months = (end.getUTCFullYear() - start.getUTCFullYear()) * 12 + end.getUTCMonth() - start.getUTCMonth();
      if (unit === 'Months') return months;
      if (unit === 'Years') return end.getUTCFullYear() - start.getUTCFullYear();
      return Math.floor((end.getUTCFullYear() * 12 + end.getUTCMonth()) / 3) - Math.floor((start.getUTCFullYear() * 12 + start.getUTCMonth()) / 3);
    },
  },

  Year: datePart((date) => date.getUTCFullYear()),
  Month: datePart((date) => date.getUTCMonth() + 1),
  Day: datePart((date) => date.getUTCDate()),
  Hour: datePart((date) => date.getUTCHours()),
  Minute: datePart((date) => date.getUTCMinutes()),
  Second: datePart((date) => date.getUTCSeconds()),

  /** Weekday(date, [StartOfWeek]): 1 = Sunday by default; StartOfWeek.Monday makes Monday 1, MondayZero makes it 0. */
  Weekday: {
    minArgs: 1, maxArgs: 2,
    call([value, startValue], call) {
      const date = dateArg(value, call);
      if (date instanceof FxError) return date;
      const sundayBased = date.getUTCDay();
      let code: number;
      if (call.args.length < 2) code = 1;
      else if (startValue === undefined) return invalid(call, 'the start of the week is Blank');
      else if (isOptionSetMember(startValue)) code = startOfWeekCodes[startValue.member] ?? NaN;
      else {
        const number = numberArg(startValue, call);
        if (number instanceof FxError) return number;
        code = number;
      }
      const firstDay = weekStarts.get(code);
      if (firstDay === undefined) return invalid(call, `unknown start of week ${String(code)}`);
      const offset = (sundayBased - firstDay.day + 7) % 7;
      return firstDay.zeroBased ? offset : offset + 1;
    },
  },
};

/** StartOfWeek members and their Excel codes (function-weekday). */
const startOfWeekCodes: Readonly<Record<string, number>> = {
  Sunday: 1, Monday: 2, MondayZero: 3, Tuesday: 12, Wednesday: 13, Thursday: 14, Friday: 15, Saturday: 16,
};
const weekStarts = new Map<number, { day: number; zeroBased: boolean }>([
  [1, { day: 0, zeroBased: false }], [2, { day: 1, zeroBased: false }], [3, { day: 1, zeroBased: true }],
  [11, { day: 1, zeroBased: false }], [12, { day: 2, zeroBased: false }], [13, { day: 3, zeroBased: false }],
  [14, { day: 4, zeroBased: false }], [15, { day: 5, zeroBased: false }], [16, { day: 6, zeroBased: false }],
  [17, { day: 0, zeroBased: false }],
]);
