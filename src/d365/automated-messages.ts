/**
 * Customer-facing automated messages (d365-omnichannel.md §5.5), posted into the thread as system
 * messages. The texts are admin-configurable; the real defaults are UNCONFIRMED (§11), so these are
 * plain English with the documented slugs `{AgentName}`, `{QueueName}`, `{Position}` and `{$ContextVariable$}`.
 */
export const defaultAutomatedMessages = {
  'agent joined': '{AgentName} has joined the conversation.',
  'agent ended': '{AgentName} has ended the conversation.',
  'queue position': 'You are number {Position} in the queue.',
  'out of operating hours': 'We are closed right now. Please come back during our opening hours.',
  'overflow end': 'All our agents are busy. Please try again later.',
  'supervisor closed': 'This conversation was closed by a supervisor.',
  'customer disconnected': 'The customer disconnected from the conversation.',
} as const;

export type AutomatedMessageName = keyof typeof defaultAutomatedMessages;
export type AutomatedMessages = Record<AutomatedMessageName, string>;

/** The tags each message carries on the thread (d365-omnichannel.md §3.3). */
export const automatedMessageTags: Record<AutomatedMessageName, string> = {
  'agent joined': 'system,agentjoinedconversation',
  'agent ended': 'system,agentendconversation',
  'queue position': 'system,queueposition',
  'out of operating hours': 'system',
  'overflow end': 'system',
  'supervisor closed': 'system,supervisorforceclosedconversation',
  'customer disconnected': 'system',
};

/** Fills `{Slug}` and `{$ContextVariable$}` holes; unknown slugs stay as written. */
export function renderMessage(template: string, slugs: Readonly<Record<string, string | number | undefined>>, context: Readonly<Record<string, string>>): string {
  return template.replace(/\{\$([^$}]+)\$\}|\{([A-Za-z]+)\}/g, (whole, variable: string | undefined, slug: string | undefined) => {
    if (variable !== undefined) return context[variable] ?? '';
    const value = slugs[slug!];
    return value === undefined ? whole : String(value);
  });
}
