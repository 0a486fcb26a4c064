/** A position in a topic file: 1-based line and column, as editors and the `yaml` package count them. */
export interface SourceLocation {
  file: string;
  line: number;
  column: number;
}

/**
 * `syntax`: the formula text is not Power Fx (or calls a function with the wrong number of arguments).
 * `unsupported`: valid Power Fx that this engine does not implement, or a name it does not know.
 * `runtime`: the formula ran and produced a Power Fx error value (division by zero, bad argument...).
 */
export type PowerFxErrorCode = 'syntax' | 'unsupported' | 'runtime';

/**
 * What went wrong with a formula, and where; the message already names file:line:column when known.
 *
 * @example catch (error) { if (error instanceof PowerFxError && error.code === 'runtime') runOnErrorTopic(error) }
 */
export class PowerFxError extends Error {
  override readonly name = 'PowerFxError';
  readonly code: PowerFxErrorCode;
  readonly location: SourceLocation | undefined;
  /** The function whose call failed, for `unsupported` errors and runtime errors raised by a function. */
  readonly functionName: string | undefined;
  /** Power Fx's own ErrorKind name for runtime errors (`Div0`, `InvalidArgument`, `Numeric`...). */
  readonly errorKind: string | undefined;

  constructor(
    code: PowerFxErrorCode,
    message: string,
    details: { location?: SourceLocation | undefined; functionName?: string | undefined; errorKind?: string | undefined } = {},
  ) {
    super(message);
    this.code = code;
    this.location = details.location;
    this.functionName = details.functionName;
    this.errorKind = details.errorKind;
  }
}

export function formatLocation(location: SourceLocation | undefined): string {
  return location === undefined ? 'formula' : `${location.file}:${location.line}:${location.column}`;
}
