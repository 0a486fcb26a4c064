import type { TimelineEntry } from '../sim/timeline';
import { assertionOf } from './cucumber-reports';
import { describeEvent } from './model-coverage';
import type { Redactor } from './redaction';
import { clockTime, htmlEscaper, milliseconds, offset, page, statusBadge, type Html } from './report-html';
import { reproduceCommand, type RunResult, type ScenarioResult } from './run-result';

export interface ConversationReportOptions {
  redactor: Redactor;
  /** Failure bundle files (relative to the reports folder) by scenario anchor. */
  bundles?: ReadonlyMap<string, string>;
  title?: string;
}

const lanes = ['customer', 'copilot', 'routing', 'agent', 'system'] as const;

/**
 * conversations.html: every scenario as the customer and the agent lived it. What the customer saw
 * beside what the agent received, the swimlane timeline on virtual time, the lifecycle states, the
 * routing explanation, the variables handed off, and for a failure the failing step with its assertion
 * and the command that reproduces it. One file, no script, nothing fetched.
 */
export function renderConversationReport(run: RunResult, options: ConversationReportOptions): string {
  const h = htmlEscaper(options.redactor);
  const title = options.title ?? 'Handoff conversations';
  const parts: string[] = [];
  parts.push(`<header class="run"><h1>${h(title)}</h1><div class="counts">${countsLine(run, h)} <a href="index.html">Summary</a></div>`);
  if (run.interruption) parts.push(`<div class="failure">${h(run.interruption)}</div>`);
  parts.push('</header><main>');
  for (const feature of run.features) {
    parts.push(`<h2 class="feature">${h(feature.name)} <span class="muted">${h(feature.uri)}</span></h2>`);
    for (const scenario of feature.scenarios) parts.push(renderScenario(scenario, options.bundles?.get(scenario.anchor), options.redactor, h));
  }
  parts.push('</main>');
  return page(title, parts.join('\n'), h);
}

export function countsLine(run: RunResult, h: Html): string {
  const { passed, failed, skipped } = run.counts;
  return `<span><b>${run.scenarios.length}</b> scenarios</span><span class="badge status-passed">${passed} passed</span> <span class="badge status-failed">${failed} failed</span> <span class="badge status-skipped">${skipped} skipped</span>${run.durationMs === undefined ? '' : ` <span class="muted">${h(milliseconds(run.durationMs))}</span>`}`;
}

function renderScenario(scenario: ScenarioResult, bundle: string | undefined, redactor: Redactor, h: Html): string {
  const failed = scenario.status !== 'passed' && scenario.status !== 'skipped';
  const entries = scenario.timeline?.entries ?? [];
  const out: string[] = [];
  out.push(`<section class="scenario${failed ? ' failed' : ''}" id="${h(scenario.anchor)}" data-status="${h(scenario.status)}">`);
  out.push(`<header><h2>${h(scenario.name)}</h2>${statusBadge(scenario.status, h)}<span class="muted">${h(`${scenario.uri}:${scenario.line}`)} · ${h(milliseconds(scenario.durationMs))}${scenario.seed === undefined ? '' : ` · seed ${h(scenario.seed)}`}</span>${scenario.tags.length ? ` <span class="muted">${h(scenario.tags.join(' '))}</span>` : ''}</header>`);
  if (failed) {
    const step = scenario.failedStep;
    out.push('<div class="failure" role="alert">');
    if (step) {
      out.push(`<div class="step">${h(step.hook ? step.text : `${step.keyword} ${step.text}`)}${step.line ? ` <span class="muted">(line ${h(step.line)})</span>` : ''} — ${h(step.status)}</div>`);
      out.push(`<pre class="assertion">${h(step.message ? assertionOf(step.message) : 'No step definition matches this step.')}</pre>`);
    }
    out.push(`<div class="reproduce">Reproduce: <code>${h(reproduceCommand(scenario))}</code>${bundle ? ` · failure bundle <a href="${h(bundle)}">${h(bundle)}</a>` : ''}</div>`);
    out.push('</div>');
  }
  out.push(`<ol class="steps">${scenario.steps.map((step) => `<li class="step-${h(step.status)}"${step === scenario.failedStep ? ' data-failing="true"' : ''}>${h(step.hook ? step.text : `${step.keyword} ${step.text}`)} <span class="muted">${h(step.status)}</span></li>`).join('')}</ol>`);
  if (entries.length === 0) {
    out.push('<p class="muted">No timeline: the scenario ended before anything happened.</p>');
  } else {
    out.push(renderViews(entries, h));
    out.push(renderStates(entries, h));
    out.push(renderRouting(entries, h));
    out.push(renderVariables(entries, redactor, h));
    out.push(renderSwimlanes(entries, h));
  }
  out.push('</section>');
  return out.join('\n');
}

function renderViews(entries: readonly TimelineEntry[], h: Html): string {
  // The customer's column is the conversation as the customer can see it: every public message, marked
  // when the customer's client actually fetched it (a scenario that never reads leaves some unfetched).
  const customer = new Map<string, { from: string; text: string; at: number; fetched: boolean }>();
  const agents = new Map<string, string[]>();
  for (const entry of entries) {
    if (entry.kind === 'message.sent' && !/private|hidden/i.test(entry.tags ?? '')) {
      if (!customer.has(entry.messageId)) customer.set(entry.messageId, { from: entry.from, text: entry.text, at: entry.at, fetched: false });
    } else if (entry.kind === 'message.delivered' && entry.to === 'customer') {
      const known = customer.get(entry.messageId);
      if (known) known.fetched = true;
      else customer.set(entry.messageId, { from: entry.from, text: entry.text, at: entry.at, fetched: true });
    } else if (entry.kind === 'message.delivered' && entry.to === 'agent') {
      const list = agents.get(entry.reader) ?? [];
      list.push(`<div class="bubble from-${h(entry.from)}"><span class="who">${h(entry.from)} · ${h(clockTime(entry.at))}</span>${h(entry.text)}</div>`);
      agents.set(entry.reader, list);
    }
  }
  const customerBubbles = [...customer.values()].map(
    (m) => `<div class="bubble from-${h(m.from)}${m.fetched ? '' : ' unfetched'}"><span class="who">${h(m.from)} · ${h(clockTime(m.at))}${m.fetched ? '' : ' · not fetched by the client'}</span>${h(m.text)}</div>`,
  );
  const notes = entries
    .filter((e): e is Extract<TimelineEntry, { kind: 'handoff.requested' }> => e.kind === 'handoff.requested' && Boolean(e.agentMessage))
    .map((e) => `<div class="bubble note"><span class="who">message to agent (private)</span>${h(e.agentMessage)}</div>`);
  const agentColumn =
    agents.size === 0
      ? `<h3>Agent</h3>${notes.join('')}<p class="muted">No agent received the conversation.</p>`
      : [...agents].map(([reader, bubbles]) => `<h3>Agent ${h(reader)}</h3>${notes.join('')}${bubbles.join('')}`).join('');
  return `<h3>What the customer saw, and what the agent received</h3><div class="views"><div class="view customer-view"><h3>Customer</h3>${customerBubbles.join('') || '<p class="muted">Nothing was said in the conversation.</p>'}</div><div class="view agent-view">${agentColumn}</div></div>`;
}

function renderStates(entries: readonly TimelineEntry[], h: Html): string {
  const paths = new Map<string, string[]>();
  for (const entry of entries) {
    if (entry.kind !== 'state.changed') continue;
    const key = entry.machine === 'agent' ? `agent ${entry.id}` : entry.machine === 'workItem' ? 'work item' : 'conversation';
    const parts = paths.get(key) ?? [];
    if (parts.length === 0) parts.push(`<span class="state">${h(entry.to)}</span>`);
    else parts.push(`<span class="arrow" title="${h(entry.event)}">→ ${h(describeEvent(entry.event))}${entry.reason ? ` (${h(entry.reason)})` : ''} →</span><span class="state">${h(entry.to)}</span>`);
    paths.set(key, parts);
  }
  if (paths.size === 0) return '';
  return `<h3>Lifecycle states</h3>${[...paths].map(([key, parts]) => `<div class="states"><b>${h(key)}</b>: ${parts.join('')}</div>`).join('')}`;
}

function renderRouting(entries: readonly TimelineEntry[], h: Html): string {
  const decisions = entries.filter((e): e is Extract<TimelineEntry, { kind: 'routing.decided' }> => e.kind === 'routing.decided');
  if (decisions.length === 0) return '';
  return `<h3>Routing explanation</h3>${decisions
    .map((d) => `<div class="routing"><b>${h(clockTime(d.at))} ${h(d.step)}</b>: ${h(d.outcome)}<ul>${d.explanation.map((line) => `<li>${h(line)}</li>`).join('')}</ul></div>`)
    .join('')}`;
}

function renderVariables(entries: readonly TimelineEntry[], redactor: Redactor, h: Html): string {
  const handedOff: Record<string, unknown> = {};
  const context: Record<string, unknown> = {};
  for (const entry of entries) {
    if (entry.kind === 'handoff.requested') Object.assign(handedOff, entry.variables);
    if (entry.kind === 'context.updated') Object.assign(context, entry.variables);
  }
  const safeHandedOff = redactor.value(handedOff);
  const safeContext = redactor.value(context);
  const names = [...new Set([...Object.keys(safeHandedOff), ...Object.keys(safeContext)])].sort();
  if (names.length === 0) return '';
  const cell = (value: unknown) => (value === undefined ? '<span class="muted">—</span>' : h(typeof value === 'string' ? value : JSON.stringify(value)));
  return `<h3>Variables handed off</h3><table class="variables"><thead><tr><th>variable</th><th>sent by the copilot</th><th>context variable in Dynamics 365</th></tr></thead><tbody>${names
    .map((name) => `<tr><td>${h(name)}</td><td>${cell(safeHandedOff[name])}</td><td>${cell(safeContext[name])}</td></tr>`)
    .join('')}</tbody></table>`;
}

function renderSwimlanes(entries: readonly TimelineEntry[], h: Html): string {
  const start = entries[0]?.at ?? 0;
  const rows: string[] = [];
  let wire = 0;
  for (const entry of entries) {
    if (entry.kind === 'wire.request') {
      wire += 1;
      continue;
    }
    const lane = (lanes as readonly string[]).includes(entry.party) ? entry.party : 'system';
    // One cell per entry, placed in its lane's column by its class (report-html.ts): no empty cells.
    rows.push(`<div class="time">${h(clockTime(entry.at))} ${h(offset(entry.at - start))}</div><div class="lane-${lane}">${h(describeEntry(entry))}</div>`);
  }
  return `<h3>Timeline <span class="muted">(virtual time${wire ? `; ${wire} wire requests not shown` : ''})</span></h3><div class="swimlanes"><div class="lane-head">time</div>${lanes.map((lane) => `<div class="lane-head lane-${lane}">${lane}</div>`).join('')}${rows.join('')}</div>`;
}

/** One line per entry, in the words of the lanes; kinds this version does not know still show their fields. */
function describeEntry(entry: TimelineEntry): string {
  switch (entry.kind) {
    case 'message.sent':
      return `${entry.sender}: "${entry.text}"${entry.tags ? ` [${entry.tags}]` : ''}`;
    case 'message.delivered':
      return `${entry.reader} receives "${entry.text}"`;
    case 'event.sent':
      return `event ${entry.name} (${entry.channel})`;
    case 'event.delivered':
      return `client receives event ${entry.name}`;
    case 'handoff.requested':
      return `hands off (${Object.keys(entry.variables).length} variables, transcript of ${entry.transcriptLength})`;
    case 'context.updated':
      return `context: ${Object.keys(entry.variables).join(', ')}`;
    case 'topic.triggered':
      return `topic "${entry.topic}" (${entry.trigger})`;
    case 'routing.decided':
      return `${entry.step}: ${entry.outcome}`;
    case 'state.changed':
      return `${entry.machine === 'agent' ? `agent ${entry.id}` : entry.machine}: ${entry.from} → ${entry.to} on ${describeEvent(entry.event)}${entry.reason ? ` (${entry.reason})` : ''}`;
    case 'timer.fired':
      return `timer ${entry.timer} fired`;
    case 'problem':
      return `problem: ${entry.message}`;
    case 'session.changed':
      return `session of ${entry.participant} (${entry.mode}) ${entry.change}${entry.reason ? ` (${entry.reason})` : ''}`;
    default: {
      const { seq: _seq, at: _at, party: _party, conversationId: _conversationId, kind, ...rest } = entry as TimelineEntry & Record<string, unknown>;
      return `${kind} ${JSON.stringify(rest)}`;
    }
  }
}
