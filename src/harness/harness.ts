import type { CopilotDefinition } from '../copilot/copilot-definition';
import { defineInlineCopilot, type InlineInactivityTopic, type InlineTopic } from '../copilot/inline-copilot';
import { ConfigurationError, defaultWorkStream, parseRuleCondition, type AgentSettings, type QueueSettings, type RoutingRule, type WorkStreamSettings } from '../d365/work-stream';
import type { DelayName } from '../model/delays';
import { Simulation } from '../sim/simulation';
import type { TimelineEntry } from '../sim/timeline';
import { DirectLineCustomer, LiveChatCustomer, type CustomerClient } from './customer-clients';
import * as expect from './expectations';
import { WireClient } from './wire-client';

export interface HarnessOptions {
  seed: number;
  /** The virtual instant the scenario starts at (epoch ms); a fixed default keeps timestamps stable. */
  startAt?: number;
  /**
   * Called once the simulation exists, to put its mocks on the network; returns the fetch the customer's
   * client uses (by default the global one, for mocks that intercept it).
   */
  connect?: (sim: Simulation) => typeof fetch | void;
}

export type WebsiteEmbed = 'Dynamics 365 chat widget' | "Copilot Studio's embed code";

/**
 * The domain verbs of a handoff scenario, in the words of the feature files. Steps, browser specs, the
 * CLI and replay all drive the simulation through it. Configuration is collected first; the simulation
 * is built (and checked) when the first thing happens.
 */
export class Harness {
  readonly seed: number;
  readonly #options: HarnessOptions;
  readonly #workStream: WorkStreamSettings = defaultWorkStream();
  #fallbackQueueNamed = false;
  readonly #queues: QueueSettings[] = [];
  readonly #rules: RoutingRule[] = [];
  readonly #agents: AgentSettings[] = [];
  #copilotName: string | undefined;
  #greeting: string | undefined;
  readonly #topics: InlineTopic[] = [];
  readonly #inactivityTopics: InlineInactivityTopic[] = [];
  #copilotDefinition: CopilotDefinition | undefined;
  #embed: WebsiteEmbed = 'Dynamics 365 chat widget';
  #sim: Simulation | undefined;
  #fetch: typeof fetch = fetch;
  #customer: CustomerClient | undefined;

  constructor(options: HarnessOptions) {
    this.seed = options.seed;
    this.#options = options;
  }

  // Configuration (Given)

  defineCopilot(name: string, topics: InlineTopic[] = []): void {
    this.#beforeStart('define the copilot');
    this.#copilotName = name;
    this.#topics.push(...topics);
  }

  useCopilot(definition: CopilotDefinition): void {
    this.#beforeStart('load a copilot');
    this.#copilotDefinition = definition;
  }

  setGreeting(text: string): void {
    this.#beforeStart('set the greeting');
    this.#greeting = text;
  }

  addInactivityTopics(topics: InlineInactivityTopic[]): void {
    this.#beforeStart('add inactivity topics');
    this.#inactivityTopics.push(...topics);
  }

  configureWorkStream(settings: Partial<Omit<WorkStreamSettings, 'delays'>> & { delays?: Partial<WorkStreamSettings['delays']> }): void {
    this.#beforeStart('configure the work stream');
    const { delays, ...rest } = settings;
    Object.assign(this.#workStream, rest);
    if (rest.fallbackQueue) this.#fallbackQueueNamed = true;
    if (delays) Object.assign(this.#workStream.delays, delays);
  }

  setDelay(name: DelayName, ms: number): void {
    this.configureWorkStream({ delays: { [name]: ms } });
  }

  addQueues(queues: QueueSettings[]): void {
    this.#beforeStart('add queues');
    this.#queues.push(...queues);
  }

  addRoutingRules(rules: Array<{ name: string; condition: string; queue: string }>): void {
    this.#beforeStart('add routing rules');
    for (const rule of rules) this.#rules.push({ ...rule, clauses: parseRuleCondition(rule.name, rule.condition) });
  }

  addAgents(agents: AgentSettings[]): void {
    this.#beforeStart('add agents');
    this.#agents.push(...agents);
  }

  websiteUses(embed: WebsiteEmbed): void {
    this.#beforeStart('choose the embed code');
    this.#embed = embed;
  }

  // The simulation

  get started(): boolean {
    return this.#sim !== undefined;
  }

  /** Builds the simulation from the configuration; configuration errors surface here, before anything runs. */
  get sim(): Simulation {
    if (this.#sim) return this.#sim;
    if (!this.#fallbackQueueNamed && this.#queues.length > 0 && !this.#queues.some((queue) => queue.name === this.#workStream.fallbackQueue)) {
      this.#workStream.fallbackQueue = this.#queues[this.#queues.length - 1]!.name;
    }
    if (this.#queues.length === 0) this.#queues.push({ name: this.#workStream.fallbackQueue, priority: 100, assignment: 'highest capacity' });
    const copilot = this.#copilotDefinition ?? this.#inlineCopilot();
    this.#sim = new Simulation({
      seed: this.seed,
      startAt: this.#options.startAt,
      copilot,
      contactCenter: { workStream: this.#workStream, queues: this.#queues, rules: this.#rules, agents: this.#agents },
    });
    this.#fetch = this.#options.connect?.(this.#sim) ?? fetch;
    return this.#sim;
  }

  get timeline(): readonly TimelineEntry[] {
    return this.#sim?.timeline.entries ?? [];
  }

  /** The customer's conversation; the chat starts on first use. */
  get conversationId(): string {
    const id = this.#customer?.conversationId;
    if (!id) throw new ConfigurationError('No conversation has started yet. Something must happen before it can be checked. Start one with: When the customer says "Hello".');
    return id;
  }

  // The customer

  async customerStartsChat(context: Record<string, string> = {}): Promise<void> {
    if (this.#customer) throw new ConfigurationError('The customer already started a chat in this scenario. One scenario follows one customer conversation. Remove the second "starts a chat" step.');
    const sim = this.sim;
    let client: CustomerClient | undefined;
    const wire = new WireClient(this.#fetch, sim.timeline, () => client?.conversationId);
    client = this.#embed === 'Dynamics 365 chat widget' ? new LiveChatCustomer(sim, wire) : new DirectLineCustomer(sim, wire);
    this.#customer = client;
    await client.start(context);
    sim.throwInternalErrors();
  }

  async customerSays(text: string): Promise<void> {
    if (!this.#customer) await this.customerStartsChat();
    await this.#customer!.say(text);
    this.sim.throwInternalErrors();
  }

  async customerEndsChat(): Promise<void> {
    await this.#client().end();
    this.sim.throwInternalErrors();
  }

  async customerSees(text: string): Promise<void> {
    await this.#client().read();
    expect.expectCustomerSaw(this.timeline, this.conversationId, text);
  }

  async customerDoesNotSee(text: string): Promise<void> {
    await this.#client().read();
    expect.expectCustomerDidNotSee(this.timeline, this.conversationId, text);
  }

  /** An eventually-matcher on virtual time: reads after each timer that fires, up to `withinMs`. */
  async customerSeesWithin(withinMs: number, text: string): Promise<void> {
    const clock = this.sim.clock;
    const deadline = clock.now() + withinMs;
    for (;;) {
      await this.#client().read();
      const seen = expect.customerView(this.timeline, this.conversationId).some((line) => line.text.trim() === text.trim());
      if (seen || clock.now() >= deadline) break;
      const next = clock.nextDeadline();
      await this.#advanceTo(next === undefined || next > deadline ? deadline : next);
    }
    expect.expectCustomerSaw(this.timeline, this.conversationId, text);
  }

  async customerReceivesEvent(name: string): Promise<Record<string, unknown>> {
    await this.#client().read();
    return expect.expectEventDelivered(this.timeline, this.conversationId, name);
  }

  // Time

  /** Moves virtual time on; the customer's client gets to run its own timers along the way, as a live one would. */
  async pass(ms: number): Promise<void> {
    await this.#advanceTo(this.sim.clock.now() + ms);
  }

  async #advanceTo(target: number): Promise<void> {
    const clock = this.sim.clock;
    while (clock.now() < target) {
      const step = Math.min(target - clock.now(), this.#customer?.keepAliveInterval ?? Number.POSITIVE_INFINITY);
      clock.advanceBy(step);
      this.sim.throwInternalErrors();
      await this.#customer?.keepAlive();
    }
  }

  // Agents, in the Customer Service workspace

  agentAccepts(agent: string): void {
    this.sim.omnichannel.agentAccepts(agent);
    this.sim.throwInternalErrors();
  }

  agentDeclines(agent: string): void {
    this.sim.omnichannel.agentDeclines(agent);
    this.sim.throwInternalErrors();
  }

  agentSays(agent: string, text: string): void {
    this.sim.omnichannel.agentSays(agent, text);
    this.sim.throwInternalErrors();
  }

  agentEnds(agent: string): void {
    this.sim.omnichannel.agentEnds(agent);
    this.sim.throwInternalErrors();
  }

  agentClosesSession(agent: string): void {
    this.sim.omnichannel.agentClosesSession(agent);
    this.sim.throwInternalErrors();
  }

  agentBecomes(agent: string, presence: AgentSettings['presence']): void {
    this.sim.omnichannel.setPresence(agent, presence);
    this.sim.throwInternalErrors();
  }

  // Checks on the timeline

  expectAgentOffered(agent: string): void {
    this.#knownAgent(agent);
    expect.expectOffered(this.timeline, this.conversationId, agent);
  }

  expectAgentReceivesFullHistory(agent: string): void {
    this.#knownAgent(agent);
    expect.expectFullHistory(this.timeline, this.conversationId, agent);
  }

  expectAgentReceivesHistory(agent: string, lines: expect.HistoryLine[]): void {
    this.#knownAgent(agent);
    expect.expectHistory(this.timeline, this.conversationId, agent, lines);
  }

  expectAgentMessage(agent: string, message: string): void {
    this.#knownAgent(agent);
    expect.expectContextVariable(this.timeline, this.conversationId, 'va_AgentMessage', message);
  }

  expectRoutedTo(queue: string): void {
    this.#knownQueue(queue);
    expect.expectRoutedToQueue(this.timeline, this.conversationId, queue);
  }

  expectWaitingIn(queue: string): void {
    this.expectRoutedTo(queue);
    expect.expectConversationState(this.timeline, this.conversationId, 'queued');
  }

  expectConversationState(state: string): void {
    expect.expectConversationState(this.timeline, this.conversationId, state);
  }

  expectContextVariable(name: string, value: string): void {
    expect.expectContextVariable(this.timeline, this.conversationId, name, value);
  }

  expectClosedWithReason(reason: string): void {
    expect.expectClosedWithReason(this.timeline, this.conversationId, reason);
  }

  expectWorkItemStatus(status: string, reason?: string): void {
    expect.expectWorkItemStatus(this.timeline, this.conversationId, status, reason);
  }

  expectNoDynamicsConversation(): void {
    expect.expectNoWorkItem(this.timeline, this.conversationId);
  }

  /** The whole timeline as JSON, attached to a failed scenario. */
  timelineJson(): string {
    return JSON.stringify({ seed: this.seed, entries: this.timeline }, null, 2);
  }

  #inlineCopilot(): CopilotDefinition | undefined {
    if (!this.#copilotName && this.#topics.length === 0 && this.#inactivityTopics.length === 0 && !this.#greeting) return undefined;
    return defineInlineCopilot(
      { name: this.#copilotName ?? 'Contoso Assistant', greeting: this.#greeting, topics: this.#topics, inactivity: this.#inactivityTopics },
      { botId: `${this.seed.toString(16).padStart(8, '0')}-0000-4000-8000-000000000001` },
    );
  }

  #client(): CustomerClient {
    if (!this.#customer) throw new ConfigurationError('The customer has not started a chat yet. The customer must chat before anything can be seen. Add a step such as: When the customer says "Hello".');
    return this.#customer;
  }

  #beforeStart(what: string): void {
    if (this.#sim) throw new ConfigurationError(`Cannot ${what} after the conversation started. The simulation is built when the first thing happens. Move this Given step before the first When step.`);
  }

  #knownAgent(agent: string): void {
    if (!this.sim.omnichannel.agentNames().includes(agent)) {
      throw new ConfigurationError(`There is no agent "${agent}". Agents come from the scenario's agents table. Known agents: ${this.sim.omnichannel.agentNames().map((n) => `"${n}"`).join(', ') || 'none'}.`);
    }
  }

  #knownQueue(queue: string): void {
    const names = this.sim.omnichannel.settings.queues.map((q) => q.name);
    if (!names.includes(queue)) throw new ConfigurationError(`There is no queue "${queue}". Queues come from the scenario's queues table. Known queues: ${names.map((n) => `"${n}"`).join(', ')}.`);
  }
}
