import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseFormula, PowerFxError, type Expr } from '../../src/copilot/powerfx';
import { run } from './environment.fixture';

function syntaxErrorOf(formula: string, where = { file: 'topics/Escalate.mcs.yml', line: 14, column: 20 }): PowerFxError {
  try {
    parseFormula(formula, where);
  } catch (error) {
    assert.ok(error instanceof PowerFxError, `expected a PowerFxError, got ${String(error)}`);
    return error;
  }
  assert.fail(`expected ${formula} not to parse`);
}

/** A compact picture of the tree: operators and calls with their operands in brackets. */
function shape(expr: Expr): string {
  switch (expr.kind) {
    case 'binary': return `(${shape(expr.left)} ${expr.operator} ${shape(expr.right)})`;
    case 'unary': return expr.operator === '%' ? `(${shape(expr.operand)}%)` : `(${expr.operator}${shape(expr.operand)})`;
    case 'call': return `${expr.name}(${expr.args.map(shape).join(', ')})`;
    case 'name': return expr.path.join('.');
    case 'member': return `${shape(expr.object)}.${expr.field}`;
    case 'number': return String(expr.value);
    case 'text': return JSON.stringify(expr.value);
    case 'boolean': return String(expr.value);
    case 'record': return `{${expr.fields.map((field) => `${field.name}: ${shape(field.value)}`).join(', ')}}`;
    case 'table': return `[${expr.items.map(shape).join(', ')}]`;
    case 'interpolation': return `$(${expr.parts.map((part) => (typeof part === 'string' ? JSON.stringify(part) : shape(part))).join(' ')})`;
    case 'as': return `${shape(expr.value)} As ${expr.name}`;
  }
}

test('the leading = is optional and surrounding blank lines of a block scalar are ignored', () => {
  assert.equal(shape(parseFormula('=Topic.X = true').body), shape(parseFormula('Topic.X = true').body));
  assert.equal(shape(parseFormula('\n=Topic.X = true\n').body), '(Topic.X = true)');
});

test('precedence follows Power Fx: Or < And < in < comparison < & < + < * < unary', () => {
  assert.equal(shape(parseFormula('=a || b && c').body), '(a || (b && c))');
  assert.equal(shape(parseFormula('=a Or b And c').body), '(a || (b && c))');
  assert.equal(shape(parseFormula('="x" in a = b').body), '("x" in (a = b))');
  assert.equal(shape(parseFormula('=a = b & c').body), '(a = (b & c))');
  assert.equal(shape(parseFormula('=a & b + c').body), '(a & (b + c))');
  assert.equal(shape(parseFormula('=a + b * c - d / e').body), '((a + (b * c)) - (d / e))');
  assert.equal(shape(parseFormula('=-2^2').body), '(-(2 ^ 2))');
});

test('! binds tighter than = (docs/copilot-topic-yaml.md §3.5)', () => {
  assert.equal(shape(parseFormula('=!IsBlank(x) && y').body), '((!IsBlank(x)) && y)');
  assert.equal(shape(parseFormula('=!a = b').body), '((!a) = b)');
  assert.equal(shape(parseFormula('=Not a').body), '(!a)');
});

test('dotted and single-quoted names stay one path; member access after a call does not', () => {
  assert.equal(shape(parseFormula("=System.Bot.Components.Actions.'crd1c_agent.action.Get-profile'.DisplayName").body),
    'System.Bot.Components.Actions.crd1c_agent.action.Get-profile.DisplayName');
  const quoted = parseFormula("='bot.topic.Survey.main.question_1'.'Very good'").body;
  assert.ok(quoted.kind === 'name');
  assert.deepEqual(quoted.path, ['bot.topic.Survey.main.question_1', 'Very good']);
  assert.equal(shape(parseFormula('=First(Topic.Rows).Name').body), 'First(Topic.Rows).Name');
  assert.equal(shape(parseFormula("='it''s'").body), "it's");
});

test('literals: numbers, text with "" escapes, booleans, percent, records and tables', () => {
  assert.equal(shape(parseFormula('=1.5e3').body), '1500');
  assert.equal(shape(parseFormula('="say ""hi"""').body), '"say \\"hi\\""');
  assert.equal(shape(parseFormula('=true && false').body), '(true && false)');
  assert.equal(shape(parseFormula('=50%').body), '(50%)');
  assert.equal(shape(parseFormula('={a: 1, b: "x"}').body), '{a: 1, b: "x"}');
  assert.equal(shape(parseFormula("={'$schema': \"s\", in: 1}").body), '{$schema: "s", in: 1}');
  assert.equal(shape(parseFormula('=[1, 2, 3]').body), '[1, 2, 3]');
  assert.equal(shape(parseFormula('=[]').body), '[]');
});

test('And(...) and Or(...) are calls where an operand is expected', () => {
  assert.equal(shape(parseFormula('=And(a, Or(b, c))').body), 'And(a, Or(b, c))');
  assert.equal(run('=And(true, Or(false, true))'), true);
});

test('comments and line breaks inside formulas are skipped', () => {
  const formula = '=// Combine content\nTopic.A & /* inline */ Char(10) &\n    Topic.B';
  assert.equal(shape(parseFormula(formula).body), '((Topic.A & Char(10)) & Topic.B)');
});

test('interpolated text $"..." holds expressions, {{ and }} are braces', () => {
  assert.equal(shape(parseFormula('=$"Hi {Topic.Name}, {{x}} {1 + 2}"').body), '$("Hi " Topic.Name ", {x} " (1 + 2))');
  assert.equal(run('=$"Chat with {Topic.Name}!"', { Topic: { Name: 'Ada' } }), 'Chat with Ada!');
});

test('As names the record of a table function', () => {
  assert.equal(shape(parseFormula('=ForAll(Topic.Plans As plan, plan.Id)').body), 'ForAll(Topic.Plans As plan, plan.Id)');
});

test('a syntax error names file, line and column of the offending character in three sentences', () => {
  const error = syntaxErrorOf('=Topic.Confirm = ');
  assert.equal(error.code, 'syntax');
  assert.deepEqual(error.location, { file: 'topics/Escalate.mcs.yml', line: 14, column: 37 });
  assert.match(error.message, /^Power Fx formula at topics\/Escalate\.mcs\.yml:14:37 could not be parsed: expected an operand/);
  assert.equal(error.message.split('. ').length >= 3, true);
});

test('errors on later lines of a block scalar keep the formula indentation', () => {
  const error = syntaxErrorOf('=If(\n    Topic.X = ,\n    1)', { file: 't.yml', line: 30, column: 9 });
  assert.deepEqual(error.location, { file: 't.yml', line: 31, column: 9 + 14 });
});

test('unclosed text, stray characters and a wrong argument count are syntax errors', () => {
  assert.match(syntaxErrorOf('="abc').message, /text literal has no closing "/);
  assert.match(syntaxErrorOf('=1 ; 2').message, /unexpected character ";"/);
  const arity = syntaxErrorOf('=Len("a", "b")');
  assert.equal(arity.code, 'syntax');
  assert.equal(arity.functionName, 'Len');
  assert.match(arity.message, /calls Len with 2 argument\(s\)\. Len takes 1\./);
});

test('unknown functions parse (they fail when run), so one bad branch does not stop a topic from loading', () => {
  assert.doesNotThrow(() => parseFormula('=If(Topic.X, Patch(a, b), 1)'));
});

test('parsing the same text twice returns the cached tree', () => {
  const first = parseFormula('=Topic.Cached = 1');
  assert.equal(parseFormula('=Topic.Cached = 1'), first);
  assert.equal(parseFormula('=Topic.Cached = 1', { file: 'a.yml', line: 1, column: 1 }).body, first.body);
});
