import type {
  AttachmentSummary,
  DraftEntry,
  EntrySource,
  RecordingChannel,
  RecordingParty,
  TopicEntry,
} from '../recording';
import { PeopleRegister } from './personal-data';
import { RecordingImportError, WarningLog, quote } from './recording-import-error';
import { readTimestamp, type ExpectedOrder, type SourceRecord } from './timeline';

/** What every importer hands to the timeline: the records in file order and what it learned on the way. */
export interface ImportedConversation {
  records: SourceRecord[];
  expectedOrder: ExpectedOrder;
  conversationId?: string;
  channel?: RecordingChannel;
  people: PeopleRegister;
}

export interface ImportContext {
  file: string;
  warnings: WarningLog;
}

/** One list of activities in the input and how to name a position in it (`activities[3]`). */
export interface ActivityList {
  activities: unknown[];
  positionOf(index: number): string;
}

type Activity = Record<string, unknown>;
type TopicDraft = Omit<TopicEntry, 'at' | 'offsetMs'> & { actions: string[] };

interface ActivityItem {
  activity: Activity;
  position: string;
  source: EntrySource;
  embedded: boolean;
}

/** The Bot Framework bot-state trace is a dump of the bot's memory: replay never needs its value. */
const botStateValueType = 'https://www.botframework.com/schemas/botState';

/**
 * Reads Bot Framework activities (a .transcript, Direct Line responses, the `activities` of a Dataverse
 * conversationtranscript) into records. Roles may be words (`user`, `bot`) or Dataverse numbers
 * (1 = user, 0 = bot: copilot-protocol.md §11.2 and every file of the public sample agree).
 *
 * A copilot's `handoff.initiate` carries the conversation so far as a Transcript attachment
 * (copilot-protocol.md §6.2, §11.3); its activities are added to the timeline unless the log already
 * holds them. After a handoff, messages from a bot-role sender that is not the copilot are the agent's
 * (a hub relays the representative as another bot account).
 */
export function readActivityLists(lists: ActivityList[], context: ImportContext): ImportedConversation {
  const items = collectItems(lists, context);
  const people = new PeopleRegister();
  const roles = learnRoles(items, people);
  const reader = new ActivityReader(roles, people, context);
  const records = items.map((item) => reader.read(item));
  reader.finish();
  const firstWith = (pick: (activity: Activity) => unknown) => items.map((item) => pick(item.activity)).find((value) => typeof value === 'string' && value !== '') as string | undefined;
  const conversationId = firstWith((activity) => asRecord(activity.conversation)?.id);
  const channel = firstWith((activity) => activity.channelId);
  return {
    records,
    expectedOrder: 'oldest-first',
    people,
    ...(conversationId !== undefined ? { conversationId } : {}),
    ...(channel !== undefined ? { channel } : {}),
  };
}

function collectItems(lists: ActivityList[], { file, warnings }: ImportContext): ActivityItem[] {
  const items: ActivityItem[] = [];
  const seenIds = new Set<string>();
  const duplicates: string[] = [];
  // An embedded copy of an activity yields to the logged original, wherever that appears in the file.
  const loggedIds = new Set<string>();
  for (const list of lists) {
    for (const value of list.activities) {
      const id = asRecord(value)?.id;
      if (typeof id === 'string') loggedIds.add(id);
    }
  }
  let index = 0;
  for (const list of lists) {
    list.activities.forEach((value, listIndex) => {
      const position = list.positionOf(listIndex);
      const activity = asRecord(value);
      if (!activity) {
        throw new RecordingImportError(
          file,
          position,
          `the activity is ${describe(value)}, not a JSON object`,
          'Remove it or export the conversation again; every activity is an object with a type.',
        );
      }
      const source = { index };
      index += 1;
      const id = typeof activity.id === 'string' ? activity.id : undefined;
      // Direct Line logs written from overlapping GET responses repeat activities (copilot-protocol.md §2.3).
      // Dataverse gives traces placeholder ids ("0"), so only other activities are compared.
      if (id !== undefined && seenIds.has(id) && activity.type !== 'trace') {
        duplicates.push(position);
        return;
      }
      if (id !== undefined) seenIds.add(id);
      const embedded = embeddedTranscript(activity, position);
      for (const inner of embedded?.activities ?? []) {
        const innerActivity = asRecord(inner.value);
        const innerId = typeof innerActivity?.id === 'string' ? innerActivity.id : undefined;
        if (!innerActivity || (innerId !== undefined && (seenIds.has(innerId) || loggedIds.has(innerId)))) continue;
        if (innerId !== undefined) seenIds.add(innerId);
        items.push({ activity: innerActivity, position: inner.position, source: { ...source, transcriptIndex: inner.index }, embedded: true });
      }
      items.push({ activity, position, source, embedded: false });
    });
  }
  if (duplicates.length > 0) {
    warnings.add(
      duplicates[0] as string,
      `${duplicates.length} activit${duplicates.length === 1 ? 'y repeats' : 'ies repeat'} the id of an earlier one (overlapping Direct Line responses) and ${duplicates.length === 1 ? 'was' : 'were'} skipped.`,
    );
  }
  return items;
}

/** The activities of a handoff's Transcript attachment, with their positions. */
function embeddedTranscript(activity: Activity, position: string): { activities: { value: unknown; index: number; position: string }[] } | undefined {
  if (activity.type !== 'event' || activity.name !== 'handoff.initiate' || !Array.isArray(activity.attachments)) return undefined;
  const found = transcriptAttachment(activity);
  if (!found) return undefined;
  return {
    activities: found.activities.map((value, index) => ({
      value,
      index,
      position: `${position}.attachments[${found.attachmentIndex}].content.activities[${index}]`,
    })),
  };
}

/** Microsoft's own parser lowercases the attachment name before comparing it (copilot-protocol.md §6.2). */
function transcriptAttachment(activity: Activity): { activities: unknown[]; attachmentIndex: number } | undefined {
  const attachments = Array.isArray(activity.attachments) ? activity.attachments : [];
  for (let attachmentIndex = 0; attachmentIndex < attachments.length; attachmentIndex += 1) {
    const attachment = asRecord(attachments[attachmentIndex]);
    const content = asRecord(attachment?.content);
    if (typeof attachment?.name === 'string' && attachment.name.toLowerCase() === 'transcript' && Array.isArray(content?.activities)) {
      return { activities: content.activities, attachmentIndex };
    }
  }
  return undefined;
}

interface KnownRoles {
  userIds: Set<string>;
  botIds: Set<string>;
  /** Senders of handoff.initiate and the va_BotId they name: the copilot, as opposed to an agent. */
  copilotIds: Set<string>;
}

function learnRoles(items: ActivityItem[], people: PeopleRegister): KnownRoles {
  const roles: KnownRoles = { userIds: new Set(), botIds: new Set(), copilotIds: new Set() };
  const note = (account: unknown) => {
    const record = asRecord(account);
    if (!record) return;
    const id = typeof record.id === 'string' && record.id !== '' ? record.id : undefined;
    if (isUserRole(record.role)) {
      if (id) roles.userIds.add(id);
      people.addPerson(record.name);
    } else if (isBotRole(record.role)) {
      if (id) roles.botIds.add(id);
    }
  };
  for (const { activity } of items) {
    note(activity.from);
    note(activity.recipient);
    const relatesTo = asRecord(activity.relatesTo);
    note(relatesTo?.user);
    note(relatesTo?.bot);
    if (activity.name === 'handoff.initiate') {
      const from = asRecord(activity.from);
      if (typeof from?.id === 'string') roles.copilotIds.add(from.id);
      const value = asRecord(activity.value);
      if (typeof value?.va_BotId === 'string') roles.copilotIds.add(value.va_BotId);
      people.addCopilot(value?.va_BotName);
    }
  }
  return roles;
}

class ActivityReader {
  #handedOff = false;
  #lastTopic: TopicDraft | undefined;
  #turnStarted = true;
  #untyped: string[] = [];

  constructor(
    readonly roles: KnownRoles,
    readonly people: PeopleRegister,
    readonly context: ImportContext,
  ) {}

  read(item: ActivityItem): SourceRecord {
    const { activity, position, source, embedded } = item;
    const { timeMs, timeProblem } = readTimestamp(activity.timestamp);
    const party = this.#partyOf(activity);
    const entries = this.#entries(activity, party, source, position);
    return { position, timeMs, ...(timeProblem ? { timeProblem } : {}), embedded, entries };
  }

  /** Reports what was skipped, once for the whole file. */
  finish(): void {
    const first = this.#untyped[0];
    if (first === undefined) return;
    const count = this.#untyped.length;
    this.context.warnings.add(
      first,
      `${count === 1 ? 'This activity has' : `${count} activities (this is the first) have`} no type and ${count === 1 ? 'was' : 'were'} skipped, as the transcript specification says (copilot-protocol.md §11.1).`,
    );
  }

  #partyOf(activity: Activity): RecordingParty {
    const from = asRecord(activity.from);
    const id = typeof from?.id === 'string' && from.id !== '' ? from.id : undefined;
    if (activity.type === 'conversationUpdate') return 'system';
    if (isUserRole(from?.role)) return 'customer';
    if (isBotRole(from?.role) || (id !== undefined && this.roles.botIds.has(id))) {
      if (id === undefined && activity.type === 'trace') return 'system';
      const isAgent = this.#handedOff && id !== undefined && this.roles.copilotIds.size > 0 && !this.roles.copilotIds.has(id);
      return isAgent ? 'agent' : 'copilot';
    }
    if (id !== undefined && this.roles.userIds.has(id)) return 'customer';
    const recipient = asRecord(activity.recipient);
    if (isBotRole(recipient?.role)) return 'customer';
    if (isUserRole(recipient?.role)) return 'copilot';
    return 'system';
  }

  #entries(activity: Activity, party: RecordingParty, source: EntrySource, position: string): DraftEntry[] {
    const type = activity.type;
    if (typeof type !== 'string' || type === '') {
      this.#untyped.push(position);
      return [];
    }
    const name = typeof activity.name === 'string' ? activity.name : undefined;

    switch (type) {
      case 'message':
        return this.#message(activity, party, source);
      case 'typing':
        return [{ party, kind: 'typing', source }];
      case 'endOfConversation':
        return [
          {
            party,
            kind: 'closure',
            reason: typeof activity.code === 'string' && activity.code !== '' ? activity.code : 'endOfConversation',
            ...(typeof activity.text === 'string' && activity.text !== '' ? { detail: activity.text } : {}),
            source,
          },
        ];
      case 'conversationUpdate':
        return [{ party, kind: 'event', name: 'conversationUpdate', activityType: type, value: this.#members(activity), source }];
      case 'event':
        if (name === 'handoff.initiate') return [this.#handoff(activity, party, source)];
        if (name === 'handoff.status') return [this.#handoffStatus(activity, source)];
        if (name === 'DialogTracing') return this.#topics(activity, source);
        return [eventEntry(party, name ?? 'event', type, activity.value, source)];
      case 'trace':
        return this.#trace(activity, party, source);
      default:
        return [eventEntry(party, name ?? type, type, activity.value, source)];
    }
  }

  #message(activity: Activity, party: RecordingParty, source: EntrySource): DraftEntry[] {
    if (party === 'customer') this.#turnStarted = true;
    const text = typeof activity.text === 'string' ? activity.text : '';
    const directive = escalationDirective(asRecord(activity.channelData)?.tags);
    // Azure bots behind D365 escalate with a tagged reply whose text only the agent sees (d365-omnichannel.md §6.3).
    if (directive?.type === 'Escalate') {
      this.#handedOff = true;
      return [{ party, kind: 'handoff', via: 'escalate-tags', variables: directive.context, ...(text ? { agentMessage: text } : {}), source }];
    }
    if (directive?.type === 'EndConversation') {
      return [{ party, kind: 'closure', reason: 'EndConversation', ...(text ? { detail: text } : {}), source }];
    }
    const displayName = asRecord(activity.from)?.name;
    if (party === 'copilot') this.people.addCopilot(displayName);
    else if (party !== 'system') this.people.addPerson(displayName);
    const attachments = summarizeAttachments(activity.attachments);
    const suggestedActions = suggestedActionTitles(activity.suggestedActions);
    return [
      {
        party,
        kind: 'message',
        text,
        ...(typeof displayName === 'string' && displayName !== '' ? { displayName } : {}),
        ...(typeof activity.textFormat === 'string' ? { textFormat: activity.textFormat } : {}),
        ...(attachments.length > 0 ? { attachments } : {}),
        ...(suggestedActions.length > 0 ? { suggestedActions } : {}),
        ...(activity.value !== undefined ? { value: activity.value } : {}),
        source,
      },
    ];
  }

  #handoff(activity: Activity, party: RecordingParty, source: EntrySource): DraftEntry {
    this.#handedOff = true;
    const value = asRecord(activity.value) ?? {};
    const agentMessage = value.va_AgentMessage;
    const transcript = transcriptAttachment(activity);
    return {
      party,
      kind: 'handoff',
      via: 'handoff.initiate',
      variables: { ...value },
      ...(typeof agentMessage === 'string' ? { agentMessage } : {}),
      ...(transcript ? { transcriptLength: transcript.activities.length } : {}),
      source,
    };
  }

  /** The hub's answer to a handoff: accepted, failed or completed (copilot-protocol.md §6.1). */
  #handoffStatus(activity: Activity, source: EntrySource): DraftEntry {
    const value = asRecord(activity.value);
    const state = typeof value?.state === 'string' ? value.state : undefined;
    const message = typeof value?.message === 'string' ? value.message : undefined;
    const detail = [state, message].filter(Boolean).join(': ');
    const queue = typeof value?.queue === 'string' ? value.queue : undefined;
    const agent = typeof value?.agent === 'string' ? value.agent : undefined;
    return {
      party: 'system',
      kind: 'routing',
      action: 'handoffStatus',
      ...(queue ? { queue } : {}),
      ...(agent ? { agent } : {}),
      ...(detail ? { detail } : {}),
      source,
    };
  }

  /**
   * One topic entry each time a different topic starts running, or the same one runs again in a new
   * turn; the actions it runs are listed on it (DialogTracing, copilot-protocol.md §11.2).
   */
  #topics(activity: Activity, source: EntrySource): DraftEntry[] {
    const actions = asRecord(activity.value)?.actions;
    if (!Array.isArray(actions)) return [eventEntry('copilot', 'DialogTracing', String(activity.type), activity.value, source)];
    const started: DraftEntry[] = [];
    for (const action of actions) {
      const record = asRecord(action);
      const topicId = typeof record?.topicId === 'string' ? record.topicId : undefined;
      if (!topicId) continue;
      const actionType = typeof record?.actionType === 'string' ? record.actionType : undefined;
      if (this.#lastTopic?.topicId === topicId && !this.#turnStarted) {
        if (actionType) this.#lastTopic.actions.push(actionType);
        continue;
      }
      const draft: TopicDraft = { party: 'copilot', kind: 'topic', topic: topicName(topicId), topicId, actions: actionType ? [actionType] : [], source };
      this.#lastTopic = draft;
      this.#turnStarted = false;
      started.push(draft);
    }
    return started;
  }

  #trace(activity: Activity, party: RecordingParty, source: EntrySource): DraftEntry[] {
    const value = asRecord(activity.value);
    const knownKind = [activity.valueType, activity.name].find((kind) => kind === 'VariableAssignment' || kind === 'SessionInfo' || kind === 'DialogTracing' || kind === botStateValueType);
    // Bot Framework traces name themselves (`LuisRecognizer`); Dataverse traces only have a valueType.
    const label = [activity.name, activity.valueType, activity.label].find((text) => typeof text === 'string' && text !== '') as string | undefined;
    switch (knownKind) {
      case 'VariableAssignment': {
        const name = typeof value?.name === 'string' ? value.name : typeof value?.id === 'string' ? value.id : 'unnamed';
        return [
          {
            party: 'copilot',
            kind: 'variable',
            name,
            ...(typeof value?.id === 'string' ? { id: value.id } : {}),
            ...(typeof value?.type === 'string' ? { scope: value.type } : {}),
            value: value?.newValue ?? null,
            source,
          },
        ];
      }
      case 'SessionInfo': {
        const outcome = typeof value?.outcome === 'string' ? value.outcome : undefined;
        const type = typeof value?.type === 'string' ? value.type : undefined;
        return [{ party: 'system', kind: 'closure', ...(outcome ? { reason: outcome } : {}), ...(type ? { detail: type } : {}), source }];
      }
      case 'DialogTracing':
        return this.#topics(activity, source);
      case botStateValueType:
        return [{ party, kind: 'event', name: label ?? 'BotState', activityType: 'trace', source }];
      default:
        return [eventEntry(party, label ?? 'trace', 'trace', activity.value, source)];
    }
  }

  #members(activity: Activity): Record<string, string[]> {
    const names = (members: unknown) =>
      (Array.isArray(members) ? members : []).map((member) => {
        const record = asRecord(member);
        const id = typeof record?.id === 'string' ? record.id : '';
        if (this.roles.userIds.has(id)) this.people.addPerson(record?.name);
        return typeof record?.name === 'string' ? record.name : id;
      });
    const value: Record<string, string[]> = {};
    if (Array.isArray(activity.membersAdded)) value.membersAdded = names(activity.membersAdded);
    if (Array.isArray(activity.membersRemoved)) value.membersRemoved = names(activity.membersRemoved);
    return value;
  }
}

function eventEntry(party: RecordingParty, name: string, activityType: string, value: unknown, source: EntrySource): DraftEntry {
  return { party, kind: 'event', name, activityType, ...(value !== undefined ? { value } : {}), source };
}

/**
 * `channelData.tags` of an Azure bot's reply behind D365: a JSON string `{type: "Escalate" |
 * "EndConversation", context}` (d365-omnichannel.md §6.3). Any other tags are not a directive.
 */
export function escalationDirective(tags: unknown): { type: 'Escalate' | 'EndConversation'; context: Record<string, unknown> } | undefined {
  if (typeof tags !== 'string' || !tags.trimStart().startsWith('{')) return undefined;
  try {
    const parsed = asRecord(JSON.parse(tags));
    if (parsed?.type === 'Escalate' || parsed?.type === 'EndConversation') {
      return { type: parsed.type, context: { ...(asRecord(parsed.context) ?? {}) } };
    }
  } catch {
    // Not JSON: an ordinary tag list.
  }
  return undefined;
}

export function summarizeAttachments(attachments: unknown): AttachmentSummary[] {
  if (!Array.isArray(attachments)) return [];
  return attachments.flatMap((attachment) => {
    const record = asRecord(attachment);
    if (!record) return [];
    const contentType = [record.contentType, record.fileType, record.type].find((value) => typeof value === 'string' && value !== '') as string | undefined;
    return [{ contentType: contentType ?? 'unknown', ...(typeof record.name === 'string' && record.name !== '' ? { name: record.name } : {}) }];
  });
}

export function suggestedActionTitles(suggested: unknown): string[] {
  const actions = asRecord(suggested)?.actions;
  if (!Array.isArray(actions)) return [];
  return actions.flatMap((action) => {
    const record = asRecord(action);
    const title = [record?.title, record?.value, record?.text].find((value) => typeof value === 'string' && value !== '');
    return typeof title === 'string' ? [title] : [];
  });
}

/** `cr3e5_testCopilot.topic.Search` → `Search`. */
function topicName(topicId: string): string {
  const marker = '.topic.';
  const at = topicId.lastIndexOf(marker);
  return at >= 0 ? topicId.slice(at + marker.length) : topicId;
}

function isUserRole(role: unknown): boolean {
  return role === 'user' || role === 1;
}

function isBotRole(role: unknown): boolean {
  return role === 'bot' || role === 'skill' || role === 0;
}

export function asRecord(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  return typeof value === 'string' ? `the string ${quote(value, 30)}` : `the ${typeof value} ${String(value)}`;
}
