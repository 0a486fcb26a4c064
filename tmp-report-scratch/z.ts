import zlib from 'node:zlib';
import { performance } from 'node:perf_hooks';
import { syntheticTimeline } from '../src/report/synthetic-run';
const e = syntheticTimeline('conv-1');
const j = JSON.stringify({ version: 1, seed: 1, entries: e });
let s = performance.now(); let g: Buffer = Buffer.alloc(0); for (let i = 0; i < 1000; i++) g = zlib.gzipSync(j, { level: 6 }); console.log('gzip x1000', (performance.now() - s).toFixed(0), 'ms', j.length, '->', g.length, 'b64', g.toString('base64').length);
s = performance.now(); for (let i = 0; i < 1000; i++) zlib.gunzipSync(g).toString(); console.log('gunzip x1000', (performance.now() - s).toFixed(0));
s = performance.now(); for (let i = 0; i < 1000; i++) g = zlib.deflateRawSync(j, { level: 1 }); console.log('deflate1 x1000', (performance.now() - s).toFixed(0), g.length);
