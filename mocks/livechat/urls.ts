/**
 * Live chat connector routes (d365-omnichannel.md §2.3), host-agnostic so the same handlers serve any
 * orgUrl: in process and behind `handoff serve`. Segment casing varies (`widgetApp` vs `widgetapp`), so
 * matching is case-insensitive.
 */
export const liveChatRoutes = {
  config: /\/livechatconnector\/config\/(?<orgId>[^/]+)\/(?<widgetId>[^/?]+)$/i,
  createConversation: /\/livechatconnector\/organization\/(?<orgId>[^/]+)\/widgetapp\/(?<widgetId>[^/]+)\/conversation$/i,
  workItemDetails: /\/livechatconnector\/getliveworkitemdetails\/(?<orgId>[^/]+)\/(?<widgetId>[^/]+)\/(?<requestId>[^/?]+)(?:\/[^/?]+)?$/i,
  sessionClose: /\/livechatconnector\/sessionclose\/(?<orgId>[^/]+)\/(?<widgetId>[^/]+)\/(?<requestId>[^/?]+)$/i,
  transcript: /\/livechatconnector\/(?:v2\/)?getchattranscripts\/(?<chatId>[^/]+)\/(?<requestId>[^/?]+)$/i,
} as const;

export function routeParams(pattern: RegExp, url: string): Record<string, string> {
  const match = pattern.exec(new URL(url).pathname);
  return Object.fromEntries(Object.entries(match?.groups ?? {}).map(([key, value]) => [key, decodeURIComponent(value)]));
}
