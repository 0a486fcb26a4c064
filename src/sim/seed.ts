import { Faker, base, en } from '@faker-js/faker';
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

/** A Faker of its own per simulation, never the global one; its reference date is the virtual start. */
export function createFaker(seed: number, referenceDate: number): Faker {
  const faker = new Faker({ locale: [en, base], seed });
  faker.setDefaultRefDate(new Date(referenceDate));
  return faker;
}
