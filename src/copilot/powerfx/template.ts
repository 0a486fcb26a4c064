import type { Expr, FormulaAst } from './ast';
import { formatLocation, PowerFxError, type SourceLocation } from './errors';
import { evaluateFormula } from './evaluator';
import type { PowerFxEnvironment } from './functions';
import { locate, parseEmbeddedExpression } from './parser';
import { toText } from './values';

// Message text, prompts, SetTextVariable values and messageToAgent are templates: literal text with
// `{expression}` holes (docs/copilot-topic-yaml.md §2.2.1, §3.3). How Copilot Studio escapes a literal
// brace is not documented (ibid. §6 item 7); here doubled braces, unmatched braces and empty holes stay
// as they are written.

type TemplatePart = string | { readonly offset: number; readonly body: Expr };

const templateCache = new Map<string, readonly TemplatePart[]>();
const cacheLimit = 50_000;

function compileTemplate(template: string, where: SourceLocation | undefined): readonly TemplatePart[] {
  const known = templateCache.get(template);
  if (known !== undefined) return known;
  const parts: TemplatePart[] = [];
  let literal = '';
  let index = 0;
  while (index < template.length) {
    const char = template[index] as string;
    if ((char === '{' || char === '}') && template[index + 1] === char) {
      literal += char + char;
      index += 2;
      continue;
    }
    if (char !== '{') {
      literal += char;
      index += 1;
      continue;
    }
    const close = matchingBrace(template, index + 1);
    const inner = close < 0 ? '' : template.slice(index + 1, close);
    if (close < 0 || inner.trim() === '') {
      literal += char;
      index += 1;
      continue;
    }
    if (literal !== '') parts.push(literal);
    literal = '';
    parts.push({ offset: index + 1, body: parseEmbeddedExpression(template, index + 1, close - index - 1, where) });
    index = close + 1;
  }
  if (literal !== '') parts.push(literal);
  if (templateCache.size >= cacheLimit) templateCache.clear();
  templateCache.set(template, parts);
  return parts;
}

/** The offset of the `}` closing a hole that starts at `offset`, skipping strings and nested records; -1 if none. */
function matchingBrace(text: string, offset: number): number {
  let depth = 1;
  let index = offset;
  while (index < text.length) {
    const char = text[index];
    if (char === '"') {
      index += 1;
      while (index < text.length && !(text[index] === '"' && text[index + 1] !== '"')) index += text[index] === '"' ? 2 : 1;
      index += 1;
      continue;
    }
    if (char === '\n') return -1;
    if (char === '{') depth += 1;
    else if (char === '}' && --depth === 0) return index;
    index += 1;
  }
  return -1;
}

/**
 * The formulas in a template's `{...}` holes, for static checks (referencedVariables, functionsUsed).
 *
 * @example parseTemplate('Hello {System.User.DisplayName}').map(functionsUsed)
 * @throws PowerFxError with code `syntax` when a hole is not a valid formula.
 */
export function parseTemplate(template: string, where?: SourceLocation): FormulaAst[] {
  const formulas: FormulaAst[] = [];
  for (const part of compileTemplate(template, where)) if (typeof part !== 'string') formulas.push({ source: template, where, body: part.body });
  return formulas;
}

/**
 * Fills the `{expression}` holes of message text. Each value is written as Text() writes it; Blank
 * writes nothing.
 *
 * @example interpolateTemplate('Hello {System.User.DisplayName}, your case {Topic.CaseNumber}', env)
 * @throws PowerFxError (`syntax`, `unsupported` or `runtime`) positioned inside the template.
 */
export function interpolateTemplate(template: string, env: PowerFxEnvironment, where?: SourceLocation): string {
  if (!template.includes('{')) return template;
  const parts = compileTemplate(template, where);
  let out = '';
  for (const part of parts) {
    if (typeof part === 'string') {
      out += part;
      continue;
    }
    const value = evaluateFormula({ source: template, where, body: part.body }, env);
    const text = toText(value, part.offset);
    if (typeof text !== 'string') {
      const location = locate(template, where, part.offset);
      throw new PowerFxError(
        'runtime',
        `Message template at ${formatLocation(location)} cannot show the value of {${template.slice(part.offset, part.offset + 40).split('}')[0]}}: ${text.message}. ` +
          'Only text, numbers, booleans, dates and option-set members can be written into a message. ' +
          'Pick a field of the record or format it with Text() or Concat().',
        { location, errorKind: text.kind },
      );
    }
    out += text;
  }
  return out;
}
