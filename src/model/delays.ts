/**
 * Every timer of the lifecycle, with its product default. Machines name these delays; a work stream or
 * a scenario overrides them through `.provide({ delays })`, never by patching.
 */
export const defaultDelays = {
  /** Live chat work item left Open is auto-closed after 20 minutes (d365-omnichannel.md §4.4). */
  openAutoClose: 20 * 60_000,
  /** Wrap-up is auto-closed after 15 minutes (d365-omnichannel.md §4.4). */
  wrapUpAutoClose: 15 * 60_000,
  /** A disconnected customer may come back within 3 minutes (d365-omnichannel.md §4.4). */
  customerReconnectWindow: 3 * 60_000,
  /** An agent has 120 seconds to accept a notification (d365-omnichannel.md §4.4). */
  notificationCountdown: 120_000,
  /** A bot-only conversation is closed after 30 minutes without activity (d365-omnichannel.md §4.4, copilot-protocol.md §7.3). */
  botOnlyInactivity: 30 * 60_000,
} as const;

export type DelayName = keyof typeof defaultDelays;
export type DelaySettings = Record<DelayName, number>;
