import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createSurfaces, inProcessFetch } from '../mocks/network';
import { server } from '../mocks/node';
import { Harness } from '../src/harness/harness';

const root = path.resolve(__dirname, '..');
const repeat = 200;

/** One full handoff: copilot turns, handoff, routing, agent reply, then 30 minutes of silence closing the chat. */
const fullHandoffScenario = (index: number) => `
  Scenario: full handoff ${index}
    When the customer says "I have a billing question"
    And the customer says "talk to a person"
    And agent "Alice" accepts
    And agent "Alice" says "Hi, I can help."
    Then agent "Alice" receives the full history
    And the customer sees "Hi, I can help."
    When the customer says "thanks"
    And agent "Alice" ends the conversation
    And 30 minutes pass
    Then the conversation is closed with reason "AutoClosedBySystem"
`;

const fullHandoffBackground = `Feature: full handoff
  Background:
    Given the copilot "Contoso Assistant" with the topics:
      | topic    | trigger phrases  | reply                             | sets                 | then              |
      | Billing  | billing question | I can help with billing.          | Department = Billing |                   |
      | Escalate | talk to a person | Let me connect you with an agent. |                      | transfer to agent |
    And the queues:
      | queue   |
      | Billing |
    And the routing rules:
      | rule    | condition            | queue   |
      | Billing | Department = Billing | Billing |
    And the agents:
      | agent | queues  | capacity |
      | Alice | Billing | ${repeat} |
`;

interface SuiteTiming {
  scenarios: number;
  medianMs: number;
  perSecond: number;
  failed: number;
}

function runSuite(requireGlob: string, paths: string[]): SuiteTiming {
  const output = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'handoff-suite-')), 'timings.json');
  const child = spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', path.join(__dirname, 'run-cucumber.ts'), output, requireGlob, ...paths], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, TS_NODE_TRANSPILE_ONLY: 'true' },
    maxBuffer: 64 * 1024 * 1024,
  });
  if (!fs.existsSync(output)) throw new Error(`The benchmark suite did not run: ${child.stderr || child.stdout}`);
  const result = JSON.parse(fs.readFileSync(output, 'utf8')) as { durations: number[]; totalMs: number; scenarios: number; failed: number };
  return { scenarios: result.scenarios, medianMs: median(result.durations), perSecond: result.scenarios / (result.totalMs / 1000), failed: result.failed };
}

/** Wire requests of one full handoff, counted on its timeline. */
async function wireRequestsOfFullHandoff(mode: 'dispatch' | 'intercept'): Promise<{ requests: number; harnessMs: number }> {
  // Interception proxies the global Fetch classes, so it is on only for the run that goes through it.
  if (mode === 'intercept') server.listen({ onUnhandledRequest: 'error' });
  const samples: number[] = [];
  let requests = 0;
  try {
    for (let run = 0; run < 50; run += 1) {
      const started = process.hrtime.bigint();
      const harness = new Harness({
        seed: run,
        connect: (sim) => {
          const surfaces = createSurfaces(sim);
          if (mode === 'dispatch') return inProcessFetch(surfaces);
          server.use(...surfaces.flatMap((surface) => surface.handlers));
        },
      });
      harness.defineCopilot('Contoso Assistant', [
        { name: 'Billing', phrases: ['billing question'], reply: 'I can help with billing.', sets: [{ variable: 'Department', value: 'Billing' }] },
        { name: 'Escalate', phrases: ['talk to a person'], reply: 'Let me connect you with an agent.', then: 'transfer to agent' },
      ]);
      harness.addQueues([{ name: 'Billing', priority: 1, assignment: 'highest capacity' }]);
      harness.addRoutingRules([{ name: 'Billing', condition: 'Department = Billing', queue: 'Billing' }]);
      harness.addAgents([{ name: 'Alice', presence: 'Available', capacity: 5, queues: ['Billing'] }]);
      await harness.customerSays('I have a billing question');
      await harness.customerSays('talk to a person');
      harness.agentAccepts('Alice');
      harness.agentSays('Alice', 'Hi, I can help.');
      harness.expectAgentReceivesFullHistory('Alice');
      await harness.customerSees('Hi, I can help.');
      await harness.customerSays('thanks');
      harness.agentEnds('Alice');
      await harness.pass(30 * 60_000);
      harness.expectClosedWithReason('AutoClosedBySystem');
      samples.push(Number(process.hrtime.bigint() - started) / 1e6);
      requests = harness.timeline.filter((entry) => entry.kind === 'wire.request').length;
      server.resetHandlers();
    }
  } finally {
    if (mode === 'intercept') server.close();
  }
  return { requests, harnessMs: median(samples.slice(5)) };
}

export async function handoffBench(): Promise<string[]> {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'handoff-bench-'));
  try {
    const floorFeature = path.join(scratch, 'floor.feature');
    const floorSteps = path.join(scratch, 'floor.steps.js');
    fs.writeFileSync(floorFeature, `Feature: floor\n${Array.from({ length: repeat }, (_, i) => `  Scenario: trivial ${i}\n    Given nothing happens\n`).join('')}`);
    fs.writeFileSync(floorSteps, `const { Given } = require(${JSON.stringify(require.resolve('@cucumber/cucumber'))});\nGiven('nothing happens', function () {});\n`);
    const fullFeature = path.join(scratch, 'full-handoff.feature');
    fs.writeFileSync(fullFeature, fullHandoffBackground + Array.from({ length: repeat }, (_, i) => fullHandoffScenario(i)).join(''));

    const steps = path.join(root, 'src', 'steps', '**', '*.ts');
    const floor = runSuite(floorSteps, [floorFeature]);
    const full = runSuite(steps, [fullFeature]);
    const bundled = runSuite(steps, [path.join(root, 'features', '**', '*.feature')]);
    const dispatched = await wireRequestsOfFullHandoff('dispatch');
    const intercepted = await wireRequestsOfFullHandoff('intercept');
    const line = (name: string, t: SuiteTiming) =>
      `  ${name.padEnd(34)} ${String(t.scenarios).padStart(5)} scenarios  median ${t.medianMs.toFixed(2).padStart(6)} ms  ${t.perSecond.toFixed(0).padStart(6)} scenarios/s${t.failed ? `  (${t.failed} failing steps!)` : ''}`;
    return [
      'Scenarios (cucumber in process, one run each)',
      line('trivial one-step scenario (floor)', floor),
      line('full handoff scenario', full),
      line('bundled features', bundled),
      `  full handoff vs floor: ${(full.medianMs / floor.medianMs).toFixed(1)}x (target ≤ 3x); median ${full.medianMs.toFixed(2)} ms (target ≤ 5 ms)`,
      `  wire requests per full handoff: ${dispatched.requests}`,
      `  harness alone (no cucumber), median per full handoff: ${dispatched.harnessMs.toFixed(2)} ms dispatching to the handlers, ${intercepted.harnessMs.toFixed(2)} ms through setupServer's fetch interception`,
    ];
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length === 0 ? 0 : sorted[Math.floor(sorted.length / 2)]!;
}
