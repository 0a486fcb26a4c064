import { handoff } from '../tests/report/support/handoff-cli';
(async () => {
  let sent = false; const t0 = Date.now();
  const r = await handoff(['run', process.argv[2]!, '--reports', '/tmp/rint'], { onStdout: (s, child) => { if (!sent && s.includes('a-quick.feature')) { sent = true; console.log('kill at', Date.now() - t0, child.kill('SIGINT')); } } });
  console.log(Date.now() - t0, r.status, r.signal, r.stdout, r.stderr);
})();
