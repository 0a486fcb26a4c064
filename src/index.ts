/**
 * handoff-harness: simulate and test Copilot Studio → Dynamics 365 Customer Service handoffs offline,
 * on virtual time. This file is the whole public API.
 */

// Harness: the domain verbs that steps, specs and scripts drive
/**
 * One scenario's harness. Configure, then act and check; the simulation is built on first use.
 * @example
 * const harness = new Harness({ seed: 42, connect: (sim) => inProcessFetch(createSurfaces(sim)) });
 * harness.defineCopilot('Contoso Assistant', [{ name: 'Escalate', phrases: ['talk to a person'], then: 'transfer to agent' }]);
 * harness.addQueues([{ name: 'General', priority: 1, assignment: 'highest capacity' }]);
 * harness.addAgents([{ name: 'Alice', presence: 'Available', capacity: 1, queues: ['General'] }]);
 * await harness.customerSays('talk to a person');
 * harness.expectAgentOffered('Alice');
 * @see features/README.md for the vocabulary
 */
export { Harness } from './harness/harness';
export type { HarnessOptions, WebsiteEmbed } from './harness/harness';
/**
 * Pure assertions over a timeline; each throws an ExpectationError that prints the relevant slice.
 * @example
 * expectFullHistory(harness.timeline, harness.conversationId, 'Alice');
 */
export {
  customerView,
  agentView,
  contextVariables,
  expectFullHistory,
  expectHistory,
  expectCustomerSaw,
  expectContextVariable,
  expectRoutedToQueue,
  expectClosedWithReason,
  expectWorkItemStatus,
  ExpectationError,
} from './harness/expectations';
export type { HistoryLine } from './harness/expectations';

// Simulation: clock, timeline, seed
/**
 * The clock that owns all time in a simulation; advancing fires due timers in deadline order.
 * @example
 * const clock = new VirtualClock(Date.parse('2026-01-05T09:00:00Z'));
 * clock.setTimeout(() => console.log(clock.isoNow()), 60_000);
 * clock.advanceBy(30 * 60_000);
 */
export { VirtualClock } from './sim/virtual-clock';
/**
 * One simulated world: clock, seeded Faker, timeline, the copilot's Direct Line channel and Dynamics 365.
 * @example
 * const sim = new Simulation({ seed: 1, contactCenter: { workStream: defaultWorkStream(), queues: [], rules: [], agents: [] } });
 */
export { Simulation, defaultStartInstant } from './sim/simulation';
export type { SimulationOptions } from './sim/simulation';
/**
 * The ordered log of everything that happened, on virtual time.
 * @example
 * console.log(formatTimeline(harness.timeline));
 */
export { Timeline, formatTimeline, formatEntry } from './sim/timeline';
export type { TimelineEntry, TimelineFact, Party } from './sim/timeline';
/**
 * A stable seed per scenario, and the SEED= override.
 * @example
 * const seed = seedOverride() ?? seedFrom('features/x.feature:My scenario');
 */
export { seedFrom, seedOverride } from './sim/seed';

// Model: the lifecycle machines (xstate v5), for coverage and conformance
/**
 * The customer's conversation, the D365 live work item and the agent, with their delay defaults.
 * @example
 * createActor(conversationMachine, { clock }).start();
 */
export { conversationMachine } from './model/conversation.machine';
export { workItemMachine } from './model/work-item.machine';
export { agentMachine } from './model/agent.machine';
export { defaultDelays } from './model/delays';
export type { ClosureReason, LifecycleEvent } from './model/events';

// Dynamics 365 configuration
/**
 * Work stream defaults and rule parsing, with validation errors that name the rule or row.
 * @example
 * const clauses = parseRuleCondition('Billing team', 'Department = "Billing"');
 */
export { defaultWorkStream, parseRuleCondition, validateContactCenter } from './d365/work-stream';
export type { ContactCenterSettings, WorkStreamSettings, QueueSettings, RoutingRule, AgentSettings } from './d365/work-stream';

// Copilot
/**
 * Copilots written inline, in the shape Copilot Studio exports.
 * @example
 * const copilot = defineInlineCopilot({ name: 'Contoso', topics: [], inactivity: [] }, { botId: '…' });
 */
export { defineInlineCopilot } from './copilot/inline-copilot';
export type { CopilotDefinition, TopicDefinition } from './copilot/copilot-definition';
/**
 * Exported copilots (Copilot Studio YAML): loaded into a runnable copilot, with fixtures for what they call.
 * @example
 * const { copilot } = loadYamlCopilot('examples/copilots/contoso-d365', { fixtures: loadCopilotFixtures('my-fixtures') });
 */
export { loadYamlCopilot, copilotFromYaml, CopilotLoadError } from './copilot/yaml-copilot';
export { loadCopilotFixtures } from './copilot/copilot-fixtures';
export type { CopilotFixtures } from './copilot/copilot-fixtures';
/**
 * The copilot runtime: one conversation with a copilot, on a host that carries its output.
 * @example
 * const session = new CopilotSession(copilot, host); session.begin(); session.receiveMessage('talk to a person');
 */
export { CopilotSession } from './copilot/copilot-session';
export type { CopilotHost, CopilotOutput } from './copilot/copilot-session';
/**
 * Static checks (`handoff doctor`) and the smoke run of a folder of exports (`handoff conformance`).
 * @example
 * const report = runDoctor('examples/copilots/contoso-portal'); // report.errors === 1
 */
export { runDoctor } from './doctor/doctor';
export type { DoctorReport, Finding } from './doctor/doctor';
export { runConformance } from './conformance/conformance';
export type { ConformanceReport } from './conformance/conformance';

// Mocks: the wire surfaces of one simulation
/**
 * The msw handlers per wire surface and a fetch that dispatches to them in process.
 * @example
 * const fetch = inProcessFetch(createSurfaces(sim));
 */
export { createSurfaces, inProcessFetch, respond } from '../mocks/network';
export { createHandlers } from '../mocks/handlers';
