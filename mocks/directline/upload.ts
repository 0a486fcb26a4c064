import type { Activity } from '../../src/copilot/direct-line-channel';
import { serviceError } from '../errors';
import { maxActivityBytes, tooLarge } from './activity-rules';

/**
 * The largest upload the mock takes. The service's own limit for files is not in copilot-protocol.md;
 * this guard only keeps a runaway client from filling memory.
 */
export const maxUploadBytes = 4 * 1024 * 1024;

export interface UploadedFile {
  contentType: string;
  name: string;
  bytes: Uint8Array;
}

export interface ParsedUpload {
  /** The container activity from the `application/vnd.microsoft.activity` part, if the client sent one. */
  activity?: Activity;
  files: UploadedFile[];
}

/**
 * Reads an upload (copilot-protocol.md §2.5): either one raw file (its type in Content-Type, its name in
 * Content-Disposition) or `multipart/form-data` with `file` parts and an optional activity part, which is
 * what DirectLineJS sends.
 */
export async function readUpload(request: Request): Promise<ParsedUpload | Response> {
  const declared = Number(request.headers.get('content-length') ?? NaN);
  if (Number.isFinite(declared) && declared > maxUploadBytes) return uploadTooLarge(declared);
  const contentType = request.headers.get('content-type') ?? '';
  if (/^multipart\/form-data/i.test(contentType)) return readMultipart(request);
  const bytes = new Uint8Array(await request.arrayBuffer());
  if (bytes.byteLength === 0) {
    return serviceError(400, 'MissingProperty', 'The upload has no file. An upload carries one raw file or multipart/form-data file parts. Send the file in the request body.');
  }
  if (bytes.byteLength > maxUploadBytes) return uploadTooLarge(bytes.byteLength);
  const disposition = request.headers.get('content-disposition') ?? '';
  const name = /filename\*?="?([^";]+)"?/i.exec(disposition)?.[1] ?? 'file';
  return { files: [{ contentType: contentType || 'application/octet-stream', name, bytes }] };
}

async function readMultipart(request: Request): Promise<ParsedUpload | Response> {
  let form: FormData;
  try {
    form = await request.formData();
  } catch (error) {
    return serviceError(400, 'BadArgument', `The multipart upload could not be read: ${(error as Error).message}. The body must be multipart/form-data with the boundary its Content-Type names. Let FormData build the body.`);
  }
  const files: UploadedFile[] = [];
  let activity: Activity | undefined;
  let total = 0;
  const parts: Array<[string, FormDataEntryValue]> = [];
  form.forEach((value, field) => parts.push([field, value]));
  for (const [field, value] of parts) {
    if (typeof value === 'string') continue;
    total += value.size;
    if (total > maxUploadBytes) return uploadTooLarge(total);
    // The activity part is told apart by its content type, whatever its field name (copilot-protocol.md §2.5).
    if (value.type === 'application/vnd.microsoft.activity' || field === 'activity') {
      if (value.size > maxActivityBytes) return tooLarge(value.size);
      const text = await value.text();
      try {
        const parsed = JSON.parse(text) as unknown;
        if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not a JSON object');
        activity = parsed as Activity;
      } catch (error) {
        return serviceError(400, 'BadArgument', `The activity part of the upload is not a JSON object: ${(error as Error).message}. The part typed application/vnd.microsoft.activity holds the message activity. Send it as JSON.`);
      }
      continue;
    }
    files.push({ contentType: value.type || 'application/octet-stream', name: (value as File).name || 'blob', bytes: new Uint8Array(await value.arrayBuffer()) });
  }
  if (files.length === 0) {
    return serviceError(400, 'MissingProperty', 'The upload has no file part. A multipart upload carries one or more parts named "file". Append each file to the form as "file".');
  }
  return { activity, files };
}

function uploadTooLarge(bytes: number): Response {
  return serviceError(413, 'BadArgument', `The upload is ${bytes} bytes, over the mock's limit of ${maxUploadBytes}. The mock keeps uploads in memory. Send smaller files.`);
}
