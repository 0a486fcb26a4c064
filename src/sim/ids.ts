import type { SimpleFaker } from '@faker-js/faker';

/** Every id in a simulation comes from its seeded Faker, so two runs with one seed produce the same ids. */
export class IdSource {
  readonly #faker: SimpleFaker;
  #counter = 0;

  constructor(faker: SimpleFaker) {
    this.#faker = faker;
  }

  /** A version 4 UUID from four 32-bit draws: Faker's own draws a character at a time, ten times the cost, and ids are made all the time. */
  uuid(): string {
    const words = [0, 0, 0, 0].map(() => this.#faker.number.int({ min: 0, max: 0xffffffff }).toString(16).padStart(8, '0')).join('');
    const variant = ((parseInt(words[16]!, 16) & 0x3) | 0x8).toString(16);
    return `${words.slice(0, 8)}-${words.slice(8, 12)}-4${words.slice(13, 16)}-${variant}${words.slice(17, 20)}-${words.slice(20, 32)}`;
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
