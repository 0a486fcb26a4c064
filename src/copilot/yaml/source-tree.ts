import * as fs from 'node:fs';
import * as path from 'node:path';
import { unzipSync } from 'fflate';

/**
 * The files of one loadable unit, whether a folder on disk or a zip (a solution export as
 * downloaded from Power Apps), seen through one interface so every layout is read the same way.
 * Paths are relative, '/'-separated.
 */
export interface SourceTree {
  /** Absolute path of the folder or zip; for a zip with one top folder, `<zip>!/<folder>`. */
  root: string;
  files: readonly string[];
  /** Immediate subfolders not walked (topic-files layout reads one folder level). */
  unwalkedFolders: readonly string[];
  readText(file: string): string;
}

/** Folders never part of an agent: version control and dependencies. */
const SKIPPED_FOLDERS = new Set(['.git', 'node_modules', '.svn', '.hg']);

const utf8 = new TextDecoder('utf-8');

/**
 * Decodes a file: UTF-8 (a byte-order mark is dropped) or, when a UTF-16 byte-order mark says so,
 * UTF-16 (Windows editors write it; Copilot Studio never does).
 */
export function decodeText(bytes: Uint8Array): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes.subarray(2));
  return utf8.decode(bytes);
}

export function openFolder(root: string, options: { recursive: boolean }): SourceTree {
  const files: string[] = [];
  const unwalkedFolders: string[] = [];
  const walk = (relative: string) => {
    const absolute = relative ? path.join(root, relative) : root;
    const entries = fs.readdirSync(absolute, { withFileTypes: true });
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const child = relative ? `${relative}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        if (SKIPPED_FOLDERS.has(entry.name)) continue;
        if (options.recursive) walk(child);
        else unwalkedFolders.push(child);
      } else if (entry.isFile()) {
        files.push(child);
      }
    }
  };
  walk('');
  return {
    root,
    files,
    unwalkedFolders,
    readText: (file) => decodeText(fs.readFileSync(path.join(root, file))),
  };
}

/**
 * Opens a zip in memory. When every entry sits under one top folder and that folder, not the zip
 * root, holds the unit (a zipped folder rather than a Power Apps export), the folder becomes the root.
 */
export function openZip(zipPath: string, isUnitRoot: (files: readonly string[]) => boolean): SourceTree {
  const entries = unzipSync(new Uint8Array(fs.readFileSync(zipPath)));
  const contents = new Map<string, Uint8Array>();
  for (const [name, bytes] of Object.entries(entries)) {
    const normalized = name.replace(/\\/g, '/');
    if (!normalized.endsWith('/')) contents.set(normalized, bytes);
  }
  let prefix = '';
  const names = [...contents.keys()].sort();
  if (!isUnitRoot(names)) {
    const tops = new Set(names.map((name) => name.split('/')[0]));
    const [top] = [...tops];
    if (tops.size === 1 && top !== undefined && names.every((name) => name.includes('/'))) {
      const inner = names.map((name) => name.slice(top.length + 1));
      if (isUnitRoot(inner)) prefix = `${top}/`;
    }
  }
  const files = names.map((name) => name.slice(prefix.length));
  return {
    root: prefix ? `${zipPath}!/${prefix.slice(0, -1)}` : zipPath,
    files,
    unwalkedFolders: [],
    readText: (file) => {
      const bytes = contents.get(prefix + file);
      if (!bytes) throw new Error(`${file} is not in ${zipPath}`);
      return decodeText(bytes);
    },
  };
}

/** Names of the entries of a zip, without inflating them (for discovery). */
export function zipEntryNames(zipPath: string): string[] {
  const names: string[] = [];
  unzipSync(new Uint8Array(fs.readFileSync(zipPath)), {
    filter: (file) => {
      names.push(file.name.replace(/\\/g, '/'));
      return false;
    },
  });
  return names;
}
