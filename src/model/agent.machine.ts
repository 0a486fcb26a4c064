import { assign, emit, setup } from 'xstate';
import { defaultDelays } from './delays';

/** Base presence statuses (d365-omnichannel.md §5.1); Inactive is set after missed notifications. */
export type Presence = 'Available' | 'Busy' | 'Busy-DND' | 'Away' | 'Offline' | 'Inactive';

/** What one conversation takes from an agent: units, or one from each capacity profile (d365-omnichannel.md §5.3). */
export interface CapacityClaim {
  units: number;
  profiles?: readonly string[];
}

export interface ProfileCapacity {
  limit: number;
  used: number;
}

export interface AgentContext {
  name: string;
  presence: Presence;
  capacity: number;
  usedCapacity: number;
  /** Profile-based capacity: per profile, the agent's work item limit and what is in use. */
  profiles: Record<string, ProfileCapacity>;
  offeredConversation: string | null;
  missedNotifications: number;
  /** Missed notifications in a row that set the presence to Inactive; 0 leaves presence alone. */
  inactiveAfterMissed: number;
}

export type AgentEvent =
  | { type: 'agent.presenceChanged'; presence: Presence }
  | { type: 'agent.offered'; conversationId: string }
  | ({ type: 'agent.accepted'; conversationId: string } & CapacityClaim)
  | { type: 'agent.declined'; conversationId: string }
  | { type: 'agent.offerWithdrawn'; conversationId: string }
  /** Work taken without a notification (pick mode): capacity may go negative (d365-omnichannel.md §5.2 step 9). */
  | ({ type: 'agent.capacityConsumed' } & CapacityClaim)
  | ({ type: 'agent.capacityReleased' } & CapacityClaim);

export type AgentEmitted = { type: 'agent.offerExpired'; agent: string; conversationId: string };

export interface AgentInput {
  name: string;
  presence: Presence;
  capacity: number;
  profiles?: Record<string, number>;
  inactiveAfterMissed?: number;
}

function claimOf(event: AgentEvent): CapacityClaim {
  return 'units' in event ? { units: event.units, profiles: event.profiles ?? [] } : { units: 0, profiles: [] };
}

function withProfiles(profiles: Record<string, ProfileCapacity>, claimed: readonly string[] = [], change: 1 | -1): Record<string, ProfileCapacity> {
  const next = { ...profiles };
  for (const name of claimed) {
    const current = next[name] ?? { limit: 0, used: 0 };
    next[name] = { limit: current.limit, used: change > 0 ? current.used + 1 : Math.max(0, current.used - 1) };
  }
  return next;
}

/** A human agent: presence, unit or profile capacity, and one notification at a time with its countdown. */
export const agentMachine = setup({
  types: {
    context: {} as AgentContext,
    events: {} as AgentEvent,
    emitted: {} as AgentEmitted,
    input: {} as AgentInput,
  },
  delays: { notificationCountdown: defaultDelays.notificationCountdown },
  guards: {
    isTheOfferedConversation: ({ context, event }) => 'conversationId' in event && event.conversationId === context.offeredConversation,
    missesOneTooMany: ({ context }) => context.inactiveAfterMissed > 0 && context.missedNotifications + 1 >= context.inactiveAfterMissed,
  },
  actions: {
    setPresence: assign({ presence: ({ event, context }) => (event.type === 'agent.presenceChanged' ? event.presence : context.presence) }),
    holdOffer: assign({ offeredConversation: ({ event }) => (event.type === 'agent.offered' ? event.conversationId : null) }),
    clearOffer: assign({ offeredConversation: null }),
    consumeCapacity: assign(({ context, event }) => {
      const claim = claimOf(event);
      return { usedCapacity: context.usedCapacity + claim.units, profiles: withProfiles(context.profiles, claim.profiles, 1) };
    }),
    releaseCapacity: assign(({ context, event }) => {
      const claim = claimOf(event);
      return { usedCapacity: Math.max(0, context.usedCapacity - claim.units), profiles: withProfiles(context.profiles, claim.profiles, -1) };
    }),
    countMissedNotification: assign({ missedNotifications: ({ context }) => context.missedNotifications + 1 }),
    forgetMissedNotifications: assign({ missedNotifications: 0 }),
    becomeInactive: assign({ presence: 'Inactive' as const }),
    announceOfferExpired: emit(({ context }) => ({
      type: 'agent.offerExpired' as const,
      agent: context.name,
      conversationId: context.offeredConversation ?? '',
    })),
  },
}).createMachine({
  id: 'agent',
  context: ({ input }) => ({
    name: input.name,
    presence: input.presence,
    capacity: input.capacity,
    usedCapacity: 0,
    profiles: Object.fromEntries(Object.entries(input.profiles ?? {}).map(([name, limit]) => [name, { limit, used: 0 }])),
    offeredConversation: null,
    missedNotifications: 0,
    inactiveAfterMissed: input.inactiveAfterMissed ?? 0,
  }),
  initial: 'idle',
  on: {
    'agent.presenceChanged': { actions: 'setPresence' },
    'agent.capacityConsumed': { actions: 'consumeCapacity' },
    'agent.capacityReleased': { actions: 'releaseCapacity' },
  },
  states: {
    idle: {
      on: { 'agent.offered': { target: 'notified', actions: 'holdOffer' } },
    },
    notified: {
      after: {
        notificationCountdown: [
          { guard: 'missesOneTooMany', target: 'idle', actions: ['announceOfferExpired', 'clearOffer', 'countMissedNotification', 'becomeInactive'] },
          { target: 'idle', actions: ['announceOfferExpired', 'clearOffer', 'countMissedNotification'] },
        ],
      },
      on: {
        'agent.accepted': { guard: 'isTheOfferedConversation', target: 'idle', actions: ['consumeCapacity', 'clearOffer', 'forgetMissedNotifications'] },
        'agent.declined': { guard: 'isTheOfferedConversation', target: 'idle', actions: 'clearOffer' },
        'agent.offerWithdrawn': { guard: 'isTheOfferedConversation', target: 'idle', actions: 'clearOffer' },
      },
    },
  },
});
