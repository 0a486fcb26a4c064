import path from 'node:path';
import { expect, test } from '@playwright/test';

const screenshots = path.join(__dirname, '..', '..', 'reports', 'playwright');

/**
 * The real Web Chat (botframework-webchat's UMD bundle) on the demo page of `handoff serve`, the way a
 * website with Copilot Studio's embed code works: the copilot answers, and a transfer becomes a
 * handoff.initiate event that nothing routes, so no agent ever joins (copilot-protocol.md §6.2, seed).
 */
test("Copilot Studio's embed code: the customer talks to the copilot, asks for an agent, and the handoff never completes", async ({ page, request }) => {
  // The server is shared with the other browser specs: follow this page's own Direct Line conversation.
  const started = page.waitForResponse((response) => response.request().method() === 'POST' && new URL(response.url()).pathname === '/v3/directline/conversations');
  await page.goto('/demo');
  const { conversationId } = (await (await started).json()) as { conversationId: string };
  // Web Chat shows text in several nodes (one is the aria label): match the paragraph (toolchain.md gotcha 15).
  // Its markdown renderer turns ' into a typographic apostrophe, so match a part without one.
  await expect(page.locator('p', { hasText: 'Contoso Assistant, a virtual assistant' })).toBeVisible();

  const sendBox = page.getByPlaceholder('Type your message');
  await sendBox.fill('I have a billing question');
  await sendBox.press('Enter');
  await expect(page.locator('p', { hasText: 'I can help with billing.' })).toBeVisible();
  await expect(page.locator('p', { hasText: 'I have a billing question' })).toBeVisible();
  const chatsBefore = ((await (await request.get('/_handoff/conversations')).json()) as { liveChat: unknown[] }).liveChat.length;

  await sendBox.fill('talk to a person');
  await sendBox.press('Enter');
  await expect(page.locator('p', { hasText: 'Let me connect you with an agent.' })).toBeVisible();
  await expect(page.getByTestId('status')).toContainText('handoff.initiate');

  // Ten virtual minutes later nobody has joined: nothing routed the conversation to Dynamics 365.
  const advanced = await request.post('/_handoff/clock/advance', { data: { by: '10 minutes' } });
  expect(advanced.ok()).toBe(true);
  const conversations = (await (await request.get('/_handoff/conversations')).json()) as {
    directLine: Array<{ id: string; state: string; escalated: boolean }>;
    liveChat: unknown[];
  };
  expect(conversations.directLine.find((conversation) => conversation.id === conversationId)).toEqual(expect.objectContaining({ state: 'escalated', escalated: true }));
  expect(conversations.liveChat).toHaveLength(chatsBefore);
  const timeline = (await (await request.get(`/_handoff/timeline?conversation=${encodeURIComponent(conversationId)}`)).json()) as { entries: Array<{ kind: string }> };
  expect(timeline.entries.filter((entry) => entry.kind === 'routing.decided')).toEqual([]);
  expect(timeline.entries.some((entry) => entry.kind === 'handoff.requested')).toBe(true);
  await expect(page.locator('p', { hasText: 'has joined' })).toHaveCount(0);
  // Every message was echoed back in time: Web Chat shows no "Send failed" (copilot-protocol.md §0 fact 5).
  await expect(page.getByText('Send failed')).toHaveCount(0);

  await page.screenshot({ path: path.join(screenshots, 'web-chat-embed-code-handoff.png'), fullPage: true });
});

test('the demo page switches to the Dynamics 365 chat widget path, which explains what it needs', async ({ page }) => {
  await page.goto('/demo');
  await page.getByTestId('embed-d365').click();
  await expect(page.getByTestId('d365-note')).toContainText('chat SDK');
  await expect(page.getByTestId('chat-sdk-link')).toHaveAttribute('href', '/chat-sdk');
  await expect(page.getByTestId('embed-d365')).toHaveAttribute('aria-current', 'page');
});
