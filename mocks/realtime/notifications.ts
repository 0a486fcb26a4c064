import type { LiveChat, ThreadMessage, ThreadParticipant } from '../../src/d365/omnichannel';

/**
 * ACS realtime notifications as the signaling client reads them from a Trouter request body
 * (chat-sdk-in-browser.md §5.3 step 6): matched by `eventId`; nested objects travel as JSON strings.
 */
export const eventIds = { chatMessageReceived: 200, participantsAdded: 260, participantsRemoved: 261 } as const;

export function chatMessageReceived(chat: LiveChat, message: ThreadMessage) {
  const arrival = new Date(message.createdOn).toISOString();
  return {
    eventId: eventIds.chatMessageReceived,
    senderId: message.senderId,
    recipientMri: chat.visitorId,
    groupId: chat.chatId,
    messageId: message.id,
    clientMessageId: '',
    senderDisplayName: message.senderDisplayName,
    messageType: 'Text',
    messageBody: message.content,
    version: message.id,
    originalArrivalTime: arrival,
    // The SDK reads the role from these tags (d365-omnichannel.md §3.3).
    acsChatMessageMetadata: JSON.stringify({ deliveryMode: 'bridged', tags: message.tags }),
  };
}

/** The thread's membership changed: 260 participantsAdded, 261 participantsRemoved, which onAgentEndSession listens to (§5.2). */
export function participantsChanged(chat: LiveChat, change: 'added' | 'removed', participants: readonly ThreadParticipant[], at: number, by: { id: string; displayName: string }) {
  const time = new Date(at).toISOString();
  const list = JSON.stringify(participants.map((participant) => ({ participantId: participant.id, displayName: participant.displayName, shareHistoryTime: new Date(chat.createdOn).toISOString() })));
  const actor = JSON.stringify({ participantId: by.id, displayName: by.displayName });
  return change === 'added'
    ? { eventId: eventIds.participantsAdded, threadId: chat.chatId, version: String(at), time, addedBy: actor, participantsAdded: list }
    : { eventId: eventIds.participantsRemoved, threadId: chat.chatId, version: String(at), time, removedBy: actor, participantsRemoved: list };
}
