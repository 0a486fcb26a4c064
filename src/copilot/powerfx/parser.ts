import { EmbeddedActionsParser, type IToken } from 'chevrotain';
import type { BinaryOperator, Expr, FormulaAst, RecordField } from './ast';
import { formatLocation, PowerFxError, type SourceLocation } from './errors';
import { functionArity } from './functions';
import * as T from './lexer';

/**
 * Grammar of docs/copilot-topic-yaml.md §3.5, precedence lowest to highest as in Power Fx's
 * Precedence.cs: Or < And < In < Compare < Concat < Add < Mul < PrefixUnary < Power < PostfixUnary.
 */
class FormulaParser extends EmbeddedActionsParser {
  constructor() {
    super(T.allTokens, { maxLookahead: 2 });
    this.performSelfAnalysis();
  }

  public formula = this.RULE('formula', (): Expr => this.SUBRULE(this.orExpr));

  private orExpr = this.RULE('orExpr', (): Expr => {
    let left = this.SUBRULE(this.andExpr);
    this.MANY(() => {
      const operator = this.OR([{ ALT: () => this.CONSUME(T.PipePipe) }, { ALT: () => this.CONSUME(T.OrWord) }]);
      const right = this.SUBRULE2(this.andExpr);
      left = binary('||', left, right, operator);
    });
    return left;
  });

  private andExpr = this.RULE('andExpr', (): Expr => {
    let left = this.SUBRULE(this.inExpr);
    this.MANY(() => {
      const operator = this.OR([{ ALT: () => this.CONSUME(T.AmpAmp) }, { ALT: () => this.CONSUME(T.AndWord) }]);
      const right = this.SUBRULE2(this.inExpr);
      left = binary('&&', left, right, operator);
    });
    return left;
  });

  private inExpr = this.RULE('inExpr', (): Expr => {
    let left = this.SUBRULE(this.compareExpr);
    this.MANY(() => {
      const operator = this.OR([{ ALT: () => this.CONSUME(T.In) }, { ALT: () => this.CONSUME(T.ExactIn) }]);
      const right = this.SUBRULE2(this.compareExpr);
      left = binary(operator.tokenType === T.In ? 'in' : 'exactin', left, right, operator);
    });
    return left;
  });

  private compareExpr = this.RULE('compareExpr', (): Expr => {
    let left = this.SUBRULE(this.concatExpr);
    this.MANY(() => {
      const operator = this.OR([
        { ALT: () => this.CONSUME(T.Equals) },
        { ALT: () => this.CONSUME(T.NotEquals) },
        { ALT: () => this.CONSUME(T.LessEquals) },
        { ALT: () => this.CONSUME(T.GreaterEquals) },
        { ALT: () => this.CONSUME(T.Less) },
        { ALT: () => this.CONSUME(T.Greater) },
      ]);
      const right = this.SUBRULE2(this.concatExpr);
      left = binary(operator.image as BinaryOperator, left, right, operator);
    });
    return left;
  });

  private concatExpr = this.RULE('concatExpr', (): Expr => {
    let left = this.SUBRULE(this.addExpr);
    this.MANY(() => {
      const operator = this.CONSUME(T.Ampersand);
      const right = this.SUBRULE2(this.addExpr);
      left = binary('&', left, right, operator);
    });
    return left;
  });

  private addExpr = this.RULE('addExpr', (): Expr => {
    let left = this.SUBRULE(this.mulExpr);
    this.MANY(() => {
      const operator = this.OR([{ ALT: () => this.CONSUME(T.Plus) }, { ALT: () => this.CONSUME(T.Minus) }]);
      const right = this.SUBRULE2(this.mulExpr);
      left = binary(operator.image as BinaryOperator, left, right, operator);
    });
    return left;
  });

  private mulExpr = this.RULE('mulExpr', (): Expr => {
    let left = this.SUBRULE(this.unaryExpr);
    this.MANY(() => {
      const operator = this.OR([{ ALT: () => this.CONSUME(T.Star) }, { ALT: () => this.CONSUME(T.Slash) }]);
      const right = this.SUBRULE2(this.unaryExpr);
      left = binary(operator.image as BinaryOperator, left, right, operator);
    });
    return left;
  });

  private unaryExpr = this.RULE('unaryExpr', (): Expr =>
    this.OR([
      {
        ALT: () => {
          const operator = this.OR2([
            { ALT: () => this.CONSUME(T.Bang) },
            { ALT: () => this.CONSUME(T.NotWord) },
            { ALT: () => this.CONSUME(T.Minus) },
          ]);
          const operand = this.SUBRULE(this.unaryExpr);
          return { kind: 'unary', operator: operator.tokenType === T.Minus ? '-' : '!', operand, start: operator.startOffset } as const;
        },
      },
      { ALT: () => this.SUBRULE(this.powerExpr) },
    ]),
  );

  /** `-2^2` is `-(2^2)` because Power binds tighter than prefix minus; the exponent may carry its own sign. */
  private powerExpr = this.RULE('powerExpr', (): Expr => {
    let left = this.SUBRULE(this.postfixExpr);
    this.OPTION(() => {
      const operator = this.CONSUME(T.Caret);
      const right = this.SUBRULE(this.unaryExpr);
      left = binary('^', left, right, operator);
    });
    return left;
  });

  private postfixExpr = this.RULE('postfixExpr', (): Expr => {
    let value = this.SUBRULE(this.primary);
    this.MANY(() => {
      const dot = this.CONSUME(T.Dot);
      const field = this.SUBRULE(this.fieldName);
      value = this.ACTION(() => extendMember(value, field, dot.startOffset));
    });
    this.OPTION(() => {
      const percent = this.CONSUME(T.Percent);
      value = { kind: 'unary', operator: '%', operand: value, start: percent.startOffset };
    });
    return value;
  });

  private fieldName = this.RULE('fieldName', (): string => {
    const token = this.OR([
      { ALT: () => this.CONSUME(T.Identifier) },
      { ALT: () => this.CONSUME(T.QuotedIdentifier) },
      ...T.fieldNameKeywords.map((keyword) => ({ ALT: () => this.CONSUME(keyword) })),
    ]);
    return this.ACTION(() => identifierText(token));
  });

  private primary = this.RULE('primary', (): Expr =>
    this.OR([
      {
        ALT: () => {
          const token = this.CONSUME(T.NumberLiteral);
          return { kind: 'number', value: Number(token.image), start: token.startOffset } as const;
        },
      },
      {
        ALT: () => {
          const token = this.CONSUME(T.StringLiteral);
          return { kind: 'text', value: this.ACTION(() => unquote(token.image, '"')), start: token.startOffset } as const;
        },
      },
      {
        ALT: () => {
          const token = this.CONSUME(T.InterpolatedString);
          return this.ACTION(() => pendingInterpolation(token));
        },
      },
      { ALT: () => ({ kind: 'boolean', value: true, start: this.CONSUME(T.True).startOffset }) as const },
      { ALT: () => ({ kind: 'boolean', value: false, start: this.CONSUME(T.False).startOffset }) as const },
      // `And(a, b)` and `Or(a, b)` are functions as well as infix operators.
      { GATE: () => this.LA(2).tokenType === T.LParen, ALT: () => this.SUBRULE(this.call) },
      {
        ALT: () => {
          const token = this.OR2([{ ALT: () => this.CONSUME2(T.Identifier) }, { ALT: () => this.CONSUME(T.QuotedIdentifier) }]);
          return { kind: 'name', path: [this.ACTION(() => identifierText(token))], start: token.startOffset } as const;
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.LParen);
          const inner = this.SUBRULE(this.orExpr);
          this.CONSUME(T.RParen);
          return inner;
        },
      },
      { ALT: () => this.SUBRULE(this.recordLiteral) },
      { ALT: () => this.SUBRULE(this.tableLiteral) },
    ]),
  );

  private call = this.RULE('call', (): Expr => {
    const nameToken = this.OR([
      { ALT: () => this.CONSUME(T.Identifier) },
      { ALT: () => this.CONSUME(T.AndWord) },
      { ALT: () => this.CONSUME(T.OrWord) },
    ]);
    this.CONSUME(T.LParen);
    const args: Expr[] = [];
    this.MANY_SEP({ SEP: T.Comma, DEF: () => args.push(this.SUBRULE(this.argument)) });
    this.CONSUME(T.RParen);
    return { kind: 'call', name: nameToken.image, args, start: nameToken.startOffset };
  });

  private argument = this.RULE('argument', (): Expr => {
    const value = this.SUBRULE(this.orExpr);
    let result: Expr = value;
    this.OPTION(() => {
      const as = this.CONSUME(T.As);
      const name = this.SUBRULE(this.fieldName);
      result = { kind: 'as', value, name, start: as.startOffset };
    });
    return result;
  });

  private recordLiteral = this.RULE('recordLiteral', (): Expr => {
    const open = this.CONSUME(T.LBrace);
    const fields: RecordField[] = [];
    this.MANY_SEP({
      SEP: T.Comma,
      DEF: () => {
        const name = this.SUBRULE(this.fieldName);
        this.CONSUME(T.Colon);
        const value = this.SUBRULE(this.orExpr);
        fields.push({ name, value });
      },
    });
    this.CONSUME(T.RBrace);
    return { kind: 'record', fields, start: open.startOffset };
  });

  private tableLiteral = this.RULE('tableLiteral', (): Expr => {
    const open = this.CONSUME(T.LBracket);
    const items: Expr[] = [];
    this.MANY_SEP({ SEP: T.Comma, DEF: () => items.push(this.SUBRULE(this.orExpr)) });
    this.CONSUME(T.RBracket);
    return { kind: 'table', items, start: open.startOffset };
  });
}

function binary(operator: BinaryOperator, left: Expr, right: Expr, token: IToken): Expr {
  return { kind: 'binary', operator, left, right, start: token.startOffset };
}

/** `Topic.Case.Id` stays one name (the environment resolves the whole path); `f(x).Id` becomes member access. */
function extendMember(value: Expr, field: string, dotOffset: number): Expr {
  if (value.kind === 'name') return { kind: 'name', path: [...value.path, field], start: value.start };
  return { kind: 'member', object: value, field, start: dotOffset };
}

function identifierText(token: IToken): string {
  return token.tokenType === T.QuotedIdentifier ? unquote(token.image, "'") : token.image;
}

function unquote(image: string, quote: '"' | "'"): string {
  const inner = image.slice(1, -1);
  return inner.includes(quote) ? inner.split(quote + quote).join(quote) : inner;
}

/** A hole of an interpolated string, parsed once the outer parse is finished (the parser is not re-entrant). */
interface PendingHole {
  readonly pending: true;
  readonly offset: number;
  readonly text: string;
}

function pendingInterpolation(token: IToken): Expr {
  const image = token.image;
  const parts: (string | Expr | PendingHole)[] = [];
  let literal = '';
  let index = 2;
  const end = image.length - 1;
  while (index < end) {
    const char = image[index] as string;
    const next = image[index + 1];
    if ((char === '"' && next === '"') || (char === '{' && next === '{') || (char === '}' && next === '}')) {
      literal += char;
      index += 2;
    } else if (char === '{') {
      // The lexer already checked that every hole closes.
      const holeEnd = T.scanHole(image, index + 1);
      if (holeEnd < 0) break;
      if (literal !== '') parts.push(literal);
      literal = '';
      parts.push({ pending: true, offset: token.startOffset + index + 1, text: image.slice(index + 1, holeEnd - 1) });
      index = holeEnd;
    } else {
      literal += char;
      index += 1;
    }
  }
  if (literal !== '') parts.push(literal);
  return { kind: 'interpolation', parts: parts as (string | Expr)[], start: token.startOffset };
}

let sharedParser: FormulaParser | undefined;
function parserInstance(): FormulaParser {
  sharedParser ??= new FormulaParser();
  return sharedParser;
}

/** Parses the expression found at `offset..offset+text.length` of `source`; node offsets are relative to `source`. */
function parseExpression(source: string, text: string, offset: number, where: SourceLocation | undefined): Expr {
  const padded = offset === 0 ? text : ' '.repeat(offset) + text;
  const lexed = T.powerFxLexer.tokenize(padded);
  const lexError = lexed.errors[0];
  if (lexError !== undefined) {
    const character = padded.charAt(lexError.offset);
    const reason =
      character === '"' ? 'this text literal has no closing "'
        : character === "'" ? "this quoted name has no closing '"
          : character === '$' && padded.charAt(lexError.offset + 1) === '"' ? 'this interpolated text has no closing " or an unclosed {'
            : `unexpected character ${JSON.stringify(character)}`;
    throw syntaxError(source, where, lexError.offset, reason);
  }
  if (lexed.tokens.length === 0) throw syntaxError(source, where, padded.length, 'the formula is empty');
  const parser = parserInstance();
  parser.input = lexed.tokens;
  const body = parser.formula();
  const parseError = parser.errors[0];
  if (parseError !== undefined) {
    const token = parseError.token;
    const at = Number.isFinite(token.startOffset) ? token.startOffset : padded.length;
    const found = token.tokenType.name === 'EOF' ? 'the end of the formula' : `"${token.image}"`;
    throw syntaxError(source, where, at, `${describeExpectation(parseError.message)} but found ${found}`);
  }
  resolveInterpolations(body, source, where);
  return body;
}

function describeExpectation(message: string): string {
  // chevrotain says "Expecting token of type --> RParen <-- but found --> ',' <--" or "Expecting: one of these possible Token sequences: ...".
  const single = /Expecting token of type --> (\w+) <--/.exec(message);
  if (single?.[1] !== undefined) return `expected ${tokenDescription(single[1])}`;
  if (message.includes('Redundant input')) return 'expected an operator or the end of the formula';
  if (message.includes('one of these possible Token sequences')) return 'expected an operand (a value, a name, a call or a parenthesis)';
  return 'expected an operand or an operator';
}

function tokenDescription(name: string): string {
  const spelled: Record<string, string> = {
    RParen: '")"', LParen: '"("', RBrace: '"}"', RBracket: '"]"', Colon: '":"', Comma: '","',
    Identifier: 'a name', EOF: 'the end of the formula',
  };
  return spelled[name] ?? name;
}

function resolveInterpolations(expr: Expr, source: string, where: SourceLocation | undefined): void {
  switch (expr.kind) {
    case 'interpolation': {
      const parts = expr.parts as (string | Expr | PendingHole)[];
      for (let index = 0; index < parts.length; index += 1) {
        const part = parts[index];
        if (typeof part === 'object' && 'pending' in part) {
          if (part.text.trim() === '') throw syntaxError(source, where, part.offset, 'an interpolation hole {} is empty');
          parts[index] = parseExpression(source, part.text, part.offset, where);
        }
      }
      return;
    }
    case 'member': resolveInterpolations(expr.object, source, where); return;
    case 'call': for (const arg of expr.args) resolveInterpolations(arg, source, where); return;
    case 'unary': resolveInterpolations(expr.operand, source, where); return;
    case 'binary': resolveInterpolations(expr.left, source, where); resolveInterpolations(expr.right, source, where); return;
    case 'record': for (const field of expr.fields) resolveInterpolations(field.value, source, where); return;
    case 'table': for (const item of expr.items) resolveInterpolations(item, source, where); return;
    case 'as': resolveInterpolations(expr.value, source, where); return;
    default: return;
  }
}

/** Calls with the wrong number of arguments can never run; report them with the parse, as Power Fx's binder does. */
function checkArity(expr: Expr, source: string, where: SourceLocation | undefined): void {
  switch (expr.kind) {
    case 'call': {
      const arity = functionArity(expr.name);
      if (arity !== undefined && (expr.args.length < arity.min || expr.args.length > arity.max)) {
        const expected = arity.min === arity.max ? `${arity.min}` : arity.max === Infinity ? `at least ${arity.min}` : `${arity.min} to ${arity.max}`;
        throw new PowerFxError(
          'syntax',
          `Power Fx formula at ${formatLocation(locate(source, where, expr.start))} calls ${expr.name} with ${expr.args.length} argument(s). ${expr.name} takes ${expected}. Correct the call in the topic.`,
          { location: locate(source, where, expr.start), functionName: expr.name },
        );
      }
      for (const arg of expr.args) checkArity(arg, source, where);
      return;
    }
    case 'member': checkArity(expr.object, source, where); return;
    case 'unary': checkArity(expr.operand, source, where); return;
    case 'binary': checkArity(expr.left, source, where); checkArity(expr.right, source, where); return;
    case 'record': for (const field of expr.fields) checkArity(field.value, source, where); return;
    case 'table': for (const item of expr.items) checkArity(item, source, where); return;
    case 'interpolation': for (const part of expr.parts) if (typeof part !== 'string') checkArity(part, source, where); return;
    case 'as': checkArity(expr.value, source, where); return;
    default: return;
  }
}

function syntaxError(source: string, where: SourceLocation | undefined, offset: number, reason: string): PowerFxError {
  const location = locate(source, where, offset);
  return new PowerFxError(
    'syntax',
    `Power Fx formula at ${formatLocation(location)} could not be parsed: ${reason}. ` +
      `The formula reads ${JSON.stringify(source.length > 120 ? `${source.slice(0, 117)}...` : source)}. ` +
      'Correct the formula in the topic (see docs/copilot-topic-yaml.md §3.5 for the grammar).',
    { location },
  );
}

/**
 * Maps an offset in the formula to its file position. Every line of a block scalar (`|-`) carries the
 * same indentation in the file, so the formula's start column applies to all of its lines.
 */
export function locate(source: string, where: SourceLocation | undefined, offset: number): SourceLocation {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(offset, source.length);
  for (let index = 0; index < end; index += 1) {
    if (source.charCodeAt(index) === 10) {
      line += 1;
      lineStart = index + 1;
    }
  }
  const column = offset - lineStart + 1;
  if (where === undefined) return { file: 'formula', line, column };
  return { file: where.file, line: where.line + line - 1, column: where.column + column - 1 };
}

const bodyCache = new Map<string, Expr>();
const unlocatedCache = new Map<string, FormulaAst>();
// Topic files hold a bounded set of formulas; the cap only guards against callers that build formulas from data.
const cacheLimit = 50_000;

/**
 * Parses a Power Fx formula (with or without its leading `=`). `where` is the file position of the first
 * character of `text`. Results are cached by text, so calling this on every turn is cheap.
 *
 * @example parseFormula('=!IsBlank(Topic.CaseNumber)', { file: 'topics/Escalate.mcs.yml', line: 14, column: 20 })
 * @throws PowerFxError with code `syntax` and the file:line:column of the offending character.
 */
export function parseFormula(text: string, where?: SourceLocation): FormulaAst {
  if (where === undefined) {
    const known = unlocatedCache.get(text);
    if (known !== undefined) return known;
  }
  let body = bodyCache.get(text);
  if (body === undefined) {
    // Replacing `=` by a space keeps every offset equal to the position in `text`.
    const parsable = leadingEquals(text) ? text.replace('=', ' ') : text;
    body = parseExpression(text, parsable, 0, where);
    checkArity(body, text, where);
    if (bodyCache.size >= cacheLimit) bodyCache.clear();
    bodyCache.set(text, body);
  }
  const formula: FormulaAst = { source: text, where, body };
  if (where === undefined) {
    if (unlocatedCache.size >= cacheLimit) unlocatedCache.clear();
    unlocatedCache.set(text, formula);
  }
  return formula;
}

function leadingEquals(text: string): boolean {
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    if (code === 61 /* = */) return true;
    if (code !== 32 && code !== 9 && code !== 10 && code !== 13) return false;
  }
  return false;
}


/**
 * Parses the expression at `offset..offset+length` of a larger text (a `{hole}` of a message template);
 * node offsets stay relative to the whole text so errors point into it.
 */
export function parseEmbeddedExpression(source: string, offset: number, length: number, where: SourceLocation | undefined): Expr {
  const body = parseExpression(source, source.slice(offset, offset + length), offset, where);
  checkArity(body, source, where);
  return body;
}
