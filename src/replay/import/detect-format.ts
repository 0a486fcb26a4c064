import type { RecordingFormat } from '../recording';
import { asRecord, describe } from './activity-reader';
import type { JsonDocument } from './json-documents';
import { RecordingImportError } from './recording-import-error';

/** How many activities to look at when telling similar formats apart. */
const sampleSize = 50;

/**
 * Tells the input format from the content (never from the file name):
 *
 * - D365: messages with `created` / `isControlMessage` / `tags` and no activity `type`, the
 *   `chatMessagesJson` wrapper, or an annotation with `documentbody`;
 * - Dataverse: activities with numeric timestamps or numeric roles, or a record with a `content` string;
 * - Direct Line: several documents, a `{ activities, watermark }` body, a single activity, or an array
 *   whose activities came over Direct Line (`channelId: "directline"`, ids `<conversation>|0000012`);
 * - Bot Framework .transcript: any other array of activities, or `{ transcript: [...] }`.
 */
export function detectFormatOf(documents: JsonDocument[], file: string): RecordingFormat {
  const [first] = documents;
  if (!first) throw unknownFormat(file, 'file', 'the file holds no JSON value');
  if (documents.length > 1) {
    const allActivityLike = documents.every((document) => {
      const record = asRecord(document.value);
      return Array.isArray(document.value) || Array.isArray(record?.activities) || isActivity(record);
    });
    if (allActivityLike) return 'directline';
    const odd = documents.findIndex((document) => !Array.isArray(document.value) && !Array.isArray(asRecord(document.value)?.activities));
    throw unknownFormat(file, `document ${odd + 1}`, `the file holds ${documents.length} JSON values one after another, and value ${odd + 1} is ${describe(documents[odd]?.value)} rather than a Direct Line response`);
  }
  const value = first.value;
  if (Array.isArray(value)) return detectArray(value, file);
  const record = asRecord(value);
  if (!record) throw unknownFormat(file, 'file', `the file holds ${describe(value)}`);
  if ('chatMessagesJson' in record || typeof record.documentbody === 'string') return 'd365-transcript';
  if (Array.isArray(record.value)) {
    const row = asRecord(record.value[0]);
    if (typeof row?.documentbody === 'string') return 'd365-transcript';
    if (typeof row?.content === 'string') return 'dataverse-transcript';
  }
  if (typeof record.content === 'string' && (record.schematype !== undefined || record.content.trimStart().startsWith('{'))) return 'dataverse-transcript';
  if (Array.isArray(record.transcript)) return 'bf-transcript';
  if (Array.isArray(record.activities)) {
    const activities = record.activities.slice(0, sampleSize).map(asRecord);
    if (activities.some(hasDataverseShape)) return 'dataverse-transcript';
    return 'directline';
  }
  if (isActivity(record)) return hasDataverseShape(record) ? 'dataverse-transcript' : 'directline';
  for (const field of ['activities', 'transcript'] as const) {
    if (field in record) throw unknownFormat(file, field, `the field "${field}" should hold an array of activities, and it holds ${describe(record[field])}`);
  }
  const fields = Object.keys(record).slice(0, 8).join(', ');
  throw unknownFormat(file, 'file', `the file holds an object with ${fields ? `the fields ${fields}` : 'no fields'}, which matches none of the known shapes`);
}

function detectArray(value: unknown[], file: string): RecordingFormat {
  if (value.length === 0) throw unknownFormat(file, 'file', 'the file holds an empty array, so there is nothing to tell the format by');
  const sample = value.slice(0, sampleSize).map(asRecord);
  const firstIndex = sample.findIndex((item) => item !== undefined);
  if (firstIndex === -1) throw unknownFormat(file, '[0]', `the array holds ${describe(value[0])} where activities or messages were expected`);
  if (sample.some(isD365Message)) return 'd365-transcript';
  if (sample.some(hasDataverseShape)) return 'dataverse-transcript';
  if (sample.some(isActivity)) return sample.some(cameOverDirectLine) ? 'directline' : 'bf-transcript';
  throw unknownFormat(file, `[${firstIndex}]`, `the array's items have the fields ${Object.keys(sample[firstIndex] as object).slice(0, 8).join(', ') || 'none'}, which are neither activities nor transcript messages`);
}

function isActivity(record: Record<string, unknown> | undefined): boolean {
  return typeof record?.type === 'string' && ('from' in record || 'timestamp' in record || 'channelId' in record || 'id' in record);
}

/** D365 messages have no activity `type` and carry `created`, `isControlMessage` or `tags` (d365-omnichannel.md §8). */
function isD365Message(record: Record<string, unknown> | undefined): boolean {
  if (!record || typeof record.type === 'string') return false;
  return 'created' in record || 'createdDateTime' in record || 'isControlMessage' in record || ('tags' in record && 'content' in record);
}

/** Dataverse transcripts use epoch-second timestamps and numeric roles (copilot-protocol.md §11.2). */
function hasDataverseShape(record: Record<string, unknown> | undefined): boolean {
  if (!record || typeof record.type !== 'string') return false;
  return typeof record.timestamp === 'number' || typeof asRecord(record.from)?.role === 'number';
}

function cameOverDirectLine(record: Record<string, unknown> | undefined): boolean {
  return record?.channelId === 'directline' || (typeof record?.id === 'string' && /\|\d{7}$/.test(record.id));
}

function unknownFormat(file: string, position: string, reason: string): RecordingImportError {
  return new RecordingImportError(
    file,
    position,
    `the format is unknown: ${reason}`,
    'Pass a Bot Framework .transcript, a Direct Line activity log, a Dataverse conversationtranscript or a D365 transcript (docs/recording-format.md), or name the format explicitly.',
  );
}
