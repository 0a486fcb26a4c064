/**
 * Importing recorded conversations (Bot Framework .transcript, Direct Line logs, Copilot Studio
 * Dataverse transcripts, Dynamics 365 transcripts) into one normalized recording for local replay.
 * The format of the result: ../recording.ts and docs/recording-format.md.
 */
export { importRecording, importFile, importFileTo, writeRecording, detectRecordingFormat } from './import-recording';
export type { ImportRecordingOptions } from './import-recording';
export { RecordingImportError } from './recording-import-error';
export { recordingFormats } from '../recording';
export type {
  Recording,
  RecordingFormat,
  RecordingEntry,
  RecordingEntryKind,
  RecordingParty,
  RecordingChannel,
  RecordingWarning,
  EntrySource,
  MessageEntry,
  EventEntry,
  HandoffEntry,
  RoutingEntry,
  ClosureEntry,
  TopicEntry,
  VariableEntry,
  TypingEntry,
  AttachmentSummary,
  MessageVisibility,
} from '../recording';
