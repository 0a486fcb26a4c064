import path from 'node:path';
import type { Envelope } from '@cucumber/messages';
import { writeFileAtomic } from './atomic-write';
import { renderConversationReport } from './conversation-report';
import { writeCucumberReports } from './cucumber-reports';
import { writeFailureBundles } from './failure-bundle';
import { measureCoverage, type ModelCoverage } from './model-coverage';
import type { Redactor } from './redaction';
import { summarizeRun, type RunResult } from './run-result';
import { renderSummaryPage } from './summary-page';
import { decodeTimelineAttachment, encodeTimelineAttachment, timelineMediaType, type TimelineAttachment } from './timeline-attachment';

/** Our own reports next to cucumber's, in a reports folder. */
export const handoffReportFiles = {
  summary: 'index.html',
  conversations: 'conversations.html',
  coverage: 'coverage.json',
  failures: 'failures',
} as const;

export interface WrittenReports {
  run: RunResult;
  coverage: ModelCoverage;
  /** Failure bundle files, relative to the folder, by scenario anchor. */
  bundles: Map<string, string>;
}

/**
 * Every report of a run from its message stream: cucumber's HTML, JSON, JUnit and NDJSON, the
 * conversation report, the summary page, model coverage and a failure bundle per failed scenario.
 * Each file is written atomically; secrets are redacted again on the way out.
 */
export async function writeRunReports(folder: string, envelopes: readonly Envelope[], redactor: Redactor): Promise<WrittenReports> {
  // Each timeline is unzipped once, for redaction, and read again from here by the summary.
  const timelines = new Map<string, TimelineAttachment | undefined>();
  const decode = (body: string): TimelineAttachment | undefined => {
    if (!timelines.has(body)) timelines.set(body, decodeTimelineAttachment(body));
    return timelines.get(body);
  };
  const safe = envelopes.map((envelope) => redactEnvelope(envelope, redactor, decode));
  await writeCucumberReports(folder, safe);
  const run = summarizeRun(safe, decode);
  const coverage = measureCoverage(run.scenarios.map((scenario) => ({ anchor: scenario.anchor, entries: scenario.timeline?.entries ?? [] })));
  writeFileAtomic(path.join(folder, handoffReportFiles.coverage), `${JSON.stringify(coverage, null, 2)}\n`);
  const bundles = writeFailureBundles(folder, run, redactor);
  writeFileAtomic(path.join(folder, handoffReportFiles.conversations), renderConversationReport(run, { redactor, bundles }));
  writeFileAtomic(path.join(folder, handoffReportFiles.summary), renderSummaryPage(run, { redactor, coverage, bundles, conversations: handoffReportFiles.conversations }));
  return { run, coverage, bundles };
}

/**
 * A message with every string redacted by content (JWTs, bearer credentials, configured secrets), and a
 * timeline attachment redacted by structure too (values under secret-sounding names).
 */
export function redactEnvelope(envelope: Envelope, redactor: Redactor, decode = decodeTimelineAttachment): Envelope {
  const attachment = envelope.attachment;
  if (attachment?.mediaType === timelineMediaType) {
    const timeline = decode(attachment.body);
    // A body that cannot be read cannot be shown either; one that holds no secret is kept byte for byte.
    if (!timeline) return { attachment: { ...attachment, body: '' } };
    const entries = redactor.value(timeline.entries);
    return entries === timeline.entries ? envelope : { attachment: { ...attachment, body: encodeTimelineAttachment(timeline.seed, entries, redactor) } };
  }
  return redactor.strings(envelope);
}
