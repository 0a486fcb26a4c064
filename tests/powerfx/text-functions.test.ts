import { test } from 'node:test';
import assert from 'node:assert/strict';
import { evaluateFormula, parseFormula, PowerFxError } from '../../src/copilot/powerfx';
import { run } from './environment.fixture';

function runtimeKind(formula: string, variables: Record<string, unknown> = {}): string | undefined {
  try {
    run(formula, variables);
  } catch (error) {
    if (error instanceof PowerFxError && error.code === 'runtime') return error.errorKind;
    throw error;
  }
  return 'no error';
}

test('Text formats numbers with Excel-style placeholders', () => {
  assert.equal(run('=Text(1234.5, "#,##0.00")'), '1,234.50');
  assert.equal(run('=Text(1234567, "#,##0")'), '1,234,567');
  assert.equal(run('=Text(3.14159, "0.00")'), '3.14');
  assert.equal(run('=Text(2.5, "0")'), '3');
  assert.equal(run('=Text(7, "000")'), '007');
  assert.equal(run('=Text(0.256, "0%")'), '26%');
  assert.equal(run('=Text(-5.5, "$#,##0.00")'), '-$5.50');
  assert.equal(run('=Text(5551234567, "(000) 000-0000")'), '(555) 123-4567');
  assert.equal(run('=Text(1.50, "0.##")'), '1.5');
  assert.equal(run('=Text(0.1 + 0.2)'), '0.3');
});

test('Text formats dates with DateTimeFormat members and custom patterns (UTC, en-US)', () => {
  assert.equal(run('=Text(Now(), DateTimeFormat.UTC)'), '2024-05-17T13:45:30.000Z');
  assert.equal(run('=Text(Now(), DateTimeFormat.ShortDate)'), '5/17/2024');
  assert.equal(run('=Text(Now(), DateTimeFormat.LongDate)'), 'Friday, May 17, 2024');
  assert.equal(run('=Text(Now(), DateTimeFormat.ShortDateTime)'), '5/17/2024 1:45 PM');
  assert.equal(run('=Text(Now(), DateTimeFormat.LongTime24)'), '13:45:30');
  assert.equal(run('=Text(Today(), "yyyy-mm-dd")'), '2024-05-17');
  assert.equal(run('=Text(Now(), "yyyy-MM-dd HH:mm:ss")'), '2024-05-17 13:45:30');
  assert.equal(run('=Text(Now(), "dddd d mmmm yyyy, h:mm AM/PM")'), 'Friday 17 May 2024, 1:45 PM');
  assert.equal(run('=Text(Topic.D, "mmm dd")', { Topic: { D: '2024-02-05' } }), 'Feb 05');
});

test('Text without a format writes numbers, booleans and dates plainly', () => {
  assert.equal(run('=Text(42)'), '42');
  assert.equal(run('=Text(true)'), 'true');
  assert.equal(run('=Text(Today())'), '5/17/2024');
  assert.equal(run('=Text(Now())'), '5/17/2024 1:45 PM');
  assert.equal(run('=Text(Blank())'), undefined);
});

test('Value reads numbers written as text; text that is no number is an InvalidArgument error', () => {
  assert.equal(run('=Value("1,234.5")'), 1234.5);
  assert.equal(run('=Value("$12")'), 12);
  assert.equal(run('=Value("12%")'), 0.12);
  assert.equal(run('=Value("")'), undefined);
  assert.equal(runtimeKind('=Value("abc")'), 'InvalidArgument');
  assert.equal(run('=IfError(Value(Topic.Age), 0)', { Topic: { Age: 'unknown' } }), 0);
});

test('Lower, Upper and Proper change case', () => {
  assert.equal(run('=Lower(Topic.X)', { Topic: { X: 'HeLLo' } }), 'hello');
  assert.equal(run('=Upper("abc")'), 'ABC');
  assert.equal(run('=Proper("ada LOVELACE-byron")'), 'Ada Lovelace-Byron');
  assert.equal(run('=Lower(Blank())'), '');
});

test('Len, Trim and TrimEnds', () => {
  assert.equal(run('=Len("hello")'), 5);
  assert.equal(run('=Len(Topic.Missing)'), 0);
  assert.equal(run('=Trim("  a   b  ")'), 'a b');
  assert.equal(run('=TrimEnds("  a   b  ")'), 'a   b');
});

test('Left, Right and Mid take characters by position', () => {
  assert.equal(run('=Left("CAS-01234", 3)'), 'CAS');
  assert.equal(run('=Right("CAS-01234", 5)'), '01234');
  assert.equal(run('=Mid("CAS-01234", 5, 2)'), '01');
  assert.equal(run('=Mid("abc", 2)'), 'bc');
  assert.equal(run('=Mid("abc", 9, 1)'), '');
  assert.equal(runtimeKind('=Left("abc", -1)'), 'InvalidArgument');
  assert.equal(runtimeKind('=Mid("abc", 0, 1)'), 'InvalidArgument');
});

test('Find is case-sensitive and 1-based, Blank when absent', () => {
  assert.equal(run('=Find(",", "Last,First")'), 5);
  assert.equal(run('=Find("b", "aBcb", 3)'), 4);
  assert.equal(run('=Find("z", "abc")'), undefined);
  assert.equal(runtimeKind('=Find("a", "abc", 0)'), 'InvalidArgument');
});

test('Substitute replaces all occurrences or only the n-th; Replace works by position', () => {
  assert.equal(run('=Substitute("a-b-c", "-", "/")'), 'a/b/c');
  assert.equal(run('=Substitute("a-b-c", "-", "/", 2)'), 'a-b/c');
  assert.equal(run('=Replace("abcdef", 2, 3, "X")'), 'aXef');
});

test('Concatenate and & write their values as text', () => {
  assert.equal(run('=Concatenate(Env.Url, "/?source=", System.Activity.ChannelId)', { Env: { Url: 'https://x' }, System: { Activity: { ChannelId: 'msteams' } } }), 'https://x/?source=msteams');
  assert.equal(run('=Concatenate("n=", 5, ", ok=", true)'), 'n=5, ok=true');
});

test('Concat joins a formula over every row', () => {
  assert.equal(run('=Concat(Topic.Rows, Name & "(" & Qty & ")", ", ")', { Topic: { Rows: [{ Name: 'a', Qty: 1 }, { Name: 'b', Qty: 2 }] } }), 'a(1), b(2)');
  assert.equal(run('=Concat([1, 2, 3], Text(Value * 2))'), '246');
});

test('Char and UniChar make characters from codes', () => {
  assert.equal(run('="a" & Char(10) & "b"'), 'a\nb');
  assert.equal(run('=UniChar(8364)'), '€');
  assert.equal(runtimeKind('=Char(0)'), 'InvalidArgument');
});

test('Split makes a Value column; an empty separator splits into characters', () => {
  assert.deepEqual(run('=Split("a,b,,c", ",")'), [{ Value: 'a' }, { Value: 'b' }, { Value: '' }, { Value: 'c' }]);
  assert.deepEqual(run('=Split("ab", "")'), [{ Value: 'a' }, { Value: 'b' }]);
  assert.equal(run('=Last(Split(Topic.Email, "@")).Value', { Topic: { Email: 'ada@contoso.com' } }), 'contoso.com');
});

test('StartsWith and EndsWith ignore case', () => {
  assert.equal(run('=StartsWith(System.Activity.ChannelId, "MSTEAMS")', { System: { Activity: { ChannelId: 'msteams:COPILOT' } } }), true);
  assert.equal(run('=EndsWith("report.PDF", ".pdf")'), true);
  assert.equal(run('=StartsWith("abc", "b")'), false);
});

test('IsMatch matches the whole text by default and knows Match.Email', () => {
  assert.equal(run('=IsMatch(Topic.Email, Match.Email)', { Topic: { Email: 'ada@contoso.com' } }), true);
  assert.equal(run('=IsMatch("not an email", Match.Email)'), false);
  assert.equal(run('=IsMatch("CAS-123", "CAS-\\d+")'), true);
  assert.equal(run('=IsMatch("xx CAS-123", "CAS-\\d+")'), false);
  assert.equal(run('=IsMatch("xx cas-123", "CAS-\\d+", MatchOptions.Contains & MatchOptions.IgnoreCase)'), true);
  assert.equal(run('=IsMatch("12345", Match.MultipleDigits)'), true);
});

test('EncodeUrl percent-encodes', () => {
  assert.equal(run('=EncodeUrl("a b&c")'), 'a%20b%26c');
});

test('GUID() comes from the environment; GUID(text) normalises', () => {
  assert.equal(run('=GUID()'), '00000000-0000-4000-8000-000000000001');
  assert.throws(
    () => evaluateFormula(parseFormula('=GUID()'), { getVariable: () => undefined, now: () => 0 }),
    (error: unknown) => error instanceof PowerFxError && error.code === 'unsupported' && /Give the environment a newGuid\(\)/.test(error.message),
  );
  assert.equal(run('=GUID("{0F8FAD5B-D9CB-469F-A165-70867728950E}")'), '0f8fad5b-d9cb-469f-a165-70867728950e');
});
