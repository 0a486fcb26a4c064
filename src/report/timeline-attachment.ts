import { gunzipSync, gzipSync } from 'node:zlib';
import type { TimelineEntry } from '../sim/timeline';
import type { Redactor } from './redaction';

/**
 * Every scenario's timeline travels in cucumber's own message stream, as an attachment of this media
 * type from the After hook, so reports, coverage and failure bundles are all built from messages.ndjson
 * (also after `handoff report merge`), never from a second channel.
 *
 * The body is the JSON of a {@link TimelineAttachment}, gzipped, in base64 (`contentEncoding: BASE64`):
 * a timeline is 10 to 50 kB of repetitive JSON and every cucumber formatter copies each attachment, so
 * compressing it (about 6 to 1) keeps messages.ndjson, cucumber-report.json and cucumber-report.html small.
 */
export const timelineMediaType = 'application/vnd.handoff-harness.timeline+gzip';

/** The attachment's content, version 1. */
export interface TimelineAttachment {
  version: 1;
  /** The scenario's seed: `--seed` reproduces the run. */
  seed: number;
  /** Every entry, secrets redacted. */
  entries: TimelineEntry[];
}

/** The attachment body (gzipped JSON in base64), secrets redacted. */
export function encodeTimelineAttachment(seed: number, entries: readonly TimelineEntry[], redactor: Redactor): string {
  const attachment: TimelineAttachment = { version: 1, seed, entries: redactor.value([...entries]) };
  // The fastest level: a timeline's repetition compresses almost as well, at a third of the cost per scenario.
  return gzipSync(JSON.stringify(attachment), { level: 1 }).toString('base64');
}

/** Reads an attachment body; a body this version cannot read gives undefined, not an exception in the middle of a report. */
export function decodeTimelineAttachment(body: string): TimelineAttachment | undefined {
  try {
    const parsed = JSON.parse(gunzipSync(Buffer.from(body, 'base64')).toString('utf8')) as Partial<TimelineAttachment>;
    if (parsed.version !== 1 || !Array.isArray(parsed.entries) || typeof parsed.seed !== 'number') return undefined;
    return parsed as TimelineAttachment;
  } catch {
    return undefined;
  }
}
