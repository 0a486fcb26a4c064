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
