// Measures how much of a folder of real topic YAML the Power Fx engine reads and runs.
//
//   node -r ts-node/register/transpile-only bench/corpus/powerfx.ts <folder> [--show 20]
//
// Scans *.yml, *.yaml and solution-export `data` files for formulas (scalars starting with `=`) and
// message templates (activity, prompt, SetTextVariable.value, messageToAgent ... with `{holes}`), parses
// them, lists the functions the engine lacks, and evaluates every parsed formula once against an
// environment where every variable is Blank, to prove no formula crashes the engine. Timing uses the
// process clock: this is a measuring script, not simulation code.

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { isMap, isPair, isScalar, isSeq, LineCounter, parseAllDocuments, Scalar, type Node } from 'yaml';
import {
  evaluateFormula, functionsUsed, interpolateTemplate, parseFormula, parseTemplate, PowerFxError, unsupportedCalls,
  type FormulaAst, type PowerFxEnvironment, type SourceLocation,
} from '../../src/copilot/powerfx/index';

interface Found {
  kind: 'condition' | 'formula' | 'template';
  text: string;
  where: SourceLocation;
}

const templateKeys = new Set(['activity', 'prompt', 'messageToAgent', 'unrecognizedPrompt', 'invalidPrompt', 'defaultValueResponse']);

function topicFiles(folder: string): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(folder)) {
    const path = join(folder, entry);
    const stat = statSync(path);
    if (stat.isDirectory()) files.push(...topicFiles(path));
    else if (/\.ya?ml$/i.test(entry) || entry === 'data') files.push(path);
  }
  return files.sort();
}

/** Where the text of a scalar starts: after the opening quote, or on the first content line of a block scalar. */
function contentOffset(source: string, scalar: Scalar): number {
  const start = scalar.range?.[0] ?? 0;
  if (scalar.type === Scalar.QUOTE_DOUBLE || scalar.type === Scalar.QUOTE_SINGLE) return start + 1;
  if (scalar.type === Scalar.BLOCK_LITERAL || scalar.type === Scalar.BLOCK_FOLDED) {
    let index = source.indexOf('\n', start) + 1;
    while (index > 0 && index < source.length) {
      const lineEnd = source.indexOf('\n', index);
      const line = source.slice(index, lineEnd < 0 ? source.length : lineEnd);
      if (line.trim() !== '') return index + (line.length - line.trimStart().length);
      index = lineEnd + 1;
    }
  }
  return start;
}

function collect(file: string, source: string, found: Found[]): void {
  const lineCounter = new LineCounter();
  const documents = parseAllDocuments(source, { lineCounter, strict: false, uniqueKeys: false });
  const list = Array.isArray(documents) ? documents : [documents];
  const locate = (offset: number): SourceLocation => {
    const position = lineCounter.linePos(offset);
    return { file, line: position.line, column: position.col };
  };
  const visit = (node: unknown, key: string | undefined, parentKind: string | undefined, grandKey: string | undefined): void => {
    if (isMap(node)) {
      const kindPair = node.items.find((pair) => isScalar(pair.key) && pair.key.value === 'kind');
      const kind = kindPair !== undefined && isScalar(kindPair.value) ? String(kindPair.value.value) : undefined;
      for (const pair of node.items) {
        if (!isPair(pair)) continue;
        const childKey = isScalar(pair.key) ? String(pair.key.value) : undefined;
        visit(pair.value, childKey, kind, key);
      }
      return;
    }
    if (isSeq(node)) {
      for (const item of node.items) visit(item, key, parentKind, grandKey);
      return;
    }
    if (!isScalar(node) || typeof node.value !== 'string') return;
    const text = node.value;
    const where = locate(contentOffset(source, node));
    if (/^\s*=/.test(text)) {
      found.push({ kind: key === 'condition' ? 'condition' : 'formula', text, where });
      return;
    }
    const isTemplate = (key !== undefined && templateKeys.has(key))
      || ((key === 'text' || key === 'speak') && grandKey !== undefined && templateKeys.has(grandKey))
      || (key === 'value' && parentKind === 'SetTextVariable');
    if (isTemplate && text.includes('{')) found.push({ kind: 'template', text, where });
  };
  for (const document of list) visit((document.contents ?? undefined) as Node | undefined, undefined, undefined, undefined);
}

function bump(counts: Map<string, number>, key: string, by = 1): void {
  counts.set(key, (counts.get(key) ?? 0) + by);
}

function table(title: string, counts: Map<string, number>): void {
  if (counts.size === 0) return;
  console.log(`  ${title}:`);
  for (const [key, count] of [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))) console.log(`    ${String(count).padStart(5)}  ${key}`);
}

function main(): void {
  const folder = process.argv[2];
  const showIndex = process.argv.indexOf('--show');
  const show = showIndex > 0 ? Number(process.argv[showIndex + 1]) : 15;
  if (folder === undefined) {
    console.error('Usage: node -r ts-node/register/transpile-only bench/corpus/powerfx.ts <folder> [--show N]');
    process.exitCode = 2;
    return;
  }
  const files = topicFiles(folder);
  const found: Found[] = [];
  let unreadable = 0;
  for (const file of files) {
    try {
      collect(relative(process.cwd(), file), readFileSync(file, 'utf8').replace(/^\uFEFF/, ''), found);
    } catch {
      unreadable += 1;
    }
  }

  const started = process.hrtime.bigint();
  const parsed: Array<{ item: Found; formulas: FormulaAst[] }> = [];
  const syntaxErrors: Array<{ item: Found; error: PowerFxError }> = [];
  const crashes: Array<{ item: Found; error: unknown }> = [];
  for (const item of found) {
    try {
      parsed.push({ item, formulas: item.kind === 'template' ? parseTemplate(item.text, item.where) : [parseFormula(item.text, item.where)] });
    } catch (error) {
      if (error instanceof PowerFxError) syntaxErrors.push({ item, error });
      else crashes.push({ item, error });
    }
  }
  const parseMs = Number(process.hrtime.bigint() - started) / 1e6;

  const missingFunctions = new Map<string, number>();
  const usedFunctions = new Map<string, number>();
  let fullySupported = 0;
  for (const { formulas } of parsed) {
    const missing = new Set(formulas.flatMap((formula) => unsupportedCalls(formula).map((error) => error.functionName ?? '?')));
    for (const name of missing) bump(missingFunctions, name);
    for (const name of new Set(formulas.flatMap(functionsUsed))) bump(usedFunctions, name);
    if (missing.size === 0) fullySupported += 1;
  }

  // Fixed instant and GUID; every variable Blank, then every variable the same text, then the same
  // table: the values are nonsense on purpose, only the engine's robustness is on trial here.
  const environmentWith = (value: unknown): PowerFxEnvironment => ({
    getVariable: () => value,
    now: () => Date.UTC(2025, 0, 15, 9, 30),
    newGuid: () => '00000000-0000-4000-8000-000000000000',
  });
  const runAll = (environment: PowerFxEnvironment, outcomes: Map<string, number>, unsupportedAtRun: Map<string, number>): void => {
    for (const { item, formulas } of parsed) {
      try {
        if (item.kind === 'template') interpolateTemplate(item.text, environment, item.where);
        else for (const formula of formulas) evaluateFormula(formula, environment);
        bump(outcomes, 'value');
      } catch (error) {
        if (!(error instanceof PowerFxError)) {
          crashes.push({ item, error });
          bump(outcomes, 'CRASH (not a PowerFxError)');
        } else if (error.code === 'unsupported') {
          bump(outcomes, 'unsupported');
          bump(unsupportedAtRun, error.functionName ?? /uses (the name "[^"]*"|[^,]*)/.exec(error.message)?.[1] ?? '?');
        } else bump(outcomes, `${error.code}${error.errorKind === undefined ? '' : ` (${error.errorKind})`}`);
      }
    }
  };
  const blankEnvironment = environmentWith(undefined);
  const outcomes = new Map<string, number>();
  const unsupportedAtRun = new Map<string, number>();
  runAll(blankEnvironment, outcomes, unsupportedAtRun);
  const textOutcomes = new Map<string, number>();
  runAll(environmentWith('sample text'), textOutcomes, new Map());
  const tableOutcomes = new Map<string, number>();
  runAll(environmentWith([{ Value: 'a', name: 'b', count: 1 }]), tableOutcomes, new Map());

  // Throughput on the conditions, the formulas evaluated on every customer turn.
  const conditions = parsed.filter(({ item, formulas }) => item.kind === 'condition' && formulas.every((formula) => unsupportedCalls(formula).length === 0)).map(({ formulas }) => formulas[0] as FormulaAst);
  let evaluations = 0;
  const throughputStart = process.hrtime.bigint();
  let elapsed = 0n;
  while (conditions.length > 0 && elapsed < 1_000_000_000n) {
    for (const condition of conditions) {
      try {
        evaluateFormula(condition, blankEnvironment);
      } catch {
        // Runtime errors are part of the workload; they were counted above.
      }
      evaluations += 1;
    }
    elapsed = process.hrtime.bigint() - throughputStart;
  }

  const byKind = (kind: Found['kind']): number => found.filter((item) => item.kind === kind).length;
  console.log(`Power Fx coverage of ${folder}`);
  console.log(`  files scanned: ${files.length} (unreadable: ${unreadable})`);
  console.log(`  found: ${found.length} (conditions ${byKind('condition')}, other formulas ${byKind('formula')}, templates with holes ${byKind('template')})`);
  console.log(`  parsed: ${parsed.length}; syntax errors: ${syntaxErrors.length}; crashes: ${crashes.length}`);
  console.log(`  parsed and every function implemented: ${fullySupported} of ${found.length} (${((100 * fullySupported) / Math.max(1, found.length)).toFixed(1)}%)`);
  table('functions not implemented (formulas using them)', missingFunctions);
  table('evaluation with every variable Blank', outcomes);
  table('unsupported at run time', unsupportedAtRun);
  table('evaluation with every variable the text "sample text"', textOutcomes);
  table('evaluation with every variable a one-row table', tableOutcomes);
  console.log(`  parse time: ${parseMs.toFixed(1)} ms for ${found.length} texts (cold, chevrotain)`);
  if (conditions.length > 0) console.log(`  condition throughput: ${Math.round(evaluations / (Number(elapsed) / 1e9)).toLocaleString('en-US')} evaluations/s over ${conditions.length} distinct conditions`);
  if (syntaxErrors.length > 0) {
    console.log(`  first ${Math.min(show, syntaxErrors.length)} syntax errors:`);
    for (const { error } of syntaxErrors.slice(0, show)) console.log(`    - ${error.message.split('. The formula reads')[0]}`);
  }
  if (crashes.length > 0) {
    console.log('  crashes:');
    for (const { item, error } of crashes.slice(0, show)) console.log(`    - ${item.where.file}:${item.where.line}: ${error instanceof Error ? error.stack : String(error)}`);
  }
  if (process.argv.includes('--functions')) table('functions used (formulas using them)', usedFunctions);
}

main();
