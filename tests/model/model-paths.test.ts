import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AnyStateMachine, AnyStateNode } from 'xstate';
import { agentMachine } from '../../src/model/agent.machine';
import { conversationMachine } from '../../src/model/conversation.machine';
import { workItemMachine } from '../../src/model/work-item.machine';

/**
 * Structural reachability: from the initial state, follow every transition target (guards aside,
 * timers included) and collect the atomic states entered. A state nothing leads to is a modelling
 * mistake that no scenario could ever cover.
 */
function atomicStates(node: AnyStateNode): AnyStateNode[] {
  const children = Object.values(node.states) as AnyStateNode[];
  if (children.length === 0) return [node];
  return children.flatMap(atomicStates);
}

function entered(node: AnyStateNode): AnyStateNode[] {
  const children = Object.values(node.states) as AnyStateNode[];
  if (children.length === 0) return [node];
  if (node.type === 'parallel') return children.flatMap(entered);
  const initial = node.initial?.target?.[0] as AnyStateNode | undefined;
  return entered(initial ?? children[0]!);
}

function reachable(machine: AnyStateMachine): Set<string> {
  const seen = new Set<string>();
  const queue = entered(machine.root);
  while (queue.length > 0) {
    const node = queue.shift()!;
    if (seen.has(node.id)) continue;
    seen.add(node.id);
    for (let ancestor: AnyStateNode | undefined = node; ancestor; ancestor = ancestor.parent) {
      for (const transitions of ancestor.transitions.values()) {
        for (const transition of transitions) for (const target of transition.target ?? []) queue.push(...entered(target as AnyStateNode));
      }
    }
  }
  return seen;
}

for (const [name, machine] of [['conversation', conversationMachine], ['work item', workItemMachine], ['agent', agentMachine]] as const) {
  test(`every state of the ${name} machine is reachable from its start`, () => {
    const reached = reachable(machine);
    const unreachable = atomicStates(machine.root).filter((state) => !reached.has(state.id)).map((state) => state.id);
    assert.deepEqual(unreachable, []);
  });
}

test('closed is final in both conversation machines, so nothing reopens a closed conversation', () => {
  assert.equal(conversationMachine.root.states['closed']?.type, 'final');
  assert.equal(workItemMachine.root.states['closed']?.type, 'final');
});

test('the reachability check finds a state nothing leads to', async () => {
  const { setup } = await import('xstate');
  const broken = setup({}).createMachine({ initial: 'a', states: { a: { on: { go: 'b' } }, b: {}, orphan: {} } });
  assert.equal(reachable(broken).has(broken.root.states['orphan']!.id), false);
});
