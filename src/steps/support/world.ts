import { World, type IWorldOptions } from '@cucumber/cucumber';
import type { Harness } from '../../harness/harness';

/** A scenario's world holds its harness and its seed, nothing else. */
export class HandoffWorld extends World {
  harness!: Harness;
  seed!: number;

  constructor(options: IWorldOptions) {
    super(options);
  }
}
