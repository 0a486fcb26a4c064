import { performance } from 'node:perf_hooks';
import { renderConversationReport } from '../src/report/conversation-report';
import { renderHtml, renderJson, renderJunit, renderMessages } from '../src/report/cucumber-reports';
import { measureCoverage } from '../src/report/model-coverage';
import { createRedactor } from '../src/report/redaction';
import { summarizeRun } from '../src/report/run-result';
import { syntheticRun } from '../src/report/synthetic-run';
import { redactEnvelope } from '../src/report/write-run-reports';
(async () => {
  const env = syntheticRun({ scenarios: 1000 });
  const r = createRedactor();
  const t = (label: string, f: () => unknown) => { const s = performance.now(); const v = f(); console.log(label, (performance.now() - s).toFixed(0)); return v; };
  for (let i = 0; i < 2; i++) {
  const safe = t('redact', () => env.map((e) => redactEnvelope(e, r))) as any;
  t('messages', () => renderMessages(safe));
  t('json', () => renderJson(safe));
  t('junit', () => renderJunit(safe, 'x'));
  let s = performance.now(); await renderHtml(safe); console.log('html', (performance.now() - s).toFixed(0));
  const run = t('summarize', () => summarizeRun(safe)) as any;
  t('coverage', () => measureCoverage(run.scenarios.map((x: any) => ({ anchor: x.anchor, entries: x.timeline?.entries ?? [] }))));
  t('conv', () => renderConversationReport(run, { redactor: r }));
  }
})();
