import type { Presence, ProfileCapacity } from '../model/agent.machine';
import { isOperating, localTime, untilOpen } from './operating-hours';
import type {
  ClassificationRule,
  OverflowAction,
  OverflowRule,
  QueueSettings,
  QueueShare,
  RoutingRule,
  RuleClause,
  SkillRequirement,
  WorkStreamSettings,
} from './work-stream';

/**
 * Unified routing as pure functions (d365-omnichannel.md §5.2): classification, route-to-queue with the
 * pre-queue overflow check, and assignment. Every decision carries its explanation; the lines are built
 * only when read, so deciding stays cheap when nobody asks why.
 */

type Context = Readonly<Record<string, string>>;

/** A decision whose explanation lines are built on first read. */
class Explained {
  #build: (() => string[]) | undefined;
  #lines: string[] | undefined;

  constructor(build: () => string[]) {
    this.#build = build;
  }

  get explanation(): string[] {
    if (!this.#lines) {
      this.#lines = this.#build!();
      this.#build = undefined;
    }
    return this.#lines;
  }

  toJSON(): object {
    return { ...this, explanation: this.explanation };
  }
}

function lazy<T extends object>(target: T, build: () => string[]): T & { explanation: string[] } {
  return Object.assign(new Explained(build), target) as unknown as T & { explanation: string[] };
}

export function clauseHolds(clause: RuleClause, context: Context): boolean {
  const actual = context[clause.variable];
  // Context variables compare exactly, case-sensitively (d365-omnichannel.md §5.1); Number variables compare as numbers.
  switch (clause.operator) {
    case '=':
      return actual === clause.value;
    case '<>':
      return actual !== clause.value;
    case 'contains':
      return actual !== undefined && actual.toLowerCase().includes(clause.value.toLowerCase());
    default: {
      if (actual === undefined || actual === '') return false;
      const left = Number(actual);
      const right = Number(clause.value);
      if (Number.isNaN(left) || Number.isNaN(right)) return false;
      return clause.operator === '<' ? left < right : clause.operator === '<=' ? left <= right : clause.operator === '>' ? left > right : left >= right;
    }
  }
}

function firstFailingClause(clauses: readonly RuleClause[], context: Context): RuleClause | undefined {
  for (const clause of clauses) if (!clauseHolds(clause, context)) return clause;
  return undefined;
}

function whyNot(clause: RuleClause, context: Context): string {
  const actual = context[clause.variable];
  return `${clause.variable} is ${actual === undefined ? 'not set' : `"${actual}"`}, the rule needs ${clause.operator} "${clause.value}"`;
}

// Work classification (§5.2 step 3)

export interface Classification {
  skills: SkillRequirement[];
  priority?: number;
  /** Profiles appended by classification, on top of the work stream's default profile (§5.3). */
  capacityProfiles: string[];
  explanation: string[];
}

/** Rulesets in order of appearance; the first matching item of each ruleset sets its outputs. */
export function classify(context: Context, rules: readonly ClassificationRule[]): Classification {
  const result: Omit<Classification, 'explanation'> = { skills: [], capacityProfiles: [] };
  const tried: Array<{ rule: ClassificationRule; failed?: RuleClause }> = [];
  const settled = new Set<string>();
  for (const rule of rules) {
    if (settled.has(rule.ruleset)) continue;
    const failed = firstFailingClause(rule.clauses, context);
    tried.push({ rule, failed });
    if (failed) continue;
    settled.add(rule.ruleset);
    if (rule.skills) result.skills.push(...rule.skills);
    if (rule.priority !== undefined) result.priority = rule.priority;
    if (rule.capacityProfile) result.capacityProfiles.push(rule.capacityProfile);
  }
  return lazy(result, () =>
    tried.map(({ rule, failed }) =>
      failed
        ? `classification "${rule.ruleset}" rule "${rule.name}" did not match: ${whyNot(failed, context)}`
        : `classification "${rule.ruleset}" rule "${rule.name}" matched (${rule.condition}) → ${outputs(rule)}`,
    ),
  );
}

function outputs(rule: ClassificationRule): string {
  const parts: string[] = [];
  if (rule.skills?.length) parts.push(`skills ${rule.skills.map(skillText).join(', ')}`);
  if (rule.priority !== undefined) parts.push(`priority ${rule.priority}`);
  if (rule.capacityProfile) parts.push(`capacity profile "${rule.capacityProfile}"`);
  return parts.join(', ') || 'no outputs';
}

function skillText(skill: SkillRequirement): string {
  return skill.rating > 0 ? `${skill.skill} (rating ${skill.rating}+)` : skill.skill;
}

// Route-to-queue and the pre-queue overflow check (§5.2 steps 4–5)

export interface OverflowVerdict {
  condition: string;
  action: OverflowAction;
}

export interface RouteOptions {
  /** Virtual time, for operating hours. */
  now: number;
  queues: ReadonlyMap<string, QueueSettings>;
  /** Open items already waiting in a queue (the work item limit counts them). */
  openItems(queue: string): number;
  /** A number in [0, 100) from the simulation's seeded Faker, for percentage splits. */
  draw(): number;
  /** Run the pre-queue overflow check (once per item; with a bot, only on its first escalation). */
  checkOverflow: boolean;
}

export interface QueueDecision {
  /** The queue the item goes to (after an overflow transfer, the target queue). */
  queue: string;
  rule?: string;
  /** Overflow "End conversation": the item is closed with this message instead of queued. */
  end?: { message?: string };
  overflow?: OverflowVerdict & { queue: string };
  explanation: string[];
}

/** Pre-queue overflow conditions of one queue; a queue with hours gets an implicit out-of-hours → assign anyway. */
export function preQueueOverflow(queue: QueueSettings, now: number, openItems: number): OverflowVerdict | undefined {
  const closed = !isOperating(queue.operatingHours, now);
  for (const pair of queue.overflow ?? []) {
    if (pair.condition.kind === 'out of operating hours' && closed) return { condition: `out of operating hours (${hoursNote(queue, now)})`, action: pair.action };
    if (pair.condition.kind === 'work item limit' && openItems >= pair.condition.limit) {
      return { condition: `work item limit exceeded (${openItems} open items, limit ${pair.condition.limit})`, action: pair.action };
    }
  }
  if (closed) return { condition: `out of operating hours (${hoursNote(queue, now)}), implicit action`, action: { kind: 'assign anyway' } };
  return undefined;
}

function hoursNote(queue: QueueSettings, now: number): string {
  return queue.operatingHours ? `it is ${localTime(now, queue.operatingHours.timeZone).text}, hours ${queue.operatingHours.text}` : '24×7';
}

/** The after-queue wait-time pair of a queue, if it has one (§5.2 step 10). */
export function waitOverflow(queue: QueueSettings | undefined): (OverflowRule & { condition: { kind: 'wait time'; ms: number } }) | undefined {
  return queue?.overflow?.find((pair): pair is OverflowRule & { condition: { kind: 'wait time'; ms: number } } => pair.condition.kind === 'wait time');
}

function pickShare(split: readonly QueueShare[], draw: number): QueueShare {
  let cumulative = 0;
  for (const share of split) {
    cumulative += share.percent;
    if (draw < cumulative) return share;
  }
  return split[split.length - 1]!;
}

const noOverflowCheck: RouteOptions = { now: 0, queues: new Map(), openItems: () => 0, draw: () => 0, checkOverflow: false };

/**
 * Route-to-queue (d365-omnichannel.md §5.2 step 4): rules in order; the first matching rule whose queue
 * is not overflowing wins; a split rule draws its queue. None matching sends the item to the fallback
 * queue, overflow ignored. When every matched queue overflows, an operating one (else the earliest to
 * open) is taken and its overflow action runs (step 5).
 */
export function routeToQueue(context: Context, rules: readonly RoutingRule[], fallbackQueue: string, options: RouteOptions = noOverflowCheck): QueueDecision {
  const lines: Array<() => string> = [];
  const trail: Array<{ rule: RoutingRule; failed: RuleClause }> = [];
  const explain = () => [...trail.map(({ rule, failed }) => `rule "${rule.name}" did not match: ${whyNot(failed, context)}`), ...lines.map((line) => line())];
  const overflowing: Array<{ rule: RoutingRule; queue: QueueSettings; verdict: OverflowVerdict }> = [];
  for (const rule of rules) {
    const failed = firstFailingClause(rule.clauses, context);
    if (failed) {
      if (lines.length === 0) trail.push({ rule, failed });
      else lines.push(() => `rule "${rule.name}" did not match: ${whyNot(failed, context)}`);
      continue;
    }
    let queueName = rule.queue;
    if (rule.split) {
      const draw = options.draw();
      const share = pickShare(rule.split, draw);
      queueName = share.queue;
      lines.push(() => `rule "${rule.name}" matched (${rule.condition}); split ${rule.split!.map((s) => `${s.queue} ${s.percent}%`).join(', ')} drew ${draw.toFixed(1)} → queue "${share.queue}"`);
    } else {
      lines.push(() => `rule "${rule.name}" matched (${rule.condition || 'otherwise'}) → queue "${queueName}"`);
    }
    const queue = options.queues.get(queueName);
    if (!options.checkOverflow || !queue) {
      return lazy({ queue: queueName, rule: rule.name }, explain);
    }
    const open = options.openItems(queueName);
    const verdict = preQueueOverflow(queue, options.now, open);
    if (!verdict) {
      lines.push(() => `queue "${queueName}" is not overflowing (${hoursNote(queue, options.now)}; ${open} open items${limitNote(queue)})`);
      return lazy({ queue: queueName, rule: rule.name }, explain);
    }
    lines.push(() => `queue "${queueName}" is overflowing: ${verdict.condition}; trying the next rule`);
    overflowing.push({ rule, queue, verdict });
  }
  if (overflowing.length === 0) {
    lines.push(() => `no rule matched → fallback queue "${fallbackQueue}" (overflow is not checked for the fallback queue)`);
    return lazy({ queue: fallbackQueue }, explain);
  }
  const chosen =
    overflowing.find((item) => isOperating(item.queue.operatingHours, options.now)) ??
    [...overflowing].sort((a, b) => untilOpen(a.queue.operatingHours, options.now) - untilOpen(b.queue.operatingHours, options.now))[0]!;
  const { action, condition } = chosen.verdict;
  const base = { rule: chosen.rule.name, overflow: { ...chosen.verdict, queue: chosen.queue.name } };
  lines.push(() => `every matched queue is overflowing; queue "${chosen.queue.name}" is ${overflowing.length > 1 ? 'the one chosen (operating, else earliest to open)' : 'the only match'}, so its overflow action runs for ${condition}`);
  switch (action.kind) {
    case 'end conversation':
      lines.push(() => `overflow action: end the conversation${action.message ? ` with "${action.message}"` : ''}`);
      return lazy({ ...base, queue: chosen.queue.name, end: { message: action.message } }, explain);
    case 'transfer':
      lines.push(() => `overflow action: transfer to queue "${action.queue}"`);
      return lazy({ ...base, queue: action.queue }, explain);
    case 'assign anyway':
      lines.push(() => `overflow action: assign to queue "${chosen.queue.name}" anyway`);
      return lazy({ ...base, queue: chosen.queue.name }, explain);
  }
}

function limitNote(queue: QueueSettings): string {
  const limit = queue.overflow?.find((pair) => pair.condition.kind === 'work item limit');
  return limit && limit.condition.kind === 'work item limit' ? `, limit ${limit.condition.limit}` : '';
}

// Assignment (§5.2 steps 7–8, §5.3)

/** What assignment needs to know about an agent at the moment of the decision. */
export interface AgentCandidate {
  name: string;
  presence: Presence;
  capacity: number;
  usedCapacity: number;
  profiles?: Readonly<Record<string, ProfileCapacity>>;
  queues: readonly string[];
  /** Skill → rating. */
  skills?: Readonly<Record<string, number>>;
  /** Holding a notification already: one offer at a time. */
  notified: boolean;
  /** Virtual time of the agent's last assignment; never assigned counts as earliest. */
  lastAssignedAt: number;
  /** Advanced round robin keeps its order per queue: last assignment from this queue. */
  lastAssignedInQueue?: Readonly<Record<string, number>>;
  /** Order the agent joined the queue, for round robin before anyone was assigned. */
  order: number;
}

export interface WorkRequirements {
  skills?: readonly SkillRequirement[];
  /** Profile-based capacity: every profile the item needs one unit of. */
  capacityProfiles?: readonly string[];
}

type AssignmentWorkStream = Pick<WorkStreamSettings, 'allowedPresences' | 'capacityRequired'> & Partial<Pick<WorkStreamSettings, 'capacityFormat' | 'matching'>>;

type Verdict =
  | { eligible: false; why: string }
  | { eligible: true; free: number; skillScore: number; skillGap: number; missing: string[] | undefined };

export interface AgentDecision {
  agent?: string;
  /** Agents of the queue that were considered, in candidate order. */
  considered: number;
  explanation: string[];
}

function judge(agent: AgentCandidate, workStream: AssignmentWorkStream, excluded: ReadonlySet<string>, requirements: WorkRequirements | undefined): Verdict {
  if (excluded.has(agent.name)) return { eligible: false, why: 'already declined or missed this conversation' };
  if (!workStream.allowedPresences.includes(agent.presence)) return { eligible: false, why: `presence ${agent.presence} is not allowed by the work stream` };
  if (agent.notified) return { eligible: false, why: 'is answering another notification' };
  let skillScore = 0;
  let skillGap = 0;
  const required = requirements?.skills ?? [];
  let missing: string[] | undefined;
  for (const need of required) {
    const rating = agent.skills?.[need.skill];
    if (rating !== undefined && rating >= need.rating) {
      skillScore += 1;
      skillGap += rating - need.rating;
    } else (missing ??= []).push(rating === undefined ? `lacks ${need.skill}` : `${need.skill} rated ${rating}, needs ${need.rating}`);
  }
  if (missing && (workStream.matching ?? 'exact') === 'exact') return { eligible: false, why: `${missing.join(', ')} (exact skill match)` };
  let free: number;
  if ((workStream.capacityFormat ?? 'unit') === 'profile') {
    free = 0;
    for (const profile of requirements?.capacityProfiles ?? []) {
      const capacity = agent.profiles?.[profile];
      const left = capacity ? capacity.limit - capacity.used : 0;
      if (left < 1) return { eligible: false, why: capacity ? `no free capacity in profile "${profile}" (${capacity.used} of ${capacity.limit} used)` : `has no capacity profile "${profile}"` };
      free += left;
    }
  } else {
    free = agent.capacity - agent.usedCapacity;
    if (free < workStream.capacityRequired) return { eligible: false, why: `no free capacity (${agent.usedCapacity} of ${agent.capacity} used)` };
  }
  return { eligible: true, free, skillScore, skillGap, missing };
}

function eligibleNote(agent: AgentCandidate, verdict: Extract<Verdict, { eligible: true }>, workStream: AssignmentWorkStream, requirements: WorkRequirements | undefined): string {
  const required = requirements?.skills?.length ?? 0;
  const skillNote = required > 0 ? `, matches ${verdict.skillScore} of ${required} skills${verdict.missing ? ` (${verdict.missing.join(', ')})` : ''}` : '';
  const capacityNote =
    (workStream.capacityFormat ?? 'unit') === 'profile' ? `${verdict.free} free in profiles ${(requirements?.capacityProfiles ?? []).join(', ')}` : `${verdict.free} of ${agent.capacity} capacity free`;
  return `eligible, ${capacityNote}${skillNote}`;
}

/**
 * Assignment (d365-omnichannel.md §5.2 steps 7–8): eligible agents are members of the queue, in an
 * allowed presence, not holding a notification, matching the skills (exactly, or the closest), with
 * enough free capacity and not having declined this item. Closest matching ranks by skills matched
 * first. Highest capacity then picks the most free capacity, ties to the agent assigned longest ago;
 * advanced round robin takes the queue's longest-unassigned agent; custom order follows the queue's list.
 */
export function chooseAgent(queue: QueueSettings, candidates: readonly AgentCandidate[], workStream: AssignmentWorkStream, excluded: ReadonlySet<string>, requirements?: WorkRequirements): AgentDecision {
  const judged: Array<{ agent: AgentCandidate; verdict: Verdict }> = [];
  let best: { agent: AgentCandidate; verdict: Extract<Verdict, { eligible: true }> } | undefined;
  const method = queue.assignment === 'round robin' ? 'advanced round robin' : queue.assignment;
  const closest = (workStream.matching ?? 'exact') === 'closest' && (requirements?.skills?.length ?? 0) > 0;
  const customRank = (name: string) => {
    const index = queue.customOrder?.indexOf(name) ?? -1;
    return index < 0 ? Number.MAX_SAFE_INTEGER : index;
  };
  const roundRobin = (a: AgentCandidate, b: AgentCandidate) => a.lastAssignedAt - b.lastAssignedAt || a.order - b.order;
  const inQueue = (a: AgentCandidate) => a.lastAssignedInQueue?.[queue.name] ?? Number.NEGATIVE_INFINITY;
  // Negative: a ranks before b.
  const compare = (a: AgentCandidate, va: Extract<Verdict, { eligible: true }>, b: AgentCandidate, vb: Extract<Verdict, { eligible: true }>): number => {
    // Closest matching ranks by skills matched, then by the smallest rating surplus; exact matching only filters.
    const skills = closest ? vb.skillScore - va.skillScore || va.skillGap - vb.skillGap : 0;
    if (skills !== 0) return skills;
    if (method === 'custom order') return customRank(a.name) - customRank(b.name) || a.order - b.order;
    if (method === 'advanced round robin') return inQueue(a) - inQueue(b) || a.order - b.order;
    return vb.free - va.free || roundRobin(a, b);
  };
  for (const agent of candidates) {
    if (!agent.queues.includes(queue.name)) continue;
    const verdict = judge(agent, workStream, excluded, requirements);
    judged.push({ agent, verdict });
    if (verdict.eligible && (!best || compare(agent, verdict, best.agent, best.verdict) < 0)) best = { agent, verdict };
  }
  const tiedOthers = () => judged.filter((j) => j.verdict.eligible && j.agent !== best?.agent).length;
  return lazy({ agent: best?.agent.name, considered: judged.length }, () => {
    const lines = judged.map(({ agent, verdict }) => `${agent.name}: ${verdict.eligible ? eligibleNote(agent, verdict, workStream, requirements) : verdict.why}`);
    if (!best) {
      lines.push(judged.length > 0 ? 'no eligible agent; the conversation waits in the queue' : `queue "${queue.name}" has no members; the conversation waits in the queue`);
      return lines;
    }
    const why =
      method === 'custom order'
        ? 'first eligible agent in the queue\'s custom order'
        : method === 'advanced round robin'
          ? 'longest since the last assignment from this queue'
          : `most free capacity${tiedOthers() > 0 ? '; ties go to the agent assigned longest ago' : ''}`;
    const skills = (requirements?.skills?.length ?? 0) > 0 ? `${closest ? 'closest skill match, then' : 'exact skill match, then'} ` : '';
    lines.push(`${best.agent.name} chosen by ${method} (${skills}${why})`);
    return lines;
  });
}
