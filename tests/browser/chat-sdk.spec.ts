import path from 'node:path';
import { expect, test, type APIRequestContext, type Page } from '@playwright/test';

const screenshots = path.join(__dirname, '..', '..', 'reports', 'playwright');
// Playwright cannot download browsers here (toolchain.md gotcha 9): the same finder as playwright.config.ts.
const { findChromium } = require('../../scripts/ensure-chromium.js') as { findChromium(): string | undefined };

/**
 * Traffic stays on loopback (chat-sdk-in-browser.md §9): every other host resolves to nothing and goes to a
 * closed proxy. No page.route anywhere in this file: with a route registered, Playwright answers CORS
 * preflights itself and would hide a server that cannot (§6). The messaging plane's certificate is made at
 * run time, so certificate errors are ignored (§4.2).
 */
test.use({
  ignoreHTTPSErrors: true,
  launchOptions: {
    executablePath: findChromium(),
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic',
      '--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1, EXCLUDE localhost',
      '--proxy-server=http://127.0.0.1:9',
    ],
  },
});

interface TimelineEntry {
  kind: string;
  method?: string;
  url?: string;
  status?: number;
  reader?: string;
  text?: string;
  variables?: Record<string, string>;
}

async function timeline(request: APIRequestContext, query: string): Promise<TimelineEntry[]> {
  const response = await request.get(`/_handoff/timeline?${query}`);
  expect(response.ok()).toBe(true);
  return ((await response.json()) as { entries: TimelineEntry[] }).entries;
}

async function agent(request: APIRequestContext, name: string, action: string, data: object = {}): Promise<void> {
  const response = await request.post(`/_handoff/agents/${name}/${action}`, { data });
  expect(response.status(), `agent ${name} ${action}: ${await response.text()}`).toBe(200);
}

/** The page's own log: one list item per message or event the SDK delivered. */
function shown(page: Page, selector: string, text: string) {
  return page.locator(`#events li${selector}`, { hasText: text });
}

/**
 * The real, unmodified @microsoft/omnichannel-chat-sdk (bundled by esbuild into /chat-sdk) against
 * `handoff serve`: the customer talks to the copilot, is handed off, routed and assigned to an agent who
 * is played through the control API, and sees the agent end the session over the realtime channel.
 * Which SDK calls this proves is listed in docs/chat-sdk-coverage.md.
 */
/** Opens /chat-sdk on localhost (the org is 127.0.0.1: every call is cross-origin), on the simulation's clock, watching for strays. */
async function openChatPage(page: Page, request: APIRequestContext, baseURL: string | undefined, query = ''): Promise<{ outside: string[]; pageErrors: string[]; orgOrigin: string }> {
  const outside: string[] = [];
  const pageErrors: string[] = [];
  const loopback = /^(https?|wss?):\/\/(127\.0\.0\.1|localhost)(:\d+)?\//;
  page.on('request', (sent) => {
    if (!loopback.test(sent.url()) && !sent.url().startsWith('data:')) outside.push(sent.url());
  });
  page.on('websocket', (socket) => {
    if (!loopback.test(socket.url())) outside.push(socket.url());
  });
  page.on('pageerror', (error) => pageErrors.push(error.message));
  // The browser lives on the simulation's clock: the SDK checks the chat token's exp against the page's Date (§4.3).
  const clock = (await (await request.get('/_handoff/clock')).json()) as { epochMs: number };
  await page.clock.install({ time: clock.epochMs });
  const orgOrigin = new URL(baseURL!).origin;
  await page.goto(`${orgOrigin.replace('127.0.0.1', 'localhost')}/chat-sdk${query}`);
  await page.waitForFunction(() => window.handoffChat !== undefined);
  expect(await page.evaluate(() => window.handoffChat.settings.orgUrl)).toBe(orgOrigin);
  return { outside, pageErrors, orgOrigin };
}

test('the Omnichannel chat SDK in Chromium: copilot, handoff, routing, an agent, the agent ends, the transcript', async ({ page, request, baseURL }) => {
  const { outside, pageErrors } = await openChatPage(page, request, baseURL);

  const config = await page.evaluate(() => window.handoffChat.initialize());
  expect(config).toEqual({ liveChatVersion: 2, outOfOperatingHours: 'False' });

  // Before the chat: the billing queue is open and has an agent (getAgentAvailability, §2.4.6).
  const availability = await page.evaluate(() => window.handoffChat.agentAvailability({ Department: 'Billing' }));
  expect(availability).toMatchObject({ QueueName: 'Billing', IsQueueAvailable: true, AgentAvailability: true });

  const started = await page.evaluate(() => window.handoffChat.start({ customContext: { CartValue: '100' }, preChatResponse: { Name: 'Pat' } }));
  const conversationId = started.conversationId;
  expect(conversationId).toMatch(/^[0-9a-f-]{36}$/);
  await expect(shown(page, '[data-role="bot"]', 'Contoso Assistant, a virtual assistant')).toBeVisible();

  // Pre-chat answers and custom context became context variables of the conversation (§2.4.2).
  const context = (await timeline(request, `conversation=${conversationId}`)).filter((entry) => entry.kind === 'context.updated');
  expect(context[0]?.variables).toMatchObject({ CartValue: '100', Name: 'Pat' });

  // Messages come by realtime only (polling is off, as in the widget): wait until the socket is up.
  await expect.poll(async () => (await timeline(request, 'wire=true')).some((entry) => /^\/socket\.io\/1\/websocket\//.test(entry.url ?? '') && entry.status === 101)).toBe(true);

  await page.evaluate(() => window.handoffChat.send('I have a billing question'));
  await expect(shown(page, '[data-role="bot"]', 'I can help with billing.')).toBeVisible();

  await page.evaluate(() => window.handoffChat.send('talk to a person'));
  await expect(shown(page, '[data-role="bot"]', 'Let me connect you with an agent.')).toBeVisible();

  // Routed to the billing queue and offered to Alice, its only member (§5.2).
  await expect
    .poll(async () => ((await (await request.get('/_handoff/agents')).json()) as Array<{ name: string; offeredConversation: string | null }>).find((entry) => entry.name === 'Alice')?.offeredConversation)
    .toBe(conversationId);

  await agent(request, 'Alice', 'accept');
  await expect(shown(page, '[data-role="system"]', 'Alice has joined the conversation.')).toContainText('agentjoinedconversation');
  expect(await page.evaluate(() => window.handoffChat.details())).toMatchObject({ state: 'Active', participantType: 'User', canRenderPostChat: 'True' });

  await agent(request, 'Alice', 'reply', { text: 'Hi Pat, I am Alice. I can see your bill.' });
  await expect(shown(page, '[data-role="agent"]', 'Hi Pat, I am Alice.')).toContainText('[public]');

  await page.evaluate(() => window.handoffChat.send('Thanks, Alice'));
  await expect
    .poll(async () => (await timeline(request, `conversation=${conversationId}`)).some((entry) => entry.kind === 'message.delivered' && entry.reader === 'Alice' && entry.text === 'Thanks, Alice'))
    .toBe(true);

  // Typing goes to the connector and to the thread (§3.5 sendTypingEvent).
  const typedToConnector = page.waitForResponse((response) => response.url().includes('/inbound/typingindicator/livechat/sendtypingindicator/'));
  const typedToThread = page.waitForResponse((response) => /\/chat\/threads\/[^/]+\/typing/.test(response.url()));
  await page.evaluate(() => window.handoffChat.typing());
  expect((await typedToConnector).status()).toBe(200);
  expect((await typedToThread).status()).toBe(200);

  // The agent ends: the system message tagged agentendconversation, then onAgentEndSession on participantsRemoved (§3.5, §5.2).
  await agent(request, 'Alice', 'end');
  await expect(shown(page, '[data-role="system"]', 'Alice has ended the conversation.')).toContainText('system,agentendconversation');
  await expect(page.locator('#events li[data-kind="agentEndSession"]')).toContainText('Alice');
  expect((await page.evaluate(() => window.handoffChat.details())).state).toBe('WrapUp');

  // The transcript: a JSON string, newest first, every role with its tags (§8).
  const transcript = await page.evaluate(() => window.handoffChat.transcript());
  const texts = transcript.map((message) => message.content);
  expect(texts[0]).toBe('Alice has ended the conversation.');
  expect(texts).toEqual(expect.arrayContaining(['Thanks, Alice', 'Hi Pat, I am Alice. I can see your bill.', 'Let me connect you with an agent.', 'I have a billing question']));
  expect(texts.indexOf('Thanks, Alice')).toBeLessThan(texts.indexOf('I have a billing question'));
  expect(transcript.find((message) => message.content === 'Hi Pat, I am Alice. I can see your bill.')?.tags).toBe('public');
  await page.evaluate(() => window.handoffChat.emailTranscript('pat@example.com'));

  // getMessages reads the thread with the roles the tags give (§3.3).
  const history = await page.evaluate(() => window.handoffChat.history());
  expect(history).toEqual(expect.arrayContaining([
    { role: 'bot', text: 'Let me connect you with an agent.' },
    { role: 'system', text: 'Alice has joined the conversation.' },
    { role: 'agent', text: 'Hi Pat, I am Alice. I can see your bill.' },
    { role: 'system', text: 'Alice has ended the conversation.' },
  ]));

  await page.evaluate(() => window.handoffChat.end());
  await agent(request, 'Alice', 'close');
  expect((await page.evaluate(() => window.handoffChat.detailsAfterEnd())).state).toBe('Closed');

  await page.screenshot({ path: path.join(screenshots, 'chat-sdk-handoff.png'), fullPage: true });
  expect(await page.evaluate(() => window.handoffChat.events.filter((event) => event.kind === 'error'))).toEqual([]);
  expect(pageErrors).toEqual([]);
  expect(outside).toEqual([]);
});

test('the legacy flow of the chat SDK: getchattoken, then sessioninit, then the same thread (§2.5 B)', async ({ page, request, baseURL }) => {
  const { outside, pageErrors } = await openChatPage(page, request, baseURL, '?flow=legacy');
  await page.evaluate(() => window.handoffChat.initialize());
  const started = await page.evaluate(() => window.handoffChat.start({ customContext: { Flow: 'legacy' } }));
  await expect(shown(page, '[data-role="bot"]', 'Contoso Assistant, a virtual assistant')).toBeVisible();
  const { requestId } = (await page.evaluate(() => window.handoffChat.liveChatContext)) as { requestId: string };
  const calls = (await timeline(request, 'wire=true')).filter((entry) => entry.kind === 'wire.request' && (entry.url ?? '').includes(requestId)).map((entry) => `${entry.method} ${(entry.url ?? '').replace(/^\/livechatconnector\/((?:v2\/)?[a-z]+)\/.*$/, '$1')} ${entry.status}`);
  expect(calls.slice(0, 2)).toEqual(['GET v2/getchattoken 200', 'POST sessioninit 200']);
  const context = (await timeline(request, `conversation=${started.conversationId}`)).find((entry) => entry.kind === 'context.updated');
  expect(context?.variables).toMatchObject({ Flow: 'legacy' });

  await expect.poll(async () => (await timeline(request, 'wire=true')).filter((entry) => /^\/socket\.io\/1\/websocket\//.test(entry.url ?? '') && entry.status === 101).length).toBeGreaterThanOrEqual(2);
  await page.evaluate(() => window.handoffChat.send('I have a billing question'));
  await expect(shown(page, '[data-role="bot"]', 'I can help with billing.')).toBeVisible();

  // The customer leaves while the copilot has the chat: the conversation closes (§4.2).
  await page.evaluate(() => window.handoffChat.end());
  expect((await page.evaluate(() => window.handoffChat.detailsAfterEnd())).state).toBe('Closed');
  expect(pageErrors).toEqual([]);
  expect(outside).toEqual([]);
});
