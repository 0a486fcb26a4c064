import * as fs from 'node:fs';
import * as path from 'node:path';
import { getResponse, http, HttpResponse, type RequestHandler } from 'msw';
import YAML from 'yaml';
import { ScenarioError } from '../sim/errors';

/**
 * What the world outside the copilot answers, for the node kinds that call out (docs/real-topics-census.md
 * §2): generative answers, Power Automate flows, connectors, AI Builder models, skills, sign-in and the
 * copilot's own HTTP back ends. A scenario or a fixture folder gives them; nothing calls a real service.
 */
export interface CopilotFixtures {
  /**
   * Answers of SearchAndSummarizeContent and AnswerQuestionWithAI: the first whose `question` the
   * node's input contains (case-insensitive; `*` matches anything). No match leaves the variable Blank,
   * as a search without result does.
   */
  answers?: Array<{ question: string; answer: string }>;
  /** InvokeFlowAction outputs by `flowId` (in this and the next sections, a `*` entry answers any id). */
  flows?: Record<string, ActionFixture>;
  /** InvokeConnectorAction outputs by `operationId` (or `<connectionReference>/<operationId>`). */
  connectors?: Record<string, ActionFixture>;
  /** InvokeAIBuilderModelAction outputs by `aIModelId`. */
  aiModels?: Record<string, ActionFixture>;
  /** InvokeSkillAction by `skillId`, then `actionId` (`*` answers any). */
  skills?: Record<string, Record<string, SkillActionFixture>>;
  /** OAuthInput: whether the customer of the scenario signs in. */
  signedIn?: boolean;
  /** The signed-in user's profile (System.User.*). */
  user?: Record<string, string>;
  /** Environment variables (`Env.<schema name>`; `*` answers any name the copilot does not define). */
  environment?: Record<string, unknown>;
  /** HttpRequestAction / SendHttpRequest: msw handlers, tried in order. */
  httpHandlers?: RequestHandler[];
  /** Where the fixtures came from, for messages. */
  source?: string;
}

export interface ActionFixture {
  /** Output parameters by name; `output.binding` maps them to variables. */
  outputs?: Record<string, unknown>;
  /** Makes the action fail with this message (runs the OnError topic). */
  error?: string;
}

export interface SkillActionFixture extends ActionFixture {
  /**
   * The action hands the conversation to a live agent, the skill-based handoff of the contact-center
   * sample: it reaches Dynamics 365 like a transfer. `messageToAgent` names the input whose value is the
   * private message.
   */
  handoff?: { messageToAgent?: string };
}

/** A declarative HTTP answer of fixtures.yml: `{ method: GET, url: https://api.contoso.com/orders/*, json: {...} }`. */
export interface HttpFixture {
  method?: string;
  url: string;
  status?: number;
  json?: unknown;
  text?: string;
  headers?: Record<string, string>;
}

export class FixtureError extends ScenarioError {}

/** Sends one request through the fixtures' msw handlers; `undefined` when none answers it. */
export async function fixtureFetch(fixtures: CopilotFixtures | undefined, request: Request): Promise<Response | undefined> {
  const handlers = fixtures?.httpHandlers ?? [];
  if (handlers.length === 0) return undefined;
  return getResponse(handlers, request);
}

/** msw handlers for declarative HTTP fixtures. */
export function httpFixtureHandlers(entries: readonly HttpFixture[]): RequestHandler[] {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0; // msw records a stack per handler only for its own debug output
  try {
    return entries.map((entry) => {
      const method = (entry.method ?? 'GET').toLowerCase();
      const factory = (http as unknown as Record<string, typeof http.get>)[method] ?? http.all;
      return factory(entry.url, (): Response => {
        const init = { status: entry.status ?? 200, ...(entry.headers ? { headers: entry.headers } : {}) };
        if (entry.json !== undefined) return HttpResponse.json(entry.json as never, init);
        return new HttpResponse(entry.text ?? '', init);
      });
    });
  } finally {
    Error.stackTraceLimit = limit;
  }
}

const sections = new Set(['answers', 'flows', 'connectors', 'aiModels', 'skills', 'signedIn', 'user', 'environment', 'http']);

/**
 * Reads a fixture folder: `fixtures.yml` (any of the sections of CopilotFixtures, `http:` as a list of
 * HttpFixture) and, when present, `http-handlers.ts` or `.js` exporting `handlers` (msw handlers of the
 * copilot's own back end). A fixture file that does not read is a FixtureError naming the file and line.
 *
 * @example const fixtures = loadCopilotFixtures('tests/fixtures/copilot-nodes/http-request')
 */
export function loadCopilotFixtures(folder: string): CopilotFixtures {
  const absolute = path.resolve(folder);
  const file = ['fixtures.yml', 'fixtures.yaml'].map((name) => path.join(absolute, name)).find((candidate) => fs.existsSync(candidate));
  const handlersModule = ['http-handlers.ts', 'http-handlers.js'].map((name) => path.join(absolute, name)).find((candidate) => fs.existsSync(candidate));
  if (!file && !handlersModule) {
    throw new FixtureError(
      `Failed to load copilot fixtures from ${folder}: it has no fixtures.yml and no http-handlers.ts. ` +
        'The fixture folder says what flows, connectors, generative answers and HTTP back ends answer. ' +
        'Add fixtures.yml (see features/README.md, "Copilots from YAML") or correct the path.',
    );
  }
  const fixtures: CopilotFixtures = { source: path.relative(process.cwd(), absolute) || '.' };
  if (file) {
    const document = YAML.parseDocument(fs.readFileSync(file, 'utf8').replace(/^\uFEFF/, ''), { prettyErrors: false });
    const relative = path.relative(process.cwd(), file);
    if (document.errors.length > 0) {
      const [first] = document.errors;
      const [line, column] = first?.linePos?.[0] ? [first.linePos[0].line, first.linePos[0].col] : [1, 1];
      throw new FixtureError(
        `Failed to load copilot fixtures ${relative}:${line}:${column}: ${first?.message.split('\n')[0] ?? 'invalid YAML'}. ` +
          'The fixture file must be YAML. Fix the file at that position.',
      );
    }
    const value = document.toJS() as unknown;
    if (value !== null && (typeof value !== 'object' || Array.isArray(value))) {
      throw new FixtureError(`Failed to load copilot fixtures ${relative}:1:1: the file is not a mapping. The fixture file maps sections (answers, flows, http, ...) to their fixtures. Rewrite it as a mapping.`);
    }
    const record = (value ?? {}) as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      if (!sections.has(key)) {
        throw new FixtureError(
          `Failed to load copilot fixtures ${relative}: the section "${key}" is unknown. ` +
            `Fixture files have the sections ${[...sections].join(', ')}. Rename or remove the section.`,
        );
      }
    }
    const { http: httpEntries, ...rest } = record;
    Object.assign(fixtures, rest);
    if (Array.isArray(httpEntries)) fixtures.httpHandlers = httpFixtureHandlers(httpEntries as HttpFixture[]);
  }
  if (handlersModule) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const module = require(handlersModule) as { handlers?: RequestHandler[]; default?: RequestHandler[] };
    const handlers = module.handlers ?? module.default;
    if (!Array.isArray(handlers)) {
      throw new FixtureError(`Failed to load ${path.relative(process.cwd(), handlersModule)}: it exports no \`handlers\` array. The copilot's HTTP calls are answered by the msw handlers it exports. Export them as \`export const handlers = [http.get(...)]\`.`);
    }
    fixtures.httpHandlers = [...handlers, ...(fixtures.httpHandlers ?? [])];
  }
  return fixtures;
}

/** Later fixtures win, section by section; lists are concatenated with the later entries first. */
export function mergeFixtures(...all: Array<CopilotFixtures | undefined>): CopilotFixtures {
  const merged: CopilotFixtures = {};
  for (const fixtures of all) {
    if (!fixtures) continue;
    if (fixtures.answers) merged.answers = [...fixtures.answers, ...(merged.answers ?? [])];
    if (fixtures.httpHandlers) merged.httpHandlers = [...fixtures.httpHandlers, ...(merged.httpHandlers ?? [])];
    for (const key of ['flows', 'connectors', 'aiModels', 'skills', 'user', 'environment'] as const) {
      if (fixtures[key]) merged[key] = { ...(merged[key] as object), ...(fixtures[key] as object) } as never;
    }
    if (fixtures.signedIn !== undefined) merged.signedIn = fixtures.signedIn;
    if (fixtures.source) merged.source = merged.source ? `${merged.source}, ${fixtures.source}` : fixtures.source;
  }
  return merged;
}
