import { defaultDelays } from '../model/delays';
import { workItemStatusLabels } from '../model/work-item.machine';
import { describeEvent, describeLifecycle, type MachineModel, type MachineName, type ModelTransition } from './model-coverage';

/**
 * Gherkin skeletons for transitions no scenario covers. Each scenario walks the machine's shortest
 * path (of its definition, guards aside) from the initial state to the transition's source, then fires
 * the transition and checks where it lands. Every step is one of the project's own step expressions,
 * and only if the run defined it; an event no step can cause yet becomes a `# TODO` line to write.
 */
export interface SuggestOptions {
  /** The step expressions the run knew (`stepDefinition.pattern.source` of its messages). */
  stepExpressions: ReadonlySet<string>;
  models?: readonly MachineModel[];
}

/** A step of a skeleton: a real step, or a TODO line saying what is missing. */
type Line = { keyword: 'Given' | 'When' | 'Then'; text: string } | { todo: string };

const agent = '"Alice"';
const otherAgent = '"Bruno"';

/** How each event is caused in a feature: the step expression and its text with example values. */
const causes: Record<string, { expression: string; text: string } | { todo: string }> = {
  'copilot.engaged': { expression: 'the customer says {string}', text: 'the customer says "hello"' },
  'customer.messaged': { expression: 'the customer says {string}', text: 'the customer says "hello"' },
  'copilot.escalated': { expression: 'the customer says {string}', text: 'the customer says "talk to a person"' },
  'copilot.ended': { expression: 'the customer says {string}', text: 'the customer says "goodbye"' },
  'agent.accepted': { expression: 'agent {agent} accepts', text: `agent ${agent} accepts` },
  'agent.declined': { expression: 'agent {agent} declines', text: `agent ${agent} declines` },
  'agent.offerExpired': { expression: 'agent {agent} ignores the notification', text: `agent ${agent} ignores the notification` },
  'agent.picked': { expression: 'agent {agent} picks a conversation', text: `agent ${agent} picks a conversation` },
  'agent.transferred': { expression: 'agent {agent} transfers the conversation to agent {agent}', text: `agent ${agent} transfers the conversation to agent ${otherAgent}` },
  'agent.ended': { expression: 'agent {agent} ends the conversation', text: `agent ${agent} ends the conversation` },
  'agent.closedSession': { expression: 'agent {agent} closes the session', text: `agent ${agent} closes the session` },
  'agent.offerWithdrawn': { expression: 'the supervisor assigns the conversation to agent {agent}', text: `the supervisor assigns the conversation to agent ${otherAgent}` },
  'supervisor.assigned': { expression: 'the supervisor assigns the conversation to agent {agent}', text: `the supervisor assigns the conversation to agent ${otherAgent}` },
  'supervisor.forceClosed': { expression: 'the supervisor force closes the conversation', text: 'the supervisor force closes the conversation' },
  'customer.ended': { expression: 'the customer ends the chat', text: 'the customer ends the chat' },
  'customer.disconnected': { expression: 'the customer disconnects', text: 'the customer disconnects' },
  'customer.reconnected': { expression: 'the customer reconnects', text: 'the customer reconnects' },
  'routing.overflowed': { todo: 'make the queue overflow (its overflow settings in the work stream); no single step fires "routing.overflowed"' },
  'workItem.closed': { todo: 'close the work item (a Dynamics 365 timer or the agent closing the session); the conversation follows it' },
  'workItem.wrappedUp': { todo: 'move the work item to wrap-up; the conversation follows it' },
  'workItem.awaitingCustomer': { todo: 'end the agent session of a persistent chat so the item waits for the customer' },
};

/** Where the same event is caused differently depending on the state it leaves. */
const causesFrom: Record<string, Array<{ expression: string; text: string; keyword?: 'Given' }>> = {
  'routing.queued@withCopilot': [
    { keyword: 'Given', expression: 'the work stream {string} without a copilot and fallback queue {string}', text: 'the work stream "Live chat" without a copilot and fallback queue "General"' },
    { expression: 'the customer says {string}', text: 'the customer says "hello"' },
  ],
  'routing.queued@withAgent': [{ expression: 'agent {agent} transfers the conversation to queue {string}', text: `agent ${agent} transfers the conversation to queue "General"` }],
  'routing.queued@active.inConversation': [{ expression: 'agent {agent} transfers the conversation to queue {string}', text: `agent ${agent} transfers the conversation to queue "General"` }],
  'routing.queued@awaitingCustomer': [{ expression: 'the customer says {string}', text: 'the customer says "hello"' }],
};

/** Events the simulation raises on its own after the previous step; a check states they happened. */
const automatic: Record<string, Line | undefined> = {
  'routing.queued': undefined,
  'agent.offered': { keyword: 'Then', text: `agent ${agent} is offered the conversation` },
};

/** Situation words of the `{situation}` parameter type, by conversation state. */
const situations: Record<string, string> = {
  withCopilot: 'with the copilot',
  escalated: 'escalated',
  queued: 'waiting in a queue',
  offered: 'offered to an agent',
  withAgent: 'with an agent',
  wrapUp: 'in wrap-up',
  awaitingCustomer: 'waiting for the customer',
  closed: 'closed',
};

const background = `  Background:
    Given the copilot "Contoso Assistant" with the topics:
      | topic    | trigger phrases  | reply                             | then              |
      | Greeting | hello            | Hello! How can I help?            |                   |
      | Escalate | talk to a person | Let me connect you with an agent. | transfer to agent |
      | Goodbye  | goodbye          | Goodbye!                          | end conversation  |
    And the queues:
      | queue   |
      | General |
    And the agents:
      | agent | queues  | capacity |
      | Alice | General | 2        |
      | Bruno | General | 1        |
`;

/** One feature file of skeletons, or an empty string when every transition is covered. */
export function suggestScenarios(uncovered: readonly ModelTransition[], options: SuggestOptions): string {
  if (uncovered.length === 0) return '';
  const models = options.models ?? describeLifecycle();
  const scenarios = uncovered.map((transition) => {
    const model = models.find((m) => m.machine === transition.machine);
    const path = model ? shortestPathTo(model, transition.source, new Set(Object.keys(automatic))) : [];
    const lines: Line[] = [];
    for (const { from, event } of path) lines.push(...linesFor(transition.machine, event, from, options.stepExpressions));
    lines.push(...linesFor(transition.machine, transition.event, transition.source === '*' ? model?.initial ?? '*' : transition.source, options.stepExpressions));
    // A scenario starts with the customer doing something; nothing else gets a conversation going.
    if (transition.source === '*' || !lines.some((line) => 'keyword' in line && line.keyword !== 'Then')) lines.unshift(step('When', 'the customer says {string}', 'the customer says "hello"', options.stepExpressions));
    lines.push(checkFor(transition.machine, transition.target, options.stepExpressions));
    return renderScenario(transition, lines);
  });
  return [
    '# Skeletons written by `handoff coverage --suggest` for lifecycle transitions no scenario covers.',
    '# Each reaches the transition along the model\'s shortest path, fires it, and checks where it lands.',
    '# Fill in the TODO lines, give each scenario a name in the business\'s words, and move it under features/.',
    '@wip',
    'Feature: Lifecycle transitions no scenario covers yet',
    '',
    background,
    scenarios.join('\n'),
  ].join('\n');
}

/**
 * Events from the machine's initial state to any state within `source`, cheapest first: an ordinary
 * event costs 1, one that needs a special set-up (a pick work stream, a supervisor, an overflow, a step
 * that does not exist) costs 10, so the path is the one a scenario writer would take. Events in
 * `automatic` happen on their own only once the customer did something: not in a new conversation.
 */
export function shortestPathTo(model: MachineModel, source: string, automatic: ReadonlySet<string> = new Set()): Array<{ from: string; event: string }> {
  if (source === '*') return [];
  const within = (state: string, ancestor: string): boolean => state === ancestor || state.startsWith(`${ancestor}.`);
  type Node = { state: string; acted: boolean };
  const key = (node: Node) => `${node.acted ? '+' : '-'}${node.state}`;
  const start: Node = { state: model.initial, acted: false };
  const cost = new Map<string, number>([[key(start), 0]]);
  const nodes = new Map<string, Node>([[key(start), start]]);
  const previous = new Map<string, { from: string; event: string; key: string }>();
  const done = new Set<string>();
  for (;;) {
    let current: string | undefined;
    for (const [candidate, value] of cost) if (!done.has(candidate) && (current === undefined || value < cost.get(current)!)) current = candidate;
    if (current === undefined) return [];
    const node = nodes.get(current)!;
    if (within(node.state, source)) {
      const steps: Array<{ from: string; event: string }> = [];
      for (let at = previous.get(current); at; at = previous.get(at.key)) steps.unshift({ from: at.from, event: at.event });
      return steps;
    }
    done.add(current);
    for (const transition of model.transitions) {
      if (transition.source !== '*' && !within(node.state, transition.source)) continue;
      const isAutomatic = automatic.has(transition.event);
      if (isAutomatic && !node.acted) continue;
      const next: Node = { state: transition.target, acted: node.acted || !isAutomatic };
      const nextCost = cost.get(current)! + eventCost(transition.event);
      if (nextCost < (cost.get(key(next)) ?? Number.POSITIVE_INFINITY)) {
        cost.set(key(next), nextCost);
        nodes.set(key(next), next);
        previous.set(key(next), { from: node.state, event: transition.event, key: current });
      }
    }
  }
}

/** Events a scenario reaches only with a special set-up. */
const costly = new Set(['agent.picked', 'supervisor.assigned', 'agent.offerWithdrawn', 'routing.overflowed', 'agent.transferred', 'workItem.closed', 'workItem.wrappedUp', 'workItem.awaitingCustomer', 'supervisor.forceClosed']);

function eventCost(event: string): number {
  return costly.has(event) || (!(event in causes) && !(event in automatic) && !event.startsWith('xstate.after.')) ? 10 : 1;
}

function linesFor(machine: MachineName, event: string, from: string, known: ReadonlySet<string>): Line[] {
  const specific = Object.entries(causesFrom).find(([key]) => {
    const [keyEvent, keyState] = key.split('@') as [string, string];
    return keyEvent === event && (from === keyState || from.startsWith(`${keyState}.`));
  });
  if (specific) return specific[1].map((cause) => step(cause.keyword ?? 'When', cause.expression, cause.text, known));
  if (event in automatic) {
    const check = automatic[event];
    // The agent machine is offered by the customer asking for a person; the others see it happen.
    if (machine === 'agent' && event === 'agent.offered') return [step('When', 'the customer says {string}', 'the customer says "talk to a person"', known)];
    return check ? [check] : [];
  }
  const delayed = /^xstate\.after\.([^.]+)\./.exec(event);
  if (delayed) {
    const ms = (defaultDelays as Record<string, number>)[delayed[1]!];
    if (ms === undefined) return [{ todo: `let the "${delayed[1]}" timer expire` }];
    const text = duration(ms);
    return [step('When', '{duration} pass(es)', `${text} ${text.startsWith('1 ') ? 'passes' : 'pass'}`, known)];
  }
  const cause = causes[event];
  if (!cause) return [{ todo: `no step causes "${describeEvent(event)}" yet` }];
  if ('todo' in cause) return [{ todo: cause.todo }];
  return [step('When', cause.expression, cause.text, known)];
}

function checkFor(machine: MachineName, target: string, known: ReadonlySet<string>): Line {
  if (machine === 'conversation') {
    const words = situations[target];
    return words ? step('Then', 'the conversation is {situation}', `the conversation is ${words}`, known) : { todo: `check the conversation is ${target}` };
  }
  if (machine === 'workItem') {
    const label = (workItemStatusLabels as Record<string, string>)[target.split('.')[0]!];
    return label ? step('Then', 'the work item status is {string}', `the work item status is "${label}"`, known) : { todo: `check the work item is ${target}` };
  }
  if (target === 'notified') return step('Then', 'agent {agent} is offered the conversation', `agent ${agent} is offered the conversation`, known);
  return { todo: `check agent ${agent} is ${target} (no step reads an agent's state yet)` };
}

function step(keyword: 'Given' | 'When' | 'Then', expression: string, text: string, known: ReadonlySet<string>): Line {
  return known.has(expression) ? { keyword, text } : { todo: `${keyword} ${text}  (no step "${expression}" is defined yet)` };
}

function renderScenario(transition: ModelTransition, lines: Line[]): string {
  const out = [`  # ${transition.id}`, `  Scenario: ${transition.machine} goes from ${transition.source === '*' ? 'any state' : transition.source} to ${transition.target} on ${describeEvent(transition.event)}`];
  let previous: string | undefined;
  let last = '';
  for (const line of lines) {
    if ('todo' in line) {
      out.push(`    # TODO: ${line.todo}`);
      continue;
    }
    if (line.text === last && line.keyword === 'When') continue;
    out.push(`    ${line.keyword === previous ? 'And' : line.keyword} ${line.text}`);
    previous = line.keyword;
    last = line.text;
  }
  return `${out.join('\n')}\n`;
}

function duration(ms: number): string {
  const units: Array<[number, string]> = [[3_600_000, 'hour'], [60_000, 'minute'], [1000, 'second']];
  for (const [size, unit] of units) if (ms % size === 0) return `${ms / size} ${unit}${ms / size === 1 ? '' : 's'}`;
  return `${ms} milliseconds`;
}
