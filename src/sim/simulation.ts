import type { CopilotDefinition } from '../copilot/copilot-definition';
import { DirectLineChannel } from '../copilot/direct-line-channel';
import { Omnichannel } from '../d365/omnichannel';
import type { ContactCenterSettings } from '../d365/work-stream';
import { IdSource } from './ids';
import { createFaker } from './seed';
import type { SimulationServices } from './services';
import { Timeline } from './timeline';
import { TokenService } from './tokens';
import { VirtualClock } from './virtual-clock';

/** A fixed instant, so a scenario's timestamps are the same on every run: Monday 5 January 2026, 09:00 UTC. */
export const defaultStartInstant = Date.parse('2026-01-05T09:00:00.000Z');

export interface SimulationOptions {
  seed: number;
  startAt?: number;
  copilot?: CopilotDefinition;
  contactCenter: ContactCenterSettings;
}

/**
 * One simulated world per scenario: the clock, the seed, the timeline, the copilot with its Direct Line
 * channel and Dynamics 365. The mocks are the only way customer traffic gets in.
 */
export class Simulation implements SimulationServices {
  readonly seed: number;
  readonly clock: VirtualClock;
  readonly timeline: Timeline;
  readonly faker;
  readonly ids: IdSource;
  readonly tokens: TokenService;
  readonly omnichannel: Omnichannel;
  readonly directLine: DirectLineChannel;
  readonly internalErrors: unknown[] = [];
  #copilot: CopilotDefinition | undefined;

  constructor(options: SimulationOptions) {
    this.seed = options.seed;
    this.clock = new VirtualClock(options.startAt ?? defaultStartInstant);
    this.timeline = new Timeline(() => this.clock.now());
    this.faker = createFaker(options.seed, this.clock.now());
    this.ids = new IdSource(this.faker);
    this.tokens = new TokenService(this.ids.alphanumeric(32), () => this.clock.now());
    this.#copilot = options.copilot;
    this.directLine = new DirectLineChannel(this, () => this.#copilot);
    this.omnichannel = new Omnichannel(this, options.contactCenter, () => this.#copilot);
  }

  reportInternalError(error: unknown): void {
    this.internalErrors.push(error);
    this.timeline.record('system', { kind: 'problem', message: `internal error: ${(error as Error).message ?? String(error)}` });
  }

  /** Throws the first error the simulation could not raise where it happened. */
  throwInternalErrors(): void {
    const [first] = this.internalErrors.splice(0);
    if (first) throw first;
  }

  get copilot(): CopilotDefinition | undefined {
    return this.#copilot;
  }
}
