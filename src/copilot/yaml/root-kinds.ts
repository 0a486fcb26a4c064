/**
 * What the loader does with each root `kind:` a copilot's files carry. The list was gathered from
 * the public corpus (../shared/corpus/topics), the vscode-copilotstudio workspace fixtures and the
 * sync library's entity reference (SYNC-SEMANTICS-CLASSIC.md / -CLI.md, copilot-topic-yaml.md §1):
 * every kind is either loaded or ignored with the reason written here. A kind not listed is
 * ignored with a warning naming it, never skipped silently and never a crash.
 */

export type RootKindRole = 'topic' | 'agent' | 'variable' | 'entity' | 'skill' | 'environment-variable' | 'ignored';

export interface RootKindHandling {
  role: RootKindRole;
  /** Why an ignored kind is ignored. */
  reason?: string;
}

const ACTIONS_NOT_RUN =
  'actions and tools (cloud flows, connectors, AI prompts, MCP servers, connected agents) run outside the copilot; the harness does not call them, and a topic node that invokes one is reported by the interpreter';
const KNOWLEDGE_NOT_RUN = 'knowledge sources feed generative answers, which the harness does not simulate';
const SETTINGS_NOT_RUN = 'bot settings components (content moderation, feedback collection) do not change how topics run';

const KNOWN_ROOT_KINDS: Record<string, RootKindHandling> = {
  AdaptiveDialog: { role: 'topic' },
  GptComponentMetadata: { role: 'agent' },
  Variable: { role: 'variable' },
  GlobalVariableComponent: { role: 'variable' },
  SkillDefinition: { role: 'skill' },
  EnvironmentVariableDefinition: { role: 'environment-variable' },
  TaskDialog: { role: 'ignored', reason: ACTIONS_NOT_RUN },
  InlineAgentSkill: { role: 'ignored', reason: ACTIONS_NOT_RUN },
  ConnectorTool: { role: 'ignored', reason: ACTIONS_NOT_RUN },
  WorkflowTool: { role: 'ignored', reason: ACTIONS_NOT_RUN },
  McpTool: { role: 'ignored', reason: ACTIONS_NOT_RUN },
  ConnectedAgentTool: { role: 'ignored', reason: ACTIONS_NOT_RUN },
  AgentDialog: {
    role: 'ignored',
    reason: 'child agents are chosen by generative orchestration, which the harness does not simulate',
  },
  KnowledgeSourceConfiguration: { role: 'ignored', reason: KNOWLEDGE_NOT_RUN },
  KnowledgeSource: { role: 'ignored', reason: KNOWLEDGE_NOT_RUN },
  KnowledgeSourceComponent: { role: 'ignored', reason: KNOWLEDGE_NOT_RUN },
  PublicSiteSearchSource: { role: 'ignored', reason: KNOWLEDGE_NOT_RUN },
  FileAttachmentComponentMetadata: { role: 'ignored', reason: KNOWLEDGE_NOT_RUN },
  ContentModerationSettings: { role: 'ignored', reason: SETTINGS_NOT_RUN },
  DefaultFeedbackCollection: { role: 'ignored', reason: SETTINGS_NOT_RUN },
  BotSettingsComponent: { role: 'ignored', reason: SETTINGS_NOT_RUN },
  ExternalTriggerConfiguration: {
    role: 'ignored',
    reason: 'external triggers start autonomous runs from events (mail, Dataverse), which the harness does not simulate',
  },
};

/**
 * How to treat a root kind. Entity kinds (`ClosedListEntity`, `RegexEntity`, ...) are loaded as
 * custom entities for Question nodes.
 */
export function rootKindHandling(kind: string): RootKindHandling | undefined {
  const known = KNOWN_ROOT_KINDS[kind];
  if (known) return known;
  if (/Entity$/.test(kind)) return { role: 'entity' };
  return undefined;
}

/** Reasons for files that carry no root kind of their own, by what they are. */
export const FILE_REASONS = {
  cloudCache: 'the .mcs folder is the sync library\'s hidden cloud cache; the workspace files next to it are what the copilot runs',
  icon: 'the agent icon does not affect conversations',
  connectionReferences: 'connection references bind connectors and flows, which the harness does not call',
  componentCollectionReferences: 'references.mcs.yml points at sibling component-collection workspaces, which the loader reads when they are folders next to the agent',
  componentCollection: 'collection.mcs.yml describes a component collection; its topics are loaded from its topics folder',
  layoutMarker: 'agent.sync.yaml only marks the CLI-layered layout',
  workflow: 'Power Automate flows run outside the copilot; the harness does not call them',
  translation: 'translated topics are the same dialogs in another language; the harness runs the primary language',
  childAgentContent: 'content of a child agent, which generative orchestration runs; the harness does not simulate it',
  knowledgeFile: 'knowledge files feed generative answers, which the harness does not simulate',
  solutionPackaging: 'solution packaging metadata ([Content_Types].xml, customizations.xml, Assets) carries no topic content',
  solutionNonBot: 'a Dataverse component other than the copilot (connector, flow, table, app); the harness does not use it',
  otherFile: 'not part of the agent-as-code layout',
} as const;
