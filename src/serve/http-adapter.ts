import { STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

/** How the loopback servers answer on the wire: CORS on every answer, preflights, msw Responses written to Node. */
const textual = /^(?:application\/(?:[\w.+-]*\+)?json|text\/)/i;
const corsAllowedHeaders = 'authorization, content-type, x-ms-bot-agent, x-ms-client-request-id, request-id, ms-cv, x-requested-with';

/** CORS on every answer, so a page on another origin can call the mock (copilot-protocol.md §2.1: Authorization, Content-Type, x-ms-bot-agent). */
export function corsHeaders(req: IncomingMessage): Record<string, string> {
  const origin = req.headers.origin;
  // With credentials (DirectLineJS's getSessionId uses withCredentials) the origin must be echoed, not "*".
  return origin ? { 'access-control-allow-origin': origin, 'access-control-allow-credentials': 'true', vary: 'Origin' } : { 'access-control-allow-origin': '*' };
}

export function preflight(req: IncomingMessage, res: ServerResponse, allowedHeaders = corsAllowedHeaders): void {
  const headers: Record<string, string> = {
    ...corsHeaders(req),
    'access-control-allow-methods': 'GET, POST, PUT, PATCH, DELETE, OPTIONS',
    'access-control-allow-headers': String(req.headers['access-control-request-headers'] ?? allowedHeaders),
    'access-control-max-age': '600',
    'content-length': '0',
  };
  if (req.headers['access-control-request-private-network'] === 'true') headers['access-control-allow-private-network'] = 'true';
  res.writeHead(204, headers);
  res.end();
}

export async function writeResponse(req: IncomingMessage, res: ServerResponse, response: Response): Promise<void> {
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    headers[name] = value;
  });
  const exposed = Object.keys(headers).join(', ');
  Object.assign(headers, corsHeaders(req));
  if (exposed) headers['access-control-expose-headers'] = exposed;
  if (!response.body || req.method === 'HEAD') {
    res.writeHead(response.status, headers);
    res.end();
    return;
  }
  // Text goes out as a string: Node then sends head and body in one write, a Buffer costs a second one (writev).
  const body = textual.test(headers['content-type'] ?? '') ? await response.text() : Buffer.from(await response.arrayBuffer());
  headers['content-length'] = String(typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength);
  res.writeHead(response.status, headers);
  res.end(body);
}

export async function refuseUpgrade(socket: Socket, response: Response): Promise<void> {
  const body = Buffer.from(await response.arrayBuffer());
  const head = `HTTP/1.1 ${response.status} ${STATUS_CODES[response.status] ?? ''}\r\ncontent-type: application/json; charset=utf-8\r\ncontent-length: ${body.byteLength}\r\nconnection: close\r\n\r\n`;
  socket.end(Buffer.concat([Buffer.from(head), body]));
}

/**
 * The body of a Node request, or 'too large' once it passes `maxBytes` (declared or as it streams in):
 * a server on a real port reads no more than it will answer.
 */
export function readBody(req: IncomingMessage, maxBytes: number): Promise<Buffer | 'too large'> {
  if (Number(req.headers['content-length'] ?? 0) > maxBytes) return Promise.resolve('too large');
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    req.on('data', (chunk: Buffer) => {
      if (done) return;
      size += chunk.length;
      if (size > maxBytes) {
        done = true;
        resolve('too large');
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (!done) resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks));
    });
    req.on('error', reject);
  });
}

/** The Fetch request the mocks' handlers take, made from a Node request and its body. */
export function fetchRequest(req: IncomingMessage, url: string | URL, body: Buffer | undefined): Request {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return new Request(url, { method: req.method ?? 'GET', headers, body: body && new Uint8Array(body.buffer as ArrayBuffer, body.byteOffset, body.byteLength) });
}
