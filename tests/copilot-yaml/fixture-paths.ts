import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { SourceLocation } from '../../src/copilot/yaml';

export const FIXTURES = path.resolve(__dirname, '..', 'fixtures', 'copilots');

export function fixture(...parts: string[]): string {
  return path.join(FIXTURES, ...parts);
}

/** Line and column (1-based) where `needle` first occurs in a file, read independently of the loader. */
export function positionIn(file: string, needle: string): { line: number; column: number } {
  const text = fs.readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
  const at = text.indexOf(needle);
  if (at < 0) throw new Error(`"${needle}" is not in ${file}`);
  const before = text.slice(0, at).split('\n');
  return { line: before.length, column: (before[before.length - 1] ?? '').length + 1 };
}

export function at(location: SourceLocation | undefined): string {
  return location ? `${location.file}:${location.line}:${location.column}` : 'nowhere';
}

/** Every file under a folder, relative, '/'-separated. */
export function filesUnder(folder: string): string[] {
  const found: string[] = [];
  const walk = (relative: string) => {
    for (const entry of fs.readdirSync(path.join(folder, relative), { withFileTypes: true })) {
      const child = relative ? `${relative}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(child);
      else found.push(child);
    }
  };
  walk('');
  return found.sort();
}

/** A fresh folder under the OS temp folder, removed when the test process exits. */
export function temporaryFolder(name: string): string {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), `${name}-`));
  process.on('exit', () => fs.rmSync(folder, { recursive: true, force: true }));
  return folder;
}
