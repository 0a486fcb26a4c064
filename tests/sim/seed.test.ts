import assert from 'node:assert/strict';
import { test } from 'node:test';
import { IdSource } from '../../src/sim/ids';
import { createFaker, seededRandomizer, seedFrom } from '../../src/sim/seed';

const ids = (seed: number) => {
  const source = new IdSource(createFaker(seed, 0));
  return [source.uuid(), source.alphanumeric(12), source.uuid()];
};

test('one seed gives the same ids on every run, another seed other ids', () => {
  assert.deepEqual(ids(42), ids(42));
  assert.notDeepEqual(ids(42), ids(43));
});

test('ids have the shapes clients expect', () => {
  const [uuid, short] = ids(7);
  assert.match(uuid!, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.match(short!, /^[A-Za-z0-9]{12}$/);
});

test('the randomizer draws in [0, 1), spread over the range, and re-seeding restarts its sequence', () => {
  const randomizer = seededRandomizer(seedFrom('features/routing.feature:split'));
  const draws = Array.from({ length: 10_000 }, () => randomizer.next());
  assert.ok(draws.every((draw) => draw >= 0 && draw < 1));
  const mean = draws.reduce((sum, draw) => sum + draw, 0) / draws.length;
  assert.ok(Math.abs(mean - 0.5) < 0.02, `mean ${mean}`);
  randomizer.seed(5);
  const first = [randomizer.next(), randomizer.next()];
  randomizer.seed(5);
  assert.deepEqual([randomizer.next(), randomizer.next()], first);
});
