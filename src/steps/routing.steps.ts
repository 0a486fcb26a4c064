import { Then, When, type DataTable } from '@cucumber/cucumber';
import { readTable } from './support/tables';
import type { HandoffWorld } from './support/world';

Then('the conversation is routed to queue {string}', function (this: HandoffWorld, queue: string) {
  this.harness.expectRoutedTo(queue);
});

Then('the conversation waits in queue {string}', function (this: HandoffWorld, queue: string) {
  this.harness.expectWaitingIn(queue);
});

Then('the context variable {string} received by Dynamics 365 is {string}', function (this: HandoffWorld, name: string, value: string) {
  this.harness.expectContextVariable(name, value);
});

Then('Dynamics 365 receives the context variables:', function (this: HandoffWorld, table: DataTable) {
  const rows = readTable(table, 'Then Dynamics 365 receives the context variables:', { required: ['variable', 'value'] });
  for (const row of rows) this.harness.expectContextVariable(row['variable']!, row['value']!);
});

Then('the routing explanation says {string}', function (this: HandoffWorld, text: string) {
  this.harness.expectRoutingExplanation(text);
});

Then('the session of {string} is closed with reason {string}', function (this: HandoffWorld, participant: string, reason: string) {
  this.harness.expectSessionClosed(participant, reason);
});

When('{int} more customer(s) say(s) {string}', async function (this: HandoffWorld, count: number, text: string) {
  await this.harness.moreCustomersSay(count, text);
});

Then('Dynamics 365 never receives the conversation', function (this: HandoffWorld) {
  this.harness.expectNoDynamicsConversation();
});
