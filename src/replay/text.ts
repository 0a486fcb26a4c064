/**
 * How replay compares and prints what was said: messages normalized for ids, timestamps and
 * whitespace, values as Dynamics 365 holds them, and virtual time as a person reads it.
 */

const uuid = /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi;
const isoInstant = /\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?\b/g;

/**
 * A message as replay compares it: whitespace collapsed, GUIDs and ISO timestamps replaced by
 * placeholders, so two runs of the same conversation compare equal.
 *
 * @example normalizeMessage('Case  7a8b9c0d-1e2f-4a3b-8c4d-5e6f7a8b9c0d\nopened') // 'Case <id> opened'
 */
export function normalizeMessage(text: string): string {
  return text.replace(uuid, '<id>').replace(isoInstant, '<time>').replace(/\s+/g, ' ').trim();
}

/**
 * A value as a Dynamics 365 context variable holds it (d365-omnichannel.md §5.1): text and numbers as
 * text, lists and records as JSON text.
 *
 * @example contextText(['Billing', 'Escalate']) // '["Billing","Escalate"]'
 */
export function contextText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value ?? '');
}

/** `mm:ss` (or `h:mm:ss`) since the recording started, for diff lines. */
export function clockOf(offsetMs: number): string {
  const seconds = Math.floor(offsetMs / 1000);
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  const mmss = `${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}`;
  return h > 0 ? `${h}:${mmss}` : mmss;
}

/**
 * A duration the step glossary reads (`{duration}`: one number, one unit): whole hours, minutes or
 * seconds when the span is a whole number of them, milliseconds otherwise.
 *
 * @example durationText(120_000) // '2 minutes'
 * @example durationText(90_000)  // '90 seconds'
 */
export function durationText(ms: number): string {
  const units: Array<[number, string]> = [
    [3_600_000, 'hour'],
    [60_000, 'minute'],
    [1000, 'second'],
    [1, 'millisecond'],
  ];
  for (const [size, unit] of units) {
    if (ms % size === 0) {
      const count = ms / size;
      return `${count} ${unit}${count === 1 ? '' : 's'}`;
    }
  }
  return `${ms} milliseconds`;
}

/** `"…"`, cut when long, for quoting recorded text in messages. */
export function quoted(text: string, max = 80): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return JSON.stringify(flat.length > max ? `${flat.slice(0, max - 1)}…` : flat);
}
