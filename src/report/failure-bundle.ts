import fs from 'node:fs';
import path from 'node:path';
import type { TimelineEntry } from '../sim/timeline';
import { writeFileAtomic } from './atomic-write';
import type { Redactor } from './redaction';
import { reproduceCommand, slug, type RunResult, type ScenarioResult, type ScenarioStatus } from './run-result';

/** The `format` field of a failure bundle. */
export const failureBundleFormat = 'handoff-failure-bundle';
/** The version this code writes; a reader refuses any other. */
export const failureBundleVersion = 1;

/**
 * Everything needed to reproduce one failed scenario on another machine, written to
 * `reports/failures/<scenario>.json`. `handoff replay <bundle>` runs `scenario.uri:scenario.line`
 * again with `seed` and compares the new timeline with `timeline`; until then `reproduce` is the command
 * that does the same by hand.
 *
 * @example
 * {
 *   "format": "handoff-failure-bundle", "version": 1,
 *   "scenario": { "uri": "features/routing/route-to-queue.feature", "line": 34, "name": "No rule matches, so the fallback queue takes it",
 *                 "feature": "Unified routing sends escalations to the right queue", "tags": ["@protocol:omnichannel"] },
 *   "seed": 2870915021, "status": "failed",
 *   "failedStep": { "keyword": "Then", "text": "the conversation is routed to queue \"General\"", "line": 36, "message": "The conversation was routed to ..." },
 *   "steps": [{ "keyword": "When", "text": "the customer says \"talk to a person\"", "line": 35, "status": "passed" }, ...],
 *   "reproduce": "npx handoff run features/routing/route-to-queue.feature:34 --seed 2870915021",
 *   "recordedAt": "2026-11-25T13:31:02.514Z", "cucumberVersion": "12.9.0",
 *   "timeline": [{ "seq": 0, "at": 1767603600000, "party": "customer", "kind": "state.changed", ... }, ...]
 * }
 */
export interface FailureBundle {
  format: typeof failureBundleFormat;
  version: typeof failureBundleVersion;
  scenario: { uri: string; line: number; name: string; feature: string; tags: string[] };
  /** The seed the scenario ran with; `--seed` (or `SEED=`) makes the run identical. */
  seed: number | null;
  status: ScenarioStatus;
  failedStep: { keyword: string; text: string; line: number | null; message: string | null } | null;
  steps: Array<{ keyword: string; text: string; line: number | null; status: ScenarioStatus }>;
  /** The shell command that reruns exactly this scenario with this seed. */
  reproduce: string;
  /** When the run started (ISO-8601), for telling bundles of different runs apart. */
  recordedAt: string | null;
  cucumberVersion: string | null;
  /** The scenario's whole timeline on virtual time, secrets redacted. */
  timeline: TimelineEntry[];
}

export function createFailureBundle(scenario: ScenarioResult, run: Pick<RunResult, 'startedAt' | 'cucumberVersion'>, redactor: Redactor): FailureBundle {
  const failed = scenario.failedStep;
  return redactor.value({
    format: failureBundleFormat,
    version: failureBundleVersion,
    scenario: { uri: scenario.uri, line: scenario.line, name: scenario.name, feature: scenario.feature, tags: scenario.tags },
    seed: scenario.seed ?? null,
    status: scenario.status,
    failedStep: failed ? { keyword: failed.keyword, text: failed.text, line: failed.line ?? null, message: failed.message ?? null } : null,
    steps: scenario.steps.map((step) => ({ keyword: step.keyword, text: step.text, line: step.line ?? null, status: step.status })),
    reproduce: reproduceCommand(scenario),
    recordedAt: run.startedAt === undefined ? null : new Date(run.startedAt).toISOString(),
    cucumberVersion: run.cucumberVersion ?? null,
    timeline: scenario.timeline?.entries ?? [],
  });
}

/** Reads a bundle, checking its format and version, with an error that says what to do. */
export function readFailureBundle(file: string): FailureBundle {
  let parsed: Partial<FailureBundle>;
  try {
    parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<FailureBundle>;
  } catch (error) {
    throw new Error(`Cannot read the failure bundle ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}. A bundle is the JSON file a failed run writes under reports/failures/. Pass the path of one of those files.`);
  }
  if (parsed.format !== failureBundleFormat || parsed.version !== failureBundleVersion) {
    throw new Error(`Cannot read the failure bundle ${file}: its format is ${JSON.stringify(parsed.format)} version ${JSON.stringify(parsed.version)}, not "${failureBundleFormat}" version ${failureBundleVersion}. It was written by another version of handoff-harness. Re-run the scenario to write a new bundle.`);
  }
  return parsed as FailureBundle;
}

/**
 * Writes one bundle per failed scenario into `<reports>/failures/`, named after the scenario, and
 * removes bundles a previous run left for scenarios that no longer fail. Returns the files, relative to
 * the reports folder, by scenario anchor.
 */
export function writeFailureBundles(reports: string, run: RunResult, redactor: Redactor): Map<string, string> {
  const folder = path.join(reports, 'failures');
  const written = new Map<string, string>();
  const taken = new Set<string>();
  for (const scenario of run.scenarios) {
    if (scenario.status === 'passed' || scenario.status === 'skipped') continue;
    let name = slug(scenario.name);
    for (let n = 2; taken.has(name); n += 1) name = `${slug(scenario.name)}-${n}`;
    taken.add(name);
    const file = path.join(folder, `${name}.json`);
    writeFileAtomic(file, `${JSON.stringify(createFailureBundle(scenario, run, redactor), null, 2)}\n`);
    written.set(scenario.anchor, path.relative(reports, file).split(path.sep).join('/'));
  }
  if (fs.existsSync(folder)) {
    for (const stale of fs.readdirSync(folder)) {
      if (stale.endsWith('.json') && !taken.has(stale.slice(0, -'.json'.length))) fs.rmSync(path.join(folder, stale), { force: true });
    }
  }
  return written;
}
