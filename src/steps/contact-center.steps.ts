import { Given, type DataTable } from '@cucumber/cucumber';
import type { Presence } from '../model/agent.machine';
import type { DelayName } from '../model/delays';
import { cellError, list, readTable, wholeNumber } from './support/tables';
import type { HandoffWorld } from './support/world';

const presences: Presence[] = ['Available', 'Busy', 'Busy-DND', 'Away', 'Offline', 'Inactive'];
const timerDelays: Record<string, DelayName> = {
  'Open auto-close': 'openAutoClose',
  'wrap-up auto-close': 'wrapUpAutoClose',
  'notification countdown': 'notificationCountdown',
  'customer reconnect window': 'customerReconnectWindow',
  'bot-only inactivity': 'botOnlyInactivity',
};

Given('the work stream {string} with the copilot as first responder and fallback queue {string}', function (this: HandoffWorld, name: string, fallbackQueue: string) {
  this.harness.configureWorkStream({ name, fallbackQueue, copilotFirstResponder: true });
});

Given('the work stream {string} without a copilot and fallback queue {string}', function (this: HandoffWorld, name: string, fallbackQueue: string) {
  this.harness.configureWorkStream({ name, fallbackQueue, copilotFirstResponder: false });
});

Given('the {timer} is {duration}', function (this: HandoffWorld, timer: string, ms: number) {
  this.harness.setDelay(timerDelays[timer]!, ms);
});

Given('the queues:', function (this: HandoffWorld, table: DataTable) {
  const step = 'Given the queues:';
  const rows = readTable(table, step, { required: ['queue'], optional: ['priority', 'assignment'] });
  this.harness.addQueues(
    rows.map((row) => {
      const assignment = row['assignment'] || 'highest capacity';
      if (assignment !== 'highest capacity' && assignment !== 'round robin') throw cellError(step, row.row, 'assignment', assignment, 'It is "highest capacity" or "round robin"');
      return { name: row['queue']!, priority: wholeNumber(step, row, 'priority', 10), assignment };
    }),
  );
});

Given('the routing rules:', function (this: HandoffWorld, table: DataTable) {
  const rows = readTable(table, 'Given the routing rules:', { required: ['rule', 'condition', 'queue'] });
  this.harness.addRoutingRules(rows.map((row) => ({ name: row['rule']!, condition: row['condition']!, queue: row['queue']! })));
});

Given('the agents:', function (this: HandoffWorld, table: DataTable) {
  const step = 'Given the agents:';
  const rows = readTable(table, step, { required: ['agent', 'queues'], optional: ['presence', 'capacity'] });
  this.harness.addAgents(
    rows.map((row) => {
      const presence = (row['presence'] || 'Available') as Presence;
      if (!presences.includes(presence)) throw cellError(step, row.row, 'presence', presence, `It is one of ${presences.join(', ')}`);
      const queues = list(row['queues']);
      if (queues.length === 0) throw cellError(step, row.row, 'queues', '', 'It names at least one queue, separated by ";"');
      return { name: row['agent']!, presence, capacity: wholeNumber(step, row, 'capacity', 1), queues };
    }),
  );
});

Given('the website uses Copilot Studio\'s embed code', function (this: HandoffWorld) {
  this.harness.websiteUses("Copilot Studio's embed code");
});

Given('the website uses the Dynamics 365 chat widget', function (this: HandoffWorld) {
  this.harness.websiteUses('Dynamics 365 chat widget');
});
