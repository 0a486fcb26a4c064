import { assign, setup } from 'xstate';
import type { ClosureReason, LifecycleEvent } from './events';

/** The customer's conversation as the customer lives it, from the first message to closure. */
export interface ConversationContext {
  queue: string | null;
  agent: string | null;
  wrapUpReason: ClosureReason | null;
  closureReason: ClosureReason | null;
}

export type ConversationEvent =
  | LifecycleEvent
  | { type: 'workItem.wrappedUp'; reason: ClosureReason }
  | { type: 'workItem.closed'; reason: ClosureReason }
  /** Persistent chat: the agent closed the session without ending it; the item waits for the customer (§4.2). */
  | { type: 'workItem.awaitingCustomer' };

export const conversationMachine = setup({
  types: {
    context: {} as ConversationContext,
    events: {} as ConversationEvent,
  },
  actions: {
    recordQueue: assign({ queue: ({ event }) => (event.type === 'routing.queued' ? event.queue : null) }),
    recordAgent: assign({ agent: ({ event }) => ('agent' in event ? event.agent : null) }),
    recordTransferTarget: assign({ agent: ({ event }) => (event.type === 'agent.transferred' ? event.to : null) }),
    forgetAgent: assign({ agent: null }),
    closeWithItsReason: assign({ closureReason: ({ event }) => ('reason' in event ? event.reason : 'ClosedDueToFailure') }),
    closeEndedByBot: assign({ closureReason: 'ConversationEndedByBot' as const }),
    closeOnOverflow: assign({ closureReason: 'ClosedDueToOverflow' as const }),
    closeLeftOpen: assign({ closureReason: 'CustomerDisconnectedOrLeftOpenConversation' as const }),
    closeLeftActive: assign({ closureReason: 'CustomerDisconnectedOrLeftActiveConversation' as const }),
    closeForcedBySupervisor: assign({ closureReason: 'ForceClosedBySupervisor' as const }),
    closeWithWrapUpReason: assign({ closureReason: ({ context }) => context.wrapUpReason ?? 'ConversationEndedByAgent' }),
    wrapUpEndedByAgent: assign({ wrapUpReason: 'ConversationEndedByAgent' as const }),
    wrapUpEndedByCustomer: assign({ wrapUpReason: 'CutomerMovedToWrapUp' as const }),
    wrapUpWithItsReason: assign({ wrapUpReason: ({ event }) => ('reason' in event ? event.reason : null) }),
  },
}).createMachine({
  id: 'conversation',
  initial: 'withCopilot',
  context: { queue: null, agent: null, wrapUpReason: null, closureReason: null },
  on: {
    'workItem.closed': { target: '.closed', actions: 'closeWithItsReason' },
    'supervisor.forceClosed': { target: '.closed', actions: 'closeForcedBySupervisor' },
  },
  states: {
    withCopilot: {
      on: {
        'copilot.escalated': 'escalated',
        // Without a copilot as first responder the new conversation is routed straight to a queue (§5.2).
        'routing.queued': { target: 'queued', actions: 'recordQueue' },
        'routing.overflowed': { target: 'closed', actions: 'closeOnOverflow' },
        'copilot.ended': { target: 'closed', actions: 'closeEndedByBot' },
        'customer.ended': { target: 'closed', actions: 'closeLeftActive' },
      },
    },
    escalated: {
      on: {
        'routing.queued': { target: 'queued', actions: 'recordQueue' },
        'routing.overflowed': { target: 'closed', actions: 'closeOnOverflow' },
        'customer.ended': { target: 'closed', actions: 'closeLeftOpen' },
      },
    },
    queued: {
      on: {
        'agent.offered': { target: 'offered', actions: 'recordAgent' },
        'supervisor.assigned': { target: 'offered', actions: 'recordAgent' },
        'agent.picked': { target: 'withAgent', actions: 'recordAgent' },
        'routing.queued': { target: 'queued', actions: 'recordQueue' },
        'customer.ended': { target: 'closed', actions: 'closeLeftOpen' },
      },
    },
    offered: {
      on: {
        'agent.accepted': { target: 'withAgent', actions: 'recordAgent' },
        'agent.declined': { target: 'queued', actions: 'forgetAgent' },
        'agent.offerExpired': { target: 'queued', actions: 'forgetAgent' },
        'supervisor.assigned': { target: 'offered', reenter: true, actions: 'recordAgent' },
        'customer.ended': { target: 'closed', actions: 'closeLeftActive' },
      },
    },
    withAgent: {
      on: {
        'agent.ended': { target: 'wrapUp', actions: 'wrapUpEndedByAgent' },
        'customer.ended': { target: 'wrapUp', actions: 'wrapUpEndedByCustomer' },
        'workItem.wrappedUp': { target: 'wrapUp', actions: 'wrapUpWithItsReason' },
        'routing.queued': { target: 'queued', actions: ['recordQueue', 'forgetAgent'] },
        'agent.transferred': { target: 'offered', actions: 'recordTransferTarget' },
        'supervisor.assigned': { target: 'offered', actions: 'recordAgent' },
        'workItem.awaitingCustomer': { target: 'awaitingCustomer', actions: 'forgetAgent' },
      },
    },
    awaitingCustomer: {
      on: {
        'routing.queued': { target: 'queued', actions: 'recordQueue' },
        'customer.ended': { target: 'closed', actions: 'closeLeftOpen' },
      },
    },
    wrapUp: {
      on: {
        'agent.closedSession': { target: 'closed', actions: 'closeWithWrapUpReason' },
      },
    },
    closed: { type: 'final' },
  },
});
