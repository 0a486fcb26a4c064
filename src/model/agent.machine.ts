import { assign, emit, setup } from 'xstate';
import { defaultDelays } from './delays';

/** Base presence statuses (d365-omnichannel.md §5.1); Inactive is set after missed notifications. */
export type Presence = 'Available' | 'Busy' | 'Busy-DND' | 'Away' | 'Offline' | 'Inactive';

export interface AgentContext {
  name: string;
  presence: Presence;
  capacity: number;
  usedCapacity: number;
  offeredConversation: string | null;
}

export type AgentEvent =
  | { type: 'agent.presenceChanged'; presence: Presence }
  | { type: 'agent.offered'; conversationId: string }
  | { type: 'agent.accepted'; conversationId: string; units: number }
  | { type: 'agent.declined'; conversationId: string }
  | { type: 'agent.offerWithdrawn'; conversationId: string }
  | { type: 'agent.capacityReleased'; units: number };

export type AgentEmitted = { type: 'agent.offerExpired'; agent: string; conversationId: string };

export interface AgentInput {
  name: string;
  presence: Presence;
  capacity: number;
}

/** A human agent: presence, unit capacity, and one notification at a time with its countdown. */
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
  },
  actions: {
    setPresence: assign({ presence: ({ event, context }) => (event.type === 'agent.presenceChanged' ? event.presence : context.presence) }),
    holdOffer: assign({ offeredConversation: ({ event }) => (event.type === 'agent.offered' ? event.conversationId : null) }),
    clearOffer: assign({ offeredConversation: null }),
    consumeCapacity: assign({ usedCapacity: ({ context, event }) => context.usedCapacity + (event.type === 'agent.accepted' ? event.units : 0) }),
    releaseCapacity: assign({
      usedCapacity: ({ context, event }) => Math.max(0, context.usedCapacity - (event.type === 'agent.capacityReleased' ? event.units : 0)),
    }),
    announceOfferExpired: emit(({ context }) => ({
      type: 'agent.offerExpired' as const,
      agent: context.name,
      conversationId: context.offeredConversation ?? '',
    })),
  },
}).createMachine({
  id: 'agent',
  context: ({ input }) => ({ ...input, usedCapacity: 0, offeredConversation: null }),
  initial: 'idle',
  on: {
    'agent.presenceChanged': { actions: 'setPresence' },
    'agent.capacityReleased': { actions: 'releaseCapacity' },
  },
  states: {
    idle: {
      on: { 'agent.offered': { target: 'notified', actions: 'holdOffer' } },
    },
    notified: {
      after: { notificationCountdown: { target: 'idle', actions: ['announceOfferExpired', 'clearOffer'] } },
      on: {
        'agent.accepted': { guard: 'isTheOfferedConversation', target: 'idle', actions: ['consumeCapacity', 'clearOffer'] },
        'agent.declined': { guard: 'isTheOfferedConversation', target: 'idle', actions: 'clearOffer' },
        'agent.offerWithdrawn': { guard: 'isTheOfferedConversation', target: 'idle', actions: 'clearOffer' },
      },
    },
  },
});
