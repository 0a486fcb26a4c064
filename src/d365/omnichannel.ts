import type { AnyStateMachine } from 'xstate';
import { agentMachine, type CapacityClaim } from '../model/agent.machine';
import { conversationMachine } from '../model/conversation.machine';
import type { ClosureReason } from '../model/events';
import { workItemMachine, type StatusChangeReason } from '../model/work-item.machine';
import { CopilotSession, type CopilotOutput } from '../copilot/copilot-session';
import type { CopilotDefinition } from '../copilot/copilot-definition';
import { disconnectedExplanation } from '../copilot/d365-connection';
import { FormulaRunner } from '../copilot/formulas';
import type { HandoffPayload } from '../copilot/handoff-payload';
import { ObservedActor } from '../sim/observed-actor';
import type { SimulationServices } from '../sim/services';
import { automatedMessageTags, defaultAutomatedMessages, renderMessage, type AutomatedMessageName, type AutomatedMessages } from './automated-messages';
import { knownContextVariables } from './context-variables';
import { chooseAgent, classify, routeToQueue, waitOverflow, type AgentCandidate, type Classification } from './routing';
import { validateContactCenter, type AgentSettings, type ContactCenterSettings, type QueueSettings } from './work-stream';

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

/** A member of the chat thread, with the ACS identity clients see (d365-omnichannel.md §3.2 participants). */
export interface ThreadParticipant {
  id: string;
  displayName: string;
  role: 'customer' | 'copilot' | 'agent';
  joinedOn: number;
}

/** `msdyn_closurereason` labels of a session (d365-omnichannel.md §4.3). */
export type SessionClosureReason =
  | 'AgentReject'
  | 'AgentTimeout'
  | 'AgentClosed'
  | 'ConversationClosed'
  | 'AgentTransfered'
  | 'VirtualAgentClosed'
  | 'AgentTransferToQueue'
  | 'SupervisorTransferToAgent'
  | 'ForceClose'
  | 'OverflowQueueTransfer'
  | 'OverflowEndConversation'
  | 'AutoClose'
  | 'CustomerDisconnect'
  | 'AgentEndConversation'
  | 'CustomerEndConversation';

/** One participant leg of a work item (`msdyn_ocsession`, §4.3). */
export interface SessionRecord {
  id: string;
  participant: string;
  kind: 'copilot' | 'agent';
  /** `msdyn_mode` of the participant: the copilot's leg, the primary agent, or a consult. */
  mode: 'copilot' | 'primary' | 'consult';
  queue?: string;
  /** `msdyn_assignreason` (§4.3). */
  assignReason?: string;
  createdOn: number;
  joinedOn?: number;
  closedOn?: number;
  closureReason?: SessionClosureReason;
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
  createdOn: number;
  context: Record<string, string>;
  thread: ThreadMessage[];
  /** Agent-to-agent messages of consults (tags `private`, §8): never on the customer's thread. */
  internalMessages: ThreadMessage[];
  sessions: SessionRecord[];
  queue?: string;
  enqueuedAt?: number;
  classification?: Classification;
  offeredTo?: string;
  offeredAt?: number;
  agent?: string;
  agentAcceptedOn?: number;
  consultants: Set<string>;
  /** Capacity held by the primary agent until released (§5.3). */
  capacityHeld?: { agent: string; claim: CapacityClaim };
  /** Agents who declined or let the notification expire: not offered this item again. */
  excludedAgents: Set<string>;
  /** `msdyn_transfercount` and `msdyn_overflowtransfercount` (§4.1). */
  transferCount: number;
  overflowTransferCount: number;
  /** The pre-queue overflow check runs once per item (§5.2 step 5). */
  preQueueChecked: boolean;
  /** The copilot that handled the item: a re-routed escalation never returns to it (§6.3). */
  handledBy?: string;
  /** How the customer left, for the session closure reason. */
  customerExit?: 'ended' | 'disconnected';
  lastNoAgentExplanation?: string;
  lastQueuePositionAt?: number;
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
  lastAssignedInQueue: Record<string, number>;
}

export interface InitContext {
  locale?: string;
  customContextData?: Record<string, { value?: unknown; isDisplayable?: boolean } | unknown>;
  preChatResponse?: Record<string, unknown>;
  [key: string]: unknown;
}

/** The Ongoing Conversations dashboard and Real-time Agents report (d365-omnichannel.md §4.5). */
export interface SupervisorView {
  conversations: Array<{ conversationId: string; status: 'Open' | 'Active' | 'Waiting' | 'Wrap-up'; queue?: string; agent?: string; waitMs: number }>;
  queues: Array<{ queue: string; waiting: number; longestWaitMs: number }>;
  agents: Array<{ agent: string; presence: string; used: number; capacity: number; available: number; conversations: number }>;
}

export class SimulationError extends Error {
  override name = 'SimulationError';
}

const customerDisplayName = 'Customer';
const systemDisplayName = '__system__';
const acsResource = 'handoffharness';
const maxItemsPerCycle = 100; // each assignment cycle takes the top 100 messaging items (§5.2 step 7)

/** The session closure reason for legs still open when the work item closes for this reason. */
function sessionReasonFor(reason: StatusChangeReason, chat: LiveChat): SessionClosureReason {
  switch (reason) {
    case 'AutoClosedBySystem':
    case 'AutoClosedFromWaitingState':
      return 'AutoClose';
    case 'ForceClosedBySupervisor':
      return 'ForceClose';
    case 'ClosedDueToOverflow':
      return 'OverflowEndConversation';
    case 'ConversationEndedByBot':
      return 'VirtualAgentClosed';
    case 'ConversationEndedByAgent':
      return 'AgentEndConversation';
    case 'CutomerMovedToWrapUp':
      return 'CustomerEndConversation';
    case 'CustomerDisconnectedOrLeftActiveConversation':
    case 'CustomerDisconnectedOrLeftOpenConversation':
      return chat.customerExit === 'disconnected' ? 'CustomerDisconnect' : 'CustomerEndConversation';
    default:
      return 'ConversationClosed';
  }
}

/**
 * Dynamics 365 Customer Service, as far as the handoff needs it: live work items with their sessions,
 * the chat thread, unified routing, agents and supervisors. Mocks call it; it holds the rules.
 */
export class Omnichannel {
  readonly #services: SimulationServices;
  readonly #settings: ContactCenterSettings;
  readonly #queues: Map<string, QueueSettings>;
  readonly #messages: AutomatedMessages;
  readonly #copilot: () => CopilotDefinition | undefined;
  readonly #chats: LiveChat[] = [];
  /** Chats not yet closed: what assignment cycles and the supervisor look at. */
  readonly #ongoing = new Set<LiveChat>();
  readonly #byId = new Map<string, LiveChat>();
  readonly #byRequestId = new Map<string, LiveChat>();
  readonly #byChatId = new Map<string, LiveChat>();
  readonly #agents = new Map<string, AgentRecord>();
  readonly orgId: string;
  readonly widgetId: string;
  #lastMessageId = 0;

  constructor(services: SimulationServices, settings: ContactCenterSettings, copilot: () => CopilotDefinition | undefined) {
    validateContactCenter(settings, knownContextVariables(settings.workStream, copilot()));
    this.#services = services;
    this.#settings = settings;
    this.#queues = new Map(settings.queues.map((queue) => [queue.name, queue]));
    this.#messages = { ...defaultAutomatedMessages, ...settings.automatedMessages };
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

  chatById(id: string): LiveChat | undefined {
    return this.#byId.get(id);
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

  /** When the offer now held by `name` expires, on virtual time. */
  offerDeadline(name: string): number {
    const chat = this.#offeredChat(name);
    return (chat.offeredAt ?? this.#services.clock.now()) + this.#settings.workStream.delays.notificationCountdown;
  }

  /**
   * createConversation (d365-omnichannel.md §2.5 A step 2): the live work item is created Open, and
   * routing starts: to the copilot's bot queue first when it is the work stream's first responder (§6.1).
   */
  /**
   * The chat thread of a conversation not created yet: the legacy flow hands out the chat token
   * (getchattoken) before sessioninit creates the work item (d365-omnichannel.md §2.5 B).
   */
  reserveThread(): { chatId: string; visitorId: string } {
    const { ids } = this.#services;
    return { chatId: `19:acsV1_${ids.uuid().replace(/-/g, '')}@thread.v2`, visitorId: `8:acs:${acsResource}_${ids.uuid()}` };
  }

  createConversation(request: { orgId: string; widgetId: string; requestId: string; initContext: InitContext; thread?: { chatId: string; visitorId: string } }): LiveChat {
    const services = this.#services;
    const { workStream } = this.#settings;
    const id = services.ids.uuid();
    const chatId = request.thread?.chatId ?? `19:acsV1_${services.ids.uuid().replace(/-/g, '')}@thread.v2`;
    const context = contextVariablesOf(request.initContext);
    const chat: LiveChat = {
      id,
      requestId: request.requestId,
      chatId,
      visitorId: request.thread?.visitorId ?? `8:acs:${acsResource}_${services.ids.uuid()}`,
      orgId: request.orgId,
      widgetId: request.widgetId,
      createdOn: services.clock.now(),
      context,
      thread: [],
      internalMessages: [],
      sessions: [],
      consultants: new Set(),
      excludedAgents: new Set(),
      transferCount: 0,
      overflowTransferCount: 0,
      preQueueChecked: false,
      conversation: new ObservedActor(conversationMachine, {
        clock: services.clock,
        timeline: services.timeline,
        machineName: 'conversation',
        id,
        conversationId: id,
        reasonOf: (snapshot) => snapshot.context.closureReason ?? undefined,
      }),
      workItem: new ObservedActor(this.#workItemLogic(), {
        clock: services.clock,
        timeline: services.timeline,
        machineName: 'workItem',
        id,
        conversationId: id,
        input: { persistentChat: workStream.channel === 'persistent chat', wrapUpCapacity: workStream.wrapUpCapacity, queuePositionMessages: workStream.queuePositionMessages },
        reasonOf: (snapshot) => snapshot.context.statusReason,
        onChange: (from, to, cause) => this.#workItemChanged(chat, from, to, cause),
        onError: (error) => services.reportInternalError(error),
      }),
    };
    chat.workItem.actor.on('workItem.queuePositionDue', () => this.#guarded(() => this.#announceQueuePosition(chat)));
    chat.workItem.actor.on('workItem.waitLimitExceeded', () => this.#guarded(() => this.#waitLimitExceeded(chat)));
    this.#chats.push(chat);
    this.#ongoing.add(chat);
    this.#byId.set(chat.id, chat);
    this.#byRequestId.set(chat.requestId, chat);
    this.#byChatId.set(chat.chatId, chat);
    if (Object.keys(context).length > 0) services.timeline.record('system', { kind: 'context.updated', variables: { ...context } }, id);

    const copilot = this.#copilot();
    if (workStream.copilotFirstResponder && copilot) this.#engageCopilot(chat, copilot);
    else this.#route(chat, 'no copilot is the first responder of the work stream');
    return chat;
  }

  /** A customer message posted into the thread (§3.2 send message). */
  customerMessaged(chat: LiveChat, text: string): ThreadMessage {
    const message = this.#post(chat, 'customer', customerDisplayName, chat.visitorId, text, 'ChannelId-lcw,FromCustomer');
    this.#send(chat, { type: 'customer.messaged' });
    if (chat.copilot && !chat.copilot.ended) chat.copilot.receiveMessage(text);
    else if (chat.agent && chat.conversation.state === 'withAgent') {
      this.#deliverToAgent(chat, chat.agent, message);
      for (const consultant of chat.consultants) this.#deliverToAgent(chat, consultant, message);
    }
    return message;
  }

  /** The customer ended the chat from the widget (sessionClose, §2.5 A step 6). */
  customerEnded(chat: LiveChat): void {
    if (chat.workItem.state === 'closed' || chat.workItem.state.startsWith('wrapUp')) return;
    chat.customerExit = 'ended';
    this.#send(chat, { type: 'customer.ended' });
  }

  /** The customer's connection dropped (tab closed, network lost): the reconnect window starts (§4.4). */
  customerDisconnected(chat: LiveChat): void {
    chat.customerExit = 'disconnected';
    this.#send(chat, { type: 'customer.disconnected' });
    // Representative-facing automated message (§5.5).
    if (chat.agent && chat.conversation.state === 'withAgent') {
      const text = this.#render('customer disconnected', chat);
      this.#services.timeline.record('agent', { kind: 'message.delivered', to: 'agent', reader: chat.agent, messageId: `notice-${this.#services.ids.sequence()}`, from: 'system', text }, chat.id);
    }
  }

  customerReconnected(chat: LiveChat): void {
    chat.customerExit = undefined;
    this.#send(chat, { type: 'customer.reconnected' });
  }

  workItemStatus(chat: LiveChat): { state: 'Open' | 'Active' | 'Waiting' | 'WrapUp' | 'Closed'; reason: StatusChangeReason } {
    const top = chat.workItem.state.split('.')[0];
    const state = top === 'open' ? 'Open' : top === 'active' ? 'Active' : top === 'waiting' ? 'Waiting' : top === 'wrapUp' ? 'WrapUp' : 'Closed';
    return { state, reason: chat.workItem.snapshot.context.statusReason };
  }

  closureReason(chat: LiveChat): ClosureReason | null {
    return chat.conversation.snapshot.context.closureReason;
  }

  /**
   * Who is in the customer's chat thread now (the messaging plane's roster, d365-omnichannel.md §3.2
   * participants): the customer, the copilot while its leg is open, and every agent whose leg was joined
   * and is still open, until the work item reaches wrap-up: an agent who ends the conversation leaves the
   * thread, which is what clients hear as `participantsRemoved` (§3.5 onAgentEndSession).
   */
  threadParticipants(chat: LiveChat): ThreadParticipant[] {
    const participants: ThreadParticipant[] = [{ id: chat.visitorId, displayName: customerDisplayName, role: 'customer', joinedOn: chat.createdOn }];
    const ended = chat.workItem.state === 'closed' || chat.workItem.state.startsWith('wrapUp');
    for (const session of chat.sessions) {
      if (session.joinedOn === undefined || session.closedOn !== undefined) continue;
      if (session.kind === 'copilot') participants.push({ id: `8:acs:${acsResource}_bot`, displayName: session.participant, role: 'copilot', joinedOn: session.joinedOn });
      else if (!ended) participants.push({ id: `8:acs:${acsResource}_${session.participant}`, displayName: session.participant, role: 'agent', joinedOn: session.joinedOn });
    }
    return participants;
  }

  // The agent's side: what the agent does in the Customer Service workspace.

  agentAccepts(name: string): LiveChat {
    const chat = this.#offeredChat(name);
    const agent = this.#agent(name);
    const claim = this.#claim(chat);
    chat.offeredTo = undefined;
    chat.agent = name;
    chat.agentAcceptedOn = this.#services.clock.now();
    chat.capacityHeld = { agent: name, claim };
    agent.actor.send({ type: 'agent.accepted', conversationId: chat.id, ...claim });
    this.#joinSession(chat, name);
    this.#send(chat, { type: 'agent.accepted', agent: name });
    this.#agentJoined(chat, name);
    return chat;
  }

  agentDeclines(name: string): LiveChat {
    const chat = this.#offeredChat(name);
    this.#agent(name).actor.send({ type: 'agent.declined', conversationId: chat.id });
    this.#offerEnded(chat, name, 'AgentReject', 'agent.declined');
    return chat;
  }

  /** Pick mode: the agent takes the longest-waiting item of their queues (§5.2 step 9). */
  agentPicks(name: string): LiveChat {
    const record = this.#agent(name);
    if (this.#settings.workStream.distribution !== 'pick') {
      throw new SimulationError(`Agent "${name}" cannot pick work: the work stream "${this.#settings.workStream.name}" pushes work to agents. Only pick work streams leave items for agents to take. Configure the work stream with distribution "pick".`);
    }
    const chat = this.#waitingOrder().find((c) => record.settings.queues.includes(c.queue ?? ''));
    if (!chat) throw new SimulationError(`Agent "${name}" has nothing to pick. No conversation waits in ${record.settings.queues.map((q) => `"${q}"`).join(', ')}. Let a customer ask for an agent first.`);
    const claim = this.#claim(chat);
    chat.agent = name;
    chat.agentAcceptedOn = this.#services.clock.now();
    chat.capacityHeld = { agent: name, claim };
    record.lastAssignedAt = this.#services.clock.now();
    record.actor.send({ type: 'agent.capacityConsumed', ...claim });
    this.#openSession(chat, name, 'agent', 'primary', 'AgentPick');
    this.#joinSession(chat, name);
    this.#services.timeline.record('routing', { kind: 'routing.decided', step: 'assignment', queue: chat.queue, agent: name, outcome: `picked by ${name} from queue "${chat.queue}"`, explanation: [`work stream "${this.#settings.workStream.name}" distributes work by pick; ${name} took the longest-waiting conversation of their queues (capacity is not checked on a manual pick)`] }, chat.id);
    this.#send(chat, { type: 'agent.picked', agent: name });
    this.#agentJoined(chat, name);
    return chat;
  }

  agentSays(name: string, text: string): ThreadMessage {
    this.#agent(name);
    const primary = [...this.#chats].reverse().find((c) => c.agent === name && c.conversation.state === 'withAgent');
    if (primary) {
      const message = this.#post(primary, 'agent', name, `8:acs:${acsResource}_${name}`, text, 'public');
      for (const consultant of primary.consultants) this.#deliverToAgent(primary, consultant, message);
      return message;
    }
    const consulted = [...this.#chats].reverse().find((c) => c.consultants.has(name));
    if (consulted) return this.#postInternal(consulted, name, text);
    throw new SimulationError(`Agent "${name}" is not in a conversation. An agent talks to the customer after accepting an offered conversation, or to a colleague in a consult. Accept it first with: When agent "${name}" accepts.`);
  }

  agentEnds(name: string): LiveChat {
    const chat = this.#chatOfAgent(name);
    this.#send(chat, { type: 'agent.ended', agent: name });
    this.#postAutomated(chat, 'agent ended', { AgentName: name });
    return chat;
  }

  /**
   * Closing the session: after End it closes the work item; without End, live chat goes back to the queue
   * and persistent chat waits for the customer (d365-omnichannel.md §4.2).
   */
  agentClosesSession(name: string): LiveChat {
    this.#agent(name);
    const wrapUp = this.#chats.find((c) => c.agent === name && c.workItem.state.startsWith('wrapUp'));
    if (wrapUp) {
      this.#send(wrapUp, { type: 'agent.closedSession', agent: name });
      return wrapUp;
    }
    const active = this.#chats.find((c) => c.agent === name && c.conversation.state === 'withAgent');
    if (!active) throw new SimulationError(`Agent "${name}" has no session to close. An agent closes the session of a conversation they are in or have ended. Check that "${name}" accepted a conversation first.`);
    this.#leavePrimary(active, 'AgentClosed');
    this.#send(active, { type: 'agent.closedSession', agent: name });
    if (active.workItem.state.startsWith('open')) this.#enqueue(active, active.queue ?? this.#settings.workStream.fallbackQueue, `${name} closed the session without ending the conversation`);
    return active;
  }

  /** Agent → queue transfer (§5.4): the item goes back to Open in the target queue with its history and context. */
  agentTransfersToQueue(name: string, queue: string): LiveChat {
    const chat = this.#chatOfAgent(name);
    this.#knownQueue(queue);
    this.#leavePrimary(chat, 'AgentTransferToQueue');
    chat.transferCount += 1;
    this.#services.timeline.record('routing', { kind: 'routing.decided', step: 'transfer', queue, outcome: `${name} transferred the conversation to queue "${queue}"`, explanation: [`agent transfer to a queue: ${name}'s capacity is released at once and the item waits in "${queue}" (d365-omnichannel.md §5.4)`] }, chat.id);
    this.#enqueue(chat, queue, `${name} transferred a conversation to queue "${queue}"`);
    return chat;
  }

  /** Agent → agent transfer (§5.4): the item stays Active and is offered to the new primary. */
  agentTransfersToAgent(name: string, target: string): LiveChat {
    const chat = this.#chatOfAgent(name);
    this.#ensureFreeToBeOffered(target);
    this.#leavePrimary(chat, 'AgentTransfered');
    chat.transferCount += 1;
    this.#services.timeline.record('routing', { kind: 'routing.decided', step: 'transfer', queue: chat.queue, agent: target, outcome: `${name} transferred the conversation to ${target}`, explanation: [`agent transfer to an agent: the item stays Active and is offered to ${target} (d365-omnichannel.md §5.4)`] }, chat.id);
    this.#send(chat, { type: 'agent.transferred', agent: name, to: target });
    this.#offer(chat, target, 'AgentTransfer');
    return chat;
  }

  /** A consult (§4.3 mode Consult): the colleague joins with the full history; no capacity is consumed (§5.3). */
  agentConsults(name: string, colleague: string): LiveChat {
    const chat = this.#chatOfAgent(name);
    this.#agent(colleague);
    if (colleague === name || chat.consultants.has(colleague)) throw new SimulationError(`Agent "${colleague}" is already in this conversation. A consult brings in a colleague who is not yet part of it. Consult another agent.`);
    chat.consultants.add(colleague);
    this.#openSession(chat, colleague, 'agent', 'consult', 'AgentConsult');
    this.#joinSession(chat, colleague);
    for (const message of chat.thread) if (message.from !== 'system') this.#deliverToAgent(chat, colleague, message);
    return chat;
  }

  agentLeavesConsult(colleague: string): LiveChat {
    const chat = [...this.#chats].reverse().find((c) => c.consultants.has(colleague));
    if (!chat) throw new SimulationError(`Agent "${colleague}" is not consulting on any conversation. Only a consulted agent can leave a consult. Start one with: When agent "..." consults agent "${colleague}".`);
    chat.consultants.delete(colleague);
    this.#closeSession(chat, colleague, 'AgentClosed');
    return chat;
  }

  setPresence(name: string, presence: AgentSettings['presence']): void {
    this.#agent(name).actor.send({ type: 'agent.presenceChanged', presence });
    this.#assignWaitingWork(`agent ${name} became ${presence}`);
  }

  // The supervisor's side (d365-omnichannel.md §4.5).

  supervisorView(): SupervisorView {
    const now = this.#services.clock.now();
    const conversations: SupervisorView['conversations'] = [];
    const queues = new Map<string, { waiting: number; longestWaitMs: number }>();
    for (const queue of this.#settings.queues) queues.set(queue.name, { waiting: 0, longestWaitMs: 0 });
    for (const chat of this.#ongoing) {
      const { state } = this.workItemStatus(chat);
      if (state === 'Closed') continue;
      const status = state === 'WrapUp' ? 'Wrap-up' : state;
      const waitMs = state === 'Open' && chat.enqueuedAt !== undefined ? now - chat.enqueuedAt : 0;
      const bot = chat.copilot && !chat.copilot.ended ? chat.handledBy : undefined;
      conversations.push({ conversationId: chat.id, status, queue: bot ? this.#settings.workStream.botQueue : chat.queue, agent: chat.agent ?? chat.offeredTo ?? bot, waitMs });
      if (state === 'Open' && chat.queue) {
        const entry = queues.get(chat.queue)!;
        entry.waiting += 1;
        entry.longestWaitMs = Math.max(entry.longestWaitMs, waitMs);
      }
    }
    const agents = [...this.#agents.values()].map((record) => {
      const context = record.actor.snapshot.context;
      const profile = this.#settings.workStream.capacityFormat === 'profile';
      const used = profile ? Object.values(context.profiles).reduce((sum, p) => sum + p.used, 0) : context.usedCapacity;
      const capacity = profile ? Object.values(context.profiles).reduce((sum, p) => sum + p.limit, 0) : context.capacity;
      const conversations = this.#chats.filter((c) => c.agent === record.settings.name && c.workItem.state !== 'closed').length;
      return { agent: record.settings.name, presence: context.presence, used, capacity, available: capacity - used, conversations };
    });
    return { conversations, queues: [...queues.entries()].map(([queue, entry]) => ({ queue, ...entry })), agents };
  }

  /** The supervisor assigns a conversation to an agent (`AssignedBySupervisor`); eligibility is not checked. */
  supervisorAssigns(chat: LiveChat, name: string): void {
    this.#ensureFreeToBeOffered(name);
    const state = chat.conversation.state;
    if (state !== 'queued' && state !== 'offered' && state !== 'withAgent') {
      throw new SimulationError(`The supervisor cannot assign this conversation: it is ${state}. Only a conversation that waits, is offered or is with an agent can be assigned. Assign it while it waits in a queue.`);
    }
    if (chat.offeredTo) {
      const previous = chat.offeredTo;
      this.#agent(previous).actor.send({ type: 'agent.offerWithdrawn', conversationId: chat.id });
      chat.offeredTo = undefined;
      this.#closeSession(chat, previous, 'SupervisorTransferToAgent');
    }
    if (chat.agent && state === 'withAgent') this.#leavePrimary(chat, 'SupervisorTransferToAgent');
    this.#services.timeline.record('routing', { kind: 'routing.decided', step: 'supervisor', queue: chat.queue, agent: name, outcome: `the supervisor assigned the conversation to ${name}`, explanation: [`supervisor assignment: ${name} is offered the conversation whatever their presence and capacity (status reason AssignedBySupervisor, d365-omnichannel.md §4.1)`] }, chat.id);
    this.#send(chat, { type: 'supervisor.assigned', agent: name });
    this.#offer(chat, name, 'SupervisorAssign');
  }

  supervisorForceCloses(chat: LiveChat): void {
    if (chat.workItem.state === 'closed') throw new SimulationError('The supervisor cannot force close this conversation: it is already closed. Force close applies to ongoing conversations. Check the conversation first.');
    this.#postAutomated(chat, 'supervisor closed', {});
    this.#send(chat, { type: 'supervisor.forceClosed' });
  }

  /** The machines with this work stream's delays. */
  #workItemLogic = memoize(() => {
    const { workStream } = this.#settings;
    const delays = { ...workStream.delays };
    // Wrap-up is not auto-closed before the work stream's custom capacity block ends (§4.4).
    if (workStream.wrapUpCapacity === 'custom') delays.wrapUpAutoClose = Math.max(delays.wrapUpAutoClose, delays.wrapUpCapacityBlock);
    return withDelays(workItemMachine, delays);
  });

  #agentLogic = memoize(() => withDelays(agentMachine, { notificationCountdown: this.#settings.workStream.delays.notificationCountdown }));

  #addAgent(settings: AgentSettings, order: number): void {
    const { workStream } = this.#settings;
    const actor = new ObservedActor(this.#agentLogic(), {
      clock: this.#services.clock,
      timeline: this.#services.timeline,
      machineName: 'agent',
      id: settings.name,
      input: { name: settings.name, presence: settings.presence, capacity: settings.capacity, profiles: settings.profiles, inactiveAfterMissed: workStream.inactiveAfterMissedNotifications },
    });
    actor.actor.on('agent.offerExpired', (event) => {
      const chat = this.#byId.get(event.conversationId);
      this.#guarded(() => {
        if (chat) this.#offerEnded(chat, settings.name, 'AgentTimeout', 'agent.offerExpired');
      });
    });
    this.#agents.set(settings.name, { settings, actor, order, lastAssignedAt: Number.NEGATIVE_INFINITY, lastAssignedInQueue: {} });
  }

  #guarded(effect: () => void): void {
    try {
      effect();
    } catch (error) {
      this.#services.reportInternalError(error);
    }
  }

  #engageCopilot(chat: LiveChat, copilot: CopilotDefinition): void {
    const { timeline, clock, ids } = this.#services;
    const { workStream } = this.#settings;
    if (copilot.d365Connection === 'disconnected') {
      // The bot rule still sends the item to the bot queue, but no one there takes it (seed: "Disconnect your copilot").
      timeline.record('routing', { kind: 'routing.decided', step: 'route-to-queue', queue: workStream.botQueue, outcome: `routed to the bot queue "${workStream.botQueue}", where the disconnected copilot "${copilot.name}" takes no traffic`, explanation: [`work stream "${workStream.name}" has the copilot as its first responder: its bot rule routes every new conversation to "${workStream.botQueue}" (d365-omnichannel.md §5.2 step 4, §6.1)`, disconnectedExplanation] }, chat.id);
      this.#enqueue(chat, workStream.botQueue, `a conversation entered queue "${workStream.botQueue}"`);
      return;
    }
    timeline.record('routing', { kind: 'routing.decided', step: 'route-to-queue', queue: 'copilot', outcome: `routed to the copilot "${copilot.name}" as first responder`, explanation: [`work stream "${workStream.name}" has the copilot as its first responder: its bot rule routes every new conversation to "${workStream.botQueue}" (d365-omnichannel.md §5.2 step 4, §6.1)`, `the copilot is assigned at once: bots do not consume capacity (§5.3)`] }, chat.id);
    chat.handledBy = copilot.name;
    this.#openSession(chat, copilot.name, 'copilot', 'copilot');
    this.#joinSession(chat, copilot.name);
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
        record: (fact) => timeline.record('copilot', fact, chat.id),
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
        // CloseOmnichannelConversation = true and a transfer ends the chat (d365-omnichannel.md §6.4).
        this.#closeSession(chat, copilot.name, 'VirtualAgentClosed');
        this.#send(chat, { type: 'copilot.ended' });
        return;
    }
  }

  /**
   * Escalation (d365-omnichannel.md §6.3): the copilot's variables become context variables, the copilot's
   * leg closes, classification and route-to-queue run again with them (the pre-queue overflow check only on
   * the first escalation) and the item waits for a human.
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

  /** Classification, route-to-queue and the pre-queue overflow check (§5.2 steps 3–5). */
  #route(chat: LiveChat, why: string): void {
    const { timeline, clock, faker } = this.#services;
    const { workStream } = this.#settings;
    const classification = classify(chat.context, this.#settings.classification ?? []);
    chat.classification = classification;
    const checkOverflow = !chat.preQueueChecked;
    chat.preQueueChecked = true;
    const decision = routeToQueue(chat.context, this.#settings.rules, workStream.fallbackQueue, {
      now: clock.now(),
      queues: this.#queues,
      openItems: (queue) => this.#openItems(queue),
      draw: () => faker.number.int({ min: 0, max: 9999 }) / 100,
      checkOverflow,
    });
    const explanation = [...classification.explanation, ...decision.explanation];
    if (!checkOverflow) explanation.push('the pre-queue overflow check already ran for this conversation; it runs once per item (d365-omnichannel.md §5.2 step 5)');
    if (decision.queue === workStream.botQueue && chat.handledBy) {
      explanation.push(`queue "${decision.queue}" is the copilot's bot queue: a re-routed escalation never returns to the same bot, so only its human members can take it (§6.3)`);
    }
    if (decision.end) {
      timeline.record('routing', { kind: 'routing.decided', step: 'route-to-queue', queue: decision.queue, outcome: `the conversation was ended by overflow of queue "${decision.queue}" because ${why}`, explanation }, chat.id);
      this.#endByOverflow(chat, decision.end.message, decision.overflow?.condition.startsWith('out of operating hours') ? 'out of operating hours' : 'overflow end');
      return;
    }
    if (decision.overflow?.action.kind === 'transfer') chat.overflowTransferCount += 1;
    timeline.record('routing', { kind: 'routing.decided', step: 'route-to-queue', queue: decision.queue, outcome: `routed to queue "${decision.queue}" because ${why}`, explanation }, chat.id);
    this.#enqueue(chat, decision.queue, `a conversation entered queue "${decision.queue}"`);
  }

  #endByOverflow(chat: LiveChat, message: string | undefined, fallback: AutomatedMessageName): void {
    if (message) this.#post(chat, 'system', systemDisplayName, `8:acs:${acsResource}_system`, renderMessage(message, { QueueName: chat.queue }, chat.context), 'system');
    else this.#postAutomated(chat, fallback, {});
    this.#send(chat, { type: 'routing.overflowed' });
  }

  #enqueue(chat: LiveChat, queue: string, trigger: string): void {
    chat.queue = queue;
    chat.enqueuedAt = this.#services.clock.now();
    chat.lastNoAgentExplanation = undefined;
    const waitLimit = waitOverflow(this.#queues.get(queue))?.condition.ms;
    this.#send(chat, { type: 'routing.queued', queue, waitLimit });
    this.#assignWaitingWork(trigger);
  }

  /** After-queue overflow (§5.2 step 10): the item waited longer than its queue allows. */
  #waitLimitExceeded(chat: LiveChat): void {
    const queue = this.#queues.get(chat.queue ?? '');
    const pair = waitOverflow(queue);
    if (!queue || !pair || !chat.conversation.state.startsWith('queued')) return;
    const waited = this.#services.clock.now() - (chat.enqueuedAt ?? 0);
    const explanation = [`the conversation waited ${Math.round(waited / 1000)} s in queue "${queue.name}", longer than its overflow limit (${pair.text})`];
    if (pair.action.kind === 'end conversation') {
      explanation.push(`overflow action: end the conversation${pair.action.message ? ` with "${pair.action.message}"` : ''}`);
      this.#services.timeline.record('routing', { kind: 'routing.decided', step: 'overflow', queue: queue.name, outcome: `ended by the wait-time overflow of queue "${queue.name}"`, explanation }, chat.id);
      this.#endByOverflow(chat, pair.action.message, 'overflow end');
    } else if (pair.action.kind === 'transfer') {
      const target = pair.action.queue;
      explanation.push(`overflow action: transfer to queue "${target}", where its own overflow limits apply`);
      chat.overflowTransferCount += 1;
      this.#services.timeline.record('routing', { kind: 'routing.decided', step: 'overflow', queue: target, outcome: `transferred to queue "${target}" by the wait-time overflow of queue "${queue.name}"`, explanation }, chat.id);
      this.#enqueue(chat, target, `a conversation overflowed into queue "${target}"`);
    }
  }

  #announceQueuePosition(chat: LiveChat): void {
    if (!chat.queue || chat.conversation.state !== 'queued') return;
    const position = this.#waitingOrder().filter((c) => c.queue === chat.queue).indexOf(chat) + 1;
    const now = this.#services.clock.now();
    // Long queues hear it every 60 s instead of 30 s (d365-omnichannel.md §4.4).
    if (position > 150 && chat.lastQueuePositionAt !== undefined && now - chat.lastQueuePositionAt < 60_000) return;
    chat.lastQueuePositionAt = now;
    this.#postAutomated(chat, 'queue position', { Position: position });
  }

  /** Open items in a queue, for the work item limit (§5.2 step 5). */
  #openItems(queue: string): number {
    let count = 0;
    for (const chat of this.#ongoing) if (chat.queue === queue && chat.conversation.state === 'queued') count += 1;
    return count;
  }

  /** Waiting items across queues: queue priority, then classified priority, then oldest first (§5.2 step 6). */
  #waitingOrder(): LiveChat[] {
    const priority = (chat: LiveChat) => this.#queues.get(chat.queue ?? '')?.priority ?? Number.MAX_SAFE_INTEGER;
    return [...this.#ongoing]
      .filter((chat) => chat.queue !== undefined && chat.conversation.state === 'queued' && chat.offeredTo === undefined)
      .sort((a, b) => priority(a) - priority(b) || (a.classification?.priority ?? Number.MAX_SAFE_INTEGER) - (b.classification?.priority ?? Number.MAX_SAFE_INTEGER) || (a.enqueuedAt ?? 0) - (b.enqueuedAt ?? 0));
  }

  /** One assignment cycle (§5.2 step 7): the top waiting items, each to the best eligible agent of its queue. */
  #assignWaitingWork(trigger: string): void {
    const { workStream } = this.#settings;
    if (workStream.distribution === 'pick') return;
    const waiting = this.#waitingOrder().slice(0, maxItemsPerCycle);
    if (waiting.length === 0) return;
    const candidates = this.#candidates();
    for (const chat of waiting) {
      const queue = this.#queues.get(chat.queue!)!;
      const decision = chooseAgent(queue, candidates, workStream, chat.excludedAgents, {
        skills: chat.classification?.skills,
        capacityProfiles: this.#claim(chat).profiles,
      });
      if (!decision.agent) {
        const text = decision.explanation.join('\n');
        if (text === chat.lastNoAgentExplanation) continue;
        chat.lastNoAgentExplanation = text;
      }
      this.#services.timeline.record(
        'routing',
        { kind: 'routing.decided', step: 'assignment', queue: queue.name, agent: decision.agent, outcome: decision.agent ? `offered to ${decision.agent} (${trigger})` : `no agent available in queue "${queue.name}" (${trigger})`, explanation: decision.explanation },
        chat.id,
      );
      if (decision.agent) {
        this.#send(chat, { type: 'agent.offered', agent: decision.agent });
        this.#offer(chat, decision.agent, 'Push');
        const candidate = candidates.find((c) => c.name === decision.agent);
        if (candidate) candidate.notified = true;
      }
    }
  }

  #offer(chat: LiveChat, name: string, assignReason: string): void {
    const agent = this.#agent(name);
    const now = this.#services.clock.now();
    chat.offeredTo = name;
    chat.offeredAt = now;
    chat.lastNoAgentExplanation = undefined;
    agent.lastAssignedAt = now;
    if (chat.queue) agent.lastAssignedInQueue[chat.queue] = now;
    this.#openSession(chat, name, 'agent', 'primary', assignReason);
    agent.actor.send({ type: 'agent.offered', conversationId: chat.id });
  }

  #offerEnded(chat: LiveChat, name: string, closureReason: 'AgentReject' | 'AgentTimeout', event: 'agent.declined' | 'agent.offerExpired'): void {
    chat.offeredTo = undefined;
    chat.excludedAgents.add(name);
    this.#closeSession(chat, name, closureReason);
    this.#send(chat, { type: event, agent: name });
    this.#assignWaitingWork(`${name} ${event === 'agent.declined' ? 'declined' : 'let the notification expire'}`);
  }

  #agentJoined(chat: LiveChat, name: string): void {
    this.#postAutomated(chat, 'agent joined', { AgentName: name });
    // The agent's panel opens with the whole transcript so far (d365-omnichannel.md §6.5), agents' messages included after a transfer.
    for (const message of chat.thread) {
      if (message.from === 'customer' || message.from === 'copilot' || message.from === 'agent') this.#deliverToAgent(chat, name, message);
    }
  }

  /** The primary agent leaves the item (transfer, closing the session, reassignment): session closed, capacity released. */
  #leavePrimary(chat: LiveChat, reason: SessionClosureReason): void {
    const name = chat.agent;
    if (!name) return;
    this.#closeSession(chat, name, reason);
    chat.agent = undefined;
    this.#releaseCapacity(chat);
  }

  #releaseCapacity(chat: LiveChat): void {
    const held = chat.capacityHeld;
    if (!held) return;
    chat.capacityHeld = undefined;
    this.#agent(held.agent).actor.send({ type: 'agent.capacityReleased', ...held.claim });
    this.#assignWaitingWork(`${held.agent}'s capacity was released`);
  }

  #workItemChanged(chat: LiveChat, from: string, to: string, cause: string): void {
    const reason = chat.workItem.snapshot.context.statusReason;
    if (to === 'closed') {
      this.#ongoing.delete(chat);
      chat.copilot?.stop();
      const sessionReason = sessionReasonFor(reason, chat);
      for (const session of chat.sessions) if (session.closedOn === undefined) this.#closeSession(chat, session.participant, sessionReason);
      chat.consultants.clear();
      if (chat.offeredTo) {
        this.#agent(chat.offeredTo).actor.send({ type: 'agent.offerWithdrawn', conversationId: chat.id });
        chat.offeredTo = undefined;
      }
      if (chat.conversation.state !== 'closed') chat.conversation.send({ type: 'workItem.closed', reason: reason as ClosureReason });
      this.#releaseCapacity(chat);
    } else if (to.startsWith('wrapUp') && !from.startsWith('wrapUp')) {
      if (chat.conversation.state === 'withAgent' && cause.startsWith('xstate.after')) chat.conversation.send({ type: 'workItem.wrappedUp', reason: reason as ClosureReason });
    }
    if (to === 'wrapUp.capacityReleased') this.#releaseCapacity(chat);
    if (to === 'waiting') chat.conversation.send({ type: 'workItem.awaitingCustomer' });
    // Persistent chat: the customer came back to a Waiting item, which is routed to its queue again (§4.2).
    if (from === 'waiting' && to.startsWith('open')) this.#enqueue(chat, chat.queue ?? this.#settings.workStream.fallbackQueue, 'the customer came back to a waiting conversation');
  }

  #send(chat: LiveChat, event: Parameters<LiveChat['workItem']['send']>[0]): void {
    chat.conversation.send(event);
    chat.workItem.send(event);
  }

  #render(name: AutomatedMessageName, chat: LiveChat, slugs: Record<string, string | number | undefined> = {}): string {
    return renderMessage(this.#messages[name], { QueueName: chat.queue, ...slugs }, chat.context);
  }

  #postAutomated(chat: LiveChat, name: AutomatedMessageName, slugs: Record<string, string | number | undefined>): ThreadMessage {
    return this.#post(chat, 'system', systemDisplayName, `8:acs:${acsResource}_system`, this.#render(name, chat, slugs), automatedMessageTags[name]);
  }

  #post(chat: LiveChat, from: ThreadMessage['from'], senderDisplayName: string, senderId: string, content: string, tags: string): ThreadMessage {
    const message = this.#message(chat.thread.length + 1, from, senderDisplayName, senderId, content, tags);
    chat.thread.push(message);
    this.#services.timeline.record(from === 'system' ? 'system' : from, { kind: 'message.sent', messageId: message.id, from, sender: senderDisplayName, text: content, tags }, chat.id);
    return message;
  }

  /** A consult message between agents: tagged private, delivered to the agents only (§8). */
  #postInternal(chat: LiveChat, name: string, text: string): ThreadMessage {
    const message = this.#message(chat.internalMessages.length + 1, 'agent', name, `8:acs:${acsResource}_${name}`, text, 'private');
    chat.internalMessages.push(message);
    this.#services.timeline.record('agent', { kind: 'message.sent', messageId: message.id, from: 'agent', sender: name, text, tags: 'private' }, chat.id);
    for (const reader of [chat.agent, ...chat.consultants]) if (reader && reader !== name) this.#deliverToAgent(chat, reader, message);
    return message;
  }

  #message(sequence: number, from: ThreadMessage['from'], senderDisplayName: string, senderId: string, content: string, tags: string): ThreadMessage {
    const now = this.#services.clock.now();
    this.#lastMessageId = Math.max(this.#lastMessageId + 1, now);
    return { id: String(this.#lastMessageId), sequenceId: String(sequence), from, senderDisplayName, senderId, content, tags, createdOn: now };
  }

  #deliverToAgent(chat: LiveChat, agent: string, message: ThreadMessage): void {
    this.#services.timeline.record('agent', { kind: 'message.delivered', to: 'agent', reader: agent, messageId: message.id, from: message.from, text: message.content }, chat.id);
  }

  #openSession(chat: LiveChat, participant: string, kind: SessionRecord['kind'], mode: SessionRecord['mode'], assignReason?: string): void {
    const session: SessionRecord = { id: this.#services.ids.uuid(), participant, kind, mode, queue: chat.queue, assignReason, createdOn: this.#services.clock.now() };
    chat.sessions.push(session);
    this.#services.timeline.record('routing', { kind: 'session.changed', sessionId: session.id, participant, mode, change: 'created', reason: assignReason }, chat.id);
  }

  #joinSession(chat: LiveChat, participant: string): void {
    const session = [...chat.sessions].reverse().find((s) => s.participant === participant && s.closedOn === undefined);
    if (!session) return;
    session.joinedOn = this.#services.clock.now();
    this.#services.timeline.record('routing', { kind: 'session.changed', sessionId: session.id, participant, mode: session.mode, change: 'joined' }, chat.id);
  }

  #closeSession(chat: LiveChat, participant: string, closureReason: SessionClosureReason): void {
    const session = [...chat.sessions].reverse().find((s) => s.participant === participant && s.closedOn === undefined);
    if (!session) return;
    session.closedOn = this.#services.clock.now();
    session.closureReason = closureReason;
    this.#services.timeline.record('routing', { kind: 'session.changed', sessionId: session.id, participant, mode: session.mode, change: 'closed', reason: closureReason }, chat.id);
  }

  /** What the item takes from its agent: the work stream's units, or one of each profile it carries (§5.3). */
  #claim(chat: LiveChat): CapacityClaim {
    const { workStream } = this.#settings;
    if (workStream.capacityFormat === 'unit') return { units: workStream.capacityRequired, profiles: [] };
    return { units: 0, profiles: [...new Set([workStream.capacityProfile, ...(chat.classification?.capacityProfiles ?? [])])] };
  }

  #candidates(): AgentCandidate[] {
    return [...this.#agents.values()].map((record) => {
      const context = record.actor.snapshot.context;
      return {
        name: record.settings.name,
        presence: context.presence,
        capacity: context.capacity,
        usedCapacity: context.usedCapacity,
        profiles: context.profiles,
        queues: record.settings.queues,
        skills: record.settings.skills,
        notified: record.actor.state === 'notified',
        lastAssignedAt: record.lastAssignedAt,
        lastAssignedInQueue: record.lastAssignedInQueue,
        order: record.order,
      };
    });
  }

  #ensureFreeToBeOffered(name: string): void {
    if (this.#agent(name).actor.state === 'notified') {
      throw new SimulationError(`Agent "${name}" is answering another notification. An agent holds one notification at a time. Let "${name}" accept or decline it first.`);
    }
  }

  #knownQueue(queue: string): void {
    if (!this.#queues.has(queue)) {
      throw new SimulationError(`There is no queue "${queue}". Queues are declared in the scenario's queues table. Known queues: ${[...this.#queues.keys()].map((n) => `"${n}"`).join(', ')}.`);
    }
  }

  #agent(name: string): AgentRecord {
    const agent = this.#agents.get(name);
    if (!agent) {
      throw new SimulationError(`There is no agent "${name}". Agents are declared in the scenario's agents table. Known agents: ${this.agentNames().map((n) => `"${n}"`).join(', ') || 'none'}.`);
    }
    return agent;
  }

  #offeredChat(name: string): LiveChat {
    this.#agent(name);
    const chat = this.#chats.find((c) => c.offeredTo === name);
    if (!chat) throw new SimulationError(`Agent "${name}" has no conversation offered. Only an offered conversation can be accepted, declined or ignored. Check that routing offered it to "${name}" first.`);
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
export function contextVariablesOf(initContext: InitContext): Record<string, string> {
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

/**
 * Machines with given delays, shared by every simulation that uses the same delays. `.provide()` builds a
 * whole new machine whose transitions xstate then formats again on first use, about half a millisecond per
 * scenario; a machine is immutable, so simulations can share one.
 */
const machinesWithDelays = new Map<AnyStateMachine, Map<string, AnyStateMachine>>();

function withDelays<M extends AnyStateMachine>(machine: M, delays: Record<string, number>): M {
  let provided = machinesWithDelays.get(machine);
  if (!provided) machinesWithDelays.set(machine, (provided = new Map()));
  const key = JSON.stringify(delays);
  let built = provided.get(key) as M | undefined;
  if (!built) {
    built = machine.provide({ delays }) as M;
    provided.set(key, built);
  }
  return built;
}

function memoize<T>(build: () => T): () => T {
  let value: { built: T } | undefined;
  return () => (value ??= { built: build() }).built;
}
