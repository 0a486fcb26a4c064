import escapeHtml from 'escape-html';
import fs from 'node:fs';
import path from 'node:path';
import { http, HttpResponse } from 'msw';
import type { Surface } from '../../mocks/network';
import type { Simulation } from '../sim/simulation';
import { chatSdkPagePath } from './pages/chat-sdk/page';

export const demoPath = '/demo';

/**
 * The real Web Chat UMD bundle from node_modules. Its `exports` map only allows ".", so the file is found
 * from the package's main (lib/index.js) by swapping in dist/webchat.js (toolchain.md gotcha 15).
 */
export function webChatBundlePath(): string {
  const main = require.resolve('botframework-webchat');
  const bundle = path.join(path.dirname(path.dirname(main)), 'dist', 'webchat.js');
  if (!fs.existsSync(bundle)) {
    throw new Error(`Web Chat's bundle is not at ${bundle}. The demo page serves botframework-webchat's dist/webchat.js. Run npm ci to install botframework-webchat 4.18.1.`);
  }
  return bundle;
}

/**
 * GET /demo: a website with the real Web Chat talking to this server. The "Copilot Studio embed code"
 * path does what Copilot Studio's canvas does (copilot-protocol.md §4.1, §4.2): regional channel
 * settings, a token from the token endpoint, Direct Line with that token, then `startConversation`.
 */
export function demoSurface(sim: Simulation): Surface {
  let bundle: Buffer | undefined;
  const handlers = [
    http.get('*/', () => new HttpResponse(null, { status: 302, headers: { location: demoPath } })),
    // Browsers ask for it on every page; an empty answer keeps 404s out of the console.
    http.get('*/favicon.ico', () => new HttpResponse(null, { status: 204 })),
    http.get(`*${demoPath}`, ({ request }) => {
      const embed = new URL(request.url).searchParams.get('embed') === 'd365' ? 'd365' : 'copilot-studio';
      return new HttpResponse(demoHtml(sim, embed), { headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' } });
    }),
    http.get(`*${demoPath}/webchat.js`, () => {
      bundle ??= fs.readFileSync(webChatBundlePath());
      return new HttpResponse(bundle, { headers: { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'max-age=3600' } });
    }),
  ];
  return { name: 'demo page', matches: (pathname) => pathname === '/' || pathname === '/favicon.ico' || pathname === demoPath || pathname.startsWith(`${demoPath}/`), handlers };
}

function demoHtml(sim: Simulation, embed: 'copilot-studio' | 'd365'): string {
  const copilot = sim.copilot;
  const settings = {
    embed,
    copilotName: copilot?.name ?? '(no copilot)',
    tokenPath: copilot ? `/powervirtualagents/botsbyschema/${encodeURIComponent(copilot.schemaName)}/directline/token?api-version=2022-03-01-preview` : null,
    regionalSettingsPath: '/powervirtualagents/regionalchannelsettings?api-version=2022-03-01-preview',
  };
  // JSON inside a <script>: "<" is escaped so no value can close the script element.
  const json = JSON.stringify(settings).replace(/</g, '\\u003c');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>handoff serve: demo website</title>
<style>
  body { font-family: system-ui, sans-serif; margin: 0; display: flex; flex-direction: column; height: 100vh; }
  header { padding: 12px 16px; background: #f3f2f1; border-bottom: 1px solid #ddd; }
  header h1 { font-size: 16px; margin: 0 0 8px; }
  nav a { margin-right: 12px; }
  nav a[aria-current="page"] { font-weight: bold; }
  #status { padding: 8px 16px; background: #fff4ce; border-bottom: 1px solid #e0d08a; min-height: 20px; }
  #status.handoff { background: #fde7e9; border-color: #e8a3a9; }
  #webchat { flex: 1; min-height: 0; }
  .note { padding: 16px; max-width: 720px; line-height: 1.5; }
</style>
</head>
<body>
<header>
  <h1>Demo website for the copilot "${escapeHtml(settings.copilotName)}"</h1>
  <nav aria-label="Embed">
    <a href="${demoPath}?embed=copilot-studio" ${embed === 'copilot-studio' ? 'aria-current="page"' : ''} data-testid="embed-copilot-studio">Copilot Studio embed code</a>
    <a href="${demoPath}?embed=d365" ${embed === 'd365' ? 'aria-current="page"' : ''} data-testid="embed-d365">Dynamics 365 chat widget</a>
  </nav>
</header>
<div id="status" role="status" data-testid="status">Connecting…</div>
<div id="webchat" role="main"></div>
${embed === 'd365' ? d365Note() : '<script src="/demo/webchat.js"></script>'}
<script>
const settings = ${json};
const status = document.getElementById('status');
function show(text, kind) { status.textContent = text; status.className = kind || ''; }
if (settings.embed === 'copilot-studio') {
  (async function () {
    try {
      // Copilot Studio's canvas: regional Direct Line URL, then a token, then Web Chat (copilot-protocol.md §4.1).
      const regional = await (await fetch(settings.regionalSettingsPath)).json();
      const domain = new URL('v3/directline', regional.channelUrlsById.directline).toString();
      const { token } = await (await fetch(settings.tokenPath)).json();
      const directLine = window.WebChat.createDirectLine({ domain, token });
      const store = window.WebChat.createStore({}, ({ dispatch }) => (next) => (action) => {
        if (action.type === 'DIRECT_LINE/CONNECT_FULFILLED') {
          show('Connected to the copilot over Direct Line.');
          // The greeting runs when the canvas sends startConversation (copilot-protocol.md §4.2).
          dispatch({ type: 'DIRECT_LINE/POST_ACTIVITY', meta: { method: 'keyboard' }, payload: { activity: { channelData: { postBack: true }, name: 'startConversation', type: 'event' } } });
        }
        if (action.type === 'DIRECT_LINE/INCOMING_ACTIVITY') {
          const activity = action.payload.activity;
          if (activity.type === 'event' && activity.name === 'handoff.initiate') {
            show('The copilot handed off (handoff.initiate). Copilot Studio\\'s embed code has no live agent behind it: no agent will join this chat.', 'handoff');
          }
        }
        return next(action);
      });
      window.WebChat.renderWebChat({ directLine, store }, document.getElementById('webchat'));
    } catch (error) {
      show('Could not start Web Chat: ' + error.message, 'handoff');
    }
  })();
} else {
  show('The Dynamics 365 chat widget runs the chat SDK on a page of its own (below).');
}
</script>
</body>
</html>
`;
}

/** The Dynamics 365 path is another website: the chat SDK talks to the live chat endpoints, not to Direct Line. */
function d365Note(): string {
  return `<div class="note" data-testid="d365-note">
  <p>A website with the Dynamics 365 chat widget talks to the live chat endpoints of this server (orgUrl = this server's base URL),
  not to Direct Line, and the copilot answers as Dynamics 365's first responder: there a transfer does reach an agent.</p>
  <p>That website runs the real chat SDK in the browser: <a href="${chatSdkPagePath}" data-testid="chat-sdk-link">open the chat SDK page</a>.
  Play the agent with the control API (<code>/_handoff/agents</code>, docs/serve.md).</p>
</div>`;
}

