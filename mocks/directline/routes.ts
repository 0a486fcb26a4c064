/**
 * Direct Line's paths (copilot-protocol.md §2.2), host-agnostic: the same handlers answer
 * `https://directline.botframework.com`, the in-process test host and `handoff serve` on 127.0.0.1.
 */
export const directLineBase = '*/v3/directline';

/** The path prefix every Direct Line route shares. */
export const directLinePathPrefix = '/v3/directline/';

/** The stream URL of a conversation, on the host the client called: ws for http, wss for https (copilot-protocol.md §2.2 notes). */
export function streamUrlFor(requestUrl: string, conversationId: string, streamToken: string, watermark?: string): string {
  const url = new URL(requestUrl);
  const scheme = url.protocol === 'https:' ? 'wss:' : 'ws:';
  const query = `t=${encodeURIComponent(streamToken)}${watermark === undefined ? '' : `&watermark=${encodeURIComponent(watermark)}`}`;
  return `${scheme}//${url.host}${url.pathname.slice(0, url.pathname.indexOf(directLinePathPrefix))}${directLinePathPrefix}conversations/${encodeURIComponent(conversationId)}/stream?${query}`;
}

/** The private link an uploaded file is served from (copilot-protocol.md §2.3: "uploaded-file URLs replaced by private links"). */
export function attachmentUrlFor(requestUrl: string, conversationId: string, attachmentId: string, name: string): string {
  const url = new URL(requestUrl);
  const prefix = url.pathname.slice(0, url.pathname.indexOf(directLinePathPrefix));
  return `${url.origin}${prefix}${directLinePathPrefix}attachments/${encodeURIComponent(conversationId)}/${attachmentId}/${encodeURIComponent(name)}`;
}

/** `/v3/directline/conversations/{id}/stream` → `{id}`. */
export function streamConversationId(pathname: string): string | undefined {
  const match = /\/v3\/directline\/conversations\/([^/]+)\/stream\/?$/.exec(pathname);
  return match ? decodeURIComponent(match[1]!) : undefined;
}
