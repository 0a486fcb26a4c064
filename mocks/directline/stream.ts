import type { WebSocket } from 'ws';
import type { Simulation } from '../../src/sim/simulation';
import { authErrors, readWatermark, unknownConversation } from './auth';
import { streamConversationId } from './routes';

/** A stream the service agreed to open: which conversation, and the sequence number its replay starts after. */
export interface StreamGrant {
  conversationId: string;
  replayAfter: number;
}

export interface StreamOptions {
  /** Real milliseconds between empty keep-alive frames (copilot-protocol.md §2.6 frame 2). */
  keepAliveMs: number;
  /**
   * A repeating real-time timer for the keep-alive, provided by the server: transport timers belong to
   * the wall-clock adapter, never to the simulation (STYLE.md rule 2).
   */
  every(ms: number, tick: () => void): () => void;
}

/** How the service closes a stream when another one opens for the same conversation (copilot-protocol.md §2.6). */
export const collisionCloseReason = 'collision';

/**
 * Direct Line's WebSocket stream (copilot-protocol.md §2.6, surface C) for one simulation, on sockets of
 * the `ws` package. The handshake is authorised by the URL's `t=` alone (§0 fact 1); frames are
 * ActivitySets or empty keep-alives (§0 fact 4); everything is pushed, history first, because
 * DirectLineJS never polls in this mode (§0 fact 3).
 */
export function directLineStreams(sim: Simulation, options: StreamOptions) {
  const channel = sim.directLine;
  /** One socket per conversation (§2.6). */
  const open = new Map<string, WebSocket>();

  /** Checks an upgrade request's URL; a Response is the HTTP answer to send instead of switching protocols. */
  function authorize(url: URL): StreamGrant | Response {
    const conversationId = streamConversationId(url.pathname);
    if (conversationId === undefined) return unknownConversation(url.pathname);
    const token = url.searchParams.get('t');
    if (!token) return authErrors.missing();
    const check = sim.directLine.checkToken(token);
    if (!check.valid) return check.reason === 'expired' ? authErrors.expired() : authErrors.invalid();
    if (check.claims.scope !== 'directline:stream') return authErrors.invalid();
    if (check.claims.conv !== conversationId) return authErrors.otherConversation();
    if (!channel.conversation(conversationId)) return unknownConversation(conversationId);
    const watermark = readWatermark(url);
    if (watermark instanceof Response) return watermark;
    // A watermark in the URL replays after it; otherwise the replay point the stream URL was issued with (§2.6).
    const hasWatermark = (url.searchParams.get('watermark') ?? '') !== '';
    return { conversationId, replayAfter: hasWatermark ? watermark : Number(check.claims['after'] ?? -1) };
  }

  /** Starts pushing to an upgraded socket: the replay first, then every new activity, with keep-alives in between. */
  function attach(grant: StreamGrant, socket: WebSocket): void {
    const conversation = channel.conversation(grant.conversationId);
    if (!conversation) {
      socket.close(1000, 'Unknown conversation');
      return;
    }
    const previous = open.get(conversation.id);
    open.set(conversation.id, socket);
    if (previous) previous.close(1000, collisionCloseReason);

    const send = (text: string) => {
      if (socket.readyState === socket.OPEN) socket.send(text);
    };
    const replay = channel.activitiesAfter(conversation, grant.replayAfter, { includeTyping: true });
    if (replay.activities.length > 0) send(JSON.stringify({ activities: replay.activities, watermark: replay.watermark }));
    const unsubscribe = channel.subscribe(conversation, {
      activities: (activities, watermark) => send(JSON.stringify({ activities, watermark })),
      // DirectLineJS then asks for a new stream URL, gets 404 and ends (copilot-protocol.md §3.2 step 6).
      ended: () => socket.close(1000, 'Unknown conversation'),
    });
    const stopKeepAlive = options.every(options.keepAliveMs, () => send(''));

    let cleaned = false;
    const cleanUp = () => {
      if (cleaned) return;
      cleaned = true;
      unsubscribe();
      stopKeepAlive();
      if (open.get(conversation.id) === socket) open.delete(conversation.id);
    };
    // Clients send "" every 20 s and nothing else the mock supports (§2.6); reading frames keeps the socket flowing.
    socket.on('message', () => undefined);
    socket.on('close', cleanUp);
    socket.on('error', cleanUp);
  }

  /** Closes the stream of a conversation, as the service may at any time (§2.6); the client reconnects. */
  function drop(conversationId: string): boolean {
    const socket = open.get(conversationId);
    if (!socket) return false;
    socket.close(1000, 'closed by the service');
    return true;
  }

  function closeAll(): void {
    for (const socket of open.values()) socket.close(1001, 'server shutting down');
    open.clear();
  }

  return { authorize, attach, drop, closeAll, get openCount() { return open.size; } };
}

export type DirectLineStreams = ReturnType<typeof directLineStreams>;
