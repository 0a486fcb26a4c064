import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PowerFxError } from '../../src/copilot/powerfx';
import { run } from './environment.fixture';

test('Mod takes the sign of the divisor and rejects a zero divisor', () => {
  assert.equal(run('=Mod(10, 3)'), 1);
  assert.equal(run('=Mod(-1, 3)'), 2);
  assert.throws(() => run('=Mod(1, 0)'), (error: unknown) => error instanceof PowerFxError && error.errorKind === 'Div0');
});

test('Round, RoundUp and RoundDown round half away from zero, away from zero and toward zero', () => {
  assert.equal(run('=Round(2.5, 0)'), 3);
  assert.equal(run('=Round(-2.5, 0)'), -3);
  assert.equal(run('=Round(1.005, 2)'), 1.01);
  assert.equal(run('=RoundUp(2.31, 1)'), 2.4);
  assert.equal(run('=RoundDown(-2.39, 1)'), -2.3);
  assert.equal(run('=Round(1234, -2)'), 1200);
});

test('Abs, Int, Trunc, Sqrt and Power', () => {
  assert.equal(run('=Abs(-4)'), 4);
  assert.equal(run('=Int(-2.5)'), -3);
  assert.equal(run('=Trunc(-2.5)'), -2);
  assert.equal(run('=Sqrt(16)'), 4);
  assert.equal(run('=Power(2, 8)'), 256);
});

test('Sum, Average, Max and Min take scalars or a table and a formula, skipping Blank', () => {
  const rows = { Topic: { Lines: [{ Amount: 10 }, { Amount: 5 }, {}] } };
  assert.equal(run('=Sum(Topic.Lines, Amount)', rows), 15);
  assert.equal(run('=Average(Topic.Lines, Amount)', rows), 7.5);
  assert.equal(run('=Max(3, Blank(), 9, 4)'), 9);
  assert.equal(run('=Min(Topic.Lines, Amount)', rows), 5);
  assert.equal(run('=Sum([1, 2, 3], Value * 10)'), 60);
});
