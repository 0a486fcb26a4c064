import { Given, type DataTable } from '@cucumber/cucumber';
import { defaultAutomatedMessages, type AutomatedMessageName } from '../d365/automated-messages';
import { parseOperatingHours, parseOverflow, parseProfiles, parseQueueTarget, parseSkills } from '../d365/settings-text';
import type { AssignmentMethod, WorkStreamSettings } from '../d365/work-stream';
import { parseDuration } from '../sim/durations';
import type { Presence } from '../model/agent.machine';
import type { DelayName } from '../model/delays';
import { cellError, list, readTable, wholeNumber } from './support/tables';
import type { HandoffWorld } from './support/world';

const presences: Presence[] = ['Available', 'Busy', 'Busy-DND', 'Away', 'Offline', 'Inactive'];
const assignments: Array<AssignmentMethod | 'round robin'> = ['highest capacity', 'advanced round robin', 'round robin', 'custom order'];
const timerDelays: Record<string, DelayName> = {
  'Open auto-close': 'openAutoClose',
  'wrap-up auto-close': 'wrapUpAutoClose',
  'notification countdown': 'notificationCountdown',
  'customer reconnect window': 'customerReconnectWindow',
  'bot-only inactivity': 'botOnlyInactivity',
  'queue position interval': 'queuePositionInterval',
  'Waiting auto-close': 'waitingAutoClose',
};

type Row = Record<string, string> & { row: number };

/** Runs a parser on a cell; its error becomes a row-and-column error that keeps the parser's advice. */
function cell<T>(step: string, row: Row, column: string, parse: (text: string) => T): T {
  try {
    return parse(row[column] ?? '');
  } catch (error) {
    throw cellError(step, row.row, column, row[column] ?? '', (error as Error).message.replace(/\.$/, ''));
  }
}

const origin = (step: string, row: Row) => `row ${row.row} of "${step}"`;

Given('the work stream {string} with the copilot as first responder and fallback queue {string}', function (this: HandoffWorld, name: string, fallbackQueue: string) {
  this.harness.configureWorkStream({ name, fallbackQueue, copilotFirstResponder: true });
});

Given('the work stream {string} without a copilot and fallback queue {string}', function (this: HandoffWorld, name: string, fallbackQueue: string) {
  this.harness.configureWorkStream({ name, fallbackQueue, copilotFirstResponder: false });
});

Given('the {timer} is {duration}', function (this: HandoffWorld, timer: string, ms: number) {
  this.harness.setDelay(timerDelays[timer]!, ms);
});

const workStreamStep = 'Given the work stream:';
Given('the work stream:', function (this: HandoffWorld, table: DataTable) {
  const rows = readTable(table, workStreamStep, { required: ['setting', 'value'] });
  const settings: Partial<Omit<WorkStreamSettings, 'delays'>> & { delays: Partial<WorkStreamSettings['delays']> } = { delays: {} };
  for (const row of rows) {
    const { delays, ...rest } = workStreamSetting(row);
    Object.assign(settings, rest);
    Object.assign(settings.delays, delays);
  }
  this.harness.configureWorkStream(settings);
});

function workStreamSetting(row: Row): Partial<Omit<WorkStreamSettings, 'delays'>> & { delays?: Partial<WorkStreamSettings['delays']> } {
  const setting = row['setting']!;
  const value = row['value']!;
  const choose = <T extends string>(options: readonly T[]): T => {
    if (!options.includes(value as T)) throw cellError(workStreamStep, row.row, 'value', value, `The setting "${setting}" is one of ${options.map((o) => `"${o}"`).join(', ')}`);
    return value as T;
  };
  const duration = () => cell(workStreamStep, row, 'value', parseDuration);
  if (timerDelays[setting]) return { delays: { [timerDelays[setting]!]: duration() } };
  switch (setting) {
    case 'name':
      return { name: value };
    case 'channel':
      return { channel: choose(['live chat', 'persistent chat'] as const) };
    case 'distribution':
      return { distribution: choose(['push', 'pick'] as const) };
    case 'copilot':
      return { copilotFirstResponder: choose(['first responder', 'none'] as const) === 'first responder' };
    case 'bot queue':
      return { botQueue: value };
    case 'fallback queue':
      return { fallbackQueue: value };
    case 'capacity': {
      const units = /^(\d+) units?$/.exec(value);
      const profile = /^profile "?([^"]+)"?$/.exec(value);
      if (units) return { capacityFormat: 'unit', capacityRequired: Number(units[1]) };
      if (profile) return { capacityFormat: 'profile', capacityProfile: profile[1]! };
      throw cellError(workStreamStep, row.row, 'value', value, 'Capacity is "<n> units" or profile "<name>"');
    }
    case 'allowed presences': {
      const chosen = list(value) as Presence[];
      const wrong = chosen.find((p) => !presences.includes(p));
      if (wrong || chosen.length === 0) throw cellError(workStreamStep, row.row, 'value', value, `Allowed presences are some of ${presences.join(', ')}, separated by ";"`);
      return { allowedPresences: chosen };
    }
    case 'skill matching':
      return { matching: choose(['exact', 'closest'] as const) };
    case 'block capacity for wrap-up':
      if (value === 'always') return { wrapUpCapacity: 'always' };
      if (value === "don't" || value === 'never') return { wrapUpCapacity: 'never' };
      {
        const ms = cell(workStreamStep, row, 'value', parseDuration);
        if (ms < 30_000 || ms > 3_600_000) throw cellError(workStreamStep, row.row, 'value', value, 'A custom block lasts 30 seconds to 60 minutes (d365-omnichannel.md §4.4)');
        return { wrapUpCapacity: 'custom', delays: { wrapUpCapacityBlock: ms } };
      }
    case 'inactive after missed notifications':
      return { inactiveAfterMissedNotifications: wholeNumber(workStreamStep, row, 'value') };
    case 'queue position messages':
      return { queuePositionMessages: choose(['on', 'off'] as const) === 'on' };
    case 'context variables':
      return {
        contextVariables: list(value).map((entry) => {
          const match = /^([A-Za-z_][\w]*)(?:\s*\((Text|Number)\))?$/.exec(entry);
          if (!match) throw cellError(workStreamStep, row.row, 'value', entry, 'Each context variable is a name with an optional (Text) or (Number), separated by ";"');
          return { name: match[1]!, type: (match[2] ?? 'Text') as 'Text' | 'Number' };
        }),
      };
    default:
      throw cellError(
        workStreamStep,
        row.row,
        'setting',
        setting,
        `Known settings are name, channel, distribution, copilot, bot queue, fallback queue, capacity, allowed presences, skill matching, block capacity for wrap-up, inactive after missed notifications, queue position messages, context variables and the timers ${Object.keys(timerDelays).join(', ')}`,
      );
  }
}

const queuesStep = 'Given the queues:';
Given('the queues:', function (this: HandoffWorld, table: DataTable) {
  const rows = readTable(table, queuesStep, { required: ['queue'], optional: ['priority', 'assignment', 'routed when', 'operating hours', 'overflow', 'custom order'] });
  this.harness.addQueues(
    rows.map((row) => {
      const assignment = (row['assignment'] || 'highest capacity') as AssignmentMethod;
      if (!assignments.includes(assignment)) throw cellError(queuesStep, row.row, 'assignment', assignment, `It is ${assignments.map((a) => `"${a}"`).join(', ')}`);
      const customOrder = list(row['custom order']);
      if (assignment === 'custom order' && customOrder.length === 0) throw cellError(queuesStep, row.row, 'custom order', '', 'A queue assigning in custom order lists its agents in order, separated by ";"');
      return {
        name: row['queue']!,
        origin: origin(queuesStep, row),
        priority: wholeNumber(queuesStep, row, 'priority', 10),
        assignment,
        customOrder: customOrder.length > 0 ? customOrder : undefined,
        operatingHours: row['operating hours'] ? cell(queuesStep, row, 'operating hours', parseOperatingHours) : undefined,
        overflow: row['overflow'] ? cell(queuesStep, row, 'overflow', parseOverflow) : undefined,
      };
    }),
  );
  // A "routed when" column is a route-to-queue rule named after its queue, in table order.
  const routed = rows.filter((row) => row['routed when']);
  this.harness.addRoutingRules(routed.map((row) => ({ name: row['queue']!, condition: row['routed when']!, queue: row['queue']!, origin: origin(queuesStep, row) })));
});

const rulesStep = 'Given the routing rules:';
Given('the routing rules:', function (this: HandoffWorld, table: DataTable) {
  const rows = readTable(table, rulesStep, { required: ['rule', 'condition', 'queue'] });
  this.harness.addRoutingRules(rows.map((row) => ({ name: row['rule']!, condition: row['condition']!, ...cell(rulesStep, row, 'queue', parseQueueTarget), origin: origin(rulesStep, row) })));
});

const classificationStep = 'Given the work classification rules:';
Given('the work classification rules:', function (this: HandoffWorld, table: DataTable) {
  const rows = readTable(table, classificationStep, { required: ['rule', 'condition'], optional: ['ruleset', 'skills', 'priority', 'capacity profile'] });
  this.harness.addClassificationRules(
    rows.map((row) => ({
      ruleset: row['ruleset'] || 'Classification',
      name: row['rule']!,
      condition: row['condition']!,
      origin: origin(classificationStep, row),
      skills: row['skills'] ? cell(classificationStep, row, 'skills', parseSkills) : undefined,
      priority: row['priority'] ? wholeNumber(classificationStep, row, 'priority') : undefined,
      capacityProfile: row['capacity profile'] || undefined,
    })),
  );
});

const agentsStep = 'Given the agents:';
Given('the agents:', function (this: HandoffWorld, table: DataTable) {
  const rows = readTable(table, agentsStep, { required: ['agent', 'queues'], optional: ['presence', 'capacity', 'skills', 'profiles'] });
  this.harness.addAgents(
    rows.map((row) => {
      const presence = (row['presence'] || 'Available') as Presence;
      if (!presences.includes(presence)) throw cellError(agentsStep, row.row, 'presence', presence, `It is one of ${presences.join(', ')}`);
      const queues = list(row['queues']);
      if (queues.length === 0) throw cellError(agentsStep, row.row, 'queues', '', 'It names at least one queue, separated by ";"');
      const skills = row['skills'] ? Object.fromEntries(cell(agentsStep, row, 'skills', parseSkills).map((s) => [s.skill, s.rating])) : undefined;
      return {
        name: row['agent']!,
        origin: origin(agentsStep, row),
        presence,
        capacity: wholeNumber(agentsStep, row, 'capacity', 1),
        queues,
        skills,
        profiles: row['profiles'] ? cell(agentsStep, row, 'profiles', parseProfiles) : undefined,
      };
    }),
  );
});

const messagesStep = 'Given the automated messages:';
Given('the automated messages:', function (this: HandoffWorld, table: DataTable) {
  const rows = readTable(table, messagesStep, { required: ['message', 'text'] });
  const names = Object.keys(defaultAutomatedMessages) as AutomatedMessageName[];
  this.harness.setAutomatedMessages(
    Object.fromEntries(
      rows.map((row) => {
        if (!names.includes(row['message'] as AutomatedMessageName)) throw cellError(messagesStep, row.row, 'message', row['message']!, `It is one of ${names.map((n) => `"${n}"`).join(', ')}`);
        return [row['message']!, row['text']!];
      }),
    ),
  );
});

Given('the scenario starts at {string}', function (this: HandoffWorld, instant: string) {
  const at = Date.parse(instant);
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(instant) || Number.isNaN(at)) {
    throw new Error(`"${instant}" is not an instant. The scenario's start is an ISO 8601 date and time with its offset. Write it as "2026-01-05T20:00:00+01:00".`);
  }
  this.harness.startAt(at);
});

Given('the website uses Copilot Studio\'s embed code', function (this: HandoffWorld) {
  this.harness.websiteUses("Copilot Studio's embed code");
});

Given('the website uses the Dynamics 365 chat widget', function (this: HandoffWorld) {
  this.harness.websiteUses('Dynamics 365 chat widget');
});
