import type { Presence } from '../model/agent.machine';
import type { QueueSettings, RoutingRule, RuleClause, WorkStreamSettings } from './work-stream';

/** A routing decision and why: every rule tried, every agent considered (d365-omnichannel.md §5.2). */
export interface QueueDecision {
  queue: string;
  rule?: string;
  explanation: string[];
}

/**
 * Route-to-queue (d365-omnichannel.md §5.2 step 4): rules in order, the first whose conditions all
 * hold wins; none matching sends the item to the work stream's fallback queue.
 */
export function routeToQueue(context: Readonly<Record<string, string>>, rules: readonly RoutingRule[], fallbackQueue: string): QueueDecision {
  const explanation: string[] = [];
  for (const rule of rules) {
    const failed = rule.clauses.find((clause) => !clauseHolds(clause, context));
    if (!failed) {
      explanation.push(`rule "${rule.name}" matched (${rule.condition}) → queue "${rule.queue}"`);
      return { queue: rule.queue, rule: rule.name, explanation };
    }
    const actual = context[failed.variable];
    explanation.push(
      `rule "${rule.name}" did not match: ${failed.variable} is ${actual === undefined ? 'not set' : `"${actual}"`}, the rule needs ${failed.operator} "${failed.value}"`,
    );
  }
  explanation.push(`no rule matched → fallback queue "${fallbackQueue}"`);
  return { queue: fallbackQueue, explanation };
}

export function clauseHolds(clause: RuleClause, context: Readonly<Record<string, string>>): boolean {
  const actual = context[clause.variable];
  // Context variables compare exactly, case-sensitively (d365-omnichannel.md §5.1).
  switch (clause.operator) {
    case '=':
      return actual === clause.value;
    case '<>':
      return actual !== clause.value;
    case 'contains':
      return actual !== undefined && actual.toLowerCase().includes(clause.value.toLowerCase());
  }
}

/** What assignment needs to know about an agent at the moment of the decision. */
export interface AgentCandidate {
  name: string;
  presence: Presence;
  capacity: number;
  usedCapacity: number;
  queues: readonly string[];
  /** Holding a notification already: one offer at a time. */
  notified: boolean;
  /** Virtual time of the agent's last assignment; never assigned counts as earliest. */
  lastAssignedAt: number;
  /** Order the agent joined the queue, for round robin before anyone was assigned. */
  order: number;
}

export interface AgentDecision {
  agent?: string;
  explanation: string[];
}

/**
 * Assignment (d365-omnichannel.md §5.2 steps 7–8): eligible agents are members of the queue, in an
 * allowed presence, not holding a notification, with enough free capacity and not having declined this
 * item. Highest capacity picks the most free capacity, ties going round robin to the agent assigned
 * longest ago; round robin ignores capacity beyond eligibility.
 */
export function chooseAgent(
  queue: QueueSettings,
  candidates: readonly AgentCandidate[],
  workStream: Pick<WorkStreamSettings, 'allowedPresences' | 'capacityRequired'>,
  excluded: ReadonlySet<string>,
): AgentDecision {
  const explanation: string[] = [];
  const eligible: AgentCandidate[] = [];
  for (const agent of candidates) {
    if (!agent.queues.includes(queue.name)) continue;
    const free = agent.capacity - agent.usedCapacity;
    if (excluded.has(agent.name)) explanation.push(`${agent.name}: already declined or missed this conversation`);
    else if (!workStream.allowedPresences.includes(agent.presence)) explanation.push(`${agent.name}: presence ${agent.presence} is not allowed by the work stream`);
    else if (agent.notified) explanation.push(`${agent.name}: is answering another notification`);
    else if (free < workStream.capacityRequired) explanation.push(`${agent.name}: no free capacity (${agent.usedCapacity} of ${agent.capacity} used)`);
    else eligible.push(agent);
  }
  if (eligible.length === 0) {
    explanation.push(candidates.some((agent) => agent.queues.includes(queue.name)) ? 'no eligible agent; the conversation waits in the queue' : `queue "${queue.name}" has no members; the conversation waits in the queue`);
    return { explanation };
  }
  const byRoundRobin = (a: AgentCandidate, b: AgentCandidate) => a.lastAssignedAt - b.lastAssignedAt || a.order - b.order;
  const ranked =
    queue.assignment === 'highest capacity'
      ? [...eligible].sort((a, b) => b.capacity - b.usedCapacity - (a.capacity - a.usedCapacity) || byRoundRobin(a, b))
      : [...eligible].sort(byRoundRobin);
  const chosen = ranked[0]!;
  for (const agent of eligible) {
    explanation.push(`${agent.name}: eligible, ${agent.capacity - agent.usedCapacity} of ${agent.capacity} capacity free`);
  }
  explanation.push(`${chosen.name} chosen by ${queue.assignment}${ranked.length > 1 ? ' (ties go to the agent assigned longest ago)' : ''}`);
  return { agent: chosen.name, explanation };
}
