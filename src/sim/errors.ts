/**
 * An error about the scenario or its input, not about the harness: its message says what failed, why
 * and what to do, so the report shows the message alone, without a stack trace.
 */
export class ScenarioError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
    Object.defineProperty(this, 'stack', { value: `${new.target.name}: ${message}`, enumerable: false, writable: true, configurable: true });
  }
}
