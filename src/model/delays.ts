/**
 * Every timer of the lifecycle, with its product default. Machines name these delays; a work stream or
 * a scenario overrides them through `.provide({ delays })`, never by patching.
 */
export const defaultDelays = {
  /** Live chat work item left Open is auto-closed after 20 minutes (d365-omnichannel.md §4.4). */
  openAutoClose: 20 * 60_000,
  /** Wrap-up is auto-closed after 15 minutes (d365-omnichannel.md §4.4). */
  wrapUpAutoClose: 15 * 60_000,
  /**
   * A custom "Block capacity for wrap-up" lasts 30 seconds to 60 minutes (d365-omnichannel.md §4.4); it
   * only applies when the work stream chooses a custom block. The default is the shortest allowed value.
   */
  wrapUpCapacityBlock: 30_000,
  /** A disconnected customer may come back within 3 minutes (d365-omnichannel.md §4.4). */
  customerReconnectWindow: 3 * 60_000,
  /** An agent has 120 seconds to accept a notification (d365-omnichannel.md §4.4). */
  notificationCountdown: 120_000,
  /** A bot-only conversation is closed after 30 minutes without activity (d365-omnichannel.md §4.4, copilot-protocol.md §7.3). */
  botOnlyInactivity: 30 * 60_000,
  /** The customer's position in the queue is posted every 30 seconds (d365-omnichannel.md §4.4, show-queue doc). */
  queuePositionInterval: 30_000,
  /**
   * Persistent chat: a Waiting item is closed after the work stream's "Auto-close after inactivity"
   * (d365-omnichannel.md §4.4). The docs give no default; 1 day, the async wrap-up value, stands in.
   */
  waitingAutoClose: 24 * 3_600_000,
} as const;

export type DelayName = keyof typeof defaultDelays;
export type DelaySettings = Record<DelayName, number>;
