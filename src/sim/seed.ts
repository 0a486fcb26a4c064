import { SimpleFaker, type Randomizer } from '@faker-js/faker';
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { ScenarioError } from './errors';

/** A stable 32-bit seed from a scenario's identity (FNV-1a), so each scenario has its own reproducible data. */
export function seedFrom(text: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index += 1) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** Reads `SEED=` from the environment; a value that is not a whole number is an error, not a silent default. */
export function seedOverride(environment: NodeJS.ProcessEnv = process.env): number | undefined {
  const raw = environment['SEED'];
  if (raw === undefined || raw === '') return undefined;
  const seed = Number(raw);
  if (!Number.isSafeInteger(seed) || seed < 0) {
    throw new ScenarioError(`SEED="${raw}" is not a seed. A seed is a whole number of 0 or more. Use the seed printed by a failed run, e.g. SEED=1234567.`);
  }
  return seed;
}

/**
 * A Faker of its own per simulation, never the global one; its reference date is the virtual start.
 * The simulation draws ids and routing splits, never localized data, so it needs no locale; and its
 * randomizer is xoroshiro128+, because seeding Faker's default Mersenne Twister costs about 50 µs, a
 * tenth of a short scenario.
 */
export function createFaker(seed: number, referenceDate: number): SimpleFaker {
  const faker = new SimpleFaker({ randomizer: seededRandomizer(seed) });
  faker.setDefaultRefDate(new Date(referenceDate));
  return faker;
}

/** Faker's randomizer interface over pure-rand's xoroshiro128+. */
export function seededRandomizer(seed: number): Randomizer {
  let generator = xoroshiro128plus(seed);
  return {
    next: () => uniformFloat64(generator),
    seed: (value) => {
      generator = xoroshiro128plus(Array.isArray(value) ? seedFrom(value.join(',')) : value);
    },
  };
}
