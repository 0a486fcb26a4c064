import type { RecordingWarning } from '../recording';

/**
 * A recording could not be imported. The message is three sentences: what failed (naming the file and
 * the position in it), why, and what to do.
 *
 * @example
 * try { importRecording(text, { file: 'chat.json' }); }
 * catch (error) { if (error instanceof RecordingImportError) console.error(error.file, error.position); }
 */
export class RecordingImportError extends Error {
  override readonly name = 'RecordingImportError';

  constructor(
    /** The file as the caller named it. */
    readonly file: string,
    /** `line 3, column 17` for JSON syntax, `activities[12]` or `[4].created` for data, `file` for the whole file. */
    readonly position: string,
    /** Why, one sentence without the final full stop. */
    readonly reason: string,
    /** What to do, one sentence. */
    readonly remedy: string,
  ) {
    super(`Failed to import recording ${file} (${position}): ${reason}. ${remedy}`);
  }
}

/** Collects warnings; one per problem, or one per run of the same problem, so a big file does not flood. */
export class WarningLog {
  readonly items: RecordingWarning[] = [];

  add(position: string, message: string): void {
    this.items.push({ position, message });
  }
}

/** `"…"` with long values cut, for quoting input in messages. */
export function quote(value: unknown, maxLength = 60): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value) ?? String(value);
  return JSON.stringify(text.length > maxLength ? `${text.slice(0, maxLength)}…` : text);
}
