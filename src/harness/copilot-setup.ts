import * as fs from 'node:fs';
import * as path from 'node:path';
import type { CopilotDefinition } from '../copilot/copilot-definition';
import { loadCopilotFixtures, mergeFixtures, type CopilotFixtures } from '../copilot/copilot-fixtures';
import { connectionRefusal, type D365ConnectionSettings } from '../copilot/d365-connection';
import { loadYamlCopilot } from '../copilot/yaml-copilot';
import { copilotFixture } from '../replay/replay-setup';
import { ScenarioError } from '../sim/errors';
import { formatTimeline, type TimelineEntry } from '../sim/timeline';
import { ExpectationError } from './expectations';

/** The project root: feature files name example copilots relative to it when the run starts elsewhere. */
const projectRoot = path.resolve(__dirname, '..', '..');

/** A path as the scenario wrote it: relative to the current directory, else to the project. */
export function scenarioPath(written: string): string {
  if (path.isAbsolute(written) || fs.existsSync(written)) return written;
  const inProject = path.join(projectRoot, written);
  return fs.existsSync(inProject) ? inProject : written;
}

/**
 * The copilot side of a scenario's configuration: an exported copilot, its fixtures, and how it is
 * connected to Dynamics 365 Customer Service. The harness asks it for the copilot to run.
 */
export class CopilotSetup {
  readonly #fixtures: CopilotFixtures[] = [];
  /** Nodes of the loaded copilot that the harness does not run, one message each, for the timeline. */
  loadWarnings: string[] = [];
  readonly #connection: D365ConnectionSettings = {};

  /**
   * Loads an exported copilot (agent folder, solution export, topic files; errors name file, line,
   * column and node), or a replay fixture (`*.copilot.json`, written by `handoff import --fixture`).
   */
  load(folder: string, seed: number): CopilotDefinition {
    const where = scenarioPath(folder);
    if (!fs.existsSync(where)) {
      throw new ScenarioError(`There is no copilot at "${folder}". The step loads an exported copilot folder, solution export or topic file, or a *.copilot.json replay fixture. Check the path; example copilots are under examples/copilots/.`);
    }
    if (/\.json$/i.test(where)) return copilotFixture(where, seed);
    const { copilot, warnings } = loadYamlCopilot(where);
    this.loadWarnings = warnings.filter((warning) => warning.code === 'unsupported-node-kind').map((warning) => warning.message);
    return copilot;
  }

  addFixturesFrom(folder: string): void {
    this.#fixtures.push(loadCopilotFixtures(scenarioPath(folder)));
  }

  addFixtures(fixtures: CopilotFixtures): void {
    this.#fixtures.push(fixtures);
  }

  copilotEnvironment(name: string): void {
    this.#connection.copilotEnvironment = name;
  }

  customerServiceEnvironment(name: string): void {
    this.#connection.customerServiceEnvironment = name;
  }

  disconnect(): void {
    this.#connection.disconnected = true;
  }

  /**
   * The copilot the simulation runs, with the scenario's fixtures, and why Dynamics 365 cannot have it
   * as first responder (seed prerequisites) when it cannot.
   */
  prepare(copilot: CopilotDefinition | undefined, behindDynamics: boolean): { copilot: CopilotDefinition | undefined; refusal?: string } {
    if (!copilot) return { copilot };
    const fixtures = this.#fixtures.length > 0 ? mergeFixtures(copilot.fixtures, ...this.#fixtures) : copilot.fixtures;
    const prepared: CopilotDefinition = {
      ...copilot,
      ...(fixtures ? { fixtures } : {}),
      ...(this.#connection.copilotEnvironment ? { environment: this.#connection.copilotEnvironment } : {}),
      ...(this.#connection.disconnected ? { d365Connection: 'disconnected' as const } : {}),
    };
    const refusal = behindDynamics ? connectionRefusal(prepared, this.#connection) : undefined;
    return refusal ? { copilot: prepared, refusal } : { copilot: prepared };
  }
}

type Entries = readonly TimelineEntry[];

/** Names a topic the way the timeline does (display name), accepting its schema or short name too. */
function displayNameOf(copilot: CopilotDefinition | undefined, name: string): string {
  const lower = name.toLowerCase();
  const topic = copilot?.topics.find((candidate) => {
    const schema = candidate.schemaName.toLowerCase();
    return candidate.name.toLowerCase() === lower || schema === lower || schema.endsWith(`.topic.${lower}`);
  });
  return topic?.name ?? name;
}

export function expectTopicFired(entries: Entries, conversationId: string, copilot: CopilotDefinition | undefined, name: string, fired: boolean): void {
  const wanted = displayNameOf(copilot, name);
  const triggered = entries.filter((entry): entry is Extract<TimelineEntry, { kind: 'topic.triggered' }> => entry.kind === 'topic.triggered' && entry.conversationId === conversationId);
  const found = triggered.some((entry) => entry.topic === wanted);
  if (found === fired) return;
  if (fired && copilot && !copilot.topics.some((topic) => topic.name === wanted)) {
    throw new ScenarioError(
      `The copilot has no topic "${name}". A topic is named by its display name, schema name or file name. Known topics: ${copilot.topics.map((topic) => `"${topic.name}"`).join(', ')}.`,
    );
  }
  const list = triggered.map((entry) => `"${entry.topic}" (${entry.trigger})`).join(', ') || 'none';
  throw new ExpectationError(
    `${fired ? 'The topic' : 'The topic'} "${wanted}" ${fired ? 'did not fire' : 'fired, though it should not have'}. Topics that fired, in order: ${list}.\n` +
      `  timeline (virtual time):\n${formatTimeline(entries.filter((entry) => entry.conversationId === conversationId || entry.conversationId === undefined))}`,
  );
}

export function expectConnectionFailed(entries: Entries, text: string): void {
  const refusals = entries.filter((entry): entry is Extract<TimelineEntry, { kind: 'problem' }> => entry.kind === 'problem' && entry.message.startsWith('Connecting the copilot'));
  if (refusals.some((entry) => entry.message.toLowerCase().includes(text.toLowerCase()))) return;
  throw new ExpectationError(
    refusals.length === 0
      ? `Connecting the copilot to Dynamics 365 Customer Service did not fail. The copilot met every prerequisite (a name under 30 characters, the same environment as Customer Service). Check the scenario's copilot name and environments.`
      : `Connecting the copilot failed, but not with "${text}". It failed with: ${refusals.map((entry) => entry.message).join(' | ')}`,
  );
}
