import type { SourceLocation } from '../powerfx';

/**
 * The data a loaded copilot hands to the interpreter and to static checks. Everything here is
 * plain data: dialogs stay exactly as written in the YAML (copilot-topic-yaml.md §2), and where each
 * object came from is kept aside in a WeakMap (see `locationOf` in source-locations.ts) so the data
 * itself carries no loader bookkeeping.
 */

/**
 * A place in a loaded file: the Power Fx engine's type, so one location flows from the loader into
 * formula errors. Here `file` is relative to `LoadedCopilot.root`; line and column are 1-based.
 */
export type { SourceLocation };

export type DiagnosticSeverity = 'error' | 'warning';

/**
 * Codes the loader reports. Errors are things the interpreter will refuse to run; warnings are
 * things it can run but a person should know about.
 */
export type DiagnosticCode =
  | 'invalid-yaml'
  | 'yaml-quirk'
  | 'unreadable-file'
  | 'not-a-topic'
  | 'topic-without-trigger'
  | 'node-without-kind'
  | 'node-without-id'
  | 'duplicate-node-id'
  | 'duplicate-topic'
  | 'missing-dialog-target'
  | 'missing-goto-target'
  | 'redirect-cycle'
  | 'unknown-root-kind'
  | 'missing-settings'
  | 'unknown-bot'
  | 'no-topics';

export interface Diagnostic {
  severity: DiagnosticSeverity;
  code: DiagnosticCode;
  /** Three sentences: what failed, why, what to do; names file:line:column. */
  message: string;
  location: SourceLocation;
  /** The `id` of the node concerned, when there is one. */
  nodeId?: string;
}

/** One topic (`kind: AdaptiveDialog`). */
export interface LoadedTopic {
  /** `<bot schema>.topic.<ShortName>`, what BeginDialog refers to. */
  schemaName: string;
  shortName: string;
  displayName: string;
  /** Relative to `LoadedCopilot.root`. */
  file: string;
  /**
   * The AdaptiveDialog root as plain objects, exactly as in the YAML (formulas keep their leading
   * `=`), minus the file-only `mcs.metadata` header (the sync library strips it too before
   * comparing topics, copilot-topic-yaml.md §1.1).
   */
  dialog: Record<string, unknown>;
  description?: string;
  /** From a solution's botcomponent.xml: an inactive topic is switched off in Copilot Studio. */
  state?: 'active' | 'inactive';
  /** From botcomponent.xml `iscustomizable`. */
  customizable?: boolean;
  /** Name of the `ComponentLayer` that supplied this topic, when the copilot has layers. */
  layer?: string;
}

export interface GlobalVariable {
  name: string;
  file: string;
  /** The variable component without `kind`, `name` and `mcs.metadata` (scope, type, ...). */
  settings: Record<string, unknown>;
}

/**
 * Every file of the copilot that is not a topic: loaded when the harness uses it (agent metadata,
 * variables, entities, skills, environment variables), ignored with the reason otherwise. Topic
 * files that could not be loaded appear here too, ignored, with the reason.
 */
export interface CopilotComponent {
  kind: string;
  file: string;
  status: 'loaded' | 'ignored';
  reason?: string;
  schemaName?: string;
  displayName?: string;
  /** The component's YAML (or extracted fields), for loaded components. */
  data?: Record<string, unknown>;
}

export interface SolutionBot {
  schemaName: string;
  displayName: string;
  /** bots/<schema>/bot.xml, or the first component naming it as parent bot. */
  file: string;
}

export interface SolutionInfo {
  uniqueName: string;
  displayName?: string;
  version?: string;
  /** solution.xml `<Managed>1</Managed>`. */
  managed: boolean;
  /** solution.xml, relative to the root. */
  file: string;
  publisher?: string;
  /** Every bot the solution carries; the copilot is one of them (see `LoadOptions.bot`). */
  bots: SolutionBot[];
}

/**
 * A Dataverse solution layer, bottom first. The rule (see layers.ts): a solution folder or zip is
 * one layer, managed as its solution.xml says; topic or component YAML files found in that same
 * folder outside `botcomponents/` are loose, unmanaged customisations and form a layer above it.
 * A component present in both is taken from the top layer, as Dataverse resolves layers.
 */
export interface ComponentLayer {
  name: string;
  managed: boolean;
  origin: 'solution' | 'loose-files';
  /** solution.xml for a solution layer, '.' for loose files. */
  file: string;
  components: LayeredComponent[];
}

export interface LayeredComponent {
  schemaName: string;
  kind: string;
  file: string;
  /** From botcomponent.xml `iscustomizable`, when known. */
  customizable?: boolean;
}

export type CopilotLayout = 'classic' | 'cli' | 'solution' | 'topic-files' | 'single-topic';

export interface LoadedCopilot {
  /** Absolute path of the folder, zip or file that was loaded (for a zip with one top folder, `<zip>!/<folder>`). */
  root: string;
  layout: CopilotLayout;
  displayName: string;
  /** The bot schema name, prefix of every topic schema name; '' when nothing names it. */
  schemaName: string;
  /** settings.mcs.yml, or for a solution bot.xml fields plus configuration.json under `configuration`. */
  settings: Record<string, unknown>;
  /** agent.mcs.yml / `<bot>.gpt.default` (GptComponentMetadata), when present. */
  agent?: Record<string, unknown>;
  topics: LoadedTopic[];
  globalVariables: GlobalVariable[];
  components: CopilotComponent[];
  solution?: SolutionInfo;
  layers?: ComponentLayer[];
  diagnostics: Diagnostic[];
}

export interface LoadOptions {
  /** For a solution carrying several bots: the bot schema name to load (default: the bot with the most topics). */
  bot?: string;
}

export interface NodeKindEntry {
  kind: string;
  id?: string;
  location: SourceLocation;
}
