import { performance } from 'node:perf_hooks';
import { defineInlineCopilot } from '../src/copilot/inline-copilot';
import { chooseAgent, classify, routeToQueue, type AgentCandidate } from '../src/d365/routing';
import { parseOperatingHours, parseOverflow, parseSkills } from '../src/d365/settings-text';
import { defaultWorkStream, parseRuleCondition, type ClassificationRule, type QueueSettings, type RoutingRule } from '../src/d365/work-stream';
import { Simulation } from '../src/sim/simulation';

/**
 * Routing benchmarks (`npm run bench`): decisions per second for a work stream with 20 route-to-queue
 * rules, 10 queues and 200 agents, and the wall time of 1,000 conversations through the copilot, the
 * handoff, routing, an agent and closure on virtual time. Each figure is printed next to a baseline
 * measured in the same run.
 */

export interface BenchFigure {
  name: string;
  value: number;
  unit: string;
  baseline?: { name: string; value: number; unit: string };
  note?: string;
}

const queueCount = 10;
const ruleCount = 20;
const agentCount = 200;

function routingFixture() {
  const queues = new Map<string, QueueSettings>();
  for (let q = 0; q < queueCount; q += 1) {
    queues.set(`Q${q}`, {
      name: `Q${q}`,
      priority: q,
      assignment: q % 3 === 0 ? 'advanced round robin' : 'highest capacity',
      operatingHours: q % 2 === 0 ? parseOperatingHours('Mon-Fri 08:00-20:00 Europe/Paris') : undefined,
      overflow: parseOverflow('more than 50 work items: transfer to Q9'),
    });
  }
  const rules: RoutingRule[] = [];
  for (let r = 0; r < ruleCount; r += 1) {
    const condition = `Department = "D${r}" and Tier <> "blocked"`;
    rules.push({ name: `R${r}`, condition, clauses: parseRuleCondition(`R${r}`, condition), queue: `Q${r % queueCount}` });
  }
  const classification: ClassificationRule[] = [
    { ruleset: 'Language', name: 'Spanish', condition: 'Lang = "es"', clauses: parseRuleCondition('Spanish', 'Lang = "es"'), skills: parseSkills('Spanish: 2') },
    { ruleset: 'Value', name: 'Gold', condition: 'Tier = "gold"', clauses: parseRuleCondition('Gold', 'Tier = "gold"'), priority: 1 },
  ];
  const agents: AgentCandidate[] = [];
  for (let a = 0; a < agentCount; a += 1) {
    agents.push({
      name: `Agent ${a}`,
      presence: a % 10 === 0 ? 'Away' : 'Available',
      capacity: 3 + (a % 4),
      usedCapacity: a % 3,
      queues: [`Q${a % queueCount}`, `Q${(a + 3) % queueCount}`],
      skills: a % 2 === 0 ? { Spanish: 1 + (a % 5) } : {},
      notified: a % 7 === 0,
      lastAssignedAt: a * 1000,
      lastAssignedInQueue: {},
      order: a,
    });
  }
  const contexts = Array.from({ length: 64 }, (_, i) => ({ Department: `D${i % (ruleCount + 4)}`, Tier: i % 5 === 0 ? 'gold' : 'silver', Lang: i % 2 === 0 ? 'es' : 'en' }));
  return { queues, rules, classification, agents, contexts };
}

function perSecond(run: (i: number) => void, minMs = 700): number {
  for (let i = 0; i < 2_000; i += 1) run(i); // warm-up
  let count = 0;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < minMs) {
    for (let i = 0; i < 1_000; i += 1) run(count + i);
    count += 1_000;
    elapsed = performance.now() - start;
  }
  return Math.round((count / elapsed) * 1000);
}

/** Routing decisions per second: classification, route-to-queue with the overflow check, and assignment. */
export function measureRoutingDecisions(): BenchFigure[] {
  const { queues, rules, classification, agents, contexts } = routingFixture();
  const workStream = { ...defaultWorkStream(), matching: 'exact' as const };
  const now = Date.parse('2026-01-05T09:00:00Z');
  const excluded = new Set<string>();
  let sink = 0;
  const decide = (i: number, explain: boolean) => {
    const context = contexts[i & 63]!;
    const classified = classify(context, classification);
    const routed = routeToQueue(context, rules, 'Q9', { now, queues, openItems: () => i % 60, draw: () => 50, checkOverflow: true });
    const queue = queues.get(routed.queue)!;
    const assigned = chooseAgent(queue, agents, workStream, excluded, { skills: classified.skills });
    sink += assigned.considered;
    if (explain) sink += classified.explanation.length + routed.explanation.length + assigned.explanation.length;
  };
  const baseline = perSecond((i) => {
    const routed = routeToQueue(contexts[i & 63]!, rules, 'Q9');
    sink += routed.queue.length;
  });
  const decisions = perSecond((i) => decide(i, false));
  const explained = perSecond((i) => decide(i, true));
  if (sink < 0) throw new Error('unreachable');
  return [
    {
      name: `routing decisions (${ruleCount} rules, ${queueCount} queues, ${agentCount} agents)`,
      value: decisions,
      unit: 'decisions/s',
      baseline: { name: 'route-to-queue alone, no overflow check', value: baseline, unit: 'decisions/s' },
      note: 'target ≥ 50,000/s; explanations are built only when read',
    },
    { name: 'routing decisions with every explanation read', value: explained, unit: 'decisions/s' },
  ];
}

/** 1,000 conversations: copilot, handoff, routing, an agent's offer, reply, end and session close, all on virtual time. */
export function measureConversations(total = 1_000): BenchFigure[] {
  const started = performance.now();
  const copilot = defineInlineCopilot(
    {
      name: 'Contoso Assistant',
      topics: [
        { name: 'Greeting', phrases: ['hello'], reply: 'Hello! How can I help?' },
        { name: 'Escalate', phrases: ['talk to a person'], reply: 'Let me connect you with an agent.', sets: [{ variable: 'Department', value: 'Billing' }], then: 'transfer to agent' },
      ],
      inactivity: [],
    },
    { botId: '00000000-0000-4000-8000-000000000001' },
  );
  const agents = Array.from({ length: 50 }, (_, a) => ({ name: `Agent ${a}`, presence: 'Available' as const, capacity: 3, queues: [a % 2 === 0 ? 'Billing' : 'General', 'General'] }));
  const sim = new Simulation({
    seed: 1,
    copilot,
    contactCenter: {
      workStream: { ...defaultWorkStream(), fallbackQueue: 'General' },
      queues: [
        { name: 'Billing', priority: 1, assignment: 'highest capacity' },
        { name: 'General', priority: 5, assignment: 'advanced round robin' },
        { name: 'Bot queue', priority: 100, assignment: 'highest capacity', implicit: true },
      ],
      rules: [{ name: 'Billing team', condition: 'Department = "Billing"', clauses: parseRuleCondition('Billing team', 'Department = "Billing"'), queue: 'Billing' }],
      agents,
    },
  });
  const omnichannel = sim.omnichannel;
  const setup = performance.now() - started;
  const loopStart = performance.now();
  const virtualStart = sim.clock.now();
  for (let i = 0; i < total; i += 1) {
    sim.clock.advanceBy(3_000);
    const chat = omnichannel.createConversation({ orgId: omnichannel.orgId, widgetId: omnichannel.widgetId, requestId: `r${i}`, initContext: {} });
    omnichannel.customerMessaged(chat, 'hello');
    omnichannel.customerMessaged(chat, 'talk to a person');
    for (const agent of agents) {
      if (!omnichannel.isNotified(agent.name)) continue;
      const accepted = omnichannel.agentAccepts(agent.name);
      omnichannel.agentSays(agent.name, 'Hi, how can I help?');
      omnichannel.customerMessaged(accepted, 'Thanks!');
      omnichannel.agentEnds(agent.name);
      omnichannel.agentClosesSession(agent.name);
    }
  }
  sim.clock.advanceBy(60 * 60_000);
  sim.throwInternalErrors();
  const wall = performance.now() - loopStart;
  const closed = omnichannel.chats.filter((chat) => chat.workItem.state === 'closed').length;
  const endedByAgent = omnichannel.chats.filter((chat) => chat.conversation.snapshot.context.closureReason === 'ConversationEndedByAgent').length;
  return [
    {
      name: `${total} conversations through copilot, handoff, routing, agent and closure`,
      value: Math.round(wall),
      unit: 'ms wall',
      baseline: { name: 'simulation set-up (50 agents)', value: Math.round(setup), unit: 'ms wall' },
      note: `${Math.round((sim.clock.now() - virtualStart) / 60_000)} virtual minutes; ${closed} closed, ${endedByAgent} ended by an agent; ${sim.timeline.entries.length} timeline entries`,
    },
  ];
}

export async function routingBench(): Promise<string[]> {
  return formatFigures([...measureRoutingDecisions(), ...measureConversations()])
    .split('\n')
    .map((line) => `  ${line}`);
}

export function formatFigures(figures: readonly BenchFigure[]): string {
  return figures
    .map((f) => `${f.name}: ${f.value.toLocaleString('en-US')} ${f.unit}${f.baseline ? `  (baseline ${f.baseline.name}: ${f.baseline.value.toLocaleString('en-US')} ${f.baseline.unit})` : ''}${f.note ? `\n    ${f.note}` : ''}`)
    .join('\n');
}

if (require.main === module) {
  routingBench().then((lines) => console.log(lines.join('\n')));
}
