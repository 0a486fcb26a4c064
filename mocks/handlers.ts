import type { Simulation } from '../src/sim/simulation';
import { createSurfaces } from './network';
import type { LiveChatOptions } from './livechat/handlers';

export type HandlerOptions = LiveChatOptions;

/** Every wire surface of one simulation as one flat handler list, for `server.use()`. */
export function createHandlers(sim: Simulation, options: HandlerOptions = {}) {
  return createSurfaces(sim, options).flatMap((surface) => surface.handlers);
}
