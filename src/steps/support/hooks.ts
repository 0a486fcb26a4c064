import { AfterAll, After, Before, BeforeAll, Status, setDefaultTimeout, setWorldConstructor } from '@cucumber/cucumber';
import { createSurfaces, inProcessFetch } from '../../../mocks/network';
import { server } from '../../../mocks/node';
import { Harness } from '../../harness/harness';
import { seedFrom, seedOverride } from '../../sim/seed';
import { HandoffWorld } from './world';

setWorldConstructor(HandoffWorld);
// Scenarios run on virtual time: a step that takes a real second is broken, not slow.
setDefaultTimeout(10_000);

BeforeAll(() => {
  server.listen({ onUnhandledRequest: 'error' });
});

AfterAll(() => {
  server.close();
});

Before(function (this: HandoffWorld, { pickle }) {
  this.seed = seedOverride() ?? seedFrom(`${pickle.uri}:${pickle.name}`);
  this.harness = new Harness({ seed: this.seed, connect: connectInProcess });
});

After(function (this: HandoffWorld, { result, pickle }) {
  server.resetHandlers();
  if (result?.status !== Status.PASSED && result?.status !== Status.SKIPPED) {
    this.log(`seed=${this.seed} (rerun with SEED=${this.seed})`);
    process.stderr.write(`\n  scenario "${pickle.name}" failed; seed=${this.seed} (rerun with SEED=${this.seed})\n`);
    if (this.harness.started) this.attach(this.harness.timelineJson(), 'application/json');
  }
});

/**
 * Customer traffic reaches the simulation's msw handlers in process. By default the customer's client
 * dispatches straight to its surface's handlers (msw's getResponse); HANDOFF_WIRE=intercept sends it
 * through global fetch and setupServer's interception instead. Either way an unknown request fails.
 */
function connectInProcess(sim: Parameters<NonNullable<ConstructorParameters<typeof Harness>[0]['connect']>>[0]): typeof fetch | void {
  const surfaces = createSurfaces(sim);
  if (process.env['HANDOFF_WIRE'] === 'intercept') {
    server.use(...surfaces.flatMap((surface) => surface.handlers));
    return undefined;
  }
  return inProcessFetch(surfaces);
}
