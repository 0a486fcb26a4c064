import type { VirtualClock } from '../sim/virtual-clock';

export interface WallClockOptions {
  /** Virtual milliseconds per real millisecond: 1 is real time, 60 makes a minute pass per second, 0 freezes time. */
  speed: number;
  /** Where errors of timers fired by the wall clock go (nobody is waiting on them). */
  onError: (error: unknown) => void;
  /** Real milliseconds, monotonic; tests pass their own to check the arithmetic. */
  wallNow?: () => number;
}

/** The longest real wait between two checks, so a clock that drifts is put right at least this often. */
const maxRealWaitMs = 1000;

/**
 * The serve adapter between real time and the simulation's virtual clock: the only place in src/ where
 * the wall clock is read and real timers are armed (STYLE.md rule 2). Virtual time follows the wall
 * clock at `speed`; the control API can also jump it forward, after which it keeps following from there.
 */
export class WallClockDriver {
  readonly #clock: VirtualClock;
  readonly #speed: number;
  readonly #onError: (error: unknown) => void;
  readonly #wallNow: () => number;
  #wallBase = 0;
  #virtualBase = 0;
  #timer: NodeJS.Timeout | undefined;
  #running = false;
  readonly #intervals = new Set<NodeJS.Timeout>();

  constructor(clock: VirtualClock, options: WallClockOptions) {
    if (!Number.isFinite(options.speed) || options.speed < 0) {
      throw new RangeError(`The clock speed ${options.speed} is not a speed. Speed is how many virtual seconds pass per real second. Use 0 (frozen), 1 (real time) or more, e.g. 60.`);
    }
    this.#clock = clock;
    this.#speed = options.speed;
    this.#onError = options.onError;
    this.#wallNow = options.wallNow ?? monotonicNow;
  }

  get speed(): number {
    return this.#speed;
  }

  start(): void {
    this.#running = true;
    this.#rebase();
    this.reschedule();
  }

  stop(): void {
    this.#running = false;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    for (const interval of this.#intervals) clearInterval(interval);
    this.#intervals.clear();
  }

  /** Brings virtual time up to the wall clock, firing the timers that fell due in between (frozen time still runs timers due now). */
  sync(): void {
    if (!this.#running) return;
    const target = this.#speed === 0 ? this.#clock.now() : this.#virtualBase + (this.#wallNow() - this.#wallBase) * this.#speed;
    this.#advanceTo(Math.floor(target));
  }

  /** Jumps virtual time forward (the control API's "advance"), then follows the wall clock from the new instant. */
  advanceBy(ms: number): void {
    this.sync();
    this.#advanceTo(this.#clock.now() + ms);
    this.#rebase();
    this.reschedule();
  }

  /** Arms one real timer for the next virtual deadline; call it after anything that may have armed a timer. */
  reschedule(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    if (!this.#running || this.#speed === 0) return;
    const deadline = this.#clock.nextDeadline();
    const realWait = deadline === undefined ? maxRealWaitMs : Math.min(maxRealWaitMs, Math.max(0, (deadline - this.#clock.now()) / this.#speed));
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.sync();
      this.reschedule();
    }, realWait);
    this.#timer.unref();
  }

  /** A repeating real-time timer for transport chores such as WebSocket keep-alives; returns its cancel. */
  every(ms: number, tick: () => void): () => void {
    const interval = setInterval(() => {
      try {
        tick();
      } catch (error) {
        this.#onError(error);
      }
    }, ms);
    interval.unref();
    this.#intervals.add(interval);
    return () => {
      clearInterval(interval);
      this.#intervals.delete(interval);
    };
  }

  #advanceTo(target: number): void {
    try {
      this.#clock.advanceTo(Math.max(target, this.#clock.now()));
    } catch (error) {
      this.#onError(error);
    }
  }

  #rebase(): void {
    this.#wallBase = this.#wallNow();
    this.#virtualBase = this.#clock.now();
  }
}

/** Monotonic real milliseconds: immune to the system clock being set back. */
function monotonicNow(): number {
  return performance.now();
}

/** The real instant, for a serve simulation whose scenario names no start: its virtual time begins now. */
export function wallClockInstant(): number {
  return Date.now();
}
