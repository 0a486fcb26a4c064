import { ScenarioError } from '../sim/errors';
import { formatTimeline, type TimelineEntry } from '../sim/timeline';

/**
 * Assertions over the timeline. They are pure functions of the entries, so a test can feed them a
 * broken timeline and watch them fail; each failure prints what was expected, what happened, and the
 * slice of the timeline that matters.
 */
export class ExpectationError extends ScenarioError {}

export interface HistoryLine {
  from: 'customer' | 'copilot' | 'agent' | 'system';
  text: string;
}

type Entries = readonly TimelineEntry[];

/** What the customer's client received over its own wire, oldest first. */
export function customerView(entries: Entries, conversationId: string): HistoryLine[] {
  return entries
    .filter((e): e is Extract<TimelineEntry, { kind: 'message.delivered' }> => e.kind === 'message.delivered' && e.to === 'customer' && e.conversationId === conversationId)
    .map((e) => ({ from: e.from, text: e.text }));
}

/** What an agent's panel received for a conversation, oldest first. */
export function agentView(entries: Entries, conversationId: string, agent: string): HistoryLine[] {
  return entries
    .filter((e): e is Extract<TimelineEntry, { kind: 'message.delivered' }> => e.kind === 'message.delivered' && e.to === 'agent' && e.reader === agent && e.conversationId === conversationId)
    .map((e) => ({ from: e.from, text: e.text }));
}

/** The conversation as it was said: customer and copilot messages posted before the agent joined. */
export function historyBeforeAgent(entries: Entries, conversationId: string, agent?: string): HistoryLine[] {
  // The agent's own join when known (after a transfer the new agent joins later), else the first agent's.
  const joinedSession = agent === undefined ? undefined : entries.find((e) => e.kind === 'session.changed' && e.conversationId === conversationId && e.participant === agent && e.change === 'joined');
  const joined = joinedSession ?? entries.find((e) => e.kind === 'state.changed' && e.machine === 'conversation' && e.conversationId === conversationId && e.to === 'withAgent');
  const limit = joined?.seq ?? Number.POSITIVE_INFINITY;
  return entries
    .filter(
      (e): e is Extract<TimelineEntry, { kind: 'message.sent' }> =>
        e.kind === 'message.sent' && e.conversationId === conversationId && e.seq < limit && (e.from === 'customer' || e.from === 'copilot' || (e.from === 'agent' && e.tags !== 'private')),
    )
    .map((e) => ({ from: e.from, text: e.text }));
}

export function expectFullHistory(entries: Entries, conversationId: string, agent: string): void {
  const expected = historyBeforeAgent(entries, conversationId, agent);
  if (expected.length === 0) fail(`Agent "${agent}" cannot receive the history: no customer or copilot message was sent before the agent joined.`, entries, conversationId);
  expectHistory(entries, conversationId, agent, expected);
}

export function expectHistory(entries: Entries, conversationId: string, agent: string, expected: readonly HistoryLine[]): void {
  const received = agentView(entries, conversationId, agent).slice(0, expected.length);
  const mismatch = expected.findIndex((line, index) => received[index]?.from !== line.from || received[index]?.text !== line.text);
  if (mismatch === -1 && received.length === expected.length) return;
  const at = mismatch === -1 ? received.length : mismatch;
  fail(
    `Agent "${agent}" did not receive the full history in order: line ${at + 1} differs.\n` +
      `  expected (${expected.length} messages):\n${lines(expected)}\n  received (${received.length} messages):\n${lines(received)}`,
    entries,
    conversationId,
  );
}

export function expectCustomerSaw(entries: Entries, conversationId: string, text: string): void {
  const seen = customerView(entries, conversationId);
  if (seen.some((line) => normalize(line.text) === normalize(text))) return;
  fail(`The customer did not see "${text}".\n  the customer saw:\n${lines(seen) || '    (nothing)'}`, entries, conversationId);
}

export function expectCustomerDidNotSee(entries: Entries, conversationId: string, text: string): void {
  const seen = customerView(entries, conversationId);
  if (!seen.some((line) => normalize(line.text) === normalize(text))) return;
  fail(`The customer saw "${text}", which should not have reached them.`, entries, conversationId);
}

/** The context variables Dynamics 365 holds for the conversation: every update merged, latest wins. */
export function contextVariables(entries: Entries, conversationId: string): Record<string, string> {
  const merged: Record<string, string> = {};
  for (const entry of entries) {
    if (entry.kind === 'context.updated' && entry.conversationId === conversationId) Object.assign(merged, entry.variables);
  }
  return merged;
}

export function expectContextVariable(entries: Entries, conversationId: string, name: string, value: string): void {
  const variables = contextVariables(entries, conversationId);
  if (!(name in variables)) {
    const known = Object.keys(variables).sort();
    fail(`Dynamics 365 received no context variable "${name}". It received: ${known.length > 0 ? known.join(', ') : 'none'}.`, entries, conversationId);
  }
  if (variables[name] !== value) fail(`The context variable "${name}" received by Dynamics 365 is "${variables[name]}", not "${value}".`, entries, conversationId);
}

export function expectRoutedToQueue(entries: Entries, conversationId: string, queue: string): void {
  const decisions = entries.filter((e): e is Extract<TimelineEntry, { kind: 'routing.decided' }> => e.kind === 'routing.decided' && (e.step === 'route-to-queue' || e.step === 'overflow' || e.step === 'transfer') && e.conversationId === conversationId && e.queue !== undefined && e.queue !== 'copilot' && e.agent === undefined);
  const last = decisions.at(-1);
  if (last?.queue === queue) return;
  const explanation = last ? routingExplanation(entries, conversationId) : '    (routing to a human queue never ran: the conversation was not escalated)';
  fail(`The conversation was routed to ${last ? `queue "${last.queue}"` : 'no queue'}, not to queue "${queue}".\n  routing explanation:\n${explanation}`, entries, conversationId);
}

export function currentState(entries: Entries, machine: 'conversation' | 'workItem' | 'agent', id: string): { state: string; reason?: string } | undefined {
  for (let index = entries.length - 1; index >= 0; index -= 1) {
    const entry = entries[index]!;
    if (entry.kind === 'state.changed' && entry.machine === machine && entry.id === id) return { state: entry.to, reason: entry.reason };
  }
  return undefined;
}

export function expectOffered(entries: Entries, conversationId: string, agent: string): void {
  const state = currentState(entries, 'conversation', conversationId);
  const offers = entries.filter((e): e is Extract<TimelineEntry, { kind: 'routing.decided' }> => e.kind === 'routing.decided' && (e.step === 'assignment' || e.step === 'transfer' || e.step === 'supervisor') && e.conversationId === conversationId);
  const last = offers.at(-1);
  if (state?.state === 'offered' && last?.agent === agent) return;
  const explanation = last ? routingExplanation(entries, conversationId) : '    (no assignment was attempted)';
  fail(
    `Agent "${agent}" is not being offered the conversation: it is ${state?.state ?? 'not started'}${last?.agent ? `, last offered to ${last.agent}` : ''}.\n  assignment explanation:\n${explanation}`,
    entries,
    conversationId,
  );
}

export function expectConversationState(entries: Entries, conversationId: string, state: string): void {
  const current = currentState(entries, 'conversation', conversationId);
  if (current?.state === state) return;
  fail(`The conversation is ${current?.state ?? 'not started'}, not ${state}.`, entries, conversationId);
}

export function expectClosedWithReason(entries: Entries, conversationId: string, reason: string): void {
  const current = currentState(entries, 'conversation', conversationId);
  if (current?.state === 'closed' && current.reason === reason) return;
  fail(
    current?.state === 'closed'
      ? `The conversation was closed with reason "${current.reason}", not "${reason}".`
      : `The conversation is not closed: it is ${current?.state ?? 'not started'}. Expected it closed with reason "${reason}".`,
    entries,
    conversationId,
  );
}

const workItemLabels: Record<string, string> = { open: 'Open', active: 'Active', wrapUp: 'Wrap-up', closed: 'Closed', waiting: 'Waiting' };

export function workItemStatus(entries: Entries, conversationId: string): { status: string; reason?: string } | undefined {
  const current = currentState(entries, 'workItem', conversationId);
  if (!current) return undefined;
  return { status: workItemLabels[current.state.split('.')[0]!] ?? current.state, reason: current.reason };
}

export function expectWorkItemStatus(entries: Entries, conversationId: string, status: string, reason?: string): void {
  const current = workItemStatus(entries, conversationId);
  if (current?.status === status && (reason === undefined || current.reason === reason)) return;
  fail(
    `The work item is ${current ? `${current.status} (${current.reason})` : 'not created'}, not ${status}${reason ? ` (${reason})` : ''}.`,
    entries,
    conversationId,
  );
}

export function expectEventDelivered(entries: Entries, conversationId: string, name: string): Record<string, unknown> {
  const event = entries.find((e): e is Extract<TimelineEntry, { kind: 'event.delivered' }> => e.kind === 'event.delivered' && e.conversationId === conversationId && e.name === name);
  if (!event) {
    const received = entries.filter((e) => e.kind === 'event.delivered' && e.conversationId === conversationId).map((e) => (e as { name: string }).name);
    fail(`The customer's client did not receive the "${name}" event. It received: ${received.join(', ') || 'no events'}.`, entries, conversationId);
  }
  return (event.value ?? {}) as Record<string, unknown>;
}

/** Dynamics 365 never had a work item: nothing was routed and no agent could be offered anything. */
export function expectNoWorkItem(entries: Entries, conversationId: string): void {
  const dynamics = entries.filter((e) => (e.kind === 'state.changed' && e.machine === 'workItem') || e.kind === 'routing.decided');
  if (dynamics.length === 0) return;
  fail(`Dynamics 365 received a conversation (${dynamics.length} routing or work item entries), though the customer used Copilot Studio's embed code.`, entries, conversationId);
}

function normalize(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function lines(history: readonly HistoryLine[]): string {
  return history.map((line, index) => `    ${String(index + 1).padStart(2)}. ${line.from.padEnd(8)} ${line.text}`).join('\n');
}

function fail(message: string, entries: Entries, conversationId: string): never {
  const slice = entries.filter((e) => e.conversationId === conversationId || e.conversationId === undefined);
  throw new ExpectationError(`${message}\n  timeline (virtual time):\n${formatTimeline(slice)}`);
}

type RoutingEntry = Extract<TimelineEntry, { kind: 'routing.decided' }>;

/** Every routing decision of a conversation with its explanation, oldest first, as a failure prints it. */
export function routingExplanation(entries: Entries, conversationId: string): string {
  const decisions = entries.filter((e): e is RoutingEntry => e.kind === 'routing.decided' && e.conversationId === conversationId);
  if (decisions.length === 0) return '    (no routing decision was made)';
  return decisions.map((d) => `    ${d.step}: ${d.outcome}\n${d.explanation.map((line) => `      - ${line}`).join('\n')}`).join('\n');
}

/** Some routing decision of the conversation explains itself with `text` (case and spacing ignored). */
export function expectRoutingExplanationSays(entries: Entries, conversationId: string, text: string): void {
  const wanted = normalize(text).toLowerCase();
  const found = entries.some(
    (e) => e.kind === 'routing.decided' && e.conversationId === conversationId && [e.outcome, ...e.explanation].some((line) => normalize(line).toLowerCase().includes(wanted)),
  );
  if (found) return;
  fail(`No routing explanation says "${text}".\n  routing explanation:\n${routingExplanation(entries, conversationId)}`, entries, conversationId);
}

/** The latest session (`msdyn_ocsession`) of a participant was closed with `reason`. */
export function expectSessionClosed(entries: Entries, conversationId: string, participant: string, reason: string): void {
  const sessions = entries.filter((e): e is Extract<TimelineEntry, { kind: 'session.changed' }> => e.kind === 'session.changed' && e.conversationId === conversationId && e.participant === participant);
  const closed = sessions.filter((e) => e.change === 'closed');
  const last = closed.at(-1);
  if (closed.some((e) => e.reason === reason)) return;
  const seen = sessions.map((e) => `${e.change}${e.reason ? ` (${e.reason})` : ''}`).join(', ');
  fail(
    `The session of ${participant} was ${last ? `closed with reason "${last.reason}"` : sessions.length > 0 ? 'not closed' : 'never created'}, not closed with "${reason}".\n  ${participant}'s sessions: ${seen || 'none'}`,
    entries,
    conversationId,
  );
}

/** One row of the supervisor's Ongoing Conversations view, as a scenario names it. */
export interface OngoingConversationRow {
  customer: string;
  status: string;
  queue?: string;
  agent?: string;
}

function table(rows: ReadonlyArray<object>, columns: readonly string[]): string {
  return rows.map((row) => `    | ${columns.map((c) => String((row as Record<string, unknown>)[c] ?? '')).join(' | ')} |`).join('\n') || '    (none)';
}

/** The ongoing conversations the supervisor sees are exactly `expected` (order ignored; empty cells ignored). */
export function expectOngoingConversations(actual: readonly OngoingConversationRow[], expected: readonly OngoingConversationRow[], entries: Entries, conversationId: string): void {
  const columns = ['customer', 'status', 'queue', 'agent'] as const;
  const matches = (a: OngoingConversationRow, e: OngoingConversationRow) => columns.every((c) => !e[c] || a[c] === e[c]);
  const missing = expected.filter((e) => !actual.some((a) => matches(a, e)));
  if (missing.length === 0 && actual.length === expected.length) return;
  fail(
    `The supervisor's ongoing conversations differ from the expected ${expected.length} rows.\n  expected:\n${table(expected, columns)}\n  the supervisor sees:\n${table(actual, columns)}`,
    entries,
    conversationId,
  );
}

export function expectQueueView(actual: { waiting: number; longestWaitMs: number } | undefined, queue: string, waiting: number, longestWaitMs: number | undefined, entries: Entries, conversationId: string): void {
  if (actual && actual.waiting === waiting && (longestWaitMs === undefined || actual.longestWaitMs === longestWaitMs)) return;
  const seen = actual ? `${actual.waiting} waiting, longest wait ${Math.round(actual.longestWaitMs / 1000)} s` : 'no such queue';
  fail(`The supervisor sees queue "${queue}" with ${seen}, not ${waiting} waiting${longestWaitMs === undefined ? '' : `, longest wait ${Math.round(longestWaitMs / 1000)} s`}.`, entries, conversationId);
}

export interface AgentOccupancyRow {
  agent: string;
  presence?: string;
  used?: number;
  capacity?: number;
}

export function expectAgentOccupancy(actual: ReadonlyArray<{ agent: string; presence: string; used: number; capacity: number }>, expected: readonly AgentOccupancyRow[], entries: Entries, conversationId: string): void {
  const wrong = expected.filter((e) => {
    const a = actual.find((row) => row.agent === e.agent);
    return !a || (e.presence !== undefined && a.presence !== e.presence) || (e.used !== undefined && a.used !== e.used) || (e.capacity !== undefined && a.capacity !== e.capacity);
  });
  if (wrong.length === 0) return;
  const columns = ['agent', 'presence', 'used', 'capacity'];
  const text = (rows: ReadonlyArray<object>) => table(rows, columns);
  fail(`The supervisor sees different agent occupancy for ${wrong.map((w) => `"${w.agent}"`).join(', ')}.\n  expected:\n${text(expected)}\n  the supervisor sees:\n${text(actual)}`, entries, conversationId);
}
