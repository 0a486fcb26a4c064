/**
 * Replay benchmarks: importing a generated 10,000-activity .transcript (target under 1 s, next to a
 * plain JSON.parse of the same text), and replaying a long generated conversation in turns per
 * second (next to driving the same turns through the harness without comparing anything).
 */
import { performance } from 'node:perf_hooks';
import { createSurfaces, inProcessFetch } from '../mocks/network';
import { Harness } from '../src/harness/harness';
import { importRecording } from '../src/replay/import';
import { planReplay } from '../src/replay/plan';
import { replayRecording } from '../src/replay/replay';
import { applySetup } from '../src/replay/replay-setup';

const start = Date.parse('2026-03-02T09:00:00Z');
const user = { id: 'user-1', name: 'Maria Lopez', role: 'user' };
const bot = { id: 'bot-1', name: 'Contoso Helper', role: 'bot' };
const agent = { id: 'agent-1', name: 'Dana Whitfield', role: 'bot' };

/** A conversation of `copilotTurns` questions the copilot answers, a handoff, then `agentTurns` exchanges with an agent. */
function longConversation(copilotTurns: number, agentTurns: number): string {
  const activities: unknown[] = [];
  let second = 0;
  const add = (activity: Record<string, unknown>) => activities.push({ id: `a-${activities.length}`, timestamp: new Date(start + second * 1000).toISOString(), channelId: 'emulator', conversation: { id: 'c-2' }, ...activity });
  for (let turn = 0; turn < copilotTurns; turn += 1) {
    second += 20;
    add({ type: 'message', from: user, recipient: bot, text: `What is the status of order number ${turn}?` });
    second += 1;
    add({ type: 'message', from: bot, recipient: user, text: `Order ${turn} shipped on day ${turn % 28}.` });
  }
  second += 20;
  add({ type: 'message', from: user, recipient: bot, text: 'I want to talk to a person' });
  second += 1;
  add({ type: 'message', from: bot, recipient: user, text: 'Connecting you with an agent.' });
  add({ type: 'event', name: 'handoff.initiate', from: bot, recipient: user, value: { va_LastTopic: 'Escalate', va_BotName: 'Contoso Helper', Department: 'Orders' } });
  for (let turn = 0; turn < agentTurns; turn += 1) {
    second += 10;
    add({ type: 'message', from: agent, recipient: user, text: `Agent reply ${turn}` });
    second += 10;
    add({ type: 'message', from: user, recipient: agent, text: `Customer answer ${turn}` });
  }
  second += 5;
  add({ type: 'endOfConversation', from: agent, recipient: user, code: 'completedSuccessfully' });
  return JSON.stringify(activities);
}

function median(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function timeAsync(runs: number, work: () => Promise<void>): Promise<number> {
  const samples: number[] = [];
  for (let run = 0; run < runs; run += 1) {
    const started = performance.now();
    await work();
    samples.push(performance.now() - started);
  }
  return median(samples);
}

/** Import time of a 10,000-activity transcript, and replay speed in turns per second. */
export async function replayBench(): Promise<string[]> {
  const lines: string[] = [];
  const text = generateTranscript(10_000);
  let entries = 0;
  const parseMs = await timeAsync(5, async () => void JSON.parse(text));
  const importMs = await timeAsync(5, async () => {
    entries = importRecording(text, { file: 'generated.transcript' }).entries.length;
  });
  lines.push(`  import of a generated .transcript: 10000 activities, ${(text.length / 1024 / 1024).toFixed(1)} MB, ${entries} entries (median of 5)`);
  lines.push(`    JSON.parse alone (baseline)          ${parseMs.toFixed(1).padStart(8)} ms`);
  lines.push(`    import, personal data replaced        ${importMs.toFixed(1).padStart(8)} ms   (target < 1000 ms)${importMs < 1000 ? '' : '  OVER TARGET'}`);

  const recording = importRecording(longConversation(150, 50), { file: 'long.transcript', keepPii: true });
  const plan = planReplay(recording);
  const turns = plan.turns.length;
  let divergent = false;
  const replayMs = await timeAsync(3, async () => {
    divergent = (await replayRecording(recording)).divergent;
  });
  // Baseline: the same turns through the harness, without planning, reading or comparing.
  const driveMs = await timeAsync(3, async () => {
    const harness = new Harness({ seed: 1, startAt: start, connect: (sim) => inProcessFetch(createSurfaces(sim)) });
    applySetup(harness, plan.setup);
    for (const turn of plan.turns) {
      const elapsed = harness.sim.clock.now() - start;
      if (turn.offsetMs > elapsed) await harness.pass(turn.offsetMs - elapsed);
      const action = turn.action;
      if (action.kind === 'customerSays') await harness.customerSays(action.text);
      else if (action.kind === 'agentJoins') {
        harness.agentBecomes(action.agent, 'Available');
        harness.agentAccepts(action.agent);
      } else if (action.kind === 'agentSays') harness.agentSays(action.agent, action.text);
      else if (action.kind === 'agentEnds') harness.agentEnds(action.agent);
    }
  });
  lines.push(`  replay of a generated conversation: ${turns} turns (150 with the copilot, a handoff, 100 with the agent), median of 3${divergent ? '  (DIVERGED: check the replay)' : ''}`);
  lines.push(`    turns driven without comparing (baseline) ${(turns / (driveMs / 1000)).toFixed(0).padStart(6)} turns/s   (${driveMs.toFixed(0)} ms)`);
  lines.push(`    replay with per-turn comparison           ${(turns / (replayMs / 1000)).toFixed(0).padStart(6)} turns/s   (${replayMs.toFixed(0)} ms)`);
  return lines;
}

/**
 * A .transcript of `count` activities in the Emulator's shape: customer and copilot messages (some with
 * an e-mail address or a phone number to replace), typing, DialogTracing and VariableAssignment traces.
 */
function generateTranscript(count: number): string {
  const start = Date.parse('2026-03-02T09:00:00Z');
  const user = { id: 'user-1', name: 'Maria Lopez', role: 'user' };
  const bot = { id: 'bot-1', name: 'Contoso Helper', role: 'bot' };
  const activities: unknown[] = [];
  for (let index = 0; index < count; index += 1) {
    const base = { id: `a-${index}`, timestamp: new Date(start + index * 1500).toISOString(), channelId: 'emulator', conversation: { id: 'c-1' } };
    switch (index % 5) {
      case 0:
        activities.push({ ...base, type: 'message', from: user, recipient: bot, text: `Question ${index}: my e-mail is maria${index % 7}@example.net, call +1 425 555 ${String(1000 + (index % 9000)).padStart(4, '0')}` });
        break;
      case 1:
        activities.push({ ...base, type: 'typing', from: bot, recipient: user });
        break;
      case 2:
        activities.push({ ...base, type: 'trace', name: 'DialogTracing', valueType: 'DialogTracing', from: bot, recipient: user, value: { actions: [{ topicId: `contoso.topic.Topic${index % 11}`, actionType: 'SendActivity' }] } });
        break;
      case 3:
        activities.push({ ...base, type: 'trace', valueType: 'VariableAssignment', from: bot, recipient: user, value: { name: 'Department', id: 'Global.Department', newValue: 'Billing', type: 'global' } });
        break;
      default:
        activities.push({ ...base, type: 'message', from: bot, recipient: user, text: `Answer ${index}, Maria: here is what I found about your bill.` });
    }
  }
  return JSON.stringify(activities, null, 2);
}
