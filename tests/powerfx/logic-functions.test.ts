import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PowerFxError } from '../../src/copilot/powerfx';
import { run } from './environment.fixture';

test('If picks the first true branch, evaluates only that branch, and gives Blank without an else', () => {
  assert.equal(run('=If(Topic.N > 10, "big", Topic.N > 5, "medium", "small")', { Topic: { N: 7 } }), 'medium');
  assert.equal(run('=If(false, 1/0, "safe")'), 'safe');
  assert.equal(run('=If(false, "x")'), undefined);
});

test('IsBlank is true for Blank and empty text only', () => {
  assert.equal(run('=IsBlank(Topic.Email)'), true);
  assert.equal(run('=IsBlank("")'), true);
  assert.equal(run('=IsBlank(" ")'), false);
  assert.equal(run('=IsBlank(0)'), false);
  assert.equal(run('=!IsBlank(System.User.Email)', { System: { User: { Email: 'a@b.c' } } }), true);
});

test('IsEmpty is true for an empty or Blank table', () => {
  assert.equal(run('=IsEmpty(Topic.Rows)', { Topic: { Rows: [] } }), true);
  assert.equal(run('=IsEmpty(Topic.Rows)'), true);
  assert.equal(run('=IsEmpty([1])'), false);
});

test('Blank() is Blank', () => {
  assert.equal(run('=Blank()'), undefined);
});

test('Coalesce returns the first value that is neither Blank nor empty text', () => {
  assert.equal(run('=Coalesce(Topic.Nick, "", Topic.Name, "friend")', { Topic: { Name: 'Ada' } }), 'Ada');
  assert.equal(run('=Coalesce(Blank(), "")'), undefined);
  assert.equal(run('=Coalesce(5, 1/0)'), 5);
});

test('Switch compares with = and falls back to the default', () => {
  assert.equal(run('=Switch(Topic.Tier, "Gold", 1, "Silver", 2, 9)', { Topic: { Tier: 'Silver' } }), 2);
  assert.equal(run('=Switch(Topic.Tier, "Gold", 1, "Silver", 2, 9)', { Topic: { Tier: 'gold' } }), 9);
  assert.equal(run('=Switch(3, 1, "a")'), undefined);
});

test('And, Or and Not as functions', () => {
  assert.equal(run('=And(Topic.A, Topic.B)', { Topic: { A: true, B: false } }), false);
  assert.equal(run('=Or(Topic.A, Topic.B)', { Topic: { A: false, B: true } }), true);
  assert.equal(run('=Not(Topic.A)', { Topic: { A: true } }), false);
  assert.equal(run('=Or(true, 1/0 = 1)'), true);
});

test('IfError catches an error value and exposes FirstError; without an error it returns the value', () => {
  assert.equal(run('=IfError(1/Topic.N, -1)', { Topic: { N: 0 } }), -1);
  assert.equal(run('=IfError(1/Topic.N, -1)', { Topic: { N: 4 } }), 0.25);
  assert.equal(run('=IfError(Value("abc"), FirstError.Kind = ErrorKind.InvalidArgument)'), true);
  assert.equal(run('=IfError(1/0, FirstError.Kind)'), 13);
});

test('IsError and IsBlankOrError detect error values without failing', () => {
  assert.equal(run('=IsError(1/0)'), true);
  assert.equal(run('=IsError(1)'), false);
  assert.equal(run('=IsBlankOrError(Topic.Missing)'), true);
});

test('With names the fields of a record for the formula', () => {
  assert.equal(run('=With({total: Topic.A + Topic.B}, total * 2)', { Topic: { A: 1, B: 2 } }), 6);
  assert.equal(run('=With(ParseJSON(Topic.Json), Text(name))', { Topic: { Json: '{"name":"Ada"}' } }), 'Ada');
});

test('Boolean reads true/false text and numbers', () => {
  assert.equal(run('=Boolean("TRUE")'), true);
  assert.equal(run('=Boolean(0)'), false);
  assert.throws(() => run('=Boolean("maybe")'), (error: unknown) => error instanceof PowerFxError && error.errorKind === 'InvalidArgument');
});
