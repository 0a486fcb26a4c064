/**
 * `handoff replay <bundle.json>`: reproduces a failed scenario from its failure bundle
 * (src/report/failure-bundle.ts) on this machine. The scenario runs again through `runFeatures`, at
 * `uri:line` (or, when the feature file changed, at the line that now holds a scenario of that name),
 * with the bundle's seed; the new run's result and timeline are compared with the bundle's, so the
 * answer is "fails the same way", "fails differently" or "passes now".
 */
import fs from 'node:fs';
import path from 'node:path';
import { projectRoot, runFeatures } from '../cli/run-command';
import { readFailureBundle, type FailureBundle } from '../report/failure-bundle';
import type { ScenarioResult } from '../report/run-result';
import { formatEntry, type TimelineEntry } from '../sim/timeline';

export interface BundleReproduction {
  file: string;
  bundle: FailureBundle;
  /** What ran: `features/x.feature:34`, with the seed. */
  target: string;
  seed?: number;
  /** The scenario moved within its feature file since the bundle was written. */
  movedFrom?: number;
  rerun?: ScenarioResult;
  verdict: 'same failure' | 'different failure' | 'passes now' | 'not found';
  /** The explanation, line by line. */
  lines: string[];
}

/**
 * Runs the bundle's scenario again with its seed and compares.
 *
 * @example
 * const result = await reproduceBundle('reports/failures/no-rule-matches.json', { reports: 'reports/replay/no-rule-matches' });
 * console.log(formatReproduction(result)); // "Reproduced: the scenario fails the same way …"
 */
export async function reproduceBundle(file: string, options: { reports: string }): Promise<BundleReproduction> {
  const bundle = readFailureBundle(file);
  const featureFile = path.resolve(projectRoot, bundle.scenario.uri);
  if (!fs.existsSync(featureFile)) {
    return {
      file,
      bundle,
      target: bundle.scenario.uri,
      verdict: 'not found',
      lines: [`The feature file ${bundle.scenario.uri} of the bundle does not exist here. The bundle was written from another checkout. Check out the commit the failing run used, then replay the bundle again.`],
    };
  }
  const line = lineOfScenario(featureFile, bundle.scenario.name, bundle.scenario.line);
  if (line === undefined) {
    return {
      file,
      bundle,
      target: bundle.scenario.uri,
      verdict: 'not found',
      lines: [`No scenario named ${JSON.stringify(bundle.scenario.name)} is in ${bundle.scenario.uri} any more (the bundle had it at line ${bundle.scenario.line}). The feature changed since the failing run. Check out the commit the failing run used, then replay the bundle again.`],
    };
  }
  const seed = bundle.seed ?? undefined;
  const target = `${bundle.scenario.uri}:${line}`;
  const { run } = await runFeatures({ paths: [`${featureFile}:${line}`], ...(seed !== undefined ? { seed } : {}), reports: options.reports });
  const rerun = run.scenarios.find((scenario) => scenario.name === bundle.scenario.name) ?? run.scenarios[0];
  const result: BundleReproduction = { file, bundle, target, ...(seed !== undefined ? { seed } : {}), ...(line !== bundle.scenario.line ? { movedFrom: bundle.scenario.line } : {}), verdict: 'not found', lines: [] };
  if (!rerun) {
    result.lines.push(`Running ${target} found no scenario. The feature file may not parse any more. Run it with: npx handoff run ${target}.`);
    return result;
  }
  result.rerun = rerun;
  const recordedStep = bundle.failedStep;
  const step = rerun.failedStep;
  if (rerun.status === 'passed') {
    result.verdict = 'passes now';
    result.lines.push(`Not reproduced: the scenario passes now with seed ${seed ?? '(none)'}; the bundle recorded it ${bundle.status}${recordedStep ? ` at "${recordedStep.keyword} ${recordedStep.text}"` : ''}.`);
  } else {
    const sameStep = recordedStep !== null && step !== undefined && step.text === recordedStep.text && step.keyword === recordedStep.keyword;
    const sameMessage = sameStep && firstLine(step?.message) === firstLine(recordedStep?.message ?? undefined);
    result.verdict = sameStep && sameMessage ? 'same failure' : 'different failure';
    if (result.verdict === 'same failure') {
      result.lines.push(`Reproduced: the scenario fails the same way, at "${step!.keyword} ${step!.text}"${step!.line ? ` (line ${step!.line})` : ''}:`);
      result.lines.push(`  ${firstLine(step!.message) ?? '(no message)'}`);
    } else {
      result.lines.push('Reproduced a failure, but not the same one:');
      result.lines.push(`  - bundle: ${recordedStep ? `"${recordedStep.keyword} ${recordedStep.text}": ${firstLine(recordedStep.message ?? undefined) ?? '(no message)'}` : bundle.status}`);
      result.lines.push(`  + now:    ${step ? `"${step.keyword} ${step.text}": ${firstLine(step.message) ?? '(no message)'}` : rerun.status}`);
    }
  }
  result.lines.push(...compareTimelines(bundle.timeline, rerun.timeline?.entries ?? []));
  return result;
}

/** The report of a reproduction, as the CLI prints it. */
export function formatReproduction(result: BundleReproduction): string {
  const head = [`Failure bundle ${result.file}: scenario ${JSON.stringify(result.bundle.scenario.name)}`, `  ran ${result.target}${result.seed !== undefined ? ` with seed ${result.seed}` : ' without a seed (the bundle has none)'}`];
  if (result.movedFrom !== undefined) head.push(`  (the scenario moved from line ${result.movedFrom}; it was found by its name)`);
  return `${[...head, ...result.lines].join('\n')}\n`;
}

function compareTimelines(recorded: readonly TimelineEntry[], replayed: readonly TimelineEntry[]): string[] {
  if (recorded.length === 0) return ['  (the bundle holds no timeline to compare)'];
  const length = Math.max(recorded.length, replayed.length);
  for (let index = 0; index < length; index += 1) {
    const a = recorded[index];
    const b = replayed[index];
    if (a && b && JSON.stringify(a) === JSON.stringify(b)) continue;
    return [
      `The timelines part at entry ${index} of ${recorded.length} (bundle) and ${replayed.length} (now):`,
      `  - ${a ? formatEntry(a) : '(the bundle ends here)'}`,
      `  + ${b ? formatEntry(b) : '(the new run ends here)'}`,
    ];
  }
  return [`The timelines are identical (${recorded.length} entries).`];
}

/**
 * The line of the scenario named `name`: `expected` when it still holds it, otherwise the first line
 * that does; undefined when no scenario has the name.
 */
function lineOfScenario(file: string, name: string, expected: number): number | undefined {
  const lines = fs.readFileSync(file, 'utf8').split(/\r?\n/);
  const declares = (text: string | undefined) => {
    const match = /^\s*(?:Scenario Outline|Scenario Template|Scenario|Example):\s*(.*?)\s*$/.exec(text ?? '');
    return match?.[1];
  };
  if (declares(lines[expected - 1]) === name.trim()) return expected;
  // A scenario outline's example runs at its row's line; its name has the row's values filled in.
  if (lines[expected - 1]?.trim().startsWith('|')) return expected;
  const found = lines.findIndex((text) => declares(text) === name.trim());
  return found >= 0 ? found + 1 : undefined;
}

function firstLine(message: string | undefined): string | undefined {
  return message?.split('\n')[0]?.trim();
}
