import path from 'node:path';
import { defineConfig, devices } from '@playwright/test';

// Playwright cannot download browsers here: use the Chromium that scripts/ensure-chromium.js finds or installs (toolchain.md §2e, gotcha 9).
const { findChromium } = require('./scripts/ensure-chromium.js') as { findChromium(): string | undefined };

/** A fixed port for `handoff serve`, so the spec and the web server agree; HANDOFF_E2E_PORT moves it if it is taken. */
const port = Number(process.env['HANDOFF_E2E_PORT'] ?? 39781);
const baseURL = `http://127.0.0.1:${port}`;
const jsonOutput = process.env['PLAYWRIGHT_JSON_OUTPUT_NAME'];

export default defineConfig({
  testDir: path.join(__dirname, 'tests', 'browser'),
  outputDir: path.join(__dirname, 'reports', 'playwright', 'test-results'),
  workers: 1,
  // A flaky browser test is a determinism bug (STYLE.md rule 12).
  retries: 0,
  fullyParallel: false,
  timeout: 60_000,
  reporter: [
    ['list'],
    ...(jsonOutput ? [['json', { outputFile: jsonOutput }] as const] : []),
    ['html', { outputFolder: path.join(__dirname, 'reports', 'playwright', 'html'), open: 'never' }],
  ],
  use: {
    ...devices['Desktop Chrome'],
    baseURL,
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: findChromium(),
      args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
    },
  },
  webServer: {
    command: `node bin/handoff.js serve --port ${port}`,
    cwd: __dirname,
    url: `${baseURL}/_handoff/health`,
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: 'pipe',
    stderr: 'pipe',
  },
});
