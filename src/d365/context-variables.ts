import type { CopilotDefinition } from '../copilot/copilot-definition';
import { buildHandoffPayload } from '../copilot/handoff-payload';
import type { WorkStreamSettings } from './work-stream';

/** The va_* context variables every Copilot Studio handoff carries (d365-omnichannel.md §6.3). */
export const handoffVariableNames: readonly string[] = Object.keys(
  buildHandoffPayload({ conversationId: '', botId: '', botName: '', language: '', lastTopic: '', topics: [], phrases: [], agentMessage: '', customVariables: {}, transcript: [] }).variables,
);

/**
 * Every variable name a topic of the copilot sets or asks for (`SetVariable`, `SetTextVariable`,
 * `Question`, ...: any node's `variable`), without its `Global.`/`Topic.` scope: on escalation they
 * arrive as context variables under their bare names (copilot-protocol.md §6.2).
 */
export function copilotVariableNames(copilot: CopilotDefinition | undefined): Set<string> {
  const names = new Set<string>();
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (const item of node) visit(item);
      return;
    }
    if (!node || typeof node !== 'object') return;
    for (const [key, value] of Object.entries(node)) {
      if (key === 'variable' && typeof value === 'string') {
        const bare = value.replace(/^init:/, '').replace(/^(Global|Topic)\./, '');
        if (bare) names.add(bare);
      } else if (typeof value === 'object') visit(value);
    }
  };
  for (const topic of copilot?.topics ?? []) visit(topic.dialog);
  return names;
}

/** What a routing rule may test: declared context variables, va_* and the copilot's topics' variables. */
export function knownContextVariables(workStream: Pick<WorkStreamSettings, 'contextVariables'>, copilot: CopilotDefinition | undefined): Set<string> {
  return new Set([...workStream.contextVariables.map((variable) => variable.name), ...handoffVariableNames, ...copilotVariableNames(copilot)]);
}
