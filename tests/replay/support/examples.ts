import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Recording, RecordingEntry } from '../../../src/replay/recording';

export const examplesFolder = join(__dirname, '..', '..', '..', 'examples', 'recordings');

/** The text of a sample recording under examples/recordings. */
export function exampleText(relativePath: string): string {
  return readFileSync(join(examplesFolder, relativePath), 'utf8');
}

/** The entries of one kind, with the kind's own fields typed. */
export function entriesOfKind<Kind extends RecordingEntry['kind']>(recording: Recording, kind: Kind): Extract<RecordingEntry, { kind: Kind }>[] {
  return recording.entries.filter((entry): entry is Extract<RecordingEntry, { kind: Kind }> => entry.kind === kind);
}

/** `party: text` for every message, the shape a reader checks a story by. */
export function messageLines(recording: Recording): string[] {
  return entriesOfKind(recording, 'message').map((entry) => `${entry.party}: ${entry.text}`);
}
