import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createSurfaces, inProcessFetch } from '../mocks/network';
import { server } from '../mocks/node';
import { Harness } from '../src/harness/harness';

const root = path.resolve(__dirname, '..');
/** Scenarios per suite: enough for the median to describe a warmed-up run, as most of a large suite is. */
const repeat = 1000;

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
  /** Median of the per-scenario durations (hooks and steps), in ms. */
  medianMs: number;
  /** The same over the first scenarios only, while V8 is still compiling the code paths. */
  warmUpMedianMs: number;
  p90Ms: number;
  perSecond: number;
  /** Wire requests of the scenarios that started a simulation: median and most. */
  wireRequests: { median: number; most: number };
  failed: number;
}

/** Scenarios counted as warm-up in the reported split: V8 optimizes a function after it ran many times. */
const warmUp = 100;

function runSuite(requireGlob: string, paths: string[]): SuiteTiming {
  const output = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'handoff-suite-')), 'timings.json');
  const child = spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', path.join(__dirname, 'run-cucumber.ts'), output, requireGlob, ...paths], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, TS_NODE_TRANSPILE_ONLY: 'true' },
    maxBuffer: 64 * 1024 * 1024,
  });
  if (!fs.existsSync(output)) throw new Error(`The benchmark suite did not run: ${child.stderr || child.stdout}`);
  const result = JSON.parse(fs.readFileSync(output, 'utf8')) as { durations: number[]; wireRequests: number[]; totalMs: number; scenarios: number; failed: number };
  return {
    scenarios: result.scenarios,
    medianMs: median(result.durations),
    warmUpMedianMs: median(result.durations.slice(0, warmUp)),
    p90Ms: percentile(result.durations, 0.9),
    perSecond: result.scenarios / (result.totalMs / 1000),
    wireRequests: { median: median(result.wireRequests), most: Math.max(0, ...result.wireRequests) },
    failed: result.failed,
  };
}

/** The machine is shared and noisy: a suite runs three times and the run with the lowest median is reported, with the others beside it. */
function bestOfThree(requireGlob: string, paths: string[]): SuiteTiming & { medians: number[] } {
  const runs = [0, 1, 2].map(() => runSuite(requireGlob, paths));
  const best = runs.reduce((a, b) => (b.medianMs < a.medianMs ? b : a));
  return { ...best, medians: runs.map((run) => run.medianMs) };
}

/** The median full handoff through the harness alone, without cucumber, after warm-up. */
async function harnessAloneMs(mode: 'dispatch' | 'intercept'): Promise<number> {
  // Interception proxies the global Fetch classes, so it is on only for the run that goes through it.
  if (mode === 'intercept') server.listen({ onUnhandledRequest: 'error' });
  const samples: number[] = [];
  try {
    for (let run = 0; run < warmUp + 500; run += 1) {
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
      server.resetHandlers();
    }
  } finally {
    if (mode === 'intercept') server.close();
  }
  return median(samples.slice(warmUp));
}

export async function handoffBench(): Promise<string[]> {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'handoff-bench-'));
  try {
    const floorFeature = path.join(scratch, 'floor.feature');
    const floorSteps = path.join(scratch, 'floor.steps.js');
    fs.writeFileSync(floorFeature, `Feature: floor\n${Array.from({ length: repeat }, (_, i) => `  Scenario: trivial ${i}\n    Given nothing happens\n`).join('')}`);
    fs.writeFileSync(floorSteps, `const { Given } = require(${JSON.stringify(require.resolve('@cucumber/cucumber'))});\nGiven('nothing happens', function () {});\n`);
    // The same one-step scenario in the harness: its hooks start a simulation and attach its timeline.
    const harnessFloorFeature = path.join(scratch, 'harness-floor.feature');
    fs.writeFileSync(harnessFloorFeature, `Feature: harness floor\n${Array.from({ length: repeat }, (_, i) => `  Scenario: one minute ${i}\n    When 1 minute passes\n`).join('')}`);
    const fullFeature = path.join(scratch, 'full-handoff.feature');
    fs.writeFileSync(fullFeature, fullHandoffBackground + Array.from({ length: repeat }, (_, i) => fullHandoffScenario(i)).join(''));

    const steps = path.join(root, 'src', 'steps', '**', '*.ts');
    const floor = bestOfThree(floorSteps, [floorFeature]);
    const harnessFloor = bestOfThree(steps, [harnessFloorFeature]);
    const full = bestOfThree(steps, [fullFeature]);
    const bundled = runSuite(steps, [path.join(root, 'features', '**', '*.feature')]);
    const dispatched = await harnessAloneMs('dispatch');
    const intercepted = await harnessAloneMs('intercept');
    const ms = (value: number) => `${value.toFixed(2)} ms`;
    const line = (name: string, t: SuiteTiming) =>
      `  ${name.padEnd(40)} ${String(t.scenarios).padStart(5)} scenarios  median ${ms(t.medianMs).padStart(9)}  p90 ${ms(t.p90Ms).padStart(9)}  ${t.perSecond.toFixed(0).padStart(6)} scenarios/s  wire requests ${t.wireRequests.median} (most ${t.wireRequests.most})${t.failed ? `  (${t.failed} failing steps!)` : ''}`;
    const runs = (t: { medians: number[] }) => `    medians of the three runs: ${t.medians.map(ms).join(', ')}`;
    return [
      'Scenarios (cucumber in process; a scenario\'s duration is its hooks and steps; best of three runs)',
      line('trivial one-step scenario (floor)', floor),
      line('one-step scenario with the harness hooks', harnessFloor),
      runs(harnessFloor),
      line('full handoff scenario', full),
      runs(full),
      `    first ${warmUp} scenarios (warming up): median ${ms(full.warmUpMedianMs)}`,
      line('bundled features (one run)', bundled),
      `  full handoff: median ${ms(full.medianMs)} (target ≤ 5 ms); ${(full.medianMs / floor.medianMs).toFixed(0)}x the floor, ${(full.medianMs / harnessFloor.medianMs).toFixed(1)}x the harness floor (target ≤ 3x)`,
      `  wire requests per full handoff: ${full.wireRequests.median} (toolchain.md §5: 160–190 µs each through getResponse)`,
      `  harness alone (no cucumber), median per full handoff after warm-up: ${ms(dispatched)} dispatching to the handlers, ${ms(intercepted)} through setupServer's fetch interception`,
    ];
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length === 0 ? 0 : sorted[Math.floor(sorted.length / 2)]!;
}

function percentile(values: number[], fraction: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))]!;
}
