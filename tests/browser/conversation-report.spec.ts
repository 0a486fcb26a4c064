import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { expect, test } from '@playwright/test';

const root = path.join(__dirname, '..', '..');
const reports = path.join(root, 'reports', 'conversation-report-fixture');
const screenshots = path.join(root, 'reports', 'playwright');
const failingName = 'Deliberately failing: a billing question expected in the general queue';

/**
 * The conversation report of a run with a deliberately failing scenario (tests/fixtures/report), opened
 * from disk in Chromium: it needs no network, shows the failure highlighted with its assertion, and
 * the summary page links to it. A screenshot stays in reports/playwright/.
 */
test.beforeAll(() => {
  fs.rmSync(reports, { recursive: true, force: true });
  const run = spawnSync(process.execPath, [path.join(root, 'bin', 'handoff.js'), 'run', 'tests/fixtures/report/handoff-report.feature', '--reports', reports], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, CI: 'true' },
    timeout: 120_000,
  });
  // One scenario fails on purpose, so the run exits 1; anything else means the run itself broke.
  expect(run.status, `${run.stdout}\n${run.stderr}`).toBe(1);
});

test('the conversation report opens offline, highlights the failing scenario, and logs no console errors', async ({ page }) => {
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('request', (request) => {
    if (!request.url().startsWith('file:')) problems.push(`network: ${request.url()}`);
  });

  await page.goto(pathToFileURL(path.join(reports, 'conversations.html')).href);
  const failing = page.locator('section.scenario.failed');
  await expect(failing).toHaveCount(1);
  await expect(failing.locator('header h2')).toHaveText(failingName);
  await expect(failing.locator('.failure .assertion')).toContainText('The conversation was routed to queue "Billing", not to queue "General".');
  await expect(failing.locator('li[data-failing="true"]')).toContainText('Then the conversation is routed to queue "General"');
  await expect(failing.locator('.reproduce code')).toContainText('npx handoff run tests/fixtures/report/handoff-report.feature:30 --seed ');
  // Highlighted: a red frame around the failing scenario and its step, none around the passing one.
  expect(await failing.evaluate((element) => getComputedStyle(element).borderTopColor)).toBe('rgb(207, 34, 46)');
  expect(await failing.locator('li[data-failing="true"]').evaluate((element) => getComputedStyle(element).outlineColor)).toBe('rgb(207, 34, 46)');
  const passing = page.locator('section.scenario[data-status="passed"]');
  await expect(passing).toHaveCount(1);
  expect(await passing.evaluate((element) => getComputedStyle(element).borderTopWidth)).toBe('1px');

  // What the customer saw beside what the agent received, the routing explanation, the variables.
  await expect(passing.locator('.customer-view')).toContainText("Hi, I'm Alice from billing.");
  await expect(passing.locator('.agent-view')).toContainText('Customer disputes an invoice');
  await expect(passing.locator('.agent-view')).toContainText('I have a billing question');
  await expect(failing.locator('.routing').first()).toBeVisible();
  await expect(failing.locator('table.variables')).toContainText('Department');
  await expect(failing.locator('.swimlanes .lane-routing').first()).toBeVisible();

  fs.mkdirSync(screenshots, { recursive: true });
  await failing.screenshot({ path: path.join(screenshots, 'conversation-report-failure.png') });

  // The summary lists the failure and links straight to it.
  await page.goto(pathToFileURL(path.join(reports, 'index.html')).href);
  await page.locator('table.failures a', { hasText: failingName }).click();
  await expect(page).toHaveURL(/conversations\.html#tests-fixtures-report-handoff-report-feature-30$/);
  await expect(page.locator('#tests-fixtures-report-handoff-report-feature-30')).toBeInViewport();
  await page.screenshot({ path: path.join(screenshots, 'conversation-report.png') });

  expect(problems).toEqual([]);
});
