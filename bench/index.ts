/**
 * `npm run bench`: every benchmark of the project in one run, each figure next to its baseline or target.
 * Benchmarks of other areas register here as `<area>.bench.ts` files exporting one async function.
 */
import fs from 'node:fs';
import path from 'node:path';

type Bench = () => Promise<string[]>;

async function main(): Promise<void> {
  const files = fs.readdirSync(__dirname).filter((file) => file.endsWith('.bench.ts')).sort();
  console.log(`handoff-harness benchmarks, Node ${process.version}, ${require('node:os').cpus().length} cores\n`);
  let failed = false;
  for (const file of files) {
    const module = require(path.join(__dirname, file)) as Record<string, unknown>;
    // Each file's entry point is the export named `<area>Bench`.
    const bench = Object.entries(module).find((entry): entry is [string, Bench] => /Bench$/.test(entry[0]) && typeof entry[1] === 'function')?.[1];
    if (!bench) continue;
    console.log(`# ${file.replace('.bench.ts', '')}`);
    try {
      for (const line of await bench()) console.log(line);
    } catch (error) {
      failed = true;
      console.log(`  failed: ${(error as Error).message}`);
    }
    console.log('');
  }
  process.exitCode = failed ? 1 : 0;
}

void main();
