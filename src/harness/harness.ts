import type { CopilotDefinition } from '../copilot/copilot-definition';
import { defineInlineCopilot, type InlineInactivityTopic, type InlineTopic } from '../copilot/inline-copilot';
import { ConfigurationError, defaultWorkStream, parseRuleCondition, type AgentSettings, type ClassificationRule, type QueueSettings, type QueueShare, type RoutingRule, type WorkStreamSettings } from '../d365/work-stream';
import type { AutomatedMessages } from '../d365/automated-messages';
import type { LiveChat } from '../d365/omnichannel';
import type { DelayName } from '../model/delays';
import { Simulation } from '../sim/simulation';
import type { TimelineEntry } from '../sim/timeline';
import { DirectLineCustomer, LiveChatCustomer, type CustomerClient } from './customer-clients';
import { CopilotSetup, expectConnectionFailed, expectTopicFired } from './copilot-setup';
import { DirectLineWebsite } from './direct-line-website';
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
  readonly #classification: ClassificationRule[] = [];
  readonly #automatedMessages: Partial<AutomatedMessages> = {};
  #startAt: number | undefined;
  /** Customers 2, 3, ...: the scenario's "other customers", each with a chat of their own. */
  readonly #otherCustomers: CustomerClient[] = [];
  #copilotLanguage: string | undefined;
  #copilotName: string | undefined;
  #greeting: string | undefined;
  readonly #topics: InlineTopic[] = [];
  readonly #inactivityTopics: InlineInactivityTopic[] = [];
  #copilotDefinition: CopilotDefinition | undefined;
  readonly #copilotSetup = new CopilotSetup();
  #embed: WebsiteEmbed = 'Dynamics 365 chat widget';
  #sim: Simulation | undefined;
  #fetch: typeof fetch = fetch;
  #customer: CustomerClient | undefined;
  #directLineWebsite: DirectLineWebsite | undefined;

  constructor(options: HarnessOptions) {
    this.seed = options.seed;
    this.#options = options;
  }

  // Configuration (Given)

  defineCopilot(name: string, topics: InlineTopic[] = [], language?: string): void {
    this.#beforeStart('define the copilot');
    this.#copilotName = name;
    if (language) this.#copilotLanguage = language;
    this.#topics.push(...topics);
  }

  useCopilot(definition: CopilotDefinition): void {
    this.#beforeStart('load a copilot');
    this.#copilotDefinition = definition;
  }

  /** An exported copilot (examples/copilots/..., a team's own export): see features/README.md, "Copilots from YAML". */
  useCopilotFrom(folder: string): void {
    this.#beforeStart('load a copilot');
    this.#copilotDefinition = this.#copilotSetup.load(folder, this.seed);
  }

  /** What flows, connectors, generative answers and HTTP back ends answer (a folder with fixtures.yml). */
  useCopilotFixtures(folder: string): void {
    this.#beforeStart('add copilot fixtures');
    this.#copilotSetup.addFixturesFrom(folder);
  }

  addCopilotFixtures(fixtures: Parameters<CopilotSetup['addFixtures']>[0]): void {
    this.#beforeStart('add copilot fixtures');
    this.#copilotSetup.addFixtures(fixtures);
  }

  /** The Power Platform environments of the copilot and of the Customer Service package (seed prerequisites). */
  setEnvironments(environments: { copilot?: string; customerService?: string }): void {
    this.#beforeStart('set the environments');
    if (environments.copilot !== undefined) this.#copilotSetup.copilotEnvironment(environments.copilot);
    if (environments.customerService !== undefined) this.#copilotSetup.customerServiceEnvironment(environments.customerService);
  }

  /** Copilot Studio "Disconnect": the copilot's application user in D365 is disabled. */
  disconnectCopilot(): void {
    this.#beforeStart('disconnect the copilot');
    this.#copilotSetup.disconnect();
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

  addRoutingRules(rules: Array<{ name: string; condition: string; queue: string; split?: QueueShare[]; origin?: string }>): void {
    this.#beforeStart('add routing rules');
    for (const rule of rules) this.#rules.push({ ...rule, clauses: parseRuleCondition(rule.name, rule.condition) });
  }

  addClassificationRules(rules: Array<Omit<ClassificationRule, 'clauses'>>): void {
    this.#beforeStart('add work classification rules');
    for (const rule of rules) this.#classification.push({ ...rule, clauses: parseRuleCondition(rule.name, rule.condition) });
  }

  setAutomatedMessages(messages: Partial<AutomatedMessages>): void {
    this.#beforeStart('set the automated messages');
    Object.assign(this.#automatedMessages, messages);
  }

  /** The virtual instant the scenario starts at, e.g. to begin outside a queue's operating hours. */
  startAt(instant: number): void {
    this.#beforeStart('set the starting time');
    this.#startAt = instant;
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
    // A copilot D365 cannot connect (seed prerequisites) never joins the work stream: chats go straight to routing.
    const { copilot, refusal } = this.#copilotSetup.prepare(this.#copilotDefinition ?? this.#inlineCopilot(), this.#embed === 'Dynamics 365 chat widget');
    if (refusal) this.#workStream.copilotFirstResponder = false;
    if (!this.#fallbackQueueNamed && this.#queues.length > 0 && !this.#queues.some((queue) => queue.name === this.#workStream.fallbackQueue)) {
      this.#workStream.fallbackQueue = this.#queues[this.#queues.length - 1]!.name;
    }
    if (this.#queues.length === 0) {
      // Without a queues table, the agents' memberships declare the queues, in order of appearance.
      for (const name of new Set(this.#agents.flatMap((agent) => agent.queues))) this.#queues.push({ name, priority: 10, assignment: 'highest capacity', implicit: true });
      if (!this.#fallbackQueueNamed && this.#queues.length > 0) this.#workStream.fallbackQueue = this.#queues[this.#queues.length - 1]!.name;
    }
    if (!this.#queues.some((queue) => queue.name === this.#workStream.fallbackQueue) && this.#queues.length === 0) {
      this.#queues.push({ name: this.#workStream.fallbackQueue, priority: 100, assignment: 'highest capacity', implicit: true });
    }
    // D365 creates the bot queue when the copilot joins a work stream (d365-omnichannel.md §5.1).
    if (this.#workStream.copilotFirstResponder && !this.#queues.some((queue) => queue.name === this.#workStream.botQueue)) {
      this.#queues.push({ name: this.#workStream.botQueue, priority: 100, assignment: 'highest capacity', implicit: true });
    }
    this.#sim = new Simulation({
      seed: this.seed,
      startAt: this.#startAt ?? this.#options.startAt,
      copilot,
      contactCenter: { workStream: this.#workStream, queues: this.#queues, classification: this.#classification, rules: this.#rules, agents: this.#agents, automatedMessages: this.#automatedMessages },
    });
    if (refusal) this.#sim.timeline.record('system', { kind: 'problem', message: refusal });
    // Node kinds the harness does not run are reported once, with file, line and node id (the topic stops there if reached).
    for (const warning of this.#copilotSetup.loadWarnings) this.#sim.timeline.record('copilot', { kind: 'problem', message: warning });
    this.#fetch = this.#options.connect?.(this.#sim) ?? fetch;
    return this.#sim;
  }

  /** The Direct Line contract as a website's own code meets it (features/directline): one website per scenario. */
  get directLine(): DirectLineWebsite {
    this.#directLineWebsite ??= new DirectLineWebsite(this.sim, () => this.#fetch);
    return this.#directLineWebsite;
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
    await this.#copilotSettled();
    this.sim.throwInternalErrors();
  }

  /** The customer submits an Adaptive Card: the widget sends the card's data as the message (AdaptiveCardPrompt). */
  async customerSubmitsCard(values: Record<string, string>): Promise<void> {
    await this.customerSays(JSON.stringify(values));
  }

  /** A copilot node waiting for an outside answer (HTTP back end) finishes before the scenario goes on. */
  async #copilotSettled(): Promise<void> {
    const id = this.#customer?.conversationId;
    await (id ? this.sim.omnichannel.chatById(id)?.copilot?.idle() : undefined);
  }

  expectTopicFired(topic: string, fired = true): void {
    expectTopicFired(this.timeline, this.conversationId, this.sim.copilot, topic, fired);
  }

  expectCopilotConnectionFailed(text: string): void {
    expectConnectionFailed(this.sim.timeline.entries, text);
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

  /** Everything the customer's client has received so far, oldest first, after fetching what is new; replay compares it with a recording. */
  async customerReads(): Promise<expect.HistoryLine[]> {
    await this.#client().read();
    return expect.customerView(this.timeline, this.conversationId);
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

  agentIgnores(agent: string): Promise<void> {
    // Ignoring is letting the notification countdown run out (d365-omnichannel.md §4.4).
    return this.#advanceTo(this.sim.omnichannel.offerDeadline(agent));
  }

  agentPicks(agent: string): void {
    this.sim.omnichannel.agentPicks(agent);
    this.sim.throwInternalErrors();
  }

  agentTransfersToQueue(agent: string, queue: string): void {
    this.sim.omnichannel.agentTransfersToQueue(agent, queue);
    this.sim.throwInternalErrors();
  }

  agentTransfersToAgent(agent: string, target: string): void {
    this.sim.omnichannel.agentTransfersToAgent(agent, target);
    this.sim.throwInternalErrors();
  }

  agentConsults(agent: string, colleague: string): void {
    this.sim.omnichannel.agentConsults(agent, colleague);
    this.sim.throwInternalErrors();
  }

  agentLeavesConsult(agent: string): void {
    this.sim.omnichannel.agentLeavesConsult(agent);
    this.sim.throwInternalErrors();
  }

  // More customers, the connection, and the supervisor

  /** `count` more customers each start a chat and say `text` over the wire; they are customers 2, 3, ... */
  async moreCustomersSay(count: number, text: string): Promise<void> {
    if (!this.#customer) throw new ConfigurationError('The other customers came before the customer of the scenario. Customer 1 is the one the scenario follows and chats first. Add a step such as: When the customer says "Hello", before this one.');
    for (let index = 0; index < count; index += 1) {
      const sim = this.sim;
      let client: CustomerClient | undefined;
      const wire = new WireClient(this.#fetch, sim.timeline, () => client?.conversationId);
      client = new LiveChatCustomer(sim, wire);
      this.#otherCustomers.push(client);
      await client.start({});
      await client.say(text);
      sim.throwInternalErrors();
    }
  }

  /**
   * The customer's connection drops (tab closed, network lost). Nothing goes over the wire: Dynamics 365
   * notices the silence, so the simulation is told directly (d365-omnichannel.md §4.4).
   */
  customerDisconnects(): void {
    this.sim.omnichannel.customerDisconnected(this.#chat(1));
    this.sim.throwInternalErrors();
  }

  customerReconnects(): void {
    this.sim.omnichannel.customerReconnected(this.#chat(1));
    this.sim.throwInternalErrors();
  }

  supervisorAssigns(customer: number, agent: string): void {
    this.sim.omnichannel.supervisorAssigns(this.#chat(customer), agent);
    this.sim.throwInternalErrors();
  }

  supervisorForceCloses(customer: number): void {
    this.sim.omnichannel.supervisorForceCloses(this.#chat(customer));
    this.sim.throwInternalErrors();
  }

  expectOngoingConversations(rows: expect.OngoingConversationRow[]): void {
    const labels = new Map(this.#customers().map((client, index) => [client.conversationId, `customer ${index + 1}`]));
    const actual = this.sim.omnichannel.supervisorView().conversations.map((c) => ({ customer: labels.get(c.conversationId) ?? c.conversationId, status: c.status, queue: c.queue ?? '', agent: c.agent ?? '' }));
    expect.expectOngoingConversations(actual, rows, this.timeline, this.conversationId);
  }

  expectQueueView(queue: string, waiting: number, longestWaitMs?: number): void {
    this.#knownQueue(queue);
    const view = this.sim.omnichannel.supervisorView().queues.find((q) => q.queue === queue);
    expect.expectQueueView(view, queue, waiting, longestWaitMs, this.timeline, this.conversationId);
  }

  expectAgentOccupancy(rows: expect.AgentOccupancyRow[]): void {
    for (const row of rows) this.#knownAgent(row.agent);
    expect.expectAgentOccupancy(this.sim.omnichannel.supervisorView().agents, rows, this.timeline, this.conversationId);
  }

  // Checks on the timeline

  expectRoutingExplanation(text: string): void {
    expect.expectRoutingExplanationSays(this.timeline, this.conversationId, text);
  }

  expectSessionClosed(participant: string, reason: string): void {
    expect.expectSessionClosed(this.timeline, this.conversationId, participant, reason);
  }

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
      { name: this.#copilotName ?? 'Contoso Assistant', greeting: this.#greeting, topics: this.#topics, inactivity: this.#inactivityTopics, language: this.#copilotLanguage },
      { botId: `${this.seed.toString(16).padStart(8, '0')}-0000-4000-8000-000000000001` },
    );
  }

  #customers(): CustomerClient[] {
    return this.#customer ? [this.#customer, ...this.#otherCustomers] : [];
  }

  /** Customer `n` (1 = the scenario's customer) and their live chat in Dynamics 365. */
  #chat(n: number): LiveChat {
    const client = this.#customers()[n - 1];
    const chat = client?.conversationId ? this.sim.omnichannel.chatById(client.conversationId) : undefined;
    if (!chat) {
      throw new ConfigurationError(`There is no customer ${n} with a Dynamics 365 chat. The scenario has ${this.#customers().length} customers; customer 1 is the scenario's own and the others come from "When N more customers say ...". Refer to one of customers 1 to ${this.#customers().length}.`);
    }
    return chat;
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
