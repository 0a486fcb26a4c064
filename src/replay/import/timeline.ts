import type { DraftEntry, RecordingEntry } from '../recording';
import { RecordingImportError, WarningLog, quote } from './recording-import-error';

/**
 * One activity or message of the input, read but not yet placed on the timeline. An input item may
 * give no entry (skipped) or several (a DialogTracing activity that starts two topics).
 */
export interface SourceRecord {
  /** Where in the input, for warnings: `activities[4]`. */
  position: string;
  /** Milliseconds since the epoch, or undefined when the input has no usable timestamp. */
  timeMs: number | undefined;
  /** Why `timeMs` is missing when the input had something unusable there. */
  timeProblem?: string;
  /** Taken from a handoff's Transcript attachment: placed by its time, never counted as out of order. */
  embedded: boolean;
  entries: DraftEntry[];
}

/** The order the input is expected in: Bot Framework logs are oldest first, D365 transcripts newest first. */
export type ExpectedOrder = 'oldest-first' | 'newest-first';

export interface PlacedTimeline {
  startedAt: string;
  entries: RecordingEntry[];
}

/**
 * Reads an input timestamp. ISO-8601 strings (any fraction length, `Z` or an offset) and numbers
 * (epoch seconds below 10^11, epoch milliseconds above: Dataverse transcripts use seconds,
 * copilot-protocol.md §11.2) are accepted.
 */
export function readTimestamp(value: unknown): { timeMs: number | undefined; timeProblem?: string } {
  if (value === undefined || value === null || value === '') return { timeMs: undefined };
  if (typeof value === 'number' && Number.isFinite(value)) {
    return { timeMs: Math.round(value < 1e11 ? value * 1000 : value) };
  }
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(value)) {
    const timeMs = Date.parse(value);
    if (Number.isFinite(timeMs)) return { timeMs };
  }
  return { timeMs: undefined, timeProblem: `its timestamp ${quote(value)} is not an ISO-8601 instant or an epoch number` };
}

/**
 * Gives every record a time (interpolating missing ones from their neighbours in file order), puts the
 * records in time order and turns their drafts into entries with `at` and `offsetMs`.
 */
export function placeOnTimeline(
  records: SourceRecord[],
  options: { file: string; warnings: WarningLog; expectedOrder: ExpectedOrder },
): PlacedTimeline {
  const { file, warnings } = options;
  if (!records.some((record) => record.entries.length > 0)) {
    throw new RecordingImportError(
      file,
      'file',
      'it holds no activity or message that can be replayed',
      'Check that the file is the conversation you meant; an empty transcript has nothing to replay.',
    );
  }
  fillMissingTimes(records, file, warnings);

  const topLevel = records.filter((record) => !record.embedded);
  let ordered = records;
  if (options.expectedOrder === 'newest-first' && isOrdered(topLevel, 'newest-first')) {
    // D365 lists messages newest first (d365-omnichannel.md §8): the expected order, not a problem.
    ordered = [...records].reverse();
  } else if (!isOrdered(topLevel, 'oldest-first')) {
    // Count the misplaced items against the order the file should have had.
    const asExpected = options.expectedOrder === 'newest-first' ? [...topLevel].reverse() : topLevel;
    warnOutOfOrder(asExpected, options.expectedOrder, warnings);
  }
  const sorted = ordered
    .map((record, sequence) => ({ record, sequence }))
    .sort((a, b) => (a.record.timeMs as number) - (b.record.timeMs as number) || a.sequence - b.sequence)
    .map(({ record }) => record);

  const startMs = sorted.find((record) => record.entries.length > 0)?.timeMs as number;
  const entries: RecordingEntry[] = [];
  for (const record of sorted) {
    const timeMs = record.timeMs as number;
    const at = new Date(timeMs).toISOString();
    for (const draft of record.entries) {
      entries.push({ at, offsetMs: timeMs - startMs, ...draft } as RecordingEntry);
    }
  }
  return { startedAt: new Date(startMs).toISOString(), entries };
}

function fillMissingTimes(records: SourceRecord[], file: string, warnings: WarningLog): void {
  const known = records.map((record, index) => (record.timeMs === undefined ? -1 : index)).filter((index) => index >= 0);
  if (known.length === 0) {
    const first = records[0];
    throw new RecordingImportError(
      file,
      first?.position ?? 'file',
      `no activity or message has a usable timestamp${first?.timeProblem ? ` (the first: ${first.timeProblem})` : ''}, so there is nothing to place the conversation in time`,
      'Export the transcript with its timestamps; at least one item must have one for the rest to be interpolated.',
    );
  }
  let index = 0;
  while (index < records.length) {
    if (records[index]?.timeMs !== undefined) {
      index += 1;
      continue;
    }
    let end = index;
    while (end < records.length && records[end]?.timeMs === undefined) end += 1;
    const before = records[index - 1]?.timeMs;
    const after = records[end]?.timeMs;
    const gap = end - index + 1;
    for (let k = index; k < end; k += 1) {
      const record = records[k] as SourceRecord;
      record.timeMs =
        before !== undefined && after !== undefined
          ? Math.round(before + ((after - before) * (k - index + 1)) / gap)
          : ((before ?? after) as number);
    }
    warnMissingRun(records.slice(index, end), before !== undefined, after !== undefined, warnings);
    index = end;
  }
}

function warnMissingRun(run: SourceRecord[], hasBefore: boolean, hasAfter: boolean, warnings: WarningLog): void {
  const replayed = run.filter((record) => record.entries.length > 0);
  const first = replayed[0];
  const last = replayed[replayed.length - 1];
  if (!first || !last) return;
  const position = first === last ? first.position : `${first.position} to ${last.position}`;
  const what = first === last ? 'This item has' : `These ${replayed.length} items have`;
  const cause = first.timeProblem ? ` (${first.timeProblem})` : '';
  const placement =
    hasBefore && hasAfter
      ? 'interpolated between the neighbouring timestamps'
      : `copied from the ${hasBefore ? 'previous' : 'next'} timestamp`;
  warnings.add(position, `${what} no usable timestamp${cause}; the time was ${placement}.`);
}

function isOrdered(records: SourceRecord[], order: ExpectedOrder): boolean {
  for (let index = 1; index < records.length; index += 1) {
    const previous = (records[index - 1] as SourceRecord).timeMs as number;
    const current = (records[index] as SourceRecord).timeMs as number;
    if (order === 'oldest-first' ? current < previous : current > previous) return false;
  }
  return true;
}

function warnOutOfOrder(records: SourceRecord[], expected: ExpectedOrder, warnings: WarningLog): void {
  let latest = -Infinity;
  let count = 0;
  let first: SourceRecord | undefined;
  for (const record of records) {
    const timeMs = record.timeMs as number;
    if (timeMs < latest) {
      count += 1;
      first ??= record;
    }
    latest = Math.max(latest, timeMs);
  }
  const expectation = expected === 'newest-first' ? 'newest first or oldest first' : 'oldest first';
  warnings.add(
    first?.position ?? 'file',
    `${count} item${count === 1 ? ' is' : 's are'} earlier than an item before ${count === 1 ? 'it' : 'them'} in the file, which should list them ${expectation}; the timeline was sorted by timestamp.`,
  );
}
