import assert from 'node:assert/strict';
import { test } from 'node:test';
import { renderConversationReport } from '../../src/report/conversation-report';
import { Redactor } from '../../src/report/redaction';
import { summarizeRun } from '../../src/report/run-result';
import { syntheticRun, syntheticTimeline } from '../../src/report/synthetic-run';
import type { TimelineEntry } from '../../src/sim/timeline';

const run = summarizeRun(syntheticRun({ scenarios: 2, failEvery: 2 }));

function withTimeline(entries: TimelineEntry[]) {
  const [first] = run.scenarios;
  return { ...run, features: [{ ...run.features[0]!, scenarios: [{ ...first!, timeline: { version: 1 as const, seed: 1, entries } }] }] };
}

test('text from the conversation is escaped: a customer cannot inject markup into the report', () => {
  const entries = syntheticTimeline('c1').map((entry) => (entry.kind === 'message.sent' && entry.from === 'customer' ? { ...entry, text: '<script>alert("x")</script><img src=x onerror=alert(1)>' } : entry));
  const html = renderConversationReport(withTimeline(entries), { redactor: new Redactor() });
  assert.ok(!html.includes('<script'), 'no script element');
  assert.ok(!html.includes('<img'), 'no image element');
  assert.ok(html.includes('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;'));
});

test('the report writer redacts on its own too, whatever the timeline it is given', () => {
  const entries = syntheticTimeline('c1').map((entry) => (entry.kind === 'context.updated' ? { ...entry, variables: { ...entry.variables, AgentPassword: 'hunter2-hunter2', Note: 'key sk-live-0123456789' } } : entry));
  const html = renderConversationReport(withTimeline(entries), { redactor: new Redactor(['sk-live-0123456789']) });
  assert.ok(!html.includes('hunter2-hunter2'));
  assert.ok(!html.includes('sk-live-0123456789'));
  assert.match(html, /<tr><td>AgentPassword<\/td><td><span class="muted">—<\/span><\/td><td>\[redacted\]<\/td><\/tr>/);
});

test('the swimlanes put each entry in its party\'s lane and leave wire requests out, counted', () => {
  const html = renderConversationReport(withTimeline(syntheticTimeline('c1')), { redactor: new Redactor() });
  const wire = syntheticTimeline('c1').filter((e) => e.kind === 'wire.request').length;
  assert.ok(html.includes(`(virtual time; ${wire} wire requests not shown)`));
  assert.match(html, /<div class="lane-copilot">topic &quot;Billing&quot; \(phrase\)<\/div>/);
  assert.match(html, /<div class="lane-routing">route-to-queue: routed to queue &quot;Billing&quot;/);
  assert.match(html, /<div class="time">09:00:02\.000 \+0:02<\/div><div class="lane-customer">Customer: &quot;I have a billing question&quot;<\/div>/);
});

test('a failed scenario is marked, its failing step flagged and its assertion shown without the timeline slice', () => {
  const html = renderConversationReport(run, { redactor: new Redactor() });
  const failed = run.scenarios.find((s) => s.status === 'failed')!;
  assert.match(html, new RegExp(`<section class="scenario failed" id="${failed.anchor}"`));
  assert.match(html, /<pre class="assertion">Agent &quot;Alice&quot; did not receive the full history in order: line 4 differs\.<\/pre>/);
  assert.match(html, /<li class="step-failed" data-failing="true">Then agent &quot;Alice&quot; receives the full history/);
});
