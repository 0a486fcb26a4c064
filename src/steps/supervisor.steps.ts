import { Then, When, type DataTable } from '@cucumber/cucumber';
import { readTable, wholeNumber } from './support/tables';
import type { HandoffWorld } from './support/world';

const ongoingStep = 'Then the supervisor sees the ongoing conversations:';
Then('the supervisor sees the ongoing conversations:', function (this: HandoffWorld, table: DataTable) {
  const rows = readTable(table, ongoingStep, { required: ['customer', 'status'], optional: ['queue', 'agent'] });
  this.harness.expectOngoingConversations(rows.map((row) => ({ customer: row['customer']!, status: row['status']!, queue: row['queue'] || undefined, agent: row['agent'] || undefined })));
});

Then('the supervisor sees {int} conversation(s) waiting in queue {string}', function (this: HandoffWorld, waiting: number, queue: string) {
  this.harness.expectQueueView(queue, waiting);
});

Then('the supervisor sees {int} conversation(s) waiting in queue {string}, the longest for {duration}', function (this: HandoffWorld, waiting: number, queue: string, ms: number) {
  this.harness.expectQueueView(queue, waiting, ms);
});

const agentsStep = 'Then the supervisor sees the agents:';
Then('the supervisor sees the agents:', function (this: HandoffWorld, table: DataTable) {
  const rows = readTable(table, agentsStep, { required: ['agent'], optional: ['presence', 'capacity used', 'capacity'] });
  this.harness.expectAgentOccupancy(
    rows.map((row) => ({
      agent: row['agent']!,
      presence: row['presence'] || undefined,
      used: row['capacity used'] ? wholeNumber(agentsStep, row, 'capacity used') : undefined,
      capacity: row['capacity'] ? wholeNumber(agentsStep, row, 'capacity') : undefined,
    })),
  );
});

When('the supervisor assigns the conversation to agent {agent}', function (this: HandoffWorld, agent: string) {
  this.harness.supervisorAssigns(1, agent);
});

When('the supervisor assigns the conversation of customer {int} to agent {agent}', function (this: HandoffWorld, customer: number, agent: string) {
  this.harness.supervisorAssigns(customer, agent);
});

When('the supervisor force closes the conversation', function (this: HandoffWorld) {
  this.harness.supervisorForceCloses(1);
});
