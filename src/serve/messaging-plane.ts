import https from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import selfsigned from 'selfsigned';
import { WebSocketServer } from 'ws';
import { respond, type Surface } from '../../mocks/network';
import { isRealtimePath, realtimeChannel } from '../../mocks/realtime/trouter';
import type { Simulation } from '../sim/simulation';
import type { WallClockDriver } from './wall-clock';
import { fetchRequest, preflight, readBody, refuseUpgrade, writeResponse } from './http-adapter';

export interface MessagingPlaneOptions {
  sim: Simulation;
  clock: WallClockDriver;
  /** The server's surfaces; the plane answers the messaging ones (paths under /chat/) from them. */
  surfaces: readonly Surface[];
  /** TCP port on 127.0.0.1; 0 (default) picks any free port. */
  port?: number;
  log?: (line: string) => void;
}

export interface MessagingPlane {
  /** The ACSEndpoint handed to clients: https, ending with `/` (d365-omnichannel.md §2.4.3). */
  readonly url: string;
  readonly port: number;
  /** The certificate's SHA-1 fingerprint, for clients that pin it instead of ignoring certificate errors. */
  readonly fingerprint: string;
  close(): Promise<void>;
}

const host = '127.0.0.1';
/** ACS messages are at most 28 KB (d365-omnichannel.md §7); anything far larger is refused unread. */
const maxBodyBytes = 1024 * 1024;

/**
 * The messaging plane of `handoff serve` on HTTPS: the ACS SDK refuses bearer tokens over plain http
 * (chat-sdk-in-browser.md §4.2), so the chat thread API and the realtime channel (§5) get their own
 * loopback origin with a self-signed certificate made at start. Browsers accept it when told to ignore
 * certificate errors (Playwright's ignoreHTTPSErrors, Chromium's --ignore-certificate-errors).
 * The thread API is answered by the very surfaces the plain server uses; CORS is answered here, on every
 * route, because every call of the SDK is preflighted (§4.1).
 */
export async function startMessagingPlane(options: MessagingPlaneOptions): Promise<MessagingPlane> {
  const { sim, clock } = options;
  const log = options.log ?? (() => undefined);
  const pems = await selfsigned.generate([{ name: 'commonName', value: host }], {
    keyType: 'ec',
    algorithm: 'sha256',
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames: [{ type: 7, ip: host }, { type: 2, value: 'localhost' }] },
    ],
  });
  const realtime = realtimeChannel(sim, { every: (ms, tick) => clock.every(ms, tick) });
  const surfaces: Surface[] = [realtime.surface, ...options.surfaces];
  let port = 0;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = req.method ?? 'GET';
    if (method === 'OPTIONS') return preflight(req, res, 'authorization, content-type, x-skypetoken');
    // The signaling client asks for `//chat/config/...` because the endpoint ends in `/` (§5.1); one slash is meant.
    const path = (req.url ?? '/').replace(/^\/{2,}/, '/');
    const url = new URL(path, `https://${host}:${port}`);
    let response: Response | undefined;
    if (!url.pathname.startsWith('/chat/') && !isRealtimePath(url.pathname)) {
      response = planeError(404, 'NotFound', `The messaging plane does not serve ${method} ${url.pathname}. It answers the chat thread API (/chat/...) and the realtime channel. Send live chat connector calls to the orgUrl instead.`);
    } else {
      const body = method === 'GET' || method === 'HEAD' ? undefined : await readBody(req, maxBodyBytes);
      if (body === 'too large') {
        response = planeError(413, 'RequestEntityTooLarge', `The request body is over ${maxBodyBytes} bytes. Chat messages are at most 28 KB. Send a smaller body.`);
      } else {
        clock.sync();
        try {
          const request = fetchRequest(req, url, body);
          response = await respond(surfaces, request);
        } catch (error) {
          log(`internal error answering ${method} ${url.pathname} on the messaging plane: ${(error as Error).stack ?? String(error)}`);
          response = planeError(500, 'InternalServerError', `The mock failed while answering ${method} ${url.pathname}: ${(error as Error).message}. This is a bug in handoff-harness, not in your client. Report it with the request that caused it.`);
        } finally {
          clock.reschedule();
        }
        response ??= planeError(404, 'NotFound', `No messaging endpoint answers ${method} ${url.pathname}. The chat thread API is documented in d365-omnichannel.md §3.2. Check the method and the URL.`);
      }
    }
    sim.timeline.record('wire', { kind: 'wire.request', method, url: url.pathname, status: response.status });
    await writeResponse(req, res, response);
  }

  const server = https.createServer({ key: pems.private, cert: pems.cert }, (req, res) => {
    handle(req, res).catch((error: unknown) => {
      log(`failed to answer ${req.method} ${req.url} on the messaging plane: ${(error as Error).message}`);
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end();
    });
  });
  server.on('tlsClientError', () => undefined);

  const sockets = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
  server.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    const url = new URL((req.url ?? '/').replace(/^\/{2,}/, '/'), `https://${host}:${port}`);
    clock.sync();
    const grant = realtime.authorize(url);
    if (grant instanceof Response) {
      sim.timeline.record('wire', { kind: 'wire.request', method: 'GET', url: url.pathname, status: grant.status });
      void refuseUpgrade(socket, grant);
      return;
    }
    sockets.handleUpgrade(req, socket, head, (ws) => {
      sim.timeline.record('wire', { kind: 'wire.request', method: 'GET', url: url.pathname, status: 101 });
      realtime.attach(grant, ws);
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;

  let closed: Promise<void> | undefined;
  return {
    url: `https://${host}:${port}/`,
    port,
    fingerprint: pems.fingerprint,
    close() {
      closed ??= new Promise<void>((resolve) => {
        realtime.closeAll();
        for (const client of sockets.clients) client.terminate();
        sockets.close();
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closed;
    },
  };
}

function planeError(status: number, code: string, message: string): Response {
  return Response.json({ error: { code, message } }, { status });
}
