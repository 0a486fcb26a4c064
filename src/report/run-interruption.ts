/**
 * Set when a run is asked to stop (Ctrl-C). The step hook (src/steps/support/hooks.ts) then starts no
 * further step, so the interrupted process spends its last moments writing the reports of the scenarios
 * that finished instead of running more of them.
 */
export const runInterruption = { requested: false };
