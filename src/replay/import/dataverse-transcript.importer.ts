import { asRecord, describe, readActivityLists, type ImportContext, type ImportedConversation } from './activity-reader';
import { singleDocument } from './bf-transcript.importer';
import { parseJsonDocuments, type JsonDocument } from './json-documents';
import { RecordingImportError } from './recording-import-error';

/**
 * A Copilot Studio conversation transcript (Dataverse `conversationtranscript`, copilot-protocol.md
 * §11.2): the `content` JSON `{ activities }`, the whole record with `content` as a JSON string, or a
 * Web API response `{ value: [record] }`. Timestamps are epoch seconds and roles numbers (1 = user,
 * 0 = bot), which the activity reader understands.
 */
export function importDataverseTranscript(documents: JsonDocument[], context: ImportContext): ImportedConversation {
  const { value } = singleDocument(documents, context, 'a Dataverse conversation transcript');
  if (Array.isArray(value)) return readActivityLists([{ activities: value, positionOf: (index) => `[${index}]` }], context);
  const record = asRecord(value);
  if (record && Array.isArray(record.activities)) {
    return readActivityLists([{ activities: record.activities, positionOf: (index) => `activities[${index}]` }], context);
  }
  if (record && typeof record.content === 'string') return importRecord(record, 'content', context);
  const rows = record?.value;
  if (Array.isArray(rows)) {
    const [row, extra] = rows;
    const transcript = asRecord(row);
    if (transcript && !extra && typeof transcript.content === 'string') return importRecord(transcript, 'value[0].content', context);
    throw new RecordingImportError(
      context.file,
      'value',
      `the Web API response holds ${rows.length} rows, and a recording is one conversation transcript with a "content" string`,
      'Query one conversationtranscript row (by its id) and import that response, or save each row\'s content to its own file.',
    );
  }
  throw new RecordingImportError(
    context.file,
    'file',
    `a Dataverse conversation transcript is { "activities": [...] } or a conversationtranscript record with a "content" string, and this file holds ${describe(value)}`,
    'Export the record\'s content field as it is stored, or choose the format that matches the file.',
  );
}

function importRecord(record: Record<string, unknown>, field: string, context: ImportContext): ImportedConversation {
  const documents = parseJsonDocuments(record.content as string, context.file, field);
  const content = asRecord(documents[0]?.value);
  if (documents.length !== 1 || !content || !Array.isArray(content.activities)) {
    throw new RecordingImportError(
      context.file,
      field,
      'the content field of a conversationtranscript record is a JSON string of { "activities": [...] }, and this one holds something else',
      'Export the record again without editing its content field.',
    );
  }
  const conversation = readActivityLists([{ activities: content.activities, positionOf: (index) => `${field}.activities[${index}]` }], context);
  // The record's name is <conversationId>_<botId>[_<batch>] (copilot-protocol.md §11.2).
  const conversationId = typeof record.name === 'string' ? record.name.split('_')[0] : undefined;
  const metadata = typeof record.metadata === 'string' ? safeParse(record.metadata) : undefined;
  conversation.people.addCopilot(asRecord(metadata)?.BotName);
  return { ...conversation, ...(conversationId && !conversation.conversationId ? { conversationId } : {}) };
}

function safeParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
