import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { RecordingImportError, importFile, importFileTo, importRecording, writeRecording } from '../../src/replay/import';
import { exampleText, examplesFolder } from './support/examples';

const folder = mkdtempSync(join(tmpdir(), 'handoff-recording-'));
after(() => rmSync(folder, { recursive: true, force: true }));

test('importFile reads the file and records its path as the source', () => {
  const path = join(examplesFolder, 'directline', 'billing-handoff.log.json');
  const recording = importFile(path, { seed: 1 });
  assert.equal(recording.source.file, path);
  assert.deepEqual(recording, importRecording(exampleText('directline/billing-handoff.log.json'), { file: path, seed: 1 }));
});

test('a missing file is a RecordingImportError that names it', () => {
  const path = join(folder, 'nowhere.transcript');
  assert.throws(() => importFile(path), (error: unknown) => {
    assert.ok(error instanceof RecordingImportError);
    assert.equal(error.file, path);
    assert.match(error.message, /nowhere\.transcript \(file\): the file does not exist\. Check the path/);
    return true;
  });
});

test('a folder given as the file is a RecordingImportError', () => {
  assert.throws(() => importFile(folder), /the path is a folder, not a file/);
});

test('writeRecording writes the recording as JSON and leaves no temporary file', () => {
  const recording = importFile(join(examplesFolder, 'bf-transcript', 'billing-handoff.transcript'));
  const out = join(folder, 'nested', 'billing.recording.json');
  writeRecording(recording, out);
  assert.deepEqual(JSON.parse(readFileSync(out, 'utf8')), recording);
  assert.deepEqual(readdirSync(join(folder, 'nested')), ['billing.recording.json']);
});

test('writing the same import twice gives byte-identical files', () => {
  const input = join(examplesFolder, 'd365-transcript', 'billing-handoff.annotation.json');
  importFileTo(input, join(folder, 'one.json'));
  importFileTo(input, join(folder, 'two.json'));
  assert.equal(readFileSync(join(folder, 'two.json'), 'utf8'), readFileSync(join(folder, 'one.json'), 'utf8'));
});

test('when the import fails nothing is written and an earlier output stays as it was', () => {
  const broken = join(folder, 'broken.transcript');
  writeFileSync(broken, '[{"type": "message", "text": "hi"');
  const fresh = join(folder, 'fresh.json');
  assert.throws(() => importFileTo(broken, fresh), RecordingImportError);
  assert.equal(existsSync(fresh), false);

  const existing = join(folder, 'existing.json');
  writeFileSync(existing, 'previous recording');
  assert.throws(() => importFileTo(broken, existing), RecordingImportError);
  assert.equal(readFileSync(existing, 'utf8'), 'previous recording');
});

test('a write the file system refuses fails with three sentences and leaves no temporary file', () => {
  const blocker = join(folder, 'blocker');
  writeFileSync(blocker, 'a file, not a folder');
  const recording = importFile(join(examplesFolder, 'directline', 'handoff-initiate.event.json'));
  assert.throws(() => writeRecording(recording, join(blocker, 'out.json')), /^Error: Failed to write recording .*out\.json: the file system refused \(\w+\)\. Check that the folder is writable/);
  assert.ok(!readdirSync(folder).some((name) => name.endsWith('.tmp')));
});
