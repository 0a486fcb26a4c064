import { getResponse, type RequestHandler } from 'msw';
import type { Simulation } from '../src/sim/simulation';
import { acsChatHandlers } from './acs-chat/handlers';
import { copilotStudioHandlers, copilotStudioPathPrefixes } from './copilot-studio/handlers';
import { directLineHandlers } from './directline/handlers';
import { liveChatHandlers, type LiveChatOptions } from './livechat/handlers';
import { isLiveChatPath } from './livechat/urls';

/** One wire surface: the path prefix that identifies it and its own short list of handlers. */
export interface Surface {
  name: string;
  matches: (pathname: string) => boolean;
  handlers: RequestHandler[];
}

export class UnhandledRequestError extends Error {
  override name = 'UnhandledRequestError';
}

/**
 * The mock network of one simulation, grouped by surface. A request reaches its surface's few handlers
 * before msw matches it, because every handler tried costs time (toolchain.md §5); `serve` and the
 * in-process customer use the same groups, so there is one implementation of each endpoint.
 */
export function createSurfaces(sim: Simulation, options: LiveChatOptions = {}): Surface[] {
  return [
    lazySurface('live chat', isLiveChatPath, () => liveChatHandlers(sim, options)),
    lazySurface('messaging (ACS chat)', (pathname) => pathname.startsWith('/chat/'), () => acsChatHandlers(sim)),
    lazySurface('Direct Line', (pathname) => pathname.includes('/v3/directline'), () => directLineHandlers(sim)),
    lazySurface('Copilot Studio', (pathname) => copilotStudioPathPrefixes.some((prefix) => pathname.startsWith(prefix)), () => copilotStudioHandlers(sim)),
  ];
}

/** A surface whose handlers are built on first use: a scenario on the chat widget never builds Direct Line's. */
function lazySurface(name: string, matches: (pathname: string) => boolean, build: () => RequestHandler[]): Surface {
  let handlers: RequestHandler[] | undefined;
  return {
    name,
    matches,
    get handlers() {
      return (handlers ??= withoutHandlerStackTraces(build));
    },
  };
}

/**
 * Answers a request from the surface it belongs to, or `undefined` when no handler takes it. Callers
 * must treat `undefined` as a failure: an unknown request is an error, never a silent pass-through.
 */
export async function respond(surfaces: readonly Surface[], request: Request): Promise<Response | undefined> {
  const { pathname } = new URL(request.url);
  const surface = surfaces.find((candidate) => candidate.matches(pathname));
  if (!surface) return undefined;
  try {
    return await getResponse(surface.handlers, request);
  } catch (error) {
    if (!(error instanceof URIError)) throw error;
    // msw decodes captured path parameters and throws on a malformed escape; answer as the services answer a bad argument.
    return Response.json(
      { error: { code: 'BadArgument', message: `The URL path ${pathname} has a malformed percent-escape. Ids in paths are URL-encoded UTF-8. Encode them with encodeURIComponent.` } },
      { status: 400 },
    );
  }
}

/** A fetch that goes through the simulation's mocks in process, failing loudly on any request they do not handle. */
export function inProcessFetch(surfaces: readonly Surface[]): typeof fetch {
  return async (input, init) => {
    const request = input instanceof Request && init === undefined ? input : new Request(input, init);
    const response = await respond(surfaces, request);
    if (!response) {
      throw new UnhandledRequestError(
        `No mock handles ${request.method} ${request.url}. The simulation only answers the Dynamics 365 live chat, messaging and Direct Line endpoints. Check the URL the client calls.`,
      );
    }
    return response;
  };
}

/**
 * msw captures a stack trace for every handler it builds, only for its own debug output; under ts-node's
 * source maps that costs about 0.1 ms a handler, which is most of a scenario's set-up. Handlers built
 * here have no call frame, which msw only uses to print where a handler was defined.
 */
function withoutHandlerStackTraces<T>(build: () => T): T {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return build();
  } finally {
    Error.stackTraceLimit = limit;
  }
}
