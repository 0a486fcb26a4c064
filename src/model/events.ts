/**
 * The facts the lifecycle machines react to. Names are dotted, in the past tense: something happened
 * outside the model, the model decides what it means.
 */

/** Why a conversation reached Closed; D365's own status change reasons (d365-omnichannel.md §4.1). */
export type ClosureReason =
  | 'AutoClosedBySystem'
  | 'ClosedDueToOverflow'
  | 'CustomerDisconnectedOrLeftOpenConversation'
  | 'CustomerDisconnectedOrLeftActiveConversation'
  | 'ConversationEndedByBot'
  | 'ConversationEndedByAgent'
  | 'CutomerMovedToWrapUp'
  | 'ForceClosedBySupervisor'
  | 'ClosedDueToFailure';

export type LifecycleEvent =
  | { type: 'copilot.engaged' }
  | { type: 'customer.messaged' }
  | { type: 'copilot.messaged' }
  | { type: 'copilot.escalated' }
  | { type: 'copilot.ended' }
  | { type: 'routing.queued'; queue: string }
  | { type: 'routing.overflowed' }
  | { type: 'agent.offered'; agent: string }
  | { type: 'agent.declined'; agent: string }
  | { type: 'agent.offerExpired'; agent: string }
  | { type: 'agent.accepted'; agent: string }
  | { type: 'agent.ended'; agent: string }
  | { type: 'agent.closedSession'; agent: string }
  | { type: 'customer.ended' }
  | { type: 'customer.disconnected' }
  | { type: 'customer.reconnected' }
  | { type: 'supervisor.forceClosed' };
