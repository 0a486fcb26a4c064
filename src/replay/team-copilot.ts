/**
 * A team's own copilot for `handoff replay --copilot <folder>`: the exported folder (agent folder,
 * solution export, or topic files) read by the topic-YAML loader into the shape the runtime runs
 * (src/copilot/yaml-copilot.ts). This is the only place replay touches the loader, so a change in
 * the loader's interface is absorbed here.
 */
import type { CopilotDefinition } from '../copilot/copilot-definition';
import { loadYamlCopilot } from '../copilot/yaml-copilot';

/**
 * Loads a copilot folder for replay; the loader's warnings come back for the report.
 *
 * @throws CopilotLoadError (a ScenarioError) naming the folder and the files, lines and nodes that stop it.
 * @example
 * const { copilot, warnings } = loadTeamCopilot('tests/replay/fixtures/team-copilot');
 */
export function loadTeamCopilot(folder: string): { copilot: CopilotDefinition; warnings: string[] } {
  const { copilot, warnings } = loadYamlCopilot(folder);
  return { copilot, warnings: warnings.map((warning) => `${warning.severity}: ${warning.message}`) };
}
