import type { ActionNode, CopilotDefinition, TopicDefinition } from './copilot-definition';

/** A topic written as one row of a feature table: phrases in, a reply, variables set, then what happens. */
export interface InlineTopic {
  name: string;
  phrases: string[];
  reply?: string;
  sets?: Array<{ variable: string; value: string }>;
  then?: 'transfer to agent' | 'end conversation';
  messageToAgent?: string;
}

/** An inactivity topic as the seed describes "Session Timeout Reminder" and "Session Timeout". */
export interface InlineInactivityTopic {
  name: string;
  seconds: number;
  /** The channel its condition requires, by the name the designer shows ("Dynamics 365"), or undefined for any. */
  channel?: string;
  message: string;
  endsConversation: boolean;
}

export interface InlineCopilot {
  name: string;
  /** The copilot's language, as va_Language reports it; `en-us` when not given. */
  language?: string;
  greeting?: string;
  topics: InlineTopic[];
  inactivity: InlineInactivityTopic[];
}

/** Channel names as the designer's dropdown shows them, to System.Activity.Channel members (copilot-topic-yaml.md §3.2). */
export const channelOptions: Record<string, string> = {
  'dynamics 365': 'Omnichannel',
  omnichannel: 'Omnichannel',
  'direct line': 'Directline',
  directline: 'Directline',
  teams: 'MsTeams',
  'microsoft teams': 'MsTeams',
  telephony: 'Telephony',
  facebook: 'Facebook',
};

/**
 * Builds the same topic shape Copilot Studio exports (copilot-topic-yaml.md §2), so inline copilots run
 * on the interpreter that runs exported ones.
 */
export function defineInlineCopilot(copilot: InlineCopilot, ids: { botId: string }): CopilotDefinition {
  const schemaName = `cr_${copilot.name.replace(/[^A-Za-z0-9]/g, '')}`;
  const topic = (name: string, dialog: TopicDefinition['dialog']): TopicDefinition => ({
    name,
    schemaName: `${schemaName}.topic.${name.replace(/[^A-Za-z0-9]/g, '')}`,
    dialog,
    file: 'the feature file',
  });
  const topics: TopicDefinition[] = [];
  if (copilot.greeting) {
    topics.push(
      topic('Conversation Start', {
        kind: 'AdaptiveDialog',
        beginDialog: { kind: 'OnConversationStart', id: 'main', actions: [{ kind: 'SendActivity', id: 'greeting', activity: copilot.greeting }] },
      }),
    );
  }
  for (const row of copilot.topics) {
    const actions: ActionNode[] = [];
    if (row.reply) actions.push({ kind: 'SendActivity', id: `reply`, activity: row.reply });
    for (const { variable, value } of row.sets ?? []) {
      // A table cell is text; `true`/`false` become booleans as YAML would read them (CloseOmnichannelConversation, §6.4).
      const typed = value === 'true' ? true : value === 'false' ? false : value;
      actions.push({ kind: 'SetVariable', id: `set_${variable}`, variable: variable.includes('.') ? variable : `Global.${variable}`, value: typed });
    }
    if (row.then === 'transfer to agent') {
      actions.push({
        kind: 'TransferConversationV2',
        id: 'transfer',
        transferType: { kind: 'TransferToAgent', messageToAgent: row.messageToAgent ?? '', context: { kind: 'AutomaticTransferContext' } },
      });
    } else if (row.then === 'end conversation') {
      actions.push({ kind: 'EndConversation', id: 'end' });
    }
    topics.push(
      topic(row.name, {
        kind: 'AdaptiveDialog',
        startBehavior: row.then === 'transfer to agent' ? 'CancelOtherTopics' : undefined,
        beginDialog: { kind: 'OnRecognizedIntent', id: 'main', intent: { displayName: row.name, triggerQueries: row.phrases }, actions },
      }),
    );
  }
  for (const row of copilot.inactivity) {
    const actions: ActionNode[] = [{ kind: 'SendActivity', id: 'message', activity: row.message }];
    if (row.endsConversation) actions.push({ kind: 'EndConversation', id: 'end' });
    const member = row.channel ? channelOptions[row.channel.toLowerCase()] : undefined;
    topics.push(
      topic(row.name, {
        kind: 'AdaptiveDialog',
        beginDialog: {
          kind: 'OnInactivity',
          id: 'main',
          durationInSeconds: row.seconds,
          condition: member ? `=System.Activity.Channel = ChannelId.${member}` : undefined,
          actions,
        },
      }),
    );
  }
  return { name: copilot.name, schemaName, botId: ids.botId, language: copilot.language ?? 'en-us', topics, source: 'the feature file' };
}
