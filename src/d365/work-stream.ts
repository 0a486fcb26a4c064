import { ScenarioError } from '../sim/errors';
import { defaultDelays, type DelaySettings } from '../model/delays';
import type { Presence } from '../model/agent.machine';

/** Unified routing objects (d365-omnichannel.md §5.1), as much of them as the simulation models. */
export interface QueueSettings {
  name: string;
  /** Smaller number = higher priority (d365-omnichannel.md §5.1). */
  priority: number;
  assignment: 'highest capacity' | 'round robin';
}

export interface RuleClause {
  variable: string;
  operator: '=' | '<>' | 'contains';
  value: string;
}

/** One item of the route-to-queue ruleset; all clauses must hold. */
export interface RoutingRule {
  name: string;
  condition: string;
  clauses: RuleClause[];
  queue: string;
}

export interface AgentSettings {
  name: string;
  presence: Presence;
  capacity: number;
  queues: string[];
}

export interface WorkStreamSettings {
  name: string;
  /** The copilot is the first responder: D365 routes every new chat to it first (d365-omnichannel.md §6.1). */
  copilotFirstResponder: boolean;
  fallbackQueue: string;
  /** Units a conversation consumes (`msdyn_capacityrequired`). */
  capacityRequired: number;
  /** Presences that may receive work (`msdyn_allowedpresences`). */
  allowedPresences: Presence[];
  delays: DelaySettings;
}

export interface ContactCenterSettings {
  workStream: WorkStreamSettings;
  queues: QueueSettings[];
  rules: RoutingRule[];
  agents: AgentSettings[];
}

export function defaultWorkStream(): WorkStreamSettings {
  return {
    name: 'Live chat',
    copilotFirstResponder: true,
    fallbackQueue: 'Default',
    capacityRequired: 1,
    allowedPresences: ['Available', 'Busy'],
    delays: { ...defaultDelays },
  };
}

export class ConfigurationError extends ScenarioError {}

const clausePattern = /^\s*([A-Za-z_][\w.]*)\s*(=|<>|!=|\bcontains\b)\s*"?(.*?)"?\s*$/i;

/**
 * Reads a rule condition such as `Department = "Billing" and va_Language = "es-es"`.
 * Throws with the rule's name and the expected form when it cannot.
 */
export function parseRuleCondition(ruleName: string, condition: string): RuleClause[] {
  const parts = condition.split(/\s+and\s+/i).filter((part) => part.trim());
  if (parts.length === 0) {
    throw new ConfigurationError(`Routing rule "${ruleName}" has no condition. Every route-to-queue rule tests at least one context variable. Write it as: Department = "Billing".`);
  }
  return parts.map((part) => {
    const match = clausePattern.exec(part);
    if (!match) {
      throw new ConfigurationError(
        `Routing rule "${ruleName}" has a condition the simulation cannot read: "${part.trim()}". ` +
          'Conditions compare a context variable with =, <> or contains, joined by "and". Write it as: Department = "Billing".',
      );
    }
    const operator = match[2]!.toLowerCase() === '!=' ? '<>' : (match[2]!.toLowerCase() as RuleClause['operator']);
    return { variable: match[1]!, operator, value: match[3]! };
  });
}

/** Checks names across the tables before a scenario runs; each error names the rule, queue or agent. */
export function validateContactCenter(settings: ContactCenterSettings): void {
  const queues = new Set(settings.queues.map((queue) => queue.name));
  const known = () => [...queues].map((name) => `"${name}"`).join(', ') || 'none';
  if (!queues.has(settings.workStream.fallbackQueue)) {
    throw new ConfigurationError(
      `The work stream "${settings.workStream.name}" falls back to queue "${settings.workStream.fallbackQueue}", which is not defined. ` +
        `Defined queues: ${known()}. Add it to the queues table or name one of them as the fallback queue.`,
    );
  }
  for (const rule of settings.rules) {
    if (!queues.has(rule.queue)) {
      throw new ConfigurationError(`Routing rule "${rule.name}" sends conversations to queue "${rule.queue}", which is not defined. Defined queues: ${known()}. Add the queue or fix the rule.`);
    }
  }
  for (const agent of settings.agents) {
    for (const queue of agent.queues) {
      if (!queues.has(queue)) {
        throw new ConfigurationError(`Agent "${agent.name}" is a member of queue "${queue}", which is not defined. Defined queues: ${known()}. Add the queue or fix the agent's queues.`);
      }
    }
  }
}
