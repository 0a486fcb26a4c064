import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { loadCopilotFixtures, mergeFixtures, type CopilotFixtures } from '../../src/copilot/copilot-fixtures';
import { actionKindStatus, schemaActionKinds, supportedActionKinds } from '../../src/copilot/node-kinds';
import { loadYamlCopilot } from '../../src/copilot/yaml-copilot';
import { copilotFromFiles, intentTopic, SessionDriver } from './support/session-driver';

const nodes = path.resolve(__dirname, '..', 'fixtures', 'copilot-nodes');
const fixtures = loadCopilotFixtures(path.join(nodes, 'fixtures'));

/** The Nodes Assistant (one topic per node kind) with its fixture folder, plus what a test overrides. */
function assistant(overrides?: CopilotFixtures): SessionDriver {
  const withFixtures = overrides ? mergeFixtures(fixtures, overrides) : fixtures;
  return new SessionDriver(loadYamlCopilot(path.join(nodes, 'agent'), { fixtures: withFixtures }).copilot);
}

test('ParseValue reads JSON text into records and tables, numbers from text, and DefaultBlank swallows bad input', () => {
  assert.deepEqual(assistant().say('parse the order'), ['Order 7 has 2 items, first pen; count 13; broken is blank true']);
});

test('ParseValue with the default error policy runs On Error', () => {
  const driver = assistant();
  assert.deepEqual(driver.say('parse garbage'), ['Error ParseValueError: ParseValue could not read the value as Number: "twelve" is not a number.']);
});

test("AdaptiveCardPrompt shows the card's text and takes the customer's submit into its output bindings", () => {
  const driver = assistant();
  assert.deepEqual(driver.say('plan a trip'), ['Where do you want to go?']);
  const card = driver.last('message')?.attachments?.[0] as { contentType: string; content: { type: string } };
  assert.equal(card.contentType, 'application/vnd.microsoft.card.adaptive');
  assert.equal(card.content.type, 'AdaptiveCard');
  assert.deepEqual(driver.say(JSON.stringify({ destination: 'Lisbon', nights: 3 })), ['Booked 3 nights in Lisbon.']);
});

test('SearchAndSummarizeContent answers from the fixtures, sends the answer, and leaves Blank when none matches', () => {
  const driver = assistant();
  assert.deepEqual(driver.say('policy question: what is your return policy?'), ['Returns are free for 30 days.']);
  assert.deepEqual(assistant().say('policy question about pets'), ['I could not find that in our knowledge.']);
});

test('without any answers, a generative answer node stops its topic with a clear, located message', () => {
  const driver = new SessionDriver(loadYamlCopilot(path.join(nodes, 'agent')).copilot);
  assert.deepEqual(driver.say('policy question: return policy?'), []);
  assert.equal(driver.problems.length, 1);
  assert.match(
    driver.problems[0]!,
    /^Topic "Search Knowledge" stopped at node search_content \(.*topics\/Search\.mcs\.yml:13:7\): SearchAndSummarizeContent asks for a generated answer to "policy question: return policy\?", but the scenario gives no answers\./,
  );
});

test('AnswerQuestionWithAI with autoSend false stores the answer without sending it', () => {
  assert.deepEqual(assistant().say('rephrase the error'), ["Friendly: Something went wrong on Workday's side."]);
});

test('OAuthInput: a customer who signs in continues with System.User; one who does not sees the sign-in prompt and the topic stops', () => {
  assert.deepEqual(assistant().say('my account'), ['Signed in as Ana Lima (true).']);
  const notSignedIn = assistant({ signedIn: false });
  assert.deepEqual(notSignedIn.say('my account'), ['Login: To continue, please sign in']);
  assert.match(notSignedIn.problems[0]!, /stopped at node oAuthInput_login .*does not sign in/);
});

test('ClearAllVariables clears the conversation-scoped globals', () => {
  const driver = assistant();
  assert.deepEqual(driver.say('reset everything'), ['Color is [].']);
  assert.deepEqual(driver.facts.map((fact) => fact.kind === 'event.sent' && [fact.name, fact.value]), [['ClearAllVariables', 'ConversationScopedVariables']]);
});

test('LogCustomTelemetryEvent and EmitEvent are recorded on the timeline', () => {
  const driver = assistant();
  driver.say('log this');
  assert.deepEqual(driver.facts, [
    { kind: 'event.sent', from: 'copilot', name: 'CustomerAskedToLog', channel: 'telemetry', value: { Channel: 'lcw', Count: 2 } },
    { kind: 'event.sent', from: 'copilot', name: 'logged', channel: 'event', value: true },
  ]);
});

test('EditTable adds, removes and takes rows of a table variable', () => {
  assert.deepEqual(assistant().say('edit the list'), ['Took a, left c (1)']);
});

test('CSATQuestion asks for a rating from 1 to 5 and stores it', () => {
  const driver = assistant();
  assert.deepEqual(driver.say('rate this chat'), ['How would you rate your experience? Please answer with a number from 1 to 5.']);
  assert.deepEqual(driver.say('4 stars'), ['Thanks for rating 4.']);
});

test('GotoAction jumps back to a node of the same topic, out of a branch', () => {
  assert.deepEqual(assistant().say('count to three'), ['Counted to 3.']);
});

test('HttpRequestAction and SendHttpRequest go through the fixture folder\'s msw handlers; ContinueOnError keeps the status', async () => {
  const driver = assistant();
  assert.deepEqual(await driver.sayAndSettle('order service lookup'), ['Order 42 is Shipped; the note got 404 (no such order).']);
  assert.deepEqual(
    driver.facts.filter((fact) => fact.kind === 'event.sent' && fact.channel === 'http').map((fact) => fact.kind === 'event.sent' && fact.name),
    ['GET https://api.contoso.test/orders/42', 'POST https://api.contoso.test/orders/404/notes'],
  );
});

test('a failing HTTP call without ContinueOnError runs On Error; messages that arrive meanwhile wait their turn', async () => {
  const driver = assistant();
  driver.session.receiveMessage('broken service');
  assert.equal(driver.session.busy, true);
  driver.session.receiveMessage('count to three');
  await driver.session.idle();
  assert.deepEqual(driver.messages, ['Error HttpRequestFailure: GET https://api.contoso.test/broken answered 500: upstream timeout', 'Counted to 3.']);
});

test('InvokeFlowAction, InvokeConnectorAction and InvokeAIBuilderModelAction take their outputs from fixtures', () => {
  const driver = assistant();
  assert.deepEqual(driver.say('ticket status'), ['Ticket INC0042 is In progress.']);
  assert.deepEqual(driver.say('my profile'), ['You are in Portugal.']);
  assert.deepEqual(driver.say('tell me a joke'), ['Why did the chatbot cross the road?']);
  assert.deepEqual(
    driver.facts.filter((fact) => fact.kind === 'event.sent' && fact.channel === 'fixture').map((fact) => fact.kind === 'event.sent' && [fact.name, fact.value]),
    [
      ['InvokeFlowAction 7444a288-0000-4000-8000-000000000001', { text: 'INC0042' }],
      ['InvokeConnectorAction UserGet_V2', {}],
      ['InvokeAIBuilderModelAction 90236099-0000-4000-8000-000000000002', { Query: 'tell me a joke' }],
    ],
  );
});

test('a flow fixture with an error runs On Error; a flow without a fixture stops its topic naming the flow', () => {
  assert.deepEqual(assistant().say('refund my order'), ['Error FlowActionException: The flow "7444a288-0000-4000-8000-000000000009" failed: the refund service is down']);
  const bare = new SessionDriver(loadYamlCopilot(path.join(nodes, 'agent')).copilot);
  bare.say('ticket status');
  assert.match(bare.problems[0]!, /stopped at node invokeFlowAction_ticket \(.*Flow\.mcs\.yml:\d+:\d+\): it calls the flow "7444a288-0000-4000-8000-000000000001", which no fixture answers/);
});

test('InvokeSkillAction: the contact-center sample\'s skill-based handoff reaches Dynamics 365 like a transfer', () => {
  const driver = assistant();
  assert.deepEqual(driver.say('contoso live chat'), ['Starting conversation LC-1001 with Contoso Live Chat.', 'Please briefly explain your problem:']);
  driver.say('My router keeps rebooting');
  const transfer = driver.last('transfer');
  assert.ok(transfer);
  assert.equal(transfer.handoff.agentMessage, 'My router keeps rebooting');
  assert.equal(transfer.handoff.variables['va_AgentMessage'], 'My router keeps rebooting');
  assert.equal(transfer.handoff.variables['LiveChatConversationId'], 'LC-1001');
  assert.deepEqual(transfer.handoff.variables['va_Topics'], ['Live Chat']);
  assert.equal(driver.session.ended, true);
});

test('Foreach runs its actions per row with the value and index variables; ContinueLoop skips, BreakLoop leaves', () => {
  assert.deepEqual(assistant().say('list the cities'), ['1. Paris', '3. Berlin', 'Done after Madrid.']);
});

test('every supported kind is a real Copilot Studio kind, and invented kinds are unknown, not unsupported', () => {
  for (const kind of supportedActionKinds) assert.ok(schemaActionKinds.has(kind), kind);
  assert.equal(actionKindStatus('SendMessage'), 'unknown');
  assert.equal(actionKindStatus('InvokeMcpToolAction'), 'unsupported');
  assert.equal(actionKindStatus('Foreach'), 'supported');
});

test('CreateSearchQuery, SetMultipleVariables, ResetVariable, EditTableV2, CancelDialog and SignOutUser run as their schema says', () => {
  const copilot = copilotFromFiles({
    Misc: intentTopic(
      'misc',
      [
        '    - kind: CreateSearchQuery\n      id: query\n      userInput: =System.Activity.Text\n      result: Topic.Query\n',
        '    - kind: SetMultipleVariables\n      id: many\n      assignments:\n        - variable: Topic.A\n          value: =1\n        - variable: Global.B\n          value: two\n',
        '    - kind: ResetVariable\n      id: reset\n      variable: Topic.A\n',
        "    - kind: SetVariable\n      id: list\n      variable: Topic.L\n      value: '=Table({N: 1})'\n",
        "    - kind: EditTableV2\n      id: add\n      itemsVariable: Topic.L\n      changeType:\n        kind: AddItemOperation\n        value: '={N: 2}'\n",
        '    - kind: SignOutUser\n      id: out\n',
        '    - kind: SendActivity\n      id: say\n      activity: "{Topic.Query.SearchQuery} / [{Topic.A}] / {Global.B} / {CountRows(Topic.L)} / {System.User.IsLoggedIn}"\n',
        '    - kind: CancelDialog\n      id: cancel\n',
        '    - kind: SendActivity\n      id: never\n      activity: never\n',
      ].join(''),
    ),
  });
  assert.deepEqual(new SessionDriver(copilot).say('misc'), ['misc / [] / two / 2 / false']);
});

test('a DynamicClosedListEntity question offers the rows of a table and stores the chosen row (Multiple Topics Matched)', () => {
  const copilot = copilotFromFiles({
    Pick: intentTopic(
      'pick one',
      "    - kind: SetVariable\n      id: options\n      variable: Topic.Options\n      value: '=Table({DisplayName: \"Billing\", TopicId: \"t1\"}, {DisplayName: \"Orders\", TopicId: \"t2\"})'\n" +
        '    - kind: Question\n      id: which\n      variable: System.Recognizer.SelectedIntent\n      prompt: Which one?\n      entity:\n        kind: DynamicClosedListEntity\n        items: =Topic.Options\n' +
        '    - kind: SendActivity\n      id: chosen\n      activity: "{System.Recognizer.SelectedIntent.TopicId}"\n',
    ),
  });
  const driver = new SessionDriver(copilot);
  assert.deepEqual(driver.say('pick one'), ['Which one?']);
  assert.deepEqual(driver.say('the orders one'), ['t2']);
});
