/**
 * What Copilot Studio hands over on a transfer (copilot-protocol.md §6.2, d365-omnichannel.md §6.3):
 * the va_* context variables, every custom variable by its bare name, the private message to the
 * agent and the transcript of the conversation so far.
 */

export interface TranscriptActivity {
  type: 'message';
  id: string;
  timestamp: string;
  from: { id: string; name?: string; role: 'user' | 'bot' };
  text: string;
}

export interface HandoffPayload {
  variables: Record<string, unknown>;
  agentMessage: string;
  transcript: TranscriptActivity[];
}

export interface HandoffFacts {
  conversationId: string;
  botId: string;
  botName: string;
  language: string;
  lastTopic: string;
  topics: readonly string[];
  phrases: readonly string[];
  agentMessage: string;
  customVariables: Record<string, unknown>;
  transcript: TranscriptActivity[];
}

export function buildHandoffPayload(facts: HandoffFacts): HandoffPayload {
  const lastPhrase = facts.phrases.at(-1) ?? '';
  return {
    variables: {
      ...facts.customVariables,
      va_Scope: 'bot',
      va_LastTopic: facts.lastTopic,
      va_Topics: [...facts.topics],
      // The docs name it va_LastPhrases, real payloads carry va_LastPhrase: emit both (copilot-protocol.md §6.2).
      va_LastPhrases: lastPhrase,
      va_LastPhrase: lastPhrase,
      va_Phrases: [...facts.phrases],
      va_ConversationId: facts.conversationId,
      va_AgentMessage: facts.agentMessage,
      va_BotId: facts.botId,
      va_BotName: facts.botName,
      va_Language: facts.language,
    },
    agentMessage: facts.agentMessage,
    transcript: facts.transcript,
  };
}

/** The `handoff.initiate` event activity as a Direct Line client receives it (copilot-protocol.md §6.2). */
export function handoffInitiateActivity(payload: HandoffPayload, envelope: { id: string; timestamp: string; conversationId: string; botId: string; botName: string; replyToId?: string }) {
  return {
    type: 'event' as const,
    name: 'handoff.initiate',
    id: envelope.id,
    timestamp: envelope.timestamp,
    channelId: 'directline',
    from: { id: envelope.botId, name: envelope.botName, role: 'bot' },
    conversation: { id: envelope.conversationId },
    replyToId: envelope.replyToId,
    value: payload.variables,
    attachments: [{ contentType: 'application/json', name: 'Transcript', content: { activities: payload.transcript } }],
    entities: [],
  };
}
