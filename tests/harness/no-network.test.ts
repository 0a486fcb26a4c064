import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { test } from 'node:test';
import type { Envelope } from '@cucumber/messages';
import { loadConfiguration, runCucumber } from '@cucumber/cucumber/api';

const root = path.resolve(__dirname, '..', '..');

test('a scenario that calls the global fetch fails with the method and URL, and never reaches the network', async () => {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'handoff-no-network-'));
  try {
    const feature = path.join(scratch, 'stray.feature');
    const steps = path.join(scratch, 'stray.steps.js');
    fs.writeFileSync(feature, 'Feature: stray\n  Scenario: a step reaches for the network\n    When some code fetches "https://example.test/api/x"\n');
    fs.writeFileSync(steps, `const { When } = require(${JSON.stringify(require.resolve('@cucumber/cucumber'))});\nWhen('some code fetches {string}', async function (url) { await fetch(url); });\n`);
    const { runConfiguration } = await loadConfiguration({
      provided: { paths: [feature], require: [path.join(root, 'src', 'steps', '**', '*.ts'), steps], requireModule: ['ts-node/register/transpile-only'], format: [] },
    });
    const failures: string[] = [];
    const { success } = await runCucumber(runConfiguration, { cwd: root, stdout: new PassThrough() }, (message: Envelope) => {
      const result = message.testStepFinished?.testStepResult;
      if (result?.status === 'FAILED') failures.push(result.message ?? '');
    });
    assert.equal(success, false);
    assert.equal(failures.length, 1);
    assert.match(failures[0]!, /No mock handles GET https:\/\/example\.test\/api\/x/);
    assert.equal(globalThis.fetch.name, 'fetch', 'the global fetch is restored after the run');
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
});
