import type { Activity } from '../../src/copilot/direct-line-channel';
import { serviceError } from '../errors';

/** "The request content length exceeded limit of 262,144 bytes" (copilot-protocol.md §2.3, §10). */
export const maxActivityBytes = 262_144;

/** Activity types of the Bot Framework schema (copilot-protocol.md §5). */
const knownTypes = new Set([
  'message',
  'event',
  'typing',
  'endOfConversation',
  'invoke',
  'trace',
  'invokeResponse',
  'messageUpdate',
  'messageDelete',
  'messageReaction',
  'installationUpdate',
  'handoff',
  'command',
  'commandResult',
  'deleteUserData',
  'suggestion',
]);

/** Types Direct Line does not take from a client (copilot-protocol.md §2.3 table). */
const refusedFromClients = new Set(['conversationUpdate', 'contactRelationUpdate']);

/**
 * 413 for a body over the service's limit. The status is UNCONFIRMED (copilot-protocol.md §2.7 suggests
 * 413) and so is the code; `BadArgument` is the code the service uses for bad requests.
 */
export function tooLarge(bytes: number): Response {
  return serviceError(
    413,
    'BadArgument',
    `The request content length exceeded limit of 262,144 bytes: this one has ${bytes}. Direct Line refuses activities over 256 KB. Send large content as an upload or a link instead.`,
  );
}

/** The size of a body as the service counts it: the Content-Length header when present, else the bytes read. */
export function bodyTooLarge(request: Request, text?: string): Response | undefined {
  const declared = Number(request.headers.get('content-length') ?? NaN);
  if (Number.isFinite(declared) && declared > maxActivityBytes) return tooLarge(declared);
  if (text !== undefined) {
    const bytes = Buffer.byteLength(text);
    if (bytes > maxActivityBytes) return tooLarge(bytes);
  }
  return undefined;
}

/**
 * What Direct Line requires of a client activity before the bot sees it (copilot-protocol.md §2.3, §5):
 * a known `type`, a `name` on events and invokes, and `from.id` unless the token binds the user.
 */
export function activityProblem(activity: Activity, userBoundByToken: boolean): Response | undefined {
  if (activity.type === undefined || activity.type === null || activity.type === '') {
    return serviceError(400, 'MissingProperty', 'The activity has no "type". Every activity names its type, e.g. "message" or "event". Add "type" to the activity.');
  }
  if (typeof activity.type !== 'string' || !(knownTypes.has(activity.type) || refusedFromClients.has(activity.type))) {
    return serviceError(400, 'BadArgument', `Unknown activity type ${JSON.stringify(activity.type)}. Direct Line accepts the Bot Framework activity types only. Use "message", "event", "typing", "invoke" or another type of the Activity schema.`);
  }
  if (refusedFromClients.has(activity.type)) {
    return serviceError(400, 'BadArgument', `Activities of type "${activity.type}" are not accepted from a client. Direct Line creates them itself. Send a "message" or an "event" instead.`);
  }
  if ((activity.type === 'event' || activity.type === 'invoke') && (typeof activity.name !== 'string' || !activity.name)) {
    return serviceError(400, 'MissingProperty', `The ${activity.type} activity has no "name". Events and invokes are told apart by their name. Add "name", e.g. "startConversation".`);
  }
  if (activity.from !== undefined && (activity.from === null || typeof activity.from !== 'object')) {
    return serviceError(400, 'BadArgument', 'The activity\'s "from" is not an object. "from" is a ChannelAccount such as {"id": "user1"}. Send "from" as an object.');
  }
  if (!userBoundByToken && (typeof activity.from?.id !== 'string' || !activity.from.id)) {
    return serviceError(400, 'MissingProperty', 'The activity has no "from.id". Direct Line needs the sender\'s id unless the token binds a user. Set "from": {"id": "<user id>"}.');
  }
  if (activity.channelData !== undefined && (activity.channelData === null || typeof activity.channelData !== 'object')) {
    return serviceError(400, 'BadArgument', 'The activity\'s "channelData" is not an object. Direct Line passes channelData through as a JSON object. Send an object or leave it out.');
  }
  return undefined;
}
