import type { SimpleFaker } from '@faker-js/faker';

/** Every id in a simulation comes from its seeded Faker, so two runs with one seed produce the same ids. */
export class IdSource {
  readonly #faker: SimpleFaker;
  #counter = 0;

  constructor(faker: SimpleFaker) {
    this.#faker = faker;
  }

  uuid(): string {
    return this.#faker.string.uuid();
  }

  /** Short alphanumeric ids, like Direct Line conversation ids. */
  alphanumeric(length: number): string {
    return this.#faker.string.alphanumeric(length);
  }

  sequence(): number {
    this.#counter += 1;
    return this.#counter;
  }
}
