import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { CopilotDefinition } from '../../../src/copilot/copilot-definition';
import type { CopilotFixtures } from '../../../src/copilot/copilot-fixtures';
import { CopilotSession, type CopilotOutput } from '../../../src/copilot/copilot-session';
import { FormulaRunner } from '../../../src/copilot/formulas';
import { loadYamlCopilot } from '../../../src/copilot/yaml-copilot';
import type { TimelineFact } from '../../../src/sim/timeline';
import { VirtualClock } from '../../../src/sim/virtual-clock';

export const start = Date.parse('2026-01-05T09:00:00.000Z');

/** A copilot session on a virtual clock with a host that records everything it is told. */
export class SessionDriver {
  readonly clock = new VirtualClock(start);
  readonly outputs: CopilotOutput[] = [];
  readonly problems: string[] = [];
  readonly topics: Array<{ topic: string; trigger: string }> = [];
  readonly facts: TimelineFact[] = [];
  readonly session: CopilotSession;
  #ids = 0;

  constructor(readonly copilot: CopilotDefinition, options: { channelId?: string } = {}) {
    this.session = new CopilotSession(
      copilot,
      {
        channelId: options.channelId ?? 'lcw',
        conversationId: 'conversation-1',
        now: () => this.clock.now(),
        setTimeout: (callback, ms) => this.clock.setTimeout(callback, ms),
        clearTimeout: (handle) => this.clock.clearTimeout(handle),
        deliver: (output) => this.outputs.push(output),
        topicTriggered: (topic, trigger) => this.topics.push({ topic, trigger }),
        problem: (message) => this.problems.push(message),
        newId: () => `id-${++this.#ids}`,
        record: (fact) => this.facts.push(fact),
      },
      new FormulaRunner(() => this.clock.now()),
    );
  }

  begin(context: Record<string, unknown> = {}): string[] {
    const before = this.outputs.length;
    this.session.begin(context);
    return this.#messagesSince(before);
  }

  /** The customer says `text`; returns the messages the copilot sent in reply. */
  say(text: string): string[] {
    const before = this.outputs.length;
    this.session.receiveMessage(text);
    return this.#messagesSince(before);
  }

  async sayAndSettle(text: string): Promise<string[]> {
    const before = this.outputs.length;
    this.session.receiveMessage(text);
    await this.session.idle();
    return this.#messagesSince(before);
  }

  pass(ms: number): string[] {
    const before = this.outputs.length;
    this.clock.advanceBy(ms);
    return this.#messagesSince(before);
  }

  get messages(): string[] {
    return this.#messagesSince(0);
  }

  get topicNames(): string[] {
    return this.topics.map((entry) => entry.topic);
  }

  last<K extends CopilotOutput['kind']>(kind: K): Extract<CopilotOutput, { kind: K }> | undefined {
    return [...this.outputs].reverse().find((output): output is Extract<CopilotOutput, { kind: K }> => output.kind === kind);
  }

  #messagesSince(index: number): string[] {
    return this.outputs.slice(index).flatMap((output) => (output.kind === 'message' ? [output.text] : []));
  }
}

/** Writes topic files into a fresh agent folder and loads it with the real loader (so nodes are located). */
export function copilotFromFiles(files: Record<string, string>, options: { fixtures?: CopilotFixtures; settings?: string } = {}): CopilotDefinition {
  const folder = writeAgent(files, options.settings);
  return loadYamlCopilot(folder, options.fixtures ? { fixtures: options.fixtures } : {}).copilot;
}

export function writeAgent(files: Record<string, string>, settings = 'displayName: Test Copilot\nschemaName: cr_test\n'): string {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'copilot-'));
  process.on('exit', () => fs.rmSync(folder, { recursive: true, force: true }));
  fs.writeFileSync(path.join(folder, 'settings.mcs.yml'), settings);
  for (const [name, text] of Object.entries(files)) {
    const file = path.join(folder, name.includes('/') ? name : `topics/${name}.mcs.yml`);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
  }
  return folder;
}

/** A topic triggered by `phrase`, with the given actions (YAML list items, indented four spaces). */
export function intentTopic(phrase: string, actions: string, extra = ''): string {
  return `kind: AdaptiveDialog\n${extra}beginDialog:\n  kind: OnRecognizedIntent\n  id: main\n  intent:\n    triggerQueries:\n      - ${phrase}\n  actions:\n${actions}`;
}
