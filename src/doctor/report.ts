import type { DoctorReport, Finding } from './doctor';

/**
 * How `handoff doctor` prints a report: one block per finding (severity, rule id, file:line:column,
 * node id, what is wrong and why, how to fix it), then a summary line; or the same as JSON for CI.
 */
export function formatDoctorText(report: DoctorReport): string {
  const lines: string[] = [];
  for (const finding of report.findings) lines.push(formatFinding(finding));
  const summary = `${report.copilot} (${report.displayName}): ${count(report.errors, 'error')}, ${count(report.warnings, 'warning')}`;
  lines.push(report.findings.length === 0 ? `${summary}. No findings.` : `${summary}.`);
  return `${lines.join('\n')}\n`;
}

export function formatFinding(finding: Finding): string {
  const where = `${finding.file}:${finding.line}:${finding.column}${finding.nodeId !== undefined ? ` (node ${finding.nodeId})` : ''}`;
  return `${finding.severity.padEnd(7)} ${finding.rule}  ${where}\n        ${finding.message}\n        Fix: ${finding.fix}\n`;
}

export function formatDoctorJson(report: DoctorReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}

function count(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
