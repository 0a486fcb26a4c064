import * as path from 'node:path';
import { channelMembers } from '../copilot/copilot-session';
import { maxCopilotNameLength } from '../copilot/d365-connection';
import { FormulaRunner, isFormula } from '../copilot/formulas';
import { optionSetMember, parseFormula, parseTemplate, PowerFxError, referencedVariables, unsupportedCalls, type SourceLocation } from '../copilot/powerfx';
import { handoffVariableNames } from '../d365/context-variables';
import { fromDiagnostic, nodeKindProblems } from '../copilot/yaml-copilot';
import { formatLocation, loadCopilot, locationOf, locationOfKey, resolveDialogReference, unmanagedOverManaged, walkDialog, type LoadedCopilot, type LoadedTopic } from '../copilot/yaml';
import { D365ConfigError, readD365Config, type D365Config } from './d365-config';
import { ruleById, type Severity } from './rules';

/** One finding: a rule, where, what is wrong (with why), and how to fix it. */
export interface Finding {
  rule: string;
  severity: Severity;
  file: string;
  line: number;
  column: number;
  nodeId?: string;
  message: string;
  fix: string;
}

export interface DoctorReport {
  copilot: string;
  displayName: string;
  findings: Finding[];
  errors: number;
  warnings: number;
}

export interface DoctorOptions {
  /** A --d365 configuration file (docs/doctor-rules.md). */
  d365?: string;
}

/**
 * Checks an exported copilot statically for what makes its handoff to Dynamics 365 fail in
 * production (docs/doctor-rules.md). Never throws for bad input: every problem is a finding.
 *
 * @example const report = runDoctor('examples/copilots/contoso-portal'); // finds missing-inactivity-topics
 */
export function runDoctor(folder: string, options: DoctorOptions = {}): DoctorReport {
  const loaded = loadCopilot(folder);
  const doctor = new Doctor(loaded, folder);
  doctor.structure();
  if (loaded.topics.length > 0) {
    doctor.formulas();
    doctor.handoff();
    doctor.inactivity();
    doctor.variables();
  }
  doctor.layers();
  if (options.d365 !== undefined) {
    let config: D365Config | undefined;
    try {
      config = readD365Config(options.d365);
    } catch (error) {
      if (!(error instanceof D365ConfigError)) throw error;
      doctor.add('d365-config', error.location, `${error.message.replace(/\.$/, '')} (${formatLocation(relative(error.location))})`);
    }
    if (config) doctor.dynamics(config);
  }
  const findings = doctor.findings.sort((a, b) => (a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1));
  return {
    copilot: folder,
    displayName: loaded.displayName,
    findings,
    errors: findings.filter((finding) => finding.severity === 'error').length,
    warnings: findings.filter((finding) => finding.severity === 'warning').length,
  };
}

type Node = Record<string, unknown>;

interface TopicFacts {
  topic: LoadedTopic;
  trigger: Node | undefined;
  nodes: Node[];
}

/** Message-template properties (docs/copilot-topic-yaml.md §3.3): literal text with `{expression}` holes. */
const templateKeys = new Set(['activity', 'prompt', 'unrecognizedPrompt', 'invalidPrompt', 'defaultValueResponse', 'messageToAgent']);
/** Variables Dynamics 365 hands every copilot (d365-omnichannel.md §6.2). */
const d365ContextVariables = new Set(['msdyn_ConversationId', 'msdyn_CustomerType', 'msdyn_CustomerName', 'msdyn_CustomerId', 'msdyn_CaseId', 'msdyn_CaseTitle', 'CustomerPhoneNumber', 'OrganizationPhoneNumber', 'msdyn_liveworkitemid']);

class Doctor {
  readonly findings: Finding[] = [];
  readonly #facts: TopicFacts[];
  /** A whole copilot (agent folder, solution), not loose topic files: copilot-wide rules apply. */
  readonly #whole: boolean;

  constructor(
    readonly loaded: LoadedCopilot,
    readonly label: string,
  ) {
    this.#facts = loaded.topics.map((topic) => {
      const nodes: Node[] = [];
      walkDialog(topic.dialog, (entry) => {
        if (entry.role === 'action' && isNode(entry.node)) nodes.push(entry.node);
      });
      const trigger = isNode(topic.dialog['beginDialog']) ? topic.dialog['beginDialog'] : undefined;
      return { topic, trigger, nodes };
    });
    this.#whole = loaded.layout === 'classic' || loaded.layout === 'cli' || loaded.layout === 'solution';
  }

  /** Adds a finding of `rule`: `what` names the place; the rule's why and fix complete it. */
  add(ruleId: string, location: SourceLocation, what: string, options: { nodeId?: string | undefined; severity?: Severity; whole?: boolean } = {}): void {
    const rule = ruleById.get(ruleId);
    if (!rule) throw new Error(`doctor rule ${ruleId} is not in src/doctor/rules.ts`);
    const file = this.#file(location.file);
    const message = options.whole ? what : `${what.replace(/\.\s*$/, '')}. ${rule.why}`;
    this.findings.push({
      rule: ruleId,
      severity: options.severity ?? rule.severity,
      file,
      line: location.line,
      column: location.column,
      ...(options.nodeId !== undefined ? { nodeId: options.nodeId } : {}),
      message,
      fix: rule.fix,
    });
  }

  #file(file: string): string {
    if (path.isAbsolute(file)) return path.relative(process.cwd(), file) || file;
    const root = this.loaded.layout === 'single-topic' ? path.dirname(this.label) : this.label;
    return path.join(root, file).split(path.sep).join('/');
  }

  #at(node: object | undefined, topic: LoadedTopic): SourceLocation {
    return (node ? locationOf(node) : undefined) ?? { file: topic.file, line: 1, column: 1 };
  }

  #rootLocation(): SourceLocation {
    const settings = this.loaded.components.find((component) => component.kind === 'BotEntity' || component.kind === 'Bot');
    return { file: settings?.file ?? this.loaded.topics[0]?.file ?? '.', line: 1, column: 1 };
  }

  // The loader's diagnostics and node kinds

  structure(): void {
    for (const problem of [...this.loaded.diagnostics.map(fromDiagnostic), ...nodeKindProblems(this.loaded)]) {
      this.add(ruleById.has(problem.code) ? problem.code : 'invalid-yaml', problem.location, problem.message, { nodeId: problem.nodeId, severity: problem.severity, whole: true });
    }
  }

  // Formulas and templates

  formulas(): void {
    for (const { topic } of this.#facts) {
      forEachText(topic.dialog, (container, key, text, template) => {
        if (!template && !isFormula(text)) return;
        const where = locationOfKey(container, key) ?? this.#at(container, topic);
        try {
          const asts = template ? parseTemplate(text, where) : [parseFormula(text, where)];
          for (const ast of asts) for (const problem of unsupportedCalls(ast)) this.add('unsupported-function', problem.location ?? where, problem.message, { nodeId: nodeIdNear(container), whole: true });
        } catch (error) {
          if (!(error instanceof PowerFxError)) throw error;
          this.add(error.code === 'unsupported' ? 'unsupported-function' : 'formula-syntax', error.location ?? where, error.message, { nodeId: nodeIdNear(container), whole: true });
        }
      });
    }
  }

  // Handoff

  handoff(): void {
    const name = this.loaded.displayName;
    const length = [...name].length;
    if (this.#whole && length > maxCopilotNameLength) {
      this.add('copilot-name-too-long', this.#rootLocation(), `The copilot's name "${name}" is ${length} characters long`);
    }
    const escalates = this.#facts.filter((facts) => facts.trigger?.['kind'] === 'OnEscalate');
    for (const facts of escalates) {
      if (this.#reachable(facts).some(transfers)) continue;
      this.add('escalate-without-transfer', this.#at(facts.trigger, facts.topic), `Topic "${facts.topic.displayName}" (${formatLocation(this.#at(facts.trigger, facts.topic))}) is the Escalate topic but has no Transfer to agent node, directly or through its redirects`, { nodeId: String(facts.trigger?.['id'] ?? 'main') });
    }
    if (this.#whole && escalates.length === 0 && !this.#facts.some((facts) => facts.nodes.some(transfers))) {
      this.add('escalate-without-transfer', this.#rootLocation(), 'The copilot has no Escalate topic (OnEscalate) and no Transfer to agent node anywhere');
    }
  }

  /** Every node of a topic and of the topics it redirects to, transitively. */
  #reachable(start: TopicFacts): Node[] {
    const seen = new Set<LoadedTopic>([start.topic]);
    const queue = [start];
    const nodes: Node[] = [];
    while (queue.length > 0) {
      const facts = queue.shift()!;
      nodes.push(...facts.nodes);
      for (const node of facts.nodes) {
        if ((node['kind'] !== 'BeginDialog' && node['kind'] !== 'ReplaceDialog') || typeof node['dialog'] !== 'string') continue;
        const target = resolveDialogReference(this.loaded, node['dialog']);
        const targetFacts = target ? this.#facts.find((candidate) => candidate.topic === target) : undefined;
        if (targetFacts && !seen.has(targetFacts.topic)) {
          seen.add(targetFacts.topic);
          queue.push(targetFacts);
        }
      }
    }
    return nodes;
  }

  // Inactivity (seed: "Configure inactivity timeout to close conversation")

  inactivity(): void {
    for (const facts of this.#facts) {
      const names = `${facts.topic.displayName} ${facts.topic.shortName}`;
      if (facts.trigger && facts.trigger['kind'] !== 'OnInactivity' && /session\s*time\s*-?\s*out|inactiv|idle/i.test(names)) {
        this.add('inactivity-wrong-trigger', this.#at(facts.trigger, facts.topic), `Topic "${facts.topic.displayName}" (${formatLocation(this.#at(facts.trigger, facts.topic))}) is named as an inactivity topic but is triggered by ${String(facts.trigger['kind'])}`, { nodeId: String(facts.trigger['id'] ?? 'main') });
      }
    }
    const inactivity = this.#facts.filter((facts) => facts.trigger?.['kind'] === 'OnInactivity');
    const applying: Array<{ facts: TopicFacts; seconds: number; ends: boolean }> = [];
    for (const facts of inactivity) {
      const trigger = facts.trigger!;
      const where = this.#at(trigger, facts.topic);
      const label = `Topic "${facts.topic.displayName}" (${formatLocation(where)})`;
      const nodeId = String(trigger['id'] ?? 'main');
      const condition = trigger['condition'];
      let onD365 = true;
      if (condition === undefined || condition === null) {
        this.add('inactivity-channel-condition', where, `${label} has no channel condition, so it fires on every channel, Teams and the website's embed code included`, { nodeId, severity: 'warning' });
      } else {
        const results = ['lcw', 'msteams', 'directline'].map((channel) => evaluateForChannel(condition, channel, locationOfKey(trigger, 'condition')));
        const [d365, ...others] = results;
        if (results.some((result) => result === 'unknown')) {
          this.add('inactivity-channel-condition', where, `${label} has a condition the doctor cannot evaluate for a channel alone (it reads other variables), so whether it applies to Dynamics 365 is unknown`, { nodeId, severity: 'warning' });
        } else if (d365 === false) {
          onD365 = false;
          this.add('inactivity-channel-condition', where, `${label} has a condition that is false on the Dynamics 365 channel (System.Activity.Channel = ChannelId.Omnichannel), so it never fires there`, { nodeId, severity: 'error' });
        } else if (others.some((result) => result === true)) {
          this.add('inactivity-channel-condition', where, `${label} has a condition that does not restrict it to Dynamics 365: it is true on other channels too`, { nodeId, severity: 'warning' });
        }
      }
      if (onD365) applying.push({ facts, seconds: durationOf(trigger), ends: endsConversation(this.#reachable(facts)) });
    }
    if (applying.length === 0) {
      if (inactivity.length === 0 && this.#whole) {
        this.add('missing-inactivity-topics', this.#rootLocation(), `The copilot "${this.loaded.displayName}" has no inactivity topic (OnInactivity); a copilot created in the Copilot Studio portal lacks Session Timeout Reminder and Session Timeout`);
      }
      return;
    }
    const enders = applying.filter((entry) => entry.ends);
    if (enders.length === 0) {
      const longest = [...applying].sort((a, b) => b.seconds - a.seconds)[0]!;
      const where = this.#at(longest.facts.trigger, longest.facts.topic);
      this.add('inactivity-without-end-conversation', where, `Topic "${longest.facts.topic.displayName}" (${formatLocation(where)}), the longest inactivity topic for Dynamics 365 (${longest.seconds} s), does not end the conversation, and no other inactivity topic does`, { nodeId: String(longest.facts.trigger?.['id'] ?? 'main') });
      return;
    }
    const closesAt = Math.min(...enders.map((entry) => entry.seconds));
    for (const reminder of applying.filter((entry) => !entry.ends && entry.seconds >= closesAt)) {
      const where = this.#at(reminder.facts.trigger, reminder.facts.topic);
      this.add('inactivity-order', where, `Topic "${reminder.facts.topic.displayName}" (${formatLocation(where)}) reminds after ${reminder.seconds} s, but the chat is closed after ${closesAt} s`, { nodeId: String(reminder.facts.trigger?.['id'] ?? 'main') });
    }
  }

  // Variables

  variables(): void {
    const globalsSet = this.#globalsSet();
    for (const facts of this.#facts) {
      const topicSet = new Set<string>([...topicInputs(facts.topic.dialog)]);
      for (const target of facts.nodes.flatMap(variableTargets)) if (target.startsWith('Topic.')) topicSet.add(target.slice(6).split('.')[0]!);
      const reported = new Set<string>();
      forEachText(facts.topic.dialog, (container, key, text, template) => {
        if (!template && !isFormula(text)) return;
        const where = locationOfKey(container, key) ?? this.#at(container, facts.topic);
        let paths: string[][];
        try {
          paths = (template ? parseTemplate(text, where) : [parseFormula(text, where)]).flatMap(referencedVariables);
        } catch {
          return; // reported by the formula rules
        }
        for (const [scope, name] of paths) {
          if ((scope !== 'Topic' && scope !== 'Global') || !name) continue;
          const set = scope === 'Topic' ? topicSet.has(name) : globalsSet.has(name);
          const key2 = `${scope}.${name}`;
          if (set || reported.has(key2)) continue;
          reported.add(key2);
          this.add('variable-read-never-set', where, `Topic "${facts.topic.displayName}" (${formatLocation(where)}) reads ${key2}, which ${scope === 'Topic' ? 'no node of the topic sets and is not an input of the topic' : 'no topic sets and no external source can set'}`, { nodeId: nodeIdNear(container) });
        }
      });
    }
  }

  /** Globals a topic sets, or that external sources set (variable definitions, D365 context). */
  #globalsSet(extra: readonly string[] = []): Set<string> {
    const set = new Set<string>([...d365ContextVariables, ...extra]);
    for (const facts of this.#facts) for (const target of facts.nodes.flatMap(variableTargets)) if (target.startsWith('Global.')) set.add(target.slice(7).split('.')[0]!);
    for (const variable of this.loaded.globalVariables) {
      const settings = variableSettings(variable.settings);
      if (settings['isExternalInitializationAllowed'] === true || settings['defaultValue'] !== undefined) set.add(variable.name);
    }
    return set;
  }

  // ALM

  layers(): void {
    for (const finding of unmanagedOverManaged(this.loaded)) {
      this.add('unmanaged-layer', finding.location, `${finding.location.file} is an unmanaged layer over ${finding.schemaName} of the managed solution ${finding.managedLayer} (${finding.managedFile})`);
    }
  }

  // Dynamics 365 configuration

  dynamics(config: D365Config): void {
    const copilotEnvironment = config.copilot.environment;
    if (copilotEnvironment && config.environment && copilotEnvironment.toLowerCase() !== config.environment.toLowerCase()) {
      this.add('environment-mismatch', config.location, `The copilot is in the environment "${copilotEnvironment}" and the Customer Service package in "${config.environment}" (${config.file})`);
    }
    if (!config.copilot.connected) {
      this.add('copilot-disconnected', config.location, `${config.file} says the copilot is disconnected (copilot.connected: false)`);
    }
    const globals = new Set<string>();
    const topics = new Set<string>();
    for (const facts of this.#facts) {
      for (const target of facts.nodes.flatMap(variableTargets)) {
        const [scope, name = ''] = target.split('.');
        if (scope === 'Global') globals.add(name);
        else if (scope === 'Topic') topics.add(name);
      }
    }
    const definitions = new Map(this.loaded.globalVariables.map((variable) => [variable.name, variable]));
    const handoff = new Set(handoffVariableNames);
    for (const rule of config.routingRules) {
      for (const clause of rule.clauses) {
        const name = clause.variable;
        if (handoff.has(name) || config.contextVariables.includes(name)) continue;
        const where = `Routing rule "${rule.name}" (${formatLocation(relative(rule.location))}) tests ${name}`;
        if (globals.has(name)) {
          const definition = definitions.get(name);
          if (definition && variableSettings(definition.settings)['isExternalInitializationAllowed'] !== true) {
            this.add('routing-variable-not-external', { file: definition.file, line: 1, column: 1 }, `${where}, and its definition ${definition.file} does not let external sources set it`);
          }
        } else if (topics.has(name)) {
          this.add('routing-variable-not-global', rule.location, `${where}, which the copilot sets only as Topic.${name}`, { whole: false });
        } else {
          this.add('routing-variable-unset', rule.location, `${where}, which no topic of the copilot sets and the work stream does not declare as a context variable`);
        }
      }
    }
  }
}

function relative(location: SourceLocation): SourceLocation {
  return { ...location, file: path.relative(process.cwd(), location.file) || location.file };
}

function isNode(value: unknown): value is Node {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function nodeIdNear(container: object): string | undefined {
  return isNode(container) && typeof container['id'] === 'string' ? container['id'] : undefined;
}

/** Visits every string of a dialog that is a formula or a message template, with its container and key. */
function forEachText(value: unknown, visit: (container: object, key: string | number, text: string, template: boolean) => void, inTemplate = false, parentKey = ''): void {
  if (Array.isArray(value)) {
    value.forEach((item, index) => {
      if (typeof item === 'string') visit(value, index, item, inTemplate && (parentKey === 'text' || parentKey === 'speak'));
      else forEachText(item, visit, inTemplate, parentKey);
    });
    return;
  }
  if (!isNode(value)) return;
  for (const [key, inner] of Object.entries(value)) {
    const template = templateKeys.has(key) || (key === 'value' && value['kind'] === 'SetTextVariable') || (inTemplate && (key === 'text' || key === 'speak'));
    if (typeof inner === 'string') {
      if (key === 'card') continue; // Adaptive Card JSON, not a template
      if (isFormula(inner)) visit(value, key, inner, false);
      else if (template && inner.includes('{')) visit(value, key, inner, true);
    } else if (key !== 'attachments' && key !== 'quickReplies') {
      forEachText(inner, visit, template || (inTemplate && key !== 'value'), key);
    }
  }
}

function transfers(node: Node): boolean {
  if (node['kind'] === 'InvokeSkillAction') return true; // a skill-based handoff (contact-center sample)
  if (node['kind'] !== 'TransferConversationV2' && node['kind'] !== 'TransferConversation') return false;
  const type = isNode(node['transferType']) ? node['transferType']['kind'] : undefined;
  return type !== 'TransferToPhoneNumber';
}

/** End Conversation, or `CloseOmnichannelConversation = true` with a transfer (d365-omnichannel.md §6.4). */
function endsConversation(nodes: readonly Node[]): boolean {
  if (nodes.some((node) => node['kind'] === 'EndConversation')) return true;
  const closes = nodes.some(
    (node) => node['kind'] === 'SetVariable' && String(node['variable'] ?? '').replace(/^init:/, '') === 'Global.CloseOmnichannelConversation' && /^=?\s*true\s*$/i.test(String(node['value'])),
  );
  return closes && nodes.some(transfers);
}

/** The variables a node writes (Question, SetVariable, output bindings, loops, tables, HTTP responses...). */
export function variableTargets(node: Node): string[] {
  const targets: unknown[] = [node['variable'], node['response'], node['responseHeaders'], node['resultVariable'], node['itemsVariable'], node['result']];
  if (node['kind'] === 'Foreach') targets.push(node['value'], node['index']);
  const output = node['output'];
  if (isNode(output)) {
    if (typeof output['variable'] === 'string') targets.push(output['variable']);
    if (isNode(output['binding'])) targets.push(...Object.values(output['binding']));
  }
  if (isNode(node['errorHandling'])) targets.push(node['errorHandling']['statusCode'], node['errorHandling']['errorResponseBody']);
  if (Array.isArray(node['assignments'])) for (const item of node['assignments']) if (isNode(item)) targets.push(item['variable']);
  return targets.filter((target): target is string => typeof target === 'string' && !isFormula(target)).map((target) => target.replace(/^init:/, '').trim());
}

function topicInputs(dialog: Node): string[] {
  const names: string[] = [];
  const inputType = dialog['inputType'];
  if (isNode(inputType) && isNode(inputType['properties'])) names.push(...Object.keys(inputType['properties']));
  if (Array.isArray(dialog['inputs'])) for (const input of dialog['inputs']) if (isNode(input) && typeof input['propertyName'] === 'string') names.push(input['propertyName']);
  return names;
}

/** A variable definition's settings, flat (skills templates) or under `variable:` (the schema's GlobalVariableComponent). */
function variableSettings(settings: Record<string, unknown>): Record<string, unknown> {
  return isNode(settings['variable']) ? { ...settings, ...settings['variable'] } : settings;
}

function durationOf(trigger: Node): number {
  const raw = trigger['durationInSeconds'];
  const value = typeof raw === 'number' ? raw : Number(raw);
  return Number.isFinite(value) ? value : 1800;
}

/** The trigger condition on one channel alone: true, false, or 'unknown' when it reads anything else. */
function evaluateForChannel(condition: unknown, channelId: string, where: SourceLocation | undefined): boolean | 'unknown' {
  let readOther = false;
  try {
    const result = new FormulaRunner().condition(
      condition,
      (variable) => {
        const name = variable.join('.');
        if (name === 'System.Activity.ChannelId') return channelId;
        if (name === 'System.Activity.Channel') return optionSetMember('ChannelId', channelMembers[channelId] ?? channelId);
        readOther = true;
        return undefined;
      },
      where,
    );
    return readOther ? 'unknown' : result;
  } catch {
    return 'unknown';
  }
}
