import type { SimpleFaker } from '@faker-js/faker';
import type { IdSource } from './ids';
import type { Timeline } from './timeline';
import type { TokenService } from './tokens';
import type { VirtualClock } from './virtual-clock';

/** What every simulated service shares within one simulation: one clock, one timeline, one seed. */
export interface SimulationServices {
  clock: VirtualClock;
  timeline: Timeline;
  faker: SimpleFaker;
  ids: IdSource;
  tokens: TokenService;
  /** Errors raised inside the simulation where no caller could catch them (actor observers, timers). */
  reportInternalError(error: unknown): void;
}
