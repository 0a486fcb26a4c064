import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { buildHandoffPayload } from '../../src/copilot/handoff-payload';
import { loadYamlCopilot } from '../../src/copilot/yaml-copilot';
import { copilotFromFiles, intentTopic, SessionDriver } from './support/session-driver';

const root = path.resolve(__dirname, '..', '..');
const d365Copilot = () => loadYamlCopilot(path.join(root, 'examples', 'copilots', 'contoso-d365')).copilot;

test('conversation start runs the greeting with interpolated system variables', () => {
  const driver = new SessionDriver(d365Copilot());
  assert.deepEqual(driver.begin(), ["Hello, I'm Contoso Service Assistant. I can help with billing and orders, or connect you with an agent."]);
  assert.deepEqual(driver.topics, [{ topic: 'Conversation Start', trigger: 'OnConversationStart' }]);
});

test('a recognized intent fires its topic; a Boolean question takes yes and no words', () => {
  const driver = new SessionDriver(d365Copilot());
  assert.deepEqual(driver.say('I have a billing question'), ['Is this about an invoice you have already received?']);
  assert.deepEqual(driver.topics.at(-1), { topic: 'Billing', trigger: 'OnRecognizedIntent' });
  assert.deepEqual(driver.say('nope'), ['Invoices are sent on the first day of each month.']);
  assert.equal(driver.session.globalVariables.get('Department'), 'Billing');
  assert.equal(driver.session.globalVariables.get('BillingReason'), 'No invoice yet');
});

test('an unrecognized answer is asked again, an invalid one gets the invalid prompt, a valid one continues', () => {
  const driver = new SessionDriver(d365Copilot());
  driver.say('where is my order');
  assert.deepEqual(driver.say('no clue'), ['Please type the number of your order, for example 1042.']);
  assert.deepEqual(driver.say('7'), ['Order numbers are between 1000 and 9999. What is your order number?']);
  assert.deepEqual(driver.say('order 2001 please'), ['Order 2001 is being prepared.']);
});

test('after repeatCount failures the question takes its default value and says so', () => {
  const driver = new SessionDriver(d365Copilot());
  driver.say('track my order');
  driver.say('a');
  driver.say('b');
  assert.deepEqual(driver.say('c'), ['I could not read an order number.']);
  assert.ok(!driver.topicNames.includes('Order Lookup'), 'the topic ended before the redirect');
});

test('without a default value the designer default escalates when the answer is never recognized', () => {
  const copilot = copilotFromFiles({
    Ask: intentTopic('ask me', `    - kind: Question\n      id: q1\n      variable: Topic.N\n      prompt: A number?\n      entity: NumberPrebuiltEntity\n      repeatCount: 1\n`),
    Escalate: 'kind: AdaptiveDialog\nbeginDialog:\n  kind: OnEscalate\n  id: main\n  intent:\n    triggerQueries:\n      - agent\n  actions:\n    - kind: SendActivity\n      id: s\n      activity: Escalating.\n',
  });
  const driver = new SessionDriver(copilot);
  driver.say('ask me');
  assert.deepEqual(driver.say('x'), ['A number?']);
  assert.deepEqual(driver.say('y'), ['Escalating.']);
  assert.deepEqual(driver.topics.at(-1), { topic: 'Escalate', trigger: 'OnEscalate' });
});

test('entity types: number, email, text, date and a closed list compared as an option set', () => {
  const copilot = copilotFromFiles({
    Survey: intentTopic(
      'survey',
      [
        '    - kind: Question\n      id: qEmail\n      variable: Topic.Email\n      prompt: Email?\n      entity: EmailPrebuiltEntity\n',
        '    - kind: Question\n      id: qName\n      variable: Topic.Name\n      prompt: Name?\n      entity: StringPrebuiltEntity\n',
        '    - kind: Question\n      id: qDate\n      variable: Topic.When\n      prompt: When?\n      entity: DateTimePrebuiltEntity\n',
        '    - kind: Question\n      id: qPlan\n      variable: Topic.Plan\n      prompt: Plan?\n      entity:\n        kind: EmbeddedEntity\n        definition:\n          kind: ClosedListEntity\n          items:\n            - id: Gold\n              displayName: Gold plan\n              synonyms: [premium]\n            - id: Basic\n              displayName: Basic plan\n',
        "    - kind: ConditionGroup\n      id: cg\n      conditions:\n        - id: isGold\n          condition: =Topic.Plan = 'cr_test.topic.Survey.main.qPlan'.Gold\n          actions:\n            - kind: SendActivity\n              id: gold\n              activity: Gold for {Topic.Name} <{Topic.Email}> on {Text(Topic.When, \"yyyy-mm-dd\")}\n      elseActions:\n        - kind: SendActivity\n          id: other\n          activity: Not gold.\n",
      ].join(''),
    ),
  });
  const driver = new SessionDriver(copilot);
  driver.say('survey');
  assert.deepEqual(driver.say('it is ana@contoso.com'), ['Name?']);
  assert.deepEqual(driver.say('  Ana Lima '), ['When?']);
  assert.deepEqual(driver.say('tomorrow'), ['Plan?']);
  assert.deepEqual(driver.say('the premium one'), ['Gold for Ana Lima <ana@contoso.com> on 2026-01-06']);
});

test('condition groups take the first true condition, else the else branch; set variable and set text variable', () => {
  const copilot = copilotFromFiles({
    Tiers: intentTopic(
      'tier',
      [
        '    - kind: SetVariable\n      id: s1\n      variable: Topic.Score\n      value: =5 * 3\n',
        '    - kind: SetTextVariable\n      id: s2\n      variable: Global.Label\n      value: score {Topic.Score}\n',
        '    - kind: ConditionGroup\n      id: cg\n      conditions:\n        - id: c1\n          condition: =Topic.Score > 20\n          actions:\n            - kind: SendActivity\n              id: a1\n              activity: high\n        - id: c2\n          condition: =Topic.Score > 10\n          actions:\n            - kind: SendActivity\n              id: a2\n              activity: medium {Global.Label}\n        - id: c3\n          condition: =Topic.Score > 1\n          actions:\n            - kind: SendActivity\n              id: a3\n              activity: low\n      elseActions:\n        - kind: SendActivity\n          id: a4\n          activity: none\n',
      ].join(''),
    ),
  });
  assert.deepEqual(new SessionDriver(copilot).say('tier'), ['medium score 15']);
});

test('redirects run the target with its inputs and return its outputs; topic variables stay in their topic', () => {
  const copilot = copilotFromFiles({
    Caller: intentTopic(
      'call',
      '    - kind: SetVariable\n      id: own\n      variable: Topic.Secret\n      value: mine\n    - kind: BeginDialog\n      id: go\n      input:\n        binding:\n          Amount: =21\n      dialog: cr_test.topic.Doubler\n      output:\n        binding:\n          Result: Topic.Doubled\n    - kind: SendActivity\n      id: back\n      activity: back with {Topic.Doubled}, still {Topic.Secret}\n',
    ),
    Doubler:
      'kind: AdaptiveDialog\ninputType:\n  properties:\n    Amount:\n      type: Number\noutputType:\n  properties:\n    Result:\n      type: Number\nbeginDialog:\n  kind: OnRedirect\n  id: main\n  actions:\n    - kind: SendActivity\n      id: inside\n      activity: inside, secret is [{Topic.Secret}]\n    - kind: SetVariable\n      id: calc\n      variable: Topic.Result\n      value: =Topic.Amount * 2\n    - kind: EndDialog\n      id: done\n    - kind: SendActivity\n      id: never\n      activity: after EndDialog\n',
  });
  const driver = new SessionDriver(copilot);
  assert.deepEqual(driver.say('call'), ['inside, secret is []', 'back with 42, still mine']);
  assert.deepEqual(driver.topics.map((entry) => entry.trigger), ['OnRecognizedIntent', 'BeginDialog']);
});

test('ReplaceDialog does not come back; CancelAllDialogs ends every topic', () => {
  const copilot = copilotFromFiles({
    First: intentTopic('first', '    - kind: ReplaceDialog\n      id: r\n      dialog: cr_test.topic.Second\n    - kind: SendActivity\n      id: x\n      activity: not after a replace\n'),
    Second: 'kind: AdaptiveDialog\nbeginDialog:\n  kind: OnSystemRedirect\n  id: main\n  actions:\n    - kind: SendActivity\n      id: s\n      activity: second\n    - kind: CancelAllDialogs\n      id: c\n    - kind: SendActivity\n      id: y\n      activity: not after cancel\n',
  });
  assert.deepEqual(new SessionDriver(copilot).say('first'), ['second']);
});

test('a transfer hands over exactly the foundation payload: va_* variables, globals by bare name, transcript, private message', () => {
  const copilot = d365Copilot();
  const driver = new SessionDriver(copilot);
  driver.begin({ CustomerTier: 'Gold' });
  driver.say('I have a billing question');
  driver.say('yes');
  driver.say('talk to a person');
  const transfer = driver.last('transfer');
  assert.ok(transfer, 'the Escalate topic transferred');
  const expected = buildHandoffPayload({
    conversationId: 'conversation-1',
    botId: copilot.botId,
    botName: 'Contoso Service Assistant',
    language: 'en-us',
    lastTopic: 'Escalate',
    topics: ['Billing', 'Escalate'],
    phrases: ['I have a billing question', 'yes', 'talk to a person'],
    agentMessage: 'Customer asked for a person. Department: Billing. Reason: Invoice received',
    customVariables: { CustomerTier: 'Gold', Department: 'Billing', BillingReason: 'Invoice received' },
    transcript: transfer.handoff.transcript,
  });
  assert.deepEqual(transfer.handoff, expected);
  assert.deepEqual(
    transfer.handoff.transcript.map((activity) => `${activity.from.role}: ${activity.text}`),
    [
      "bot: Hello, I'm Contoso Service Assistant. I can help with billing and orders, or connect you with an agent.",
      'user: I have a billing question',
      'bot: Is this about an invoice you have already received?',
      'user: yes',
      'bot: Invoices are handled by our billing team. Ask for a person and I will connect you.',
      'user: talk to a person',
      'bot: Let me connect you with an agent.',
    ],
  );
  assert.equal(driver.session.ended, true);
});

test('CloseOmnichannelConversation = true then a transfer asks Dynamics 365 to close instead of escalating', () => {
  const driver = new SessionDriver(d365Copilot());
  driver.say('bye');
  driver.say('no');
  assert.equal(driver.last('transfer'), undefined);
  assert.deepEqual(driver.outputs.at(-1), { kind: 'closeRequested', topic: 'End of Conversation' });
  assert.equal(driver.session.ended, true);
});

test('End Conversation ends the session: later messages get no answer', () => {
  const copilot = copilotFromFiles({ Bye: intentTopic('bye', '    - kind: SendActivity\n      id: s\n      activity: ciao\n    - kind: EndConversation\n      id: e\n') });
  const driver = new SessionDriver(copilot);
  assert.deepEqual(driver.say('bye'), ['ciao']);
  assert.deepEqual(driver.outputs.at(-1), { kind: 'conversationEnded', topic: 'Bye' });
  assert.deepEqual(driver.say('bye'), []);
});

test('unknown intents count System.FallbackCount; a match resets it', () => {
  const driver = new SessionDriver(d365Copilot());
  assert.deepEqual(driver.say('zzz'), ["I'm sorry, I didn't get that. Could you rephrase it?"]);
  driver.say('where is my order');
  driver.say('1042');
  assert.deepEqual(driver.say('zzz'), ["I'm sorry, I didn't get that. Could you rephrase it?"]);
  driver.say('zzz');
  assert.deepEqual(driver.say('zzz'), ['Let me connect you with an agent.'], 'the third unknown turn in a row escalates');
});

test('a copilot without an unknown-intent topic answers with the built-in fallback', () => {
  const driver = new SessionDriver(copilotFromFiles({ Hi: intentTopic('hi', '    - kind: SendActivity\n      id: s\n      activity: hello\n') }));
  assert.deepEqual(driver.say('what?'), ["I'm sorry, I'm not sure how to help with that. Can you try rephrasing?"]);
});

test('a runtime error runs the On Error topic with System.Error.Code and cancels the topic', () => {
  const driver = new SessionDriver(copilotFromFiles({
    Boom: intentTopic('boom', '    - kind: SetVariable\n      id: div\n      variable: Topic.X\n      value: =1 / 0\n    - kind: SendActivity\n      id: s\n      activity: never\n'),
    OnError: 'kind: AdaptiveDialog\nbeginDialog:\n  kind: OnError\n  id: main\n  actions:\n    - kind: SendActivity\n      id: e\n      activity: "Error {System.Error.Code}"\n',
  }));
  assert.deepEqual(driver.say('boom'), ['Error Div0']);
  assert.match(driver.problems[0] ?? '', /Topic "Boom" failed at node div \(.*topics\/Boom\.mcs\.yml:\d+:\d+\)/);
});

test('trigger conditions decide whether a recognized topic may fire', () => {
  const driver = new SessionDriver(copilotFromFiles({
    Vip: intentTopic('vip help', '    - kind: SendActivity\n      id: v\n      activity: vip desk\n').replace('  id: main\n', '  id: main\n  condition: =Global.Tier = "Gold"\n'),
    Help: intentTopic('help me', '    - kind: SendActivity\n      id: h\n      activity: help desk\n'),
  }));
  driver.begin({ Tier: 'Silver' });
  assert.deepEqual(driver.say('vip help'), ['help desk'], 'the Vip topic matches best, but its condition is false');
  const gold = new SessionDriver(driver.copilot);
  gold.begin({ Tier: 'Gold' });
  assert.deepEqual(gold.say('vip help'), ['vip desk']);
});

test('System.Activity.Channel is the ChannelId option set: Omnichannel behind Dynamics 365, Directline on the embed code', () => {
  const copilot = copilotFromFiles({
    Where: intentTopic('where', '    - kind: SendActivity\n      id: w\n      activity: "{If(System.Activity.Channel = ChannelId.Omnichannel, \\"d365\\", \\"other\\")} {System.Activity.ChannelId}"\n'),
  });
  assert.deepEqual(new SessionDriver(copilot).say('where'), ['d365 lcw']);
  assert.deepEqual(new SessionDriver(copilot, { channelId: 'directline' }).say('where'), ['other directline']);
});

test('a message that matches another topic interrupts a pending question, which is asked again afterwards', () => {
  const driver = new SessionDriver(d365Copilot());
  driver.say('where is my order');
  assert.deepEqual(driver.say('I have a billing question'), ['Is this about an invoice you have already received?']);
  assert.equal(driver.topics.at(-1)?.topic, 'Billing');
  assert.deepEqual(driver.say('yes'), ['Invoices are handled by our billing team. Ask for a person and I will connect you.', 'What is your order number?']);
  assert.deepEqual(driver.say('1042'), ['Order 1042 is shipped.']);
});

test('an unknown node kind stops its topic there with a located timeline message naming the node', () => {
  const driver = new SessionDriver(copilotFromFiles({
    Odd: intentTopic('odd', '    - kind: SendActivity\n      id: before\n      activity: first\n    - kind: InvokeMcpToolAction\n      id: mcp_1\n    - kind: SendActivity\n      id: after\n      activity: never\n'),
  }));
  assert.deepEqual(driver.say('odd'), ['first']);
  assert.equal(driver.problems.length, 1);
  assert.match(driver.problems[0]!, /^Topic "Odd" stopped at node mcp_1 \(.*topics\/Odd\.mcs\.yml:12:7\): the node kind "InvokeMcpToolAction" is not supported by the harness yet\. The rest of the topic did not run\./);
});

test('inactivity: one timer for the shortest tier, the next armed when it fires, reset by a message, condition read when it fires', () => {
  const copilot = copilotFromFiles({
    Remind: 'kind: AdaptiveDialog\nbeginDialog:\n  kind: OnInactivity\n  id: main\n  durationInSeconds: 60\n  condition: =Global.Remind = true\n  actions:\n    - kind: SendActivity\n      id: r\n      activity: still there?\n',
    Close: 'kind: AdaptiveDialog\nbeginDialog:\n  kind: OnInactivity\n  id: main\n  durationInSeconds: 120\n  actions:\n    - kind: SendActivity\n      id: c\n      activity: closing\n    - kind: EndConversation\n      id: e\n',
    Arm: intentTopic('remind me', '    - kind: SetVariable\n      id: s\n      variable: Global.Remind\n      value: true\n'),
  });
  const driver = new SessionDriver(copilot);
  driver.say('hello');
  assert.equal(driver.clock.pendingTimers, 1, 'one timer at a time');
  assert.deepEqual(driver.pass(60_000), [], 'the condition is false when the reminder is due');
  const again = new SessionDriver(copilot);
  again.say('hello');
  again.pass(50_000);
  again.say('remind me');
  assert.deepEqual(again.pass(59_000), [], 'the message reset the timers');
  assert.deepEqual(again.pass(1_000), ['still there?']);
  assert.deepEqual(again.pass(60_000), ['closing']);
  assert.equal(again.session.ended, true);
});

test('bad input: every structural error names file, line, column and node id, never a stack trace', () => {
  const broken = (files: Record<string, string>) => {
    try {
      copilotFromFiles(files);
    } catch (error) {
      assert.equal((error as Error).name, 'CopilotLoadError');
      assert.doesNotMatch((error as Error).stack ?? '', /\n\s+at /);
      return (error as Error).message;
    }
    assert.fail('the copilot loaded');
  };
  assert.match(broken({ Bad: 'kind: AdaptiveDialog\nbeginDialog:\n  kind: OnRecognizedIntent\n  id: main\n   actions: [\n' }), /topics\/Bad\.mcs\.yml:\d+:\d+/);
  assert.match(broken({ Odd: intentTopic('odd', '    - kind: SendMessage\n      id: sm_1\n      message: hi\n') }), /topics\/Odd\.mcs\.yml:9:7\): node sm_1 has the kind "SendMessage"/);
  assert.match(broken({ Go: intentTopic('go', '    - kind: BeginDialog\n      id: bd_1\n      dialog: cr_test.topic.Nowhere\n') }), /topics\/Go\.mcs\.yml:9:7\) redirects with BeginDialog to "cr_test\.topic\.Nowhere"[^\n]*\(node bd_1\)/);
  assert.match(
    broken({ A: intentTopic('a', '    - kind: BeginDialog\n      id: toB\n      dialog: cr_test.topic.B\n'), B: intentTopic('b', '    - kind: BeginDialog\n      id: toA\n      dialog: cr_test.topic.A\n') }),
    /topics\/A\.mcs\.yml:9:7\) starts a redirect cycle: A → B → A[^\n]*\(node toA|node toB/,
  );
  assert.match(broken({ Dup: intentTopic('dup', '    - kind: SendActivity\n      id: same\n      activity: a\n    - kind: SendActivity\n      id: same\n      activity: b\n') }), /topics\/Dup\.mcs\.yml:12:7\) uses node id "same" again/);
  assert.match(broken({ Twice: intentTopic('x', '    - kind: EndDialog\n      id: e\n'), 'topics/twice.topic.mcs.yml': intentTopic('y', '    - kind: EndDialog\n      id: e\n') }), /Topic schema name "cr_test\.topic\.twice" \(.*:1:1\) is also the schema name/i);
});
