import escapeHtml from 'escape-html';
import path from 'node:path';
import { build } from 'esbuild';
import { http, HttpResponse } from 'msw';
import type { Surface } from '../../../../mocks/network';
import type { Simulation } from '../../../sim/simulation';

export const chatSdkPagePath = '/chat-sdk';

/**
 * Bundles the page's code with the real @microsoft/omnichannel-chat-sdk for the browser, in memory
 * (chat-sdk-in-browser.md §2): `browser` main fields first, or esbuild pulls node's crypto into the
 * bundle; `global` defined as `globalThis`, which ocsdk touches at load time. About 0.5 s.
 */
export async function buildChatSdkBundle(): Promise<string> {
  const result = await build({
    entryPoints: [path.join(__dirname, 'app.ts')],
    bundle: true,
    platform: 'browser',
    format: 'iife',
    mainFields: ['browser', 'module', 'main'],
    define: { global: 'globalThis' },
    target: 'es2020',
    write: false,
    logLevel: 'silent',
  });
  const [output] = result.outputFiles;
  if (!output) throw new Error('esbuild produced no bundle for the chat SDK page. The entry is src/serve/pages/chat-sdk/app.ts. Check that esbuild 0.28 and the chat SDK are installed (npm ci).');
  return output.text;
}

/**
 * GET /chat-sdk: a website that runs the unmodified chat SDK against this server (docs/chat-sdk-coverage.md).
 * The org URL is always 127.0.0.1 on this port: opened as http://localhost:<port>/chat-sdk, every connector
 * call is cross-origin and preflighted, as on a real website. The bundle is built on its first request.
 * The SDK checks the chat token's expiry against the browser's clock (chat-sdk-in-browser.md §4.3), so the
 * browser's clock must be near the simulation's (GET /_handoff/clock).
 */
export function chatSdkPageSurface(sim: Simulation): Surface {
  let bundle: Promise<string> | undefined;
  const handlers = [
    http.get(`*${chatSdkPagePath}`, ({ request }) => {
      const url = new URL(request.url);
      // ?flow=legacy: getchattoken then sessioninit instead of createConversation (d365-omnichannel.md §2.5 B).
      const settings = { orgUrl: `http://127.0.0.1:${url.port}`, orgId: sim.omnichannel.orgId, widgetId: sim.omnichannel.widgetId, legacyFlow: url.searchParams.get('flow') === 'legacy' };
      return new HttpResponse(pageHtml(settings, sim.copilot?.name), { headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' } });
    }),
    http.get(`*${chatSdkPagePath}/chat-sdk.js`, async () => {
      bundle ??= buildChatSdkBundle();
      let code: string;
      try {
        code = await bundle;
      } catch (error) {
        bundle = undefined;
        return HttpResponse.json({ error: { code: 'BundleFailed', message: `The chat SDK page could not be bundled: ${(error as Error).message}. The page bundles src/serve/pages/chat-sdk/app.ts with esbuild. Run npm ci and try again.` } }, { status: 500 });
      }
      return new HttpResponse(code, { headers: { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'no-store' } });
    }),
  ];
  return { name: 'chat SDK page', matches: (pathname) => pathname === chatSdkPagePath || pathname.startsWith(`${chatSdkPagePath}/`), handlers };
}

function pageHtml(settings: { orgUrl: string; orgId: string; widgetId: string; legacyFlow: boolean }, copilotName: string | undefined): string {
  // JSON inside a <script>: "<" is escaped so no value can close the element.
  const json = JSON.stringify(settings).replace(/</g, '\\u003c');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>handoff serve: the Omnichannel chat SDK</title>
<style>
  body { font-family: system-ui, sans-serif; margin: 0; display: flex; flex-direction: column; height: 100vh; }
  header { padding: 12px 16px; background: #f3f2f1; border-bottom: 1px solid #ddd; }
  header h1 { font-size: 16px; margin: 0; }
  #status { padding: 8px 16px; background: #eef6fc; border-bottom: 1px solid #c7e0f4; min-height: 20px; }
  #events { flex: 1; overflow: auto; margin: 0; padding: 12px 16px 12px 40px; line-height: 1.6; }
  #events li[data-role="bot"] { color: #0b5394; }
  #events li[data-role="agent"] { color: #38761d; font-weight: 600; }
  #events li[data-role="system"] { color: #666; font-style: italic; }
  #events li[data-role="customer"] { color: #222; }
  #events li[data-kind="agentEndSession"] { color: #990000; font-weight: 600; }
  #events li[data-kind="error"] { color: #cc0000; }
  form { display: flex; gap: 8px; padding: 12px 16px; border-top: 1px solid #ddd; }
  form input { flex: 1; padding: 6px; }
</style>
</head>
<body>
<header>
  <h1>Live chat with ${escapeHtml(copilotName ?? 'the contact center')} through the real Omnichannel chat SDK</h1>
</header>
<div id="status" role="status" data-testid="status">Not started. Press "Start chat".</div>
<ol id="events" data-testid="events" aria-live="polite"></ol>
<form id="composer">
  <button type="button" id="start">Start chat</button>
  <input id="text" aria-label="Message" autocomplete="off" placeholder="Type a message">
  <button type="submit">Send</button>
  <button type="button" id="end">End chat</button>
</form>
<script id="settings" type="application/json">${json}</script>
<script src="${chatSdkPagePath}/chat-sdk.js"></script>
</body>
</html>
`;
}
