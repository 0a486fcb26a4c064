import fs from 'node:fs';
import path from 'node:path';
import type { Envelope, FeatureChild, Pickle, RuleChild, TestStepResultStatus } from '@cucumber/messages';
import { decodeTimelineAttachment, timelineMediaType, type TimelineAttachment } from './timeline-attachment';

/** A scenario's outcome in lower case, as reports show it. */
export type ScenarioStatus = 'passed' | 'failed' | 'skipped' | 'pending' | 'undefined' | 'ambiguous' | 'unknown';

export interface StepResult {
  keyword: string;
  text: string;
  /** The line in the feature file; hooks have none. */
  line?: number;
  status: ScenarioStatus;
  /** The assertion or error message of a failed step. */
  message?: string;
  /** Set for Before and After hooks. */
  hook?: 'Before' | 'After';
}

export interface ScenarioResult {
  /** The HTML anchor and file-name stem: stable across runs, shards and merges. */
  anchor: string;
  uri: string;
  line: number;
  name: string;
  feature: string;
  tags: string[];
  status: ScenarioStatus;
  durationMs: number;
  steps: StepResult[];
  /** The first step (or hook) that did not pass. */
  failedStep?: StepResult;
  seed?: number;
  timeline?: TimelineAttachment;
}

export interface FeatureResult {
  uri: string;
  name: string;
  scenarios: ScenarioResult[];
}

export interface RunResult {
  features: FeatureResult[];
  /** Finished scenarios in feature-file order (uri, then line). */
  scenarios: ScenarioResult[];
  counts: Record<'passed' | 'failed' | 'skipped', number>;
  success: boolean;
  /** Epoch ms of the run's start, from cucumber's testRunStarted. */
  startedAt?: number;
  durationMs?: number;
  /** Why the run ended early (SIGINT), when it did. */
  interruption?: string;
  cucumberVersion?: string;
}

/** Reads an NDJSON message stream; a torn last line (a killed writer) is dropped, any other bad line is an error. */
export function readMessages(file: string): Envelope[] {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new Error(`Cannot read the message stream ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}. Reports are built from the messages.ndjson that every run writes. Pass the reports folder of a finished run.`);
  }
  const lines = text.split('\n');
  const envelopes: Envelope[] = [];
  lines.forEach((line, index) => {
    if (!line.trim()) return;
    try {
      envelopes.push(JSON.parse(line) as Envelope);
    } catch {
      if (index === lines.length - 1) return;
      throw new Error(`Cannot read ${file}:${index + 1}: the line is not JSON. A cucumber message stream has one JSON message per line. Re-run the features to write it again.`);
    }
  });
  return envelopes;
}

const rank: Record<ScenarioStatus, number> = { passed: 0, skipped: 1, pending: 2, undefined: 3, ambiguous: 3, unknown: 3, failed: 4 };

/** One pass over a message stream: features, scenarios with their steps, statuses, seeds and timelines. */
export function summarizeRun(envelopes: readonly Envelope[], decode: (body: string) => TimelineAttachment | undefined = decodeTimelineAttachment): RunResult {
  const pickles = new Map<string, Pickle>();
  const features = new Map<string, { name: string; lines: Map<string, number>; keywords: Map<string, string> }>();
  const testCases = new Map<string, { pickleId: string; steps: Map<string, { pickleStepId?: string; hookId?: string }> }>();
  const hooks = new Map<string, string>();
  const started = new Map<string, { testCaseId: string; at: number; results: Map<string, { status: ScenarioStatus; message?: string }>; timeline?: TimelineAttachment; seedLog?: number }>();
  const finished: Array<{ startedId: string; at: number }> = [];
  const result: RunResult = { features: [], scenarios: [], counts: { passed: 0, failed: 0, skipped: 0 }, success: false };

  for (const envelope of envelopes) {
    if (envelope.meta) result.cucumberVersion = envelope.meta.implementation.version;
    else if (envelope.gherkinDocument?.feature && envelope.gherkinDocument.uri) {
      const lines = new Map<string, number>();
      const keywords = new Map<string, string>();
      const feature = envelope.gherkinDocument.feature;
      const visit = (children: ReadonlyArray<FeatureChild | RuleChild>): void => {
        for (const child of children) {
          for (const step of [...(child.background?.steps ?? []), ...(child.scenario?.steps ?? [])]) {
            lines.set(step.id, step.location.line);
            keywords.set(step.id, step.keyword.trim());
          }
          if (child.scenario) {
            lines.set(child.scenario.id, child.scenario.location.line);
            for (const example of child.scenario.examples) for (const row of example.tableBody) lines.set(row.id, row.location.line);
          }
          if ('rule' in child && child.rule) visit(child.rule.children);
        }
      };
      visit(feature.children);
      features.set(envelope.gherkinDocument.uri, { name: feature.name, lines, keywords });
    } else if (envelope.pickle) pickles.set(envelope.pickle.id, envelope.pickle);
    else if (envelope.hook) hooks.set(envelope.hook.id, envelope.hook.type ?? '');
    else if (envelope.testCase) {
      const steps = new Map(envelope.testCase.testSteps.map((step) => [step.id, { pickleStepId: step.pickleStepId, hookId: step.hookId }]));
      testCases.set(envelope.testCase.id, { pickleId: envelope.testCase.pickleId, steps });
    } else if (envelope.testRunStarted) result.startedAt = toMs(envelope.testRunStarted.timestamp);
    else if (envelope.testCaseStarted) {
      started.set(envelope.testCaseStarted.id, { testCaseId: envelope.testCaseStarted.testCaseId, at: toMs(envelope.testCaseStarted.timestamp), results: new Map() });
    } else if (envelope.testStepFinished) {
      const { testStepResult } = envelope.testStepFinished;
      const message = testStepResult.exception?.message ?? testStepResult.message;
      started.get(envelope.testStepFinished.testCaseStartedId)?.results.set(envelope.testStepFinished.testStepId, { status: lower(testStepResult.status), message });
    } else if (envelope.attachment?.testCaseStartedId) {
      const attempt = started.get(envelope.attachment.testCaseStartedId);
      if (!attempt) continue;
      if (envelope.attachment.mediaType === timelineMediaType) attempt.timeline = decode(envelope.attachment.body);
      const seed = /^seed=(\d+)/.exec(envelope.attachment.body);
      if (seed && envelope.attachment.mediaType.startsWith('text/')) attempt.seedLog = Number(seed[1]);
    } else if (envelope.testCaseFinished && !envelope.testCaseFinished.willBeRetried) {
      finished.push({ startedId: envelope.testCaseFinished.testCaseStartedId, at: toMs(envelope.testCaseFinished.timestamp) });
    } else if (envelope.testRunFinished) {
      result.success = envelope.testRunFinished.success;
      if (result.startedAt !== undefined) result.durationMs = toMs(envelope.testRunFinished.timestamp) - result.startedAt;
      if (!envelope.testRunFinished.success && envelope.testRunFinished.message) result.interruption = envelope.testRunFinished.message;
    }
  }

  for (const { startedId, at } of finished) {
    const attempt = started.get(startedId);
    const testCase = attempt && testCases.get(attempt.testCaseId);
    const pickle = testCase && pickles.get(testCase.pickleId);
    if (!attempt || !testCase || !pickle) continue;
    const feature = features.get(pickle.uri);
    const pickleSteps = new Map(pickle.steps.map((step) => [step.id, step]));
    const steps: StepResult[] = [];
    let seenPickleStep = false;
    for (const [testStepId, testStep] of testCase.steps) {
      const outcome = attempt.results.get(testStepId) ?? { status: 'skipped' as const };
      const pickleStep = testStep.pickleStepId ? pickleSteps.get(testStep.pickleStepId) : undefined;
      if (pickleStep) {
        seenPickleStep = true;
        const astId = pickleStep.astNodeIds[0] ?? '';
        steps.push({ keyword: feature?.keywords.get(astId) ?? '', text: pickleStep.text, line: feature?.lines.get(astId), status: outcome.status, message: outcome.message });
      } else if (outcome.status !== 'passed' && outcome.status !== 'skipped') {
        const hook = seenPickleStep ? 'After' : 'Before';
        steps.push({ keyword: '', text: `${hook} hook`, hook, status: outcome.status, message: outcome.message });
      }
    }
    const status = steps.reduce<ScenarioStatus>((worst, step) => (rank[step.status] > rank[worst] ? step.status : worst), 'passed');
    const lastAstId = pickle.astNodeIds[pickle.astNodeIds.length - 1] ?? '';
    const line = pickle.location?.line ?? feature?.lines.get(lastAstId) ?? 0;
    result.scenarios.push({
      anchor: anchorFor(pickle.uri, line),
      uri: pickle.uri,
      line,
      name: pickle.name,
      feature: feature?.name ?? pickle.uri,
      tags: pickle.tags.map((tag) => tag.name),
      status,
      durationMs: Math.max(0, at - attempt.at),
      steps,
      failedStep: steps.find((step) => step.status !== 'passed' && step.status !== 'skipped'),
      seed: attempt.timeline?.seed ?? attempt.seedLog,
      timeline: attempt.timeline,
    });
  }

  result.scenarios.sort((a, b) => a.uri.localeCompare(b.uri) || a.line - b.line || a.name.localeCompare(b.name));
  const byUri = new Map<string, FeatureResult>();
  for (const scenario of result.scenarios) {
    let feature = byUri.get(scenario.uri);
    if (!feature) byUri.set(scenario.uri, (feature = { uri: scenario.uri, name: scenario.feature, scenarios: [] }));
    feature.scenarios.push(scenario);
    if (scenario.status === 'passed') result.counts.passed += 1;
    else if (scenario.status === 'skipped') result.counts.skipped += 1;
    else result.counts.failed += 1;
  }
  result.features = [...byUri.values()];
  return result;
}

/** `features/routing/overflow.feature` line 12 → `features-routing-overflow-feature-12`. */
export function anchorFor(uri: string, line: number): string {
  return `${slug(uri)}-${line}`;
}

/** Lower-case words joined by dashes, safe in file names and HTML ids. */
export function slug(text: string): string {
  return text.toLowerCase().normalize('NFKD').replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 100) || 'scenario';
}

/** `npx handoff run <uri>:<line> --seed <seed>` reproduces one scenario exactly. */
export function reproduceCommand(scenario: Pick<ScenarioResult, 'uri' | 'line' | 'seed'>): string {
  const uri = scenario.uri.split(path.sep).join('/');
  return `npx handoff run ${uri}:${scenario.line}${scenario.seed === undefined ? '' : ` --seed ${scenario.seed}`}`;
}

function lower(status: TestStepResultStatus | string): ScenarioStatus {
  const value = String(status).toLowerCase();
  return (value in rank ? value : 'unknown') as ScenarioStatus;
}

function toMs(timestamp: { seconds: number; nanos: number }): number {
  return timestamp.seconds * 1000 + Math.round(timestamp.nanos / 1e6);
}
