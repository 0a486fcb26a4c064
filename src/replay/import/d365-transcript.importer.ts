import type { DraftEntry, EntrySource, MessageVisibility, RecordingParty } from '../recording';
import { asRecord, describe, escalationDirective, summarizeAttachments, suggestedActionTitles, type ImportContext, type ImportedConversation } from './activity-reader';
import { singleDocument } from './bf-transcript.importer';
import { parseJsonDocuments, type JsonDocument } from './json-documents';
import { PeopleRegister } from './personal-data';
import { RecordingImportError, quote } from './recording-import-error';
import { readTimestamp, type SourceRecord } from './timeline';

/** One list of transcript messages and how to name a position in it. */
interface MessageList {
  messages: unknown[];
  prefix: string;
}

type Message = Record<string, unknown>;

/**
 * Tags a D365 message may carry (d365-omnichannel.md §3.3, §8), lowercased; tags that start with one
 * of `knownTagPrefixes` carry a value. Anything else is reported once per tag and otherwise ignored.
 */
const knownTags = new Set([
  'system',
  'public',
  'private',
  'hidden',
  'fromcustomer',
  'agentendconversation',
  'supervisorforceclosedconversation',
  'queueposition',
  'averagewaittime',
  'startconversationalsurvey',
  'endconversationalsurvey',
  'omnichannelcontextmessage',
]);
const knownTagPrefixes = ['channelid-', 'messageid-', 'parentid-', 'rtt-'];
const closingTags = ['agentendconversation', 'supervisorforceclosedconversation'];

/**
 * A Dynamics 365 conversation transcript (d365-omnichannel.md §8): the messages array (newest first),
 * the live transcript API response `{ chatMessagesJson: "<JSON string>" }`, or the stored
 * `msdyn_transcript` annotation whose `documentbody` is that JSON in base64 (also inside a Web API
 * `{ value: [annotation] }` response).
 *
 * The copilot and the agents share the thread; they are told apart by tags: representatives' messages
 * carry `public` (or `private` for internal notes), the copilot's carry neither, system messages carry
 * `system` (§3.3).
 */
export function importD365Transcript(documents: JsonDocument[], context: ImportContext): ImportedConversation {
  const { value } = singleDocument(documents, context, 'a Dynamics 365 transcript');
  const lists = messageLists(value, '', context);
  const reader = new MessageReader(context);
  const records: SourceRecord[] = [];
  let index = 0;
  for (const list of lists) {
    list.messages.forEach((message, listIndex) => {
      records.push(reader.read(message, `${list.prefix}[${listIndex}]`, { index }));
      index += 1;
    });
  }
  reader.finish();
  countTranscriptBeforeHandoffs(records);
  return {
    records,
    expectedOrder: 'newest-first',
    people: reader.people,
    ...(reader.channel ? { channel: reader.channel } : {}),
  };
}

function messageLists(value: unknown, prefix: string, context: ImportContext): MessageList[] {
  if (Array.isArray(value)) return [{ messages: value, prefix }];
  const record = asRecord(value);
  const field = (name: string) => (prefix ? `${prefix}.${name}` : name);
  if (record && 'chatMessagesJson' in record) {
    const json = record.chatMessagesJson;
    if (Array.isArray(json)) return [{ messages: json, prefix: field('chatMessagesJson') }];
    if (typeof json === 'string') {
      const inner = parseJsonDocuments(json, context.file, field('chatMessagesJson'));
      if (inner.length === 1 && Array.isArray(inner[0]?.value)) return [{ messages: inner[0].value, prefix: field('chatMessagesJson') }];
    }
    throw new RecordingImportError(
      context.file,
      field('chatMessagesJson'),
      `chatMessagesJson should be a JSON array of messages (as a string), and it holds ${describe(json)}`,
      'Save the getChatTranscripts response unchanged.',
    );
  }
  if (record && 'documentbody' in record) {
    const body = record.documentbody;
    if (typeof body !== 'string' || !/^[A-Za-z0-9+/=\s]*$/.test(body)) {
      throw new RecordingImportError(
        context.file,
        field('documentbody'),
        `the annotation's documentbody should be base64 text, and it holds ${typeof body === 'string' ? 'characters outside the base64 alphabet' : describe(body)}`,
        'Export the msdyn_transcript annotation again without decoding or editing documentbody.',
      );
    }
    const decoded = Buffer.from(body, 'base64').toString('utf8');
    const inner = parseJsonDocuments(decoded, context.file, field('documentbody'));
    if (inner.length !== 1) {
      throw new RecordingImportError(context.file, field('documentbody'), `the decoded documentbody holds ${inner.length} JSON values, not one transcript`, 'Export the annotation again.');
    }
    return messageLists(inner[0]?.value, field('documentbody'), context);
  }
  if (record && Array.isArray(record.value)) {
    return record.value.flatMap((row, rowIndex) => messageLists(row, field(`value[${rowIndex}]`), context));
  }
  throw new RecordingImportError(
    context.file,
    prefix || 'file',
    `a Dynamics 365 transcript is an array of messages, { "chatMessagesJson": "..." } or a msdyn_transcript annotation with a base64 documentbody, and this holds ${describe(value)}`,
    'Save the transcript as the live chat API or the annotation returns it, or choose the format that matches the file.',
  );
}

class MessageReader {
  readonly people = new PeopleRegister();
  channel: string | undefined;
  /** Unknown tag → the positions of the messages that carry it. */
  readonly #unknownTags = new Map<string, string[]>();

  constructor(readonly context: ImportContext) {}

  read(value: unknown, position: string, source: EntrySource): SourceRecord {
    const message = asRecord(value);
    if (!message) {
      throw new RecordingImportError(
        this.context.file,
        position,
        `the transcript message is ${describe(value)}, not a JSON object`,
        'Remove it or export the transcript again; every message is an object with created, content, tags and from.',
      );
    }
    const { timeMs, timeProblem } = readTimestamp(message.created ?? message.createdDateTime ?? epochId(message.id));
    const entries = this.#entries(message, position, source);
    return { position, timeMs, ...(timeProblem ? { timeProblem } : {}), embedded: false, entries };
  }

  finish(): void {
    for (const [tag, positions] of this.#unknownTags) {
      const count = positions.length;
      this.context.warnings.add(
        positions[0] as string,
        `The tag ${quote(tag)} is not a known D365 transcript tag (d365-omnichannel.md §3.3, §8) and was ignored on ${count} message${count === 1 ? '' : 's'}; the sender and the other tags decided who spoke.`,
      );
    }
  }

  #entries(message: Message, position: string, source: EntrySource): DraftEntry[] {
    const content = typeof message.content === 'string' ? message.content : '';
    if (message.isControlMessage === true) return [controlEntry(content, source)];

    const directive = escalationDirective(message.tags);
    const tags = directive ? new Set<string>() : this.#tags(message.tags, position);
    const sender = senderOf(message);
    if (directive?.type === 'Escalate') {
      this.people.addCopilot(sender.name);
      return [{ party: 'copilot', kind: 'handoff', via: 'escalate-tags', variables: directive.context, ...(content ? { agentMessage: content } : {}), source }];
    }
    if (directive?.type === 'EndConversation') {
      this.people.addCopilot(sender.name);
      return [{ party: 'copilot', kind: 'closure', reason: 'EndConversation', ...(content ? { detail: content } : {}), source }];
    }

    if (tags.has('system')) {
      const entry = systemEntry(tags, content, source);
      if (entry.kind === 'routing') this.people.addPerson(entry.agent);
      return [entry];
    }
    if (tags.has('omnichannelcontextmessage')) {
      return [{ party: 'system', kind: 'event', name: 'OmnichannelContextMessage', activityType: 'message', value: parseIfJson(content), source }];
    }
    const party = partyOf(tags, sender);
    if (party === 'copilot') this.people.addCopilot(sender.name);
    else this.people.addPerson(sender.name);
    const card = parseCard(content);
    const attachments = [...summarizeAttachments(message.attachments), ...(card?.attachments ?? [])];
    const visibility: MessageVisibility = tags.has('hidden') || message.deliveryMode === 'internal' ? 'hidden' : tags.has('private') ? 'private' : 'public';
    return [
      {
        party,
        kind: 'message',
        text: card ? card.text : content,
        ...(sender.name ? { displayName: sender.name } : {}),
        ...(typeof message.contentType === 'string' ? { textFormat: message.contentType } : {}),
        visibility,
        ...(attachments.length > 0 ? { attachments } : {}),
        ...(card && card.suggestedActions.length > 0 ? { suggestedActions: card.suggestedActions } : {}),
        source,
      },
    ];
  }

  /** Tags are a comma-separated string or a JSON array string (d365-omnichannel.md §3.3). */
  #tags(raw: unknown, position: string): Set<string> {
    let list: unknown[] = [];
    if (Array.isArray(raw)) list = raw;
    else if (typeof raw === 'string' && raw.trimStart().startsWith('[')) {
      try {
        const parsed: unknown = JSON.parse(raw);
        list = Array.isArray(parsed) ? parsed : [];
      } catch {
        list = raw.split(',');
      }
    } else if (typeof raw === 'string') list = raw.split(',');
    const tags = new Set<string>();
    for (const item of list) {
      if (typeof item !== 'string') continue;
      const tag = item.trim();
      if (!tag) continue;
      const lower = tag.toLowerCase();
      tags.add(lower);
      if (lower.startsWith('channelid-')) this.channel ??= tag.slice('channelid-'.length);
      if (!knownTags.has(lower) && !knownTagPrefixes.some((prefix) => lower.startsWith(prefix))) {
        const positions = this.#unknownTags.get(tag) ?? [];
        positions.push(position);
        this.#unknownTags.set(tag, positions);
      }
    }
    return tags;
  }
}

interface Sender {
  name?: string;
  kind: 'user' | 'application' | 'guest' | 'none';
}

/** Representatives are in `from.user`, system senders in `from.application`, legacy customers in `from.guest`. */
function senderOf(message: Message): Sender {
  const from = asRecord(message.from);
  for (const kind of ['user', 'application', 'guest'] as const) {
    const account = asRecord(from?.[kind]);
    if (account) {
      const name = typeof account.displayName === 'string' && account.displayName !== '' ? account.displayName : undefined;
      return { kind, ...(name ? { name } : {}) };
    }
  }
  return { kind: 'none' };
}

/**
 * The widget renders `displayName "Customer"` as the customer whichever account holds it, and the
 * docs sample has a customer under `from.user` (d365-omnichannel.md §8); `public` marks a
 * representative; the copilot's messages carry no such tag (§3.3).
 */
function partyOf(tags: Set<string>, sender: Sender): RecordingParty {
  if (sender.name === 'Customer' || tags.has('fromcustomer') || sender.kind === 'guest') return 'customer';
  if (tags.has('public')) return 'agent';
  if (tags.has('private') && sender.kind === 'user') return 'agent';
  return 'copilot';
}

function systemEntry(tags: Set<string>, content: string, source: EntrySource): DraftEntry {
  const closing = closingTags.find((tag) => tags.has(tag));
  if (closing) return { party: 'system', kind: 'closure', reason: closing, ...(content ? { detail: content } : {}), source };
  if (tags.has('queueposition')) return { party: 'system', kind: 'routing', action: 'queuePosition', ...(content ? { detail: content } : {}), source };
  if (tags.has('averagewaittime')) return { party: 'system', kind: 'routing', action: 'averageWaitTime', ...(content ? { detail: content } : {}), source };
  // The default automated texts name the representative: "Alan Steiner has left the conversation." (§8).
  const roster = /^(.+?) has (joined|left) the conversation\.?$/.exec(content.trim());
  if (roster) {
    return { party: 'system', kind: 'routing', action: roster[2] === 'joined' ? 'agentJoined' : 'agentLeft', agent: roster[1] as string, detail: content, source };
  }
  return { party: 'system', kind: 'message', text: content, visibility: tags.has('hidden') ? 'hidden' : 'public', source };
}

/** Roster changes: `<addmember><eventtime>…</eventtime><target>8:orgid:…</target></addmember>` (§8). */
function controlEntry(content: string, source: EntrySource): DraftEntry {
  const root = /^\s*<([A-Za-z]+)/.exec(content)?.[1];
  const target = /<target>([^<]*)<\/target>/.exec(content)?.[1];
  if (root === 'addmember' || root === 'deletemember') {
    return { party: 'system', kind: 'routing', action: root === 'addmember' ? 'memberAdded' : 'memberRemoved', ...(target ? { detail: target } : {}), source };
  }
  return { party: 'system', kind: 'event', name: root ?? 'control', activityType: 'control', value: content, source };
}

/** Adaptive cards and suggested actions travel as JSON strings in `content` (§8). */
function parseCard(content: string): { text: string; attachments: ReturnType<typeof summarizeAttachments>; suggestedActions: string[] } | undefined {
  if (!content.trimStart().startsWith('{') || !(content.includes('"attachments"') || content.includes('"suggestedActions"'))) return undefined;
  const parsed = asRecord(parseIfJson(content));
  if (!parsed) return undefined;
  return {
    text: typeof parsed.text === 'string' ? parsed.text : '',
    attachments: summarizeAttachments(parsed.attachments),
    suggestedActions: suggestedActionTitles(parsed.suggestedActions),
  };
}

function parseIfJson(content: string): unknown {
  const trimmed = content.trim();
  if (!trimmed.startsWith('{') && !trimmed.startsWith('[')) return content;
  try {
    return JSON.parse(trimmed);
  } catch {
    return content;
  }
}

/** Message ids are epoch milliseconds (d365-omnichannel.md §3.2): a last resort when `created` is missing. */
function epochId(id: unknown): number | undefined {
  return typeof id === 'string' && /^1\d{12}$/.test(id) ? Number(id) : undefined;
}

/**
 * The agent sees the copilot's transcript on escalation (d365-omnichannel.md §6.5): its length is the
 * number of customer and copilot messages before the handoff.
 */
function countTranscriptBeforeHandoffs(records: SourceRecord[]): void {
  for (const record of records) {
    const handoffIndex = record.entries.findIndex((entry) => entry.kind === 'handoff');
    const handoff = record.entries[handoffIndex];
    if (!handoff || handoff.kind !== 'handoff' || record.timeMs === undefined) continue;
    const at = record.timeMs;
    const transcriptLength = records.filter(
      (other) =>
        other !== record &&
        other.timeMs !== undefined &&
        other.timeMs <= at &&
        other.entries.some((entry) => entry.kind === 'message' && (entry.party === 'customer' || entry.party === 'copilot') && entry.visibility !== 'hidden'),
    ).length;
    // Rebuilt rather than assigned so the field sits before `source`, as in every other entry.
    const { source, ...fields } = handoff;
    record.entries[handoffIndex] = { ...fields, transcriptLength, source };
  }
}
