import { HttpResponse } from 'msw';

/**
 * Reads a JSON body once, answering 400 with the service's error shape when it is not JSON, and the
 * service's answer to an oversized body when a limit is given.
 */
export async function readJson<T>(
  request: Request,
  badRequest: (message: string) => Response,
  limit?: { bytes: number; tooLarge: (bytes: number) => Response },
): Promise<{ body: T } | { error: Response }> {
  const text = await request.text();
  if (limit) {
    const bytes = Buffer.byteLength(text);
    if (bytes > limit.bytes) return { error: limit.tooLarge(bytes) };
  }
  if (!text.trim()) return { body: {} as T };
  try {
    const body = JSON.parse(text) as unknown;
    if (body === null || typeof body !== 'object' || Array.isArray(body)) {
      return { error: badRequest('The request body is JSON but not an object. The service reads its parameters from a JSON object. Send a JSON object such as {}.') };
    }
    return { body: body as T };
  } catch (error) {
    return { error: badRequest(`The request body is not valid JSON: ${(error as Error).message}. The service reads its parameters from a JSON object. Send a JSON object with Content-Type: application/json.`) };
  }
}

/** `Authorization: Bearer <value>` → value, or undefined when missing or malformed. */
export function bearerOf(request: Request): string | undefined {
  const header = request.headers.get('authorization') ?? '';
  const match = /^Bearer\s+(\S+)$/i.exec(header.trim());
  return match?.[1];
}

/** The Bot Framework and ACS error body: `{ "error": { "code", "message" } }` (copilot-protocol.md §2.7, d365-omnichannel.md §3.2). */
export function serviceError(status: number, code: string, message: string, headers?: Record<string, string>): Response {
  return HttpResponse.json({ error: { code, message } }, { status, headers });
}
