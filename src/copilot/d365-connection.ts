import type { CopilotDefinition } from './copilot-definition';

/**
 * The prerequisites of connecting a copilot to Dynamics 365 Customer Service (the product page
 * "Configure handoff to Dynamics 365 Customer Service", in ../shared/seed/): the simulation refuses a
 * connection the product refuses, and a disconnected copilot gets no traffic.
 */
export interface D365ConnectionSettings {
  /** The Power Platform environment of the copilot. */
  copilotEnvironment?: string;
  /** The environment where the Customer Service package (Omnichannel extension) is installed. */
  customerServiceEnvironment?: string;
  /** Copilot Studio "Disconnect": the copilot's application user in D365 is disabled. */
  disconnected?: boolean;
}

/** "Ensure your copilot's name contains less than 30 characters" (seed, Prerequisites). */
export const maxCopilotNameLength = 29;

/**
 * Why Copilot Studio cannot connect this copilot to Dynamics 365 Customer Service, or undefined when it
 * can. Three sentences, for the timeline and for `handoff doctor`.
 *
 * @example connectionRefusal({ name: 'Contoso Customer Care Assistant Bot', ... }, {}) // 'Connecting the copilot ... failed: ...'
 */
export function connectionRefusal(copilot: Pick<CopilotDefinition, 'name' | 'environment'>, settings: D365ConnectionSettings = {}): string | undefined {
  const length = [...copilot.name].length;
  if (length > maxCopilotNameLength) {
    return (
      `Connecting the copilot "${copilot.name}" to Dynamics 365 Customer Service failed: its name is ${length} characters long. ` +
      'Copilots with names of 30 characters or more fail to connect (Copilot Studio, "Configure handoff to Dynamics 365 Customer Service", Prerequisites). ' +
      'Rename the copilot to fewer than 30 characters and connect it again.'
    );
  }
  const copilotEnvironment = settings.copilotEnvironment ?? copilot.environment;
  const serviceEnvironment = settings.customerServiceEnvironment;
  if (copilotEnvironment !== undefined && serviceEnvironment !== undefined && copilotEnvironment.toLowerCase() !== serviceEnvironment.toLowerCase()) {
    return (
      `Connecting the copilot "${copilot.name}" to Dynamics 365 Customer Service failed: the copilot is in the environment "${copilotEnvironment}" and the Customer Service package in "${serviceEnvironment}". ` +
      'The Dynamics 365 Customer Service package installation must be in the same environment as the copilot. ' +
      'Install the package in the copilot\'s environment, or import the copilot into the Customer Service environment.'
    );
  }
  return undefined;
}

/** What Dynamics 365 does with a disconnected copilot's traffic, for routing explanations. */
export const disconnectedExplanation =
  'Copilot Studio "Disconnect" disabled the application user that represents the copilot, so it stops receiving any traffic from Dynamics 365 Customer Service (seed: "Disconnect your copilot"); the conversation waits in the bot queue until a human member takes it or it is closed (d365-omnichannel.md §6.1)';
