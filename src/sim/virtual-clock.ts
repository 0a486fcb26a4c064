import type { AnyActorLogic, ActorOptions } from 'xstate';

/** The clock interface xstate's actors accept (xstate does not export it by name). */
type ActorClock = NonNullable<ActorOptions<AnyActorLogic>['clock']>;

interface ScheduledTimer {
  readonly id: number;
  readonly dueAt: number;
  readonly callback: () => void;
}

/** How many timers may fire at one instant before the clock assumes a loop (an `after: 0` that re-arms itself). */
const maxTimersAtOneInstant = 10_000;

/**
 * The only source of time in a simulation. Timers live in a binary heap ordered by deadline, then by
 * the order they were armed. Advancing steps from deadline to deadline, so a timer armed by a timer
 * that fires during the advance fires at its own deadline (xstate's SimulatedClock moves `now` to the
 * end of the jump first: docs/style-exemplars.md A2).
 *
 * @example
 * const clock = new VirtualClock(Date.parse('2026-01-05T09:00:00Z'));
 * const actor = createActor(machine, { clock }).start();
 * clock.advanceBy(30 * 60_000); // 30 virtual minutes, a few microseconds of real time
 */
export class VirtualClock implements ActorClock {
  #now: number;
  #nextId = 1;
  #heap: ScheduledTimer[] = [];
  /** Cancelled ids are dropped lazily when they reach the top of the heap. */
  #cancelled = new Set<number>();
  #listeners = new Set<(now: number) => void>();

  constructor(startAt: number) {
    this.#now = startAt;
  }

  now(): number {
    return this.#now;
  }

  /** The virtual instant as an ISO-8601 UTC string, the format used on every wire and in reports. */
  isoNow(): string {
    return new Date(this.#now).toISOString();
  }

  setTimeout(callback: () => void, ms: number): number {
    const id = this.#nextId++;
    this.#push({ id, dueAt: this.#now + Math.max(0, ms), callback });
    return id;
  }

  clearTimeout(id: unknown): void {
    if (typeof id === 'number') this.#cancelled.add(id);
  }

  /** Number of timers still armed. */
  get pendingTimers(): number {
    return this.#heap.length - this.#cancelled.size;
  }

  /** The deadline of the earliest armed timer, if any. */
  nextDeadline(): number | undefined {
    this.#dropCancelledTop();
    return this.#heap[0]?.dueAt;
  }

  /** Runs every timer due within `ms`, in deadline order, stepping `now` to each deadline. */
  advanceBy(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) {
      throw new RangeError(`Cannot advance the virtual clock by ${ms} ms. Time only moves forward by a finite amount. Pass a duration of zero or more.`);
    }
    this.advanceTo(this.#now + ms);
  }

  /** Runs every timer due up to `target` and leaves `now` at `target`. */
  advanceTo(target: number): void {
    if (target < this.#now) target = this.#now;
    let firedAtSameInstant = 0;
    let lastInstant = this.#now;
    for (;;) {
      this.#dropCancelledTop();
      const next = this.#heap[0];
      if (!next || next.dueAt > target) break;
      this.#pop();
      if (next.dueAt === lastInstant) firedAtSameInstant += 1;
      else {
        lastInstant = next.dueAt;
        firedAtSameInstant = 1;
      }
      if (firedAtSameInstant > maxTimersAtOneInstant) {
        throw new Error(
          `Failed to advance the virtual clock: more than ${maxTimersAtOneInstant} timers fired at ${new Date(lastInstant).toISOString()}. ` +
            'A timer keeps re-arming itself with no delay. Check for an "after: 0" transition that re-enters itself.',
        );
      }
      this.#now = next.dueAt;
      next.callback();
    }
    this.#now = target;
    for (const listener of this.#listeners) listener(this.#now);
  }

  /** Runs timers that are due now (armed with a zero delay). */
  flush(): void {
    this.advanceTo(this.#now);
  }

  /** Calls `listener` after every advance, e.g. to let a server push what the fired timers produced. */
  onAdvance(listener: (now: number) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #dropCancelledTop(): void {
    while (this.#heap.length > 0 && this.#cancelled.has(this.#heap[0]!.id)) {
      this.#cancelled.delete(this.#pop().id);
    }
  }

  #before(a: ScheduledTimer, b: ScheduledTimer): boolean {
    return a.dueAt < b.dueAt || (a.dueAt === b.dueAt && a.id < b.id);
  }

  #push(timer: ScheduledTimer): void {
    const heap = this.#heap;
    heap.push(timer);
    let index = heap.length - 1;
    while (index > 0) {
      const parent = (index - 1) >> 1;
      if (!this.#before(heap[index]!, heap[parent]!)) break;
      [heap[index], heap[parent]] = [heap[parent]!, heap[index]!];
      index = parent;
    }
  }

  #pop(): ScheduledTimer {
    const heap = this.#heap;
    const top = heap[0]!;
    const last = heap.pop()!;
    if (heap.length > 0) {
      heap[0] = last;
      let index = 0;
      for (;;) {
        const left = index * 2 + 1;
        const right = left + 1;
        let smallest = index;
        if (left < heap.length && this.#before(heap[left]!, heap[smallest]!)) smallest = left;
        if (right < heap.length && this.#before(heap[right]!, heap[smallest]!)) smallest = right;
        if (smallest === index) break;
        [heap[index], heap[smallest]] = [heap[smallest]!, heap[index]!];
        index = smallest;
      }
    }
    return top;
  }
}
