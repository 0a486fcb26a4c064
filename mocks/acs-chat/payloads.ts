import type { ThreadMessage } from '../../src/d365/omnichannel';

/** A CommunicationIdentifier in its REST shape (d365-omnichannel.md §3.2 participants). */
export function identifier(id: string) {
  return { rawId: id, communicationUser: { id } };
}

/**
 * The REST ChatMessage shape (d365-omnichannel.md §3.2). `senderCommunicationIdentifier` is never left
 * out: the SDK drops a polled message without it, silently and for good (chat-sdk-in-browser.md §4.4).
 */
export function chatMessage(message: ThreadMessage) {
  return {
    id: message.id,
    type: 'text',
    sequenceId: message.sequenceId,
    version: message.id,
    content: { message: message.content },
    senderDisplayName: message.senderDisplayName,
    senderCommunicationIdentifier: identifier(message.senderId),
    createdOn: new Date(message.createdOn).toISOString(),
    metadata: { deliveryMode: 'bridged', tags: message.tags },
  };
}
