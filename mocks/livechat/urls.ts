/**
 * Live chat connector routes (d365-omnichannel.md §2.3), host-agnostic so the same handlers serve any
 * orgUrl: in process and behind `handoff serve`. Segment casing varies (`widgetApp` vs `widgetapp`), so
 * matching is case-insensitive; `(?<auth>auth/)` marks the authenticated variant of a route. msw matches
 * these against the URL without its query string.
 */
const id = '[^/?]+';
const auth = '(?<auth>auth/)?';

export const liveChatRoutes = {
  config: new RegExp(`/livechatconnector/config/(?<orgId>${id})/(?<widgetId>${id})$`, 'i'),
  createConversation: new RegExp(`/livechatconnector/${auth}organization/(?<orgId>${id})/widgetapp/(?<widgetId>${id})/conversation$`, 'i'),
  // Legacy flow (§2.5 B): v2 for LiveChatVersion 2, v4 when the client names a copilot (cpsBotId, §2.5 E).
  chatToken: new RegExp(`/livechatconnector/(?<version>v2|v4)/${auth}getchattoken/(?<orgId>${id})/(?<widgetId>${id})/(?<requestId>${id})(?:/(?<reconnectId>${id}))?$`, 'i'),
  sessionInit: new RegExp(`/livechatconnector/${auth}sessioninit/(?<orgId>${id})/(?<widgetId>${id})/(?<requestId>${id})(?:/(?<reconnectId>${id}))?$`, 'i'),
  workItemDetails: new RegExp(`/livechatconnector/${auth}getliveworkitemdetails/(?<orgId>${id})/(?<widgetId>${id})/(?<requestId>${id})(?:/(?<reconnectId>${id}))?$`, 'i'),
  sessionClose: new RegExp(`/livechatconnector/${auth}sessionclose/(?<orgId>${id})/(?<widgetId>${id})/(?<requestId>${id})$`, 'i'),
  transcript: new RegExp(`/livechatconnector/(?:v2/)?${auth}getchattranscripts/(?<chatId>${id})/(?<requestId>${id})$`, 'i'),
  emailTranscript: new RegExp(`/livechatconnector/${auth}createemailrequest/(?<requestId>${id})$`, 'i'),
  reconnectableChats: new RegExp(`/livechatconnector/(?<auth>auth/)reconnectablechats/(?<orgId>${id})/(?<widgetId>${id})/(?<requestId>${id})$`, 'i'),
  reconnectAvailability: new RegExp(`/livechatconnector/reconnect/(?<orgId>${id})/(?<widgetId>${id})/(?<reconnectId>${id})$`, 'i'),
  validateAuthChatRecord: new RegExp(`/livechatconnector/(?<auth>auth/)validateauthchatmaprecord/(?<orgId>${id})/(?<widgetId>${id})/(?<chatId>${id})/(?<requestId>${id})$`, 'i'),
  // Always the auth path, even for anonymous chats (§2.3); the token is optional there.
  agentAvailability: new RegExp(`/livechatconnector/auth/getagentavailability/(?<orgId>${id})/(?<widgetId>${id})/(?<requestId>${id})$`, 'i'),
  postChatSurvey: new RegExp(`/survey/${auth}submitpostchat/(?<orgId>${id})/(?<widgetId>${id})/(?<requestId>${id})$`, 'i'),
  surveyInvite: new RegExp(`/livechatconnector/${auth}getsurveyinvite/(?<orgId>${id})/(?<surveyOwnerId>${id})$`, 'i'),
  typingIndicator: new RegExp(`/inbound/typingindicator/livechat/sendtypingindicator/(?<requestId>${id})$`, 'i'),
  dataMasking: new RegExp(`/livechatconnector/fetchdatamaskinginfo/(?<orgId>${id})$`, 'i'),
  secondaryChannelEvent: new RegExp(`/livechatconnector/${auth}secondarychannelevent/(?<orgId>${id})/(?<widgetId>${id})/(?<requestId>${id})$`, 'i'),
  persistentChatHistory: new RegExp(`/livechatconnector/(?<auth>auth/)organization/(?<orgId>${id})/widgetapp/(?<widgetId>${id})/conversation/history$`, 'i'),
  authenticateChat: new RegExp(`/livechatconnector/(?<auth>auth/)authenticatechat/(?<orgId>${id})/(?<widgetId>${id})/(?<chatId>${id})/(?<requestId>${id})$`, 'i'),
  readReceipt: new RegExp(`/livechatconnector/(?<auth>auth/)organization/(?<orgId>${id})/widgetapp/(?<widgetId>${id})/conversations/(?<requestId>${id})/readreceipt$`, 'i'),
} as const;

/**
 * The same routes without capturing groups, for msw to match: msw decodes every captured group and throws
 * on a malformed escape (`%E0%A4%A`), which would turn a client's bad URL into a server failure.
 * Parameters are read with `routeParams`, which keeps a malformed escape as written.
 */
export const liveChatPaths = Object.fromEntries(Object.entries(liveChatRoutes).map(([name, pattern]) => [name, pathOnly(pattern)])) as Record<keyof typeof liveChatRoutes, RegExp>;

export function pathOnly(pattern: RegExp): RegExp {
  return new RegExp(pattern.source.replace(/\(\?<[A-Za-z]+>/g, '(?:'), pattern.flags);
}

/** The first path segments of the live chat surface: the connector, post-chat surveys and the typing indicator (§2.3). */
export function isLiveChatPath(pathname: string): boolean {
  return /^\/(?:livechatconnector|survey|inbound\/typingindicator)\//i.test(pathname);
}

export function routeParams(pattern: RegExp, url: string): Record<string, string> {
  const match = pattern.exec(new URL(url).pathname);
  return Object.fromEntries(Object.entries(match?.groups ?? {}).flatMap(([key, value]) => (value === undefined ? [] : [[key, safeDecode(value)]])));
}

/** A malformed escape (`%E0%A4%A`) is kept as written rather than failing the request. */
function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
