import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PowerFxError } from '../../src/copilot/powerfx';
import { run } from './environment.fixture';

const cafes = {
  Topic: {
    Cafes: [
      { name: 'North', seats: 40, open: true },
      { name: 'East', seats: 12, open: false },
      { name: 'South', seats: 25, open: true },
    ],
  },
};

test('First and Last give a row, Blank for an empty table', () => {
  assert.equal(run('=First(Topic.Cafes).name', cafes), 'North');
  assert.equal(run('=Last(Topic.Cafes).name', cafes), 'South');
  assert.equal(run('=First(Filter(Topic.Cafes, seats > 100))', cafes), undefined);
  assert.deepEqual(run('=First([7, 8])'), { Value: 7 });
});

test('FirstN and LastN give tables', () => {
  assert.deepEqual(run('=FirstN([1, 2, 3], 2)'), [{ Value: 1 }, { Value: 2 }]);
  assert.deepEqual(run('=LastN([1, 2, 3], 2)'), [{ Value: 2 }, { Value: 3 }]);
  assert.deepEqual(run('=FirstN([1, 2, 3])'), [{ Value: 1 }]);
});

test('ForAll evaluates per row with ThisRecord, bare column names and As names', () => {
  assert.deepEqual(run('=ForAll(Topic.Cafes, Upper(name))', cafes), [{ Value: 'NORTH' }, { Value: 'EAST' }, { Value: 'SOUTH' }]);
  assert.deepEqual(run('=ForAll(Topic.Cafes, {title: ThisRecord.name, big: seats > 20})', cafes), [
    { title: 'North', big: true }, { title: 'East', big: false }, { title: 'South', big: true },
  ]);
  assert.deepEqual(run('=ForAll(Topic.Cafes As cafe, cafe.seats * 2)', cafes), [{ Value: 80 }, { Value: 24 }, { Value: 50 }]);
  assert.deepEqual(run('=ForAll(Sequence(3), Value * Value)'), [{ Value: 1 }, { Value: 4 }, { Value: 9 }]);
});

test('Filter keeps rows where every condition holds; a missing column is Blank', () => {
  assert.deepEqual(run('=Filter(Topic.Cafes, open, seats > 30)', cafes), [{ name: 'North', seats: 40, open: true }]);
  assert.equal(run('=CountRows(Filter(Topic.Rows, !IsBlank(name)))', { Topic: { Rows: [{ name: 'a' }, { other: 1 }] } }), 1);
});

test('LookUp finds the first matching row, optionally reduced', () => {
  assert.equal(run('=LookUp(Topic.Cafes, seats < 30).name', cafes), 'East');
  assert.equal(run('=LookUp(Topic.Cafes, Lower(name) = Lower(Topic.Pick), seats)', { Topic: { ...cafes.Topic, Pick: 'SOUTH' } }), 25);
  assert.equal(run('=IsBlank(LookUp(Topic.Cafes, name = "West"))', cafes), true);
});

test('LookUp inside ForAll sees the inner row first', () => {
  const data = { Topic: { Plans: [{ Id: 1 }, { Id: 2 }], Balances: [{ Id: 2, Balance: 5 }] } };
  assert.deepEqual(run('=ForAll(Topic.Plans As plan, LookUp(Topic.Balances, Id = plan.Id, Balance))', data), [{ Value: undefined }, { Value: 5 }]);
});

test('CountRows and CountIf count rows', () => {
  assert.equal(run('=CountRows(Topic.Cafes)', cafes), 3);
  assert.equal(run('=CountRows(Topic.Missing)'), 0);
  assert.equal(run('=CountIf(Topic.Cafes, open)', cafes), 2);
  assert.equal(run('=CountRows(System.Recognizer.IntentOptions) > 1', { System: { Recognizer: { IntentOptions: [{}, {}] } } }), true);
});

test('Index is 1-based and outside the table is an error', () => {
  assert.equal(run('=Index(Topic.Cafes, 2).name', cafes), 'East');
  assert.throws(() => run('=Index(Topic.Cafes, 4)', cafes), (error: unknown) => error instanceof PowerFxError && error.errorKind === 'InvalidArgument');
});

test('Sequence counts from a start by a step', () => {
  assert.deepEqual(run('=Sequence(3, 10, 5)'), [{ Value: 10 }, { Value: 15 }, { Value: 20 }]);
  assert.deepEqual(run('=Sequence(0)'), []);
});

test('Table builds a table of records', () => {
  assert.deepEqual(run('=Table({a: 1}, {a: 2})'), [{ a: 1 }, { a: 2 }]);
  assert.equal(run('=CountRows(Table(ParseJSON(Topic.Json)))', { Topic: { Json: '[1, 2, 3]' } }), 3);
});

test('SortByColumns sorts by named columns, ascending or descending, Blank last', () => {
  const rows = { Topic: { Rows: [{ name: 'b', n: 2 }, { name: 'A', n: 1 }, { n: 3 }, { name: 'c', n: 0 }] } };
  assert.deepEqual(run('=ForAll(SortByColumns(Topic.Rows, "name"), n)', rows), [{ Value: 1 }, { Value: 2 }, { Value: 0 }, { Value: 3 }]);
  assert.deepEqual(run("=ForAll(SortByColumns(Topic.Rows, 'n', SortOrder.Descending), n)", rows), [{ Value: 3 }, { Value: 2 }, { Value: 1 }, { Value: 0 }]);
});

test('Sort, Distinct and ShowColumns', () => {
  assert.deepEqual(run('=Sort([3, 1, 2], Value, SortOrder.Descending)'), [{ Value: 3 }, { Value: 2 }, { Value: 1 }]);
  assert.deepEqual(run('=Distinct(Topic.Cafes, open)', cafes), [{ Value: true }, { Value: false }]);
  assert.deepEqual(run('=ShowColumns(Topic.Cafes, name)', cafes), [{ name: 'North' }, { name: 'East' }, { name: 'South' }]);
});

test('ParseJSON gives records and tables; Text() and Value() read its fields', () => {
  const json = { Topic: { Body: '{"case": {"number": "CAS-9", "priority": "2"}, "tags": ["vip", "billing"], "none": null}' } };
  assert.equal(run('=Text(ParseJSON(Topic.Body).case.number)', json), 'CAS-9');
  assert.equal(run('=Value(ParseJSON(Topic.Body).case.priority) + 1', json), 3);
  assert.equal(run('=CountRows(ParseJSON(Topic.Body).tags)', json), 2);
  assert.equal(run('="vip" in ParseJSON(Topic.Body).tags', json), true);
  assert.equal(run('=IsBlank(ParseJSON(Topic.Body).none)', json), true);
  assert.equal(run('=IsError(ParseJSON("{broken"))'), true);
});
