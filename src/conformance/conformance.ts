import * as fs from 'node:fs';
import * as path from 'node:path';
import { http, HttpResponse } from 'msw';
import type { CopilotDefinition, TopicDefinition } from '../copilot/copilot-definition';
import type { CopilotFixtures } from '../copilot/copilot-fixtures';
import { CopilotSession, type PendingInputView } from '../copilot/copilot-session';
import { FormulaRunner, isFormula } from '../copilot/formulas';
import { actionKindStatus } from '../copilot/node-kinds';
import { parseFormula, parseTemplate, PowerFxError, unsupportedCalls } from '../copilot/powerfx';
import { entityKind } from '../copilot/question-entities';
import { copilotFromYaml } from '../copilot/yaml-copilot';
import { discoverCopilots, formatLocation, loadCopilot, nodeKinds, walkDialog, type LoadedCopilot } from '../copilot/yaml';
import { VirtualClock } from '../sim/virtual-clock';

/**
 * `handoff conformance <folder>`: how much of a folder of real exports the harness loads and runs.
 * Every copilot under the folder is loaded; every topic gets a generated smoke conversation through its
 * trigger, with permissive fixtures (any flow, connector, model or skill answers with no outputs, any
 * HTTP call answers `{}`, the customer signs in) and generated answers for whatever it asks; a topic
 * runs to its end when it finishes without a problem. The rest get a located, one-line reason.
 */
export interface ConformanceReport {
  folder: string;
  units: number;
  copilots: number;
  /** Topic files under the folder, judged from their text (root `kind: AdaptiveDialog`, or a topic position). */
  topicFiles: number;
  loadedFiles: number;
  notLoaded: Array<{ file: string; reason: string }>;
  /** Active topics, each smoke-run once; topics switched off in their solution (inactive) are not run, as Copilot Studio does not run them. */
  topics: number;
  inactiveTopics: number;
  ranToEnd: number;
  notRunToEnd: Array<{ file: string; topic: string; reason: string }>;
  /** Nodes of kinds the harness does not run, by kind (loaded topics, counted statically). */
  unsupportedKinds: Record<string, number>;
  /** Calls of functions the Power Fx engine does not implement, by function. */
  unsupportedFunctions: Record<string, number>;
  /** Errors by file: the loader's, and what stopped a smoke run. */
  errorsByFile: Record<string, string[]>;
  /** Redirects to topics outside a loose folder of topic files, which the smoke run skips. */
  absentRedirects: number;
}

const maxAnswers = 25;
const smokeStart = Date.parse('2026-01-05T09:00:00.000Z');

/** Fixtures under which anything a topic calls answers, so the smoke run measures the interpreter. */
export function permissiveFixtures(): CopilotFixtures {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return {
      answers: [{ question: '*', answer: 'A generated answer of the smoke run.' }],
      flows: { '*': { outputs: {} } },
      connectors: { '*': { outputs: {} } },
      aiModels: { '*': { outputs: {} } },
      skills: { '*': { '*': { outputs: {} } } },
      signedIn: true,
      user: { displayName: 'Smoke Test', email: 'smoke@contoso.com', id: '00000000-0000-4000-8000-000000000001' },
      // Environment variables hold base URLs and switches; a URL makes the copilot's HTTP calls well formed.
      environment: { '*': 'https://smoke.contoso.test' },
      httpHandlers: [http.all('*', () => HttpResponse.json({}))],
      source: 'permissive smoke-run fixtures',
    };
  } finally {
    Error.stackTraceLimit = limit;
  }
}

/** An answer the entity recognizes (the rules of src/copilot/question-entities.ts). */
export function sampleAnswer(input: PendingInputView): string {
  if (input.kind === 'card') return '{"submitted": true}';
  if (input.kind === 'csat') return '5';
  const entity = input.entity;
  const kind = entityKind(entity);
  switch (kind) {
    case 'BooleanPrebuiltEntity':
      return 'yes';
    case 'NumberPrebuiltEntity':
    case 'AgePrebuiltEntity':
    case 'MoneyPrebuiltEntity':
    case 'PercentagePrebuiltEntity':
    case 'OrdinalPrebuiltEntity':
      return '5';
    case 'EmailPrebuiltEntity':
    case 'EMailPrebuiltEntity':
      return 'smoke@contoso.com';
    case 'DateTimePrebuiltEntity':
    case 'DatePrebuiltEntity':
    case 'DateTimeNoTimeZonePrebuiltEntity':
      return '2026-01-06';
    case 'PhoneNumberPrebuiltEntity':
      return '+1 425 555 0100';
    case 'URLPrebuiltEntity':
      return 'https://contoso.com';
    case 'EmbeddedEntity': {
      const definition = (entity as { definition?: { items?: Array<{ id?: unknown; displayName?: unknown }> } }).definition;
      const item = definition?.items?.[0];
      return String(item?.displayName ?? item?.id ?? 'first');
    }
    default:
      return 'smoke test answer';
  }
}

/** Runs one topic through its trigger and answers until it ends; undefined when it ran to its end, else why not. */
export async function smokeRun(copilot: CopilotDefinition, topic: TopicDefinition, options: { absentTopics: 'stop' | 'skip' }): Promise<{ reason?: string; absentRedirects: number }> {
  const clock = new VirtualClock(smokeStart);
  const problems: string[] = [];
  let absentRedirects = 0;
  let ids = 0;
  const session = new CopilotSession(
    copilot,
    {
      channelId: 'lcw',
      conversationId: 'smoke',
      now: () => clock.now(),
      setTimeout: (callback, ms) => clock.setTimeout(callback, ms),
      clearTimeout: (handle) => clock.clearTimeout(handle),
      deliver: () => undefined,
      topicTriggered: () => undefined,
      problem: (message) => problems.push(message),
      newId: () => `smoke-${++ids}`,
      record: (fact) => {
        if (fact.kind === 'event.sent' && fact.channel === 'absent-topic') absentRedirects += 1;
      },
    },
    new FormulaRunner(() => clock.now()),
    options,
  );
  session.startTopic(topic);
  await session.idle();
  for (let answers = 0; answers < maxAnswers && problems.length === 0; answers += 1) {
    const waiting = session.waitingFor;
    if (!waiting || session.ended) break;
    session.receiveMessage(sampleAnswer(waiting));
    await session.idle();
  }
  if (problems.length > 0) return { reason: oneLine(problems[0]!), absentRedirects };
  const waiting = session.waitingFor;
  if (waiting && !session.ended) {
    return { reason: `Topic "${waiting.topic}" still waits at node ${waiting.nodeId ?? '(no id)'} after ${maxAnswers} generated answers (a question loop the smoke answers cannot leave).`, absentRedirects };
  }
  return { absentRedirects };
}

/**
 * Loads and smoke-runs every copilot under a folder.
 *
 * @example const report = await runConformance('../shared/corpus/topics');
 */
export async function runConformance(folder: string): Promise<ConformanceReport> {
  const root = path.resolve(folder);
  const units = discoverCopilots(root);
  const loads: LoadedCopilot[] = [];
  for (const unit of units) {
    const copilot = loadCopilot(unit);
    loads.push(copilot);
    for (const bot of copilot.solution?.bots ?? []) {
      if (bot.schemaName.toLowerCase() !== copilot.schemaName.toLowerCase()) loads.push(loadCopilot(unit, { bot: bot.schemaName }));
    }
  }
  const label = (file: string) => path.relative(process.cwd(), file) || file;
  const report: ConformanceReport = {
    folder,
    units: units.length,
    copilots: loads.length,
    topicFiles: 0,
    loadedFiles: 0,
    notLoaded: [],
    topics: 0,
    inactiveTopics: 0,
    ranToEnd: 0,
    notRunToEnd: [],
    unsupportedKinds: {},
    unsupportedFunctions: {},
    errorsByFile: {},
    absentRedirects: 0,
  };
  const addError = (file: string, message: string) => {
    (report.errorsByFile[file] ??= []).push(oneLine(message));
  };

  const loadedFiles = new Set<string>();
  for (const copilot of loads) {
    for (const topic of copilot.topics) loadedFiles.add(path.join(copilot.root, topic.file));
    for (const diagnostic of copilot.diagnostics) {
      if (diagnostic.severity === 'error') addError(label(path.join(copilot.root, diagnostic.location.file)), diagnostic.message);
    }
  }
  const topicFiles = findTopicFiles(root);
  report.topicFiles = topicFiles.length;
  report.loadedFiles = topicFiles.filter((file) => loadedFiles.has(file)).length;
  for (const file of topicFiles.filter((candidate) => !loadedFiles.has(candidate))) report.notLoaded.push({ file: label(file), reason: reasonFor(file, loads) });

  const fixtures = permissiveFixtures();
  for (const loaded of loads) {
    countUnsupported(loaded, report);
    report.inactiveTopics += loaded.topics.filter((topic) => topic.state === 'inactive').length;
    const copilot = copilotFromYaml(loaded, { fixtures });
    const partial = loaded.layout === 'topic-files' || loaded.layout === 'single-topic';
    for (const topic of copilot.topics) {
      report.topics += 1;
      const result = await smokeRun(copilot, topic, { absentTopics: partial ? 'skip' : 'stop' });
      report.absentRedirects += result.absentRedirects;
      if (result.reason === undefined) {
        report.ranToEnd += 1;
        continue;
      }
      const file = topic.file ?? loaded.root;
      report.notRunToEnd.push({ file, topic: topic.name, reason: result.reason });
      addError(file, result.reason);
    }
  }
  return report;
}

function countUnsupported(loaded: LoadedCopilot, report: ConformanceReport): void {
  for (const topic of loaded.topics) {
    for (const node of nodeKinds(topic)) {
      if (node.kind && actionKindStatus(node.kind) !== 'supported') report.unsupportedKinds[node.kind] = (report.unsupportedKinds[node.kind] ?? 0) + 1;
    }
    walkDialog(topic.dialog, (entry) => {
      if (typeof entry.node !== 'object' || entry.node === null) return;
      for (const text of formulaTexts(entry.node as Record<string, unknown>)) {
        try {
          const asts = text.template ? parseTemplate(text.value) : [parseFormula(text.value)];
          for (const ast of asts) {
            for (const problem of unsupportedCalls(ast)) {
              const name = problem.functionName ?? '(unknown)';
              report.unsupportedFunctions[name] = (report.unsupportedFunctions[name] ?? 0) + 1;
            }
          }
        } catch (error) {
          if (!(error instanceof PowerFxError)) throw error;
        }
      }
    });
  }
}

/** The formulas and templates directly on a node (not in its nested action lists, which are walked on their own). */
function formulaTexts(node: Record<string, unknown>): Array<{ value: string; template: boolean }> {
  const texts: Array<{ value: string; template: boolean }> = [];
  const visit = (value: unknown, template: boolean): void => {
    if (typeof value === 'string') {
      if (isFormula(value)) texts.push({ value, template: false });
      else if (template && value.includes('{')) texts.push({ value, template: true });
    } else if (Array.isArray(value)) {
      value.forEach((item) => visit(item, template));
    } else if (value && typeof value === 'object') {
      for (const [key, inner] of Object.entries(value)) if (key !== 'actions' && key !== 'elseActions' && key !== 'conditions') visit(inner, template || key === 'text');
    }
  };
  for (const [key, value] of Object.entries(node)) {
    if (key === 'actions' || key === 'elseActions' || key === 'conditions' || key === 'card') continue;
    visit(value, ['activity', 'prompt', 'unrecognizedPrompt', 'invalidPrompt', 'messageToAgent', 'defaultValueResponse'].includes(key) || (key === 'value' && node['kind'] === 'SetTextVariable'));
  }
  return texts;
}

const rootKindLine = /^kind:[ \t]*(\S+)[ \t]*\r?$/m;

/** Topic files judged from their text alone, so the loader's own view does not decide the denominator. */
function findTopicFiles(root: string): string[] {
  const found: string[] = [];
  const walk = (directory: string) => {
    for (const entry of fs.readdirSync(directory, { withFileTypes: true })) {
      const full = path.join(directory, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== '.git' && entry.name !== 'node_modules') walk(full);
        continue;
      }
      if (!/\.ya?ml$/i.test(entry.name) && !/^data(\.ya?ml)?$/i.test(entry.name)) continue;
      const text = fs.readFileSync(full, 'utf8').replace(/^\uFEFF/, '');
      const rootKind = rootKindLine.exec(text)?.[1];
      const inTopicPosition = /(^|[\\/])topics[\\/]/i.test(path.relative(root, full)) || /\.topic\./i.test(path.basename(directory));
      if (rootKind === 'AdaptiveDialog' || (rootKind === undefined && inTopicPosition)) found.push(full);
    }
  };
  walk(root);
  return found.sort();
}

function reasonFor(file: string, loads: readonly LoadedCopilot[]): string {
  for (const copilot of loads) {
    const relative = path.relative(copilot.root, file).split(path.sep).join('/');
    if (relative.startsWith('..')) continue;
    const error = copilot.diagnostics.find((diagnostic) => diagnostic.location.file === relative && diagnostic.severity === 'error');
    if (error) return oneLine(error.message);
    const component = copilot.components.find((candidate) => candidate.file === relative);
    if (component) return `${formatLocation({ file: relative, line: 1, column: 1 })}: ${component.status} as ${component.kind}: ${component.reason ?? ''}`;
  }
  return `${path.basename(file)}:1:1: not inside any copilot the folder holds (no agent folder, solution or topic folder around it).`;
}

function oneLine(message: string): string {
  return message.replace(/\s*\n\s*/g, ' ');
}
