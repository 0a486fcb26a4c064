/**
 * The facts the lifecycle machines react to. Names are dotted, in the past tense: something happened
 * outside the model, the model decides what it means.
 */

/** Why a conversation reached Closed; D365's own status change reasons (d365-omnichannel.md §4.1). */
export type ClosureReason =
  | 'AutoClosedBySystem'
  | 'AutoClosedFromWaitingState'
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
  /** `waitLimit`: the queue's after-queue overflow "wait time exceeds" in ms, if it has one (§5.2 step 10). */
  | { type: 'routing.queued'; queue: string; waitLimit?: number }
  | { type: 'routing.overflowed' }
  | { type: 'agent.offered'; agent: string }
  | { type: 'agent.declined'; agent: string }
  | { type: 'agent.offerExpired'; agent: string }
  | { type: 'agent.accepted'; agent: string }
  /** Pick mode: the agent takes the item from the queue himself, no notification (d365-omnichannel.md §5.2 step 9). */
  | { type: 'agent.picked'; agent: string }
  /** Agent → agent transfer: the item stays Active and is offered to the new primary (d365-omnichannel.md §5.4). */
  | { type: 'agent.transferred'; agent: string; to: string }
  | { type: 'agent.ended'; agent: string }
  | { type: 'agent.closedSession'; agent: string }
  | { type: 'customer.ended' }
  | { type: 'customer.disconnected' }
  | { type: 'customer.reconnected' }
  /** A supervisor assigns a waiting item to an agent (`AssignedBySupervisor`, d365-omnichannel.md §4.1). */
  | { type: 'supervisor.assigned'; agent: string }
  | { type: 'supervisor.forceClosed' };
