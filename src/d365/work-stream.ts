import { ScenarioError } from '../sim/errors';
import { defaultDelays, type DelaySettings } from '../model/delays';
import type { Presence } from '../model/agent.machine';
import type { WrapUpCapacityBlock } from '../model/work-item.machine';
import type { AutomatedMessages } from './automated-messages';

/** Unified routing objects (d365-omnichannel.md §5.1), as much of them as the simulation models. */

/** Where a setting came from, for error messages: `row 3 of "Given the routing rules:"`. */
export interface Origin {
  origin?: string;
}

/** Weekly operating hours of a queue, evaluated on the virtual clock in the calendar's time zone (§5.1). */
export interface OperatingHours {
  /** As written: `Mon-Fri 09:00-17:00 Europe/Paris`. */
  text: string;
  /** ISO weekday numbers, Monday = 1 … Sunday = 7. */
  days: number[];
  /** Minutes after local midnight; `to` is exclusive. */
  from: number;
  to: number;
  timeZone: string;
}

export type OverflowCondition =
  | { kind: 'out of operating hours' }
  /** Open items already in the queue at which it counts as full (1–100, d365-omnichannel.md §7). */
  | { kind: 'work item limit'; limit: number }
  /** After queueing: waiting longer than this (messaging: 1 min – 2 days, §7). */
  | { kind: 'wait time'; ms: number };

export type OverflowAction =
  | { kind: 'end conversation'; message?: string }
  | { kind: 'transfer'; queue: string }
  | { kind: 'assign anyway' };

/** One overflow condition-action pair of a queue (d365-omnichannel.md §5.2 steps 5 and 10). */
export interface OverflowRule {
  condition: OverflowCondition;
  action: OverflowAction;
  text: string;
}

export type AssignmentMethod = 'highest capacity' | 'advanced round robin' | 'custom order';

export interface QueueSettings extends Origin {
  name: string;
  /** Smaller number = higher priority (d365-omnichannel.md §5.1). */
  priority: number;
  assignment: AssignmentMethod | 'round robin';
  /** Custom assignment: agents in the order they are tried. */
  customOrder?: string[];
  operatingHours?: OperatingHours;
  overflow?: OverflowRule[];
  /** Created by the harness or the work stream, not declared by the scenario (fallback or bot queue). */
  implicit?: boolean;
}

export interface RuleClause {
  variable: string;
  operator: '=' | '<>' | 'contains' | '<' | '<=' | '>' | '>=';
  value: string;
}

export interface QueueShare {
  queue: string;
  percent: number;
}

/** One item of the route-to-queue ruleset; all clauses must hold. An empty clause list is a catch-all. */
export interface RoutingRule extends Origin {
  name: string;
  condition: string;
  clauses: RuleClause[];
  queue: string;
  /** A percentage split across up to 5 queues summing to 100 (d365-omnichannel.md §5.1); `queue` is then the first. */
  split?: QueueShare[];
}

export interface SkillRequirement {
  skill: string;
  /** The lowest rating that satisfies it; 0 accepts any rating. */
  rating: number;
}

/** One item of a work classification ruleset: the first matching item of each ruleset sets its outputs (§5.1). */
export interface ClassificationRule extends Origin {
  ruleset: string;
  name: string;
  condition: string;
  clauses: RuleClause[];
  skills?: SkillRequirement[];
  priority?: number;
  capacityProfile?: string;
}

export interface AgentSettings extends Origin {
  name: string;
  presence: Presence;
  /** Unit-based capacity (units). */
  capacity: number;
  queues: string[];
  /** Skill name → rating (1–10). */
  skills?: Record<string, number>;
  /** Capacity profile name → work item limit, for profile-based work streams. */
  profiles?: Record<string, number>;
}

export interface ContextVariableDeclaration {
  name: string;
  type: 'Text' | 'Number';
}

export interface WorkStreamSettings {
  name: string;
  /** Live chat, or persistent chat whose items can wait for the customer (d365-omnichannel.md §4.2). */
  channel: 'live chat' | 'persistent chat';
  /** `msdyn_workdistributionmode`: Push offers work, Pick lets agents take it (immutable; bots only in Push). */
  distribution: 'push' | 'pick';
  /** The copilot is the first responder: D365 routes every new chat to it first (d365-omnichannel.md §6.1). */
  copilotFirstResponder: boolean;
  /** The bot queue D365 creates for the work stream's bot (`msdyn_bot_queue`, §5.1). */
  botQueue: string;
  fallbackQueue: string;
  capacityFormat: 'unit' | 'profile';
  /** Units a conversation consumes (`msdyn_capacityrequired`). */
  capacityRequired: number;
  /** Profile-based: the work stream's default capacity profile. */
  capacityProfile: string;
  /** Presences that may receive work (`msdyn_allowedpresences`). */
  allowedPresences: Presence[];
  /** `msdyn_matchinglogic`: Exact or Closest skill matching. */
  matching: 'exact' | 'closest';
  /** "Block capacity for wrap-up": always (default), don't, or custom for `delays.wrapUpCapacityBlock`. */
  wrapUpCapacity: WrapUpCapacityBlock;
  /** Missed notifications in a row after which an agent becomes Inactive; 0 turns it off. */
  inactiveAfterMissedNotifications: number;
  /** Post the customer's queue position every `delays.queuePositionInterval`. */
  queuePositionMessages: boolean;
  /** Context variables the work stream declares (Text or Number, §5.1). */
  contextVariables: ContextVariableDeclaration[];
  delays: DelaySettings;
}

export interface ContactCenterSettings {
  workStream: WorkStreamSettings;
  queues: QueueSettings[];
  classification?: ClassificationRule[];
  rules: RoutingRule[];
  agents: AgentSettings[];
  /** Admin-configured texts of the automated messages (d365-omnichannel.md §5.5). */
  automatedMessages?: Partial<AutomatedMessages>;
}

export function defaultWorkStream(): WorkStreamSettings {
  return {
    name: 'Live chat',
    channel: 'live chat',
    distribution: 'push',
    copilotFirstResponder: true,
    botQueue: 'Bot queue',
    fallbackQueue: 'Default',
    capacityFormat: 'unit',
    capacityRequired: 1,
    capacityProfile: 'Default',
    allowedPresences: ['Available', 'Busy'],
    matching: 'exact',
    wrapUpCapacity: 'always',
    inactiveAfterMissedNotifications: 0,
    queuePositionMessages: false,
    contextVariables: [],
    delays: { ...defaultDelays },
  };
}

export class ConfigurationError extends ScenarioError {}

const clausePattern = /^\s*([A-Za-z_][\w.]*)\s*(=|<>|!=|<=|>=|<|>|\bcontains\b)\s*"?(.*?)"?\s*$/i;
/** Words that make a rule a catch-all: it matches every conversation. */
const catchAll = /^\s*(otherwise|always|\*|)\s*$/i;

export function isCatchAll(condition: string): boolean {
  return catchAll.test(condition);
}

/**
 * Reads a rule condition such as `Department = "Billing" and va_Language = "es-es"`; `otherwise` is a
 * catch-all. Throws with the rule's name and the expected form when it cannot.
 */
export function parseRuleCondition(ruleName: string, condition: string): RuleClause[] {
  if (isCatchAll(condition) && condition.trim() !== '') return [];
  const parts = condition.split(/\s+and\s+/i).filter((part) => part.trim());
  if (parts.length === 0) {
    throw new ConfigurationError(`Routing rule "${ruleName}" has no condition. Every rule tests at least one context variable, or says "otherwise". Write it as: Department = "Billing".`);
  }
  return parts.map((part) => {
    const match = clausePattern.exec(part);
    if (!match) {
      throw new ConfigurationError(
        `Routing rule "${ruleName}" has a condition the simulation cannot read: "${part.trim()}". ` +
          'Conditions compare a context variable with =, <>, <, <=, >, >= or contains, joined by "and". Write it as: Department = "Billing".',
      );
    }
    const raw = match[2]!.toLowerCase();
    const operator = raw === '!=' ? '<>' : (raw as RuleClause['operator']);
    return { variable: match[1]!, operator, value: match[3]! };
  });
}

const quoted = (names: Iterable<string>) => [...names].map((name) => `"${name}"`).join(', ') || 'none';
const from = (item: Origin) => (item.origin ? ` (${item.origin})` : '');

/**
 * Checks the contact center before a scenario runs; each error names the rule, queue, agent or table row.
 * `knownVariables` are the context variables a rule may test: the work stream's declared ones, the va_*
 * variables of a handoff and the copilot's topics' variables.
 */
export function validateContactCenter(settings: ContactCenterSettings, knownVariables?: ReadonlySet<string>): void {
  const { workStream } = settings;
  const queues = new Map(settings.queues.map((queue) => [queue.name, queue]));
  const known = () => quoted(queues.keys());
  if (!queues.has(workStream.fallbackQueue)) {
    throw new ConfigurationError(
      `The work stream "${workStream.name}" falls back to queue "${workStream.fallbackQueue}", which is not defined. ` +
        `Defined queues: ${known()}. Add it to the queues table or name one of them as the fallback queue.`,
    );
  }
  if (workStream.copilotFirstResponder && workStream.distribution === 'pick') {
    throw new ConfigurationError(
      `The work stream "${workStream.name}" has a copilot as first responder and distributes work by pick. Bots can only be added to push work streams (d365-omnichannel.md §5.1). Choose push distribution or remove the copilot.`,
    );
  }
  const ruleVariables = (rule: { name: string; clauses: RuleClause[] } & Origin, kind: string) => {
    if (!knownVariables) return;
    for (const clause of rule.clauses) {
      if (!knownVariables.has(clause.variable)) {
        throw new ConfigurationError(
          `${kind} "${rule.name}"${from(rule)} tests the variable "${clause.variable}", which no one sets. ` +
            'Rules can test the work stream\'s context variables, the va_* variables of a handoff and the variables the copilot\'s topics set. ' +
            `Declare it among the work stream's context variables or fix the name; known variables: ${quoted([...knownVariables].sort())}.`,
        );
      }
    }
  };
  for (const rule of settings.classification ?? []) ruleVariables(rule, 'Classification rule');

  let catchAllRule: RoutingRule | undefined;
  for (const rule of settings.rules) {
    if (catchAllRule) {
      throw new ConfigurationError(
        `Routing rule "${rule.name}"${from(rule)} can never match: rule "${catchAllRule.name}" before it matches every conversation. ` +
          'Route-to-queue rules are tried in order and the first match wins. Move the catch-all rule to the end or give it a condition.',
      );
    }
    for (const queue of rule.split?.map((share) => share.queue) ?? [rule.queue]) {
      if (!queues.has(queue)) {
        throw new ConfigurationError(
          `Routing rule "${rule.name}" sends conversations to queue "${queue}", which is not defined. Defined queues: ${known()}. Add the queue or fix the rule${rule.origin ? ` in ${rule.origin}` : ''}.`,
        );
      }
    }
    ruleVariables(rule, 'Routing rule');
    if (rule.split) {
      const total = rule.split.reduce((sum, share) => sum + share.percent, 0);
      if (total !== 100 || rule.split.length > 5) {
        throw new ConfigurationError(
          `Routing rule "${rule.name}"${from(rule)} splits conversations ${rule.split.map((s) => `${s.queue} ${s.percent}%`).join(', ')}, which ${total !== 100 ? `sums to ${total}%` : `names ${rule.split.length} queues`}. ` +
            'A percentage split spreads work over at most 5 queues and sums to exactly 100%. Fix the percentages.',
        );
      }
    }
    if (rule.clauses.length === 0) catchAllRule = rule;
  }

  const members = new Map<string, string[]>();
  for (const agent of settings.agents) {
    for (const queue of agent.queues) {
      if (!queues.has(queue)) {
        throw new ConfigurationError(`Agent "${agent.name}"${from(agent)} is a member of queue "${queue}", which is not defined. Defined queues: ${known()}. Add the queue or fix the agent's queues.`);
      }
      members.set(queue, [...(members.get(queue) ?? []), agent.name]);
    }
    const hasCapacity =
      workStream.capacityFormat === 'unit' ? agent.capacity > 0 : Object.values(agent.profiles ?? {}).some((limit) => limit > 0);
    if (!hasCapacity) {
      throw new ConfigurationError(
        `Agent "${agent.name}"${from(agent)} has no capacity${workStream.capacityFormat === 'profile' ? ' in any capacity profile' : ''}. ` +
          `An agent without capacity can never be assigned work in the ${workStream.capacityFormat}-based work stream "${workStream.name}". ` +
          `Give the agent ${workStream.capacityFormat === 'unit' ? 'a capacity of 1 or more' : `a limit in profile "${workStream.capacityProfile}"`}.`,
      );
    }
  }

  for (const queue of settings.queues) {
    if (queue.implicit) continue;
    if (!members.has(queue.name)) {
      throw new ConfigurationError(
        `Queue "${queue.name}"${from(queue)} has no members. Conversations routed there would wait until the Open item is auto-closed. Add the queue to an agent's queues, or remove the queue.`,
      );
    }
    for (const name of queue.customOrder ?? []) {
      if (!settings.agents.some((agent) => agent.name === name)) {
        throw new ConfigurationError(`Queue "${queue.name}"${from(queue)} assigns in a custom order that names agent "${name}", who is not defined. Defined agents: ${quoted(settings.agents.map((a) => a.name))}. Fix the custom order.`);
      }
    }
    for (const overflow of queue.overflow ?? []) {
      if (overflow.action.kind === 'transfer' && !queues.has(overflow.action.queue)) {
        throw new ConfigurationError(`Queue "${queue.name}"${from(queue)} overflows to queue "${overflow.action.queue}" (${overflow.text}), which is not defined. Defined queues: ${known()}. Add the queue or fix the overflow action.`);
      }
      if (overflow.condition.kind === 'out of operating hours' && !queue.operatingHours) {
        throw new ConfigurationError(`Queue "${queue.name}"${from(queue)} has an overflow action for "out of operating hours" but no operating hours. A queue without operating hours is open 24×7, so the action never runs. Give the queue operating hours or remove the pair.`);
      }
    }
  }
  if (workStream.capacityFormat === 'profile') {
    const profiles = new Set([workStream.capacityProfile, ...(settings.classification ?? []).flatMap((rule) => (rule.capacityProfile ? [rule.capacityProfile] : []))]);
    for (const profile of profiles) {
      if (!settings.agents.some((agent) => (agent.profiles?.[profile] ?? 0) > 0)) {
        throw new ConfigurationError(`Capacity profile "${profile}" is not given to any agent. Work that needs it could never be assigned in the profile-based work stream "${workStream.name}". Add a "${profile}: <limit>" to an agent's profiles.`);
      }
    }
  }
}
