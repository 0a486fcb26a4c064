import { Then, When } from '@cucumber/cucumber';
import type { HandoffWorld } from './support/world';

When('{duration} pass(es)', async function (this: HandoffWorld, ms: number) {
  await this.harness.pass(ms);
});

When('the customer disconnects', function (this: HandoffWorld) {
  this.harness.customerDisconnects();
});

When('the customer reconnects', function (this: HandoffWorld) {
  this.harness.customerReconnects();
});

Then('the conversation is closed with reason {string}', function (this: HandoffWorld, reason: string) {
  this.harness.expectClosedWithReason(reason);
});

Then('the conversation is {situation}', function (this: HandoffWorld, state: string) {
  this.harness.expectConversationState(state);
});

Then('the conversation is still {situation}', function (this: HandoffWorld, state: string) {
  this.harness.expectConversationState(state);
});

Then('the work item status is {string}', function (this: HandoffWorld, status: string) {
  this.harness.expectWorkItemStatus(status);
});

Then('the work item status is {string} with reason {string}', function (this: HandoffWorld, status: string, reason: string) {
  this.harness.expectWorkItemStatus(status, reason);
});
