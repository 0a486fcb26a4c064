import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import type { InlineInactivityTopic, InlineTopic } from '../copilot/inline-copilot';
import { channelOptions } from '../copilot/inline-copilot';
import { parseDuration } from '../sim/durations';
import { Harness } from '../harness/harness';
import type { Presence } from '../model/agent.machine';
import { defaultStartInstant, type Simulation } from '../sim/simulation';
import { ScenarioError } from '../sim/errors';

/** What `handoff serve` simulates: one copilot and one contact center, shared by every client that connects. */
export interface ServeScenario {
  seed: number;
  /** The virtual instant the server starts at. */
  /** The virtual start instant; absent, serve starts at the wall clock's now, so real browsers accept its tokens. */
  startAt?: string;
  copilot: {
    name: string;
    greeting?: string;
    topics: ServeTopic[];
    inactivity: ServeInactivityTopic[];
  };
  contactCenter: {
    workStream: { name?: string; fallbackQueue?: string; copilotFirstResponder?: boolean };
    queues: Array<{ name: string; priority?: number; assignment?: 'highest capacity' | 'round robin' }>;
    rules: Array<{ name: string; condition: string; queue: string }>;
    agents: Array<{ name: string; queues: string[]; presence?: Presence; capacity?: number }>;
  };
}

export interface ServeTopic {
  name: string;
  phrases: string[];
  reply?: string;
  /** Global variables the topic sets, by bare name. */
  sets?: Record<string, string | number | boolean>;
  then?: 'transfer to agent' | 'end conversation';
  messageToAgent?: string;
}

export interface ServeInactivityTopic {
  name: string;
  /** "5 minutes", "30 seconds". */
  inactiveFor: string;
  /** "Dynamics 365", "Direct Line", ... or "any". */
  channel?: string;
  message: string;
  then?: 'end conversation';
}

/**
 * The scenario `handoff serve` runs without `--config`: a copilot with a greeting, a billing topic, an
 * Escalate topic that transfers, and the "Session Timeout Reminder" / "Session Timeout" topics of a
 * copilot created from Dynamics 365 (copilot-protocol.md §7.1); a contact center with a billing queue,
 * a general queue, a rule between them and two available agents.
 */
export function defaultServeScenario(): ServeScenario {
  return {
    seed: 1,
    copilot: {
      name: 'Contoso Assistant',
      greeting: "Hello, I'm Contoso Assistant, a virtual assistant. Ask me about your bill, or say \"talk to a person\".",
      topics: [
        {
          name: 'Billing',
          phrases: ['billing', 'my bill', 'invoice', 'I have a billing question', 'I was charged twice'],
          reply: 'I can help with billing. Your latest invoice is under Account > Billing. Anything else?',
          sets: { Department: 'Billing' },
        },
        {
          name: 'Escalate',
          phrases: ['talk to a person', 'speak to an agent', 'talk to an agent', 'human', 'agent please'],
          reply: 'Let me connect you with an agent.',
          then: 'transfer to agent',
          messageToAgent: 'The customer asked for an agent.',
        },
      ],
      inactivity: [
        { name: 'Session Timeout Reminder', inactiveFor: '5 minutes', channel: 'Dynamics 365', message: 'Are you still there?' },
        { name: 'Session Timeout', inactiveFor: '10 minutes', channel: 'Dynamics 365', message: 'This chat is closing because of inactivity.', then: 'end conversation' },
      ],
    },
    contactCenter: {
      workStream: { name: 'Live chat', fallbackQueue: 'General', copilotFirstResponder: true },
      queues: [
        { name: 'Billing', priority: 5, assignment: 'highest capacity' },
        { name: 'General', priority: 10, assignment: 'highest capacity' },
      ],
      rules: [{ name: 'Billing questions', condition: 'Department = "Billing"', queue: 'Billing' }],
      agents: [
        { name: 'Alice', queues: ['Billing', 'General'], presence: 'Available', capacity: 2 },
        { name: 'Bob', queues: ['General'], presence: 'Available', capacity: 1 },
      ],
    },
  };
}

export class ServeConfigError extends ScenarioError {}

/**
 * Reads a scenario file (`.json`, `.yaml` or `.yml`; JSON is read as YAML, which it is a subset of).
 * A section the file gives (`copilot`, `contactCenter`) replaces the default section as a whole; `seed`
 * and `startAt` replace one value each. Every error names the file, the line and the field.
 */
export function loadServeScenario(file: string): ServeScenario {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new ServeConfigError(`Cannot read the scenario file ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}. handoff serve reads its scenario from --config. Check the path.`);
  }
  return parseServeScenario(text, path.basename(file));
}

export function parseServeScenario(text: string, fileName: string): ServeScenario {
  const lineCounter = new YAML.LineCounter();
  const document = YAML.parseDocument(text, { lineCounter, prettyErrors: true });
  const [syntax] = document.errors;
  if (syntax) {
    const at = syntax.linePos?.[0];
    throw new ServeConfigError(`${fileName}${at ? `:${at.line}:${at.col}` : ''}: the file is not valid JSON or YAML (${syntax.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')}). handoff serve cannot read a scenario from it. Fix the syntax at that position.`);
  }
  // A missing field is reported where its nearest enclosing field is.
  const where = (fieldPath: Array<string | number>): string => {
    for (let length = fieldPath.length; length > 0; length -= 1) {
      const node = document.getIn(fieldPath.slice(0, length), true) as { range?: [number, number, number] } | undefined;
      if (node?.range) {
        const position = lineCounter.linePos(node.range[0]);
        return `${fileName}:${position.line}:${position.col}`;
      }
    }
    return fileName;
  };
  return new ScenarioReader(fileName, where).read(document.toJS() as unknown);
}

/** Builds the simulation through the harness's own configuration verbs, so serve and the features share one set of rules. */
export function buildServeSimulation(scenario: ServeScenario, source = 'the default scenario', startsAtWhenUnset = defaultStartInstant): Simulation {
  const startAt = scenario.startAt === undefined ? startsAtWhenUnset : Date.parse(scenario.startAt);
  const harness = new Harness({ seed: scenario.seed, startAt });
  try {
    harness.defineCopilot(scenario.copilot.name, scenario.copilot.topics.map(inlineTopic));
    if (scenario.copilot.greeting) harness.setGreeting(scenario.copilot.greeting);
    harness.addInactivityTopics(scenario.copilot.inactivity.map(inlineInactivity));
    const { workStream, queues, rules, agents } = scenario.contactCenter;
    harness.configureWorkStream({
      ...(workStream.name ? { name: workStream.name } : {}),
      ...(workStream.fallbackQueue ? { fallbackQueue: workStream.fallbackQueue } : {}),
      ...(workStream.copilotFirstResponder === undefined ? {} : { copilotFirstResponder: workStream.copilotFirstResponder }),
    });
    harness.addQueues(queues.map((queue) => ({ name: queue.name, priority: queue.priority ?? 10, assignment: queue.assignment ?? 'highest capacity' })));
    harness.addRoutingRules(rules);
    harness.addAgents(agents.map((agent) => ({ name: agent.name, queues: agent.queues, presence: agent.presence ?? 'Available', capacity: agent.capacity ?? 1 })));
    return harness.sim;
  } catch (error) {
    if (error instanceof ScenarioError) throw new ServeConfigError(`${source}: ${error.message}`);
    throw error;
  }
}

function inlineTopic(topic: ServeTopic): InlineTopic {
  return {
    name: topic.name,
    phrases: topic.phrases,
    reply: topic.reply,
    // Numbers and booleans become Power Fx literals, so the copilot stores them typed (copilot-topic-yaml.md §3.3).
    sets: Object.entries(topic.sets ?? {}).map(([variable, value]) => ({ variable, value: typeof value === 'string' ? value : `=${String(value)}` })),
    then: topic.then,
    messageToAgent: topic.messageToAgent,
  };
}

function inlineInactivity(topic: ServeInactivityTopic): InlineInactivityTopic {
  const channel = topic.channel && topic.channel.toLowerCase() !== 'any' ? topic.channel : undefined;
  return { name: topic.name, seconds: parseDuration(topic.inactiveFor) / 1000, channel, message: topic.message, endsConversation: topic.then === 'end conversation' };
}

type FieldPath = Array<string | number>;

/** Reads the parsed file field by field; each error says which field, what it holds, what it should hold. */
class ScenarioReader {
  readonly #file: string;
  readonly #where: (fieldPath: FieldPath) => string;

  constructor(file: string, where: (fieldPath: FieldPath) => string) {
    this.#file = file;
    this.#where = where;
  }

  read(root: unknown): ServeScenario {
    const scenario = defaultServeScenario();
    if (root === null || root === undefined) return scenario;
    const top = this.#object(root, [], ['seed', 'startAt', 'copilot', 'contactCenter']);
    if (top['seed'] !== undefined) scenario.seed = this.#wholeNumber(top['seed'], ['seed']);
    if (top['startAt'] !== undefined) {
      const startAt = this.#string(top['startAt'], ['startAt']);
      if (Number.isNaN(Date.parse(startAt))) this.#fail(['startAt'], startAt, 'It must be an ISO-8601 instant such as "2026-01-05T09:00:00Z"');
      scenario.startAt = new Date(Date.parse(startAt)).toISOString();
    }
    if (top['copilot'] !== undefined) scenario.copilot = this.#copilot(top['copilot'], ['copilot']);
    if (top['contactCenter'] !== undefined) scenario.contactCenter = this.#contactCenter(top['contactCenter'], ['contactCenter']);
    return scenario;
  }

  #copilot(value: unknown, at: FieldPath): ServeScenario['copilot'] {
    const copilot = this.#object(value, at, ['name', 'greeting', 'topics', 'inactivity']);
    return {
      name: this.#string(copilot['name'], [...at, 'name']),
      greeting: copilot['greeting'] === undefined ? undefined : this.#string(copilot['greeting'], [...at, 'greeting']),
      topics: this.#list(copilot['topics'], [...at, 'topics']).map((topic, index) => this.#topic(topic, [...at, 'topics', index])),
      inactivity: this.#list(copilot['inactivity'], [...at, 'inactivity']).map((topic, index) => this.#inactivity(topic, [...at, 'inactivity', index])),
    };
  }

  #topic(value: unknown, at: FieldPath): ServeTopic {
    const topic = this.#object(value, at, ['name', 'phrases', 'reply', 'sets', 'then', 'messageToAgent']);
    const phrases = this.#strings(topic['phrases'], [...at, 'phrases']);
    if (phrases.length === 0) this.#fail([...at, 'phrases'], topic['phrases'], 'A topic needs at least one trigger phrase');
    const then = topic['then'] === undefined ? undefined : this.#string(topic['then'], [...at, 'then']);
    if (then !== undefined && then !== 'transfer to agent' && then !== 'end conversation') this.#fail([...at, 'then'], then, 'It is "transfer to agent" or "end conversation"');
    let sets: ServeTopic['sets'];
    if (topic['sets'] !== undefined) {
      const raw = this.#object(topic['sets'], [...at, 'sets']);
      sets = {};
      for (const [name, setting] of Object.entries(raw)) {
        if (!/^[A-Za-z_][\w]*$/.test(name)) this.#fail([...at, 'sets', name], name, 'Variable names are letters, digits and "_", starting with a letter');
        if (typeof setting !== 'string' && typeof setting !== 'number' && typeof setting !== 'boolean') this.#fail([...at, 'sets', name], setting, 'A value is text, a number or true/false');
        sets[name] = setting as string | number | boolean;
      }
    }
    return {
      name: this.#string(topic['name'], [...at, 'name']),
      phrases,
      reply: topic['reply'] === undefined ? undefined : this.#string(topic['reply'], [...at, 'reply']),
      sets,
      then: then as ServeTopic['then'],
      messageToAgent: topic['messageToAgent'] === undefined ? undefined : this.#string(topic['messageToAgent'], [...at, 'messageToAgent']),
    };
  }

  #inactivity(value: unknown, at: FieldPath): ServeInactivityTopic {
    const topic = this.#object(value, at, ['name', 'inactiveFor', 'channel', 'message', 'then']);
    const inactiveFor = this.#string(topic['inactiveFor'], [...at, 'inactiveFor']);
    try {
      parseDuration(inactiveFor);
    } catch {
      this.#fail([...at, 'inactiveFor'], inactiveFor, 'It is a duration such as "5 minutes" or "30 seconds"');
    }
    const channel = topic['channel'] === undefined ? undefined : this.#string(topic['channel'], [...at, 'channel']);
    if (channel !== undefined && channel.toLowerCase() !== 'any' && !channelOptions[channel.toLowerCase()]) {
      this.#fail([...at, 'channel'], channel, `Known channels are ${Object.keys(channelOptions).map((c) => `"${c}"`).join(', ')} or "any"`);
    }
    const then = topic['then'] === undefined ? undefined : this.#string(topic['then'], [...at, 'then']);
    if (then !== undefined && then !== 'end conversation') this.#fail([...at, 'then'], then, 'It is "end conversation" or left out');
    return { name: this.#string(topic['name'], [...at, 'name']), inactiveFor, channel, message: this.#string(topic['message'], [...at, 'message']), then: then as ServeInactivityTopic['then'] };
  }

  #contactCenter(value: unknown, at: FieldPath): ServeScenario['contactCenter'] {
    const center = this.#object(value, at, ['workStream', 'queues', 'rules', 'agents']);
    const stream = center['workStream'] === undefined ? {} : this.#object(center['workStream'], [...at, 'workStream'], ['name', 'fallbackQueue', 'copilotFirstResponder']);
    return {
      workStream: {
        name: stream['name'] === undefined ? undefined : this.#string(stream['name'], [...at, 'workStream', 'name']),
        fallbackQueue: stream['fallbackQueue'] === undefined ? undefined : this.#string(stream['fallbackQueue'], [...at, 'workStream', 'fallbackQueue']),
        copilotFirstResponder: stream['copilotFirstResponder'] === undefined ? undefined : this.#boolean(stream['copilotFirstResponder'], [...at, 'workStream', 'copilotFirstResponder']),
      },
      queues: this.#list(center['queues'], [...at, 'queues']).map((item, index) => {
        const here = [...at, 'queues', index];
        const queue = this.#object(item, here, ['name', 'priority', 'assignment']);
        const assignment = queue['assignment'] === undefined ? undefined : this.#string(queue['assignment'], [...here, 'assignment']);
        if (assignment !== undefined && assignment !== 'highest capacity' && assignment !== 'round robin') this.#fail([...here, 'assignment'], assignment, 'It is "highest capacity" or "round robin"');
        return {
          name: this.#string(queue['name'], [...here, 'name']),
          priority: queue['priority'] === undefined ? undefined : this.#wholeNumber(queue['priority'], [...here, 'priority']),
          assignment: assignment as 'highest capacity' | 'round robin' | undefined,
        };
      }),
      rules: this.#list(center['rules'], [...at, 'rules']).map((item, index) => {
        const here = [...at, 'rules', index];
        const rule = this.#object(item, here, ['name', 'condition', 'queue']);
        return { name: this.#string(rule['name'], [...here, 'name']), condition: this.#string(rule['condition'], [...here, 'condition']), queue: this.#string(rule['queue'], [...here, 'queue']) };
      }),
      agents: this.#list(center['agents'], [...at, 'agents']).map((item, index) => {
        const here = [...at, 'agents', index];
        const agent = this.#object(item, here, ['name', 'queues', 'presence', 'capacity']);
        const presence = agent['presence'] === undefined ? undefined : this.#string(agent['presence'], [...here, 'presence']);
        const presences: Presence[] = ['Available', 'Busy', 'Busy-DND', 'Away', 'Offline', 'Inactive'];
        if (presence !== undefined && !presences.includes(presence as Presence)) this.#fail([...here, 'presence'], presence, `It is one of ${presences.join(', ')}`);
        const queues = this.#strings(agent['queues'], [...here, 'queues']);
        if (queues.length === 0) this.#fail([...here, 'queues'], agent['queues'], 'An agent is a member of at least one queue');
        return {
          name: this.#string(agent['name'], [...here, 'name']),
          queues,
          presence: presence as Presence | undefined,
          capacity: agent['capacity'] === undefined ? undefined : this.#wholeNumber(agent['capacity'], [...here, 'capacity']),
        };
      }),
    };
  }

  #object(value: unknown, at: FieldPath, known?: string[]): Record<string, unknown> {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) this.#fail(at, value, 'It must be a mapping of settings');
    const record = value as Record<string, unknown>;
    if (known) {
      for (const key of Object.keys(record)) {
        if (!known.includes(key)) {
          throw new ServeConfigError(`${this.#where([...at, key])}: ${name([...at, key])} is not a setting. The settings here are ${known.join(', ')}. Fix or remove the field in ${this.#file}.`);
        }
      }
    }
    return record;
  }

  #list(value: unknown, at: FieldPath): unknown[] {
    if (value === undefined) return [];
    if (!Array.isArray(value)) this.#fail(at, value, 'It must be a list');
    return value as unknown[];
  }

  #string(value: unknown, at: FieldPath): string {
    if (typeof value !== 'string' || value.trim() === '') this.#fail(at, value, 'It must be a non-empty text');
    return value as string;
  }

  /** A list of texts, or one text with items separated by ";" as in the feature tables. */
  #strings(value: unknown, at: FieldPath): string[] {
    if (typeof value === 'string') return value.split(';').map((part) => part.trim()).filter(Boolean);
    return this.#list(value, at).map((item, index) => this.#string(item, [...at, index]));
  }

  #wholeNumber(value: unknown, at: FieldPath): number {
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) this.#fail(at, value, 'It must be a whole number of 0 or more');
    return value as number;
  }

  #boolean(value: unknown, at: FieldPath): boolean {
    if (typeof value !== 'boolean') this.#fail(at, value, 'It must be true or false');
    return value as boolean;
  }

  #fail(at: FieldPath, value: unknown, expected: string): never {
    const shown = value === undefined ? 'missing' : `${JSON.stringify(value)}`;
    throw new ServeConfigError(`${this.#where(at)}: ${name(at)} is ${shown}. ${expected}. Fix that field in ${this.#file}.`);
  }
}

/** `['copilot', 'topics', 1, 'then']` → `copilot.topics[1].then`. */
function name(at: FieldPath): string {
  return at.map((part, index) => (typeof part === 'number' ? `[${part}]` : index === 0 ? part : `.${part}`)).join('') || '(the file)';
}
