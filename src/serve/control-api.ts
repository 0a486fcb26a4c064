import { http, HttpResponse } from 'msw';
import type { Surface } from '../../mocks/network';
import type { DirectLineStreams } from '../../mocks/directline/stream';
import { parseDuration } from '../sim/durations';
import type { Presence } from '../model/agent.machine';
import type { Simulation } from '../sim/simulation';
import { ScenarioError } from '../sim/errors';
import type { TimelineEntry } from '../sim/timeline';
import type { WallClockDriver } from './wall-clock';

/** Where the control API lives: outside every real service's paths, so it never shadows one. */
export const controlPrefix = '/_handoff';

export interface ControlContext {
  sim: Simulation;
  clock: WallClockDriver;
  streams: DirectLineStreams;
  /** What the server prints on start: base URLs, the secret, the copilot's ids. */
  describe: () => Record<string, unknown>;
}

const presences: Presence[] = ['Available', 'Busy', 'Busy-DND', 'Away', 'Offline', 'Inactive'];

/** The control API's errors use the same envelope as the services', with codes of its own. */
function controlError(status: number, code: string, message: string): Response {
  return HttpResponse.json({ error: { code, message } }, { status });
}

/**
 * The HTTP control API of `handoff serve` (documented in docs/serve.md): read the clock, move it on,
 * read the timeline, list conversations and play the agents, so a person or a test can drive the
 * Dynamics 365 side that no real client can reach. These are harness controls, not a real service.
 */
export function controlSurface(context: ControlContext): Surface {
  const { sim, clock, streams } = context;
  const omnichannel = sim.omnichannel;

  /** Runs an agent's action; the simulation's refusals are the caller's mistake (409), unknown names 404. */
  function asAgent(name: string, action: () => unknown): Response {
    if (!omnichannel.agentNames().includes(name)) {
      return controlError(404, 'UnknownAgent', `There is no agent "${name}". Agents come from the scenario's contactCenter.agents. Known agents: ${omnichannel.agentNames().map((n) => `"${n}"`).join(', ') || 'none'}.`);
    }
    try {
      action();
    } catch (error) {
      if (error instanceof ScenarioError || (error as Error).name === 'SimulationError') return controlError(409, 'Conflict', (error as Error).message);
      throw error;
    }
    return HttpResponse.json(agentView(name));
  }

  function agentView(name: string) {
    const state = omnichannel.agentState(name);
    return {
      name,
      presence: state.presence,
      capacity: state.capacity,
      usedCapacity: state.usedCapacity,
      offeredConversation: state.offeredConversation,
      conversations: omnichannel.chats.filter((chat) => chat.agent === name).map((chat) => chat.id),
    };
  }

  async function readBody(request: Request): Promise<Record<string, unknown> | Response> {
    const text = await request.text();
    if (!text.trim()) return {};
    try {
      const body = JSON.parse(text) as unknown;
      if (body && typeof body === 'object' && !Array.isArray(body)) return body as Record<string, unknown>;
    } catch {
      // answered below
    }
    return controlError(400, 'BadArgument', 'The request body is not a JSON object. The control API takes JSON such as {"by": "10 minutes"}. Send a JSON object.');
  }

  const base = `*${controlPrefix}`;
  const handlers = [
    http.get(`${base}/health`, () => HttpResponse.json({ status: 'ok' })),

    http.get(base, () =>
      HttpResponse.json({
        documentation: 'docs/serve.md',
        server: context.describe(),
        endpoints: [
          'GET  /_handoff/health',
          'GET  /_handoff/clock',
          'POST /_handoff/clock/advance {"by": "10 minutes"} | {"ms": 600000}',
          'GET  /_handoff/timeline[?conversation=<id>&since=<seq>&wire=true]',
          'GET  /_handoff/conversations',
          'POST /_handoff/directline/conversations/<id>/end',
          'POST /_handoff/directline/conversations/<id>/drop-stream',
          'GET  /_handoff/agents',
          'POST /_handoff/agents/<name>/accept | decline | end | close',
          'POST /_handoff/agents/<name>/reply {"text": "..."}',
          'POST /_handoff/agents/<name>/presence {"presence": "Available"}',
        ],
      }),
    ),

    http.get(`${base}/clock`, () => HttpResponse.json(clockView())),

    http.post(`${base}/clock/advance`, async ({ request }) => {
      const body = await readBody(request);
      if (body instanceof Response) return body;
      let ms: number;
      if (typeof body['ms'] === 'number') ms = body['ms'];
      else if (typeof body['by'] === 'string') {
        try {
          ms = parseDuration(body['by']);
        } catch (error) {
          return controlError(400, 'BadArgument', (error as Error).message);
        }
      } else {
        return controlError(400, 'MissingProperty', 'The request says neither "by" nor "ms". The clock moves on by a duration. Send {"by": "10 minutes"} or {"ms": 600000}.');
      }
      if (!Number.isFinite(ms) || ms < 0) return controlError(400, 'BadArgument', `Cannot move the clock by ${ms} ms. Virtual time only moves forward. Send a duration of zero or more.`);
      clock.advanceBy(ms);
      return HttpResponse.json(clockView());
    }),

    http.get(`${base}/timeline`, ({ request }) => {
      const url = new URL(request.url);
      const conversation = url.searchParams.get('conversation');
      const since = Number(url.searchParams.get('since') ?? -1);
      const wire = url.searchParams.get('wire') === 'true';
      const entries = sim.timeline.entries.filter(
        (entry: TimelineEntry) => entry.seq > since && (wire || entry.kind !== 'wire.request') && (conversation === null || entry.conversationId === conversation),
      );
      return HttpResponse.json({ seed: sim.seed, now: new Date(sim.clock.now()).toISOString(), entries });
    }),

    http.get(`${base}/conversations`, () =>
      HttpResponse.json({
        directLine: [...sim.directLine.conversations.values()].map((conversation) => ({
          id: conversation.id,
          state: conversation.conversation.state,
          activities: conversation.activities.length,
          watermark: sim.directLine.watermarkOf(conversation) ?? null,
          escalated: conversation.activities.some((activity) => activity.type === 'event' && activity.name === 'handoff.initiate'),
        })),
        liveChat: omnichannel.chats.map((chat) => ({
          id: chat.id,
          state: chat.conversation.state,
          workItem: omnichannel.workItemStatus(chat),
          queue: chat.queue ?? null,
          offeredTo: chat.offeredTo ?? null,
          agent: chat.agent ?? null,
          messages: chat.thread.length,
        })),
      }),
    ),

    http.post(`${base}/directline/conversations/:id/end`, ({ params }) => {
      const id = String(params['id']);
      if (!sim.directLine.end(id)) return controlError(404, 'UnknownConversation', `There is no open Direct Line conversation "${id}". Only open conversations can be ended. List them with GET /_handoff/conversations.`);
      return HttpResponse.json({ id, ended: true });
    }),

    http.post(`${base}/directline/conversations/:id/drop-stream`, ({ params }) => {
      const id = String(params['id']);
      if (!streams.drop(id)) return controlError(404, 'NoStream', `Conversation "${id}" has no open stream. Only an open WebSocket can be dropped. Connect a client in WebSocket mode first.`);
      return HttpResponse.json({ id, dropped: true });
    }),

    http.get(`${base}/agents`, () => HttpResponse.json(omnichannel.agentNames().map(agentView))),

    http.post(`${base}/agents/:name/:action`, async ({ request, params }) => {
      const name = String(params['name']);
      const action = String(params['action']);
      const body = await readBody(request);
      if (body instanceof Response) return body;
      switch (action) {
        case 'accept':
          return asAgent(name, () => omnichannel.agentAccepts(name));
        case 'decline':
          return asAgent(name, () => omnichannel.agentDeclines(name));
        case 'end':
          return asAgent(name, () => omnichannel.agentEnds(name));
        case 'close':
          return asAgent(name, () => omnichannel.agentClosesSession(name));
        case 'reply': {
          const text = body['text'];
          if (typeof text !== 'string' || !text.trim()) return controlError(400, 'MissingProperty', 'The reply has no "text". An agent replies with a message. Send {"text": "Hi, I can help."}.');
          return asAgent(name, () => omnichannel.agentSays(name, text));
        }
        case 'presence': {
          const presence = body['presence'];
          if (!presences.includes(presence as Presence)) return controlError(400, 'BadArgument', `"${String(presence)}" is not a presence. Agents are ${presences.join(', ')}. Send {"presence": "Available"}.`);
          return asAgent(name, () => omnichannel.setPresence(name, presence as Presence));
        }
        default:
          return controlError(404, 'UnknownAction', `Agents cannot "${action}". The actions are accept, decline, reply, end, close and presence. Use one of them in the URL.`);
      }
    }),
  ];

  function clockView() {
    const next = sim.clock.nextDeadline();
    return {
      now: new Date(sim.clock.now()).toISOString(),
      epochMs: sim.clock.now(),
      speed: clock.speed,
      pendingTimers: sim.clock.pendingTimers,
      nextTimerAt: next === undefined ? null : new Date(next).toISOString(),
    };
  }

  return { name: 'control API', matches: (pathname) => pathname === controlPrefix || pathname.startsWith(`${controlPrefix}/`), handlers };
}
