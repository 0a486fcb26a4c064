import fs from 'node:fs';
import path from 'node:path';

/** A report file or folder could not be written; the message says what, why and what to do. */
export class ReportWriteError extends Error {
  override name = 'ReportWriteError';
  readonly code: string | undefined;

  constructor(message: string, code: string | undefined, cause?: unknown) {
    super(message, { cause });
    this.code = code;
  }
}

/**
 * Writes a file whole or not at all: the content goes to a temporary file in the same folder, which is
 * then renamed over the target. A reader (or a run interrupted half-way) never sees a half-written report.
 */
export function writeFileAtomic(file: string, content: string | Uint8Array): void {
  const temporary = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(temporary, content);
    fs.renameSync(temporary, file);
  } catch (error) {
    fs.rmSync(temporary, { force: true });
    throw describeWriteError(error, file);
  }
}

/**
 * Creates the reports folder and proves it takes a file, so an unwritable folder fails before the run,
 * not after it (`access(W_OK)` says yes to root on a read-only mount).
 */
export function ensureWritableFolder(folder: string): void {
  try {
    fs.mkdirSync(folder, { recursive: true });
    const probe = path.join(folder, `.write-check.${process.pid}`);
    fs.writeFileSync(probe, '');
    fs.rmSync(probe, { force: true });
  } catch (error) {
    throw describeWriteError(error, folder, true);
  }
}

/** Turns a file-system error into three sentences: what failed, why, what to do. */
export function describeWriteError(error: unknown, target: string, isFolder = false): ReportWriteError {
  if (error instanceof ReportWriteError) return error;
  const code = (error as NodeJS.ErrnoException).code;
  const what = isFolder ? `Cannot write reports to the folder ${target}` : `Cannot write the report ${target}`;
  const why: Record<string, string> = {
    ENOSPC: 'the disk is full',
    EDQUOT: 'the disk quota is used up',
    EACCES: 'permission is denied',
    EPERM: 'the operation is not permitted',
    EROFS: 'the file system is read-only',
    ENOTDIR: 'a part of the path is a file, not a folder',
    EISDIR: 'a folder of that name is in the way',
    ENAMETOOLONG: 'the path is too long',
  };
  const remedy =
    code === 'ENOSPC' || code === 'EDQUOT'
      ? 'Free some space, or pass a folder on another disk with --reports <dir>.'
      : 'Pass a writable folder with --reports <dir>.';
  const reason = (code && why[code]) ?? (error as Error).message ?? String(error);
  return new ReportWriteError(`${what}: ${reason}${code ? ` (${code})` : ''}. Every run writes its reports there. ${remedy}`, code, error);
}
