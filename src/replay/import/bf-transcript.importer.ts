import { asRecord, describe, readActivityLists, type ImportContext, type ImportedConversation } from './activity-reader';
import type { JsonDocument } from './json-documents';
import { RecordingImportError } from './recording-import-error';

/**
 * A Bot Framework `.transcript` as the Emulator saves it: a flat array of activities, or an object
 * whose `transcript` field is that array (readers must accept both, copilot-protocol.md §11.1).
 */
export function importBfTranscript(documents: JsonDocument[], context: ImportContext): ImportedConversation {
  const document = singleDocument(documents, context, 'a Bot Framework .transcript');
  const value = document.value;
  if (Array.isArray(value)) {
    return readActivityLists([{ activities: value, positionOf: (index) => `[${index}]` }], context);
  }
  const transcript = asRecord(value)?.transcript;
  if (Array.isArray(transcript)) {
    return readActivityLists([{ activities: transcript, positionOf: (index) => `transcript[${index}]` }], context);
  }
  throw new RecordingImportError(
    context.file,
    'file',
    `a Bot Framework .transcript is an array of activities or an object with a "transcript" array, and this file holds ${describe(value)}${asRecord(value) ? ` with the fields ${Object.keys(value as object).slice(0, 6).join(', ')}` : ''}`,
    'Pass the file the Emulator saved, or choose the format that matches the file (directline, dataverse-transcript, d365-transcript).',
  );
}

/** The one JSON value a format other than a Direct Line log must hold. */
export function singleDocument(documents: JsonDocument[], context: ImportContext, what: string): JsonDocument {
  const [first, second] = documents;
  if (!first) throw new RecordingImportError(context.file, 'file', 'the file is empty', 'Export the conversation again.');
  if (second) {
    throw new RecordingImportError(
      context.file,
      `document 2`,
      `${what} is one JSON value, and this file holds ${documents.length} written one after another`,
      'Import each value from its own file, or import the file as a Direct Line log (format directline).',
    );
  }
  return first;
}
