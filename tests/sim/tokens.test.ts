import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TokenService } from '../../src/sim/tokens';

function service(key = 'k'.repeat(32)) {
  let now = Date.parse('2026-01-05T09:00:00Z');
  return { tokens: new TokenService(key, () => now), pass: (ms: number) => (now += ms) };
}

test('a token the service issued checks as valid, with its claims', () => {
  const { tokens } = service();
  const check = tokens.check(tokens.issue({ scope: 'acs:chat', conv: 'thread-1' }, 60));
  assert.equal(check.valid, true);
  assert.equal(check.valid && check.claims.conv, 'thread-1');
});

test('an issued token expires on the service clock', () => {
  const { tokens, pass } = service();
  const token = tokens.issue({ scope: 'acs:chat' }, 60);
  pass(59_000);
  assert.equal(tokens.check(token).valid, true);
  pass(1_000);
  assert.deepEqual(tokens.check(token), { valid: false, reason: 'expired' });
});

test('a token with a changed payload fails its signature', () => {
  const { tokens } = service();
  const [header, , signature] = tokens.issue({ scope: 'acs:chat', conv: 'thread-1' }, 60).split('.');
  const forgedPayload = Buffer.from(JSON.stringify({ scope: 'acs:chat', conv: 'thread-2', iat: 0, exp: 9e9 })).toString('base64url');
  assert.deepEqual(tokens.check(`${header}.${forgedPayload}.${signature}`), { valid: false, reason: 'signature' });
});

test('a token signed with another key is refused, and a token of another shape is malformed', () => {
  const { tokens } = service();
  const other = service('o'.repeat(32)).tokens.issue({ scope: 'acs:chat' }, 60);
  assert.deepEqual(tokens.check(other), { valid: false, reason: 'signature' });
  assert.deepEqual(tokens.check('not-a-jwt'), { valid: false, reason: 'malformed' });
});

test('changing the claims a check returned does not change the next check', () => {
  const { tokens } = service();
  const token = tokens.issue({ scope: 'acs:chat', conv: 'thread-1' }, 60);
  const first = tokens.check(token);
  if (first.valid) first.claims.conv = 'thread-2';
  const second = tokens.check(token);
  assert.equal(second.valid && second.claims.conv, 'thread-1');
});
