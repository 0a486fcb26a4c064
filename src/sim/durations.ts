import { ScenarioError } from './errors';
const units: Record<string, number> = { millisecond: 1, second: 1000, minute: 60_000, hour: 3_600_000, day: 86_400_000 };

/** "30 seconds", "1 minute", "2.5 hours" → milliseconds; anything else is an error that shows the form. */
export function parseDuration(text: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(millisecond|second|minute|hour|day)s?\s*$/i.exec(text);
  if (!match) {
    throw new ScenarioError(`"${text}" is not a duration. A duration is a number and a unit. Write it as "30 seconds", "5 minutes" or "1 hour".`);
  }
  return Math.round(Number(match[1]) * units[match[2]!.toLowerCase()]!);
}
