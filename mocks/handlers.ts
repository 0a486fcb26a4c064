import type { Simulation } from '../src/sim/simulation';
import { acsChatHandlers } from './acs-chat/handlers';
import { directLineHandlers } from './directline/handlers';
import { liveChatHandlers, type LiveChatOptions } from './livechat/handlers';

export type HandlerOptions = LiveChatOptions;

/** Every wire surface of one simulation, grouped by protocol. */
export function createHandlers(sim: Simulation, options: HandlerOptions = {}) {
  return [...liveChatHandlers(sim, options), ...acsChatHandlers(sim), ...directLineHandlers(sim)];
}
