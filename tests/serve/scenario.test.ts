import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildServeSimulation, defaultServeScenario, parseServeScenario, ServeConfigError } from '../../src/serve/scenario';
import { WallClockDriver } from '../../src/serve/wall-clock';
import { VirtualClock } from '../../src/sim/virtual-clock';

test('the default scenario builds a copilot with greeting, billing, escalate and session timeout topics, and a staffed contact center', () => {
  const sim = buildServeSimulation(defaultServeScenario());
  assert.deepEqual(
    sim.copilot?.topics.map((topic) => topic.name),
    ['Conversation Start', 'Billing', 'Escalate', 'Session Timeout Reminder', 'Session Timeout'],
  );
  assert.deepEqual(sim.omnichannel.agentNames(), ['Alice', 'Bob']);
});

test('a YAML scenario replaces the sections it gives and keeps the rest', () => {
  const scenario = parseServeScenario(
    [
      'seed: 42',
      'copilot:',
      '  name: Fabrikam Helper',
      '  greeting: Hi from Fabrikam.',
      '  topics:',
      '    - name: Escalate',
      '      phrases: [agent please]',
      '      reply: One moment.',
      '      then: transfer to agent',
      '      sets: { Department: Billing, Priority: 2, VIP: true }',
    ].join('\n'),
    'serve.yaml',
  );
  assert.equal(scenario.seed, 42);
  assert.equal(scenario.copilot.name, 'Fabrikam Helper');
  assert.deepEqual(scenario.copilot.inactivity, [], 'the copilot section replaces the default copilot as a whole');
  assert.deepEqual(scenario.contactCenter, defaultServeScenario().contactCenter, 'the contact center is the default one');
  const sim = buildServeSimulation(scenario);
  assert.equal(sim.copilot?.name, 'Fabrikam Helper');
});

test('a JSON scenario is read too', () => {
  const scenario = parseServeScenario(JSON.stringify({ contactCenter: { queues: [{ name: 'Only' }], agents: [{ name: 'Carol', queues: ['Only'] }], workStream: { fallbackQueue: 'Only' } } }), 'serve.json');
  const sim = buildServeSimulation(scenario, 'serve.json');
  assert.deepEqual(sim.omnichannel.agentNames(), ['Carol']);
});

/** Each mistake and the words its error must contain: the file and line, the field, and what it should be. */
const mistakes: Array<[string, string, RegExp]> = [
  ['copilot:\n  name: X\n  topics:\n    - name: T\n      phrases: [a]\n      then: transfer\n', 'a wrong "then"', /^serve\.yaml:6:13: copilot\.topics\[0\]\.then is "transfer"\. It is "transfer to agent" or "end conversation"\. Fix that field in serve\.yaml\.$/],
  ['copilot:\n  name: X\n  topic: []\n', 'a misspelt key', /^serve\.yaml:3:10: copilot\.topic is not a setting\. The settings here are name, greeting, topics, inactivity\./],
  ['copilot:\n  topics: []\n', 'a missing name', /^serve\.yaml:2:3: copilot\.name is missing\. It must be a non-empty text\./],
  ['contactCenter:\n  agents:\n    - name: A\n      queues: [General]\n      presence: Sleeping\n', 'an unknown presence', /contactCenter\.agents\[0\]\.presence is "Sleeping"\. It is one of Available/],
  ['copilot:\n  name: X\n  inactivity:\n    - name: T\n      inactiveFor: soon\n      message: m\n', 'a bad duration', /copilot\.inactivity\[0\]\.inactiveFor is "soon"\. It is a duration such as "5 minutes"/],
  ['seed: -1\n', 'a negative seed', /^serve\.yaml:1:7: seed is -1\. It must be a whole number of 0 or more\./],
  ['copilot: [\n', 'broken YAML', /^serve\.yaml:2:1: the file is not valid JSON or YAML/],
];

for (const [text, mistake, expected] of mistakes) {
  test(`a scenario file with ${mistake} is refused with an error that names the field`, () => {
    assert.throws(() => parseServeScenario(text, 'serve.yaml'), (error: unknown) => {
      assert.ok(error instanceof ServeConfigError);
      assert.match((error as Error).message, expected);
      return true;
    });
  });
}

test('a scenario whose parts do not fit together is refused by the harness\'s own checks, naming the file', () => {
  const scenario = parseServeScenario('contactCenter:\n  queues: [{ name: General }]\n  rules: [{ name: R, condition: Department = "Billing", queue: Nowhere }]\n  agents: [{ name: A, queues: [General] }]\n', 'serve.yaml');
  assert.throws(() => buildServeSimulation(scenario, 'serve.yaml'), /^ServeConfigError: serve\.yaml: .*"Nowhere"/);
});

test('the wall clock drives virtual time at its speed, and an advance is kept', () => {
  const clock = new VirtualClock(0);
  let wall = 1000;
  const fired: number[] = [];
  clock.setTimeout(() => fired.push(clock.now()), 90_000);
  const driver = new WallClockDriver(clock, { speed: 60, onError: (error) => assert.fail(String(error)), wallNow: () => wall });
  driver.start();
  wall += 1000;
  driver.sync();
  assert.equal(clock.now(), 60_000, 'one real second is a virtual minute at speed 60');
  wall += 500;
  driver.sync();
  assert.deepEqual(fired, [90_000], 'the timer fired at its own virtual instant');
  driver.advanceBy(600_000);
  assert.equal(clock.now(), 690_000);
  wall += 1000;
  driver.sync();
  assert.equal(clock.now(), 750_000, 'after an advance, time follows the wall clock from the new instant');
  driver.stop();
});

test('at speed 0 virtual time is frozen until advanced', () => {
  const clock = new VirtualClock(0);
  let wall = 0;
  const driver = new WallClockDriver(clock, { speed: 0, onError: () => undefined, wallNow: () => wall });
  driver.start();
  wall += 60_000;
  driver.sync();
  assert.equal(clock.now(), 0);
  driver.advanceBy(5000);
  assert.equal(clock.now(), 5000);
  driver.stop();
  assert.throws(() => new WallClockDriver(clock, { speed: -1, onError: () => undefined }), /is not a speed/);
});
