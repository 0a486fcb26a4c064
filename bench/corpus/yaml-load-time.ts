/**
 * How long loadCopilot takes on a generated agent folder of 200 topics (the target is well under
 * 300 ms). Run:
 *
 *   node -r ts-node/register/transpile-only bench/corpus/yaml-load-time.ts [topicCount]
 *
 * Each generated topic is shaped like a real one (an intent with ten phrases, a question, a
 * condition group with nested branches, a redirect, about 70 lines); a third use CRLF line ends.
 * The first load warms the JIT and the file cache; the figures are over the following runs.
 * A measurement script, not a test: it prints figures and asserts nothing.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseDocument } from 'yaml';
import { loadCopilot } from '../../src/copilot/yaml/load-copilot';

const BOT = 'cr000_generated';

function topicText(index: number, count: number): string {
  const next = (index + 1) % count;
  const phrases = Array.from({ length: 10 }, (_, phrase) => `      - ask about subject ${index} way ${phrase}`).join('\n');
  return `mcs.metadata:
  componentName: Subject ${index}
  description: Generated topic ${index} for the load-time measurement.
kind: AdaptiveDialog
beginDialog:
  kind: OnRecognizedIntent
  id: main
  intent:
    displayName: Subject ${index}
    triggerQueries:
${phrases}

  actions:
    - kind: Question
      id: question_${index}a
      alwaysPrompt: true
      variable: init:Topic.Answer
      prompt: Did that help with subject ${index}?
      entity: BooleanPrebuiltEntity

    - kind: ConditionGroup
      id: conditionGroup_${index}a
      conditions:
        - id: conditionItem_${index}a
          condition: =Topic.Answer = true
          actions:
            - kind: SendActivity
              id: sendMessage_${index}a
              activity: Glad to help with {System.Bot.Name}.

            - kind: SetVariable
              id: setVariable_${index}a
              variable: Global.LastSubject
              value: =Text(${index})

        - id: conditionItem_${index}b
          condition: =IsBlank(Topic.Answer) || Topic.Answer = false
          actions:
            - kind: ConditionGroup
              id: conditionGroup_${index}b
              conditions:
                - id: conditionItem_${index}c
                  condition: =System.FallbackCount < 3
                  actions:
                    - kind: SendActivity
                      id: sendMessage_${index}b
                      activity: |-
                        Let me try again.
                        Subject ${index}, second attempt.

      elseActions:
        - kind: SendActivity
          id: sendMessage_${index}c
          activity: Let me find someone.

    - kind: BeginDialog
      id: beginDialog_${index}a
      dialog: ${BOT}.topic.Subject${next}

    - kind: EndDialog
      id: endDialog_${index}a
`;
}

function generate(count: number): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'generated-copilot-'));
  fs.mkdirSync(path.join(root, 'topics'));
  fs.writeFileSync(path.join(root, 'settings.mcs.yml'), `\uFEFFdisplayName: Generated\r\nschemaName: ${BOT}\r\n`);
  for (let index = 0; index < count; index++) {
    const text = topicText(index, count);
    fs.writeFileSync(path.join(root, 'topics', `Subject${index}.mcs.yml`), index % 3 === 0 ? text.replace(/\n/g, '\r\n') : text);
  }
  return root;
}

interface Figures {
  wallMedian: number;
  wallMin: number;
  cpuMedian: number;
}

/** Wall time and CPU time (user + system) of `work` over warm runs; CPU time is what a busy machine does not inflate. */
function measure(work: () => void, runs = 20): Figures {
  work();
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let run = 0; run < runs; run++) {
    const cpuBefore = process.cpuUsage();
    const started = performance.now();
    work();
    wall.push(performance.now() - started);
    const used = process.cpuUsage(cpuBefore);
    cpu.push((used.user + used.system) / 1000);
  }
  const sorted = (values: number[]) => [...values].sort((a, b) => a - b);
  const median = (values: number[]) => sorted(values)[Math.floor(values.length / 2)] ?? 0;
  return { wallMedian: median(wall), wallMin: sorted(wall)[0] ?? 0, cpuMedian: median(cpu) };
}

function line(label: string, figures: Figures): string {
  return `${label.padEnd(44)} wall median ${figures.wallMedian.toFixed(1).padStart(6)} ms (min ${figures.wallMin.toFixed(1)}), CPU median ${figures.cpuMedian.toFixed(1).padStart(6)} ms`;
}

function main(count: number): void {
  const root = generate(count);
  const loaded = loadCopilot(root);
  const errors = loaded.diagnostics.filter((diagnostic) => diagnostic.severity === 'error');
  const topicFiles = fs.readdirSync(path.join(root, 'topics')).map((file) => path.join(root, 'topics', file));
  const bytes = topicFiles.reduce((sum, file) => sum + fs.statSync(file).size, 0);
  console.log(`Generated agent: ${count} topics, ${(bytes / 1024).toFixed(0)} KiB of YAML (real topics: median 1.3 KiB, mean 4.8 KiB)`);
  console.log(`Loaded ${loaded.topics.length} topics; ${errors.length} error (every topic redirects to the next, so the redirects form one cycle)`);
  // Baseline in the same run: reading the files and the yaml library's parseDocument alone.
  console.log(line('baseline: read + yaml parseDocument only', measure(() => topicFiles.forEach((file) => parseDocument(fs.readFileSync(file, 'utf8'))))));
  console.log(line('loadCopilot (parse, locate, checks)', measure(() => loadCopilot(root))));
  fs.rmSync(root, { recursive: true, force: true });
}

main(Number(process.argv[2] ?? 200));
