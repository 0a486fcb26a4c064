// Runs Power Fx's own expression test cases (microsoft/Power-Fx,
// src/tests/Microsoft.PowerFx.Core.Tests.Shared/ExpressionTestCases/*.txt) against this engine and
// prints how many pass, among the cases it can run.
//
//   node -r ts-node/register/transpile-only src/copilot/powerfx/measure-conformance.ts <folder> [--failures 30] [--file Text.txt]
//
// A case is `>> input` followed by the expected result. Cases whose result is a binder error
// ("Errors: ...") are about static typing, which this engine does not do, and are left out, as are
// cases that call functions the engine lacks. The expected result is itself a formula (`Table({Value:1})`,
// `Date(2011,1,15)`, `Error({Kind:ErrorKind.Div0})`), evaluated with this engine and compared by value.

import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { evaluateFormula, parseFormula, PowerFxError, unsupportedCalls, valuesEqual, type PowerFxValue } from './index';

interface TestCase {
  file: string;
  line: number;
  input: string;
  expected: string;
}

function readCases(path: string): TestCase[] {
  const lines = readFileSync(path, 'utf8').replace(/^\uFEFF/, '').split(/\r?\n/);
  const cases: TestCase[] = [];
  let current: TestCase | undefined;
  lines.forEach((line, index) => {
    if (line.trim() === '' || line.startsWith('//') || line.startsWith('#')) return;
    if (line.startsWith('>>')) {
      current = { file: basename(path), line: index + 1, input: line.slice(2).trim(), expected: '' };
      return;
    }
    if (current === undefined) return;
    if (line.startsWith(' ')) {
      current.input += `\n${line}`;
      return;
    }
    current.expected = line.trim();
    cases.push(current);
    current = undefined;
  });
  return cases;
}

const environment = { getVariable: () => undefined, now: () => Date.UTC(2025, 0, 15, 9, 30), newGuid: () => '00000000-0000-4000-8000-000000000000' };

type Outcome = { value: PowerFxValue } | { error: string } | { skip: string };

function run(text: string): Outcome {
  let formula;
  try {
    formula = parseFormula(text);
  } catch (error) {
    return { skip: error instanceof PowerFxError ? `syntax: ${error.message.split(':')[1] ?? ''}` : 'parser crash' };
  }
  const missing = unsupportedCalls(formula);
  if (missing.length > 0) return { skip: `function ${missing[0]?.functionName}` };
  try {
    return { value: evaluateFormula(formula, environment) };
  } catch (error) {
    if (error instanceof PowerFxError) {
      if (error.code === 'runtime' && error.errorKind !== undefined) return { error: error.errorKind };
      if (error.code === 'unsupported') return { skip: 'unsupported name' };
      return { error: `${error.code}: ${error.message}` };
    }
    return { error: `CRASH ${error instanceof Error ? error.message : String(error)}` };
  }
}

function closeEnough(left: PowerFxValue, right: PowerFxValue): boolean {
  if (typeof left === 'number' && typeof right === 'number') return left === right || Math.abs(left - right) <= 1e-9 * Math.max(1, Math.abs(left), Math.abs(right));
  if (Array.isArray(left) && Array.isArray(right)) return left.length === right.length && left.every((row, index) => closeEnough(row as PowerFxValue, right[index] as PowerFxValue));
  if (left !== null && right !== null && typeof left === 'object' && typeof right === 'object' && !(left instanceof Date) && !(right instanceof Date) && !Array.isArray(left) && !Array.isArray(right)) {
    const leftKeys = Object.keys(left);
    return leftKeys.length === Object.keys(right).length && leftKeys.every((key) => closeEnough((left as Record<string, PowerFxValue>)[key], (right as Record<string, PowerFxValue>)[key]));
  }
  return valuesEqual(left, right);
}

function main(): void {
  const folder = process.argv[2];
  if (folder === undefined) {
    console.error('Usage: node -r ts-node/register/transpile-only src/copilot/powerfx/measure-conformance.ts <ExpressionTestCases folder> [--failures N] [--file name.txt]');
    process.exitCode = 2;
    return;
  }
  const failuresIndex = process.argv.indexOf('--failures');
  const showFailures = failuresIndex > 0 ? Number(process.argv[failuresIndex + 1]) : 25;
  const fileIndex = process.argv.indexOf('--file');
  const onlyFile = fileIndex > 0 ? process.argv[fileIndex + 1] : undefined;
  const files = readdirSync(folder).filter((name) => name.endsWith('.txt') && (onlyFile === undefined || name === onlyFile)).sort();
  let total = 0;
  let binderOnly = 0;
  const skipped = new Map<string, number>();
  let passed = 0;
  const failures: string[] = [];
  const failuresByFile = new Map<string, number>();
  for (const file of files) {
    for (const testCase of readCases(join(folder, file))) {
      total += 1;
      if (testCase.expected.startsWith('Errors:') || /^#skip/i.test(testCase.expected)) {
        binderOnly += 1;
        continue;
      }
      const actual = run(testCase.input);
      if ('skip' in actual) {
        skipped.set(actual.skip, (skipped.get(actual.skip) ?? 0) + 1);
        continue;
      }
      const errorMatch = /^Error\(\{Kind:ErrorKind\.(\w+)\}\)$/.exec(testCase.expected) ?? (/^Error\(/.test(testCase.expected) ? ['', '*'] : null);
      let expected: Outcome;
      if (errorMatch !== null) expected = { error: errorMatch[1] as string };
      else {
        expected = run(testCase.expected);
        if ('skip' in expected) {
          skipped.set(`expected ${expected.skip}`, (skipped.get(`expected ${expected.skip}`) ?? 0) + 1);
          continue;
        }
      }
      const ok = 'error' in expected
        ? 'error' in actual && (expected.error === '*' || expected.error === actual.error)
        : 'value' in actual && 'value' in expected && closeEnough(actual.value, expected.value);
      if (ok) passed += 1;
      else {
        failuresByFile.set(file, (failuresByFile.get(file) ?? 0) + 1);
        const shown = 'value' in actual ? JSON.stringify(actual.value) : `Error ${actual.error}`;
        failures.push(`${testCase.file}:${testCase.line}  ${testCase.input.replace(/\s+/g, ' ').slice(0, 90)}  → ${shown?.slice(0, 80)}  (expected ${testCase.expected.slice(0, 60)})`);
      }
    }
  }
  const run_ = total - binderOnly - [...skipped.values()].reduce((sum, count) => sum + count, 0);
  console.log(`Power Fx expression test cases in ${folder}`);
  console.log(`  cases: ${total}; binder-only or #skip: ${binderOnly}; not runnable here: ${total - binderOnly - run_}; run: ${run_}`);
  console.log(`  passed: ${passed} of ${run_} (${((100 * passed) / Math.max(1, run_)).toFixed(1)}%)`);
  console.log('  not runnable, by reason (top 15):');
  for (const [reason, count] of [...skipped].sort((a, b) => b[1] - a[1]).slice(0, 15)) console.log(`    ${String(count).padStart(5)}  ${reason}`);
  console.log('  failures by file (top 25):');
  for (const [file, count] of [...failuresByFile].sort((a, b) => b[1] - a[1]).slice(0, 25)) console.log(`    ${String(count).padStart(5)}  ${file}`);
  if (failures.length > 0) console.log(`  first ${Math.min(showFailures, failures.length)} failures:\n    ${failures.slice(0, showFailures).join('\n    ')}`);
}

main();
