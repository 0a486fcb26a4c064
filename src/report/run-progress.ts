import type { Envelope } from '@cucumber/messages';
import { assertionOf } from './cucumber-reports';
import { reproduceCommand, type RunResult } from './run-result';

export interface ProgressOutput {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

/**
 * Progress of a run from its message stream. In a terminal one line rewrites itself: scenarios done of
 * the total, failures so far, the feature running. In CI (`CI=true`) or into a pipe or file: one line
 * per feature once all its scenarios finished, nothing else.
 */
export class RunProgress {
  readonly #out: ProgressOutput;
  readonly #live: boolean;
  readonly #uriOfPickle = new Map<string, string>();
  readonly #uriOfTestCase = new Map<string, string>();
  readonly #uriOfAttempt = new Map<string, string>();
  readonly #failedAttempts = new Set<string>();
  readonly #features = new Map<string, { name: string; total: number; done: number; failed: number }>();
  #total = 0;
  #done = 0;
  #failed = 0;
  #drawn = false;

  constructor(out: ProgressOutput, options: { ci?: boolean } = {}) {
    this.#out = out;
    this.#live = Boolean(out.isTTY) && !options.ci;
  }

  update(envelope: Envelope): void {
    if (envelope.gherkinDocument?.uri && envelope.gherkinDocument.feature) {
      this.#feature(envelope.gherkinDocument.uri).name = envelope.gherkinDocument.feature.name;
    } else if (envelope.pickle) this.#uriOfPickle.set(envelope.pickle.id, envelope.pickle.uri);
    else if (envelope.testCase) {
      const uri = this.#uriOfPickle.get(envelope.testCase.pickleId) ?? '?';
      this.#uriOfTestCase.set(envelope.testCase.id, uri);
      this.#feature(uri).total += 1;
      this.#total += 1;
    } else if (envelope.testCaseStarted) {
      const uri = this.#uriOfTestCase.get(envelope.testCaseStarted.testCaseId) ?? '?';
      this.#uriOfAttempt.set(envelope.testCaseStarted.id, uri);
      if (this.#live) this.#draw(uri);
    } else if (envelope.testStepFinished) {
      const status = envelope.testStepFinished.testStepResult.status;
      if (status !== 'PASSED' && status !== 'SKIPPED') this.#failedAttempts.add(envelope.testStepFinished.testCaseStartedId);
    } else if (envelope.testCaseFinished && !envelope.testCaseFinished.willBeRetried) {
      const attempt = envelope.testCaseFinished.testCaseStartedId;
      const uri = this.#uriOfAttempt.get(attempt) ?? '?';
      const feature = this.#feature(uri);
      const failed = this.#failedAttempts.has(attempt);
      feature.done += 1;
      this.#done += 1;
      if (failed) {
        feature.failed += 1;
        this.#failed += 1;
      }
      if (this.#live) this.#draw(uri);
      else if (feature.done === feature.total) {
        this.#out.write(`${feature.failed > 0 ? 'FAIL' : 'ok  '} ${uri}  ${feature.total} scenario${feature.total === 1 ? '' : 's'}${feature.failed > 0 ? `, ${feature.failed} failed` : ''}\n`);
      }
    }
  }

  /** Clears the live line, so what follows starts on a clean line. */
  finish(): void {
    if (this.#drawn) this.#out.write('\r\x1b[K');
    this.#drawn = false;
  }

  get counts(): { total: number; done: number; failed: number } {
    return { total: this.#total, done: this.#done, failed: this.#failed };
  }

  #draw(uri: string): void {
    const feature = this.#features.get(uri);
    const line = `${this.#done}/${this.#total} scenarios · ${this.#failed} failed · ${feature?.name || uri}`;
    const width = Math.max(20, (this.#out.columns || 100) - 1);
    this.#out.write(`\r\x1b[K${line.length > width ? `${line.slice(0, width - 1)}…` : line}`);
    this.#drawn = true;
  }

  #feature(uri: string): { name: string; total: number; done: number; failed: number } {
    let feature = this.#features.get(uri);
    if (!feature) this.#features.set(uri, (feature = { name: '', total: 0, done: 0, failed: 0 }));
    return feature;
  }
}

/** `CI=true` (GitHub Actions, Azure Pipelines and most others set it); `CI=false` or `0` does not count. */
export function isCi(environment: NodeJS.ProcessEnv = process.env): boolean {
  const value = environment['CI'];
  return value !== undefined && value !== '' && value !== '0' && value.toLowerCase() !== 'false';
}

/** What the console says about each failed scenario after a run: where, which step, why, and how to rerun it. */
export function failureSummary(run: RunResult): string[] {
  const lines: string[] = [];
  for (const scenario of run.scenarios) {
    if (scenario.status === 'passed' || scenario.status === 'skipped') continue;
    const step = scenario.failedStep;
    lines.push(`✗ ${scenario.uri}:${scenario.line} ${scenario.name}`);
    if (step) {
      lines.push(`    ${step.hook ? step.text : `${step.keyword} ${step.text}`} (${step.status})`);
      const assertion = step.message ? assertionOf(step.message).split('\n').slice(0, 6) : [];
      for (const line of assertion) lines.push(`      ${line}`);
    }
    lines.push(`    reproduce: ${reproduceCommand(scenario)}`);
  }
  return lines;
}
