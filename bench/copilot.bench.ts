/**
 * The copilot runtime's figures for `npm run bench` (issue 7): how long a generated 200-topic copilot
 * takes to load into a runnable copilot (target: under 300 ms), and how many customer turns per second
 * the interpreter runs on it (target: 20,000 or more). Each figure is printed next to a baseline
 * measured in the same run: the yaml library parsing the same files, and intent matching alone.
 * Each topic's ten phrases combine its own subject word with verbs and qualifiers shared by many
 * topics, as real trigger phrases do; phrases that all share most of their words (a degenerate
 * copilot) cost about four times as much per match, since every phrase has to be scored.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseDocument } from 'yaml';
import { CopilotSession } from '../src/copilot/copilot-session';
import { FormulaRunner } from '../src/copilot/formulas';
import { IntentMatcher } from '../src/copilot/intent-matcher';
import { loadYamlCopilot } from '../src/copilot/yaml-copilot';
import { VirtualClock } from '../src/sim/virtual-clock';

const bot = 'cr000_benchCopilot';
const topicCount = 200;

/** Verbs and qualifiers that many topics share, as real trigger phrases share "how do I", "change", "my". */
const verbs = ['how do i change', 'help with', 'question about', 'problem with', 'i want to cancel', 'where is', 'update', 'check', 'book', 'report'];
const qualifiers = ['today', 'online', 'for my account', 'right now', 'again', 'please', 'at home', 'this week', 'by phone', 'quickly'];

/** Each topic has its own subject word and shares its verbs and qualifiers with the rest. */
function phraseOf(index: number, phrase: number): string {
  return `${verbs[(index + phrase) % verbs.length]} widget${index} ${qualifiers[(index * 3 + phrase) % qualifiers.length]}`;
}

/** A topic shaped like a real one: ten phrases, a Boolean question, branches, a global, a redirect and back. */
function topicText(index: number): string {
  const phrases = Array.from({ length: 10 }, (_, phrase) => `      - ${phraseOf(index, phrase)}`).join('\n');
  return `mcs.metadata:
  componentName: Subject ${index}
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
      id: question_${index}
      alwaysPrompt: true
      variable: init:Topic.Answer
      prompt: Did that help with subject ${index}?
      entity: BooleanPrebuiltEntity

    - kind: ConditionGroup
      id: conditionGroup_${index}
      conditions:
        - id: conditionItem_${index}
          condition: =Topic.Answer = true && !IsBlank(System.Activity.Text)
          actions:
            - kind: SetVariable
              id: setVariable_${index}
              variable: Global.LastSubject
              value: =Text(${index})

            - kind: SendActivity
              id: sendMessage_${index}a
              activity: Glad to help with subject {Global.LastSubject}, {System.Bot.Name}.

      elseActions:
        - kind: SendActivity
          id: sendMessage_${index}b
          activity: Let me try again.

    - kind: BeginDialog
      id: beginDialog_${index}
      dialog: ${bot}.topic.WrapUp
`;
}

const fixedTopics: Record<string, string> = {
  WrapUp: `kind: AdaptiveDialog
beginDialog:
  kind: OnRedirect
  id: main
  actions:
    - kind: SendActivity
      id: sendMessage_wrap
      activity: Anything else?
    - kind: EndDialog
      id: endDialog_wrap
`,
  SessionTimeoutReminder: `kind: AdaptiveDialog
beginDialog:
  kind: OnInactivity
  id: main
  condition: =System.Activity.Channel = ChannelId.Omnichannel
  durationInSeconds: 300
  actions:
    - kind: SendActivity
      id: sendMessage_reminder
      activity: Are you still there?
`,
  SessionTimeout: `kind: AdaptiveDialog
beginDialog:
  kind: OnInactivity
  id: main
  condition: =System.Activity.Channel = ChannelId.Omnichannel
  durationInSeconds: 600
  actions:
    - kind: EndConversation
      id: endConversation_timeout
`,
};

function generate(): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-copilot-'));
  fs.mkdirSync(path.join(root, 'topics'));
  fs.writeFileSync(path.join(root, 'settings.mcs.yml'), `\uFEFFdisplayName: Bench Copilot\r\nschemaName: ${bot}\r\n`);
  for (let index = 0; index < topicCount; index++) {
    const text = topicText(index);
    // A third of real exports use CRLF line ends (docs/real-topics-census.md §10).
    fs.writeFileSync(path.join(root, 'topics', `Subject${index}.mcs.yml`), index % 3 === 0 ? text.replace(/\n/g, '\r\n') : text);
  }
  for (const [name, text] of Object.entries(fixedTopics)) fs.writeFileSync(path.join(root, 'topics', `${name}.mcs.yml`), text);
  return root;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

function timeRuns(work: () => void, runs: number): number {
  work(); // warm the JIT and the file cache
  const times: number[] = [];
  for (let run = 0; run < runs; run++) {
    const started = performance.now();
    work();
    times.push(performance.now() - started);
  }
  return median(times);
}

export async function copilotBench(): Promise<string[]> {
  const root = generate();
  try {
    const files = fs.readdirSync(path.join(root, 'topics')).map((file) => path.join(root, 'topics', file));
    const parseMs = timeRuns(() => files.forEach((file) => parseDocument(fs.readFileSync(file, 'utf8'))), 10);
    const loadMs = timeRuns(() => loadYamlCopilot(root), 10);
    const { copilot } = loadYamlCopilot(root);

    // Customer turns: trigger a topic, answer its question; every other turn is the answer.
    const clock = new VirtualClock(Date.parse('2026-01-05T09:00:00Z'));
    let replies = 0;
    const newSession = () =>
      new CopilotSession(
        copilot,
        {
          channelId: 'lcw',
          conversationId: 'bench',
          now: () => clock.now(),
          setTimeout: (callback, ms) => clock.setTimeout(callback, ms),
          clearTimeout: (handle) => clock.clearTimeout(handle),
          deliver: () => {
            replies += 1;
          },
          topicTriggered: () => undefined,
          problem: (message) => {
            throw new Error(message);
          },
          newId: () => 'id',
        },
        new FormulaRunner(() => clock.now()),
      );
    const utterances = Array.from({ length: topicCount }, (_, index) => `hi, ${phraseOf(index, index % 10)} thanks`);
    const turns = 20_000;
    const runTurns = () => {
      let session = newSession();
      for (let turn = 0; turn < turns; turn += 2) {
        // A fresh conversation every 50 turns keeps transcripts at a realistic length.
        if (turn % 50 === 0) session = newSession();
        session.receiveMessage(utterances[(turn / 2) % topicCount]!);
        session.receiveMessage('yes');
      }
    };
    runTurns(); // warm-up
    const started = performance.now();
    runTurns();
    const turnsPerSecond = turns / ((performance.now() - started) / 1000);

    const matcher = new IntentMatcher(copilot.topics.map((topic) => ({ value: topic, phrases: topic.dialog.beginDialog.intent?.triggerQueries ?? [] })));
    const matchStarted = performance.now();
    for (let turn = 0; turn < turns; turn++) matcher.match(utterances[turn % topicCount]!);
    const matchesPerSecond = turns / ((performance.now() - matchStarted) / 1000);

    const pass = (ok: boolean) => (ok ? 'meets the target' : 'MISSES the target');
    return [
      `  generated copilot: ${topicCount + Object.keys(fixedTopics).length} topics, ${Math.round(files.reduce((sum, file) => sum + fs.statSync(file).size, 0) / 1024)} KiB of YAML; ${replies > 0 ? 'it answers' : 'NO ANSWER'}`,
      `  load into a runnable copilot (loadYamlCopilot): ${loadMs.toFixed(1)} ms median; target < 300 ms: ${pass(loadMs < 300)}`,
      `    baseline, read + yaml parseDocument of the same files: ${parseMs.toFixed(1)} ms`,
      `  interpreted customer turns: ${Math.round(turnsPerSecond).toLocaleString('en-US')} turns/s; target >= 20,000: ${pass(turnsPerSecond >= 20_000)}`,
      `    baseline, intent matching alone over ${copilot.topics.length} topics: ${Math.round(matchesPerSecond).toLocaleString('en-US')} matches/s`,
    ];
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}
