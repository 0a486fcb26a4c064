/**
 * The copilot loader: reads a Copilot Studio copilot exported as code (agent folder, solution
 * export, topic files) into located plain data plus diagnostics, for the interpreter and for
 * static checks.
 */

// Loading
export { loadCopilot } from './load-copilot';
export { discoverCopilots } from './discover-copilots';
export { parseLenientYaml } from './lenient-yaml';
export type { LenientYaml, YamlFailure, YamlQuirk, YamlQuirkKind } from './lenient-yaml';

// Locations
export { locationOf, locationOfKey, formatLocation } from './source-locations';

// Topics, references and structure
export { resolveDialogReference, topicFileStem } from './dialog-references';
export { nodeKinds, walkDialog } from './dialog-walk';
export type { DialogNode } from './dialog-walk';
export { checkCopilot, checkTopic } from './structural-checks';

// Layers
export { unmanagedOverManaged } from './layers';
export type { UnmanagedOverManaged } from './layers';

export type {
  ComponentLayer,
  CopilotComponent,
  CopilotLayout,
  Diagnostic,
  DiagnosticCode,
  DiagnosticSeverity,
  GlobalVariable,
  LayeredComponent,
  LoadOptions,
  LoadedCopilot,
  LoadedTopic,
  NodeKindEntry,
  SolutionBot,
  SolutionInfo,
  SourceLocation,
} from './types';
