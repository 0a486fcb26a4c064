import type { AnyStateMachine } from 'xstate';
import { toDirectedGraph } from 'xstate/graph';
import { agentMachine } from '../model/agent.machine';
import { conversationMachine } from '../model/conversation.machine';
import { workItemMachine } from '../model/work-item.machine';
import type { StateChanged, TimelineEntry } from '../sim/timeline';

export type MachineName = StateChanged['machine'];

/** The lifecycle machines whose coverage a run reports, by the name the timeline records them under. */
export const lifecycleMachines: Record<MachineName, AnyStateMachine> = {
  conversation: conversationMachine,
  workItem: workItemMachine,
  agent: agentMachine,
};

/** A state of a machine, by its dotted path (`active.inConversation`), as the timeline names states. */
export interface ModelState {
  machine: MachineName;
  path: string;
  kind: 'atomic' | 'compound' | 'parallel' | 'final' | 'history';
}

/**
 * A transition that changes the state, as the machine defines it. `source` is the state that declares
 * it (`*` for the machine's root: it applies in every state); `target` is the state it settles in,
 * initial children entered.
 */
export interface ModelTransition {
  machine: MachineName;
  /** `conversation: offered -> queued on agent.declined`, unique per machine. */
  id: string;
  source: string;
  target: string;
  event: string;
}

export interface MachineModel {
  machine: MachineName;
  /** The state a new actor settles in. */
  initial: string;
  states: ModelState[];
  transitions: ModelTransition[];
  /**
   * Transitions the timeline cannot show: re-entries of the same state and transitions without a
   * target change no state, so no `state.changed` entry records them.
   */
  unobservable: ModelTransition[];
}

export interface CoverageItem<T> {
  item: T;
  /** Scenarios (anchors) that covered it; empty when none did. */
  coveredBy: string[];
}

export interface MachineCoverage {
  machine: MachineName;
  states: Array<CoverageItem<ModelState>>;
  transitions: Array<CoverageItem<ModelTransition>>;
  unobservable: ModelTransition[];
  /** State changes the timeline recorded that the machine does not define (a sign the model drifted). */
  unmodelled: Array<{ from: string; to: string; event: string; coveredBy: string[] }>;
}

/** coverage.json, version 1. */
export interface ModelCoverage {
  format: 'handoff-model-coverage';
  version: 1;
  scenarios: number;
  totals: { states: { covered: number; total: number }; transitions: { covered: number; total: number } };
  machines: MachineCoverage[];
}

/** Enumerates a machine's states and state-changing transitions from its definition (xstate/graph). */
export function describeMachine(machine: MachineName, definition: AnyStateMachine): MachineModel {
  const root = toDirectedGraph(definition);
  const states: ModelState[] = [];
  const transitions: ModelTransition[] = [];
  const unobservable: ModelTransition[] = [];
  const visit = (node: ReturnType<typeof toDirectedGraph>): void => {
    const source = pathOf(node.stateNode.path) || '*';
    if (node.stateNode !== definition.root) states.push({ machine, path: source, kind: node.stateNode.type });
    for (const edge of node.edges) {
      const targets = edge.transition.target ?? [];
      const event = edge.transition.eventType;
      if (targets.length === 0) {
        unobservable.push({ machine, id: `${machine}: ${source} (no target) on ${event}`, source, target: source, event });
        continue;
      }
      for (const targetNode of targets) {
        const target = pathOf(settle(targetNode).path);
        const transition: ModelTransition = { machine, id: `${machine}: ${source} -> ${target} on ${event}`, source, target, event };
        if (target === source) unobservable.push(transition);
        else transitions.push(transition);
      }
    }
    for (const child of node.children) visit(child);
  };
  visit(root);
  return { machine, initial: pathOf(settle(definition.root).path), states, transitions: dedupe(transitions), unobservable: dedupe(unobservable) };
}

/** The model of every lifecycle machine. */
export function describeLifecycle(machines: Record<MachineName, AnyStateMachine> = lifecycleMachines): MachineModel[] {
  return (Object.keys(machines) as MachineName[]).map((name) => describeMachine(name, machines[name]));
}

/**
 * Which states and transitions the scenarios' `state.changed` entries went through. A recorded change
 * `from -> to on event` covers the defined transition on that event whose target is `to` and whose
 * source is `from` or one of its ancestors, the deepest such source first, as xstate selects it.
 */
export function measureCoverage(scenarios: ReadonlyArray<{ anchor: string; entries: readonly TimelineEntry[] }>, models: readonly MachineModel[] = describeLifecycle()): ModelCoverage {
  const coverage: MachineCoverage[] = models.map((model) => ({
    machine: model.machine,
    states: model.states.map((item) => ({ item, coveredBy: [] })),
    transitions: model.transitions.map((item) => ({ item, coveredBy: [] })),
    unobservable: model.unobservable,
    unmodelled: [],
  }));
  const byMachine = new Map(coverage.map((machine) => [machine.machine, machine]));
  // Sets while counting (a thousand scenarios cover the same transitions), arrays in the result.
  const covering = new Map<object, Set<string>>();
  const mark = (item: object, anchor: string): void => {
    let set = covering.get(item);
    if (!set) covering.set(item, (set = new Set()));
    set.add(anchor);
  };
  const drift = new Map<string, MachineCoverage['unmodelled'][number]>();
  for (const scenario of scenarios) {
    for (const entry of scenario.entries) {
      if (entry.kind !== 'state.changed') continue;
      const machine = byMachine.get(entry.machine);
      if (!machine) continue;
      for (const state of machine.states) {
        if (isWithin(state.item.path, entry.to)) mark(state, scenario.anchor);
      }
      if (entry.from === '(new)') continue;
      let match: CoverageItem<ModelTransition> | undefined;
      for (const candidate of machine.transitions) {
        const { item } = candidate;
        if (item.event !== entry.event || item.target !== entry.to || !(item.source === '*' || isWithin(item.source, entry.from))) continue;
        if (!match || depth(item.source) > depth(match.item.source)) match = candidate;
      }
      if (match) mark(match, scenario.anchor);
      else {
        const key = `${entry.machine} ${entry.from} ${entry.to} ${entry.event}`;
        let unmodelled = drift.get(key);
        if (!unmodelled) {
          drift.set(key, (unmodelled = { from: entry.from, to: entry.to, event: entry.event, coveredBy: [] }));
          machine.unmodelled.push(unmodelled);
        }
        mark(unmodelled, scenario.anchor);
      }
    }
  }
  for (const machine of coverage) {
    for (const item of [...machine.states, ...machine.transitions, ...machine.unmodelled]) item.coveredBy = [...(covering.get(item) ?? [])];
  }
  const count = (pick: (machine: MachineCoverage) => Array<CoverageItem<unknown>>) => ({
    covered: coverage.reduce((sum, machine) => sum + pick(machine).filter((item) => item.coveredBy.length > 0).length, 0),
    total: coverage.reduce((sum, machine) => sum + pick(machine).length, 0),
  });
  return {
    format: 'handoff-model-coverage',
    version: 1,
    scenarios: scenarios.length,
    totals: { states: count((m) => m.states), transitions: count((m) => m.transitions) },
    machines: coverage,
  };
}

/** Transitions no scenario went through, machine by machine. */
export function uncoveredTransitions(coverage: ModelCoverage): ModelTransition[] {
  return coverage.machines.flatMap((machine) => machine.transitions.filter((t) => t.coveredBy.length === 0).map((t) => t.item));
}

/** `xstate.after.openAutoClose.workItem.open` → `after openAutoClose`; other events as they are. */
export function describeEvent(event: string): string {
  const delayed = /^xstate\.after\.([^.]+)\./.exec(event);
  return delayed ? `after ${delayed[1]}` : event;
}

function settle(node: { type: string; initial?: { target: ReadonlyArray<{ path: string[] }> } | undefined; path: string[] }): { path: string[] } {
  if (node.type !== 'compound') return node;
  const first = node.initial?.target[0] as typeof node | undefined;
  return first ? settle(first) : node;
}

function pathOf(path: readonly string[]): string {
  return path.join('.');
}

/** `active` contains `active.inConversation.customerConnected`. */
function isWithin(ancestor: string, state: string): boolean {
  return state === ancestor || state.startsWith(`${ancestor}.`);
}

function depth(source: string): number {
  return source === '*' ? -1 : source.split('.').length;
}

function dedupe(transitions: ModelTransition[]): ModelTransition[] {
  return [...new Map(transitions.map((t) => [t.id, t])).values()];
}
