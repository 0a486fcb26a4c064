import { defineParameterType } from '@cucumber/cucumber';
import { parseDuration } from '../../sim/durations';

defineParameterType({
  name: 'duration',
  regexp: /\d+(?:\.\d+)? (?:millisecond|second|minute|hour|day)s?/,
  transformer: (text: string) => parseDuration(text),
});

defineParameterType({
  name: 'agent',
  regexp: /"[^"]+"/,
  transformer: (text: string) => text.slice(1, -1),
});

defineParameterType({
  name: 'presence',
  regexp: /Available|Busy-DND|Busy|Away|Offline|Inactive/,
  transformer: (text: string) => text,
});

defineParameterType({
  name: 'timer',
  regexp: /Open auto-close|wrap-up auto-close|notification countdown|customer reconnect window|bot-only inactivity|queue position interval|Waiting auto-close/,
  transformer: (text: string) => text,
});

/** Situations of the conversation lifecycle, in words, to the conversation machine's state names. */
const situations: Record<string, string> = {
  'with the copilot': 'withCopilot',
  escalated: 'escalated',
  'waiting in a queue': 'queued',
  'offered to an agent': 'offered',
  'with an agent': 'withAgent',
  'in wrap-up': 'wrapUp',
  'waiting for the customer': 'awaitingCustomer',
  closed: 'closed',
};

defineParameterType({
  name: 'situation',
  regexp: new RegExp(Object.keys(situations).join('|')),
  transformer: (text: string) => situations[text]!,
});
