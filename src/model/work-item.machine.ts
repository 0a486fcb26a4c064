import { assign, emit, setup } from 'xstate';
import { defaultDelays } from './delays';
import type { ClosureReason, LifecycleEvent } from './events';

/** `msdyn_statuschangereason` labels that are not closure reasons (d365-omnichannel.md §4.1). */
export type OpenStatusReason = 'AwaitingAgentAssignment' | 'AwaitingAgentAcceptance' | 'InConversation' | 'AwaitingCustomerResponse' | 'AssignedBySupervisor';
export type StatusChangeReason = OpenStatusReason | ClosureReason | 'AgentMovedToWrapUp';

/** How the work stream's "Block capacity for wrap-up" treats the agent's capacity (d365-omnichannel.md §4.4). */
export type WrapUpCapacityBlock = 'always' | 'never' | 'custom';

/** The D365 live work item (`msdyn_ocliveworkitem`): its status and why it last changed. */
export interface WorkItemContext {
  statusReason: StatusChangeReason;
  /** Persistent (async) chat knows Waiting; live chat never waits (d365-omnichannel.md §4.2). */
  persistentChat: boolean;
  wrapUpCapacity: WrapUpCapacityBlock;
  /** The customer is told their position in the queue while the item is Open (d365-omnichannel.md §5.5). */
  queuePositionMessages: boolean;
  /** The current queue's "wait time exceeds" overflow limit, null when it has none. */
  waitLimit: number | null;
}

export type WorkItemInput = Partial<Omit<WorkItemContext, 'statusReason' | 'waitLimit'>>;
export type WorkItemEvent = LifecycleEvent;
/** A queue position message is due; the simulation knows the position and posts it (d365-omnichannel.md §5.5). */
export type WorkItemEmitted =
  | { type: 'workItem.queuePositionDue' }
  /** The item waited in its queue longer than the queue's overflow limit (d365-omnichannel.md §5.2 step 10). */
  | { type: 'workItem.waitLimitExceeded' };

/** The statuscode label each state stands for (d365-omnichannel.md §4.1). */
export const workItemStatusLabels = {
  open: 'Open',
  active: 'Active',
  waiting: 'Waiting',
  wrapUp: 'Wrap-up',
  closed: 'Closed',
} as const;

export const workItemMachine = setup({
  types: {
    context: {} as WorkItemContext,
    events: {} as WorkItemEvent,
    emitted: {} as WorkItemEmitted,
    input: {} as WorkItemInput,
  },
  delays: {
    ...defaultDelays,
    /** Not a product default: the limit comes with each queue's overflow settings. */
    queueWaitLimit: ({ context }) => context.waitLimit ?? 0,
  },
  guards: {
    hasWaitLimit: ({ context }) => context.waitLimit !== null,
    isPersistentChat: ({ context }) => context.persistentChat,
    announcesQueuePosition: ({ context }) => context.queuePositionMessages,
    wrapUpKeepsCapacityFree: ({ context }) => context.wrapUpCapacity === 'never',
    wrapUpBlockIsCustom: ({ context }) => context.wrapUpCapacity === 'custom',
  },
  actions: {
    awaitAssignment: assign({ statusReason: 'AwaitingAgentAssignment' as const }),
    awaitAcceptance: assign({ statusReason: 'AwaitingAgentAcceptance' as const }),
    awaitCustomer: assign({ statusReason: 'AwaitingCustomerResponse' as const }),
    assignBySupervisor: assign({ statusReason: 'AssignedBySupervisor' as const }),
    startConversation: assign({ statusReason: 'InConversation' as const }),
    autoClose: assign({ statusReason: 'AutoClosedBySystem' as const }),
    autoCloseFromWaiting: assign({ statusReason: 'AutoClosedFromWaitingState' as const }),
    closeEndedByBot: assign({ statusReason: 'ConversationEndedByBot' as const }),
    closeOnOverflow: assign({ statusReason: 'ClosedDueToOverflow' as const }),
    closeLeftOpen: assign({ statusReason: 'CustomerDisconnectedOrLeftOpenConversation' as const }),
    closeLeftActive: assign({ statusReason: 'CustomerDisconnectedOrLeftActiveConversation' as const }),
    closeForcedBySupervisor: assign({ statusReason: 'ForceClosedBySupervisor' as const }),
    wrapUpEndedByAgent: assign({ statusReason: 'ConversationEndedByAgent' as const }),
    wrapUpEndedByCustomer: assign({ statusReason: 'CutomerMovedToWrapUp' as const }),
    announceQueuePosition: emit({ type: 'workItem.queuePositionDue' as const }),
    announceWaitLimitExceeded: emit({ type: 'workItem.waitLimitExceeded' as const }),
    recordWaitLimit: assign({ waitLimit: ({ event }) => (event.type === 'routing.queued' ? (event.waitLimit ?? null) : null) }),
  },
}).createMachine({
  id: 'workItem',
  initial: 'open',
  context: ({ input }) => ({
    statusReason: 'AwaitingAgentAssignment',
    persistentChat: input?.persistentChat ?? false,
    wrapUpCapacity: input?.wrapUpCapacity ?? 'always',
    queuePositionMessages: input?.queuePositionMessages ?? false,
    waitLimit: null,
  }),
  on: {
    'supervisor.forceClosed': { target: '.closed', actions: 'closeForcedBySupervisor' },
  },
  states: {
    open: {
      initial: 'awaitingAssignment',
      after: { openAutoClose: { target: 'closed', actions: 'autoClose' } },
      on: {
        'copilot.engaged': { target: 'active.withCopilot', actions: 'startConversation' },
        'agent.offered': { target: 'active.offered', actions: 'awaitAcceptance' },
        'supervisor.assigned': { target: 'active.offered', actions: 'assignBySupervisor' },
        'agent.picked': { target: 'active.inConversation', actions: 'startConversation' },
        'routing.overflowed': { target: 'closed', actions: 'closeOnOverflow' },
        'customer.ended': { target: 'closed', actions: 'closeLeftOpen' },
      },
      states: {
        awaitingAssignment: {
          initial: 'inLine',
          after: { queueWaitLimit: { guard: 'hasWaitLimit', actions: 'announceWaitLimitExceeded' } },
          states: {
            // Its own state, so re-arming the position timer leaves the wait-limit timer alone.
            inLine: {
              after: { queuePositionInterval: { guard: 'announcesQueuePosition', target: 'inLine', reenter: true, actions: 'announceQueuePosition' } },
            },
          },
          // Entering a queue (again, after a transfer) restarts the wait and takes that queue's limit.
          on: { 'routing.queued': { target: 'awaitingAssignment', reenter: true, actions: 'recordWaitLimit' } },
        },
      },
    },
    active: {
      initial: 'withCopilot',
      states: {
        withCopilot: {
          after: { botOnlyInactivity: { target: '#workItem.closed', actions: 'autoClose' } },
          on: {
            'customer.messaged': { target: 'withCopilot', reenter: true },
            'copilot.escalated': { target: '#workItem.open', actions: 'awaitAssignment' },
            'copilot.ended': { target: '#workItem.closed', actions: 'closeEndedByBot' },
            'customer.ended': { target: '#workItem.closed', actions: 'closeLeftActive' },
          },
        },
        offered: {
          on: {
            'agent.accepted': { target: 'inConversation', actions: 'startConversation' },
            'agent.declined': { target: '#workItem.open', actions: 'awaitAssignment' },
            'agent.offerExpired': { target: '#workItem.open', actions: 'awaitAssignment' },
            'supervisor.assigned': { target: 'offered', reenter: true, actions: 'assignBySupervisor' },
            'customer.ended': { target: '#workItem.closed', actions: 'closeLeftActive' },
          },
        },
        inConversation: {
          initial: 'customerConnected',
          on: {
            'agent.ended': { target: '#workItem.wrapUp', actions: 'wrapUpEndedByAgent' },
            'customer.ended': { target: '#workItem.wrapUp', actions: 'wrapUpEndedByCustomer' },
            'routing.queued': { target: '#workItem.open', actions: ['awaitAssignment', 'recordWaitLimit'] },
            'agent.transferred': { target: 'offered', actions: 'awaitAcceptance' },
            'supervisor.assigned': { target: 'offered', actions: 'assignBySupervisor' },
            // Closing the session without End: persistent chat waits for the customer, live chat goes back to the queue (§4.2).
            'agent.closedSession': [
              { guard: 'isPersistentChat', target: '#workItem.waiting', actions: 'awaitCustomer' },
              { target: '#workItem.open', actions: 'awaitAssignment' },
            ],
          },
          states: {
            customerConnected: { on: { 'customer.disconnected': 'customerDisconnected' } },
            customerDisconnected: {
              after: { customerReconnectWindow: { target: '#workItem.wrapUp', actions: 'closeLeftActive' } },
              on: { 'customer.reconnected': 'customerConnected' },
            },
          },
        },
      },
    },
    waiting: {
      after: { waitingAutoClose: { target: 'closed', actions: 'autoCloseFromWaiting' } },
      on: {
        'customer.messaged': { target: 'open', actions: 'awaitAssignment' },
        'customer.ended': { target: 'closed', actions: 'closeLeftOpen' },
      },
    },
    wrapUp: {
      initial: 'capacityBlocked',
      after: { wrapUpAutoClose: { target: 'closed', actions: 'autoClose' } },
      on: { 'agent.closedSession': 'closed' },
      states: {
        capacityBlocked: {
          always: { guard: 'wrapUpKeepsCapacityFree', target: 'capacityReleased' },
          after: { wrapUpCapacityBlock: { guard: 'wrapUpBlockIsCustom', target: 'capacityReleased' } },
        },
        capacityReleased: {},
      },
    },
    closed: { type: 'final' },
  },
});
