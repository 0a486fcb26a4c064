import { test } from 'node:test';
import assert from 'node:assert/strict';
import { functionsUsed, parseFormula, parseTemplate, referencedVariables, supportedFunctions, unsupportedCalls } from '../../src/copilot/powerfx';

test('referencedVariables lists every variable path once, in order, but not row columns or option sets', () => {
  const formula = parseFormula('=IsBlank(Topic.Case.Id) || Global.Tier = "Gold" && System.Activity.Channel = ChannelId.MsTeams || Topic.Case.Id = Env.contoso_Default');
  assert.deepEqual(referencedVariables(formula), [['Topic', 'Case', 'Id'], ['Global', 'Tier'], ['System', 'Activity', 'Channel'], ['Env', 'contoso_Default']]);
  assert.deepEqual(referencedVariables(parseFormula('=ForAll(Topic.Rows, ThisRecord.Name & Name)')), [['Topic', 'Rows']]);
});

test('functionsUsed lists called functions once each', () => {
  assert.deepEqual(functionsUsed(parseFormula('=If(IsBlank(Topic.X), 0, If(Len(Topic.X) > 3, Len(Topic.X), 1))')), ['If', 'IsBlank', 'Len']);
  assert.deepEqual(functionsUsed(parseFormula('=Topic.X = 1')), []);
});

test('template holes can be analysed like formulas', () => {
  const holes = parseTemplate('Hi {System.User.DisplayName}, {Text(Topic.Total, "0.00")} due');
  assert.deepEqual(holes.flatMap(referencedVariables), [['System', 'User', 'DisplayName'], ['Topic', 'Total']]);
  assert.deepEqual(holes.flatMap(functionsUsed), ['Text']);
});

test('unsupportedCalls finds functions the engine lacks, with positions, without running the formula', () => {
  const problems = unsupportedCalls(parseFormula('=If(Topic.X, Patch(A, B), Len("a"))', { file: 'topics/A.mcs.yml', line: 4, column: 16 }));
  assert.equal(problems.length, 1);
  assert.equal(problems[0]?.code, 'unsupported');
  assert.equal(problems[0]?.functionName, 'Patch');
  assert.deepEqual(problems[0]?.location, { file: 'topics/A.mcs.yml', line: 4, column: 29 });
});

test('the functions real topics use most are all implemented (docs/real-topics-census.md §6)', () => {
  const census = ['If', 'IsBlank', 'Text', 'Last', 'First', 'FirstN', 'ForAll', 'Today', 'LookUp', 'DateValue', 'CountRows', 'Lower',
    'DateDiff', 'Now', 'Concatenate', 'DateAdd', 'Blank', 'Char', 'Find', 'Split', 'Filter', 'Substitute', 'Sequence', 'Coalesce',
    'ParseJSON', 'With', 'IfError', 'IsEmpty', 'Concat', 'Index', 'StartsWith', 'Table', 'Value', 'Left', 'Len', 'CountIf', 'EndsWith',
    'SortByColumns', 'Switch', 'Or', 'And', 'IsMatch', 'Month', 'Mid', 'Mod', 'EncodeUrl', 'RoundDown', 'IsError', 'Trim',
    'DateTimeValue', 'Year', 'Distinct', 'Min', 'ShowColumns', 'Weekday'];
  const supported = new Set(supportedFunctions());
  assert.deepEqual(census.filter((name) => !supported.has(name)), []);
});
