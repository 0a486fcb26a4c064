import { suggestScenarios } from '../src/report/coverage-suggestions';
import { describeLifecycle } from '../src/report/model-coverage';
const conversation = describeLifecycle().find((m) => m.machine === 'conversation')!;
const declined = conversation.transitions.find((t) => t.source === 'offered' && t.event === 'agent.declined')!;
console.log(suggestScenarios([declined], { stepExpressions: new Set(['the customer says {string}', 'agent {agent} is offered the conversation', 'agent {agent} declines', 'the conversation is {situation}']) }));
