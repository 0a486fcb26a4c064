import { asRecord, describe, readActivityLists, type ActivityList, type ImportContext, type ImportedConversation } from './activity-reader';
import type { JsonDocument } from './json-documents';
import { RecordingImportError } from './recording-import-error';

/**
 * A Direct Line activity log: the `{ activities, watermark }` bodies of GET /activities written one
 * after another (copilot-protocol.md §2.3), one array of activities, or a single activity such as a
 * captured `handoff.initiate` event (§6.2).
 */
export function importDirectLine(documents: JsonDocument[], context: ImportContext): ImportedConversation {
  const several = documents.length > 1;
  const lists = documents.map((document, documentIndex): ActivityList => {
    const prefix = several ? `document ${documentIndex + 1}, ` : '';
    const value = document.value;
    if (Array.isArray(value)) return { activities: value, positionOf: (index) => `${prefix}[${index}]` };
    const record = asRecord(value);
    if (record && Array.isArray(record.activities)) {
      return { activities: record.activities, positionOf: (index) => `${prefix}activities[${index}]` };
    }
    if (record && typeof record.type === 'string') return { activities: [record], positionOf: () => `${prefix}activity` };
    throw new RecordingImportError(
      context.file,
      several ? `document ${documentIndex + 1}` : 'file',
      `a Direct Line log holds { activities, watermark } responses, arrays of activities or single activities, and this ${several ? 'document' : 'file'} holds ${describe(value)}${record && 'activities' in record ? ' whose "activities" is not an array' : ''}`,
      'Save the bodies of the GET /v3/directline/conversations/{id}/activities responses as they arrive, or choose the format that matches the file.',
    );
  });
  return readActivityLists(lists, context);
}
