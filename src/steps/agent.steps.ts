import { Then, When, type DataTable } from '@cucumber/cucumber';
import type { Presence } from '../model/agent.machine';
import { cellError, readTable } from './support/tables';
import type { HandoffWorld } from './support/world';

Then('agent {agent} is offered the conversation', function (this: HandoffWorld, agent: string) {
  this.harness.expectAgentOffered(agent);
});

When('agent {agent} accepts', function (this: HandoffWorld, agent: string) {
  this.harness.agentAccepts(agent);
});

When('agent {agent} declines', function (this: HandoffWorld, agent: string) {
  this.harness.agentDeclines(agent);
});

When('agent {agent} ignores the notification', async function (this: HandoffWorld, agent: string) {
  await this.harness.agentIgnores(agent);
});

When('agent {agent} picks a conversation', function (this: HandoffWorld, agent: string) {
  this.harness.agentPicks(agent);
});

When('agent {agent} transfers the conversation to queue {string}', function (this: HandoffWorld, agent: string, queue: string) {
  this.harness.agentTransfersToQueue(agent, queue);
});

When('agent {agent} transfers the conversation to agent {agent}', function (this: HandoffWorld, agent: string, target: string) {
  this.harness.agentTransfersToAgent(agent, target);
});

When('agent {agent} consults agent {agent}', function (this: HandoffWorld, agent: string, colleague: string) {
  this.harness.agentConsults(agent, colleague);
});

When('agent {agent} leaves the consult', function (this: HandoffWorld, agent: string) {
  this.harness.agentLeavesConsult(agent);
});

When('agent {agent} says {string}', function (this: HandoffWorld, agent: string, text: string) {
  this.harness.agentSays(agent, text);
});

When('agent {agent} says:', function (this: HandoffWorld, agent: string, text: string) {
  this.harness.agentSays(agent, text);
});

When('agent {agent} ends the conversation', function (this: HandoffWorld, agent: string) {
  this.harness.agentEnds(agent);
});

When('agent {agent} closes the session', function (this: HandoffWorld, agent: string) {
  this.harness.agentClosesSession(agent);
});

When('agent {agent} becomes {presence}', function (this: HandoffWorld, agent: string, presence: Presence) {
  this.harness.agentBecomes(agent, presence);
});

Then('agent {agent} receives the full history', function (this: HandoffWorld, agent: string) {
  this.harness.expectAgentReceivesFullHistory(agent);
});

Then('agent {agent} receives the history:', function (this: HandoffWorld, agent: string, table: DataTable) {
  const step = 'Then agent "..." receives the history:';
  const rows = readTable(table, step, { required: ['from', 'message'] });
  const lines = rows.map((row) => {
    const from = row['from']!;
    if (from !== 'customer' && from !== 'copilot' && from !== 'agent') throw cellError(step, row.row, 'from', from, 'It is "customer", "copilot" or "agent"');
    return { from: from as 'customer' | 'copilot' | 'agent', text: row['message']! };
  });
  this.harness.expectAgentReceivesHistory(agent, lines);
});

Then('agent {agent} sees the message to agent {string}', function (this: HandoffWorld, agent: string, message: string) {
  this.harness.expectAgentMessage(agent, message);
});
