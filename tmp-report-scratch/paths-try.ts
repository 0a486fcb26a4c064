import { getShortestPaths } from 'xstate/graph';
import { workItemMachine } from '../src/model/work-item.machine';
import { conversationMachine } from '../src/model/conversation.machine';
import { agentMachine } from '../src/model/agent.machine';
for (const m of [workItemMachine, conversationMachine] as any[]) {
  const paths = getShortestPaths(m, { events: [{ type: 'routing.queued', queue: 'General' }, { type: 'agent.offered', agent: 'Alice' }] } as any);
  for (const p of paths) console.log(JSON.stringify(p.state.value), p.steps.map((s: any) => s.event.type).join(' > '));
}
const paths = getShortestPaths(agentMachine as any, { input: { name: 'Alice', presence: 'Available', capacity: 1 }, events: [{ type: 'agent.offered', conversationId: 'c1' }, { type: 'agent.accepted', conversationId: 'c1', units: 1 }] } as any);
for (const p of paths) console.log(JSON.stringify(p.state.value), p.steps.map((s: any) => s.event.type).join(' > '));
