import { Then, type DataTable } from '@cucumber/cucumber';
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

Then('Dynamics 365 never receives the conversation', function (this: HandoffWorld) {
  this.harness.expectNoDynamicsConversation();
});
