import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { recordingFormats, type Recording, type RecordingFormat } from '../recording';
import type { ImportContext, ImportedConversation } from './activity-reader';
import { importBfTranscript } from './bf-transcript.importer';
import { importD365Transcript } from './d365-transcript.importer';
import { importDataverseTranscript } from './dataverse-transcript.importer';
import { detectFormatOf } from './detect-format';
import { importDirectLine } from './directline.importer';
import { parseJsonDocuments, type JsonDocument } from './json-documents';
import { hashText, pseudonymizeEntries } from './personal-data';
import { RecordingImportError, WarningLog } from './recording-import-error';
import { placeOnTimeline } from './timeline';

export interface ImportRecordingOptions {
  /** The file the text came from, as it should appear in messages and in `source.file`. */
  file: string;
  /** Skips detection. The content must still have the shape of that format. */
  format?: RecordingFormat;
  /** Keep e-mail addresses, phone and card numbers and names as they are (default: replace them). */
  keepPii?: boolean;
  /** Seeds the replacement values; by default a hash of the text, so each file keeps its pseudonyms. */
  seed?: number;
}

const importers: Record<RecordingFormat, (documents: JsonDocument[], context: ImportContext) => ImportedConversation> = {
  'bf-transcript': importBfTranscript,
  directline: importDirectLine,
  'dataverse-transcript': importDataverseTranscript,
  'd365-transcript': importD365Transcript,
};

/**
 * Imports a recorded conversation into one normalized timeline. The format is detected from the
 * content unless `options.format` names it; personal data is replaced by seeded, consistent
 * pseudonyms unless `options.keepPii`.
 *
 * @throws RecordingImportError naming the file and the position when the text cannot be used.
 * @example
 * const recording = importRecording(readFileSync('chat.transcript', 'utf8'), { file: 'chat.transcript' });
 * recording.entries.filter((entry) => entry.kind === 'handoff'); // [{ variables: { va_Topics: [...], ... } }]
 */
export function importRecording(text: string, options: ImportRecordingOptions): Recording {
  const { file } = options;
  if (options.format !== undefined && !(recordingFormats as readonly string[]).includes(options.format)) {
    throw new RecordingImportError(
      file,
      'options.format',
      `the format ${JSON.stringify(options.format)} is not one the importers read`,
      `Choose one of ${recordingFormats.join(', ')}, or leave the format out to detect it from the content.`,
    );
  }
  const documents = parseJsonDocuments(text, file);
  const format = options.format ?? detectFormatOf(documents, file);
  const warnings = new WarningLog();
  const conversation = importers[format](documents, { file, warnings });
  const timeline = placeOnTimeline(conversation.records, { file, warnings, expectedOrder: conversation.expectedOrder });
  if (!options.keepPii) pseudonymizeEntries(timeline.entries, conversation.people, options.seed ?? hashText(text));
  return {
    format: 'handoff-recording',
    version: 1,
    source: { format, file },
    ...(conversation.conversationId !== undefined ? { conversationId: conversation.conversationId } : {}),
    ...(conversation.channel !== undefined ? { channel: conversation.channel } : {}),
    startedAt: timeline.startedAt,
    entries: timeline.entries,
    warnings: warnings.items,
  };
}

/**
 * Detects the format of a recording's text without importing it.
 *
 * @example
 * detectRecordingFormat('{"activities":[],"watermark":"0"}', 'log.json'); // 'directline'
 */
export function detectRecordingFormat(text: string, file: string): RecordingFormat {
  return detectFormatOf(parseJsonDocuments(text, file), file);
}

/**
 * Reads a file and imports it; `source.file` is the path as given.
 *
 * @example
 * const recording = importFile('examples/recordings/directline/billing-handoff.log.json', {});
 */
export function importFile(path: string, options: Omit<ImportRecordingOptions, 'file'> & { file?: string } = {}): Recording {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason =
      code === 'ENOENT'
        ? 'the file does not exist'
        : code === 'EISDIR'
          ? 'the path is a folder, not a file'
          : code === 'EACCES' || code === 'EPERM'
            ? 'this process may not read it'
            : `it could not be read (${code ?? (error as Error).message})`;
    throw new RecordingImportError(path, 'file', reason, 'Check the path and the file permissions, then import again.');
  }
  return importRecording(text, { ...options, file: options.file ?? path });
}

/**
 * Writes a recording as indented JSON. The text goes to a temporary file beside the target that is
 * then renamed over it, so a reader never sees half a recording and a failed write leaves the old file.
 *
 * @example
 * writeRecording(importFile('chat.transcript'), 'recordings/chat.recording.json');
 */
export function writeRecording(recording: Recording, outPath: string): void {
  const temporary = `${outPath}.${process.pid}.tmp`;
  try {
    mkdirSync(dirname(outPath), { recursive: true });
    writeFileSync(temporary, `${JSON.stringify(recording, null, 2)}\n`, 'utf8');
    renameSync(temporary, outPath);
  } catch (error) {
    removeQuietly(temporary);
    const cause = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new Error(
      `Failed to write recording ${outPath}: the file system refused (${cause}). Check that the folder is writable and has space, then write again.`,
      { cause: error },
    );
  }
}

/**
 * Imports `inputPath` and writes the recording to `outPath`. When the import fails nothing is written
 * and an existing `outPath` is left as it was.
 *
 * @example
 * importFileTo('chat.transcript', 'recordings/chat.recording.json', { seed: 7 });
 */
export function importFileTo(inputPath: string, outPath: string, options: Omit<ImportRecordingOptions, 'file'> & { file?: string } = {}): Recording {
  const recording = importFile(inputPath, options);
  writeRecording(recording, outPath);
  return recording;
}

/** Removes a temporary file if it was created; when its folder could not be made there is nothing to remove. */
function removeQuietly(path: string): void {
  try {
    rmSync(path, { force: true });
  } catch {
    // ENOTDIR and the like: the temporary file never existed.
  }
}
