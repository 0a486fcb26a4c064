import { createActor, type Actor, type AnyStateMachine, type EventFromLogic, type SnapshotFrom, type InputFrom } from 'xstate';
import type { VirtualClock } from './virtual-clock';
import type { Timeline, StateChanged } from './timeline';

/** `{ active: { inConversation: 'customerConnected' } }` → `active.inConversation.customerConnected`. */
export function stateName(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object') {
    const [key, child] = Object.entries(value)[0] ?? [];
    if (key === undefined) return '';
    const rest = stateName(child);
    return rest ? `${key}.${rest}` : key;
  }
  return '';
}

/**
 * An actor on the simulation's clock whose every state change lands on the timeline with the event that
 * caused it; changes made by the actor's own timers are recorded as `after <delay>`.
 */
export class ObservedActor<M extends AnyStateMachine> {
  readonly actor: Actor<M>;
  #state: string;
  #lastEvent = 'xstate.init';

  constructor(
    machine: M,
    options: {
      clock: VirtualClock;
      timeline: Timeline;
      machineName: StateChanged['machine'];
      id: string;
      conversationId?: string;
      input?: InputFrom<M>;
      reasonOf?: (snapshot: SnapshotFrom<M>) => string | undefined;
      onChange?: (from: string, to: string, cause: string) => void;
      /** xstate reports an observer's errors asynchronously, where nobody would see them: hand them over instead. */
      onError?: (error: unknown) => void;
    },
  ) {
    this.actor = createActor(machine, {
      clock: options.clock,
      input: options.input,
      // Inspection sees every event an actor processes, its own timers (`xstate.after.<delay>...`) included.
      inspect: (inspection) => {
        if (inspection.type === '@xstate.event' && inspection.actorRef === this.actor) this.#lastEvent = inspection.event.type;
      },
    }) as Actor<M>;
    this.#state = '(new)';
    const party = options.machineName === 'agent' ? 'agent' : options.machineName === 'workItem' ? 'routing' : 'customer';
    this.actor.subscribe((snapshot: SnapshotFrom<M>) => {
      const to = stateName((snapshot as { value: unknown }).value);
      if (to === this.#state) return;
      const from = this.#state;
      const cause = this.#lastEvent;
      this.#state = to;
      options.timeline.record(
        party,
        { kind: 'state.changed', machine: options.machineName, id: options.id, from, to, event: cause, reason: options.reasonOf?.(snapshot) },
        options.conversationId,
      );
      if (from === '(new)') return;
      try {
        options.onChange?.(from, to, cause);
      } catch (error) {
        if (!options.onError) throw error;
        options.onError(error);
      }
    });
    this.actor.start();
  }

  get state(): string {
    return this.#state;
  }

  get snapshot(): SnapshotFrom<M> {
    return this.actor.getSnapshot() as SnapshotFrom<M>;
  }

  send(event: EventFromLogic<M>): void {
    this.actor.send(event);
  }

  stop(): void {
    this.actor.stop();
  }
}
