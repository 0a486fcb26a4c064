import type { Envelope } from '@cucumber/messages';

/**
 * For each undefined step of a run, the closest known step expressions, so a typo in a feature file
 * says what was meant instead of printing a snippet to implement.
 */
export function suggestSteps(messages: readonly Envelope[], limit = 3): string[] {
  const expressions: string[] = [];
  const stepText = new Map<string, { text: string; uri: string; astNodeId: string }>();
  const stepLines = new Map<string, number>();
  const testStepToPickleStep = new Map<string, string>();
  const lines: string[] = [];
  for (const message of messages) {
    if (message.stepDefinition) expressions.push(message.stepDefinition.pattern.source);
    if (message.gherkinDocument?.feature) {
      for (const child of message.gherkinDocument.feature.children) {
        const steps = [...(child.background?.steps ?? []), ...(child.scenario?.steps ?? []), ...(child.rule?.children.flatMap((c) => [...(c.background?.steps ?? []), ...(c.scenario?.steps ?? [])]) ?? [])];
        for (const step of steps) stepLines.set(step.id, step.location.line);
      }
    }
    if (message.pickle) {
      for (const step of message.pickle.steps) stepText.set(step.id, { text: step.text, uri: message.pickle.uri, astNodeId: step.astNodeIds[0] ?? '' });
    }
    if (message.testCase) {
      for (const testStep of message.testCase.testSteps) if (testStep.pickleStepId) testStepToPickleStep.set(testStep.id, testStep.pickleStepId);
    }
    if (message.testStepFinished?.testStepResult.status === 'UNDEFINED') {
      const step = stepText.get(testStepToPickleStep.get(message.testStepFinished.testStepId) ?? '');
      if (!step) continue;
      const ranked = [...new Set(expressions)]
        .map((expression) => ({ expression, distance: distance(normalize(step.text), normalize(expression)) }))
        .sort((a, b) => a.distance - b.distance)
        .slice(0, limit);
      lines.push(
        `Undefined step "${step.text}" (${step.uri}:${stepLines.get(step.astNodeId) ?? '?'}). No step definition matches it. Closest known steps:\n` +
          ranked.map((r) => `    ${r.expression}`).join('\n') +
          '\n  The full list with an example for each is in features/README.md.',
      );
    }
  }
  return lines;
}

/** Parameters and quoted values compare equal: `{string}` and `"Billing"` become one placeholder. */
function normalize(text: string): string {
  return text
    .toLowerCase()
    .replace(/"[^"]*"|\{[a-z]+\}/g, '§')
    .replace(/\d+(\.\d+)? (millisecond|second|minute|hour|day)s?/g, '§')
    .replace(/\(es\)|\(s\)/g, '');
}

function distance(a: string, b: string): number {
  const previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i += 1) {
    let diagonal = previous[0]!;
    previous[0] = i;
    for (let j = 1; j <= b.length; j += 1) {
      const above = previous[j]!;
      previous[j] = Math.min(previous[j]! + 1, previous[j - 1]! + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return previous[b.length]!;
}
