import { describeLifecycle } from '../src/report/model-coverage';
for (const m of describeLifecycle()) { console.log(m.machine, m.states.map(s=>s.path).join(', ')); for (const t of m.transitions) console.log('  ', t.id); for (const t of m.unobservable) console.log('  (u)', t.id); }
