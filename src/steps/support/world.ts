import { World, type IWorldOptions } from '@cucumber/cucumber';
import type { Harness } from '../../harness/harness';

/** A scenario's world holds its harness, its seed and where its feature file is, nothing else. */
export class HandoffWorld extends World {
  harness!: Harness;
  seed!: number;
  /** The folder of the scenario's feature file: a fixture a step names is found next to the feature. */
  featureFolder!: string;

  constructor(options: IWorldOptions) {
    super(options);
  }
}
