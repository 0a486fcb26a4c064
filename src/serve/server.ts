import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { WebSocketServer } from 'ws';
import { createSurfaces, respond, type Surface } from '../../mocks/network';
import { directLineStreams } from '../../mocks/directline/stream';
import { streamConversationId } from '../../mocks/directline/routes';
import type { Simulation } from '../sim/simulation';
import { controlPrefix, controlSurface } from './control-api';
import { demoPath, demoSurface } from './demo-page';
import { startMessagingPlane, type MessagingPlane } from './messaging-plane';
import { chatSdkPagePath, chatSdkPageSurface } from './pages/chat-sdk/page';
import { buildServeSimulation, defaultServeScenario, type ServeScenario } from './scenario';
import { WallClockDriver, wallClockInstant } from './wall-clock';
import { fetchRequest, preflight, readBody, refuseUpgrade, writeResponse } from './http-adapter';

export interface ServeOptions {
  /** TCP port on 127.0.0.1; 0 picks any free port. */
  port?: number;
  /** Virtual seconds per real second: 1 (default) is real time, 60 a minute per second, 0 frozen. */
  speed?: number;
  scenario?: ServeScenario;
  /** Where the scenario came from, for error messages. */
  scenarioSource?: string;
  /** Real milliseconds between empty keep-alive frames on Direct Line streams. */
  keepAliveMs?: number;
  /** Lines worth a human's attention: internal errors, refused upgrades. */
  log?: (line: string) => void;
}

export interface ServeUrls {
  base: string;
  directLine: string;
  tokenEndpoint: string | null;
  regionalChannelSettings: string;
  liveChatOrgUrl: string;
  control: string;
  demo: string;
}

export interface RunningServer {
  readonly port: number;
  readonly urls: ServeUrls;
  readonly sim: Simulation;
  readonly clock: WallClockDriver;
  /** What the server prints on start, as data. */
  describe(): Record<string, unknown>;
  close(): Promise<void>;
}

/** Only loopback: the mock accepts a well-known secret and must not be reachable from the network. */
export const serveHost = '127.0.0.1';

/**
 * The largest request body the server reads into memory. The services' own limits (262,144 bytes for an
 * activity, copilot-protocol.md §2.3) are checked by the handlers; this only protects the process.
 */
const maxBodyBytes = 8 * 1024 * 1024;



/**
 * `handoff serve`: the simulation and every mock on a real HTTP server, for real clients in other
 * processes and in browsers. Requests are turned into Fetch Requests and answered by the same msw
 * handlers the in-process mode uses (mocks/network.ts, through msw's getResponse), routed to their
 * surface's short handler list first; WebSocket upgrades go to the Direct Line stream (ws package).
 * The adapter adds only transport concerns: CORS, body limits, the wall clock and the socket plumbing.
 */
export async function startServer(options: ServeOptions = {}): Promise<RunningServer> {
  const log = options.log ?? (() => undefined);
  const scenario = options.scenario ?? defaultServeScenario();
  // A browser checks token expiry against its own clock: start virtual time at the real now unless told otherwise.
  const sim = buildServeSimulation(scenario, options.scenarioSource, wallClockInstant());
  const clock = new WallClockDriver(sim.clock, { speed: options.speed ?? 1, onError: (error) => sim.reportInternalError(error) });
  const streams = directLineStreams(sim, { keepAliveMs: options.keepAliveMs ?? 15_000, every: (ms, tick) => clock.every(ms, tick) });
  let port = 0;
  const describe = () => describeServer(sim, port, clock.speed);

  // The chat thread API and its realtime channel are HTTPS on a port of their own (messaging-plane.ts);
  // clients learn where from the chat token's ACSEndpoint (d365-omnichannel.md §2.4.3).
  let plane: MessagingPlane | undefined;
  const liveChat = { acsEndpoint: (request: Request) => plane?.url ?? `${new URL(request.url).origin}/` };
  const surfaces: Surface[] = [controlSurface({ sim, clock, streams, describe }), demoSurface(sim), chatSdkPageSurface(sim), ...createSurfaces(sim, liveChat)];
  plane = await startMessagingPlane({ sim, clock, surfaces, log });

  /** Internal errors have no caller to throw to in serve mode: log them (they are on the timeline too). */
  function drainInternalErrors(): void {
    for (const error of sim.internalErrors.splice(0)) log(`internal error: ${(error as Error).stack ?? String(error)}`);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = req.method ?? 'GET';
    if (method === 'OPTIONS') return preflight(req, res);
    const url = `http://${hostOf(req, port)}${req.url ?? '/'}`;
    const pathname = new URL(url).pathname;
    let body: Buffer | undefined;
    if (method !== 'GET' && method !== 'HEAD') {
      const read = await readBody(req, maxBodyBytes);
      if (read === 'too large') return refuseLargeBody(req, res);
      body = read;
    }
    clock.sync();
    let response: Response | undefined;
    try {
      const request = fetchRequest(req, url, body);
      response = await respond(surfaces, request);
    } catch (error) {
      log(`internal error answering ${method} ${req.url}: ${(error as Error).stack ?? String(error)}`);
      response = jsonError(500, 'InternalServerError', `The mock failed while answering ${method} ${req.url}: ${(error as Error).message}. This is a bug in handoff-harness, not in your client. Report it with the request that caused it.`);
    } finally {
      clock.reschedule();
      drainInternalErrors();
    }
    response ??= jsonError(404, 'NotFound', `No endpoint of handoff serve answers ${method} ${pathname}. It serves Direct Line (/v3/directline), Copilot Studio's token endpoints (/powervirtualagents), the live chat connector, the chat thread API, ${controlPrefix} and ${demoPath}. Check the URL against GET ${controlPrefix}.`);
    recordWire(sim, method, pathname, response.status);
    await writeResponse(req, res, response);
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      log(`failed to answer ${req.method} ${req.url}: ${(error as Error).message}`);
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end();
    });
  });

  const sockets = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
  server.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    const url = new URL(req.url ?? '/', `http://${hostOf(req, port)}`);
    clock.sync();
    const grant = streamConversationId(url.pathname) === undefined
      ? jsonError(404, 'NotFound', `No WebSocket endpoint at ${url.pathname}. Direct Line streams live at /v3/directline/conversations/<id>/stream. Open the streamUrl returned by POST /v3/directline/conversations.`)
      : streams.authorize(url);
    if (grant instanceof Response) {
      recordWire(sim, 'GET', url.pathname, grant.status);
      void refuseUpgrade(socket, grant);
      return;
    }
    sockets.handleUpgrade(req, socket, head, (ws) => {
      recordWire(sim, 'GET', url.pathname, 101);
      streams.attach(grant, ws);
      clock.reschedule();
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, serveHost, () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;
  clock.start();

  let closed: Promise<void> | undefined;
  return {
    port,
    urls: describe()['urls'] as ServeUrls,
    sim,
    clock,
    describe,
    close() {
      closed ??= new Promise<void>((resolve) => {
        clock.stop();
        streams.closeAll();
        for (const client of sockets.clients) client.terminate();
        sockets.close();
        server.close(() => void (plane?.close() ?? Promise.resolve()).then(() => resolve()));
        server.closeAllConnections();
      });
      return closed;
    },
  };
}

function describeServer(sim: Simulation, port: number, speed: number): Record<string, unknown> {
  const base = `http://${serveHost}:${port}`;
  const copilot = sim.copilot;
  const urls: ServeUrls = {
    base,
    directLine: `${base}/v3/directline`,
    tokenEndpoint: copilot ? `${base}/powervirtualagents/botsbyschema/${copilot.schemaName}/directline/token?api-version=2022-03-01-preview` : null,
    regionalChannelSettings: `${base}/powervirtualagents/regionalchannelsettings?api-version=2022-03-01-preview`,
    liveChatOrgUrl: base,
    control: `${base}${controlPrefix}`,
    demo: `${base}${demoPath}`,
  };
  return {
    urls,
    directLineSecret: sim.directLine.secret,
    copilot: copilot ? { name: copilot.name, schemaName: copilot.schemaName, botId: copilot.botId } : null,
    liveChat: { orgUrl: base, orgId: sim.omnichannel.orgId, widgetId: sim.omnichannel.widgetId },
    seed: sim.seed,
    speed,
  };
}

/** The Host the client used, so returned URLs (streamUrl, attachment links) point where it can reach; anything odd falls back to 127.0.0.1. */
function hostOf(req: IncomingMessage, port: number): string {
  const host = req.headers.host;
  return host && /^[A-Za-z0-9.\-[\]:]+$/.test(host) ? host : `${serveHost}:${port}`;
}

function refuseLargeBody(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const response = jsonError(413, 'BadArgument', `The request body is over ${maxBodyBytes} bytes. handoff serve does not read bodies that large; Direct Line itself refuses activities over 262,144 bytes. Send a smaller body.`);
  res.setHeader('connection', 'close');
  return writeResponse(req, res, response).then(() => {
    req.destroy();
  });
}


function jsonError(status: number, code: string, message: string): Response {
  return Response.json({ error: { code, message } }, { status });
}

/** Every request of a real client lands on the timeline like the in-process customer's (src/harness/wire-client.ts). */
function recordWire(sim: Simulation, method: string, pathname: string, status: number): void {
  if (pathname === controlPrefix || pathname.startsWith(`${controlPrefix}/`) || pathname === '/' || pathname === '/favicon.ico' || pathname.startsWith(demoPath) || pathname.startsWith(chatSdkPagePath)) return;
  const conversationId = /\/conversations\/([^/]+)/.exec(pathname)?.[1];
  sim.timeline.record('wire', { kind: 'wire.request', method, url: pathname, status }, conversationId ? decodeURIComponent(conversationId) : undefined);
}
