/**
 * Which node kinds exist in Copilot Studio's topic YAML and which of them the interpreter runs.
 *
 * The two schema lists are the action and trigger definitions of Microsoft's JSON schema of the YAML
 * authoring model (`reference/bot.schema.yaml-authoring.json` in microsoft/skills-for-copilot-studio
 * @ 5c1cc83d, docs/copilot-topic-yaml.md §0): a kind outside them is not Copilot Studio's at all (an
 * invention of a hand-written file such as `SendMessage` or `RedirectToTopic`, §2.3), while a kind in
 * them that the interpreter does not run is real but unsupported. Doctor and conformance tell the two
 * apart; the interpreter stops a topic at either, with a located message.
 */

/** Every action kind (DialogAction) of the schema. */
export const schemaActionKinds: ReadonlySet<string> = new Set([
  'InvokeFlowAction', 'InvokeAIBuilderModelAction', 'WaitForConnectorTrigger', 'InvokeConnectorAction', 'InvokeMcpToolAction',
  'InvokeSkillAction', 'HttpRequestAction', 'SearchAndSummarizeContent', 'AnswerQuestionWithAI', 'SearchAndSummarizeWithCustomModel',
  'InvokeCustomModelAction', 'SearchKnowledgeSources', 'AdaptiveCardPrompt', 'Question', 'CSATQuestion', 'OAuthInput', 'ActionScope',
  'Foreach', 'DisconnectedNodeContainer', 'BeginDialog', 'ActivateExternalTrigger', 'ReplaceDialog', 'RepeatDialog', 'DisableTrigger',
  'CancelAllDialogs', 'CancelDialog', 'ClearAllVariables', 'BreakLoop', 'ContinueLoop', 'ResetVariable', 'EditTable', 'EditTableV2',
  'EmitEvent', 'EndDialog', 'GetActivityMembers', 'GetConversationMembers', 'GotoAction', 'ConditionGroup', 'EndConversation',
  'RecognizeIntent', 'SendActivity', 'TransferConversation', 'TransferConversationV2', 'SetVariable', 'SetMultipleVariables',
  'SetTextVariable', 'ParseValue', 'SignOutUser', 'LogCustomTelemetryEvent', 'DeleteActivity', 'UpdateActivity', 'CreateSearchQuery',
  // Not in that schema snapshot but in a real export (docs/real-topics-census.md §2): an older spelling of HttpRequestAction.
  'SendHttpRequest',
]);

/** Every trigger kind of the schema (`beginDialog.kind`). */
export const schemaTriggerKinds: ReadonlySet<string> = new Set([
  'OnRedirect', 'OnPlanComplete', 'OnKnowledgeRequested', 'OnGeneratedResponse', 'OnOutgoingMessage', 'OnCopilotRedirect', 'OnActivity',
  'OnEventActivity', 'OnDtmfKeyPress', 'OnToolSelected', 'OnRecognizedIntent', 'OnSystemIntent', 'OnEscalate', 'OnInactivity',
  'OnAnsweringMachineDetected', 'OnSystemRedirect', 'OnSelectIntent', 'OnError', 'OnUnrecognizedSpeech', 'OnConversationStart',
  'OnAnalyzeText', 'OnSignIn', 'OnUnknownIntent', 'OnUnknownDtmfKey', 'OnSilence',
  // Seen in real exports (docs/real-topics-census.md §1), outside the schema snapshot.
  'OnInvokedAction', 'RecurrenceTrigger',
]);

/** The action kinds CopilotSession runs; anything else stops its topic with a located message. */
export const supportedActionKinds: ReadonlySet<string> = new Set([
  // The basic set (docs/copilot-topic-yaml.md §2.2).
  'SendActivity', 'SetVariable', 'SetTextVariable', 'ConditionGroup', 'Question', 'BeginDialog', 'ReplaceDialog', 'EndDialog',
  'CancelAllDialogs', 'CancelDialog', 'EndConversation', 'TransferConversation', 'TransferConversationV2',
  // The real world's next kinds, in order of use (docs/real-topics-census.md §2).
  'ParseValue', 'AdaptiveCardPrompt', 'SearchAndSummarizeContent', 'AnswerQuestionWithAI', 'OAuthInput', 'ClearAllVariables',
  'LogCustomTelemetryEvent', 'EditTable', 'EditTableV2', 'CSATQuestion', 'GotoAction', 'HttpRequestAction', 'SendHttpRequest',
  'InvokeFlowAction', 'InvokeConnectorAction', 'InvokeAIBuilderModelAction', 'InvokeSkillAction', 'EmitEvent', 'Foreach',
  'CreateSearchQuery', 'SetMultipleVariables', 'ResetVariable', 'BreakLoop', 'ContinueLoop', 'SignOutUser',
]);

/**
 * Triggers the runtime starts on its own. Redirect-only triggers (OnSystemRedirect, OnRedirect) run
 * when a BeginDialog names their topic; any topic can be redirected to, whatever its trigger.
 */
export const supportedTriggerKinds: ReadonlySet<string> = new Set([
  'OnConversationStart', 'OnRecognizedIntent', 'OnEscalate', 'OnInactivity', 'OnUnknownIntent', 'OnError', 'OnSystemRedirect',
  'OnRedirect', 'OnActivity', 'OnSignIn', 'OnSelectIntent',
]);

export type NodeKindStatus = 'supported' | 'unsupported' | 'unknown';

/**
 * @example actionKindStatus('SendMessage') // 'unknown': not a Copilot Studio kind at all
 * @example actionKindStatus('InvokeMcpToolAction') // 'unsupported': real, not run by the harness
 */
export function actionKindStatus(kind: string): NodeKindStatus {
  if (supportedActionKinds.has(kind)) return 'supported';
  return schemaActionKinds.has(kind) ? 'unsupported' : 'unknown';
}
