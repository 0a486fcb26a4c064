import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { renderConversationReport } from '../src/report/conversation-report';
import { writeCucumberReports } from '../src/report/cucumber-reports';
import { measureCoverage } from '../src/report/model-coverage';
import { createRedactor } from '../src/report/redaction';
import { summarizeRun } from '../src/report/run-result';
import { syntheticRun } from '../src/report/synthetic-run';
import { writeRunReports } from '../src/report/write-run-reports';

const scenarios = 1000;
const targetMs = 2000;

/**
 * Report generation for a run of 1,000 scenarios (a synthetic message stream, 5 % failing, about 70
 * timeline entries each): every report a run writes, against the 2 s target, next to the part that is
 * cucumber's own formatters (html, json, junit, ndjson), measured in the same run.
 */
export async function reportBench(): Promise<string[]> {
  const envelopes = syntheticRun({ scenarios });
  const redactor = createRedactor();
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'handoff-report-bench-'));
  try {
    await writeRunReports(path.join(folder, 'warm-up'), syntheticRun({ scenarios: 20 }), redactor);

    const cucumberStart = performance.now();
    await writeCucumberReports(path.join(folder, 'cucumber-only'), envelopes);
    const cucumberMs = performance.now() - cucumberStart;

    const start = performance.now();
    await writeRunReports(path.join(folder, 'all'), envelopes, redactor);
    const totalMs = performance.now() - start;

    const run = summarizeRun(envelopes);
    const partStart = performance.now();
    measureCoverage(run.scenarios.map((s) => ({ anchor: s.anchor, entries: s.timeline?.entries ?? [] })));
    renderConversationReport(run, { redactor });
    const oursMs = performance.now() - partStart;

    const size = (file: string) => `${(fs.statSync(path.join(folder, 'all', file)).size / 1e6).toFixed(1)} MB`;
    return [
      `  all reports, ${scenarios} scenarios (${envelopes.length} messages): ${totalMs.toFixed(0)} ms (target < ${targetMs} ms: ${totalMs < targetMs ? 'met' : 'MISSED'})`,
      `    baseline, cucumber's own formatters alone (html, json, junit, ndjson): ${cucumberMs.toFixed(0)} ms`,
      `    coverage + conversation report alone: ${oursMs.toFixed(0)} ms`,
      `    sizes: conversations.html ${size('conversations.html')}, index.html ${size('index.html')}, cucumber-report.html ${size('cucumber-report.html')}, messages.ndjson ${size('messages.ndjson')}`,
    ];
  } finally {
    fs.rmSync(folder, { recursive: true, force: true });
  }
}
