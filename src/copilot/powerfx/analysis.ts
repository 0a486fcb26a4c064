import type { Expr, FormulaAst } from './ast';
import { formatLocation, PowerFxError } from './errors';
import { functions } from './functions';
import { knownPowerFxFunctions } from './functions/known-functions';
import { variableScopes } from './option-sets';
import { locate } from './parser';

function visit(expr: Expr, onNode: (node: Expr) => void): void {
  onNode(expr);
  switch (expr.kind) {
    case 'member': visit(expr.object, onNode); return;
    case 'call': for (const arg of expr.args) visit(arg, onNode); return;
    case 'unary': visit(expr.operand, onNode); return;
    case 'binary': visit(expr.left, onNode); visit(expr.right, onNode); return;
    case 'record': for (const field of expr.fields) visit(field.value, onNode); return;
    case 'table': for (const item of expr.items) visit(item, onNode); return;
    case 'interpolation': for (const part of expr.parts) if (typeof part !== 'string') visit(part, onNode); return;
    case 'as': visit(expr.value, onNode); return;
    default: return;
  }
}

/**
 * Every variable path the formula reads (Topic., Global., System., Env.), whole dotted names, once each,
 * in order of first appearance.
 *
 * @example referencedVariables(parseFormula('=IsBlank(Topic.Case.Id) || Global.Tier = "Gold"')) // [['Topic','Case','Id'], ['Global','Tier']]
 */
export function referencedVariables(ast: FormulaAst): string[][] {
  const seen = new Set<string>();
  const paths: string[][] = [];
  visit(ast.body, (node) => {
    if (node.kind !== 'name' || !variableScopes.has(node.path[0] as string)) return;
    const key = node.path.join('\u0000');
    if (seen.has(key)) return;
    seen.add(key);
    paths.push([...node.path]);
  });
  return paths;
}

/**
 * The names of the functions the formula calls, once each, in order of first appearance.
 *
 * @example functionsUsed(parseFormula('=If(IsBlank(Topic.X), 0, Len(Topic.X))')) // ['If', 'IsBlank', 'Len']
 */
export function functionsUsed(ast: FormulaAst): string[] {
  const names = new Set<string>();
  visit(ast.body, (node) => {
    if (node.kind === 'call') names.add(node.name);
  });
  return [...names];
}

/**
 * The calls this engine cannot run, found without running the formula: one `unsupported` PowerFxError
 * per call, positioned at the call. An empty list means every function in the formula is implemented.
 *
 * @example for (const problem of unsupportedCalls(parseFormula(raw, where))) report(problem.message)
 */
export function unsupportedCalls(ast: FormulaAst): PowerFxError[] {
  const problems: PowerFxError[] = [];
  visit(ast.body, (node) => {
    if (node.kind !== 'call' || functions.has(node.name)) return;
    const location = locate(ast.source, ast.where, node.start);
    const what = knownPowerFxFunctions.has(node.name) ? `the function ${node.name}` : `the unknown function ${node.name}`;
    problems.push(new PowerFxError(
      'unsupported',
      `Power Fx formula at ${formatLocation(location)} uses ${what}, which this engine does not support. ` +
        'The formula cannot run in the simulation. ' +
        'Rewrite the formula with supported functions, or implement the function in src/copilot/powerfx/functions.',
      { location, functionName: node.name },
    ));
  });
  return problems;
}

/**
 * Names of the functions the engine implements, sorted.
 *
 * @example supportedFunctions().includes('DateDiff') // true
 */
export function supportedFunctions(): string[] {
  return [...functions.keys()].sort();
}
