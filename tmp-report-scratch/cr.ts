import { readMessages, summarizeRun } from '../src/report/run-result';
import { writeCucumberReports } from '../src/report/cucumber-reports';
(async () => {
  const env = readMessages('/tmp/r0/messages.ndjson');
  const t = Date.now();
  await writeCucumberReports('/tmp/r0b', env);
  console.log('ms', Date.now() - t);
  const r = summarizeRun(env);
  console.log(r.counts, r.features.length, r.scenarios[0]);
})();
