import { Then, When, type DataTable } from '@cucumber/cucumber';
import { badDirectLineRequests, type BadDirectLineRequest } from '../harness/direct-line-website';
import { readTable } from './support/tables';
import type { HandoffWorld } from './support/world';

/** The Direct Line contract in a website's words (features/directline, copilot-protocol.md §2). */

When('the website starts a Direct Line conversation with a token', async function (this: HandoffWorld) {
  await this.harness.directLine.startWithToken();
});

When('the website starts the conversation again with the same token', async function (this: HandoffWorld) {
  await this.harness.directLine.startAgainWithTheSameToken();
});

When('the website sends the startConversation event', async function (this: HandoffWorld) {
  await this.harness.directLine.sendStartConversation();
});

When('the website sends the message {string}', async function (this: HandoffWorld, text: string) {
  await this.harness.directLine.sendMessage(text);
});

When('the website refreshes its token', async function (this: HandoffWorld) {
  await this.harness.directLine.refreshToken();
});

When('the website reads the activities', async function (this: HandoffWorld) {
  await this.harness.directLine.read();
});

When("the website uses another conversation's token", async function (this: HandoffWorld) {
  await this.harness.directLine.useAnotherConversationsToken();
});

When(new RegExp(`^the website sends (${badDirectLineRequests.join('|')})$`), async function (this: HandoffWorld, kind: string) {
  await this.harness.directLine.sendBadRequest(kind as BadDirectLineRequest);
});

When('Direct Line forgets the conversation', function (this: HandoffWorld) {
  this.harness.directLine.forgetConversation();
});

Then('Direct Line answers {int}', function (this: HandoffWorld, status: number) {
  this.harness.directLine.expectAnswer(status);
});

Then('Direct Line answers {int} with the error {string}', function (this: HandoffWorld, status: number, code: string) {
  this.harness.directLine.expectAnswer(status, code);
});

Then('it is the same conversation', function (this: HandoffWorld) {
  this.harness.directLine.expectSameConversation();
});

Then('the website has received no activity', async function (this: HandoffWorld) {
  await this.harness.directLine.expectNothingReceived();
});

Then("the website receives the copilot's message {string}", async function (this: HandoffWorld, text: string) {
  await this.harness.directLine.expectCopilotMessage(text);
});

Then('the website receives the echo of its message with a server id and its client activity id', async function (this: HandoffWorld) {
  await this.harness.directLine.expectEcho();
});

Then("the copilot's reply {string} answers that message", async function (this: HandoffWorld, text: string) {
  await this.harness.directLine.expectReplyToLastMessage(text);
});

Then('the timestamps of the activities strictly increase', async function (this: HandoffWorld) {
  await this.harness.directLine.expectIncreasingTimestamps();
});

Then('reading from the last watermark returns only:', async function (this: HandoffWorld, table: DataTable) {
  const rows = readTable(table, 'Then reading from the last watermark returns only:', { required: ['activity'] });
  await this.harness.directLine.expectReadReturnsOnly(rows.map((row) => row['activity']!));
});

Then('handoff.initiate carries the variables:', async function (this: HandoffWorld, table: DataTable) {
  const rows = readTable(table, 'Then handoff.initiate carries the variables:', { required: ['variable', 'value'] });
  await this.harness.directLine.expectHandoffVariables(rows.map((row) => ({ name: row['variable']!, value: row['value']! })));
});

Then('handoff.initiate carries the transcript of the conversation', async function (this: HandoffWorld) {
  await this.harness.directLine.expectHandoffTranscriptOfTheConversation();
});

Then('the website receives an {string} activity', async function (this: HandoffWorld, type: string) {
  await this.harness.directLine.expectActivityOfType(type);
});
