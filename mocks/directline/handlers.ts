import { http, HttpResponse } from 'msw';
import type { Activity, DirectLineUser } from '../../src/copilot/direct-line-channel';
import type { Simulation } from '../../src/sim/simulation';
import { serviceError } from '../errors';
import { activityProblem, bodyTooLarge } from './activity-rules';
import { authenticate, conversationFor, readWatermark, unknownConversation } from './auth';
import { attachmentUrlFor, directLineBase as base, streamUrlFor } from './routes';
import { readUpload } from './upload';

/** Direct Line 3.0 as the copilot's own embed code, Web Chat and DirectLineJS use it (copilot-protocol.md §2), by resource. */
function directLineHandlerGroups(sim: Simulation) {
  const channel = sim.directLine;

  /** The Conversation resource (copilot-protocol.md §2.2): a fresh stream URL each time, replaying after `after`. */
  function conversationResource(request: Request, conversationId: string, token: string, after: number, watermark?: string) {
    return {
      conversationId,
      token,
      expires_in: channel.tokenLifetimeSeconds,
      streamUrl: streamUrlFor(request.url, conversationId, channel.issueStreamToken(conversationId, after), watermark),
    };
  }

  const tokens = [
    http.post(`${base}/tokens/generate`, async ({ request }) => {
      const access = authenticate(sim, request);
      if (access instanceof Response) return access;
      if (access.kind !== 'secret') {
        return serviceError(403, 'BadArgument', 'A token can only be generated with the secret. tokens/generate trades the bot\'s secret for a conversation token. Call it from your server with the secret.');
      }
      const body = await readObject<{ user?: { id?: unknown; name?: unknown } }>(request);
      if (body instanceof Response) return body;
      const user = userFromBody(body.user);
      if (user instanceof Response) return user;
      // Generating does not start the conversation; it reserves its id (copilot-protocol.md §2.2 notes).
      const conversationId = channel.newConversationId();
      return HttpResponse.json({ conversationId, token: channel.issueToken(conversationId, user), expires_in: channel.tokenLifetimeSeconds });
    }),

    http.post(`${base}/tokens/refresh`, ({ request }) => {
      const access = authenticate(sim, request);
      if (access instanceof Response) return access;
      // Only a token can be refreshed, and only while it is still valid (copilot-protocol.md §2.1, §3.2 step 3).
      if (access.kind !== 'token') {
        return serviceError(403, 'BadArgument', 'Only a token can be refreshed, not a secret. A secret never expires. Send the token you want to renew.');
      }
      if (channel.isEnded(access.conversationId)) return unknownConversation(access.conversationId);
      return HttpResponse.json({ conversationId: access.conversationId, token: channel.refreshToken(access.claims), expires_in: channel.tokenLifetimeSeconds });
    }),
  ];

  const start = [
    http.post(`${base}/conversations`, async ({ request }) => {
      const access = authenticate(sim, request);
      if (access instanceof Response) return access;
      const body = await readObject<{ user?: { id?: unknown; name?: unknown } }>(request);
      if (body instanceof Response) return body;
      if (access.kind === 'token') {
        if (channel.isEnded(access.conversationId)) return unknownConversation(access.conversationId);
        const existing = channel.conversation(access.conversationId);
        // 200 with the same conversation when this token already started it (copilot-protocol.md §0 fact 2, §2.2).
        if (existing) return HttpResponse.json(conversationResource(request, existing.id, access.token, -1), { status: 200 });
        channel.start(access.conversationId, access.token, access.user);
        return HttpResponse.json(conversationResource(request, access.conversationId, access.token, -1), { status: 201 });
      }
      // With the secret every call starts a new conversation; the body's user is bound to its token (§2.1).
      const user = userFromBody(body.user);
      if (user instanceof Response) return user;
      const conversationId = channel.newConversationId();
      const token = channel.issueToken(conversationId, user);
      channel.start(conversationId, token, user);
      return HttpResponse.json(conversationResource(request, conversationId, token, -1), { status: 201 });
    }),
  ];

  const conversation = [
    // Reconnect (copilot-protocol.md §2.2, §3.2 step 6): a new stream URL that replays after the watermark,
    // or, without one, only what comes after this call (§2.6).
    http.get(`${base}/conversations/:conversationId`, ({ request, params }) => {
      const found = conversationFor(sim, request, String(params['conversationId']));
      if (found instanceof Response) return found;
      const url = new URL(request.url);
      const after = readWatermark(url);
      if (after instanceof Response) return after;
      const hasWatermark = (url.searchParams.get('watermark') ?? '') !== '';
      const replayAfter = hasWatermark ? after : channel.lastSequence(found.conversation);
      const token = found.access.kind === 'token' ? channel.refreshToken(found.access.claims) : channel.issueToken(found.conversation.id, found.conversation.user);
      return HttpResponse.json(conversationResource(request, found.conversation.id, token, replayAfter, hasWatermark ? String(after) : undefined));
    }),
  ];

  const activities = [
    http.post(`${base}/conversations/:conversationId/activities`, async ({ request, params }) => {
      const found = conversationFor(sim, request, String(params['conversationId']));
      if (found instanceof Response) return found;
      const body = await readObject<Activity>(request, { limitActivitySize: true });
      if (body instanceof Response) return body;
      const tokenUser = found.access.kind === 'token' ? found.access.user : undefined;
      const problem = activityProblem(body, tokenUser !== undefined);
      if (problem) return problem;
      const stored = channel.receive(found.conversation, body, tokenUser);
      // The answer is a ResourceResponse; the activity itself comes back as the echo (copilot-protocol.md §0 fact 7, §2.4).
      return HttpResponse.json({ id: stored.id });
    }),

    http.get(`${base}/conversations/:conversationId/activities`, ({ request, params }) => {
      const found = conversationFor(sim, request, String(params['conversationId']));
      if (found instanceof Response) return found;
      const after = readWatermark(new URL(request.url));
      if (after instanceof Response) return after;
      return HttpResponse.json(channel.activitiesAfter(found.conversation, after, { includeTyping: false }));
    }),
  ];

  const upload = [
    http.post(`${base}/conversations/:conversationId/upload`, async ({ request, params }) => {
      const found = conversationFor(sim, request, String(params['conversationId']));
      if (found instanceof Response) return found;
      const tokenUser = found.access.kind === 'token' ? found.access.user : undefined;
      const userId = new URL(request.url).searchParams.get('userId') ?? '';
      // `?userId=` is required (copilot-protocol.md §2.5) unless the token already names the user.
      if (!userId && !tokenUser) {
        return serviceError(400, 'MissingProperty', 'The upload has no userId. Direct Line needs to know who sends the files. Add ?userId=<user id> to the upload URL.');
      }
      const parsed = await readUpload(request);
      if (parsed instanceof Response) return parsed;
      const container: Activity = parsed.activity ?? { type: 'message' };
      if (container.type !== 'message') {
        return serviceError(400, 'BadArgument', `The upload's activity has type ${JSON.stringify(container.type)}. Uploaded files travel in a message activity. Send "type": "message" in the activity part.`);
      }
      const described = Array.isArray(container.attachments) ? (container.attachments as Array<Record<string, unknown>>) : [];
      const attachments = parsed.files.map((file, index) => {
        const stored = channel.storeAttachment(found.conversation, file);
        // Each file becomes an attachment whose contentUrl is the service's private link (copilot-protocol.md §2.3, §2.5).
        return { ...(described[index] ?? {}), contentType: file.contentType, name: file.name, contentUrl: attachmentUrlFor(request.url, found.conversation.id, stored.id, file.name) };
      });
      const activity: Activity = { ...container, attachments, from: { ...container.from, id: tokenUser?.id ?? userId } };
      const stored = channel.receive(found.conversation, activity, tokenUser);
      return HttpResponse.json({ id: stored.id });
    }),
  ];

  const attachments = [
    // A private link needs no Authorization header, so an <img> can show it (copilot-protocol.md §2.3).
    http.get(`${base}/attachments/:conversationId/:attachmentId/:name`, ({ params }) => {
      const stored = channel.attachment(String(params['conversationId']), String(params['attachmentId']));
      if (!stored) {
        return serviceError(404, 'BadArgument', 'Unknown attachment. The link does not name a file uploaded to this conversation, or the conversation is gone. Use the contentUrl of the activity that carried the file.');
      }
      return new HttpResponse(stored.bytes, { headers: { 'content-type': stored.contentType, 'content-length': String(stored.bytes.byteLength) } });
    }),
  ];

  const session = [
    // DirectLineJS treats any failure as an empty session id (copilot-protocol.md §2.2); answer like the service.
    http.get(`${base}/session/getsessionid`, ({ request }) => {
      const access = authenticate(sim, request);
      if (access instanceof Response) return access;
      return HttpResponse.json({ sessionId: access.kind === 'token' ? access.conversationId : '' });
    }),
  ];

  const stream = [
    // The stream URL is for a WebSocket (copilot-protocol.md §2.6); a plain GET is a client mistake.
    http.get(`${base}/conversations/:conversationId/stream`, () =>
      serviceError(400, 'BadArgument', 'The stream URL is a WebSocket endpoint. A plain HTTP GET cannot read it. Open the streamUrl with a WebSocket client, or poll GET .../activities.'),
    ),
  ];

  return { tokens, start, conversation, activities, upload, attachments, session, stream };
}

/**
 * Every Direct Line handler in one short list, the hot path first: msw tries handlers in order and each
 * miss costs time (toolchain.md §5), and posting and reading activities are most of the traffic.
 */
export function directLineHandlers(sim: Simulation) {
  const groups = directLineHandlerGroups(sim);
  return [...groups.activities, ...groups.start, ...groups.conversation, ...groups.tokens, ...groups.upload, ...groups.attachments, ...groups.session, ...groups.stream];
}

/** A JSON object body (an empty body reads as `{}`), with the service's 400 and 413 answers. */
async function readObject<T>(request: Request, options: { limitActivitySize?: boolean } = {}): Promise<T | Response> {
  if (options.limitActivitySize) {
    const declared = bodyTooLarge(request);
    if (declared) return declared;
  }
  const text = await request.text();
  if (options.limitActivitySize) {
    const actual = bodyTooLarge(request, text);
    if (actual) return actual;
  }
  if (!text.trim()) return {} as T;
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (error) {
    return serviceError(400, 'BadArgument', `The request body is not valid JSON: ${(error as Error).message}. Direct Line reads activities and parameters as JSON. Send a JSON object with Content-Type: application/json.`);
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    return serviceError(400, 'BadArgument', `The request body is ${Array.isArray(body) ? 'an array' : JSON.stringify(body)}, not a JSON object. Direct Line takes one activity or one parameter object per call. Send a single JSON object.`);
  }
  return body as T;
}

/** TokenParameters' `user` (copilot-protocol.md §2.2): ids starting `dl_` are allowed here, since the secret holder vouches for them (§2.1). */
function userFromBody(user: { id?: unknown; name?: unknown } | undefined): DirectLineUser | undefined | Response {
  if (user === undefined || user === null) return undefined;
  if (typeof user !== 'object') return serviceError(400, 'BadArgument', 'The "user" parameter is not an object. TokenParameters carry the user as {"id": "...", "name": "..."}. Send "user" as an object.');
  if (user.id === undefined || user.id === null || user.id === '') return undefined;
  if (typeof user.id !== 'string') return serviceError(400, 'BadArgument', 'The "user.id" parameter is not a string. User ids are strings. Send "user": {"id": "<user id>"}.');
  return typeof user.name === 'string' ? { id: user.id, name: user.name } : { id: user.id };
}
