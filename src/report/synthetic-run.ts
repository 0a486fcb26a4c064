import { createRequire } from 'node:module';
import { AttachmentContentEncoding, HookType, StepDefinitionPatternType, TestStepResultStatus, type Envelope, type Pickle, type TestStep, type TestStepResult } from '@cucumber/messages';
import type { TimelineEntry } from '../sim/timeline';
import { Redactor } from './redaction';
import { encodeTimelineAttachment, timelineMediaType } from './timeline-attachment';

/**
 * A cucumber message stream of `scenarios` scenarios with realistic timelines, without running any:
 * for the report benchmark (1,000 scenarios) and for tests of the report writers. Feature files are
 * parsed by cucumber's own Gherkin parser, so sources, documents and pickles are real; one scenario in
 * `failEvery` fails at its last step with an assertion message like the harness's.
 */
export function syntheticRun(options: { scenarios: number; perFeature?: number; failEvery?: number }): Envelope[] {
  const perFeature = options.perFeature ?? 20;
  const failEvery = options.failEvery ?? 20;
  const { generateMessages } = createRequire(require.resolve('@cucumber/cucumber'))('@cucumber/gherkin') as {
    generateMessages(data: string, uri: string, mediaType: string, options: { includeSource: boolean; includeGherkinDocument: boolean; includePickles: boolean; newId: () => string }): readonly Envelope[];
  };
  const noSecrets = new Redactor();
  let next = 0;
  const newId = () => `id-${(next += 1)}`;
  const at = (ms: number) => ({ seconds: Math.floor(ms / 1000), nanos: (ms % 1000) * 1e6 });
  const startMs = Date.parse('2026-11-25T09:00:00.000Z');
  const envelopes: Envelope[] = [{ meta: { protocolVersion: '32.2.0', implementation: { name: 'cucumber-js', version: '12.9.0' }, cpu: { name: 'x64' }, os: { name: 'linux' }, runtime: { name: 'node.js', version: process.versions.node } } }];
  const pickles: Pickle[] = [];
  for (let feature = 0; feature * perFeature < options.scenarios; feature += 1) {
    const count = Math.min(perFeature, options.scenarios - feature * perFeature);
    const scenarios = Array.from({ length: count }, (_, index) => `  Scenario: Billing handoff ${feature}-${index}\n    When the customer says "I have a billing question"\n    And the customer says "talk to a person"\n    And agent "Alice" accepts\n    Then agent "Alice" receives the full history\n`);
    const source = `Feature: Synthetic billing handoffs ${feature}\n\n  Background:\n    Given the queues:\n      | queue   |\n      | Billing |\n\n${scenarios.join('\n')}`;
    for (const envelope of generateMessages(source, `features/synthetic/billing-${feature}.feature`, 'text/x.cucumber.gherkin+plain', { includeSource: true, includeGherkinDocument: true, includePickles: true, newId })) {
      envelopes.push(envelope);
      if (envelope.pickle) pickles.push(envelope.pickle);
    }
  }
  const stepDefinition = (pattern: string, line: number) => ({ stepDefinition: { id: newId(), pattern: { source: pattern, type: StepDefinitionPatternType.CUCUMBER_EXPRESSION }, sourceReference: { uri: 'src/steps/synthetic.steps.ts', location: { line } } } });
  const definitions = [stepDefinition('the queues:', 1), stepDefinition('the customer says {string}', 2), stepDefinition('agent {agent} accepts', 3), stepDefinition('agent {agent} receives the full history', 4)];
  const before = { hook: { id: newId(), type: HookType.BEFORE_TEST_CASE, sourceReference: { uri: 'src/steps/support/hooks.ts', location: { line: 20 } } } };
  const after = { hook: { id: newId(), type: HookType.AFTER_TEST_CASE, sourceReference: { uri: 'src/steps/support/hooks.ts', location: { line: 30 } } } };
  envelopes.push(...definitions, before, after);
  const runId = newId();
  envelopes.push({ testRunStarted: { id: runId, timestamp: at(startMs) } });
  const cases = pickles.map((pickle) => {
    const testSteps: TestStep[] = [
      { id: newId(), hookId: before.hook.id },
      ...pickle.steps.map((step, index) => ({ id: newId(), pickleStepId: step.id, stepDefinitionIds: [definitions[Math.min(index, definitions.length - 1)]!.stepDefinition.id], stepMatchArgumentsLists: [] })),
      { id: newId(), hookId: after.hook.id },
    ];
    const testCase = { id: newId(), pickleId: pickle.id, testRunStartedId: runId, testSteps };
    envelopes.push({ testCase });
    return testCase;
  });
  let clock = startMs + 10;
  cases.forEach((testCase, index) => {
    const attempt = newId();
    const fails = (index + 1) % failEvery === 0;
    envelopes.push({ testCaseStarted: { id: attempt, testCaseId: testCase.id, attempt: 0, timestamp: at(clock) } });
    testCase.testSteps.forEach((step, stepIndex) => {
      envelopes.push({ testStepStarted: { testCaseStartedId: attempt, testStepId: step.id, timestamp: at(clock) } });
      const last = stepIndex === testCase.testSteps.length - 2;
      const result: TestStepResult = fails && last
        ? { status: TestStepResultStatus.FAILED, duration: { seconds: 0, nanos: 2e6 }, message: 'Agent "Alice" did not receive the full history in order: line 4 differs.\n  timeline (virtual time):\n  09:00:02.000 agent    Alice receives "I have a billing question"', exception: { type: 'ExpectationError', message: 'Agent "Alice" did not receive the full history in order: line 4 differs.\n  timeline (virtual time):\n  09:00:02.000 agent    Alice receives "I have a billing question"' } }
        : { status: TestStepResultStatus.PASSED, duration: { seconds: 0, nanos: 1e6 } };
      if (step.hookId === after.hook.id) {
        envelopes.push({ attachment: { testCaseStartedId: attempt, testStepId: step.id, mediaType: timelineMediaType, contentEncoding: AttachmentContentEncoding.BASE64, body: encodeTimelineAttachment(1000 + index, syntheticTimeline(`conv-${index}`), noSecrets) } });
      }
      clock += 1;
      envelopes.push({ testStepFinished: { testCaseStartedId: attempt, testStepId: step.id, testStepResult: result, timestamp: at(clock) } });
    });
    envelopes.push({ testCaseFinished: { testCaseStartedId: attempt, willBeRetried: false, timestamp: at(clock) } });
  });
  envelopes.push({ testRunFinished: { testRunStartedId: runId, success: options.scenarios < failEvery, timestamp: at(clock + 5) } });
  return envelopes;
}

/** About seventy entries: a billing question, a handoff, routing, an agent who accepts and answers. */
export function syntheticTimeline(conversationId: string): TimelineEntry[] {
  const entries: TimelineEntry[] = [];
  let at = Date.parse('2026-01-05T09:00:00.000Z');
  const add = (party: TimelineEntry['party'], fact: Record<string, unknown>) => entries.push({ ...fact, seq: entries.length, at, party, conversationId } as TimelineEntry);
  const state = (machine: 'conversation' | 'workItem' | 'agent', id: string, from: string, to: string, event: string, reason?: string) => add(machine === 'agent' ? 'agent' : machine === 'workItem' ? 'routing' : 'customer', { kind: 'state.changed', machine, id, from, to, event, reason });
  state('conversation', conversationId, '(new)', 'withCopilot', 'xstate.init');
  state('workItem', conversationId, '(new)', 'open', 'xstate.init', 'AwaitingAgentAssignment');
  state('agent', 'Alice', '(new)', 'idle', 'xstate.init');
  state('workItem', conversationId, 'open', 'active.withCopilot', 'copilot.engaged', 'InConversation');
  const talk: Array<['customer' | 'copilot', string]> = [
    ['customer', 'I have a billing question'],
    ['copilot', 'I can help with billing. What happened?'],
    ['customer', 'I was charged twice for the same invoice'],
    ['copilot', 'I am sorry to hear that. Let me check.'],
    ['customer', 'talk to a person'],
    ['copilot', 'Let me connect you with an agent.'],
  ];
  talk.forEach(([from, text], index) => {
    at += 2000;
    add('wire', { kind: 'wire.request', method: 'POST', url: '/chat/threads/t/messages', status: 201 });
    add(from, { kind: 'message.sent', messageId: `m${index}`, from, sender: from === 'customer' ? 'Customer' : 'Contoso Assistant', text });
    if (from === 'customer') add('copilot', { kind: 'topic.triggered', topic: index === 4 ? 'Escalate' : 'Billing', trigger: 'phrase' });
    add('customer', { kind: 'message.delivered', to: 'customer', reader: 'Customer', messageId: `m${index}`, from, text });
    add('wire', { kind: 'wire.request', method: 'GET', url: '/chat/threads/t/messages', status: 200 });
  });
  add('copilot', { kind: 'handoff.requested', channel: 'lcw', variables: { va_Scope: 'bot', va_LastTopic: 'Escalate', Department: 'Billing', va_AgentMessage: 'Customer disputes an invoice' }, agentMessage: 'Customer disputes an invoice', transcriptLength: 6 });
  add('system', { kind: 'context.updated', variables: { Department: 'Billing', va_LastTopic: 'Escalate', va_AgentMessage: 'Customer disputes an invoice' } });
  state('conversation', conversationId, 'withCopilot', 'escalated', 'copilot.escalated');
  state('workItem', conversationId, 'active.withCopilot', 'open', 'copilot.escalated', 'AwaitingAgentAssignment');
  add('routing', { kind: 'routing.decided', step: 'route-to-queue', queue: 'Billing', outcome: 'routed to queue "Billing" because rule "Billing team" matched', explanation: ['rule "Billing team": Department = Billing holds (Department is "Billing")', 'first matching rule wins'] });
  state('conversation', conversationId, 'escalated', 'queued', 'routing.queued');
  add('routing', { kind: 'routing.decided', step: 'assignment', queue: 'Billing', agent: 'Alice', outcome: 'offered to Alice', explanation: ['Alice: Available, 2 of 2 capacity free', 'highest capacity picks Alice'] });
  state('conversation', conversationId, 'queued', 'offered', 'agent.offered');
  state('workItem', conversationId, 'open', 'active.offered', 'agent.offered', 'AwaitingAgentAcceptance');
  state('agent', 'Alice', 'idle', 'notified', 'agent.offered');
  at += 15_000;
  state('agent', 'Alice', 'notified', 'idle', 'agent.accepted');
  state('conversation', conversationId, 'offered', 'withAgent', 'agent.accepted');
  state('workItem', conversationId, 'active.offered', 'active.inConversation.customerConnected', 'agent.accepted', 'InConversation');
  talk.forEach(([from, text], index) => add('agent', { kind: 'message.delivered', to: 'agent', reader: 'Alice', messageId: `m${index}`, from, text }));
  for (let index = 0; index < 6; index += 1) {
    at += 20_000;
    const from = index % 2 === 0 ? 'agent' : 'customer';
    const text = from === 'agent' ? `Agent reply ${index}: I see the duplicate charge.` : `Customer reply ${index}: thank you.`;
    add(from, { kind: 'message.sent', messageId: `r${index}`, from, sender: from === 'agent' ? 'Alice' : 'Customer', text });
    add('customer', { kind: 'message.delivered', to: 'customer', reader: 'Customer', messageId: `r${index}`, from, text });
    add('agent', { kind: 'message.delivered', to: 'agent', reader: 'Alice', messageId: `r${index}`, from, text });
    add('wire', { kind: 'wire.request', method: 'GET', url: '/chat/threads/t/messages', status: 200 });
  }
  state('conversation', conversationId, 'withAgent', 'wrapUp', 'agent.ended');
  state('workItem', conversationId, 'active.inConversation.customerConnected', 'wrapUp', 'agent.ended', 'ConversationEndedByAgent');
  at += 60_000;
  state('workItem', conversationId, 'wrapUp', 'closed', 'agent.closedSession', 'ConversationEndedByAgent');
  state('conversation', conversationId, 'wrapUp', 'closed', 'agent.closedSession', 'ConversationEndedByAgent');
  return entries;
}
