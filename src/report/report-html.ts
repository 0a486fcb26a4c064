import escapeHtml from 'escape-html';
import type { Redactor } from './redaction';
import type { ScenarioStatus } from './run-result';

/** Escapes text for HTML after redacting it: every string that reaches a report page goes through here. */
export type Html = (text: unknown) => string;

export function htmlEscaper(redactor: Redactor): Html {
  return (text) => escapeHtml(redactor.text(text === undefined || text === null ? '' : String(text)));
}

/** A whole page: inline styles, no script, nothing loaded from the network. */
export function page(title: string, body: string, h: Html): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${h(title)}</title>
<style>${styles}</style>
</head>
<body>
${body}
</body>
</html>
`;
}

export function statusBadge(status: ScenarioStatus, h: Html): string {
  return `<span class="badge status-${h(status)}">${h(status)}</span>`;
}

/** `09:04:00.000` on the virtual clock (UTC), the way the console timeline prints it. */
export function clockTime(at: number): string {
  return new Date(at).toISOString().slice(11, 23);
}

/** `+4:05` after the scenario's first entry. */
export function offset(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = String(seconds % 60).padStart(2, '0');
  return h > 0 ? `+${h}:${String(m).padStart(2, '0')}:${s}` : `+${m}:${s}`;
}

export function milliseconds(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(2)} s`;
}

const styles = `
:root { --ok: #1a7f37; --bad: #cf222e; --warn: #9a6700; --muted: #57606a; --line: #d0d7de; --bg: #f6f8fa;
  --customer: #ddf4ff; --copilot: #fbefff; --routing: #fff8c5; --agent: #dafbe1; --system: #eaeef2; }
* { box-sizing: border-box; }
body { font: 14px/1.45 -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; color: #1f2328; margin: 0; padding: 0 24px 48px; }
header.run { background: #fff; border-bottom: 1px solid var(--line); padding: 12px 0; z-index: 2; }
h1 { font-size: 20px; margin: 0 0 4px; } h2 { font-size: 17px; margin: 0; } h3 { font-size: 14px; margin: 16px 0 6px; }
a { color: #0969da; } code, pre { font: 12px/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
pre { white-space: pre-wrap; word-break: break-word; margin: 0; }
.muted { color: var(--muted); }
.badge { display: inline-block; border-radius: 10px; padding: 0 8px; font-size: 12px; font-weight: 600; color: #fff; background: var(--muted); }
.status-passed { background: var(--ok); } .status-failed, .status-undefined, .status-ambiguous, .status-unknown { background: var(--bad); }
.status-pending, .status-skipped { background: var(--warn); }
.counts span { margin-right: 12px; }
nav.toc { margin: 8px 0 0; font-size: 13px; }
section.scenario { border: 1px solid var(--line); border-radius: 8px; margin: 20px 0; padding: 12px 16px; }
section.scenario.failed { border: 2px solid var(--bad); box-shadow: 0 0 0 3px #ffebe9; }
section.scenario > header { display: flex; gap: 12px; align-items: baseline; flex-wrap: wrap; }
.failure { background: #ffebe9; border-left: 4px solid var(--bad); padding: 8px 12px; margin: 10px 0; }
.failure .step { font-weight: 600; }
.reproduce { background: var(--bg); padding: 6px 10px; border-radius: 6px; margin: 8px 0; }
ol.steps { margin: 6px 0; padding-left: 24px; } ol.steps li { padding: 1px 4px; }
ol.steps li.step-failed, ol.steps li.step-undefined, ol.steps li.step-ambiguous { background: #ffebe9; outline: 2px solid var(--bad); border-radius: 4px; }
ol.steps li.step-skipped { color: var(--muted); }
.views { display: grid; grid-template-columns: 1fr 1fr; gap: 16px; }
.view { border: 1px solid var(--line); border-radius: 6px; padding: 8px; background: var(--bg); }
.bubble { border-radius: 10px; padding: 4px 10px; margin: 4px 0; max-width: 90%; background: #fff; border: 1px solid var(--line); }
.bubble.from-customer { margin-left: auto; background: var(--customer); } .bubble.from-copilot { background: var(--copilot); }
.bubble.from-agent { background: var(--agent); } .bubble.from-system { background: var(--system); font-style: italic; }
.bubble .who { font-size: 11px; color: var(--muted); display: block; }
.bubble.unfetched { opacity: 0.6; border-style: dashed; }
.note { background: var(--routing); border: 1px dashed var(--warn); }
table { border-collapse: collapse; margin: 4px 0; } th, td { border: 1px solid var(--line); padding: 3px 8px; text-align: left; vertical-align: top; }
th { background: var(--bg); }
.swimlanes { display: grid; grid-template-columns: 140px repeat(5, minmax(0, 1fr)); font-size: 12px; border: 1px solid var(--line); border-radius: 6px; overflow: hidden; }
.swimlanes > div { padding: 2px 6px; border-bottom: 1px solid #eef1f4; }
.swimlanes .lane-head { font-weight: 600; background: var(--bg); }
.swimlanes .time { grid-column: 1; color: var(--muted); font-family: ui-monospace, monospace; white-space: nowrap; }
.lane-customer { background: var(--customer); grid-column: 2; } .lane-copilot { background: var(--copilot); grid-column: 3; }
.lane-routing { background: var(--routing); grid-column: 4; } .lane-agent { background: var(--agent); grid-column: 5; }
.lane-system { background: var(--system); grid-column: 6; }
.swimlanes .lane-head { grid-row: 1; }
.states { margin: 2px 0; } .states .state { display: inline-block; background: var(--bg); border: 1px solid var(--line); border-radius: 4px; padding: 0 6px; margin: 2px 0; }
.states .arrow { color: var(--muted); margin: 0 4px; font-size: 11px; }
.coverage-bar { display: inline-block; width: 120px; height: 8px; background: #ffebe9; border-radius: 4px; vertical-align: middle; overflow: hidden; }
.coverage-bar > span { display: block; height: 100%; background: var(--ok); }
tr.row-failed td { background: #ffebe9; }
`;
