import { isOperating, untilOpen } from './operating-hours';
import type { Omnichannel } from './omnichannel';
import { routeToQueue } from './routing';

/**
 * What the chat widget can learn before a chat exists: whether the contact center is open, and how the
 * queue a chat would reach is doing (d365-omnichannel.md §2.4.1 OutOfOperatingHours, §2.4.6
 * getAgentAvailability). Read from the simulation's settings and its supervisor view; nothing changes.
 */

/**
 * Outside operating hours, the widget shows its out-of-hours pane and createConversation answers 400 with
 * errorcode 705 (d365-omnichannel.md §2.4.4, §7). The simulation reads it as: every queue a person could
 * take the chat in (all but the copilot's bot queue) keeps operating hours, and none is open now. Queues
 * without hours run 24×7 (§5.1). Which calendar the real service consults for the widget is UNCONFIRMED.
 */
export function widgetOutOfOperatingHours(omnichannel: Omnichannel, now: number): boolean {
  const { queues, workStream } = omnichannel.settings;
  const humanQueues = queues.filter((queue) => queue.name !== workStream.botQueue);
  return humanQueues.length > 0 && humanQueues.every((queue) => queue.operatingHours !== undefined && !isOperating(queue.operatingHours, now));
}

/** QueueAvailability, the getAgentAvailability answer (d365-omnichannel.md §2.4.6). */
export interface QueueAvailability {
  IsQueueAvailable: boolean;
  /** Seconds; the simulation keeps no exponential moving average of waits (§4.4), so it says 0. */
  AverageWaitTime: number;
  AvailableUntil: string | null;
  AvailableNext: string | null;
  QueuePosition: number;
  QueueName: string;
  QueueId: string;
  AgentAvailability: boolean;
}

/**
 * Where a chat with this context would wait (route-to-queue, §5.2 step 4, without drawing a percentage
 * split or running the overflow check) and how that queue is doing: open now, its place in line, and
 * whether one of its agents has an allowed presence and free capacity (§5.1, §5.3).
 */
export function queueAvailability(omnichannel: Omnichannel, context: Readonly<Record<string, string>>, now: number): QueueAvailability {
  const { queues, rules, workStream, agents } = omnichannel.settings;
  const queueName = routeToQueue(context, rules, workStream.fallbackQueue).queue;
  const queue = queues.find((candidate) => candidate.name === queueName);
  const open = isOperating(queue?.operatingHours, now);
  const view = omnichannel.supervisorView();
  const members = new Set(agents.filter((agent) => agent.queues.includes(queueName)).map((agent) => agent.name));
  const agentAvailable = view.agents.some((agent) => members.has(agent.agent) && (workStream.allowedPresences as readonly string[]).includes(agent.presence) && agent.available > 0);
  const waiting = view.queues.find((entry) => entry.queue === queueName)?.waiting ?? 0;
  const nextOpen = open ? undefined : untilOpen(queue?.operatingHours, now);
  return {
    IsQueueAvailable: open,
    AverageWaitTime: 0,
    AvailableUntil: null,
    AvailableNext: nextOpen === undefined || !Number.isFinite(nextOpen) ? null : new Date(now + nextOpen).toISOString(),
    QueuePosition: waiting + 1,
    QueueName: queueName,
    QueueId: queueName,
    AgentAvailability: agentAvailable,
  };
}
