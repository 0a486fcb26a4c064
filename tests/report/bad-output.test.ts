import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { describeWriteError, ensureWritableFolder, ReportWriteError, writeFileAtomic } from '../../src/report/atomic-write';

const root = path.join(__dirname, '..', '..');
const scratch = () => fs.mkdtempSync(path.join(os.tmpdir(), 'handoff-report-'));

test('an atomic write leaves the whole file and no temporary file behind', () => {
  const folder = scratch();
  const file = path.join(folder, 'deep', 'report.json');
  writeFileAtomic(file, '{"a":1}');
  writeFileAtomic(file, '{"a":2}');
  assert.equal(fs.readFileSync(file, 'utf8'), '{"a":2}');
  assert.deepEqual(fs.readdirSync(path.dirname(file)), ['report.json']);
});

test('a failed write leaves what was there and no temporary file, and names the file, the cause and the remedy', () => {
  const folder = scratch();
  // A non-empty folder in place of the target makes the rename fail after the temporary file was written.
  const blocked = path.join(folder, 'junit.xml');
  fs.mkdirSync(path.join(blocked, 'kept'), { recursive: true });
  assert.throws(() => writeFileAtomic(blocked, '<testsuite/>'), (error: unknown) => {
    assert.ok(error instanceof ReportWriteError);
    assert.ok(error.message.startsWith(`Cannot write the report ${blocked}: `), error.message);
    assert.ok(error.message.endsWith('. Every run writes its reports there. Pass a writable folder with --reports <dir>.'), error.message);
    return true;
  });
  assert.deepEqual(fs.readdirSync(folder), ['junit.xml']);
  assert.deepEqual(fs.readdirSync(blocked), ['kept']);
});

test('a full disk (a real ENOSPC from /dev/full) says the disk is full and how to get out of it', { skip: !fs.existsSync('/dev/full') }, () => {
  let enospc: unknown;
  try {
    fs.writeFileSync('/dev/full', 'x'.repeat(1024));
  } catch (error) {
    enospc = error;
  }
  assert.equal((enospc as NodeJS.ErrnoException).code, 'ENOSPC');
  const error = describeWriteError(enospc, 'reports/junit.xml');
  assert.equal(error.message, 'Cannot write the report reports/junit.xml: the disk is full (ENOSPC). Every run writes its reports there. Free some space, or pass a folder on another disk with --reports <dir>.');
});

test('a reports path under a file is refused before anything runs', () => {
  const file = path.join(scratch(), 'a-file');
  fs.writeFileSync(file, '');
  assert.throws(() => ensureWritableFolder(path.join(file, 'reports')), /Cannot write reports to the folder .*a-file\/reports: a part of the path is a file, not a folder \(ENOTDIR\)\. Every run writes its reports there\. Pass a writable folder with --reports <dir>\./);
});

test('`handoff run` into an unwritable reports folder exits non-zero with the three-sentence error and runs nothing', () => {
  const file = path.join(scratch(), 'a-file');
  fs.writeFileSync(file, '');
  const run = spawnSync(process.execPath, [path.join(root, 'bin', 'handoff.js'), 'run', 'tests/fixtures/report/lifecycle-report.feature', '--reports', path.join(file, 'reports')], { cwd: root, encoding: 'utf8', env: { ...process.env, CI: 'true' } });
  assert.notEqual(run.status, 0);
  assert.match(run.stderr, /^handoff: Cannot write reports to the folder .*: a part of the path is a file, not a folder \(ENOTDIR\)\. Every run writes its reports there\. Pass a writable folder with --reports <dir>\.\n$/);
  assert.equal(run.stdout, '', 'no scenario ran');
});
