import { UnsecuredJWT } from 'jose';
import { createSurfaces, inProcessFetch } from '../../../mocks/network';
import { parseOperatingHours } from '../../../src/d365/settings-text';
import { Harness } from '../../../src/harness/harness';
import type { Simulation } from '../../../src/sim/simulation';

/** A neutral org URL (d365-omnichannel.md §1) and an https messaging plane, both answered in process. */
export const orgUrl = 'https://contoso.handoff.test';
export const acsEndpoint = 'https://acs.handoff.test/';

export interface Answer<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
}

export interface World {
  sim: Simulation;
  harness: Harness;
  call<T = unknown>(method: string, url: string, init?: { headers?: Record<string, string>; body?: unknown; raw?: string }): Promise<Answer<T>>;
  /** `/livechatconnector/...` with the simulation's org and widget filled in. */
  connector(path: string): string;
  thread(chatId: string, rest?: string): string;
}

/**
 * The simulation a website talks to, built as src/harness/harness.ts builds one: a copilot that greets,
 * answers billing questions and hands off; a billing and a general queue; Alice (billing) and Bob.
 * Requests go through the in-process surfaces (mocks/network.ts), the same handlers serve uses.
 */
export function world(configure: (harness: Harness) => void = () => undefined, options: { authenticatedWidget?: boolean; queueHours?: string } = {}): World {
  const harness = new Harness({ seed: 11 });
  harness.defineCopilot('Contoso Assistant', [
    { name: 'Billing', phrases: ['billing', 'my bill', 'invoice'], reply: 'I can help with billing.', sets: [{ variable: 'Department', value: 'Billing' }] },
    { name: 'Escalate', phrases: ['talk to a person', 'agent please'], reply: 'Let me connect you with an agent.', then: 'transfer to agent', messageToAgent: 'Customer asked for a person.' },
  ]);
  harness.setGreeting('Hello, I am Contoso Assistant.');
  const operatingHours = options.queueHours ? parseOperatingHours(options.queueHours) : undefined;
  harness.addQueues([
    { name: 'Billing', priority: 5, assignment: 'highest capacity', operatingHours },
    { name: 'General', priority: 10, assignment: 'highest capacity', operatingHours },
  ]);
  harness.addRoutingRules([{ name: 'Billing questions', condition: 'Department = "Billing"', queue: 'Billing' }]);
  harness.addAgents([
    { name: 'Alice', presence: 'Available', capacity: 2, queues: ['Billing', 'General'] },
    { name: 'Bob', presence: 'Available', capacity: 1, queues: ['General'] },
  ]);
  configure(harness);
  const sim = harness.sim;
  const fetch = inProcessFetch(createSurfaces(sim, { acsEndpoint: () => acsEndpoint, authenticatedWidget: options.authenticatedWidget }));
  return {
    sim,
    harness,
    async call<T>(method: string, url: string, init: { headers?: Record<string, string>; body?: unknown; raw?: string } = {}): Promise<Answer<T>> {
      const body = init.raw ?? (init.body === undefined ? undefined : JSON.stringify(init.body));
      const response = await fetch(url, { method, headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...init.headers }, body });
      const text = await response.text();
      let parsed: unknown = text;
      try {
        parsed = text ? JSON.parse(text) : undefined;
      } catch {
        // not JSON: keep the text
      }
      return { status: response.status, headers: response.headers, body: parsed as T };
    },
    connector: (path) => `${orgUrl}/livechatconnector/${path.replaceAll('{orgId}', sim.omnichannel.orgId).replaceAll('{widgetId}', sim.omnichannel.widgetId)}`,
    thread: (chatId, rest = '') => `${acsEndpoint}chat/threads/${encodeURIComponent(chatId)}${rest}`,
  };
}

export interface ChatToken {
  ChatId: string;
  Token: string;
  VisitorId: string;
  ACSEndpoint: string;
  RegionGtms: string;
  ExpiresIn: string;
}

export interface ChatMessage {
  id: string;
  type: string;
  content: { message: string };
  senderDisplayName: string;
  senderCommunicationIdentifier: { rawId: string; communicationUser: { id: string } };
  createdOn: string;
  metadata: { tags: string; deliveryMode: string };
}

/** config then createConversation, as the chat SDK's initialize and startChat do (d365-omnichannel.md §2.5 A). */
export async function startChat(w: World, requestId: string, init: { body?: object; headers?: Record<string, string>; auth?: boolean } = {}): Promise<{ token: ChatToken; conversationId: string; answer: Answer<ChatToken> }> {
  const config = await w.call('GET', w.connector(`config/{orgId}/{widgetId}?requestId=${requestId}&channelId=lcw`));
  if (config.status !== 200) throw new Error(`config answered ${config.status}`);
  const answer = await w.call<ChatToken>('POST', w.connector(`${init.auth ? 'auth/' : ''}organization/{orgId}/widgetApp/{widgetId}/conversation`), {
    headers: { 'Request-Id': requestId, 'x-ms-client-request-id': requestId, ...init.headers },
    body: { locale: 'en-us', channelId: 'lcw', ...init.body },
  });
  if (answer.status !== 200) throw new Error(`createConversation answered ${answer.status}: ${JSON.stringify(answer.body)}`);
  return { token: answer.body, conversationId: answer.headers.get('oc-sessionid') ?? '', answer };
}

export function bearer(token: ChatToken): Record<string, string> {
  return { authorization: `Bearer ${token.Token}` };
}

export async function say(w: World, token: ChatToken, text: string): Promise<Answer<{ id: string }>> {
  return w.call<{ id: string }>('POST', w.thread(token.ChatId, '/messages?api-version=2024-03-07'), {
    headers: bearer(token),
    body: { content: text, senderDisplayName: 'Customer', metadata: { deliveryMode: 'bridged', tags: 'ChannelId-lcw,FromCustomer' } },
  });
}

export async function messages(w: World, token: ChatToken, query = ''): Promise<ChatMessage[]> {
  const answer = await w.call<{ value: ChatMessage[] }>('GET', w.thread(token.ChatId, `/messages?api-version=2024-03-07${query}`), { headers: bearer(token) });
  if (answer.status !== 200) throw new Error(`list messages answered ${answer.status}`);
  return answer.body.value;
}

/** The website's JWT for a signed-in customer (d365-omnichannel.md §6.2); the simulation checks claims, not the signature. */
export function customerToken(claims: Record<string, unknown>, now: number, lifetimeSeconds = 3600): string {
  const iat = Math.floor(now / 1000);
  return new UnsecuredJWT({ iat, exp: iat + lifetimeSeconds, iss: 'https://contoso.example', ...claims }).encode();
}
