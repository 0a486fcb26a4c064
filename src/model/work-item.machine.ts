import { assign, setup } from 'xstate';
import { defaultDelays } from './delays';
import type { ClosureReason, LifecycleEvent } from './events';

/** `msdyn_statuschangereason` labels that are not closure reasons (d365-omnichannel.md §4.1). */
export type OpenStatusReason = 'AwaitingAgentAssignment' | 'AwaitingAgentAcceptance' | 'InConversation';
export type StatusChangeReason = OpenStatusReason | ClosureReason | 'AgentMovedToWrapUp';

/** The D365 live work item (`msdyn_ocliveworkitem`): its status and why it last changed. */
export interface WorkItemContext {
  statusReason: StatusChangeReason;
}

export type WorkItemEvent = LifecycleEvent;

/** The statuscode label each state stands for (d365-omnichannel.md §4.1). */
export const workItemStatusLabels = {
  open: 'Open',
  active: 'Active',
  wrapUp: 'Wrap-up',
  closed: 'Closed',
} as const;

export const workItemMachine = setup({
  types: {
    context: {} as WorkItemContext,
    events: {} as WorkItemEvent,
  },
  delays: { ...defaultDelays },
  actions: {
    awaitAssignment: assign({ statusReason: 'AwaitingAgentAssignment' as const }),
    awaitAcceptance: assign({ statusReason: 'AwaitingAgentAcceptance' as const }),
    startConversation: assign({ statusReason: 'InConversation' as const }),
    autoClose: assign({ statusReason: 'AutoClosedBySystem' as const }),
    closeEndedByBot: assign({ statusReason: 'ConversationEndedByBot' as const }),
    closeOnOverflow: assign({ statusReason: 'ClosedDueToOverflow' as const }),
    closeLeftOpen: assign({ statusReason: 'CustomerDisconnectedOrLeftOpenConversation' as const }),
    closeLeftActive: assign({ statusReason: 'CustomerDisconnectedOrLeftActiveConversation' as const }),
    closeForcedBySupervisor: assign({ statusReason: 'ForceClosedBySupervisor' as const }),
    wrapUpEndedByAgent: assign({ statusReason: 'ConversationEndedByAgent' as const }),
    wrapUpEndedByCustomer: assign({ statusReason: 'CutomerMovedToWrapUp' as const }),
  },
}).createMachine({
  id: 'workItem',
  initial: 'open',
  context: { statusReason: 'AwaitingAgentAssignment' },
  on: {
    'supervisor.forceClosed': { target: '.closed', actions: 'closeForcedBySupervisor' },
  },
  states: {
    open: {
      after: { openAutoClose: { target: 'closed', actions: 'autoClose' } },
      on: {
        'copilot.engaged': { target: 'active.withCopilot', actions: 'startConversation' },
        'agent.offered': { target: 'active.offered', actions: 'awaitAcceptance' },
        'routing.overflowed': { target: 'closed', actions: 'closeOnOverflow' },
        'customer.ended': { target: 'closed', actions: 'closeLeftOpen' },
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
            'customer.ended': { target: '#workItem.closed', actions: 'closeLeftActive' },
          },
        },
        inConversation: {
          initial: 'customerConnected',
          on: {
            'agent.ended': { target: '#workItem.wrapUp', actions: 'wrapUpEndedByAgent' },
            'customer.ended': { target: '#workItem.wrapUp', actions: 'wrapUpEndedByCustomer' },
            'routing.queued': { target: '#workItem.open', actions: 'awaitAssignment' },
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
    wrapUp: {
      after: { wrapUpAutoClose: { target: 'closed', actions: 'autoClose' } },
      on: { 'agent.closedSession': 'closed' },
    },
    closed: { type: 'final' },
  },
});
