import { performance } from 'node:perf_hooks';
import { createRedactor } from '../src/report/redaction';
import { readMessages } from '../src/report/run-result';
import { decodeTimelineAttachment, encodeTimelineAttachment, timelineMediaType } from '../src/report/timeline-attachment';
import { writeRunReports } from '../src/report/write-run-reports';
import { writeCucumberReports } from '../src/report/cucumber-reports';
(async () => {
  const env = readMessages('/tmp/rnew/messages.ndjson');
  const timelines = env.filter((e) => e.attachment?.mediaType === timelineMediaType).map((e) => decodeTimelineAttachment(e.attachment!.body)!);
  const r = createRedactor();
  const entries = timelines.reduce((n, t) => n + t.entries.length, 0);
  const rawBytes = timelines.reduce((n, t) => n + JSON.stringify(t).length, 0);
  const gzBytes = env.filter((e) => e.attachment?.mediaType === timelineMediaType).reduce((n, e) => n + e.attachment!.body.length, 0);
  for (let i = 0; i < 3; i++) {
    let s = performance.now();
    for (const t of timelines) encodeTimelineAttachment(t.seed, t.entries, r);
    const enc = performance.now() - s;
    s = performance.now(); await writeCucumberReports('/tmp/rcost-c', env); const cuc = performance.now() - s;
    s = performance.now(); await writeRunReports('/tmp/rcost', env, r); const all = performance.now() - s;
    console.log(`${timelines.length} scenarios, ${entries} entries; attachment json ${(rawBytes/1e3).toFixed(0)} kB -> gz+b64 ${(gzBytes/1e3).toFixed(0)} kB; encode all ${enc.toFixed(0)} ms; cucumber formatters ${cuc.toFixed(0)} ms; all reports ${all.toFixed(0)} ms`);
  }
})();
