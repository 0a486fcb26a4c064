import { reportBench } from '../bench/report.bench';
reportBench().then((l) => console.log(l.join('\n')));
