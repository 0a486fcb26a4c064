import type { ComponentLayer, LoadedCopilot, SourceLocation } from './types';

/**
 * Managed and unmanaged layers (see `ComponentLayer`). Dataverse stacks unmanaged customisations
 * above managed solutions, and the top layer is what runs; editing a component of a managed copilot
 * outside its source environment leaves an unmanaged layer that the next managed import does not
 * replace. The loader sees this when a managed solution export carries loose YAML for the same
 * components next to it (the rule in types.ts); this function lists each such component so a static
 * check can report it.
 */
export interface UnmanagedOverManaged {
  schemaName: string;
  kind: string;
  managedLayer: string;
  unmanagedLayer: string;
  /** The unmanaged file that overrides the managed component. */
  location: SourceLocation;
  managedFile: string;
  /** False when the managed component was exported as not customizable (botcomponent.xml `iscustomizable` 0). */
  customizable?: boolean;
}

/**
 * @example
 * for (const finding of unmanagedOverManaged(copilot)) {
 *   console.log(`${finding.location.file}: unmanaged ${finding.schemaName} over managed ${finding.managedLayer}`);
 * }
 */
export function unmanagedOverManaged(copilot: LoadedCopilot): UnmanagedOverManaged[] {
  const layers: readonly ComponentLayer[] = copilot.layers ?? [];
  const findings: UnmanagedOverManaged[] = [];
  layers.forEach((upper, upperIndex) => {
    if (upper.managed) return;
    for (const component of upper.components) {
      const key = component.schemaName.toLowerCase();
      for (const lower of layers.slice(0, upperIndex)) {
        if (!lower.managed) continue;
        const managed = lower.components.find((candidate) => candidate.schemaName.toLowerCase() === key);
        if (!managed) continue;
        findings.push({
          schemaName: managed.schemaName,
          kind: managed.kind,
          managedLayer: lower.name,
          unmanagedLayer: upper.name,
          location: { file: component.file, line: 1, column: 1 },
          managedFile: managed.file,
          ...(managed.customizable !== undefined ? { customizable: managed.customizable } : {}),
        });
        break;
      }
    }
  });
  return findings;
}
