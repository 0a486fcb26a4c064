import { countsLine } from './conversation-report';
import { cucumberReportFiles } from './cucumber-reports';
import { assertionOf } from './cucumber-reports';
import { describeEvent, type ModelCoverage } from './model-coverage';
import type { Redactor } from './redaction';
import { htmlEscaper, milliseconds, page, statusBadge, type Html } from './report-html';
import { reproduceCommand, type RunResult } from './run-result';

export interface SummaryPageOptions {
  redactor: Redactor;
  coverage: ModelCoverage;
  bundles?: ReadonlyMap<string, string>;
  /** The conversation report's file name, which scenario links point into. */
  conversations?: string;
}

/** index.html: features and scenarios with status and links, failures first in mind, then model coverage. */
export function renderSummaryPage(run: RunResult, options: SummaryPageOptions): string {
  const h = htmlEscaper(options.redactor);
  const conversations = options.conversations ?? 'conversations.html';
  const parts: string[] = [];
  parts.push(`<header class="run"><h1>Handoff scenarios</h1><div class="counts">${countsLine(run, h)}</div>`);
  parts.push(
    `<nav class="toc">Reports: <a href="${h(conversations)}">conversations</a> · <a href="${cucumberReportFiles.html}">cucumber HTML</a> · <a href="${cucumberReportFiles.json}">cucumber JSON</a> · <a href="${cucumberReportFiles.junit}">JUnit XML</a> · <a href="${cucumberReportFiles.messages}">messages (NDJSON)</a> · <a href="coverage.json">model coverage (JSON)</a> · <a href="#coverage">coverage</a></nav>`,
  );
  if (run.interruption) parts.push(`<div class="failure">${h(run.interruption)}</div>`);
  parts.push('</header><main>');

  const failures = run.scenarios.filter((s) => s.status !== 'passed' && s.status !== 'skipped');
  if (failures.length > 0) {
    parts.push('<h2>Failures</h2><table class="failures"><thead><tr><th>scenario</th><th>failing step</th><th>reproduce</th></tr></thead><tbody>');
    for (const scenario of failures) {
      const bundle = options.bundles?.get(scenario.anchor);
      const step = scenario.failedStep;
      parts.push(
        `<tr class="row-failed"><td><a href="${h(conversations)}#${h(scenario.anchor)}">${h(scenario.name)}</a><br><span class="muted">${h(`${scenario.uri}:${scenario.line}`)}</span></td><td>${step ? `${h(step.hook ? step.text : `${step.keyword} ${step.text}`)}<pre>${h(step.message ? firstLines(assertionOf(step.message), 4) : step.status)}</pre>` : ''}</td><td><code>${h(reproduceCommand(scenario))}</code>${bundle ? `<br><a href="${h(bundle)}">failure bundle</a>` : ''}</td></tr>`,
      );
    }
    parts.push('</tbody></table>');
  }

  parts.push('<h2>Features</h2>');
  for (const feature of run.features) {
    const failed = feature.scenarios.filter((s) => s.status !== 'passed' && s.status !== 'skipped').length;
    parts.push(`<h3>${h(feature.name)} <span class="muted">${h(feature.uri)} · ${feature.scenarios.length} scenarios${failed ? `, ${failed} failed` : ''}</span></h3>`);
    parts.push('<table class="scenarios"><thead><tr><th>status</th><th>scenario</th><th>time</th><th>seed</th></tr></thead><tbody>');
    for (const scenario of feature.scenarios) {
      const bad = scenario.status !== 'passed' && scenario.status !== 'skipped';
      parts.push(
        `<tr${bad ? ' class="row-failed"' : ''} data-status="${h(scenario.status)}"><td>${statusBadge(scenario.status, h)}</td><td><a href="${h(conversations)}#${h(scenario.anchor)}">${h(scenario.name)}</a></td><td>${h(milliseconds(scenario.durationMs))}</td><td>${h(scenario.seed ?? '')}</td></tr>`,
      );
    }
    parts.push('</tbody></table>');
  }
  parts.push(renderCoverage(options.coverage, h));
  parts.push('</main>');
  return page('Handoff scenarios', parts.join('\n'), h);
}

function renderCoverage(coverage: ModelCoverage, h: Html): string {
  const out: string[] = ['<h2 id="coverage">Model coverage</h2>'];
  const { states, transitions } = coverage.totals;
  out.push(`<p>${bar(states.covered, states.total)} states ${states.covered} of ${states.total} · ${bar(transitions.covered, transitions.total)} transitions ${transitions.covered} of ${transitions.total}, over ${coverage.scenarios} scenarios. <code>npx handoff coverage --suggest</code> writes Gherkin skeletons for the transitions below.</p>`);
  for (const machine of coverage.machines) {
    const coveredStates = machine.states.filter((s) => s.coveredBy.length > 0).length;
    const coveredTransitions = machine.transitions.filter((t) => t.coveredBy.length > 0).length;
    out.push(`<h3>${h(machine.machine)}: states ${coveredStates}/${machine.states.length}, transitions ${coveredTransitions}/${machine.transitions.length}</h3>`);
    const missingStates = machine.states.filter((s) => s.coveredBy.length === 0).map((s) => s.item.path);
    if (missingStates.length > 0) out.push(`<p>States never reached: ${missingStates.map((s) => `<code>${h(s)}</code>`).join(', ')}</p>`);
    out.push('<table class="transitions"><thead><tr><th>from</th><th>event</th><th>to</th><th>scenarios</th></tr></thead><tbody>');
    for (const { item, coveredBy } of machine.transitions) {
      out.push(`<tr${coveredBy.length === 0 ? ' class="row-failed"' : ''}><td>${h(item.source)}</td><td>${h(describeEvent(item.event))}</td><td>${h(item.target)}</td><td>${coveredBy.length === 0 ? 'not covered' : coveredBy.length}</td></tr>`);
    }
    out.push('</tbody></table>');
    if (machine.unmodelled.length > 0) {
      out.push(`<p>Recorded but not in the model: ${machine.unmodelled.map((u) => `<code>${h(`${u.from} → ${u.to} on ${describeEvent(u.event)}`)}</code>`).join(', ')}</p>`);
    }
  }
  return out.join('\n');
}

function bar(covered: number, total: number): string {
  const percent = total === 0 ? 100 : Math.round((covered / total) * 100);
  return `<span class="coverage-bar" title="${percent}%"><span style="width:${percent}%"></span></span>`;
}

function firstLines(text: string, count: number): string {
  const lines = text.split('\n');
  return lines.length <= count ? text : `${lines.slice(0, count).join('\n')}\n…`;
}
