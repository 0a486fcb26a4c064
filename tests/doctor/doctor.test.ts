import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { runDoctor, type DoctorReport } from '../../src/doctor/doctor';
import { rules } from '../../src/doctor/rules';

const root = path.resolve(__dirname, '..', '..');
const fixtures = path.join(root, 'tests', 'fixtures', 'doctor');
const relativeFixtures = path.relative(process.cwd(), fixtures);

/** Each fixture folder holds one seeded mistake: the rule that must find it, where, and how severe. */
const seeded: Record<string, { rule: string; severity: 'error' | 'warning'; file: string; line: number; nodeId?: string }> = {
  'copilot-name-too-long': { rule: 'copilot-name-too-long', severity: 'error', file: 'settings.mcs.yml', line: 1 },
  'escalate-without-transfer': { rule: 'escalate-without-transfer', severity: 'error', file: 'topics/Escalate.mcs.yml', line: 4, nodeId: 'main' },
  'missing-inactivity-topics': { rule: 'missing-inactivity-topics', severity: 'error', file: 'settings.mcs.yml', line: 1 },
  'inactivity-wrong-trigger': { rule: 'inactivity-wrong-trigger', severity: 'error', file: 'topics/SessionTimeout.mcs.yml', line: 3, nodeId: 'main' },
  'inactivity-channel-missing': { rule: 'inactivity-channel-condition', severity: 'warning', file: 'topics/SessionTimeout.mcs.yml', line: 3, nodeId: 'main' },
  'inactivity-channel-wrong': { rule: 'inactivity-channel-condition', severity: 'error', file: 'topics/SessionTimeout.mcs.yml', line: 3, nodeId: 'main' },
  'inactivity-without-end-conversation': { rule: 'inactivity-without-end-conversation', severity: 'error', file: 'topics/SessionTimeout.mcs.yml', line: 3, nodeId: 'main' },
  'inactivity-order': { rule: 'inactivity-order', severity: 'warning', file: 'topics/SessionTimeoutReminder.mcs.yml', line: 3, nodeId: 'main' },
  'variable-read-never-set': { rule: 'variable-read-never-set', severity: 'warning', file: 'topics/Billing.mcs.yml', line: 18, nodeId: 'sendMessage_billing' },
  'routing-variable-unset': { rule: 'routing-variable-unset', severity: 'error', file: 'd365.yml', line: 9 },
  'routing-variable-not-global': { rule: 'routing-variable-not-global', severity: 'error', file: 'd365.yml', line: 9 },
  'routing-variable-not-external': { rule: 'routing-variable-not-external', severity: 'warning', file: 'variables/Department.mcs.yml', line: 1 },
  'environment-mismatch': { rule: 'environment-mismatch', severity: 'error', file: 'd365.yml', line: 1 },
  'copilot-disconnected': { rule: 'copilot-disconnected', severity: 'error', file: 'd365.yml', line: 1 },
  'unmanaged-layer': { rule: 'unmanaged-layer', severity: 'error', file: 'topics/Escalate.mcs.yml', line: 1 },
  'invalid-yaml': { rule: 'invalid-yaml', severity: 'error', file: 'topics/Billing.mcs.yml', line: 9 },
  'unknown-node-kind': { rule: 'unknown-node-kind', severity: 'error', file: 'topics/Billing.mcs.yml', line: 16, nodeId: 'sendMessage_billing' },
  'missing-dialog-target': { rule: 'missing-dialog-target', severity: 'error', file: 'topics/Billing.mcs.yml', line: 20, nodeId: 'beginDialog_refund' },
  'redirect-cycle': { rule: 'redirect-cycle', severity: 'error', file: 'topics/Billing.mcs.yml', line: 20, nodeId: 'beginDialog_invoices' },
  'duplicate-topic': { rule: 'duplicate-topic', severity: 'error', file: 'topics/billing.topic.mcs.yml', line: 1 },
  'formula-syntax': { rule: 'formula-syntax', severity: 'error', file: 'topics/Billing.mcs.yml', line: 14, nodeId: 'setVariable_department' },
  'unsupported-function': { rule: 'unsupported-function', severity: 'warning', file: 'topics/Billing.mcs.yml', line: 14, nodeId: 'setVariable_department' },
  'unsupported-node-kind': { rule: 'unsupported-node-kind', severity: 'warning', file: 'topics/Billing.mcs.yml', line: 20, nodeId: 'invokeMcp_billing' },
};

function doctor(folder: string): DoctorReport {
  const d365 = path.join(fixtures, folder, 'd365.yml');
  return runDoctor(path.join(relativeFixtures, folder), fs.existsSync(d365) ? { d365: path.relative(process.cwd(), d365) } : {});
}

test('every fixture folder is either clean or seeds a mistake this test knows', () => {
  const folders = fs.readdirSync(fixtures).filter((name) => fs.statSync(path.join(fixtures, name)).isDirectory()).sort();
  assert.deepEqual(folders, ['clean', ...Object.keys(seeded)].sort());
});

test('the clean copilot has no finding, with or without its Dynamics 365 file', () => {
  assert.deepEqual(doctor('clean').findings, []);
  assert.deepEqual(runDoctor(path.join(relativeFixtures, 'clean')).findings, []);
});

for (const [folder, expected] of Object.entries(seeded)) {
  test(`doctor finds the seeded mistake of ${folder}, and only it, with file, line and fix`, () => {
    const report = doctor(folder);
    assert.deepEqual(
      report.findings.map((finding) => finding.rule),
      [expected.rule],
      `findings: ${report.findings.map((finding) => `${finding.rule} ${finding.file}:${finding.line}`).join('; ')}`,
    );
    const [finding] = report.findings;
    assert.ok(finding);
    assert.equal(finding.severity, expected.severity);
    assert.equal(finding.file, path.join(relativeFixtures, folder, expected.file).split(path.sep).join('/'));
    assert.equal(finding.line, expected.line);
    assert.ok(finding.column >= 1);
    if (expected.nodeId !== undefined) assert.equal(finding.nodeId, expected.nodeId);
    assert.ok(finding.message.length > 40 && finding.fix.length > 10, 'says what is wrong and how to fix it');
    assert.equal(report.errors, expected.severity === 'error' ? 1 : 0);
  });
}

test('docs/doctor-rules.md documents exactly the rules doctor has', () => {
  const text = fs.readFileSync(path.join(root, 'docs', 'doctor-rules.md'), 'utf8');
  const documented = [...text.matchAll(/^\| `([a-z0-9-]+)` \|/gm)].map((match) => match[1]);
  assert.deepEqual(documented, rules.map((rule) => rule.id));
});

test('an unreadable --d365 file is one located finding, not a crash', () => {
  const file = path.join(relativeFixtures, 'clean', 'settings.mcs.yml');
  const report = runDoctor(path.join(relativeFixtures, 'clean'), { d365: file });
  assert.deepEqual(report.findings.map((finding) => finding.rule), ['d365-config']);
  assert.match(report.findings[0]!.message, /unknown setting "displayName"/);
  assert.equal(report.findings[0]!.line, 1);
});

function cli(...args: string[]) {
  return spawnSync(process.execPath, [path.join(root, 'bin', 'handoff.js'), 'doctor', ...args], { cwd: root, encoding: 'utf8' });
}

test('the CLI exits 1 on errors, 0 on warnings only or a clean copilot, and --json is machine-readable', () => {
  const clean = cli('tests/fixtures/doctor/clean', '--d365', 'tests/fixtures/doctor/clean/d365.yml');
  assert.equal(clean.status, 0, clean.stderr);
  assert.match(clean.stdout, /0 errors, 0 warnings\. No findings\./);

  const warning = cli('tests/fixtures/doctor/inactivity-order');
  assert.equal(warning.status, 0, warning.stderr);

  const error = cli('tests/fixtures/doctor/escalate-without-transfer', '--json');
  assert.equal(error.status, 1);
  const report = JSON.parse(error.stdout) as DoctorReport;
  assert.equal(report.errors, 1);
  assert.deepEqual(Object.keys(report.findings[0]!).sort(), ['column', 'file', 'fix', 'line', 'message', 'nodeId', 'rule', 'severity']);
});

test('bad input gives a located error and never a stack trace', () => {
  for (const folder of ['invalid-yaml', 'unknown-node-kind', 'missing-dialog-target', 'redirect-cycle', 'duplicate-topic']) {
    const result = cli(`tests/fixtures/doctor/${folder}`);
    assert.equal(result.status, 1, folder);
    assert.equal(result.stderr, '', folder);
    assert.doesNotMatch(result.stdout, /\n\s+at .+\(.+:\d+:\d+\)/, folder);
    assert.match(result.stdout, new RegExp(`tests/fixtures/doctor/${folder}/topics/[^:]+:\\d+:\\d+`), folder);
  }
  const missing = cli('tests/fixtures/doctor/no-such-copilot');
  assert.equal(missing.status, 1);
  assert.match(missing.stdout, /unreadable-file/);
  assert.equal(missing.stderr, '');
});
