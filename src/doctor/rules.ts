/**
 * The rules of `handoff doctor`, one entry each: its id, severity, and the why and fix sentences every
 * finding of the rule carries. docs/doctor-rules.md documents the same list (a test keeps them equal).
 */

export type Severity = 'error' | 'warning';

export interface Rule {
  id: string;
  severity: Severity;
  /** What the rule checks, for docs/doctor-rules.md and `--rules`. */
  title: string;
  /** Why it matters (the middle sentence of a finding). */
  why: string;
  /** How to fix it (the last sentence). */
  fix: string;
  /** Only checked with `--d365 <config file>`. */
  needsD365?: boolean;
}

const rule = (id: string, severity: Severity, title: string, why: string, fix: string, needsD365 = false): Rule => ({ id, severity, title, why, fix, ...(needsD365 ? { needsD365 } : {}) });

export const rules: readonly Rule[] = [
  // The loader's structural diagnostics.
  rule('invalid-yaml', 'error', 'A file is not YAML, even after the repairs for Copilot Studio\'s own quirks.', 'None of the file can run.', 'Fix the YAML at the position shown.'),
  rule('unreadable-file', 'error', 'A file or the copilot folder cannot be read.', 'Nothing in it can run.', 'Check the path and the file permissions.'),
  rule('not-a-topic', 'error', 'A file in a topic position is not `kind: AdaptiveDialog`.', 'The interpreter cannot run it.', 'Add `kind: AdaptiveDialog` or move the file out of topics/.'),
  rule('topic-without-trigger', 'error', 'A topic has no trigger under `beginDialog:`.', 'Nothing can start it.', 'Add a trigger such as OnRecognizedIntent.'),
  rule('node-without-kind', 'error', 'A node has no `kind`.', 'The interpreter cannot run it or anything after it.', 'Add `kind:` or remove the list item.'),
  rule('duplicate-node-id', 'error', 'Two nodes of a topic share an id.', 'Traces and GotoAction name nodes by id.', 'Give one of them a new id.'),
  rule('duplicate-topic', 'error', 'Two topics have the same schema name (compared without case).', 'Redirects could never reach one of them.', 'Rename one file or remove the copy.'),
  rule('missing-dialog-target', 'error', 'A BeginDialog or ReplaceDialog names a topic the copilot does not have (a warning for loose topic files).', 'The redirect cannot run.', 'Add the topic or correct `dialog:`.'),
  rule('missing-goto-target', 'error', 'A GotoAction jumps to a node id that is not in its topic.', 'The jump cannot run.', 'Correct `actionId`.'),
  rule('redirect-cycle', 'error', 'Redirects lead back to where they started.', 'A conversation that follows them never ends.', 'Break the cycle with EndDialog or a condition.'),
  rule('unknown-bot', 'error', 'The solution does not carry the bot that was asked for.', 'Another bot was loaded instead.', 'Pass one of the bots the solution carries.'),
  rule('node-without-id', 'warning', 'A node has no `id`.', 'Copilot Studio requires one, and reports name nodes by it.', 'Add a unique `id:`.'),
  rule('yaml-quirk', 'warning', 'A value Copilot Studio writes unquoted that strict YAML parsers reject.', 'Other YAML tools may read it differently.', 'Quote the value.'),
  rule('unknown-root-kind', 'warning', 'A file has a root kind the loader does not know.', 'It is ignored.', 'Report the kind so the loader can learn it.'),
  rule('missing-settings', 'warning', 'An agent folder has no settings.mcs.yml.', 'Topic schema names are inferred instead.', 'Add settings.mcs.yml with its schemaName.'),
  rule('no-topics', 'warning', 'No topic was loaded.', 'A copilot without topics cannot answer.', 'Check the path, or the components that were ignored.'),
  // Node kinds and formulas.
  rule('unknown-node-kind', 'error', 'A node kind that is not Copilot Studio\'s (an invention such as SendMessage).', 'Copilot Studio would refuse the topic.', 'Use a kind of the schema (docs/copilot-topic-yaml.md §2.3).'),
  rule('unknown-trigger-kind', 'error', 'A trigger kind that is not Copilot Studio\'s.', 'Nothing could start the topic.', 'Use a trigger kind of the schema.'),
  rule('unsupported-node-kind', 'warning', 'A real node kind the harness does not run yet.', 'A scenario that reaches it stops that topic there.', 'Avoid the node in scenarios, or ask for support.'),
  rule('formula-syntax', 'error', 'A Power Fx formula or message template does not parse.', 'Copilot Studio would not publish it; the harness cannot run it.', 'Correct the formula at the position shown.'),
  rule('unsupported-function', 'warning', 'A formula calls a function the harness\'s Power Fx engine does not implement.', 'A scenario that evaluates it stops that topic.', 'Rewrite the formula with supported functions.'),
  // Handoff to Dynamics 365 (the seed's prerequisites and warnings).
  rule('copilot-name-too-long', 'error', 'The copilot\'s name has 30 characters or more.', 'Such copilots fail to connect to Dynamics 365 Customer Service.', 'Rename the copilot to fewer than 30 characters.'),
  rule('environment-mismatch', 'error', 'The copilot and the Customer Service package are in different environments.', 'The package installation must be in the copilot\'s environment, or the copilot cannot be connected.', 'Install the package in the copilot\'s environment, or move the copilot.', true),
  rule('copilot-disconnected', 'error', 'The copilot is disconnected from Dynamics 365 (its application user is disabled).', 'It stops receiving any traffic; chats wait in the bot queue.', 'Connect the copilot again from Copilot Studio (Settings, Agent transfers, Dynamics 365).', true),
  rule('escalate-without-transfer', 'error', 'The Escalate topic (OnEscalate) has no Transfer to agent node, directly or through its redirects.', 'Asking for a person never reaches an agent: out of the box Escalate only sends a message.', 'Add a TransferConversationV2 node with `transferType: {kind: TransferToAgent}`.'),
  rule('missing-inactivity-topics', 'error', 'No inactivity topic closes idle chats on the Dynamics 365 channel.', 'Dynamics 365 expects the copilot to end idle conversations; without it they linger as active on the supervisor\'s view.', 'Add Session Timeout Reminder and Session Timeout topics (OnInactivity, channel condition, End Conversation).'),
  rule('inactivity-wrong-trigger', 'error', 'A Session Timeout or inactivity topic is not triggered by OnInactivity.', 'It does not run when the customer goes quiet.', 'Change its trigger to Inactivity (`kind: OnInactivity` with `durationInSeconds`).'),
  rule('inactivity-channel-condition', 'error', 'An inactivity topic\'s condition is missing (warning), does not restrict it to Dynamics 365 (warning), or is false on Dynamics 365 (error).', 'The topic fires on the wrong channels, or never where it should.', 'Set the condition to `=System.Activity.Channel = ChannelId.Omnichannel`.'),
  rule('inactivity-without-end-conversation', 'error', 'The inactivity topics that apply to Dynamics 365 never end the conversation.', 'The reminder runs, but the idle chat is never closed.', 'End the longest inactivity topic with an End Conversation node.'),
  rule('inactivity-order', 'warning', 'An inactivity reminder does not come before the timeout that ends the chat.', 'The customer is never reminded before the chat closes.', 'Give the reminder a shorter durationInSeconds than the timeout.'),
  rule('variable-read-never-set', 'warning', 'A Topic or Global variable is read but no node, input or external source sets it.', 'It is always Blank, so conditions and messages that read it misbehave.', 'Set it before it is read, declare it as a topic input, or fix the name.'),
  rule('routing-variable-unset', 'error', 'A routing rule tests a variable that no topic sets and the work stream does not declare.', 'The rule can never match an escalated conversation.', 'Set the variable as a global in a topic, declare it as a context variable, or fix the rule.', true),
  rule('routing-variable-not-global', 'error', 'A routing rule tests a variable the copilot sets only as a Topic variable.', 'Dynamics 365 receives the copilot\'s global variables on escalation, not its topic variables.', 'Set it as `Global.<name>`.', true),
  rule('routing-variable-not-external', 'warning', 'A routing rule tests a global variable whose definition does not let external sources set it.', 'Dynamics 365 and the copilot exchange context through variables flagged "External sources can set values".', 'Set `isExternalInitializationAllowed: true` in its variables/ file (or tick the option in Copilot Studio).', true),
  rule('unmanaged-layer', 'error', 'An unmanaged layer sits over a component of a managed copilot (ALM).', 'The unmanaged layer wins over later managed imports, and Copilot Studio may not see the Dynamics 365 integration.', 'Remove the unmanaged layer (Power Apps, Solutions, See solution layers, Remove unmanaged layer).'),
  rule('d365-config', 'error', 'The --d365 configuration file cannot be read.', 'The Dynamics 365 checks cannot run.', 'Fix the file at the position shown (docs/doctor-rules.md describes it).', true),
];

export const ruleById: ReadonlyMap<string, Rule> = new Map(rules.map((entry) => [entry.id, entry]));
