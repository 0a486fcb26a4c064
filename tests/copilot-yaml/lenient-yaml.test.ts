import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDocument } from 'yaml';
import { locationOf, locationOfKey, parseLenientYaml } from '../../src/copilot/yaml';

type Tree = Record<string, any>;

test('a byte-order mark and CRLF line ends load, and positions count lines as an editor shows them', () => {
  const parsed = parseLenientYaml('\uFEFFkind: AdaptiveDialog\r\nnote: |-\r\n  first\r\n  second\r\nlanguage: 1033\r\n', 'settings.mcs.yml');
  const value = parsed.value as Tree;
  assert.equal(parsed.failure, undefined);
  assert.deepEqual(value, { kind: 'AdaptiveDialog', note: 'first\nsecond', language: 1033 });
  assert.deepEqual(locationOfKey(value, 'language'), { file: 'settings.mcs.yml', line: 5, column: 11 });
  assert.deepEqual(locationOf(value), { file: 'settings.mcs.yml', line: 1, column: 1 });
});

test('scalars stay as written: formulas keep "=", YAML 1.2 keeps Yes a string, leading zeros stay text', () => {
  const value = parseLenientYaml(
    ['condition: =Topic.X = true', 'phrase: Yes', 'flag: true', 'count: 3', 'order: 0042', 'template: "={ a: 1 }"'].join('\n'),
    't.yml',
  ).value as Tree;
  assert.equal(value['condition'], '=Topic.X = true');
  assert.equal(value['phrase'], 'Yes');
  assert.equal(value['flag'], true);
  assert.equal(value['count'], 3);
  assert.equal(value['order'], '0042');
  assert.equal(value['template'], '={ a: 1 }');
});

test('keys and values starting with "@" load as the strings Copilot Studio wrote, with a located warning', () => {
  const text = ['properties:', '  @odata.nextLink: String', '  tag: @mention', 'done: true'].join('\n');
  assert.ok(parseDocument(text).errors.length > 0, 'the yaml library alone rejects this text');
  const parsed = parseLenientYaml(text, 'topic.yaml');
  const value = parsed.value as Tree;
  assert.deepEqual(value, { properties: { '@odata.nextLink': 'String', tag: '@mention' }, done: true });
  assert.deepEqual(
    parsed.quirks.map((quirk) => [quirk.kind, quirk.line, quirk.column]),
    [
      ['reserved-indicator', 2, 3],
      ['reserved-indicator', 3, 8],
    ],
  );
  assert.deepEqual(locationOfKey(value['properties'], '@odata.nextLink'), { file: 'topic.yaml', line: 2, column: 20 });
});

test('"accept: */*" reads as the text */*, while a real anchor and alias still resolve', () => {
  const parsed = parseLenientYaml(['headers:', '  accept: */*', 'shared: &greeting Hello', 'again: *greeting'].join('\n'), 'http.yml');
  const value = parsed.value as Tree;
  assert.equal(value['headers']['accept'], '*/*');
  assert.equal(value['again'], 'Hello');
  assert.deepEqual(
    parsed.quirks.map((quirk) => [quirk.kind, quirk.line, quirk.column]),
    [['unresolved-alias', 2, 11]],
  );
});

test('a braced key such as {VersionNumber}: is a plain property name, and ordinary flow mappings are untouched', () => {
  const text = ['properties:', '  {FilenameWithExtension}:', '    type: String', '', '  {VersionNumber}:', '    type: String', 'inputType: {}', 'entity: {kind: EmailPrebuiltEntity}'].join('\n');
  assert.ok(parseDocument(text).errors.length > 0, 'the yaml library alone rejects the second braced key');
  const parsed = parseLenientYaml(text, 'files.yml');
  const value = parsed.value as Tree;
  assert.deepEqual(Object.keys(value['properties']), ['{FilenameWithExtension}', '{VersionNumber}']);
  assert.deepEqual(value['inputType'], {});
  assert.deepEqual(value['entity'], { kind: 'EmailPrebuiltEntity' });
  assert.deepEqual(parsed.quirks.map((quirk) => [quirk.kind, quirk.line, quirk.column]), [
    ['flow-key', 2, 3],
    ['flow-key', 5, 3],
  ]);
});

test('a template placeholder followed by text, { NAME }.topic.Search, is one string', () => {
  const parsed = parseLenientYaml(['- kind: BeginDialog', '  dialog: { REPLACE-WITH-COPILOT-NAME }.topic.Search'].join('\n'), 'mtm.yaml');
  assert.deepEqual(parsed.value, [{ kind: 'BeginDialog', dialog: '{ REPLACE-WITH-COPILOT-NAME }.topic.Search' }]);
  assert.equal(parsed.quirks[0]?.kind, 'flow-with-trailing-text');
  assert.equal(parsed.quirks[0]?.line, 2);
});

test('text that is not YAML fails at the yaml library\'s own error position, with no value', () => {
  const text = ['kind: AdaptiveDialog', 'beginDialog:', '  kind: OnRecognizedIntent', '  id: "main'].join('\n');
  const parsed = parseLenientYaml(text, 'bad.yml');
  const library = parseDocument(text).errors[0];
  assert.equal(parsed.value, undefined);
  assert.deepEqual([parsed.failure?.line, parsed.failure?.column], [library?.linePos?.[0].line, library?.linePos?.[0].col]);
  assert.equal(parsed.failure?.line, 4);
  assert.match(parsed.failure?.message ?? '', /quote/i);
});

test('the comment header gives a display name and description', () => {
  const parsed = parseLenientYaml(['# Name: Escalate', '# Hands over to a person.', 'kind: AdaptiveDialog', '# not part of the header'].join('\n'), 'e.yml');
  assert.deepEqual(parsed.header, { name: 'Escalate', description: 'Hands over to a person.' });
});

test('a "__proto__" key is an own property and never reaches the prototype', () => {
  const value = parseLenientYaml('__proto__:\n  polluted: true\n', 'p.yml').value as Tree;
  assert.deepEqual(Object.keys(value), ['__proto__']);
  assert.equal(({} as Tree)['polluted'], undefined);
  assert.equal(Object.getPrototypeOf(value), Object.prototype);
});

test('lists are located too, item by item', () => {
  const value = parseLenientYaml(['triggerQueries:', '  - Bye', '  - Goodbye'].join('\n'), 'g.yml').value as Tree;
  assert.deepEqual(locationOf(value['triggerQueries']), { file: 'g.yml', line: 2, column: 3 });
  assert.deepEqual(locationOfKey(value['triggerQueries'], 1), { file: 'g.yml', line: 3, column: 5 });
});
