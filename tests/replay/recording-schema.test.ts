import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { importFile } from '../../src/replay/import';
import { examplesFolder } from './support/examples';
import { unsupportedKeywords, validate } from './support/json-schema-subset';

const schema = JSON.parse(readFileSync(join(__dirname, '..', '..', 'src', 'replay', 'recording.schema.json'), 'utf8')) as Record<string, unknown>;
const examples = readdirSync(examplesFolder, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .flatMap((format) => readdirSync(join(examplesFolder, format.name)).map((name) => join(examplesFolder, format.name, name)));

test('the schema is JSON Schema 2020-12 and uses only keywords the test validator checks', () => {
  assert.equal(schema.$schema, 'https://json-schema.org/draft/2020-12/schema');
  assert.deepEqual(unsupportedKeywords(schema), []);
});

test('every sample recording, imported with and without personal data, is valid against the schema', () => {
  assert.ok(examples.length >= 7);
  for (const path of examples) {
    for (const keepPii of [false, true]) assert.deepEqual(validate(schema, importFile(path, { keepPii })), [], path);
  }
});

test('the schema rejects what the type rejects: a wrong party, a missing source, an unknown field', () => {
  const recording = importFile(join(examplesFolder, 'directline', 'billing-handoff.log.json')) as unknown as { entries: Record<string, unknown>[] };
  const [first, second, third] = recording.entries;
  assert.ok(first && second && third);
  first.party = 'bot';
  delete second.source;
  third.colour = 'blue';
  const errors = validate(schema, recording);
  assert.equal(errors.length, 3, errors.join('\n'));
  assert.match(errors[0] as string, /entries\[0\].*"bot" is not one of/);
  assert.match(errors[1] as string, /entries\[1\].*missing source/);
  assert.match(errors[2] as string, /entries\[2\].*unexpected property colour/);
});
