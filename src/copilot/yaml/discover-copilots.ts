import * as fs from 'node:fs';
import * as path from 'node:path';
import { isAgentRoot, isSolutionRoot } from './load-copilot';
import { decodeText, zipEntryNames } from './source-tree';

/**
 * Every loadable unit under a folder, for a conformance run over many exports: agent folders,
 * solution folders and solution zips (not looked into further), and folders that directly hold
 * loose topic files (each such folder is one `topic-files` unit; its subfolders are searched on
 * their own). A loose YAML file counts as a topic file when it has a root `kind: AdaptiveDialog`
 * line or a root `beginDialog:` line. Paths are absolute and sorted.
 *
 * @example
 * for (const unit of discoverCopilots('../shared/corpus/topics')) report(loadCopilot(unit));
 */
export function discoverCopilots(folder: string): string[] {
  const units: string[] = [];
  const visit = (directory: string) => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(directory, { withFileTypes: true });
    } catch {
      return;
    }
    const names: string[] = [];
    for (const entry of entries) {
      names.push(entry.isDirectory() ? `${entry.name}/` : entry.name);
      if (entry.isDirectory() && entry.name.toLowerCase() === 'other') {
        try {
          for (const inner of fs.readdirSync(path.join(directory, entry.name))) names.push(`${entry.name}/${inner}`);
        } catch {
          // An unreadable Other/ folder only means this is not an unpacked solution.
        }
      }
    }
    if (isSolutionRoot(names) || isAgentRoot(names)) {
      units.push(directory);
      return;
    }
    let holdsTopics = false;
    for (const entry of entries) {
      const full = path.join(directory, entry.name);
      if (entry.isDirectory()) {
        if (entry.name === '.git' || entry.name === 'node_modules') continue;
        visit(full);
      } else if (entry.isFile()) {
        if (/\.zip$/i.test(entry.name)) {
          if (isLoadableZip(full)) units.push(full);
        } else if (!holdsTopics && (/\.ya?ml$/i.test(entry.name) || entry.name === 'data') && looksLikeTopic(full)) {
          holdsTopics = true;
        }
      }
    }
    if (holdsTopics) units.push(directory);
  };
  visit(path.resolve(folder));
  return units.sort();
}

function isLoadableZip(file: string): boolean {
  try {
    const names = zipEntryNames(file);
    if (isSolutionRoot(names) || isAgentRoot(names)) return true;
    const tops = new Set(names.map((name) => name.split('/')[0]));
    const [top] = [...tops];
    if (tops.size !== 1 || top === undefined) return false;
    const inner = names.filter((name) => name.startsWith(`${top}/`)).map((name) => name.slice(top.length + 1));
    return isSolutionRoot(inner) || isAgentRoot(inner);
  } catch {
    return false;
  }
}

const TOPIC_MARKER = /^(kind:[ \t]*AdaptiveDialog[ \t]*\r?$|beginDialog:)/m;

function looksLikeTopic(file: string): boolean {
  try {
    return TOPIC_MARKER.test(decodeText(fs.readFileSync(file)));
  } catch {
    return false;
  }
}
