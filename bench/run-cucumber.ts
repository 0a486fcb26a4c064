/**
 * Runs one cucumber suite in this process and prints its timings as JSON: a child of the benchmark,
 * because cucumber's support code cannot be loaded twice into one process.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Envelope } from '@cucumber/messages';
import { loadConfiguration, runCucumber } from '@cucumber/cucumber/api';
import { decodeTimelineAttachment, timelineMediaType } from '../src/report/timeline-attachment';

async function main(): Promise<void> {
  const [output, requireGlob, ...paths] = process.argv.slice(2);
  const root = path.resolve(__dirname, '..');
  const { runConfiguration } = await loadConfiguration({
    provided: { paths, require: [requireGlob!], requireModule: ['ts-node/register/transpile-only'], format: [], retry: 0 },
  });
  // Step durations have nanosecond resolution; the test case timestamps only milliseconds.
  const byTestCase = new Map<string, number>();
  // Wire requests per scenario, counted on the timeline each scenario attaches, once the run is over.
  const timelines: string[] = [];
  let failed = 0;
  let runStarted = 0;
  let runFinished = 0;
  const seconds = (t: { seconds: number; nanos: number }) => t.seconds * 1000 + t.nanos / 1e6;
  const { success } = await runCucumber(runConfiguration, { cwd: root }, (message: Envelope) => {
    if (message.testRunStarted) runStarted = seconds(message.testRunStarted.timestamp);
    if (message.testRunFinished) runFinished = seconds(message.testRunFinished.timestamp);
    if (message.attachment?.mediaType === timelineMediaType) timelines.push(message.attachment.body);
    const step = message.testStepFinished;
    if (step) {
      byTestCase.set(step.testCaseStartedId, (byTestCase.get(step.testCaseStartedId) ?? 0) + seconds(step.testStepResult.duration));
      if (step.testStepResult.status !== 'PASSED') failed += 1;
    }
  });
  const durations = [...byTestCase.values()];
  const wireRequests = timelines.map((body) => decodeTimelineAttachment(body)?.entries.filter((entry) => entry.kind === 'wire.request').length ?? 0);
  fs.writeFileSync(output!, JSON.stringify({ success, failed, scenarios: durations.length, durations, wireRequests, totalMs: runFinished - runStarted }));
}

void main();
