import { agentMachine } from '../model/agent.machine';
import { conversationMachine } from '../model/conversation.machine';
import type { ClosureReason } from '../model/events';
import { workItemMachine, type StatusChangeReason } from '../model/work-item.machine';
import { CopilotSession, type CopilotOutput } from '../copilot/copilot-session';
import type { CopilotDefinition } from '../copilot/copilot-definition';
import { FormulaRunner } from '../copilot/formulas';
import type { HandoffPayload } from '../copilot/handoff-payload';
import { ObservedActor } from '../sim/observed-actor';
import type { SimulationServices } from '../sim/services';
import { chooseAgent, routeToQueue, type AgentCandidate } from './routing';
import { validateContactCenter, type AgentSettings, type ContactCenterSettings } from './work-stream';

/** A message of the chat thread, as the messaging plane keeps it (d365-omnichannel.md §3.2). */
export interface ThreadMessage {
  /** Epoch-millisecond string, strictly increasing: clients do `new Date(parseInt(id))` (§3.2). */
  id: string;
  sequenceId: string;
  from: 'customer' | 'copilot' | 'agent' | 'system';
  senderDisplayName: string;
  senderId: string;
  content: string;
  /** Comma-separated tags that tell customer, copilot, agent and system apart (§3.3). */
  tags: string;
  createdOn: number;
}

/** One participant leg of a work item (`msdyn_ocsession`, §4.3). */
export interface SessionRecord {
  participant: string;
  kind: 'copilot' | 'agent';
  createdOn: number;
  closedOn?: number;
  closureReason?: string;
}

/** The customer's view of who is with them, the D365 record, and the thread. */
export interface LiveChat {
  /** `msdyn_ocliveworkitem.activityid`, the ConversationId clients see. */
  id: string;
  requestId: string;
  chatId: string;
  visitorId: string;
  orgId: string;
  widgetId: string;
  context: Record<string, string>;
  thread: ThreadMessage[];
  sessions: SessionRecord[];
  queue?: string;
  enqueuedAt?: number;
  offeredTo?: string;
  agent?: string;
  agentAcceptedOn?: number;
  /** Agents who declined or let the notification expire: not offered this item again. */
  excludedAgents: Set<string>;
  /** What the copilot handed over, as the agent's panel shows it. */
  handoff?: HandoffPayload;
  copilot?: CopilotSession;
  conversation: ObservedActor<typeof conversationMachine>;
  workItem: ObservedActor<typeof workItemMachine>;
}

interface AgentRecord {
  settings: AgentSettings;
  actor: ObservedActor<typeof agentMachine>;
  order: number;
  lastAssignedAt: number;
}

export interface InitContext {
  locale?: string;
  customContextData?: Record<string, { value?: unknown; isDisplayable?: boolean } | unknown>;
  preChatResponse?: Record<string, unknown>;
  [key: string]: unknown;
}

export class SimulationError extends Error {
  override name = 'SimulationError';
}

const customerDisplayName = 'Customer';
const systemDisplayName = '__system__';
const acsResource = 'handoffharness';

/**
 * Dynamics 365 Customer Service, as far as the handoff needs it: live work items with their sessions,
 * the chat thread, unified routing and agents. Mocks call it; it holds the rules.
 */
export class Omnichannel {
  readonly #services: SimulationServices;
  readonly #settings: ContactCenterSettings;
  readonly #copilot: () => CopilotDefinition | undefined;
  readonly #chats: LiveChat[] = [];
  readonly #byRequestId = new Map<string, LiveChat>();
  readonly #byChatId = new Map<string, LiveChat>();
  readonly #agents = new Map<string, AgentRecord>();
  readonly orgId: string;
  readonly widgetId: string;
  #lastMessageId = 0;

  constructor(services: SimulationServices, settings: ContactCenterSettings, copilot: () => CopilotDefinition | undefined) {
    validateContactCenter(settings);
    this.#services = services;
    this.#settings = settings;
    this.#copilot = copilot;
    this.orgId = services.ids.uuid();
    this.widgetId = services.ids.uuid();
    settings.agents.forEach((agent, order) => this.#addAgent(agent, order));
  }

  get settings(): ContactCenterSettings {
    return this.#settings;
  }

  get chats(): readonly LiveChat[] {
    return this.#chats;
  }

  chatByRequestId(requestId: string): LiveChat | undefined {
    return this.#byRequestId.get(requestId);
  }

  chatByThread(chatId: string): LiveChat | undefined {
    return this.#byChatId.get(chatId);
  }

  isKnownWidget(orgId: string, widgetId: string): boolean {
    return orgId.toLowerCase() === this.orgId.toLowerCase() && widgetId.toLowerCase() === this.widgetId.toLowerCase();
  }

  agentNames(): string[] {
    return [...this.#agents.keys()];
  }

  agentState(name: string) {
    return this.#agent(name).actor.snapshot.context;
  }

  isNotified(name: string): boolean {
    return this.#agent(name).actor.state === 'notified';
  }

  /**
   * createConversation (d365-omnichannel.md §2.5 A step 2): the live work item is created Open, and
   * routing starts: to the copilot first when it is the work stream's first responder (§6.1).
   */
  createConversation(request: { orgId: string; widgetId: string; requestId: string; initContext: InitContext }): LiveChat {
    const services = this.#services;
    const id = services.ids.uuid();
    const chatId = `19:acsV1_${services.ids.uuid().replace(/-/g, '')}@thread.v2`;
    const context = contextVariablesOf(request.initContext);
    const chat: LiveChat = {
      id,
      requestId: request.requestId,
      chatId,
      visitorId: `8:acs:${acsResource}_${services.ids.uuid()}`,
      orgId: request.orgId,
      widgetId: request.widgetId,
      context,
      thread: [],
      sessions: [],
      excludedAgents: new Set(),
      conversation: new ObservedActor(conversationMachine, {
        clock: services.clock,
        timeline: services.timeline,
        machineName: 'conversation',
        id,
        conversationId: id,
        reasonOf: (snapshot) => snapshot.context.closureReason ?? undefined,
      }),
      workItem: new ObservedActor(workItemMachine.provide({ delays: this.#settings.workStream.delays }), {
        clock: services.clock,
        timeline: services.timeline,
        machineName: 'workItem',
        id,
        conversationId: id,
        reasonOf: (snapshot) => snapshot.context.statusReason,
        onChange: (_from, to, cause) => this.#workItemChanged(chat, to, cause),
        onError: (error) => services.reportInternalError(error),
      }),
    };
    this.#chats.push(chat);
    this.#byRequestId.set(chat.requestId, chat);
    this.#byChatId.set(chat.chatId, chat);
    if (Object.keys(context).length > 0) services.timeline.record('system', { kind: 'context.updated', variables: { ...context } }, id);

    const copilot = this.#copilot();
    if (this.#settings.workStream.copilotFirstResponder && copilot) this.#engageCopilot(chat, copilot);
    else this.#route(chat, 'no copilot is the first responder of the work stream');
    return chat;
  }

  /** A customer message posted into the thread (§3.2 send message). */
  customerMessaged(chat: LiveChat, text: string): ThreadMessage {
    const message = this.#post(chat, 'customer', customerDisplayName, chat.visitorId, text, 'ChannelId-lcw,FromCustomer');
    this.#send(chat, { type: 'customer.messaged' });
    if (chat.copilot && !chat.copilot.ended) chat.copilot.receiveMessage(text);
    else if (chat.agent && chat.conversation.state === 'withAgent') this.#deliverToAgent(chat, chat.agent, message);
    return message;
  }

  /** The customer ended the chat from the widget (sessionClose, §2.5 A step 6). */
  customerEnded(chat: LiveChat): void {
    if (chat.workItem.state === 'closed' || chat.workItem.state === 'wrapUp') return;
    this.#send(chat, { type: 'customer.ended' });
  }

  workItemStatus(chat: LiveChat): { state: 'Open' | 'Active' | 'Waiting' | 'WrapUp' | 'Closed'; reason: StatusChangeReason } {
    const top = chat.workItem.state.split('.')[0];
    const state = top === 'open' ? 'Open' : top === 'active' ? 'Active' : top === 'wrapUp' ? 'WrapUp' : 'Closed';
    return { state, reason: chat.workItem.snapshot.context.statusReason };
  }

  closureReason(chat: LiveChat): ClosureReason | null {
    return chat.conversation.snapshot.context.closureReason;
  }

  // The agent's side: what the agent does in the Customer Service workspace.

  agentAccepts(name: string): LiveChat {
    const chat = this.#offeredChat(name);
    const agent = this.#agent(name);
    chat.offeredTo = undefined;
    chat.agent = name;
    chat.agentAcceptedOn = this.#services.clock.now();
    agent.actor.send({ type: 'agent.accepted', conversationId: chat.id, units: this.#settings.workStream.capacityRequired });
    this.#openSession(chat, name, 'agent');
    this.#send(chat, { type: 'agent.accepted', agent: name });
    this.#post(chat, 'system', systemDisplayName, `8:acs:${acsResource}_system`, `${name} has joined the conversation.`, 'system,agentjoinedconversation');
    // The agent's panel opens with the whole transcript so far (d365-omnichannel.md §6.5).
    for (const message of chat.thread) {
      if (message.from === 'customer' || message.from === 'copilot') this.#deliverToAgent(chat, name, message);
    }
    return chat;
  }

  agentDeclines(name: string): LiveChat {
    const chat = this.#offeredChat(name);
    this.#agent(name).actor.send({ type: 'agent.declined', conversationId: chat.id });
    this.#offerEnded(chat, name, 'AgentReject', 'agent.declined');
    return chat;
  }

  agentSays(name: string, text: string): ThreadMessage {
    const chat = this.#chatOfAgent(name);
    return this.#post(chat, 'agent', name, `8:acs:${acsResource}_${name}`, text, 'public');
  }

  agentEnds(name: string): LiveChat {
    const chat = this.#chatOfAgent(name);
    this.#send(chat, { type: 'agent.ended', agent: name });
    this.#post(chat, 'system', systemDisplayName, `8:acs:${acsResource}_system`, `${name} has ended the conversation.`, 'system,agentendconversation');
    return chat;
  }

  agentClosesSession(name: string): LiveChat {
    const chat = this.#chats.find((c) => c.agent === name && c.workItem.state === 'wrapUp');
    if (!chat) throw new SimulationError(`Agent "${name}" has no conversation in wrap-up to close. An agent closes the session after ending the conversation. End it first with: When agent "${name}" ends the conversation.`);
    this.#send(chat, { type: 'agent.closedSession', agent: name });
    return chat;
  }

  setPresence(name: string, presence: AgentSettings['presence']): void {
    this.#agent(name).actor.send({ type: 'agent.presenceChanged', presence });
    this.#assignWaitingWork(`agent ${name} became ${presence}`);
  }

  #addAgent(settings: AgentSettings, order: number): void {
    const actor = new ObservedActor(agentMachine.provide({ delays: { notificationCountdown: this.#settings.workStream.delays.notificationCountdown } }), {
      clock: this.#services.clock,
      timeline: this.#services.timeline,
      machineName: 'agent',
      id: settings.name,
      input: { name: settings.name, presence: settings.presence, capacity: settings.capacity },
    });
    actor.actor.on('agent.offerExpired', (event) => {
      const chat = this.#byId(event.conversationId);
      try {
        if (chat) this.#offerEnded(chat, settings.name, 'AgentTimeout', 'agent.offerExpired');
      } catch (error) {
        this.#services.reportInternalError(error);
      }
    });
    this.#agents.set(settings.name, { settings, actor, order, lastAssignedAt: -Infinity });
  }

  #engageCopilot(chat: LiveChat, copilot: CopilotDefinition): void {
    const { timeline, clock, ids } = this.#services;
    timeline.record('routing', { kind: 'routing.decided', step: 'route-to-queue', queue: 'copilot', outcome: `routed to the copilot "${copilot.name}" as first responder`, explanation: [`work stream "${this.#settings.workStream.name}" has the copilot as its first responder (d365-omnichannel.md §6.1)`] }, chat.id);
    this.#openSession(chat, copilot.name, 'copilot');
    this.#send(chat, { type: 'copilot.engaged' });
    const session = new CopilotSession(
      copilot,
      {
        channelId: 'lcw',
        conversationId: chat.id,
        now: () => clock.now(),
        setTimeout: (callback, ms) => clock.setTimeout(callback, ms),
        clearTimeout: (handle) => clock.clearTimeout(handle),
        deliver: (output) => this.#copilotDid(chat, copilot, output),
        topicTriggered: (topic, trigger) => timeline.record('copilot', { kind: 'topic.triggered', topic, trigger }, chat.id),
        problem: (message) => timeline.record('copilot', { kind: 'problem', message }, chat.id),
        newId: () => ids.uuid(),
      },
      new FormulaRunner(() => clock.now()),
    );
    chat.copilot = session;
    // Omnichannel hands the copilot the conversation's context first (copilot-protocol.md §6.3).
    timeline.record('system', { kind: 'event.sent', from: 'system', name: 'startConversation', channel: 'lcw', value: { msdyn_liveworkitemid: chat.id, ...chat.context } }, chat.id);
    session.begin({ ...chat.context, msdyn_ConversationId: chat.id });
  }

  #copilotDid(chat: LiveChat, copilot: CopilotDefinition, output: CopilotOutput): void {
    switch (output.kind) {
      case 'message':
        this.#post(chat, 'copilot', copilot.name, `8:acs:${acsResource}_bot`, output.text, '');
        this.#send(chat, { type: 'copilot.messaged' });
        return;
      case 'transfer':
        this.#escalate(chat, output.handoff);
        return;
      case 'conversationEnded':
      case 'closeRequested':
        this.#closeSession(chat, copilot.name, 'VirtualAgentClosed');
        this.#send(chat, { type: 'copilot.ended' });
        return;
    }
  }

  /**
   * Escalation (d365-omnichannel.md §6.3): the copilot's variables become context variables, the copilot's
   * leg closes, routing runs again with them and the item waits for a human.
   */
  #escalate(chat: LiveChat, handoff: HandoffPayload): void {
    const { timeline } = this.#services;
    chat.handoff = handoff;
    timeline.record('copilot', { kind: 'handoff.requested', channel: 'lcw', variables: handoff.variables, agentMessage: handoff.agentMessage, transcriptLength: handoff.transcript.length }, chat.id);
    const merged = Object.fromEntries(Object.entries(handoff.variables).map(([name, value]) => [name, contextValue(value)]));
    Object.assign(chat.context, merged);
    timeline.record('system', { kind: 'context.updated', variables: merged }, chat.id);
    const copilotSession = chat.sessions.find((s) => s.kind === 'copilot' && s.closedOn === undefined);
    if (copilotSession) this.#closeSession(chat, copilotSession.participant, 'VirtualAgentClosed');
    this.#send(chat, { type: 'copilot.escalated' });
    this.#route(chat, 'the copilot escalated');
  }

  #route(chat: LiveChat, why: string): void {
    const decision = routeToQueue(chat.context, this.#settings.rules, this.#settings.workStream.fallbackQueue);
    this.#services.timeline.record('routing', { kind: 'routing.decided', step: 'route-to-queue', queue: decision.queue, outcome: `routed to queue "${decision.queue}" because ${why}`, explanation: decision.explanation }, chat.id);
    chat.queue = decision.queue;
    chat.enqueuedAt = this.#services.clock.now();
    this.#send(chat, { type: 'routing.queued', queue: decision.queue });
    this.#assignWaitingWork(`a conversation entered queue "${decision.queue}"`);
  }

  /** One assignment cycle (§5.2 step 7): queues by priority, items oldest first, each to the best eligible agent. */
  #assignWaitingWork(trigger: string): void {
    const queues = [...this.#settings.queues].sort((a, b) => a.priority - b.priority);
    for (const queue of queues) {
      const waiting = this.#chats
        .filter((chat) => chat.queue === queue.name && chat.conversation.state === 'queued' && chat.offeredTo === undefined)
        .sort((a, b) => (a.enqueuedAt ?? 0) - (b.enqueuedAt ?? 0));
      for (const chat of waiting) {
        const decision = chooseAgent(queue, this.#candidates(), this.#settings.workStream, chat.excludedAgents);
        this.#services.timeline.record(
          'routing',
          { kind: 'routing.decided', step: 'assignment', queue: queue.name, agent: decision.agent, outcome: decision.agent ? `offered to ${decision.agent} (${trigger})` : `no agent available in queue "${queue.name}" (${trigger})`, explanation: decision.explanation },
          chat.id,
        );
        if (decision.agent) this.#offer(chat, decision.agent);
      }
    }
  }

  #offer(chat: LiveChat, name: string): void {
    const agent = this.#agent(name);
    chat.offeredTo = name;
    agent.lastAssignedAt = this.#services.clock.now();
    this.#send(chat, { type: 'agent.offered', agent: name });
    agent.actor.send({ type: 'agent.offered', conversationId: chat.id });
  }

  #offerEnded(chat: LiveChat, name: string, closureReason: string, event: 'agent.declined' | 'agent.offerExpired'): void {
    chat.offeredTo = undefined;
    chat.excludedAgents.add(name);
    this.#closeSession(chat, name, closureReason);
    this.#send(chat, { type: event, agent: name });
    this.#assignWaitingWork(`${name} ${event === 'agent.declined' ? 'declined' : 'let the notification expire'}`);
  }

  #workItemChanged(chat: LiveChat, to: string, cause: string): void {
    const reason = chat.workItem.snapshot.context.statusReason as ClosureReason;
    if (to === 'closed') {
      chat.copilot?.stop();
      for (const session of chat.sessions) if (session.closedOn === undefined) this.#closeSession(chat, session.participant, 'ConversationClosed');
      if (chat.offeredTo) {
        this.#agent(chat.offeredTo).actor.send({ type: 'agent.offerWithdrawn', conversationId: chat.id });
        chat.offeredTo = undefined;
      }
      if (chat.agent) {
        this.#agent(chat.agent).actor.send({ type: 'agent.capacityReleased', units: this.#settings.workStream.capacityRequired });
        this.#assignWaitingWork(`${chat.agent}'s capacity was released`);
      }
      if (chat.conversation.state !== 'closed') chat.conversation.send({ type: 'workItem.closed', reason });
    } else if (to === 'wrapUp' && chat.conversation.state === 'withAgent' && cause.startsWith('xstate.after')) {
      chat.conversation.send({ type: 'workItem.wrappedUp', reason });
    }
  }

  #send(chat: LiveChat, event: Parameters<LiveChat['workItem']['send']>[0]): void {
    chat.conversation.send(event);
    chat.workItem.send(event);
  }

  #post(chat: LiveChat, from: ThreadMessage['from'], senderDisplayName: string, senderId: string, content: string, tags: string): ThreadMessage {
    const now = this.#services.clock.now();
    this.#lastMessageId = Math.max(this.#lastMessageId + 1, now);
    const message: ThreadMessage = {
      id: String(this.#lastMessageId),
      sequenceId: String(chat.thread.length + 1),
      from,
      senderDisplayName,
      senderId,
      content,
      tags,
      createdOn: now,
    };
    chat.thread.push(message);
    this.#services.timeline.record(from === 'system' ? 'system' : from, { kind: 'message.sent', messageId: message.id, from, sender: senderDisplayName, text: content, tags }, chat.id);
    return message;
  }

  #deliverToAgent(chat: LiveChat, agent: string, message: ThreadMessage): void {
    this.#services.timeline.record('agent', { kind: 'message.delivered', to: 'agent', reader: agent, messageId: message.id, from: message.from, text: message.content }, chat.id);
  }

  #openSession(chat: LiveChat, participant: string, kind: SessionRecord['kind']): void {
    chat.sessions.push({ participant, kind, createdOn: this.#services.clock.now() });
  }

  #closeSession(chat: LiveChat, participant: string, closureReason: string): void {
    const session = [...chat.sessions].reverse().find((s) => s.participant === participant && s.closedOn === undefined);
    if (!session) return;
    session.closedOn = this.#services.clock.now();
    session.closureReason = closureReason;
  }

  #candidates(): AgentCandidate[] {
    return [...this.#agents.values()].map((record) => {
      const context = record.actor.snapshot.context;
      return {
        name: record.settings.name,
        presence: context.presence,
        capacity: context.capacity,
        usedCapacity: context.usedCapacity,
        queues: record.settings.queues,
        notified: record.actor.state === 'notified',
        lastAssignedAt: record.lastAssignedAt,
        order: record.order,
      };
    });
  }

  #agent(name: string): AgentRecord {
    const agent = this.#agents.get(name);
    if (!agent) {
      throw new SimulationError(`There is no agent "${name}". Agents are declared in the scenario's agents table. Known agents: ${this.agentNames().map((n) => `"${n}"`).join(', ') || 'none'}.`);
    }
    return agent;
  }

  #byId(id: string): LiveChat | undefined {
    return this.#chats.find((chat) => chat.id === id);
  }

  #offeredChat(name: string): LiveChat {
    this.#agent(name);
    const chat = this.#chats.find((c) => c.offeredTo === name);
    if (!chat) throw new SimulationError(`Agent "${name}" has no conversation offered. Only an offered conversation can be accepted or declined. Check that routing offered it to "${name}" first.`);
    return chat;
  }

  #chatOfAgent(name: string): LiveChat {
    this.#agent(name);
    const chat = [...this.#chats].reverse().find((c) => c.agent === name && c.conversation.state === 'withAgent');
    if (!chat) throw new SimulationError(`Agent "${name}" is not in a conversation. An agent talks to the customer after accepting an offered conversation. Accept it first with: When agent "${name}" accepts.`);
    return chat;
  }
}

/** Pre-chat answers and custom context become context variables (d365-omnichannel.md §2.4.2). */
function contextVariablesOf(initContext: InitContext): Record<string, string> {
  const variables: Record<string, string> = {};
  for (const [name, entry] of Object.entries(initContext.customContextData ?? {})) {
    const value = entry && typeof entry === 'object' && 'value' in entry ? (entry as { value: unknown }).value : entry;
    if (value !== undefined && value !== null && value !== '') variables[name] = contextValue(value);
  }
  for (const [name, value] of Object.entries(initContext.preChatResponse ?? {})) {
    if (name !== 'Type' && value !== undefined && value !== null && value !== '') variables[name] = contextValue(value);
  }
  return variables;
}

/** Context variables are Text or Number (§5.1); lists travel as JSON text. */
function contextValue(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value ?? '');
}
