/**
 * The configuration a recording is replayed against: the copilot, the queues, the routing rules and
 * the agents, in the words of the feature tables (features/README.md). `handoff import` reconstructs it
 * from a recording (plan.ts); a team edits it, or replaces the copilot with its own folder
 * (`--copilot`), to see where its configuration would diverge from what happened in production.
 *
 * The JSON file (`<recording>.setup.json`, or a feature's `<feature>.copilot.json` fixture) has the
 * shape of `ReplaySetup`; docs/replay.md describes it.
 */
import { readFileSync } from 'node:fs';
import type { ActionNode, CopilotDefinition } from '../copilot/copilot-definition';
import { defineInlineCopilot } from '../copilot/inline-copilot';
import type { Harness } from '../harness/harness';
import { parseDuration } from '../sim/durations';
import type { Presence } from '../model/agent.machine';
import { ScenarioError } from '../sim/errors';

export interface SetupTopic {
  topic: string;
  /** Each phrase whole: unlike a table cell, commas and semicolons do not split it. */
  'trigger phrases': string[];
  /** One message each, in order; none for a topic that answers nothing. */
  replies?: string[];
  /** Global variables the topic sets, by bare name (`Department`), before it transfers. */
  sets?: Record<string, string>;
  then?: 'transfer to agent' | 'end conversation';
  'message to agent'?: string;
}

export interface SetupInactivityTopic {
  topic: string;
  /** A `{duration}`: `5 minutes`, `90 seconds`. */
  'inactive for': string;
  message: string;
  /** `Dynamics 365`, `Direct Line`, `Teams`; absent for any channel. */
  channel?: string;
  then?: 'end conversation';
}

export interface SetupCopilot {
  name: string;
  /** The copilot's language as va_Language reports it (`en-US`); default `en-us`. */
  language?: string;
  /** The copilot's messages when the chat starts, in order. */
  greeting?: string[];
  topics: SetupTopic[];
  inactivity?: SetupInactivityTopic[];
}

export interface SetupQueue {
  queue: string;
  /** Smaller is higher; default 10, as in the queues table. */
  priority?: number;
}

export interface SetupRoutingRule {
  rule: string;
  condition: string;
  queue: string;
}

export interface SetupAgent {
  agent: string;
  queues: string[];
  /** Default Available. Reconstructed agents start Offline and become Available when the recording says they joined. */
  presence?: Presence;
  capacity?: number;
}

export interface ReplaySetup {
  format: 'handoff-replay-setup';
  version: 1;
  copilot?: SetupCopilot;
  queues?: SetupQueue[];
  'routing rules'?: SetupRoutingRule[];
  agents?: SetupAgent[];
  /** The work stream's fallback queue; default the last queue listed. */
  'fallback queue'?: string;
}

export const setupFormat = 'handoff-replay-setup';

/** A setup file that cannot be used; the message names the file and the field. */
export class ReplaySetupError extends ScenarioError {}

const presences: readonly Presence[] = ['Available', 'Busy', 'Busy-DND', 'Away', 'Offline', 'Inactive'];

/**
 * Reads and checks a setup file.
 *
 * @throws ReplaySetupError naming the file and the field that is wrong.
 * @example
 * const setup = readSetupFile('recordings/billing.setup.json');
 * applySetup(harness, setup);
 */
export function readSetupFile(file: string): ReplaySetup {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ReplaySetupError(
      `Failed to read the replay setup ${file}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'the file does not exist' : (error as Error).message}. ` +
        'Check the path, or write one with: handoff import <recording> --setup <file>.',
    );
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new ReplaySetupError(`Failed to read the replay setup ${file}: it is not JSON (${(error as Error).message}). Fix the JSON, or write the file again with: handoff import <recording> --setup <file>.`);
  }
  return checkSetup(data, file);
}

/**
 * Checks that `data` has the shape of a setup, field by field.
 *
 * @throws ReplaySetupError naming `file` and the first wrong field (`copilot.topics[2].replies`).
 */
export function checkSetup(data: unknown, file: string): ReplaySetup {
  const fail = (field: string, why: string): never => {
    throw new ReplaySetupError(`The replay setup ${file} has a wrong field ${field}: ${why}. Fix that field; docs/replay.md shows the shape of a setup file.`);
  };
  const record = (value: unknown, field: string): Record<string, unknown> =>
    value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : fail(field, 'it must be an object');
  const text = (value: unknown, field: string): string => (typeof value === 'string' && value.trim() !== '' ? value : fail(field, 'it must be a text that is not empty'));
  const optionalText = (value: unknown, field: string): string | undefined => (value === undefined ? undefined : typeof value === 'string' ? value : fail(field, 'it must be a text'));
  const texts = (value: unknown, field: string): string[] =>
    Array.isArray(value) ? value.map((item, index) => (typeof item === 'string' ? item : fail(`${field}[${index}]`, 'it must be a text'))) : fail(field, 'it must be a list of texts');
  const list = (value: unknown, field: string): unknown[] => (value === undefined ? [] : Array.isArray(value) ? value : fail(field, 'it must be a list'));

  const root = record(data, '(the whole file)');
  if (root['format'] !== setupFormat) fail('format', `it is ${JSON.stringify(root['format'])}, not "${setupFormat}"`);
  if (root['version'] !== 1) fail('version', `it is ${JSON.stringify(root['version'])}; this harness reads version 1`);

  const setup: ReplaySetup = { format: setupFormat, version: 1 };
  if (root['copilot'] !== undefined) {
    const copilot = record(root['copilot'], 'copilot');
    const topics = list(copilot['topics'], 'copilot.topics').map((raw, index): SetupTopic => {
      const field = `copilot.topics[${index}]`;
      const topic = record(raw, field);
      const then = optionalText(topic['then'], `${field}.then`);
      if (then !== undefined && then !== 'transfer to agent' && then !== 'end conversation') fail(`${field}.then`, `it is "${then}"; it is "transfer to agent", "end conversation" or absent`);
      const phrases = texts(topic['trigger phrases'], `${field}["trigger phrases"]`);
      if (phrases.length === 0) fail(`${field}["trigger phrases"]`, 'it lists no phrase');
      const sets = topic['sets'] === undefined ? undefined : record(topic['sets'], `${field}.sets`);
      return {
        topic: text(topic['topic'], `${field}.topic`),
        'trigger phrases': phrases,
        ...(topic['replies'] !== undefined ? { replies: texts(topic['replies'], `${field}.replies`) } : {}),
        ...(sets ? { sets: Object.fromEntries(Object.entries(sets).map(([name, value]) => [name, typeof value === 'string' ? value : fail(`${field}.sets.${name}`, 'it must be a text')])) } : {}),
        ...(then ? { then: then as SetupTopic['then'] } : {}),
        ...(topic['message to agent'] !== undefined ? { 'message to agent': optionalText(topic['message to agent'], `${field}["message to agent"]`) } : {}),
      };
    });
    const inactivity = list(copilot['inactivity'], 'copilot.inactivity').map((raw, index): SetupInactivityTopic => {
      const field = `copilot.inactivity[${index}]`;
      const topic = record(raw, field);
      const after = text(topic['inactive for'], `${field}["inactive for"]`);
      try {
        parseDuration(after);
      } catch {
        fail(`${field}["inactive for"]`, `"${after}" is not a duration such as "10 minutes"`);
      }
      const then = optionalText(topic['then'], `${field}.then`);
      if (then !== undefined && then !== 'end conversation') fail(`${field}.then`, `it is "${then}"; it is "end conversation" or absent`);
      const channel = optionalText(topic['channel'], `${field}.channel`);
      return { topic: text(topic['topic'], `${field}.topic`), 'inactive for': after, message: text(topic['message'], `${field}.message`), ...(channel ? { channel } : {}), ...(then ? { then: 'end conversation' as const } : {}) };
    });
    const language = optionalText(copilot['language'], 'copilot.language');
    setup.copilot = {
      name: text(copilot['name'], 'copilot.name'),
      ...(language ? { language } : {}),
      ...(copilot['greeting'] !== undefined ? { greeting: texts(copilot['greeting'], 'copilot.greeting') } : {}),
      topics,
      ...(inactivity.length > 0 ? { inactivity } : {}),
    };
  }
  if (root['queues'] !== undefined) {
    setup.queues = list(root['queues'], 'queues').map((raw, index) => {
      const queue = record(raw, `queues[${index}]`);
      const priority = queue['priority'];
      if (priority !== undefined && (!Number.isInteger(priority) || (priority as number) < 0)) fail(`queues[${index}].priority`, 'it must be a whole number of 0 or more');
      return { queue: text(queue['queue'], `queues[${index}].queue`), ...(priority !== undefined ? { priority: priority as number } : {}) };
    });
  }
  if (root['routing rules'] !== undefined) {
    setup['routing rules'] = list(root['routing rules'], '"routing rules"').map((raw, index) => {
      const field = `"routing rules"[${index}]`;
      const rule = record(raw, field);
      return { rule: text(rule['rule'], `${field}.rule`), condition: text(rule['condition'], `${field}.condition`), queue: text(rule['queue'], `${field}.queue`) };
    });
  }
  if (root['agents'] !== undefined) {
    setup.agents = list(root['agents'], 'agents').map((raw, index) => {
      const field = `agents[${index}]`;
      const agent = record(raw, field);
      const presence = optionalText(agent['presence'], `${field}.presence`);
      if (presence !== undefined && !presences.includes(presence as Presence)) fail(`${field}.presence`, `it is "${presence}"; it is one of ${presences.join(', ')}`);
      const capacity = agent['capacity'];
      if (capacity !== undefined && (!Number.isInteger(capacity) || (capacity as number) < 0)) fail(`${field}.capacity`, 'it must be a whole number of 0 or more');
      return {
        agent: text(agent['agent'], `${field}.agent`),
        queues: texts(agent['queues'], `${field}.queues`),
        ...(presence ? { presence: presence as Presence } : {}),
        ...(capacity !== undefined ? { capacity: capacity as number } : {}),
      };
    });
  }
  const fallback = optionalText(root['fallback queue'], '"fallback queue"');
  if (fallback) setup['fallback queue'] = fallback;
  return setup;
}

/**
 * The copilot of a setup as the runtime runs it: the same topic shape as an inline copilot
 * (inline-copilot.ts), with every reply of a topic and every greeting message as its own message.
 *
 * @example
 * harness.useCopilot(copilotFromSetup(setup.copilot, { botId: botIdFor(harness.seed) }));
 */
export function copilotFromSetup(copilot: SetupCopilot, ids: { botId: string }, source = 'the replay setup'): CopilotDefinition {
  const definition = defineInlineCopilot(
    {
      name: copilot.name,
      greeting: copilot.greeting?.[0],
      topics: copilot.topics.map((topic) => ({
        name: topic.topic,
        phrases: topic['trigger phrases'],
        sets: Object.entries(topic.sets ?? {}).map(([variable, value]) => ({ variable, value })),
        ...(topic.then ? { then: topic.then } : {}),
        ...(topic['message to agent'] !== undefined ? { messageToAgent: topic['message to agent'] } : {}),
      })),
      inactivity: (copilot.inactivity ?? []).map((topic) => ({
        name: topic.topic,
        seconds: parseDuration(topic['inactive for']) / 1000,
        ...(topic.channel && topic.channel.toLowerCase() !== 'any' ? { channel: topic.channel } : {}),
        message: topic.message,
        endsConversation: topic.then === 'end conversation',
      })),
    },
    ids,
  );
  // defineInlineCopilot lists the greeting first, then the topics in order: give each its messages.
  const offset = copilot.greeting?.[0] !== undefined ? 1 : 0;
  if (offset === 1) {
    const greeting = definition.topics[0]!;
    greeting.dialog.beginDialog.actions = (copilot.greeting ?? []).map((text, index) => sendActivity(`greeting_${index}`, text));
  }
  copilot.topics.forEach((topic, index) => {
    const trigger = definition.topics[offset + index]!.dialog.beginDialog;
    trigger.actions = [...(topic.replies ?? []).map((text, reply) => sendActivity(`reply_${reply}`, text)), ...(trigger.actions ?? [])];
  });
  return { ...definition, ...(copilot.language ? { language: copilot.language } : {}), source };
}

function sendActivity(id: string, text: string): ActionNode {
  return { kind: 'SendActivity', id, activity: text };
}

/** The bot id an inline copilot gets in a scenario with this seed (harness.ts does the same). */
export function botIdFor(seed: number): string {
  return `${seed.toString(16).padStart(8, '0')}-0000-4000-8000-000000000001`;
}

/**
 * Configures a harness with a setup, before anything happens. `copilot` (a team's own, loaded from its
 * folder) replaces the setup's copilot.
 *
 * @example applySetup(harness, readSetupFile('billing.setup.json'), { copilot: loadTeamCopilot('Contoso Support') });
 */
export function applySetup(harness: Harness, setup: ReplaySetup, options: { copilot?: CopilotDefinition } = {}): void {
  const copilot = options.copilot ?? (setup.copilot ? copilotFromSetup(setup.copilot, { botId: botIdFor(harness.seed) }) : undefined);
  if (copilot) harness.useCopilot(copilot);
  if (setup.queues && setup.queues.length > 0) {
    harness.addQueues(setup.queues.map((queue) => ({ name: queue.queue, priority: queue.priority ?? 10, assignment: 'highest capacity' })));
  }
  if (setup['fallback queue']) harness.configureWorkStream({ fallbackQueue: setup['fallback queue'] });
  if (setup['routing rules'] && setup['routing rules'].length > 0) {
    harness.addRoutingRules(setup['routing rules'].map((rule) => ({ name: rule.rule, condition: rule.condition, queue: rule.queue })));
  }
  if (setup.agents && setup.agents.length > 0) {
    harness.addAgents(setup.agents.map((agent) => ({ name: agent.agent, queues: agent.queues, presence: agent.presence ?? 'Available', capacity: agent.capacity ?? 1 })));
  }
}

/**
 * The copilot of a fixture file (a setup with a `copilot` section), for `Given the copilot from "…"`.
 *
 * @throws ReplaySetupError naming the file when it cannot be read or has no copilot.
 * @example harness.useCopilot(copilotFixture('features/replay/billing.copilot.json', harness.seed));
 */
export function copilotFixture(file: string, seed: number): CopilotDefinition {
  const setup = readSetupFile(file);
  if (!setup.copilot) {
    throw new ReplaySetupError(`The copilot fixture ${file} has no "copilot" section. A fixture for "Given the copilot from" describes the copilot's name, greeting and topics. Add the section, or write the fixture again with: handoff import <recording> --feature <file> --fixture.`);
  }
  return copilotFromSetup(setup.copilot, { botId: botIdFor(seed) }, file);
}
