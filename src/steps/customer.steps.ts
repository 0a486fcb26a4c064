import { Then, When, type DataTable } from '@cucumber/cucumber';
import { readTable } from './support/tables';
import type { HandoffWorld } from './support/world';

When('the customer starts a chat', async function (this: HandoffWorld) {
  await this.harness.customerStartsChat();
});

When('the customer starts a chat with the context:', async function (this: HandoffWorld, table: DataTable) {
  const rows = readTable(table, 'When the customer starts a chat with the context:', { required: ['variable', 'value'] });
  await this.harness.customerStartsChat(Object.fromEntries(rows.map((row) => [row['variable']!, row['value']!])));
});

When('the customer says {string}', async function (this: HandoffWorld, text: string) {
  await this.harness.customerSays(text);
});

When('the customer says:', async function (this: HandoffWorld, text: string) {
  await this.harness.customerSays(text);
});

When('the customer ends the chat', async function (this: HandoffWorld) {
  await this.harness.customerEndsChat();
});

Then('the customer sees {string}', async function (this: HandoffWorld, text: string) {
  await this.harness.customerSees(text);
});

Then('the customer sees:', async function (this: HandoffWorld, text: string) {
  await this.harness.customerSees(text);
});

Then('the customer does not see {string}', async function (this: HandoffWorld, text: string) {
  await this.harness.customerDoesNotSee(text);
});

Then('within {duration} the customer sees {string}', async function (this: HandoffWorld, ms: number, text: string) {
  await this.harness.customerSeesWithin(ms, text);
});

Then('the website receives the {string} event', async function (this: HandoffWorld, name: string) {
  await this.harness.customerReceivesEvent(name);
});
