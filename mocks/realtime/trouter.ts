import { http, HttpResponse } from 'msw';
import type { WebSocket } from 'ws';
import type { LiveChat, ThreadMessage, ThreadParticipant } from '../../src/d365/omnichannel';
import type { Simulation } from '../../src/sim/simulation';
import { realtimePaths } from '../acs-chat/handlers';
import { serviceError } from '../errors';
import type { Surface } from '../network';
import { chatMessageReceived, participantsChanged } from './notifications';
import { packets, packetType, parsePacket } from './socket-io';

export interface RealtimeOptions {
  /**
   * A repeating real-time timer, provided by the server: heartbeats are a transport chore, which belongs
   * to the wall-clock adapter, never to the simulation (STYLE.md rule 2).
   */
  every(ms: number, tick: () => void): () => void;
  /** Real milliseconds between `2::` heartbeats; inside the 60 s the handshake announces (chat-sdk-in-browser.md §5.3 step 3). */
  heartbeatMs?: number;
}

/** Timeline facts after which a chat's thread or roster may have changed. */
const newsKinds = new Set(['message.sent', 'session.changed', 'state.changed']);

/** One Trouter allocation (`POST /trouter/v4/a`): a customer's chat, and what of it was already pushed. */
interface Allocation {
  id: string;
  chat: LiveChat;
  surl: string;
  /** Messages of the thread already pushed (or there before the client allocated, when polling covers them). */
  pushed: number;
  roster: Map<string, ThreadParticipant>;
}

interface Connection {
  allocation: Allocation;
  socket: WebSocket;
  requests: number;
  /** Pushed messages by request id, to note the delivery when the client answers 200. */
  awaiting: Map<number, ThreadMessage>;
  stopHeartbeat: () => void;
}

/** socket.io handshake: `{sid}:{heartbeat timeout}:{close timeout}:{transports}` (chat-sdk-in-browser.md §5.3 step 2). */
const handshakeTimeouts = '60:60';
const connectionTtlSeconds = 86_400;
const routes = {
  allocate: new RegExp(`${realtimePaths.trouter}/v4/a$`, 'i'),
  handshake: /\/socket\.io\/1\/?$/i,
  websocket: /^\/socket\.io\/1\/websocket\/(?<sid>[^/?]+)$/i,
  register: new RegExp(`${realtimePaths.registrar}/v3/registrations$`, 'i'),
  unregister: new RegExp(`${realtimePaths.registrar}/v3/registrations/[^/?]+$`, 'i'),
};

/** Paths of the realtime surface: allocation, registrar and the socket.io endpoints. */
export function isRealtimePath(pathname: string): boolean {
  return pathname.startsWith(`${realtimePaths.trouter}/`) || pathname.startsWith(`${realtimePaths.registrar}/`) || pathname.startsWith('/socket.io/');
}

/**
 * The minimal Trouter the ACS signaling client needs in a browser (chat-sdk-in-browser.md §5.3): it
 * allocates a connection, hands out a socket.io 0.9 session, accepts registrations, and over the
 * WebSocket pushes the thread's new messages (event 200) and membership changes (260, 261). Without it
 * `onAgentEndSession` cannot fire (§5.2). A connection belongs to the chat its token names; the news
 * comes from the simulation, never from a second copy of the thread.
 */
export function realtimeChannel(sim: Simulation, options: RealtimeOptions) {
  const heartbeatMs = options.heartbeatMs ?? 15_000;
  const allocations = new Map<string, Allocation>();
  const sessions = new Map<string, Allocation>();
  const connections = new Set<Connection>();
  let issued = 0;
  let stopListening: (() => void) | undefined;

  /** The Trouter calls carry the chat token as `X-Skypetoken` (chat-sdk-in-browser.md §3 rows 4, 6, 8). */
  function chatOf(request: Request): LiveChat | Response {
    const token = request.headers.get('x-skypetoken');
    if (!token) return serviceError(401, 'Unauthorized', 'The request has no X-Skypetoken header. The realtime channel is opened with the chat token. Send the Token from createConversation.');
    const check = sim.tokens.check(token);
    if (!check.valid || check.claims.scope !== 'acs:chat') return serviceError(401, 'Unauthorized', `The X-Skypetoken is ${check.valid ? 'not a chat token' : check.reason === 'expired' ? 'expired' : 'not valid'}. The realtime channel takes the chat token of the live chat connector. Get a fresh one from createConversation.`);
    const chat = sim.omnichannel.chatByThread(String(check.claims.conv ?? ''));
    if (!chat) return serviceError(404, 'NotFound', 'The chat token names no conversation the simulation knows. Tokens are bound to their own chat thread. Start a chat first.');
    return chat;
  }

  function rosterOf(chat: LiveChat): Map<string, ThreadParticipant> {
    return new Map(sim.omnichannel.threadParticipants(chat).map((participant) => [participant.id, participant]));
  }

  const handlers = [
    // Allocation (§5.3 step 1): where to open the socket, and the connect parameters it echoes back.
    http.post(routes.allocate, ({ request }) => {
      const chat = chatOf(request);
      if (chat instanceof Response) return chat;
      issued += 1;
      const id = `trouter-${issued}`;
      const origin = new URL(request.url).origin;
      const surl = `${origin}/trouterclient/${id}/`;
      allocations.set(id, { id, chat, surl, pushed: chat.thread.length, roster: rosterOf(chat) });
      const now = sim.clock.now();
      return HttpResponse.json({
        socketio: `${origin}/`,
        url: surl,
        surl,
        id,
        ccid: id,
        ttl: String(connectionTtlSeconds),
        // `se` must lie more than an hour ahead, or the client drops cached parameters on reconnect (§5.3 step 1).
        connectparams: { sr: id, issuer: 'handoff-harness', sp: 'connect', st: String(now), se: String(now + connectionTtlSeconds * 1000), sig: id },
      });
    }),

    // socket.io 0.9 handshake (§5.3 step 2): a session id for the WebSocket, websocket the only transport.
    http.get(routes.handshake, ({ request }) => {
      const allocation = allocations.get(new URL(request.url).searchParams.get('sr') ?? '');
      if (!allocation) return serviceError(404, 'NotFound', 'The handshake names no allocation (query sr). A socket is opened for a connection allocated first. POST /trouter/v4/a before the handshake.');
      if (request.headers.has('x-skypetoken')) {
        const chat = chatOf(request);
        if (chat instanceof Response) return chat;
        if (chat !== allocation.chat) return serviceError(403, 'Forbidden', 'The X-Skypetoken belongs to another chat than the allocation. A connection carries one chat\'s notifications. Use the token the connection was allocated with.');
      }
      issued += 1;
      const sid = `sid-${issued}`;
      sessions.set(sid, allocation);
      return new HttpResponse(`${sid}:${handshakeTimeouts}:websocket`, { headers: { 'content-type': 'text/plain' } });
    }),

    // Registration (§5.3 step 5): accepted; pushes go to the open socket anyway.
    http.post(routes.register, ({ request }) => {
      const chat = chatOf(request);
      return chat instanceof Response ? chat : HttpResponse.json({}, { status: 202 });
    }),
    http.delete(routes.unregister, () => new HttpResponse(null, { status: 204 })),
  ];

  /** Checks a WebSocket upgrade; a Response is the HTTP answer to send instead of switching protocols. */
  function authorize(url: URL): Allocation | Response {
    const sid = routes.websocket.exec(url.pathname)?.groups?.['sid'];
    if (!sid) return serviceError(404, 'NotFound', `No WebSocket endpoint at ${url.pathname}. The realtime socket lives at /socket.io/1/websocket/<sid>. Use the sid of the handshake.`);
    const allocation = sessions.get(sid);
    if (!allocation) return serviceError(404, 'NotFound', `There is no socket.io session ${sid}. A session id is good for the connection it was handed out for. Shake hands again at /socket.io/1/.`);
    return allocation;
  }

  /** Runs the socket.io session on an upgraded socket (§5.3 steps 3, 4 and 6). */
  function attach(allocation: Allocation, socket: WebSocket): void {
    const connection: Connection = { allocation, socket, requests: 0, awaiting: new Map(), stopHeartbeat: () => undefined };
    connections.add(connection);
    send(connection, packets.connect());
    send(connection, packets.event('trouter.connected', [{ ttl: String(connectionTtlSeconds) }]));
    connection.stopHeartbeat = options.every(heartbeatMs, () => send(connection, packets.heartbeat()));
    // News is pushed as the simulation records it, so a join and a leave in quick succession are both heard.
    stopListening ??= sim.timeline.onRecord((entry) => {
      if (entry.conversationId === undefined || !newsKinds.has(entry.kind)) return;
      // This runs inside the simulation's own step: a transport failure must not become the simulation's.
      try {
        for (const candidate of connections) if (candidate.allocation.chat.id === entry.conversationId) flush(candidate.allocation);
      } catch (error) {
        sim.reportInternalError(error);
      }
    });
    socket.on('message', (data: Buffer) => received(connection, data.toString('utf8')));
    const detach = () => {
      if (!connections.delete(connection)) return;
      connection.stopHeartbeat();
      if (connections.size === 0) {
        stopListening?.();
        stopListening = undefined;
      }
    };
    socket.on('close', detach);
    socket.on('error', detach);
    flush(allocation);
  }

  function received(connection: Connection, frame: string): void {
    const packet = parsePacket(frame);
    if (!packet) return;
    // The client's ping and user.activity events wait for an ack; without one it reconnects (§5.3 step 4).
    if (packet.type === packetType.event && packet.wantsAck && packet.id) send(connection, packets.ack(packet.id));
    else if (packet.type === packetType.message) answered(connection, packet.data);
    else if (packet.type === packetType.disconnect) connection.socket.close(1000, 'client disconnected');
  }

  /** The client's answer to a pushed request: a 200 for a message means it reached the SDK's handler. */
  function answered(connection: Connection, data: string): void {
    let reply: { id?: unknown; status?: unknown };
    try {
      reply = JSON.parse(data) as { id?: unknown; status?: unknown };
    } catch {
      return;
    }
    const message = connection.awaiting.get(Number(reply.id));
    connection.awaiting.delete(Number(reply.id));
    if (!message || reply.status !== 200 || message.from === 'customer') return;
    const { chat } = connection.allocation;
    sim.timeline.record('customer', { kind: 'message.delivered', to: 'customer', reader: 'customer', messageId: message.id, from: message.from, text: message.content }, chat.id);
  }

  function push(connection: Connection, body: object, message?: ThreadMessage): void {
    connection.requests += 1;
    if (message) connection.awaiting.set(connection.requests, message);
    const request = { id: connection.requests, method: 'POST', url: connection.allocation.surl, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) };
    send(connection, packets.message(JSON.stringify(request)));
  }

  function send(connection: Connection, frame: string): void {
    if (connection.socket.readyState === connection.socket.OPEN) connection.socket.send(frame);
  }

  /** Pushes what changed in an allocation's chat since the last look: who joined, new messages, who left. */
  function flush(allocation: Allocation): void {
    const { chat } = allocation;
    const roster = rosterOf(chat);
    const added = [...roster.values()].filter((participant) => !allocation.roster.has(participant.id));
    const removed = [...allocation.roster.values()].filter((participant) => !roster.has(participant.id));
    const fresh = chat.thread.slice(allocation.pushed);
    if (added.length === 0 && removed.length === 0 && fresh.length === 0) return;
    allocation.pushed = chat.thread.length;
    allocation.roster = roster;
    const now = sim.clock.now();
    // The service changes the roster: its system participant is the one who adds and removes (§5.5).
    const service = { id: chat.visitorId.replace(/_[^_]*$/, '_service'), displayName: '' };
    for (const connection of connections) {
      if (connection.allocation !== allocation) continue;
      if (added.length > 0) push(connection, participantsChanged(chat, 'added', added, now, service));
      for (const message of fresh) push(connection, chatMessageReceived(chat, message), message);
      if (removed.length > 0) push(connection, participantsChanged(chat, 'removed', removed, now, service));
    }
  }

  function closeAll(): void {
    for (const connection of [...connections]) connection.socket.close(1001, 'server shutting down');
    stopListening?.();
    stopListening = undefined;
  }

  const surface: Surface = { name: 'realtime (Trouter)', matches: isRealtimePath, handlers };
  return { surface, authorize, attach, closeAll, get openCount() { return connections.size; } };
}

export type RealtimeChannel = ReturnType<typeof realtimeChannel>;
