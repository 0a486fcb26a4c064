import type { ActionNode, CopilotDefinition, TopicDefinition, TriggerNode } from './copilot-definition';
import { fixtureFetch, type ActionFixture, type SkillActionFixture } from './copilot-fixtures';
import { buildHandoffPayload, type HandoffPayload, type TranscriptActivity } from './handoff-payload';
import { IntentMatcher } from './intent-matcher';
import { FormulaRunner, isFormula, type VariablePath } from './formulas';
import { actionKindStatus } from './node-kinds';
import { getField, optionSetMember, PowerFxError, valuesEqual, type PowerFxValue, type SourceLocation } from './powerfx';
import { recognizeAnswer, recognizeNumber } from './question-entities';
import type { TimelineFact } from '../sim/timeline';

/** What the copilot does, for the host (Dynamics 365 or Direct Line) to put on its wire. */
export type CopilotOutput =
  | { kind: 'message'; text: string; topic: string; attachments?: unknown[] }
  | { kind: 'transfer'; topic: string; handoff: HandoffPayload }
  | { kind: 'conversationEnded'; topic: string }
  /** `CloseOmnichannelConversation = true` followed by a transfer: D365 ends the chat (d365-omnichannel.md §6.4). */
  | { kind: 'closeRequested'; topic: string };

export interface SessionOptions {
  /**
   * A redirect to a topic the copilot does not have stops the topic (`stop`, the default), or returns
   * at once (`skip`, for smoke runs of loose topic files whose targets live elsewhere).
   */
  absentTopics?: 'stop' | 'skip';
}

/** What the session waits for: a Question's entity, an Adaptive Card submit, a CSAT rating. */
export interface PendingInputView {
  kind: 'question' | 'card' | 'csat';
  topic: string;
  nodeId: string | undefined;
  entity: unknown;
}

export interface CopilotHost {
  /** The raw channel id the copilot sees: `lcw` behind Dynamics 365, `directline` on the embed code. */
  channelId: string;
  conversationId: string;
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  deliver(output: CopilotOutput): void;
  topicTriggered(topic: string, trigger: string): void;
  problem(message: string): void;
  newId(): string;
  /** Facts that are not messages (telemetry, emitted events, calls to fixtures); hosts that omit it drop them. */
  record?(fact: TimelineFact): void;
}

/** System.Activity.Channel is an option set (copilot-topic-yaml.md §3.2); raw ids map onto its members. */
export const channelMembers: Readonly<Record<string, string>> = {
  lcw: 'Omnichannel',
  omnichannel: 'Omnichannel',
  directline: 'Directline',
  webchat: 'Directline',
  msteams: 'MsTeams',
  telephony: 'Telephony',
  facebook: 'Facebook',
  m365copilot: 'Microsoft365Copilot',
};

export const fallbackMessage = "I'm sorry, I'm not sure how to help with that. Can you try rephrasing?";
/** Copilot Studio's own error text when a copilot has no On Error topic (its stock topic says the same). */
const defaultErrorMessage = 'An error has occurred.';
/** A turn that runs this many nodes is looping: GotoAction or redirects without an exit. */
const nodeBudgetPerTurn = 10_000;
/** Topics on the redirect stack at once; deeper means a BeginDialog cycle. */
const maxRedirectDepth = 64;

/** One run of a topic: its Topic.* variables, and who redirected to it and wants its outputs back. */
interface TopicRun {
  topic: TopicDefinition;
  variables: Map<string, unknown>;
  caller?: TopicRun;
  /** BeginDialog `output.binding`: the callee's output name → the caller's variable. */
  outputBinding?: Record<string, unknown>;
  depth: number;
}

interface LoopState {
  items: unknown[];
  position: number;
  valueVariable?: string;
  indexVariable?: string;
}

interface Frame {
  run: TopicRun;
  actions: readonly ActionNode[];
  index: number;
  loop?: LoopState;
}

interface PendingInput {
  kind: 'question' | 'card' | 'csat';
  run: TopicRun;
  node: ActionNode;
  retries: number;
  /** The frame that waits; topics started on top of it (an inactivity reminder) run, then it waits again. */
  frame: Frame;
}

/** Thrown by node handlers to stop their topic: the message says why; the session adds where. */
class TopicStopRequest extends Error {}

/** A failure the copilot's own On Error topic handles (System.Error.Code / .Message). */
class RuntimeFailure extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
  }
}

/**
 * One conversation with a copilot: its variables, the topic stack, and the inactivity timers. It runs
 * topics in Copilot Studio's own YAML shape (docs/copilot-topic-yaml.md §2), whether they came from an
 * exported folder or a feature table. Node by node: §2.2 for the basic kinds, docs/real-topics-census.md
 * §2 for the rest; features/README.md ("Copilots from YAML") documents the choices the docs leave open.
 */
export class CopilotSession {
  readonly #copilot: CopilotDefinition;
  readonly #host: CopilotHost;
  readonly #formulas: FormulaRunner;
  readonly #options: SessionOptions;
  readonly #matcher: IntentMatcher<TopicDefinition>;
  readonly #globals = new Map<string, unknown>();
  /** System.* values a topic set (System.Recognizer.SelectedIntent by Multiple Topics Matched, for example). */
  readonly #systemSet = new Map<string, unknown>();
  #frames: Frame[] = [];
  #pending: PendingInput | undefined;
  #awaiting: Promise<void> | undefined;
  readonly #queued: string[] = [];
  #phrases: string[] = [];
  #topicsByPhrase: string[] = [];
  #lastTopic = '';
  #transcript: TranscriptActivity[] = [];
  #lastText = '';
  #activityValue: unknown;
  #fallbackCount = 0;
  #error: { Code: string; Message: string } | undefined;
  #handlingError = false;
  #signedIn = false;
  #ended = false;
  #nodesThisTurn = 0;
  readonly #reportedUnsupported = new Set<object>();
  #inactivityTimer: unknown;
  #idleSince = 0;
  #inactivityTiers: TopicDefinition[] = [];

  constructor(copilot: CopilotDefinition, host: CopilotHost, formulas = new FormulaRunner(), options: SessionOptions = {}) {
    this.#copilot = copilot;
    this.#host = host;
    this.#formulas = formulas;
    this.#options = options;
    this.#matcher = matcherFor(copilot);
  }

  get ended(): boolean {
    return this.#ended;
  }

  get globalVariables(): ReadonlyMap<string, unknown> {
    return this.#globals;
  }

  /** True while a node waits for an outside answer (an HTTP call); `idle()` resolves when it is done. */
  get busy(): boolean {
    return this.#awaiting !== undefined;
  }

  /** Resolves when no node is waiting for an outside answer (HTTP back ends answer asynchronously). */
  async idle(): Promise<void> {
    while (this.#awaiting) await this.#awaiting;
  }

  /** The conversation starts: context variables from the channel become globals, the greeting runs. */
  begin(context: Record<string, unknown> = {}): void {
    for (const [name, value] of Object.entries(context)) this.#globals.set(name, value);
    this.#nodesThisTurn = 0;
    // Pushed last first, so that the first conversation-start topic runs first.
    const starts = this.#topicsWithTrigger('OnConversationStart').filter((topic) => this.#triggerHolds(topic));
    for (const topic of [...starts].reverse()) this.#startTopic(topic, 'OnConversationStart', false);
    this.#run();
    this.#armInactivity();
  }

  /** The customer said something (an Adaptive Card submit arrives as its JSON text). */
  receiveMessage(text: string): void {
    if (this.#ended) return;
    if (this.#awaiting) {
      this.#queued.push(text);
      return;
    }
    this.#nodesThisTurn = 0;
    this.#lastText = text;
    this.#activityValue = submittedValue(text);
    this.#phrases.push(text);
    this.#transcript.push({ type: 'message', id: this.#host.newId(), timestamp: new Date(this.#host.now()).toISOString(), from: { id: 'customer', role: 'user' }, text });
    const pending = this.#pending;
    if (!pending || !this.#answer(pending, text)) this.#recognize(text);
    this.#run();
    this.#armInactivity();
  }

  /** What the copilot waits for from the customer, if anything (smoke runs answer it). */
  get waitingFor(): PendingInputView | undefined {
    const pending = this.#pending;
    return pending && { kind: pending.kind, topic: pending.run.topic.name, nodeId: pending.node.id, entity: pending.node['entity'] };
  }

  /** True while a topic is on the stack. */
  get running(): boolean {
    return this.#frames.length > 0;
  }

  /**
   * Starts one topic as its trigger would, without recognition or trigger condition: a smoke run of
   * each topic (`handoff conformance`). An On Error topic sees a sample System.Error.
   */
  startTopic(topic: TopicDefinition): void {
    if (this.#ended) return;
    this.#nodesThisTurn = 0;
    const trigger = topic.dialog.beginDialog.kind;
    if (trigger === 'OnError') this.#error ??= { Code: 'SmokeTest', Message: 'A sample error of the smoke run.' };
    if (trigger === 'OnRecognizedIntent' || trigger === 'OnEscalate') {
      this.#lastText = topic.dialog.beginDialog.intent?.triggerQueries?.[0] ?? topic.name;
      this.#topicsByPhrase.push(topic.name);
      this.#lastTopic = topic.name;
    }
    this.#startTopic(topic, trigger, true);
    this.#run();
  }

  /** Stops the session's timers: the conversation left the copilot. */
  stop(): void {
    this.#ended = true;
    this.#cancelInactivity();
    this.#frames = [];
    this.#pending = undefined;
    this.#queued.length = 0;
  }

  // Triggers

  #topicsWithTrigger(kind: string): TopicDefinition[] {
    return this.#copilot.topics.filter((topic) => topic.dialog.beginDialog.kind === kind);
  }

  /** A trigger's `condition` ("Ignored when the topic is redirected to explicitly", §2.1). */
  #triggerHolds(topic: TopicDefinition): boolean {
    const trigger = topic.dialog.beginDialog;
    if (trigger.condition === undefined || trigger.condition === null) return true;
    try {
      return this.#formulas.condition(trigger.condition, this.#variables(undefined), this.#valueAt(topic, trigger, 'condition'));
    } catch (error) {
      this.#host.problem(`Topic "${topic.name}" was not triggered${whereIn(topic, trigger)}: its trigger condition failed. ${describeError(error)}`);
      return false;
    }
  }

  /**
   * A message that no question took: OnActivity topics for messages run first, then the recognized
   * topic, or the unknown-intent fallback (System.FallbackCount counts unrecognized turns in a row).
   */
  #recognize(text: string): void {
    const match = this.#matcher.matchWhere(text, (topic) => this.#triggerHolds(topic));
    if (match) {
      this.#fallbackCount = 0;
      this.#topicsByPhrase.push(match.value.name);
      this.#lastTopic = match.value.name;
      this.#startTopic(match.value, match.value.dialog.beginDialog.kind, true);
    } else {
      this.#fallbackCount += 1;
      const fallback = this.#byPriority(this.#topicsWithTrigger('OnUnknownIntent').filter((topic) => this.#triggerHolds(topic)))[0];
      if (fallback) this.#startTopic(fallback, 'OnUnknownIntent', true);
      else this.#say(fallbackMessage, 'Fallback');
    }
    const onMessage = this.#topicsWithTrigger('OnActivity').filter((topic) => {
      const type = topic.dialog.beginDialog['type'];
      return (type === undefined || type === 'Message') && this.#triggerHolds(topic);
    });
    for (const topic of [...this.#byPriority(onMessage)].reverse()) this.#startTopic(topic, 'OnActivity', false);
  }

  #byPriority(topics: TopicDefinition[]): TopicDefinition[] {
    return [...topics].sort((a, b) => (Number(a.dialog.beginDialog.priority) || 0) - (Number(b.dialog.beginDialog.priority) || 0));
  }

  #startTopic(topic: TopicDefinition, trigger: string, cancelsRunning: boolean, caller?: TopicRun): TopicRun {
    if (cancelsRunning && cancelsOthers(topic)) {
      this.#frames = [];
      this.#pending = undefined;
    }
    this.#host.topicTriggered(topic.name, trigger);
    const run: TopicRun = { topic, variables: new Map(), depth: caller ? caller.depth + 1 : 0, ...(caller ? { caller } : {}) };
    this.#frames.push({ run, actions: topic.dialog.beginDialog.actions ?? [], index: 0 });
    return run;
  }

  // Running

  #run(): void {
    while (this.#frames.length > 0 && !this.#ended && !this.#awaiting) {
      const frame = this.#frames[this.#frames.length - 1]!;
      if (this.#pending?.frame === frame) break;
      const action = frame.actions[frame.index];
      if (!action) {
        if (frame.loop && this.#nextIteration(frame)) continue;
        this.#frames.pop();
        if (!this.#frames.some((other) => other.run === frame.run)) this.#completed(frame.run);
        continue;
      }
      frame.index += 1;
      if (action.disabled === true) continue;
      if (++this.#nodesThisTurn > nodeBudgetPerTurn) {
        this.#stopTopic(frame.run, action, `it ran ${nodeBudgetPerTurn} nodes in one turn, so it is looping (GotoAction or redirects without an exit)`, 'Give the loop an exit condition.');
        continue;
      }
      try {
        this.#execute(action, frame);
      } catch (error) {
        this.#failed(error, frame.run, action);
      }
    }
  }

  /** A topic run finished: its outputs go back to the topic that redirected to it (BeginDialog `output.binding`). */
  #completed(run: TopicRun): void {
    const { caller, outputBinding } = run;
    if (!caller || !outputBinding || !this.#frames.some((frame) => frame.run === caller)) return;
    for (const [output, target] of Object.entries(outputBinding)) {
      if (typeof target === 'string') this.#assign(target, run.variables.get(output), caller);
    }
  }

  #failed(error: unknown, run: TopicRun, action: ActionNode): void {
    if (error instanceof TopicStopRequest) {
      this.#stopTopic(run, action, error.message, '');
      return;
    }
    if (error instanceof PowerFxError && error.code !== 'runtime') {
      // Not Power Fx the engine runs, or not Power Fx at all: the author's problem, not the conversation's.
      this.#stopTopic(run, action, error.message.replace(/\.\s*$/, ''), '');
      return;
    }
    if (error instanceof PowerFxError || error instanceof RuntimeFailure) {
      const code = error instanceof RuntimeFailure ? error.code : (error.errorKind ?? 'ExpressionEvaluationError');
      this.#raiseError(code, error.message, run, action);
      return;
    }
    throw error;
  }

  /**
   * A runtime error (a formula's error value, a failing flow or HTTP call): Copilot Studio cancels the
   * topics and runs the On Error topic with System.Error.Code and .Message (copilot-topic-yaml.md §2.1).
   */
  #raiseError(code: string, message: string, run: TopicRun, action: ActionNode): void {
    this.#host.problem(`Topic "${run.topic.name}" failed at node ${action.id ?? '(no id)'}${whereIn(run.topic, action)}: ${message}`);
    this.#frames = [];
    this.#pending = undefined;
    this.#error = { Code: code, Message: message };
    const onError = this.#handlingError ? undefined : this.#topicsWithTrigger('OnError')[0];
    if (!onError) {
      this.#say(defaultErrorMessage, run.topic.name);
      return;
    }
    this.#handlingError = true;
    this.#startTopic(onError, 'OnError', true);
    this.#run();
    this.#handlingError = false;
  }

  /** Stops a topic at a node, with a located message on the timeline; the rest of that topic does not run. */
  #stopTopic(run: TopicRun, action: ActionNode, why: string, remedy: string): void {
    this.#host.problem(
      `Topic "${run.topic.name}" stopped at node ${action.id ?? '(no id)'}${whereIn(run.topic, action)}: ${why}. ` +
        `The rest of the topic did not run.${remedy ? ` ${remedy}` : ''}`,
    );
    this.#dropRun(run);
  }

  #dropRun(run: TopicRun): void {
    this.#frames = this.#frames.filter((frame) => frame.run !== run);
    if (this.#pending?.run === run) this.#pending = undefined;
  }

  #execute(action: ActionNode, frame: Frame): void {
    const { run } = frame;
    switch (action.kind) {
      case 'SendActivity':
        this.#sendActivity(action, run);
        return;
      case 'SetVariable':
        this.#assign(String(action['variable']), this.#value(action, 'value', run), run);
        return;
      case 'SetTextVariable':
        this.#assign(String(action['variable']), this.#template(action, 'value', run), run);
        return;
      case 'SetMultipleVariables':
        for (const item of asList(action['assignments'] ?? action['variables'])) {
          if (isObject(item)) this.#assign(String(item['variable']), this.#value(item, 'value', run), run);
        }
        return;
      case 'ResetVariable':
        this.#assign(String(action['variable']), undefined, run);
        return;
      case 'ConditionGroup':
        this.#branch(action, run);
        return;
      case 'Question':
        this.#ask(action, frame);
        return;
      case 'BeginDialog':
      case 'ReplaceDialog':
        this.#redirect(action, run);
        return;
      case 'EndDialog':
      case 'CancelDialog':
        this.#dropRun(run);
        this.#completed(run);
        return;
      case 'CancelAllDialogs':
        this.#frames = [];
        this.#pending = undefined;
        return;
      case 'EndConversation':
        this.#host.deliver({ kind: 'conversationEnded', topic: run.topic.name });
        this.stop();
        return;
      case 'TransferConversation':
      case 'TransferConversationV2':
        this.#transfer(action, run);
        return;
      case 'GotoAction':
        this.#goto(action, run);
        return;
      case 'Foreach':
        this.#foreach(action, run);
        return;
      case 'BreakLoop':
      case 'ContinueLoop':
        this.#loopControl(action, frame);
        return;
      case 'ParseValue':
        this.#parseValue(action, run);
        return;
      case 'EditTable':
      case 'EditTableV2':
        this.#editTable(action, run);
        return;
      case 'ClearAllVariables':
        this.#clearVariables(action, run);
        return;
      case 'LogCustomTelemetryEvent':
        this.#record({ kind: 'event.sent', from: 'copilot', name: this.#stringValue(action, 'eventName', run), channel: 'telemetry', value: this.#value(action, 'properties', run) });
        return;
      case 'EmitEvent':
        this.#record({ kind: 'event.sent', from: 'copilot', name: this.#stringValue(action, 'eventName', run), channel: 'event', value: this.#value(action, 'eventValue', run) });
        return;
      case 'AdaptiveCardPrompt':
        this.#cardPrompt(action, frame);
        return;
      case 'CSATQuestion':
        this.#say('How would you rate your experience? Please answer with a number from 1 to 5.', run.topic.name);
        this.#pending = { kind: 'csat', run, node: action, retries: 0, frame };
        return;
      case 'SearchAndSummarizeContent':
      case 'AnswerQuestionWithAI':
        this.#generativeAnswer(action, run);
        return;
      case 'CreateSearchQuery': {
        const input = this.#stringValue(action, 'userInput', run, this.#lastText);
        if (typeof action['result'] === 'string') this.#assign(action['result'], { SearchQuery: input, SearchKeywords: input }, run);
        return;
      }
      case 'OAuthInput':
        this.#signIn(action, run);
        return;
      case 'SignOutUser':
        this.#signedIn = false;
        return;
      case 'InvokeFlowAction':
        this.#invoke(action, run, 'flow', String(action['flowId'] ?? ''), this.#copilot.fixtures?.flows, 'flows', 'FlowActionException');
        return;
      case 'InvokeConnectorAction': {
        const operation = String(action['operationId'] ?? '');
        const connectors = this.#copilot.fixtures?.connectors;
        const key = connectors && `${action['connectionReference']}/${operation}` in connectors ? `${action['connectionReference']}/${operation}` : operation;
        this.#invoke(action, run, 'connector operation', key, connectors, 'connectors', 'ConnectorActionException');
        return;
      }
      case 'InvokeAIBuilderModelAction':
        this.#invoke(action, run, 'AI Builder model', String(action['aIModelId'] ?? ''), this.#copilot.fixtures?.aiModels, 'aiModels', 'AIModelActionException');
        return;
      case 'InvokeSkillAction':
        this.#invokeSkill(action, run);
        return;
      case 'HttpRequestAction':
      case 'SendHttpRequest':
        this.#httpRequest(action, run);
        return;
      default:
        this.#unsupported(action, run);
    }
  }

  /** A node kind the harness does not run: reported on the timeline, the topic stops there (census §2). */
  #unsupported(action: ActionNode, run: TopicRun): void {
    const status = actionKindStatus(action.kind);
    const why =
      status === 'unknown'
        ? `the node kind "${action.kind}" is not a Copilot Studio node kind, so Copilot Studio itself would refuse the topic`
        : `the node kind "${action.kind}" is not supported by the harness yet`;
    this.#reportedUnsupported.add(action);
    this.#stopTopic(run, action, why, status === 'unknown' ? 'Use a kind of the schema (docs/copilot-topic-yaml.md §2).' : 'Supported kinds are listed in features/README.md, "Copilots from YAML".');
  }

  // Messages

  #sendActivity(action: ActionNode, run: TopicRun): void {
    const activity = action['activity'];
    if (isObject(activity) && (activity['kind'] === 'EventActivity' || activity['type'] === 'event')) {
      const name = this.#formulas.value(activity['name'], this.#variables(run), this.#valueAt(run.topic, activity, 'name'));
      this.#record({ kind: 'event.sent', from: 'copilot', name: String(name ?? ''), channel: 'event', value: this.#formulas.value(activity['value'], this.#variables(run), this.#valueAt(run.topic, activity, 'value')) });
      return;
    }
    const text = this.#formulas.template(activityText(activity), this.#variables(run), this.#valueAt(run.topic, action, 'activity'));
    const attachments = isObject(activity) && Array.isArray(activity['attachments']) ? activity['attachments'] : undefined;
    this.#say(text || (attachments ? cardText(attachments) : ''), run.topic.name, attachments);
  }

  #say(text: string, topic: string, attachments?: unknown[]): void {
    this.#transcript.push({ type: 'message', id: this.#host.newId(), timestamp: new Date(this.#host.now()).toISOString(), from: { id: this.#copilot.botId, name: this.#copilot.name, role: 'bot' }, text });
    this.#host.deliver({ kind: 'message', text, topic, ...(attachments ? { attachments } : {}) });
  }

  #record(fact: TimelineFact): void {
    this.#host.record?.(fact);
  }

  // Branches, redirects, jumps and loops

  #branch(action: ActionNode, run: TopicRun): void {
    const variables = this.#variables(run);
    const chosen = asList(action['conditions']).find(
      (item): item is Record<string, unknown> => isObject(item) && this.#formulas.condition(item['condition'], variables, this.#valueAt(run.topic, item, 'condition')),
    );
    const actions = chosen ? chosen['actions'] : action['elseActions'];
    if (Array.isArray(actions) && actions.length > 0) this.#frames.push({ run, actions: actions as ActionNode[], index: 0 });
  }

  /**
   * BeginDialog runs the target as a sub-topic and comes back (§2.2.5): `input.binding` sets the
   * target's Topic.<input>, `output.binding` copies its Topic.<output> back when it ends. ReplaceDialog
   * takes the caller's place. A target whose startBehavior cancels other topics clears the stack.
   */
  #redirect(action: ActionNode, run: TopicRun): void {
    const reference = String(this.#value(action, 'dialog', run) ?? '').trim();
    const target = findTopic(this.#copilot, reference);
    if (!target) {
      if (this.#options.absentTopics === 'skip') {
        // A partial copilot (loose topic files): the target lives elsewhere; the redirect returns at once.
        this.#record({ kind: 'event.sent', from: 'copilot', name: `${action.kind} ${reference}`, channel: 'absent-topic' });
        return;
      }
      this.#stopTopic(run, action, `it redirects to "${reference}", which this copilot does not have`, 'Add the topic or correct `dialog:`.');
      return;
    }
    const inputs: Array<[string, unknown]> = Object.entries(binding(action['input'])).map(([name, raw]) => [name, this.#formulas.value(raw, this.#variables(run), this.#valueAt(run.topic, binding(action['input']), name))]);
    let caller: TopicRun | undefined = run;
    if (action.kind === 'ReplaceDialog') {
      caller = run.caller;
      this.#dropRun(run);
    }
    if (cancelsOthers(target)) {
      this.#frames = [];
      this.#pending = undefined;
      caller = undefined;
    }
    if ((caller?.depth ?? 0) + 1 > maxRedirectDepth) {
      this.#stopTopic(run, action, `it is redirect number ${maxRedirectDepth} on the stack, so the redirects form a cycle`, 'Break the cycle with EndDialog or a condition.');
      return;
    }
    const callee = this.#startTopic(target, action.kind, false, caller);
    const outputBinding = binding(action['output']);
    if (action.kind === 'BeginDialog' && caller && Object.keys(outputBinding).length > 0) callee.outputBinding = outputBinding;
    for (const [name, value] of inputs) callee.variables.set(name, value);
  }

  /** GotoAction: continue at another node of the same topic, inside whichever branch holds it. */
  #goto(action: ActionNode, run: TopicRun): void {
    const target = String(action['actionId'] ?? '');
    const path = pathTo(run.topic.dialog.beginDialog.actions ?? [], target);
    if (!path) {
      this.#stopTopic(run, action, `it jumps to node "${target}", which is not in this topic`, 'Correct `actionId`.');
      return;
    }
    this.#frames = this.#frames.filter((frame) => frame.run !== run);
    path.forEach(({ list, index }, depth) => this.#frames.push({ run, actions: list, index: depth === path.length - 1 ? index : index + 1 }));
  }

  #foreach(action: ActionNode, run: TopicRun): void {
    const items = this.#value(action, 'items', run);
    const rows = Array.isArray(items) ? items : items === undefined ? [] : [items];
    const actions = Array.isArray(action['actions']) ? (action['actions'] as ActionNode[]) : [];
    if (rows.length === 0 || actions.length === 0) return;
    const loop: LoopState = {
      items: rows,
      position: 0,
      ...(typeof action['value'] === 'string' ? { valueVariable: action['value'] } : {}),
      ...(typeof action['index'] === 'string' ? { indexVariable: action['index'] } : {}),
    };
    this.#frames.push({ run, actions, index: 0, loop });
    this.#setLoopVariables(loop, run);
  }

  #nextIteration(frame: Frame): boolean {
    const loop = frame.loop!;
    loop.position += 1;
    if (loop.position >= loop.items.length) return false;
    frame.index = 0;
    this.#setLoopVariables(loop, frame.run);
    return true;
  }

  #setLoopVariables(loop: LoopState, run: TopicRun): void {
    if (loop.valueVariable) this.#assign(loop.valueVariable, loop.items[loop.position], run);
    if (loop.indexVariable) this.#assign(loop.indexVariable, loop.position, run);
  }

  #loopControl(action: ActionNode, frame: Frame): void {
    const at = this.#frames.map((candidate, index) => ({ candidate, index })).reverse().find(({ candidate }) => candidate.run === frame.run && candidate.loop);
    if (!at) {
      this.#stopTopic(frame.run, action, `${action.kind} is not inside a Foreach`, 'Move it into the loop or remove it.');
      return;
    }
    this.#frames.length = at.index + 1;
    if (action.kind === 'BreakLoop') this.#frames.pop();
    else at.candidate.index = at.candidate.actions.length;
  }

  // Questions, cards and surveys

  /**
   * Question (§2.2.2): skipped when its variable already has a value (unless it always prompts), else
   * the prompt is sent and the topic waits for the answer.
   */
  #ask(action: ActionNode, frame: Frame): void {
    const { run } = frame;
    const variable = String(action['variable'] ?? '');
    const mode = action['skipQuestionMode'];
    const always = action['alwaysPrompt'] === true || mode === 'AlwaysAsk';
    if (!always && variable && !isBlank(this.#read(variable, run))) return;
    this.#sayTemplate(action, 'prompt', run);
    this.#pending = { kind: 'question', run, node: action, retries: 0, frame };
  }

  #cardPrompt(action: ActionNode, frame: Frame): void {
    const { run } = frame;
    const raw = action['card'];
    let card: unknown = raw;
    if (typeof raw === 'string') card = isFormula(raw) ? this.#value(action, 'card', run) : parseJson(raw) ?? raw;
    const attachment = { contentType: 'application/vnd.microsoft.card.adaptive', content: card };
    this.#say(cardText([attachment]), run.topic.name, [attachment]);
    this.#pending = { kind: 'card', run, node: action, retries: 0, frame };
  }

  /**
   * The customer answered what the copilot is waiting for. Returns false when the message is not an
   * answer but another topic (an interruption, allowed unless `interruptionPolicy.allowInterruption`
   * is false): that topic runs on top, and the question is asked again when it ends.
   */
  #answer(pending: PendingInput, text: string): boolean {
    const { run, node } = pending;
    if (pending.kind === 'csat') {
      this.#pending = undefined;
      const rating = recognizeNumber(text);
      const value = rating && Number(rating.value) >= 1 && Number(rating.value) <= 5 ? Number(rating.value) : undefined;
      if (typeof node['variable'] === 'string') this.#assign(node['variable'], value, run);
      this.#record({ kind: 'event.sent', from: 'customer', name: 'csat', channel: 'survey', value });
      return true;
    }
    const recognized = pending.kind === 'card' ? submitted(this.#activityValue) : this.#recognizeAnswer(node, run, text);
    if (recognized) {
      const target = String(node['variable'] ?? '');
      if (pending.kind === 'card') {
        this.#pending = undefined;
        const values = recognized.value as Record<string, unknown>;
        for (const [field, variable] of Object.entries(binding(node['output']))) if (typeof variable === 'string') this.#assign(variable, values[field], run);
        return true;
      }
      const previous = target ? this.#read(target, run) : undefined;
      if (target) this.#assign(target, recognized.value, run);
      if (node['validation'] === undefined || this.#formulas.condition(node['validation'], this.#variables(run), this.#valueAt(run.topic, node, 'validation'))) {
        this.#pending = undefined;
        return true;
      }
      if (target) this.#assign(target, previous, run);
      return this.#retry(pending, 'invalidPrompt');
    }
    const allowInterruption = !isObject(node['interruptionPolicy']) || node['interruptionPolicy']['allowInterruption'] !== false;
    if (allowInterruption && this.#matcher.matchWhere(text, (topic) => this.#triggerHolds(topic))) {
      // The question stays on the stack: re-asked when the interrupting topic is done.
      this.#pending = undefined;
      pending.frame.index = Math.max(0, pending.frame.actions.indexOf(node));
      return false;
    }
    return this.#retry(pending, 'unrecognizedPrompt');
  }

  #recognizeAnswer(node: ActionNode, run: TopicRun, text: string): { value: unknown } | undefined {
    return recognizeAnswer(node['entity'], text, {
      optionSet: `${run.topic.schemaName}.main.${node.id ?? ''}`,
      now: this.#host.now(),
      entities: this.#copilot.entities ?? new Map(),
      evaluate: (raw) => this.#formulas.value(raw, this.#variables(run), this.#valueAt(run.topic, isObject(node['entity']) ? node['entity'] : node, 'items')),
    });
  }

  /**
   * An answer that was not recognized (or not valid): asked again up to `repeatCount` times (schema
   * default 2). Then `defaultValue` is used when given; otherwise the designer's default "Action if no
   * entity found: Escalate" redirects to the escalate topic (or `fallbackDialogOnInvalidEntity`).
   */
  #retry(pending: PendingInput, promptKey: 'unrecognizedPrompt' | 'invalidPrompt'): boolean {
    const { run, node } = pending;
    const limit = Number(this.#value(node, 'repeatCount', run) ?? 2);
    if (pending.retries < (Number.isFinite(limit) ? limit : 2)) {
      pending.retries += 1;
      if (node[promptKey] !== undefined) this.#sayTemplate(node, promptKey, run);
      else if (node['unrecognizedPrompt'] !== undefined) this.#sayTemplate(node, 'unrecognizedPrompt', run);
      else this.#sayTemplate(node, pending.kind === 'card' ? 'unrecognizedPrompt' : 'prompt', run);
      return true;
    }
    this.#pending = undefined;
    if (pending.kind === 'card') return true;
    const variable = String(node['variable'] ?? '');
    if (node['defaultValue'] !== undefined) {
      if (variable) this.#assign(variable, this.#value(node, 'defaultValue', run), run);
      if (node['defaultValueResponse'] !== undefined) this.#sayTemplate(node, 'defaultValueResponse', run);
      return true;
    }
    const fallback = node['fallbackDialogOnInvalidEntity'];
    const escalate = fallback !== undefined ? findTopic(this.#copilot, String(this.#value(node, 'fallbackDialogOnInvalidEntity', run) ?? '')) : this.#topicsWithTrigger('OnEscalate')[0];
    if (escalate) {
      this.#frames = [];
      this.#startTopic(escalate, 'OnEscalate', true);
    }
    return true;
  }

  #sayTemplate(node: Record<string, unknown>, key: string, run: TopicRun): void {
    const text = this.#formulas.template(activityText(node[key]), this.#variables(run), this.#valueAt(run.topic, node, key));
    if (text) this.#say(text, run.topic.name);
  }

  // Data nodes

  /** ParseValue: text (JSON) or a value into the type `valueType` names; `errorPolicy: DefaultBlank` swallows failures. */
  #parseValue(action: ActionNode, run: TopicRun): void {
    const raw = this.#value(action, 'value', run);
    const type = typeName(action['valueType']);
    let parsed: unknown;
    let failure: string | undefined;
    if (raw === undefined || raw === null || raw === '') parsed = undefined;
    else if (type === 'String') parsed = typeof raw === 'string' ? raw : JSON.stringify(raw);
    else if (type === 'Number' || type === 'Float') {
      parsed = typeof raw === 'number' ? raw : Number(String(raw).trim());
      if (Number.isNaN(parsed)) failure = `"${String(raw)}" is not a number`;
    } else if (type === 'Boolean') {
      const text = String(raw).trim().toLowerCase();
      if (raw === true || raw === false) parsed = raw;
      else if (text === 'true' || text === 'false') parsed = text === 'true';
      else failure = `"${String(raw)}" is not true or false`;
    } else if (type === 'DateTime' || type === 'Date' || type === 'DateTimeNoTimeZone') {
      const date = raw instanceof Date ? raw : new Date(String(raw));
      if (Number.isNaN(date.getTime())) failure = `"${String(raw)}" is not a date`;
      else parsed = date;
    } else if (typeof raw === 'string') {
      parsed = parseJson(raw) ?? parseJson(quoteBareKeys(raw));
      if (parsed === undefined) failure = `the text is not JSON: ${JSON.stringify(raw.length > 60 ? `${raw.slice(0, 57)}...` : raw)}`;
    } else parsed = raw;
    if (failure !== undefined) {
      if (action['errorPolicy'] === 'DefaultBlank') parsed = undefined;
      else throw new RuntimeFailure('ParseValueError', `ParseValue could not read the value as ${type}: ${failure}.`);
    }
    this.#assign(String(action['variable']), toPowerFx(parsed), run);
  }

  /** EditTable: Add, Remove, Clear, TakeFirst, TakeLast on the table in `itemsVariable` (schema TableChangeType). */
  #editTable(action: ActionNode, run: TopicRun): void {
    const itemsVariable = String(action['itemsVariable'] ?? '');
    const current = this.#read(itemsVariable, run);
    const rows: unknown[] = Array.isArray(current) ? [...current] : [];
    const change = isObject(action['changeType']) ? String(action['changeType']['kind'] ?? '').replace(/ItemOperation$|Operation$/, '') : String(action['changeType'] ?? 'Add');
    const valueSource = isObject(action['changeType']) && action['changeType']['value'] !== undefined ? action['changeType'] : action;
    const value = () => this.#formulas.value(valueSource['value'], this.#variables(run), this.#valueAt(run.topic, valueSource, 'value'));
    let result: unknown;
    switch (change) {
      case 'Add':
        rows.push(value());
        break;
      case 'Remove': {
        const removed = value();
        const kept = rows.filter((row) => !valuesEqual(row as PowerFxValue, removed as PowerFxValue));
        rows.length = 0;
        rows.push(...kept);
        break;
      }
      case 'Clear':
      case 'RemoveAll':
        rows.length = 0;
        break;
      case 'TakeFirst':
        result = rows.shift();
        break;
      case 'TakeLast':
        result = rows.pop();
        break;
      default:
        throw new TopicStopRequest(`EditTable changeType "${change}" is not one of Add, Remove, Clear, TakeFirst, TakeLast`);
    }
    this.#assign(itemsVariable, rows, run);
    if (typeof action['resultVariable'] === 'string') this.#assign(action['resultVariable'], result, run);
  }

  /** ClearAllVariables (§2.2.5): conversation-scoped globals by default; the history; or every global. */
  #clearVariables(action: ActionNode, run: TopicRun): void {
    const which = String(this.#value(action, 'variables', run) ?? 'ConversationScopedVariables');
    if (which === 'ConversationHistory') this.#transcript = [];
    else this.#globals.clear();
    this.#record({ kind: 'event.sent', from: 'copilot', name: 'ClearAllVariables', channel: 'variables', value: which });
  }

  // Calls to the world outside: answered by fixtures

  #generativeAnswer(action: ActionNode, run: TopicRun): void {
    const input = this.#stringValue(action, 'userInput', run, this.#lastText);
    const answers = this.#copilot.fixtures?.answers;
    if (!answers) {
      throw new TopicStopRequest(
        `${action.kind} asks for a generated answer to "${input}", but the scenario gives no answers. ` +
          "Generated answers come from fixtures in the simulation. Add answers with \"Given the copilot's knowledge answers:\" or an `answers:` section in the fixture folder",
      );
    }
    const lower = input.toLowerCase();
    const found = answers.find((entry) => entry.question === '*' || lower.includes(entry.question.toLowerCase()));
    this.#record({ kind: 'event.sent', from: 'copilot', name: action.kind, channel: 'fixture', value: { input, answered: found !== undefined } });
    if (typeof action['variable'] === 'string') this.#assign(action['variable'], found?.answer, run);
    if (found && action['autoSend'] !== false) this.#say(found.answer, run.topic.name);
  }

  #signIn(action: ActionNode, run: TopicRun): void {
    const signedIn = this.#copilot.fixtures?.signedIn;
    if (signedIn === undefined) {
      throw new TopicStopRequest(
        'OAuthInput asks the customer to sign in, but the scenario does not say whether the customer signs in. ' +
          'Add "Given the customer signs in when asked" or "Given the customer does not sign in", or `signedIn:` in the fixture folder',
      );
    }
    this.#record({ kind: 'event.sent', from: 'copilot', name: 'OAuthInput', channel: 'fixture', value: { signedIn } });
    if (signedIn) {
      this.#signedIn = true;
      return;
    }
    const title = this.#stringValue(action, 'title', run, 'Sign in');
    const text = this.#stringValue(action, 'text', run, 'Please sign in.');
    this.#say(`${title}: ${text}`, run.topic.name);
    throw new TopicStopRequest('the customer of this scenario does not sign in, and the topic waits for a sign-in');
  }

  /** InvokeFlowAction, InvokeConnectorAction, InvokeAIBuilderModelAction: outputs from fixtures, bound by `output`. */
  #invoke(action: ActionNode, run: TopicRun, what: string, key: string, fixtures: Record<string, ActionFixture> | undefined, section: string, errorCode: string): void {
    const inputs = this.#inputs(action, run);
    const fixture = fixtures?.[key] ?? fixtures?.['*'];
    this.#record({ kind: 'event.sent', from: 'copilot', name: `${action.kind} ${key}`, channel: 'fixture', value: inputs });
    if (!fixture) {
      throw new TopicStopRequest(
        `it calls the ${what} "${key}", which no fixture answers. ` +
          `Flows, connectors and AI models run outside the copilot, so the simulation takes their outputs from fixtures. Add \`${section}: { "${key}": { outputs: {...} } }\` to the fixture folder`,
      );
    }
    if (fixture.error !== undefined) throw new RuntimeFailure(errorCode, `The ${what} "${key}" failed: ${fixture.error}`);
    this.#bindOutputs(action['output'], fixture.outputs ?? {}, run);
  }

  /**
   * InvokeSkillAction: outputs from fixtures, or, for an action the fixture marks `handoff`, the
   * skill-based handoff of the contact-center sample, which reaches Dynamics 365 like a transfer.
   */
  #invokeSkill(action: ActionNode, run: TopicRun): void {
    const skillId = String(action['skillId'] ?? '');
    const actionId = String(action['actionId'] ?? '');
    const skill = this.#copilot.fixtures?.skills?.[skillId] ?? this.#copilot.fixtures?.skills?.['*'];
    const fixture: SkillActionFixture | undefined = skill?.[actionId] ?? skill?.['*'];
    const inputs = this.#inputs(action, run);
    this.#record({ kind: 'event.sent', from: 'copilot', name: `InvokeSkillAction ${skillId} ${actionId}`, channel: 'fixture', value: inputs });
    if (!fixture) {
      throw new TopicStopRequest(
        `it calls action "${actionId}" of the skill "${skillId}", which no fixture answers. ` +
          `Skills are other bots, so the simulation takes their outputs from fixtures. Add \`skills: { "${skillId}": { ${actionId}: { outputs: {...} } } }\` to the fixture folder (\`handoff: {}\` makes it a handoff)`,
      );
    }
    if (fixture.error !== undefined) throw new RuntimeFailure('SkillActionException', `Action "${actionId}" of the skill "${skillId}" failed: ${fixture.error}`);
    if (fixture.handoff) {
      const named = fixture.handoff.messageToAgent;
      const message = named !== undefined ? inputs[named] : undefined;
      this.#handOff(run, message === undefined || message === null ? '' : String(message), 'All');
      return;
    }
    this.#bindOutputs(action['output'], fixture.outputs ?? {}, run);
  }

  /** HttpRequestAction / SendHttpRequest through the fixture folder's msw handlers; the topic waits for the answer. */
  #httpRequest(action: ActionNode, run: TopicRun): void {
    const url = this.#stringValue(action, 'url', run);
    const method = String(action['method'] ?? 'Get').toUpperCase();
    const headers: Record<string, string> = {};
    const headerSource = isObject(action['headers']) ? action['headers'] : {};
    for (const name of Object.keys(headerSource)) headers[name] = String(this.#formulas.value(headerSource[name], this.#variables(run), this.#valueAt(run.topic, headerSource, name)) ?? '');
    let body: string | undefined;
    const content = isObject(action['body']) ? action['body'] : undefined;
    if (content && content['content'] !== undefined) {
      const value = this.#formulas.value(content['content'], this.#variables(run), this.#valueAt(run.topic, content, 'content'));
      body = typeof value === 'string' && content['kind'] !== 'JsonRequestContent' ? value : JSON.stringify(value ?? null);
      if (content['kind'] === 'JsonRequestContent' && !Object.keys(headers).some((name) => name.toLowerCase() === 'content-type')) headers['Content-Type'] = 'application/json';
    }
    if (!this.#copilot.fixtures?.httpHandlers?.length) {
      throw new TopicStopRequest(`it calls ${method} ${url}, and the scenario gives no HTTP fixtures. The copilot's own back ends are mocked like everything else. Add \`http:\` entries or http-handlers.ts to the fixture folder`);
    }
    let request: Request;
    try {
      request = new Request(url, { method, headers, ...(body !== undefined && method !== 'GET' && method !== 'HEAD' ? { body } : {}) });
    } catch (error) {
      throw new RuntimeFailure('HttpRequestFailure', `The HTTP request to "${url}" could not be made: ${(error as Error).message}.`);
    }
    this.#record({ kind: 'event.sent', from: 'copilot', name: `${method} ${url}`, channel: 'http', value: body === undefined ? undefined : parseJson(body) ?? body });
    this.#awaiting = (async () => {
      const response = await fixtureFetch(this.#copilot.fixtures, request);
      const text = response ? await response.text() : '';
      return { response, text };
    })().then(
      ({ response, text }) => {
        this.#awaiting = undefined;
        if (this.#ended) return;
        this.#nodesThisTurn = 0;
        try {
          if (!response) throw new TopicStopRequest(`no HTTP fixture answers ${method} ${url}. Add an entry for it to the fixture folder's \`http:\` section or http-handlers.ts`);
          const ok = response.status >= 200 && response.status < 300;
          const errorHandling = isObject(action['errorHandling']) ? action['errorHandling'] : undefined;
          if (!ok && errorHandling?.['kind'] !== 'ContinueOnErrorBehavior') {
            throw new RuntimeFailure('HttpRequestFailure', `${method} ${url} answered ${response.status}: ${text.slice(0, 200)}`);
          }
          if (!ok && errorHandling) {
            if (typeof errorHandling['statusCode'] === 'string') this.#assign(errorHandling['statusCode'], response.status, run);
            if (typeof errorHandling['errorResponseBody'] === 'string') this.#assign(errorHandling['errorResponseBody'], toPowerFx(parseJson(text) ?? text), run);
          } else if (typeof action['response'] === 'string') {
            this.#assign(action['response'], toPowerFx(parseJson(text) ?? text), run);
          }
          if (typeof action['responseHeaders'] === 'string') this.#assign(action['responseHeaders'], headersOf(response.headers), run);
        } catch (error) {
          this.#failed(error, run, action);
        }
        this.#resume();
      },
      (error: unknown) => {
        this.#awaiting = undefined;
        this.#failed(new RuntimeFailure('HttpRequestFailure', `${method} ${url} failed: ${(error as Error).message}`), run, action);
        this.#resume();
      },
    );
  }

  /** After an outside answer: the topic goes on, then the messages that arrived meanwhile are handled. */
  #resume(): void {
    this.#run();
    while (!this.#awaiting && !this.#ended && this.#queued.length > 0) this.receiveMessage(this.#queued.shift()!);
    if (!this.#awaiting) this.#armInactivity();
  }

  #inputs(action: ActionNode, run: TopicRun): Record<string, unknown> {
    const source = binding(action['input']);
    const inputs: Record<string, unknown> = {};
    for (const [name, raw] of Object.entries(source)) inputs[name] = this.#formulas.value(raw, this.#variables(run), this.#valueAt(run.topic, source, name));
    return inputs;
  }

  /** `output: { binding: { name: Topic.X } }` or `{ kind: SingleVariableOutputBinding, variable: Topic.X }` (the whole record). */
  #bindOutputs(output: unknown, outputs: Record<string, unknown>, run: TopicRun): void {
    if (isObject(output) && output['kind'] === 'SingleVariableOutputBinding' && typeof output['variable'] === 'string') {
      this.#assign(output['variable'], toPowerFx(outputs), run);
      return;
    }
    for (const [name, variable] of Object.entries(binding(output))) if (typeof variable === 'string') this.#assign(variable, toPowerFx(outputs[name]), run);
  }

  // Handoff

  #transfer(action: ActionNode, run: TopicRun): void {
    const transferType = isObject(action['transferType']) ? action['transferType'] : {};
    if (transferType['kind'] === 'TransferToPhoneNumber') {
      throw new TopicStopRequest('it transfers to a phone number, which only voice conversations can do; this conversation is a chat');
    }
    const messageToAgent = transferType['messageToAgent'] ?? action['messageToAgent'];
    const holder = transferType['messageToAgent'] !== undefined ? transferType : action;
    const agentMessage =
      messageToAgent === undefined
        ? ''
        : typeof messageToAgent === 'string' && isFormula(messageToAgent)
          ? String(this.#formulas.value(messageToAgent, this.#variables(run), this.#valueAt(run.topic, holder, 'messageToAgent')) ?? '')
          : this.#formulas.template(activityText(messageToAgent), this.#variables(run), this.#valueAt(run.topic, holder, 'messageToAgent'));
    const context = isObject(transferType['context']) ? transferType['context'] : isObject(action['context']) ? action['context'] : {};
    let scope = 'All';
    const extra: Record<string, unknown> = {};
    if (context['kind'] === 'ExpressionTransferContext') {
      const value = this.#formulas.value(context['value'], this.#variables(run), this.#valueAt(run.topic, context, 'value'));
      if (isObject(value)) Object.assign(extra, value);
    } else if (typeof context['variables'] === 'string') scope = context['variables'];
    this.#handOff(run, agentMessage, scope, extra);
  }

  /**
   * The escalation payload of copilot-protocol.md §6.2: every va_* variable, the custom variables by
   * their bare names (globals, and the topic's own unless the context says Global), the transcript and
   * the private message. With `CloseOmnichannelConversation = true` D365 ends the chat instead (§6.4).
   */
  #handOff(run: TopicRun, agentMessage: string, scope: string, extra: Record<string, unknown> = {}): void {
    const close = this.#globals.get('CloseOmnichannelConversation');
    if (close === true || (typeof close === 'string' && close.toLowerCase() === 'true')) {
      this.#host.deliver({ kind: 'closeRequested', topic: run.topic.name });
      this.stop();
      return;
    }
    const customVariables: Record<string, unknown> = scope === 'Topic' ? {} : Object.fromEntries(this.#globals);
    if (scope !== 'Global') for (const [name, value] of run.variables) customVariables[name] = value;
    Object.assign(customVariables, extra);
    const handoff = buildHandoffPayload({
      conversationId: this.#host.conversationId,
      botId: this.#copilot.botId,
      botName: this.#copilot.name,
      language: this.#copilot.language,
      lastTopic: this.#lastTopic || run.topic.name,
      topics: this.#topicsByPhrase,
      phrases: this.#phrases,
      agentMessage,
      customVariables,
      transcript: [...this.#transcript],
    });
    this.#host.deliver({ kind: 'transfer', topic: run.topic.name, handoff });
    this.stop();
  }

  // Variables

  #assign(variable: string, value: unknown, run: TopicRun): void {
    const name = variable.replace(/^init:/, '').trim();
    const dot = name.indexOf('.');
    const scope = dot < 0 ? name : name.slice(0, dot);
    const key = dot < 0 ? '' : name.slice(dot + 1);
    if (scope === 'Global') this.#globals.set(key, value);
    else if (scope === 'Topic') run.variables.set(key, value);
    else if (scope === 'System') this.#systemSet.set(key, value);
    else throw new TopicStopRequest(`it sets "${variable}", which is not a Topic, Global or System variable`);
  }

  #read(variable: string, run: TopicRun | undefined): unknown {
    return this.#variables(run)(variable.replace(/^init:/, '').trim().split('.'));
  }

  #variables(run: TopicRun | undefined): (path: VariablePath) => unknown {
    return (path) => {
      const [scope, name = ''] = path;
      let value: unknown;
      let from = 2;
      if (scope === 'Global') value = this.#globals.get(name);
      else if (scope === 'Topic') value = run?.variables.get(name);
      else if (scope === 'System') {
        // A System variable a topic set (System.Recognizer.SelectedIntent), then fields of it.
        for (let end = path.length; end > 1 && this.#systemSet.size > 0; end -= 1) {
          const key = path.slice(1, end).join('.');
          if (this.#systemSet.has(key)) {
            value = this.#systemSet.get(key);
            from = end;
            break;
          }
        }
        if (from === 2 && !this.#systemSet.has(path.slice(1, 2).join('.'))) {
          value = this.#system(path);
          from = path.length;
        }
      } else if (scope === 'Env') {
        // `Env.<schema name>`, then fields of a JSON environment variable (`Env.settings.captureUserActivity`).
        const environment = this.#copilot.fixtures?.environment;
        value = environment?.[name] ?? this.#copilot.environmentVariables?.[name] ?? environment?.['*'];
      } else return undefined;
      for (let index = from; index < path.length && value !== undefined; index += 1) value = getField(value, path[index]!);
      return value;
    };
  }

  /** System variables (copilot-topic-yaml.md §3.2), computed on demand. */
  #system(path: VariablePath): unknown {
    const channelId = this.#host.channelId;
    const [, group, field, ...rest] = path;
    const user = this.#copilot.fixtures?.user ?? {};
    let value: unknown;
    switch (group) {
      case 'Activity':
        value = { Text: this.#lastText, ChannelId: channelId, Channel: optionSetMember('ChannelId', channelMembers[channelId] ?? channelId), Value: this.#activityValue, Type: 'message' }[field ?? ''];
        break;
      case 'LastMessage':
        value = { Text: this.#lastText }[field ?? ''];
        break;
      case 'Conversation':
        value = { Id: this.#host.conversationId, InTestMode: false }[field ?? ''];
        break;
      case 'Bot':
        value = { Name: this.#copilot.name, Id: this.#copilot.botId, SchemaName: this.#copilot.schemaName, EnvironmentId: this.#copilot.environment }[field ?? ''];
        break;
      case 'User':
        value = { Language: this.#copilot.language, IsLoggedIn: this.#signedIn, DisplayName: user['displayName'], Email: user['email'], Id: user['id'], FirstName: user['firstName'], LastName: user['lastName'], ...(this.#signedIn ? { AccessToken: 'fixture-access-token' } : {}) }[field ?? ''];
        break;
      case 'FallbackCount':
        return this.#fallbackCount;
      case 'Error':
        value = this.#error?.[field as 'Code' | 'Message'];
        break;
      case 'SignInReason':
        return this.#signedIn ? undefined : optionSetMember('SignInReason', 'SignInRequired');
      default:
        return undefined;
    }
    for (const segment of rest) value = getField(value, segment);
    return value;
  }

  #value(node: Record<string, unknown>, key: string, run: TopicRun): unknown {
    return this.#formulas.value(node[key], this.#variables(run), this.#valueAt(run.topic, node, key));
  }

  #stringValue(node: Record<string, unknown>, key: string, run: TopicRun, fallback = ''): string {
    if (node[key] === undefined) return fallback;
    const value = typeof node[key] === 'string' && !isFormula(node[key] as string) ? this.#template(node, key, run) : this.#value(node, key, run);
    return value === undefined || value === null ? '' : String(value);
  }

  #template(node: Record<string, unknown>, key: string, run: TopicRun): string {
    return this.#formulas.template(String(node[key] ?? ''), this.#variables(run), this.#valueAt(run.topic, node, key));
  }

  #valueAt(topic: TopicDefinition, node: object, key: string): SourceLocation | undefined {
    return topic.locateValue?.(node, key) ?? topic.locate?.(node);
  }

  // Inactivity

  /**
   * Copilot Studio's inactivity runtime (copilot-protocol.md §7.1): on every customer message all
   * OnInactivity triggers are re-evaluated, one per duration, shortest first; one timer is armed at a
   * time and the next one when it fires. The trigger's condition is evaluated when its timer fires,
   * because variables may have changed since it was armed (copilot-topic-yaml.md §2.1 leaves it open).
   */
  #armInactivity(): void {
    this.#cancelInactivity();
    if (this.#ended) return;
    const byDuration = new Map<number, TopicDefinition>();
    for (const topic of this.#topicsWithTrigger('OnInactivity')) {
      const seconds = this.#inactivitySeconds(topic);
      const current = byDuration.get(seconds);
      if (!current || (topic.dialog.beginDialog.priority ?? 0) < (current.dialog.beginDialog.priority ?? 0)) byDuration.set(seconds, topic);
    }
    this.#inactivityTiers = [...byDuration.entries()].sort(([a], [b]) => a - b).map(([, topic]) => topic);
    this.#idleSince = this.#host.now();
    this.#armNextTier(0);
  }

  #armNextTier(index: number): void {
    const topic = this.#inactivityTiers[index];
    if (!topic || this.#ended) return;
    const dueAt = this.#idleSince + this.#inactivitySeconds(topic) * 1000;
    this.#inactivityTimer = this.#host.setTimeout(() => {
      this.#inactivityTimer = undefined;
      if (this.#triggerHolds(topic)) {
        this.#nodesThisTurn = 0;
        this.#startTopic(topic, 'OnInactivity', true);
        this.#run();
      }
      this.#armNextTier(index + 1);
    }, Math.max(0, dueAt - this.#host.now()));
  }

  #cancelInactivity(): void {
    if (this.#inactivityTimer !== undefined) this.#host.clearTimeout(this.#inactivityTimer);
    this.#inactivityTimer = undefined;
  }

  #inactivitySeconds(topic: TopicDefinition): number {
    const trigger = topic.dialog.beginDialog;
    const raw = trigger.durationInSeconds ?? 1800; // schema default (copilot-topic-yaml.md §2.1)
    let value = Number.NaN;
    try {
      value = Number(this.#formulas.value(raw, this.#variables(undefined), this.#valueAt(topic, trigger, 'durationInSeconds')));
    } catch (error) {
      this.#host.problem(`Topic "${topic.name}"${whereIn(topic, trigger)}: its inactivity duration could not be computed, so 1800 seconds apply. ${describeError(error)}`);
    }
    return Number.isFinite(value) && value >= 0 ? value : 1800;
  }
}

/** One matcher per copilot: building it normalizes every trigger phrase, which conversations need not repeat. */
const matchers = new WeakMap<CopilotDefinition, { topics: readonly TopicDefinition[]; matcher: IntentMatcher<TopicDefinition> }>();

function matcherFor(copilot: CopilotDefinition): IntentMatcher<TopicDefinition> {
  const known = matchers.get(copilot);
  if (known && known.topics === copilot.topics) return known.matcher;
  const intentTopics = copilot.topics.filter((topic) => isIntentTrigger(topic.dialog.beginDialog));
  const matcher = new IntentMatcher(intentTopics.map((topic) => ({ value: topic, phrases: topic.dialog.beginDialog.intent?.triggerQueries ?? [] })));
  matchers.set(copilot, { topics: copilot.topics, matcher });
  return matcher;
}

function isIntentTrigger(trigger: TriggerNode): boolean {
  return (trigger.kind === 'OnRecognizedIntent' || trigger.kind === 'OnEscalate') && Array.isArray(trigger.intent?.triggerQueries);
}

function cancelsOthers(topic: TopicDefinition): boolean {
  const behavior = topic.dialog.startBehavior;
  return behavior === 'CancelOtherTopics' || behavior === 'UseLatestPublishedContentAndCancelOtherTopics';
}

/** A topic by schema name, short name, display name or file stem, case-insensitively (copilot-topic-yaml.md §1.3). */
function findTopic(copilot: CopilotDefinition, reference: string): TopicDefinition | undefined {
  if (!reference) return undefined;
  const lower = reference.toLowerCase();
  const exact = copilot.topics.find((topic) => topic.schemaName.toLowerCase() === lower || topic.name.toLowerCase() === lower);
  if (exact) return exact;
  const infix = lower.indexOf('.topic.');
  const short = infix >= 0 ? lower.slice(infix + '.topic.'.length) : lower;
  return copilot.topics.find((topic) => {
    const own = topic.schemaName.toLowerCase();
    const ownShort = own.includes('.topic.') ? own.slice(own.indexOf('.topic.') + '.topic.'.length) : own;
    return ownShort === short || ownShort === `${short}.topic` || ownShort.replace(/\.topic$/, '') === short;
  });
}

/** `activity:` is a string or `{ text: [variations] }`; the first variation keeps runs deterministic. */
function activityText(activity: unknown): string {
  if (typeof activity === 'string') return activity;
  if (activity && typeof activity === 'object') {
    const text = (activity as { text?: unknown }).text;
    if (Array.isArray(text)) return String(text[0] ?? '');
    if (typeof text === 'string') return text;
  }
  return '';
}

/** What a chat transcript shows of Adaptive Cards: the text of their TextBlocks. */
function cardText(attachments: readonly unknown[]): string {
  const texts: string[] = [];
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(visit);
    else if (isObject(node)) {
      if (node['type'] === 'TextBlock' && typeof node['text'] === 'string') texts.push(node['text']);
      for (const value of Object.values(node)) if (typeof value === 'object') visit(value);
    }
  };
  visit(attachments);
  return texts.length > 0 ? texts.join('\n') : '[card]';
}

function binding(value: unknown): Record<string, unknown> {
  return isObject(value) && isObject(value['binding']) ? value['binding'] : {};
}

function pathTo(actions: readonly ActionNode[], id: string): Array<{ list: readonly ActionNode[]; index: number }> | undefined {
  for (let index = 0; index < actions.length; index += 1) {
    const node = actions[index];
    if (!isObject(node)) continue;
    if (node.id === id) return [{ list: actions, index }];
    const nested: unknown[] = [node['actions'], node['elseActions'], ...asList(node['conditions']).map((item) => (isObject(item) ? item['actions'] : undefined))];
    for (const list of nested) {
      if (!Array.isArray(list)) continue;
      const inner = pathTo(list as ActionNode[], id);
      if (inner) return [{ list: actions, index }, ...inner];
    }
  }
  return undefined;
}

function typeName(valueType: unknown): string {
  if (typeof valueType === 'string') return valueType;
  if (isObject(valueType) && typeof valueType['kind'] === 'string') return valueType['kind'];
  return 'Any';
}

/** JSON null is Blank in Power Fx; everything else stays as parsed. */
function toPowerFx(value: unknown): unknown {
  if (value === null) return undefined;
  if (Array.isArray(value)) return value.map(toPowerFx);
  if (isObject(value) && !(value instanceof Date)) return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, toPowerFx(inner)]));
  return value;
}

/**
 * `{ count: 0, items: [] }`: JSON with bare property names, as Microsoft's own samples hand to ParseValue
 * (Copilot Studio's .NET JSON reader accepts them; JSON.parse does not).
 */
function quoteBareKeys(text: string): string {
  return text.replace(/([{,]\s*)([A-Za-z_$][\w$]*)\s*:/g, '$1"$2":');
}

function parseJson(text: string): unknown {
  const trimmed = text.trim();
  if (!trimmed || !'{["-0123456789tfn'.includes(trimmed[0]!)) return undefined;
  try {
    return JSON.parse(trimmed) as unknown;
  } catch {
    return undefined;
  }
}

/** An Adaptive Card submit: the customer's client sends the card's data as a JSON object. */
function submittedValue(text: string): unknown {
  const trimmed = text.trim();
  if (!trimmed.startsWith('{')) return undefined;
  const value = parseJson(trimmed);
  return isObject(value) ? value : undefined;
}

function submitted(value: unknown): { value: unknown } | undefined {
  return isObject(value) ? { value } : undefined;
}

function headersOf(headers: Headers): Record<string, string> {
  const record: Record<string, string> = {};
  headers.forEach((value, name) => {
    record[name] = value;
  });
  return record;
}

function isBlank(value: unknown): boolean {
  return value === undefined || value === null || value === '';
}

function asList(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function whereIn(topic: TopicDefinition, node: object | undefined): string {
  const location = node ? topic.locate?.(node) : undefined;
  return location ? ` (${location.file}:${location.line}:${location.column})` : topic.file ? ` (${topic.file})` : '';
}

function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
