import fs from 'node:fs';
import path from 'node:path';
import { Given, Then, When, type DataTable } from '@cucumber/cucumber';
import type { InlineTopic } from '../copilot/inline-copilot';
import { channelOptions } from '../copilot/inline-copilot';
import { parseDuration } from '../sim/durations';
import { cellError, list, readTable } from './support/tables';
import type { HandoffWorld } from './support/world';

const topicsStep = 'Given the copilot "..." with the topics:';
const inactivityStep = "Given the copilot's inactivity topics:";

Given('the copilot {string} with the topics:', function (this: HandoffWorld, name: string, table: DataTable) {
  const rows = readTable(table, topicsStep, { required: ['topic', 'trigger phrases'], optional: ['reply', 'sets', 'then', 'message to agent'] });
  this.harness.defineCopilot(name, rows.map((row) => inlineTopic(row)));
});

Given('the copilot {string} in {string} with the topics:', function (this: HandoffWorld, name: string, language: string, table: DataTable) {
  const rows = readTable(table, topicsStep, { required: ['topic', 'trigger phrases'], optional: ['reply', 'sets', 'then', 'message to agent'] });
  this.harness.defineCopilot(name, rows.map((row) => inlineTopic(row)), language);
});

/** A path a step names: next to the feature file when it is there, else as written (from the project). */
function besideFeature(world: HandoffWorld, written: string): string {
  const beside = path.resolve(world.featureFolder, written);
  return fs.existsSync(beside) ? beside : written;
}

// An exported copilot (examples/copilots/..., a team's own export) or a replay fixture (*.copilot.json).
Given('the copilot from {string}', function (this: HandoffWorld, source: string) {
  this.harness.useCopilotFrom(besideFeature(this, source));
});

Given("the copilot's fixtures from {string}", function (this: HandoffWorld, folder: string) {
  this.harness.useCopilotFixtures(besideFeature(this, folder));
});

Given('the copilot lives in the environment {string}', function (this: HandoffWorld, environment: string) {
  this.harness.setEnvironments({ copilot: environment });
});

Given('Dynamics 365 Customer Service is installed in the environment {string}', function (this: HandoffWorld, environment: string) {
  this.harness.setEnvironments({ customerService: environment });
});

Given('the copilot was disconnected from Dynamics 365 Customer Service', function (this: HandoffWorld) {
  this.harness.disconnectCopilot();
});

Given('the customer signs in when asked', function (this: HandoffWorld) {
  this.harness.addCopilotFixtures({ signedIn: true });
});

Given('the customer does not sign in when asked', function (this: HandoffWorld) {
  this.harness.addCopilotFixtures({ signedIn: false });
});

const answersStep = "Given the copilot's knowledge answers:";
Given("the copilot's knowledge answers:", function (this: HandoffWorld, table: DataTable) {
  const rows = readTable(table, answersStep, { required: ['question', 'answer'] });
  this.harness.addCopilotFixtures({ answers: rows.map((row) => ({ question: row['question']!, answer: row['answer']! })) });
});

When('the customer submits the card with:', async function (this: HandoffWorld, table: DataTable) {
  const rows = readTable(table, 'When the customer submits the card with:', { required: ['field', 'value'] });
  await this.harness.customerSubmitsCard(Object.fromEntries(rows.map((row) => [row['field']!, row['value']!])));
});

Then('the topic {string} fired', function (this: HandoffWorld, topic: string) {
  this.harness.expectTopicFired(topic);
});

Then('the topic {string} did not fire', function (this: HandoffWorld, topic: string) {
  this.harness.expectTopicFired(topic, false);
});

Then('connecting the copilot to Dynamics 365 Customer Service failed with {string}', function (this: HandoffWorld, text: string) {
  this.harness.expectCopilotConnectionFailed(text);
});

Given('the copilot {string}', function (this: HandoffWorld, name: string) {
  this.harness.defineCopilot(name);
});

Given('the copilot greets the customer with {string}', function (this: HandoffWorld, greeting: string) {
  this.harness.setGreeting(greeting);
});

Given("the copilot's inactivity topics:", function (this: HandoffWorld, table: DataTable) {
  const rows = readTable(table, inactivityStep, { required: ['topic', 'inactive for', 'message'], optional: ['channel', 'then'] });
  this.harness.addInactivityTopics(
    rows.map((row) => {
      const channel = row['channel'] || undefined;
      if (channel && channel.toLowerCase() !== 'any' && !channelOptions[channel.toLowerCase()]) {
        throw cellError(inactivityStep, row.row, 'channel', channel, `Known channels are ${Object.keys(channelOptions).map((c) => `"${c}"`).join(', ')} or "any"`);
      }
      const then = row['then'] ?? '';
      if (then && then !== 'end conversation') throw cellError(inactivityStep, row.row, 'then', then, 'It is empty or "end conversation"');
      let ms: number;
      try {
        ms = parseDuration(row['inactive for'] ?? '');
      } catch {
        throw cellError(inactivityStep, row.row, 'inactive for', row['inactive for'] ?? '', 'It must be a duration such as "10 minutes"');
      }
      return { name: row['topic']!, seconds: ms / 1000, channel: channel?.toLowerCase() === 'any' ? undefined : channel, message: row['message']!, endsConversation: then === 'end conversation' };
    }),
  );
});

function inlineTopic(row: Record<string, string> & { row: number }): InlineTopic {
  const then = row['then'] ?? '';
  if (then && then !== 'transfer to agent' && then !== 'end conversation') {
    throw cellError(topicsStep, row.row, 'then', then, 'It is empty, "transfer to agent" or "end conversation"');
  }
  const phrases = list(row['trigger phrases']);
  if (phrases.length === 0) throw cellError(topicsStep, row.row, 'trigger phrases', '', 'It lists at least one phrase, separated by ";"');
  const sets = list(row['sets']).map((assignment) => {
    const match = /^([A-Za-z_][\w.]*)\s*=\s*(.+)$/.exec(assignment);
    if (!match) throw cellError(topicsStep, row.row, 'sets', assignment, 'Each assignment reads Variable = value, separated by ";"');
    return { variable: match[1]!, value: match[2]!.replace(/^"(.*)"$/, '$1') };
  });
  return {
    name: row['topic']!,
    phrases,
    reply: row['reply'] || undefined,
    sets,
    then: (then || undefined) as InlineTopic['then'],
    messageToAgent: row['message to agent'] || undefined,
  };
}
