import { test } from 'node:test';
import assert from 'node:assert/strict';
import { evaluateFormula, optionSetMember, parseFormula, PowerFxError } from '../../src/copilot/powerfx';
import { environmentOf, run } from './environment.fixture';

function errorOf(formula: string, variables: Record<string, unknown> = {}): PowerFxError {
  try {
    run(formula, variables);
  } catch (error) {
    assert.ok(error instanceof PowerFxError, `expected a PowerFxError, got ${String(error)}`);
    return error;
  }
  assert.fail(`expected ${formula} to fail`);
}

test('variables resolve through getVariable with the whole dotted path', () => {
  const env = environmentOf({ Topic: { Case: { Id: 'CAS-1' } }, Env: { contoso_Url: 'https://x' } });
  assert.equal(evaluateFormula(parseFormula('=Topic.Case.Id & " " & Env.contoso_Url'), env), 'CAS-1 https://x');
  assert.deepEqual(env.reads, [['Topic', 'Case', 'Id'], ['Env', 'contoso_Url']]);
});

test('an unset variable is Blank and null from JSON is Blank', () => {
  assert.equal(run('=IsBlank(Topic.Missing)'), true);
  assert.equal(run('=IsBlank(Global.Nothing)', { Global: { Nothing: null } }), true);
});

test('= and <> on text are case-sensitive', () => {
  assert.equal(run('=Topic.X = "Delete"', { Topic: { X: 'Delete' } }), true);
  assert.equal(run('=Topic.X = "Delete"', { Topic: { X: 'DELETE' } }), false);
  assert.equal(run('=Topic.X <> "Delete"', { Topic: { X: 'DELETE' } }), true);
});

test('in ignores case and exactin does not; both test substrings and table membership', () => {
  assert.equal(run('="add" in Lower(System.Activity.Text)', { System: { Activity: { Text: 'Please ADD me' } } }), true);
  assert.equal(run('="ADD" in "please add"'), true);
  assert.equal(run('="ADD" exactin "please add"'), false);
  assert.equal(run('="add" exactin "please add"'), true);
  assert.equal(run('="jane" in ["Jane", "John"]'), true);
  assert.equal(run('="jane" exactin ["Jane", "John"]'), false);
  assert.equal(run('=Topic.Code in Env.Regions', { Topic: { Code: 'FR' }, Env: { Regions: 'DE,FR,IT' } }), true);
  assert.equal(run('="b" in Global.Tags', { Global: { Tags: ['a', 'b'] } }), true);
});

test('Blank rules: IsBlank("") is true, Blank() = "" is false, Blank() acts as 0 in < and as "" in &', () => {
  assert.equal(run('=IsBlank("")'), true);
  assert.equal(run('=Blank() = ""'), false);
  assert.equal(run('=Blank() = 0'), false);
  assert.equal(run('=Blank() = Blank()'), true);
  assert.equal(run('=Blank() < 0.0000001'), true);
  assert.equal(run('=-5 < Blank()'), true);
  assert.equal(run('="A" & Blank() & "B"'), 'AB');
  assert.equal(run('=Blank() + 5'), 5);
});

test('&& and || short-circuit: the right side is not evaluated when the left decides', () => {
  // 1/0 would be a runtime error if it were evaluated.
  assert.equal(run('=false && 1/0 = 1'), false);
  assert.equal(run('=true || 1/0 = 1'), true);
  assert.equal(run('=Topic.A = 1 Or Topic.B = 2', { Topic: { A: 1 } }), true);
});

test('comparisons, arithmetic, percent and concatenation', () => {
  assert.equal(run('=System.FallbackCount < 3', { System: { FallbackCount: 2 } }), true);
  assert.equal(run('=Topic.N >= 10', { Topic: { N: 9 } }), false);
  assert.equal(run('=7 - 2 * 3 + 10 / 4'), 3.5);
  assert.equal(run('=2^10'), 1024);
  assert.equal(run('=50% * 10'), 5);
  assert.equal(run('=1 & 2 = "12"'), true);
  assert.equal(run('="5" + 1'), 6);
});

test('division by zero is a runtime error naming the operator position', () => {
  const error = errorOf('=Topic.N / 0', { Topic: { N: 3 } });
  assert.equal(error.code, 'runtime');
  assert.equal(error.errorKind, 'Div0');
  assert.deepEqual(error.location, { file: 'formula', line: 1, column: 10 });
});

test('option-set members equal the same member and, against text, their name ignoring case', () => {
  assert.equal(run('=System.SignInReason = SignInReason.SignInRequired', { System: { SignInReason: optionSetMember('SignInReason', 'SignInRequired') } }), true);
  assert.equal(run('=System.Activity.Channel <> ChannelId.MsTeams', { System: { Activity: { Channel: { optionSet: 'ChannelId', member: 'Omnichannel' } } } }), true);
  assert.equal(run('=System.Activity.Channel = ChannelId.Omnichannel', { System: { Activity: { Channel: { optionSet: 'ChannelId', member: 'Omnichannel' } } } }), true);
  assert.equal(run('=ChannelId.MsTeams = "msteams"'), true);
  assert.equal(run("=Topic.Choice = 'bot.topic.Survey.main.question_1'.'Very good'", { Topic: { Choice: 'Very good' } }), true);
  assert.deepEqual({ ...(run('=TimeUnit.Days') as object) }, { optionSet: 'TimeUnit', member: 'Days' });
});

test('a closed option set rejects an unknown member as unsupported', () => {
  const error = errorOf('=TimeUnit.Fortnights');
  assert.equal(error.code, 'unsupported');
  assert.match(error.message, /member "Fortnights" of option set TimeUnit/);
});

test('an unknown name or function is an unsupported error at the call, never a TypeError', () => {
  const name = errorOf('=Foo.Bar = 1');
  assert.equal(name.code, 'unsupported');
  assert.match(name.message, /the name "Foo\.Bar"/);
  const known = errorOf('=1 + Patch(Topic.A, 1)');
  assert.equal(known.code, 'unsupported');
  assert.equal(known.functionName, 'Patch');
  assert.deepEqual(known.location, { file: 'formula', line: 1, column: 6 });
  assert.match(known.message, /uses the function Patch, which this engine does not support/);
  assert.match(errorOf('=Frobnicate(1)').message, /the unknown function Frobnicate/);
});

test('records and tables: field access, single-column tables use Value, a table column is a table', () => {
  assert.equal(run('={a: 1, b: "x"}.b'), 'x');
  assert.deepEqual(run('=[1, 2]'), [{ Value: 1 }, { Value: 2 }]);
  assert.deepEqual(run('=Topic.Rows.Name', { Topic: { Rows: [{ Name: 'a' }, { Name: 'b' }] } }), [{ Name: 'a' }, { Name: 'b' }]);
  assert.equal(run('=Topic.R.Missing', { Topic: { R: { a: 1 } } }), undefined);
});

test('dates: a date plus a number moves by days, a date minus a date counts days', () => {
  assert.deepEqual(run('=Today() + 1'), new Date(Date.UTC(2024, 4, 18)));
  assert.equal(run('=DateValue("2024-05-20") - DateValue("2024-05-17")'), 3);
  assert.equal(run('=DateValue(Topic.Start) <= DateValue(Topic.End)', { Topic: { Start: '2024-01-31', End: '2024-02-01' } }), true);
});

test('an error value thrown by the environment becomes a runtime PowerFxError, not a crash', () => {
  const env = { getVariable: () => { throw new TypeError('store is closed'); }, now: () => 0 };
  assert.throws(() => evaluateFormula(parseFormula('=Topic.X'), env), (error: unknown) => error instanceof PowerFxError && error.code === 'runtime' && /store is closed/.test(error.message));
});
