import type { CopilotFixtures } from './copilot-fixtures';
import type { SourceLocation } from './powerfx';

/**
 * A copilot as the runtime runs it. Topics keep Copilot Studio's own YAML shape (an `AdaptiveDialog`
 * with one trigger under `beginDialog`, copilot-topic-yaml.md §2), whether they were loaded from an
 * exported folder or written inline in a feature file, so one interpreter runs both.
 */
export interface CopilotDefinition {
  /** Display name; Dynamics 365 refuses names of 30 characters or more (seed: Prerequisites). */
  name: string;
  schemaName: string;
  botId: string;
  language: string;
  topics: TopicDefinition[];
  /** Where the definition came from, for error messages. */
  source: string;
  /** The Power Platform environment the copilot lives in, when known (seed: same environment as Customer Service). */
  environment?: string;
  /** Custom entities for Question nodes (ClosedListEntityReference, RegexEntityReference), by lower-cased schema name. */
  entities?: ReadonlyMap<string, Record<string, unknown>>;
  /** `Env.<schema name>` values: environment variable definitions' default values. */
  environmentVariables?: Record<string, unknown>;
  /** What flows, connectors, generative answers, skills and HTTP back ends answer in this simulation. */
  fixtures?: CopilotFixtures;
  /**
   * `disconnected`: Copilot Studio "Disconnect" disabled the copilot's application user in Dynamics 365,
   * so it receives no traffic (seed: "Disconnect your copilot"). Absent: connected.
   */
  d365Connection?: 'connected' | 'disconnected';
}

export interface TopicDefinition {
  /** Display name, as va_LastTopic and va_Topics report it. */
  name: string;
  /** `<bot schema>.topic.<ShortName>`, what BeginDialog refers to. */
  schemaName: string;
  dialog: AdaptiveDialog;
  file?: string;
  /** Locates a node of this topic's dialog for error messages. */
  locate?: (node: object) => SourceLocation | undefined;
  /** Locates the value of one property of a node (a formula's first character), for positions inside formulas. */
  locateValue?: (node: object, key: string) => SourceLocation | undefined;
}

export interface AdaptiveDialog {
  kind: 'AdaptiveDialog';
  startBehavior?: string;
  beginDialog: TriggerNode;
  [key: string]: unknown;
}

export interface TriggerNode {
  kind: string;
  id?: string;
  condition?: unknown;
  durationInSeconds?: unknown;
  priority?: number;
  intent?: { displayName?: string; triggerQueries?: string[] };
  actions?: ActionNode[];
  [key: string]: unknown;
}

export interface ActionNode {
  kind: string;
  id?: string;
  disabled?: unknown;
  [key: string]: unknown;
}
