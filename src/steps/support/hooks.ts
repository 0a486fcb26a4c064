import path from 'node:path';
import { AfterAll, After, Before, BeforeAll, BeforeStep, Status, setDefaultTimeout, setWorldConstructor } from '@cucumber/cucumber';
import { createSurfaces, inProcessFetch, UnhandledRequestError } from '../../../mocks/network';
import { server } from '../../../mocks/node';
import { Harness } from '../../harness/harness';
import { Redactor, secretsFromEnvironment } from '../../report/redaction';
import { runInterruption } from '../../report/run-interruption';
import { encodeTimelineAttachment, timelineMediaType } from '../../report/timeline-attachment';
import { seedFrom, seedOverride } from '../../sim/seed';
import { HandoffWorld } from './world';

setWorldConstructor(HandoffWorld);
// Scenarios run on virtual time: a step that takes a real second is broken, not slow.
setDefaultTimeout(10_000);

const intercepting = process.env['HANDOFF_WIRE'] === 'intercept';
const globalFetch = globalThis.fetch;

// setupServer's interception wraps the global Request, Response and Headers in proxies, which makes every
// Fetch object slower, so it is on only when the traffic goes through it. When the customer's client
// dispatches to the handlers itself, nothing in a scenario may reach the network either: the global
// fetch fails loudly, as an unhandled request does under interception.
BeforeAll(() => {
  if (intercepting) {
    server.listen({ onUnhandledRequest: 'error' });
    return;
  }
  globalThis.fetch = async (input) => {
    const request = input instanceof Request ? input : new Request(input);
    throw new UnhandledRequestError(`No mock handles ${request.method} ${request.url}. A scenario never reaches the network; customer traffic goes through the simulation's mocks. Check the URL the client calls.`);
  };
});

AfterAll(() => {
  if (intercepting) server.close();
  globalThis.fetch = globalFetch;
});

const featureRoot = path.resolve(__dirname, '..', '..', '..');

// A run on virtual time is one long chain of promises: without a turn of the event loop, Ctrl-C would
// only be seen (and progress output only flushed) after the last scenario. The run yields before each
// scenario, and before a step once the timeline grew by many entries since the last turn (a step that
// did a lot of work); a turn before every step would cost more than a short scenario's wire traffic.
// Once Ctrl-C is seen, no further step starts, and the process writes the reports of the scenarios that
// finished, then exits.
const entriesBetweenYields = 200;
let entriesAtLastYield = 0;

function yieldToEventLoop(entries: number): Promise<void> {
  entriesAtLastYield = entries;
  return new Promise<void>((resolve) => setImmediate(() => runInterruption.requested || resolve()));
}

// One Before hook for everything a scenario sets up: each hook is a test step of its own in cucumber's
// message stream, with its own cost.
Before(function (this: HandoffWorld, { pickle }) {
  this.seed = seedOverride() ?? seedFrom(`${pickle.uri}:${pickle.name}`);
  this.harness = new Harness({ seed: this.seed, connect: connectInProcess });
  this.featureFolder = path.dirname(path.resolve(featureRoot, pickle.uri));
  return yieldToEventLoop(0);
});

BeforeStep(function (this: HandoffWorld) {
  const recorded = this.harness.started ? this.harness.timeline.length : 0;
  if (runInterruption.requested || recorded - entriesAtLastYield >= entriesBetweenYields) return yieldToEventLoop(recorded);
  return undefined;
});

const configuredSecrets = secretsFromEnvironment();

// Every scenario's timeline, passed or failed, goes into the message stream: the conversation report,
// model coverage and failure bundles are built from it. The run's summary prints the seed of a failure.
After(function (this: HandoffWorld, { result }) {
  if (intercepting) server.resetHandlers();
  if (result?.status !== Status.PASSED && result?.status !== Status.SKIPPED) this.log(`seed=${this.seed} (rerun with SEED=${this.seed})`);
  if (!this.harness.started) return;
  const redactor = new Redactor([...configuredSecrets, this.harness.sim.directLine.secret]);
  this.attach(encodeTimelineAttachment(this.seed, this.harness.timeline, redactor), { mediaType: `base64:${timelineMediaType}`, fileName: 'timeline.json.gz' });
});

/**
 * Customer traffic reaches the simulation's msw handlers in process. By default the customer's client
 * dispatches straight to its surface's handlers (msw's getResponse); HANDOFF_WIRE=intercept sends it
 * through global fetch and setupServer's interception instead. Either way an unknown request fails.
 */
function connectInProcess(sim: Parameters<NonNullable<ConstructorParameters<typeof Harness>[0]['connect']>>[0]): typeof fetch | void {
  const surfaces = createSurfaces(sim);
  if (intercepting) {
    server.use(...surfaces.flatMap((surface) => surface.handlers));
    return undefined;
  }
  return inProcessFetch(surfaces);
}
