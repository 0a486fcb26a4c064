/**
 * Browser code of the chat SDK page (`/chat-sdk` on `handoff serve`), bundled with esbuild together with
 * the real, unmodified @microsoft/omnichannel-chat-sdk (chat-sdk-in-browser.md §2). It drives the SDK
 * the way a website does and shows every event; `window.handoffChat` exposes the same calls to tests.
 */
import { OmnichannelChatSDK } from '@microsoft/omnichannel-chat-sdk';

interface PageSettings {
  orgUrl: string;
  orgId: string;
  widgetId: string;
  /** getchattoken and sessioninit instead of createConversation (d365-omnichannel.md §1, §2.5 B). */
  legacyFlow: boolean;
}

/** Something the page saw: a message by role, the agent ending the session, a call that failed. */
export type ChatEvent =
  | { kind: 'message'; id: string; role: string; sender: string; text: string; tags: string[] }
  | { kind: 'agentEndSession'; removed: string[] }
  | { kind: 'error'; call: string; message: string }
  | { kind: 'status'; text: string };

interface MessageLike {
  id: string;
  role?: string;
  content?: string;
  tags?: string[];
  sender?: { displayName?: string };
}

/** A ChatSDKError's message is only its name; the reason is in exceptionDetails (chat-sdk-in-browser.md §6). */
function describe(error: unknown): string {
  const detailed = error as { message?: string; exceptionDetails?: unknown };
  const details = detailed?.exceptionDetails === undefined ? '' : ` ${JSON.stringify(detailed.exceptionDetails)}`;
  return `${detailed?.message ?? String(error)}${details}`;
}

class HandoffChat {
  readonly events: ChatEvent[] = [];
  readonly settings: PageSettings;
  readonly sdk: OmnichannelChatSDK;
  #liveChatContext: unknown;
  #list: HTMLElement;
  #status: HTMLElement;

  constructor(settings: PageSettings) {
    this.settings = settings;
    // Telemetry off: it would post to browser.pipe.aria.microsoft.com (chat-sdk-in-browser.md §6).
    this.sdk = new OmnichannelChatSDK(
      { orgUrl: settings.orgUrl, orgId: settings.orgId, widgetId: settings.widgetId },
      { telemetry: { disable: true }, ...(settings.legacyFlow ? { useCreateConversation: { disable: true } } : {}) },
    );
    this.#list = document.getElementById('events')!;
    this.#status = document.getElementById('status')!;
  }

  async initialize(): Promise<{ liveChatVersion: unknown; outOfOperatingHours: unknown }> {
    const config = (await this.#call('initialize', () => this.sdk.initialize())) as { LiveChatVersion?: unknown; LiveWSAndLiveChatEngJoin?: { OutOfOperatingHours?: unknown } };
    this.#note({ kind: 'status', text: 'initialized' });
    return { liveChatVersion: config.LiveChatVersion, outOfOperatingHours: config.LiveWSAndLiveChatEngJoin?.OutOfOperatingHours };
  }

  agentAvailability(customContext: Record<string, string> = {}): Promise<unknown> {
    return this.#call('getAgentAvailability', () => this.sdk.getAgentAvailability({ customContext: contextOf(customContext) } as never));
  }

  /**
   * startChat with pre-chat answers and custom context, then the listeners: messages by realtime only
   * (after the history), as the widget does (d365-omnichannel.md §3.4), and the agent ending the session.
   */
  async start(options: { customContext?: Record<string, string>; preChatResponse?: Record<string, string> } = {}): Promise<{ conversationId: string; state: string }> {
    await this.#call('startChat', () =>
      this.sdk.startChat({ customContext: contextOf(options.customContext ?? {}), preChatResponse: { Type: 'InputSubmit', ...options.preChatResponse }, sendDefaultInitContext: true }),
    );
    this.#liveChatContext = await this.sdk.getCurrentLiveChatContext();
    await this.sdk.onNewMessage((message: MessageLike) => this.#message(message), { rehydrate: true, disablePolling: true });
    await this.sdk.onAgentEndSession((event) => {
      const removed = ((event as { participantsRemoved?: Array<{ displayName?: string }> }).participantsRemoved ?? []).map((participant) => participant.displayName ?? '');
      this.#note({ kind: 'agentEndSession', removed });
    });
    const details = await this.details();
    this.#note({ kind: 'status', text: `chat started (${details.state})` });
    return { conversationId: details.conversationId, state: details.state };
  }

  async send(text: string): Promise<void> {
    await this.#call('sendMessage', () => this.sdk.sendMessage({ content: text }));
    this.#note({ kind: 'message', id: '', role: 'customer', sender: 'You', text, tags: [] });
  }

  typing(): Promise<unknown> {
    return this.#call('sendTypingEvent', () => this.sdk.sendTypingEvent());
  }

  async details(): Promise<{ state: string; conversationId: string; canRenderPostChat: string; participantType: string }> {
    return (await this.#call('getConversationDetails', () => this.sdk.getConversationDetails())) as { state: string; conversationId: string; canRenderPostChat: string; participantType: string };
  }

  /** After endChat the SDK forgets its requestId; the saved context still names the conversation (chat-sdk-in-browser.md §3 row 16). */
  /** What the SDK keeps to resume the chat: its requestId and chat token (getCurrentLiveChatContext). */
  get liveChatContext(): unknown {
    return this.#liveChatContext;
  }

  async detailsAfterEnd(): Promise<{ state: string }> {
    return (await this.#call('getConversationDetails', () => this.sdk.getConversationDetails({ liveChatContext: this.#liveChatContext } as never))) as { state: string };
  }

  /** The thread as getMessages reads it (ACS list messages, d365-omnichannel.md §3.2), oldest first. */
  async history(): Promise<Array<{ role: string; text: string }>> {
    const messages = (await this.#call('getMessages', () => this.sdk.getMessages())) as unknown as MessageLike[];
    return [...messages].reverse().map((message) => ({ role: message.role ?? 'unknown', text: message.content ?? '' }));
  }

  async transcript(): Promise<Array<{ id: string; content: string; tags: string }>> {
    const response = (await this.#call('getLiveChatTranscript', () => this.sdk.getLiveChatTranscript())) as { chatMessagesJson?: string } | string;
    const body = typeof response === 'string' ? (JSON.parse(response) as { chatMessagesJson?: string }) : response;
    return JSON.parse(body.chatMessagesJson ?? '[]') as Array<{ id: string; content: string; tags: string }>;
  }

  emailTranscript(address: string): Promise<unknown> {
    return this.#call('emailLiveChatTranscript', () => this.sdk.emailLiveChatTranscript({ emailAddress: address, attachmentMessage: 'Your chat transcript', locale: 'en-us' }));
  }

  async end(): Promise<void> {
    await this.#call('endChat', () => this.sdk.endChat());
    this.#note({ kind: 'status', text: 'chat ended' });
  }

  #message(message: MessageLike): void {
    this.#note({ kind: 'message', id: message.id, role: message.role ?? 'unknown', sender: message.sender?.displayName ?? '', text: message.content ?? '', tags: message.tags ?? [] });
  }

  async #call<T>(name: string, call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      this.#note({ kind: 'error', call: name, message: describe(error) });
      throw new Error(`${name} failed: ${describe(error)}`);
    }
  }

  #note(event: ChatEvent): void {
    this.events.push(event);
    const item = document.createElement('li');
    item.dataset['kind'] = event.kind;
    if (event.kind === 'message') {
      item.dataset['role'] = event.role;
      item.textContent = `${event.role}${event.sender ? ` (${event.sender})` : ''}: ${event.text}${event.tags.length > 0 ? `  [${event.tags.join(',')}]` : ''}`;
    } else if (event.kind === 'agentEndSession') {
      item.textContent = `onAgentEndSession: ${event.removed.join(', ') || 'a participant'} left the conversation`;
    } else if (event.kind === 'error') {
      item.textContent = `${event.call} failed: ${event.message}`;
    } else {
      item.textContent = event.text;
      this.#status.textContent = event.text;
    }
    this.#list.append(item);
  }
}

/** Custom context entries as the SDK takes them: `{ name: { value, isDisplayable } }` (d365-omnichannel.md §2.4.2). */
function contextOf(values: Record<string, string>): Record<string, { value: string; isDisplayable: boolean }> {
  return Object.fromEntries(Object.entries(values).map(([name, value]) => [name, { value, isDisplayable: true }]));
}

declare global {
  interface Window {
    handoffChat: HandoffChat;
  }
}

const settings = JSON.parse(document.getElementById('settings')!.textContent ?? '{}') as PageSettings;
const chat = new HandoffChat(settings);
window.handoffChat = chat;

// The buttons do what a person would: the same calls the tests make.
const input = document.getElementById('text') as HTMLInputElement;
document.getElementById('start')!.addEventListener('click', () => void chat.initialize().then(() => chat.start()).catch(() => undefined));
document.getElementById('composer')!.addEventListener('submit', (event) => {
  event.preventDefault();
  const text = input.value.trim();
  input.value = '';
  if (text) void chat.send(text).catch(() => undefined);
});
input.addEventListener('input', () => void chat.typing().catch(() => undefined));
document.getElementById('end')!.addEventListener('click', () => void chat.end().catch(() => undefined));
