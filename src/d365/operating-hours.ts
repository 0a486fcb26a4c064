import type { OperatingHours } from './work-stream';

const formats = new Map<string, Intl.DateTimeFormat>();
const weekdays: Record<string, number> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };

/** The weekday (Monday = 1) and minute of the day at `instant` in `timeZone`. */
type LocalTime = { day: number; minute: number; text: string };
/** Routing asks about the same minute over and over: remember the last answer per time zone. */
const lastAnswer = new Map<string, { minute: number; local: LocalTime }>();

export function localTime(instant: number, timeZone: string): LocalTime {
  const minuteOfEpoch = Math.floor(instant / 60_000);
  const cached = lastAnswer.get(timeZone);
  if (cached?.minute === minuteOfEpoch) return cached.local;
  const local = computeLocalTime(instant, timeZone);
  lastAnswer.set(timeZone, { minute: minuteOfEpoch, local });
  return local;
}

function computeLocalTime(instant: number, timeZone: string): LocalTime {
  let format = formats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', { timeZone, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    formats.set(timeZone, format);
  }
  let day = 1;
  let hour = 0;
  let minute = 0;
  for (const part of format.formatToParts(instant)) {
    if (part.type === 'weekday') day = weekdays[part.value] ?? 1;
    else if (part.type === 'hour') hour = Number(part.value);
    else if (part.type === 'minute') minute = Number(part.value);
  }
  const text = `${Object.keys(weekdays)[day - 1]} ${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')} ${timeZone}`;
  return { day, minute: hour * 60 + minute, text };
}

/** Whether a queue with these hours is operating at `instant` (virtual time); no hours means 24×7 (§5.1). */
export function isOperating(hours: OperatingHours | undefined, instant: number): boolean {
  if (!hours) return true;
  const local = localTime(instant, hours.timeZone);
  return hours.days.includes(local.day) && local.minute >= hours.from && local.minute < hours.to;
}

/**
 * Roughly how long until the queue next opens (0 when open), searched in 5-minute steps over 8 days; used
 * only to pick "the earliest to open" among overflowing queues (d365-omnichannel.md §5.2 step 5).
 */
export function untilOpen(hours: OperatingHours | undefined, instant: number): number {
  if (isOperating(hours, instant)) return 0;
  const step = 5 * 60_000;
  const first = instant - (instant % step) + step;
  for (let t = first; t <= instant + 8 * 86_400_000; t += step) {
    if (isOperating(hours, t)) return t - instant;
  }
  return Number.POSITIVE_INFINITY;
}
