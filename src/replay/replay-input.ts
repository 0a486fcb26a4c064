/**
 * What `handoff replay` was given: a normalized recording (`handoff-recording`, as `handoff import
 * --out` writes it), a failure bundle (`handoff-failure-bundle`), or a recording in one of the input
 * formats, imported on the fly. Told apart by the JSON's `format` field, then by the importers'
 * detection.
 */
import { readFileSync } from 'node:fs';
import { failureBundleFormat } from '../report/failure-bundle';
import { importFile, RecordingImportError, type ImportRecordingOptions } from './import';
import type { Recording } from './recording';

export type ReplayInput =
  | { kind: 'recording'; file: string; recording: Recording; /** The file is a normalized recording, which `--update` can rewrite. */ normalized: boolean }
  | { kind: 'bundle'; file: string };

/**
 * Reads a replay input.
 *
 * @throws RecordingImportError naming the file and the position when it is neither a bundle nor a usable recording.
 * @example
 * const input = readReplayInput('reports/failures/no-rule-matches.json'); // { kind: 'bundle', … }
 */
export function readReplayInput(file: string, options: Omit<ImportRecordingOptions, 'file'> = {}): ReplayInput {
  let text: string | undefined;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    // importFile names the reason (missing, a folder, not readable) in its own words.
    return { kind: 'recording', file, recording: importFile(file, options), normalized: false };
  }
  const data = parseSingleJson(text);
  if (isFailureBundle(data)) return { kind: 'bundle', file };
  if (data !== null && typeof data === 'object' && (data as { format?: unknown }).format === 'handoff-recording') {
    return { kind: 'recording', file, recording: checkRecording(data as Record<string, unknown>, file), normalized: true };
  }
  return { kind: 'recording', file, recording: importFile(file, options), normalized: false };
}

/** Whether parsed JSON is a failure bundle (src/report/failure-bundle.ts), by its `format` field. */
export function isFailureBundle(data: unknown): boolean {
  return data !== null && typeof data === 'object' && (data as { format?: unknown }).format === failureBundleFormat;
}

function parseSingleJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** The fields replay relies on; the full shape is src/replay/recording.schema.json. */
function checkRecording(data: Record<string, unknown>, file: string): Recording {
  const fail = (position: string, reason: string): never => {
    throw new RecordingImportError(file, position, reason, 'Import the original file again with: handoff import <file> --out <recording.json>.');
  };
  if (data['version'] !== 1) fail('version', `the recording's version is ${JSON.stringify(data['version'])}, and this harness reads version 1`);
  if (typeof data['startedAt'] !== 'string' || Number.isNaN(Date.parse(data['startedAt']))) fail('startedAt', 'the recording has no start instant');
  const source = data['source'] as { format?: unknown; file?: unknown } | undefined;
  if (!source || typeof source.format !== 'string' || typeof source.file !== 'string') fail('source', 'the recording does not say what it was imported from');
  if (!Array.isArray(data['entries'])) fail('entries', 'the recording has no entries list');
  (data['entries'] as unknown[]).forEach((entry, index) => {
    const item = entry as Record<string, unknown> | null;
    if (!item || typeof item !== 'object') fail(`entries[${index}]`, 'the entry is not an object');
    if (typeof item!['kind'] !== 'string' || typeof item!['party'] !== 'string') fail(`entries[${index}]`, 'the entry has no kind or party');
    if (typeof item!['offsetMs'] !== 'number' || typeof item!['at'] !== 'string') fail(`entries[${index}]`, 'the entry has no time (at, offsetMs)');
    if (item!['kind'] === 'message' && typeof item!['text'] !== 'string') fail(`entries[${index}].text`, 'the message has no text');
  });
  return { warnings: [], ...data } as unknown as Recording;
}
