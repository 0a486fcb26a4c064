import { EventEmitter } from 'node:events';
import { createRequire } from 'node:module';
import path from 'node:path';
import { JsonFormatter, formatterHelpers } from '@cucumber/cucumber';
import type { Envelope, FeatureChild, RuleChild, TestStepResult } from '@cucumber/messages';
import { writeFileAtomic } from './atomic-write';

/** The file names of cucumber's own reports inside a reports folder. */
export const cucumberReportFiles = {
  html: 'cucumber-report.html',
  json: 'cucumber-report.json',
  junit: 'junit.xml',
  messages: 'messages.ndjson',
} as const;

export interface CucumberReportOptions {
  /** `<testsuite name>` of the JUnit XML. */
  suiteName?: string;
}

/**
 * Feeds a finished message stream to cucumber's own formatters (html, json, junit, message) and writes
 * each report atomically. The run collects the stream instead of letting cucumber write the files, so
 * the same code writes a serial run, a merge of shards and what an interrupted run had finished, and
 * every message has been redacted before any formatter sees it.
 */
export async function writeCucumberReports(folder: string, envelopes: readonly Envelope[], options: CucumberReportOptions = {}): Promise<void> {
  writeFileAtomic(path.join(folder, cucumberReportFiles.messages), renderMessages(envelopes));
  writeFileAtomic(path.join(folder, cucumberReportFiles.json), renderJson(envelopes));
  writeFileAtomic(path.join(folder, cucumberReportFiles.junit), renderJunit(envelopes, options.suiteName ?? 'handoff-harness'));
  writeFileAtomic(path.join(folder, cucumberReportFiles.html), await renderHtml(envelopes));
}

export function renderMessages(envelopes: readonly Envelope[]): string {
  let out = '';
  const plugin = loadCucumberFormatter<{ formatter(context: { on: (event: 'message', handler: (envelope: Envelope) => void) => void; write: (chunk: string) => void }): void }>('lib/formatter/builtin/message');
  let handler: ((envelope: Envelope) => void) | undefined;
  plugin.formatter({ on: (_event, listener) => (handler = listener), write: (chunk) => (out += chunk) });
  for (const envelope of envelopes) handler?.(envelope);
  return out;
}

export async function renderHtml(envelopes: readonly Envelope[]): Promise<string> {
  const chunks: string[] = [];
  type HtmlPlugin = { formatter(context: { on: (event: 'message', handler: (envelope: Envelope) => void) => void; options: object; write: (chunk: string) => void; directory?: string }): Promise<() => Promise<void>> };
  const plugin = loadCucumberFormatter<HtmlPlugin>('lib/formatter/builtin/html');
  let handler: ((envelope: Envelope) => void) | undefined;
  const finish = await plugin.formatter({ on: (_event, listener) => (handler = listener), options: {}, write: (chunk) => chunks.push(String(chunk)) });
  for (const envelope of envelopes) handler?.(envelope);
  await finish();
  return chunks.join('');
}

/** Cucumber's legacy JSON report (the shape Xray and the cucumber report viewers import). */
export function renderJson(envelopes: readonly Envelope[]): string {
  const eventBroadcaster = new EventEmitter();
  const eventDataCollector = new formatterHelpers.EventDataCollector(eventBroadcaster);
  // The JSON formatter names each step's definition by location; the stream says where each one lives.
  const stepDefinitions = envelopes
    .filter((envelope) => envelope.stepDefinition)
    .map(({ stepDefinition }) => ({ id: stepDefinition!.id, uri: stepDefinition!.sourceReference.uri, line: stepDefinition!.sourceReference.location?.line }));
  let out = '';
  const options = { eventBroadcaster, eventDataCollector, log: (text: string | Uint8Array) => (out += String(text)), supportCodeLibrary: { stepDefinitions }, cwd: process.cwd(), parsedArgvOptions: {} };
  new JsonFormatter(options as unknown as ConstructorParameters<typeof JsonFormatter>[0]);
  for (const envelope of envelopes) eventBroadcaster.emit('envelope', envelope);
  return out;
}

/**
 * Cucumber's JUnit XML: one testcase per scenario, its steps in `<system-out>`. What it lacks is
 * filled in on the messages it reads, not by rewriting its XML: the failure message names the failing
 * step and keeps only the assertion (the full text and the timeline slice stay in the element body),
 * and an undefined step, which has no exception, gets a message saying so.
 */
export function renderJunit(envelopes: readonly Envelope[], suiteName: string): string {
  type Printer = { update(envelope: Envelope): void };
  const { JUnitXmlPrinter } = loadFromCucumber<{ JUnitXmlPrinter: new (options: { suiteName?: string }, write: (xml: string) => void) => Printer }>('@cucumber/junit-xml-formatter');
  let xml = '';
  const printer = new JUnitXmlPrinter({ suiteName }, (text) => (xml += text));
  for (const envelope of withFailingStepNamed(envelopes)) printer.update(envelope);
  return xml;
}

/** The assertion part of a failure message: the harness appends the timeline slice after this marker. */
export function assertionOf(message: string): string {
  const cut = message.indexOf('\n  timeline (virtual time):');
  return (cut === -1 ? message : message.slice(0, cut)).trimEnd();
}

function withFailingStepNamed(envelopes: readonly Envelope[]): Envelope[] {
  const stepText = new Map<string, { text: string; astNodeId: string }>();
  const keywords = new Map<string, { keyword: string; line: number }>();
  const pickleStepOfTestStep = new Map<string, string>();
  return envelopes.map((envelope) => {
    if (envelope.gherkinDocument?.feature) {
      const visit = (children: ReadonlyArray<FeatureChild | RuleChild>): void => {
        for (const child of children) {
          for (const step of [...(child.background?.steps ?? []), ...(child.scenario?.steps ?? [])]) keywords.set(step.id, { keyword: step.keyword.trim(), line: step.location.line });
          if ('rule' in child && child.rule) visit(child.rule.children);
        }
      };
      visit(envelope.gherkinDocument.feature.children);
    }
    if (envelope.pickle) for (const step of envelope.pickle.steps) stepText.set(step.id, { text: step.text, astNodeId: step.astNodeIds[0] ?? '' });
    if (envelope.testCase) for (const step of envelope.testCase.testSteps) if (step.pickleStepId) pickleStepOfTestStep.set(step.id, step.pickleStepId);
    const finished = envelope.testStepFinished;
    if (!finished || finished.testStepResult.status === 'PASSED' || finished.testStepResult.status === 'SKIPPED') return envelope;
    const step = stepText.get(pickleStepOfTestStep.get(finished.testStepId) ?? '');
    const where = step ? keywords.get(step.astNodeId) : undefined;
    const name = step ? `Step "${where ? `${where.keyword} ` : ''}${step.text}"${where ? ` (line ${where.line})` : ''}` : 'A hook';
    const result: TestStepResult = finished.testStepResult;
    const original = result.exception?.message ?? result.message ?? '';
    const status = result.status.toLowerCase();
    const message = original ? `${name} failed: ${assertionOf(original)}` : `${name} is ${status}: no step definition runs it.`;
    const exception = { type: result.exception?.type ?? `${status} step`, message, stackTrace: result.exception?.stackTrace ?? (original || message) };
    return { ...envelope, testStepFinished: { ...finished, testStepResult: { ...result, exception } } };
  });
}

const cucumberRequire = createRequire(require.resolve('@cucumber/cucumber'));

/** A module that ships inside @cucumber/cucumber (its formatters), resolved from cucumber's own folder. */
function loadFromCucumber<T>(specifier: string): T {
  return cucumberRequire(specifier) as T;
}

function loadCucumberFormatter<T>(file: string): T {
  return (cucumberRequire(`@cucumber/cucumber/${file}`) as { default: T }).default;
}
