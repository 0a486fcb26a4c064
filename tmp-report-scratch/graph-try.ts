import { toDirectedGraph } from 'xstate/graph';
import { workItemMachine } from '/work/main/src/model/work-item.machine';
import { agentMachine } from '/work/main/src/model/agent.machine';
function walk(n: any, depth = 0) {
  console.log(' '.repeat(depth) + n.id, n.stateNode.type);
  for (const e of n.edges) console.log(' '.repeat(depth) + '  ->', e.label.text, e.source.id, '=>', e.target.id, 'reenter', e.transition.reenter, e.transition.target?.map((t:any)=>t.id), e.transition.eventType);
  for (const c of n.children) walk(c, depth + 2);
}
walk(toDirectedGraph(workItemMachine));
walk(toDirectedGraph(agentMachine));
