/**
 * The normalized recording: one ordered timeline of a real conversation, whatever file it came from
 * (a Bot Framework .transcript, a Direct Line activity log, a Copilot Studio Dataverse transcript or a
 * Dynamics 365 transcript), so a developer can replay a production conversation locally.
 *
 * The JSON Schema of this shape is `recording.schema.json` next to this file; each field is explained,
 * with an example, in docs/recording-format.md. Keep the three in step.
 */

/** The input formats the importers read (docs/recording-format.md "Input formats"). */
export const recordingFormats = ['bf-transcript', 'directline', 'dataverse-transcript', 'd365-transcript'] as const;
export type RecordingFormat = (typeof recordingFormats)[number];

/**
 * The channel the conversation ran on, as the input names it (`channelId` of the activities, or the
 * `ChannelId-…` tag of a D365 message). Known values are listed; any other channel id is kept as is.
 */
export type RecordingChannel =
  | 'directline'
  | 'webchat'
  | 'lcw'
  | 'msteams'
  | 'telephony'
  | 'omnichannel'
  | 'emulator'
  | 'pva-studio'
  | (string & {});

/** Who acted. The copilot is the bot; the agent is a human representative after the handoff. */
export type RecordingParty = 'customer' | 'copilot' | 'agent' | 'system';

/** What an entry records. */
export type RecordingEntryKind =
  | 'message'
  | 'event'
  | 'handoff'
  | 'routing'
  | 'closure'
  | 'topic'
  | 'variable'
  | 'typing';

/**
 * Where an entry came from in the input file. `index` is the activity's (or message's) position in
 * the file, counted across every activity list of the file from 0. Activities that arrived inside the
 * Transcript attachment of a handoff also carry their position in that transcript.
 */
export interface EntrySource {
  index: number;
  transcriptIndex?: number;
}

interface EntryCommon<Kind extends RecordingEntryKind> {
  /** ISO-8601 UTC instant, millisecond precision. */
  at: string;
  /** Milliseconds since the recording's `startedAt`. */
  offsetMs: number;
  party: RecordingParty;
  kind: Kind;
}

/** The kind and size of something attached to a message; the content itself is not kept. */
export interface AttachmentSummary {
  contentType: string;
  name?: string;
}

/**
 * `public` is seen by the customer; `private` only by representatives (D365 `private` tag); `hidden`
 * is not rendered at all (D365 `Hidden` tag or `deliveryMode: internal`, d365-omnichannel.md §8).
 */
export type MessageVisibility = 'public' | 'private' | 'hidden';

export interface MessageEntry extends EntryCommon<'message'> {
  text: string;
  /** The sender's display name as the input shows it (pseudonymized unless `keepPii`). */
  displayName?: string;
  textFormat?: string;
  visibility?: MessageVisibility;
  attachments?: AttachmentSummary[];
  /** Titles of the suggested actions (choice buttons) offered with the message. */
  suggestedActions?: string[];
  /** A card submit's payload, when the message carried one. */
  value?: unknown;
  source: EntrySource;
}

export interface EventEntry extends EntryCommon<'event'> {
  /** The event's name; for a trace, its `valueType` (or name or label); for a control message, its root tag. */
  name: string;
  /** The input's own type: `event`, `trace`, `invoke`, `conversationUpdate`, a D365 `control` message, … */
  activityType: string;
  value?: unknown;
  source: EntrySource;
}

export interface HandoffEntry extends EntryCommon<'handoff'> {
  /** How the input expressed the handoff. */
  via: 'handoff.initiate' | 'escalate-tags';
  /** The context handed to the agent: the va_* variables and every custom variable, by their own names. */
  variables: Record<string, unknown>;
  /** The private message to the agent (`va_AgentMessage`, or the escalation summary text). */
  agentMessage?: string;
  /** How many activities of conversation history went to the agent (the Transcript attachment's length). */
  transcriptLength?: number;
  source: EntrySource;
}

export interface RoutingEntry extends EntryCommon<'routing'> {
  /**
   * `memberAdded` / `memberRemoved`: a roster control message (its target id in `detail`);
   * `agentJoined` / `agentLeft`: the system message that names the representative; `queuePosition` /
   * `averageWaitTime`: the automated waiting messages; `handoffStatus`: the hub's `handoff.status`.
   */
  action: 'memberAdded' | 'memberRemoved' | 'agentJoined' | 'agentLeft' | 'queuePosition' | 'averageWaitTime' | 'handoffStatus';
  queue?: string;
  agent?: string;
  /** The status word or the system message text, when there is one. */
  detail?: string;
  source: EntrySource;
}

export interface ClosureEntry extends EntryCommon<'closure'> {
  /** `endOfConversation` code, session outcome, or the D365 tag that ended the conversation. */
  reason?: string;
  detail?: string;
  source: EntrySource;
}

export interface TopicEntry extends EntryCommon<'topic'> {
  /** The topic's short name (`Search` for `cr3e5_testCopilot.topic.Search`). */
  topic: string;
  topicId?: string;
  /** The action kinds the topic ran, in order (`SendActivity`, `ConditionGroup`, …). */
  actions?: string[];
  source: EntrySource;
}

export interface VariableEntry extends EntryCommon<'variable'> {
  name: string;
  /** The qualified id (`Topic.Answer`, `Global.Department`). */
  id?: string;
  /** `local`, `global`, … as the trace says. */
  scope?: string;
  value: unknown;
  source: EntrySource;
}

export interface TypingEntry extends EntryCommon<'typing'> {
  source: EntrySource;
}

export type RecordingEntry =
  | MessageEntry
  | EventEntry
  | HandoffEntry
  | RoutingEntry
  | ClosureEntry
  | TopicEntry
  | VariableEntry
  | TypingEntry;

/** Something the importer repaired or skipped; the recording is still usable. */
export interface RecordingWarning {
  /** Where in the input, in the same words as errors: `activities[4]`, `[12]`, `document 2, activities[0]`. */
  position: string;
  message: string;
}

export interface Recording {
  format: 'handoff-recording';
  version: 1;
  source: { format: RecordingFormat; file: string };
  conversationId?: string;
  channel?: RecordingChannel;
  /** The instant of the earliest entry; every `offsetMs` counts from here. */
  startedAt: string;
  entries: RecordingEntry[];
  warnings: RecordingWarning[];
}

/** An entry before it is placed on the timeline: everything but `at` and `offsetMs`. */
export type DraftEntry = WithoutTime<RecordingEntry>;

/** Omit distributed over the union, so each kind keeps its own fields. */
type WithoutTime<Entry> = Entry extends RecordingEntry ? Omit<Entry, 'at' | 'offsetMs'> : never;
