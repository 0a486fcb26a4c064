import { parseDuration } from '../sim/durations';
import { ConfigurationError, type OperatingHours, type OverflowRule, type QueueShare, type SkillRequirement } from './work-stream';

/**
 * The short forms feature tables use for routing settings. Each parser throws a ConfigurationError that
 * shows the expected form; the table reader adds the row and column.
 */

const dayNames = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

function day(text: string): number {
  const index = dayNames.indexOf(text.slice(0, 3).toLowerCase());
  if (index < 0) throw new ConfigurationError(`"${text}" is not a day of the week. Days are written Mon, Tue, Wed, Thu, Fri, Sat or Sun. Write the hours as: Mon-Fri 09:00-17:00 Europe/Paris.`);
  return index + 1;
}

function minutes(text: string): number {
  const match = /^(\d{1,2}):(\d{2})$/.exec(text);
  if (!match || Number(match[1]) > 24 || Number(match[2]) > 59) {
    throw new ConfigurationError(`"${text}" is not a time of day. Times are written HH:MM on a 24-hour clock. Write the hours as: Mon-Fri 09:00-17:00 Europe/Paris.`);
  }
  return Number(match[1]) * 60 + Number(match[2]);
}

/** `Mon-Fri 09:00-17:00 Europe/Paris`, `Sat 10:00-14:00 UTC`, `Mon,Wed 08:00-12:00 America/New_York`. */
export function parseOperatingHours(text: string): OperatingHours {
  const match = /^\s*([A-Za-z,\- ]+?)\s+(\d{1,2}:\d{2})\s*-\s*(\d{1,2}:\d{2})\s+(\S+)\s*$/.exec(text);
  if (!match) {
    throw new ConfigurationError(`"${text}" are not operating hours. Operating hours name days, a time range and a time zone. Write them as: Mon-Fri 09:00-17:00 Europe/Paris.`);
  }
  const days = new Set<number>();
  for (const part of match[1]!.split(',').map((p) => p.trim()).filter(Boolean)) {
    const [first, last] = part.split('-').map((p) => p.trim());
    const start = day(first!);
    const end = last ? day(last) : start;
    for (let d = start; ; d = (d % 7) + 1) {
      days.add(d);
      if (d === end) break;
    }
  }
  const timeZone = match[4]!;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
  } catch {
    throw new ConfigurationError(`"${timeZone}" is not a time zone. Operating hours are evaluated in an IANA time zone. Write one such as Europe/Paris, America/New_York or UTC.`);
  }
  const fromMinutes = minutes(match[2]!);
  const toMinutes = minutes(match[3]!);
  if (toMinutes <= fromMinutes) throw new ConfigurationError(`Operating hours "${text}" close at or before they open. The simulation models hours within one day. Write the closing time after the opening time.`);
  return { text: text.trim(), days: [...days].sort(), from: fromMinutes, to: toMinutes, timeZone };
}

/**
 * Overflow condition-action pairs, separated by ";" (d365-omnichannel.md §5.2 steps 5 and 10):
 * `out of operating hours: end conversation "We are closed."`, `more than 2 work items: transfer to General`,
 * `waiting longer than 5 minutes: end conversation`, `... : assign anyway`.
 */
export function parseOverflow(text: string): OverflowRule[] {
  return text
    .split(/;(?=(?:[^"]*"[^"]*")*[^"]*$)/)
    .map((part) => part.trim())
    .filter(Boolean)
    .map((pair) => {
      const colon = pair.indexOf(':');
      if (colon < 0) throw overflowError(pair);
      const when = pair.slice(0, colon).trim().toLowerCase();
      const then = pair.slice(colon + 1).trim();
      let condition: OverflowRule['condition'];
      const limit = /^(?:more than|work item limit exceeds?)\s+(\d+)(?:\s+work items?)?$/.exec(when);
      const wait = /^(?:waiting longer than|wait time exceeds?)\s+(.+)$/.exec(when);
      if (when === 'out of operating hours') condition = { kind: 'out of operating hours' };
      else if (limit) {
        const n = Number(limit[1]);
        if (n < 1 || n > 100) throw new ConfigurationError(`The work item limit in "${pair}" is ${n}. D365 allows a limit of 1 to 100 open items (d365-omnichannel.md §7). Use a limit in that range.`);
        condition = { kind: 'work item limit', limit: n };
      } else if (wait) condition = { kind: 'wait time', ms: parseDuration(wait[1]!) };
      else throw overflowError(pair);
      let action: OverflowRule['action'];
      const end = /^end conversation(?:\s+(?:with\s+)?"(.*)")?$/i.exec(then);
      const transfer = /^transfer to(?: queue)?\s+"?([^"]+?)"?$/i.exec(then);
      if (end) action = { kind: 'end conversation', message: end[1] };
      else if (transfer) action = { kind: 'transfer', queue: transfer[1]! };
      else if (/^assign(?: to queue)? anyway$/i.test(then)) action = { kind: 'assign anyway' };
      else throw overflowError(pair);
      if (condition.kind === 'wait time' && action.kind === 'assign anyway') {
        throw new ConfigurationError(`"${pair}" assigns anyway after the wait is exceeded. After queueing D365 only ends the conversation or transfers it (d365-omnichannel.md §5.2 step 10). Use "end conversation" or "transfer to <queue>".`);
      }
      return { condition, action, text: pair };
    });
}

function overflowError(pair: string): ConfigurationError {
  return new ConfigurationError(
    `"${pair}" is not an overflow condition and action. A pair reads "<condition>: <action>" with conditions "out of operating hours", "more than N work items" or "waiting longer than <duration>". ` +
      'Actions are end conversation ["message"], transfer to <queue> or assign anyway.',
  );
}

/** `Spanish: 5; Billing` → skills with the lowest accepted rating (none = any rating). */
export function parseSkills(text: string): SkillRequirement[] {
  return parseNamedNumbers(text, 'skills', 'Spanish: 5; Billing', 0).map(([skill, rating]) => ({ skill, rating }));
}

/** `Chat: 2; VIP: 1` → capacity profile limits. */
export function parseProfiles(text: string): Record<string, number> {
  return Object.fromEntries(parseNamedNumbers(text, 'capacity profiles', 'Chat: 2; VIP: 1', undefined));
}

function parseNamedNumbers(text: string, what: string, example: string, fallback: number | undefined): Array<[string, number]> {
  return text
    .split(';')
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => {
      const match = /^([^:]+?)\s*(?::\s*(\d+))?$/.exec(part);
      const value = match?.[2] === undefined ? fallback : Number(match[2]);
      if (!match || value === undefined) throw new ConfigurationError(`"${part}" is not one of the ${what}. Each is a name with a whole number, separated by ";". Write them as: ${example}.`);
      return [match[1]!, value];
    });
}

/** `Billing 70%; General 30%` → a percentage split; a single queue name → undefined. */
export function parseQueueTarget(text: string): { queue: string; split?: QueueShare[] } {
  if (!text.includes('%')) return { queue: text.trim() };
  const split = text
    .split(';')
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => {
      const match = /^(.+?)\s+(\d+(?:\.\d+)?)\s*%$/.exec(part);
      if (!match) throw new ConfigurationError(`"${part}" is not a share of a percentage split. Each share names a queue and a percentage, separated by ";". Write the split as: Billing 70%; General 30%.`);
      return { queue: match[1]!, percent: Number(match[2]) };
    });
  return { queue: split[0]!.queue, split };
}
