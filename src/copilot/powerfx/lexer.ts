import { createToken, Lexer, type CustomPatternMatcherReturn, type TokenType } from 'chevrotain';

// Token spellings follow the Power Fx lexer (microsoft/Power-Fx, TexlLexer.cs) as summarised in
// docs/copilot-topic-yaml.md §3.5; comments and `$"..."` strings occur in real topics (measured with
// bench/corpus/powerfx.ts).

export const WhiteSpace = createToken({ name: 'WhiteSpace', pattern: /\s+/, group: Lexer.SKIPPED, line_breaks: true });
export const LineComment = createToken({ name: 'LineComment', pattern: /\/\/[^\n\r]*/, group: Lexer.SKIPPED });
export const BlockComment = createToken({ name: 'BlockComment', pattern: /\/\*[\s\S]*?\*\//, group: Lexer.SKIPPED, line_breaks: true });

export const StringLiteral = createToken({ name: 'StringLiteral', pattern: /"(?:[^"]|"")*"/, line_breaks: true });
export const InterpolatedString = createToken({
  name: 'InterpolatedString',
  pattern: { exec: matchInterpolatedString },
  start_chars_hint: ['$'],
  line_breaks: true,
});
export const NumberLiteral = createToken({ name: 'NumberLiteral', pattern: /(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?/ });
export const QuotedIdentifier = createToken({ name: 'QuotedIdentifier', pattern: /'(?:[^']|'')*'/ });
// chevrotain drops the u flag of token regexes, so Unicode letter classes need a matcher of their own.
const identifierPattern = /[\p{L}_][\p{L}\p{Mn}\p{Mc}\p{Nd}_]*/uy;
export const Identifier = createToken({
  name: 'Identifier',
  pattern: {
    exec(text: string, offset: number): CustomPatternMatcherReturn | null {
      identifierPattern.lastIndex = offset;
      const match = identifierPattern.exec(text);
      return match === null ? null : [match[0]];
    },
  },
  start_chars_hint: lettersHint(),
  line_breaks: false,
});

function keyword(name: string, pattern: RegExp): TokenType {
  return createToken({ name, pattern, longer_alt: Identifier });
}
// Power Apps accepts `True`/`TRUE` and rewrites them to `true`; real exports are written by hand too.
export const True = keyword('True', /true|True|TRUE/);
export const False = keyword('False', /false|False|FALSE/);
export const AndWord = keyword('AndWord', /And/);
export const OrWord = keyword('OrWord', /Or/);
export const NotWord = keyword('NotWord', /Not/);
export const ExactIn = keyword('ExactIn', /exactin/);
export const In = keyword('In', /in/);
export const As = keyword('As', /As/);

export const AmpAmp = createToken({ name: 'AmpAmp', pattern: /&&/ });
export const PipePipe = createToken({ name: 'PipePipe', pattern: /\|\|/ });
export const NotEquals = createToken({ name: 'NotEquals', pattern: /<>/ });
export const LessEquals = createToken({ name: 'LessEquals', pattern: /<=/ });
export const GreaterEquals = createToken({ name: 'GreaterEquals', pattern: />=/ });
export const Less = createToken({ name: 'Less', pattern: /</ });
export const Greater = createToken({ name: 'Greater', pattern: />/ });
export const Equals = createToken({ name: 'Equals', pattern: /=/ });
export const Ampersand = createToken({ name: 'Ampersand', pattern: /&/ });
export const Plus = createToken({ name: 'Plus', pattern: /\+/ });
export const Minus = createToken({ name: 'Minus', pattern: /-/ });
export const Star = createToken({ name: 'Star', pattern: /\*/ });
export const Slash = createToken({ name: 'Slash', pattern: /\// });
export const Caret = createToken({ name: 'Caret', pattern: /\^/ });
export const Percent = createToken({ name: 'Percent', pattern: /%/ });
export const Bang = createToken({ name: 'Bang', pattern: /!/ });
export const Dot = createToken({ name: 'Dot', pattern: /\./ });
export const Comma = createToken({ name: 'Comma', pattern: /,/ });
export const Colon = createToken({ name: 'Colon', pattern: /:/ });
export const LParen = createToken({ name: 'LParen', pattern: /\(/ });
export const RParen = createToken({ name: 'RParen', pattern: /\)/ });
export const LBrace = createToken({ name: 'LBrace', pattern: /\{/ });
export const RBrace = createToken({ name: 'RBrace', pattern: /\}/ });
export const LBracket = createToken({ name: 'LBracket', pattern: /\[/ });
export const RBracket = createToken({ name: 'RBracket', pattern: /\]/ });

/** Order matters: chevrotain takes the first pattern that matches, so longer spellings come first. */
export const allTokens: TokenType[] = [
  WhiteSpace, LineComment, BlockComment,
  StringLiteral, InterpolatedString, NumberLiteral, QuotedIdentifier,
  True, False, AndWord, OrWord, NotWord, ExactIn, In, As, Identifier,
  AmpAmp, PipePipe, NotEquals, LessEquals, GreaterEquals, Less, Greater, Equals,
  Ampersand, Plus, Minus, Star, Slash, Caret, Percent, Bang, Dot, Comma, Colon,
  LParen, RParen, LBrace, RBrace, LBracket, RBracket,
];

/** Tokens that may name a field after a dot or in a record literal even though they are keywords elsewhere. */
export const fieldNameKeywords: TokenType[] = [True, False, AndWord, OrWord, NotWord, ExactIn, In, As];

export const powerFxLexer = new Lexer(allTokens, { positionTracking: 'full', ensureOptimizations: false });

/**
 * `$"text {expression} text"`: the whole string is one token (holes may nest strings and records), and
 * the parser splits it. `{{`, `}}` and `""` are the escapes Power Fx defines for interpolated strings.
 */
function matchInterpolatedString(text: string, offset: number): CustomPatternMatcherReturn | null {
  const end = scanInterpolatedString(text, offset);
  return end < 0 ? null : [text.slice(offset, end)];
}

/** Returns the offset just past the closing quote of the interpolated string at `offset`, or -1. */
export function scanInterpolatedString(text: string, offset: number): number {
  if (text.charCodeAt(offset) !== 36 /* $ */ || text.charCodeAt(offset + 1) !== 34 /* " */) return -1;
  let index = offset + 2;
  while (index < text.length) {
    const char = text[index];
    if (char === '"') {
      if (text[index + 1] === '"') { index += 2; continue; }
      return index + 1;
    }
    if (char === '{') {
      if (text[index + 1] === '{') { index += 2; continue; }
      index = scanHole(text, index + 1);
      if (index < 0) return -1;
      continue;
    }
    index += 1;
  }
  return -1;
}

/** Skips an interpolation hole starting after its `{`; returns the offset after the matching `}`, or -1. */
export function scanHole(text: string, offset: number): number {
  let depth = 1;
  let index = offset;
  while (index < text.length) {
    const char = text[index];
    if (char === '"') {
      index = skipString(text, index);
      if (index < 0) return -1;
      continue;
    }
    if (char === '$' && text[index + 1] === '"') {
      index = scanInterpolatedString(text, index);
      if (index < 0) return -1;
      continue;
    }
    if (char === '{') depth += 1;
    else if (char === '}') {
      depth -= 1;
      if (depth === 0) return index + 1;
    }
    index += 1;
  }
  return -1;
}

function skipString(text: string, offset: number): number {
  let index = offset + 1;
  while (index < text.length) {
    if (text[index] === '"') {
      if (text[index + 1] === '"') { index += 2; continue; }
      return index + 1;
    }
    index += 1;
  }
  return -1;
}

/** chevrotain cannot derive first characters from a \p{L} class; these cover Latin, Greek, Cyrillic and CJK names. */
function lettersHint(): string[] {
  const hints: string[] = ['_'];
  const ranges: Array<[number, number]> = [[65, 90], [97, 122], [0xc0, 0x24f], [0x370, 0x52f], [0x4e00, 0x4fff]];
  for (const [from, to] of ranges) for (let code = from; code <= to; code += 1) hints.push(String.fromCharCode(code));
  return hints;
}
