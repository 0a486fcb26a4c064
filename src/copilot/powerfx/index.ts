// Public API of the Power Fx engine that the copilot interpreter uses for conditions, SetVariable values
// and message templates of Copilot Studio topic YAML (docs/copilot-topic-yaml.md §3).

// Parsing
export { parseFormula } from './parser';
export { parseTemplate } from './template';
export type { FormulaAst, Expr, BinaryOperator, UnaryOperator, RecordField } from './ast';

// Evaluation
export { evaluateFormula } from './evaluator';
export { interpolateTemplate } from './template';
export type { PowerFxEnvironment } from './functions/types';

// Values
export { getField, optionSetMember, isOptionSetMember, valuesEqual } from './values';
export type { PowerFxValue, PowerFxRecord, PowerFxTable, OptionSetMember } from './values';

// Static checks
export { referencedVariables, functionsUsed, unsupportedCalls, supportedFunctions } from './analysis';

// Errors
export { PowerFxError, formatLocation } from './errors';
export type { SourceLocation, PowerFxErrorCode } from './errors';
