import { test } from 'node:test';
import assert from 'node:assert/strict';
import { interpolateTemplate, PowerFxError } from '../../src/copilot/powerfx';
import { environmentOf } from './environment.fixture';

const env = environmentOf({
  System: { User: { DisplayName: 'Ada' }, Bot: { Name: 'Contoso Helper' }, Error: { Code: 'E42' } },
  Topic: { CaseNumber: 'CAS-01234', Items: 3, When: new Date(Date.UTC(2024, 4, 17)), Rec: { a: 1 } },
  Env: { fac_Url: 'https://dining' },
});

test('holes are replaced by their values written as Text() writes them', () => {
  assert.equal(interpolateTemplate('Hello {System.User.DisplayName}, your case {Topic.CaseNumber}', env), 'Hello Ada, your case CAS-01234');
  assert.equal(interpolateTemplate('{Topic.Items + 1} items on {Topic.When}', env), '4 items on 5/17/2024');
  assert.equal(interpolateTemplate('{Concatenate(Env.fac_Url, "/?clientSource=", "msteams")}', env), 'https://dining/?clientSource=msteams');
});

test('Blank writes nothing and text without holes comes back unchanged', () => {
  assert.equal(interpolateTemplate('[{Topic.Missing}]', env), '[]');
  assert.equal(interpolateTemplate('Go ahead. I\'m listening.', env), 'Go ahead. I\'m listening.');
});

test('multi-line templates keep their line breaks', () => {
  assert.equal(interpolateTemplate('Error Message: none\nError Code: {System.Error.Code}', env), 'Error Message: none\nError Code: E42');
});

test('doubled braces, unmatched braces and empty holes stay literal text', () => {
  assert.equal(interpolateTemplate('{{not a hole}} and {Topic.Items}', env), '{{not a hole}} and 3');
  assert.equal(interpolateTemplate('a { b', env), 'a { b');
  assert.equal(interpolateTemplate('a } b {}', env), 'a } b {}');
});

test('holes may contain records and text with braces', () => {
  assert.equal(interpolateTemplate('{ {x: "}"}.x } done', env), '} done');
});

test('a broken hole is a syntax error positioned inside the template', () => {
  const where = { file: 'topics/Greeting.mcs.yml', line: 12, column: 17 };
  assert.throws(
    () => interpolateTemplate('Hi\nthere {Topic.Items +}', env, where),
    (error: unknown) => error instanceof PowerFxError && error.code === 'syntax' && error.location?.line === 13 && error.location.column === 17 + 20,
  );
});

test('a record cannot be written into a message: a runtime error tells what to do', () => {
  assert.throws(
    () => interpolateTemplate('Value: {Topic.Rec}', env, { file: 't.yml', line: 1, column: 1 }),
    (error: unknown) => error instanceof PowerFxError && error.code === 'runtime' && /Pick a field of the record/.test(error.message),
  );
});
