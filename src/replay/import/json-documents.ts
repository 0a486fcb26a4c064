import { RecordingImportError } from './recording-import-error';

/** One top-level JSON value of a file, with where it starts (0-based character offset). */
export interface JsonDocument {
  value: unknown;
  offset: number;
}

/**
 * Parses a file that holds one JSON value or several written one after another (Direct Line GET
 * responses appended to a log, JSON Lines). Syntax errors become a RecordingImportError positioned by
 * line and column; `embeddedIn` names the field when the JSON came from inside a string field.
 */
export function parseJsonDocuments(text: string, file: string, embeddedIn?: string): JsonDocument[] {
  const start = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const documents: JsonDocument[] = [];
  let offset = skipWhitespace(text, start);
  if (offset >= text.length) {
    throw new RecordingImportError(
      file,
      embeddedIn ?? 'file',
      embeddedIn ? `the field ${embeddedIn} is empty` : 'the file is empty',
      embeddedIn ? 'Export the record again with the field as it is stored.' : 'Export the conversation again; an empty file holds nothing to replay.',
    );
  }
  while (offset < text.length) {
    const rest = offset === 0 ? text : text.slice(offset);
    try {
      documents.push({ value: JSON.parse(rest), offset });
      break;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const at = errorOffset(message);
      // V8 parses the first value and then complains about what follows it: that is the next document.
      if (at !== undefined && message.startsWith('Unexpected non-whitespace character after JSON')) {
        documents.push({ value: JSON.parse(rest.slice(0, at)), offset });
        offset = skipWhitespace(text, offset + at);
        continue;
      }
      throw syntaxError(text, file, offset, message, embeddedIn);
    }
  }
  return documents;
}

/** 1-based line and column of a character offset. */
export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let index = text.indexOf('\n'); index !== -1 && index < offset; index = text.indexOf('\n', index + 1)) {
    line += 1;
    lineStart = index + 1;
  }
  return { line, column: offset - lineStart + 1 };
}

function syntaxError(text: string, file: string, start: number, message: string, embeddedIn?: string): RecordingImportError {
  // V8 gives no position for "Unexpected token" errors, so the scanner below finds it in every case.
  const located = locateSyntaxError(text, start) ?? { offset: text.length, problem: message };
  const { line, column } = lineAndColumn(text, located.offset);
  const where = `line ${line}, column ${column}`;
  const position = embeddedIn ? `${embeddedIn}, ${where} of the embedded JSON` : where;
  const truncated = skipWhitespace(text, located.offset) >= text.length;
  const reason = truncated
    ? `the JSON ends before its last value is closed, so the ${embeddedIn ? 'field' : 'file'} looks truncated`
    : `the JSON is malformed there (${located.problem})`;
  return new RecordingImportError(
    file,
    position,
    reason,
    'Export or copy the recording again in full; importers only read complete JSON.',
  );
}

function errorOffset(message: string): number | undefined {
  const match = /at position (\d+)/.exec(message);
  return match ? Number(match[1]) : undefined;
}

function skipWhitespace(text: string, from: number): number {
  let index = from;
  while (index < text.length) {
    const code = text.charCodeAt(index);
    if (code !== 0x20 && code !== 0x0a && code !== 0x0d && code !== 0x09) break;
    index += 1;
  }
  return index;
}

/** A JSON syntax error's offset and what was expected there. */
interface SyntaxProblem {
  offset: number;
  problem: string;
}

/**
 * Walks one JSON value from `start` without building it and returns the first syntax error, or
 * undefined when the value is well formed. Only called after JSON.parse failed, so speed is no concern.
 */
export function locateSyntaxError(text: string, start: number): SyntaxProblem | undefined {
  let index = start;
  const fail = (problem: string): never => {
    throw { offset: index, problem } satisfies SyntaxProblem;
  };
  const describeHere = () => (index >= text.length ? 'the end of the text' : JSON.stringify(text.charAt(index)));
  const space = () => {
    index = skipWhitespace(text, index);
  };
  const expect = (char: string, after: string) => {
    space();
    if (text.charAt(index) !== char) fail(`expected "${char}" ${after}, found ${describeHere()}`);
    index += 1;
  };
  const string = () => {
    index += 1;
    for (;;) {
      if (index >= text.length) fail('a string is not closed');
      const code = text.charCodeAt(index);
      if (code === 0x22) {
        index += 1;
        return;
      }
      if (code < 0x20) fail('a string holds a raw control character (a line break?)');
      if (code === 0x5c) {
        const escaped = text.charAt(index + 1);
        if (escaped === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(index + 2, index + 6))) fail('a \\u escape needs four hex digits');
          index += 6;
          continue;
        }
        if (escaped === '') {
          index += 1;
          fail('a string is not closed');
        }
        if (!'"\\/bfnrt'.includes(escaped)) fail(`"\\${escaped}" is not a JSON escape`);
        index += 2;
        continue;
      }
      index += 1;
    }
  };
  const value = (): void => {
    space();
    const char = text.charAt(index);
    if (char === '{') {
      index += 1;
      space();
      if (text.charAt(index) === '}') {
        index += 1;
        return;
      }
      for (;;) {
        space();
        if (text.charAt(index) !== '"') fail(`expected a property name in double quotes, found ${describeHere()}`);
        string();
        expect(':', 'after a property name');
        value();
        space();
        if (text.charAt(index) === ',') {
          index += 1;
          continue;
        }
        if (text.charAt(index) === '}') {
          index += 1;
          return;
        }
        fail(`expected "," or "}" after a property value, found ${describeHere()}`);
      }
    }
    if (char === '[') {
      index += 1;
      space();
      if (text.charAt(index) === ']') {
        index += 1;
        return;
      }
      for (;;) {
        value();
        space();
        if (text.charAt(index) === ',') {
          index += 1;
          continue;
        }
        if (text.charAt(index) === ']') {
          index += 1;
          return;
        }
        fail(`expected "," or "]" after an array element, found ${describeHere()}`);
      }
    }
    if (char === '"') return string();
    for (const literal of ['true', 'false', 'null']) {
      if (text.startsWith(literal, index)) {
        index += literal.length;
        return;
      }
      // `nu` at the very end: the text was cut inside the literal.
      if (index < text.length && literal.startsWith(text.slice(index))) {
        index = text.length;
        fail('the text ends inside a literal');
      }
    }
    const number = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(text.slice(index, index + 64));
    if (number && number[0] !== '' && number[0] !== '-') {
      index += number[0].length;
      return;
    }
    fail(`expected a JSON value, found ${describeHere()}`);
  };
  try {
    value();
    return undefined;
  } catch (problem) {
    if (problem !== null && typeof problem === 'object' && 'offset' in problem) return problem as SyntaxProblem;
    throw problem;
  }
}
