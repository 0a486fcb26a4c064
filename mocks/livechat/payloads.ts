import type { LiveChat, Omnichannel, ThreadMessage } from '../../src/d365/omnichannel';

export interface ConfigOptions {
  outOfOperatingHours: boolean;
  /** The widget asks customers to sign in: the config carries LiveChatConfigAuthSettings (§2.4.1). */
  authenticated: boolean;
}

/** getChatConfig (d365-omnichannel.md §2.4.1): values are strings; the SDK dereferences these objects unchecked. */
export function liveChatConfig(omnichannel: Omnichannel, options: ConfigOptions) {
  const { workStream } = omnichannel.settings;
  return {
    LiveChatVersion: 2,
    ChatWidgetLanguage: { msdyn_localeid: '1033', msdyn_languagename: 'English - United States' },
    // The setting values are booleans: a string "false" is truthy and turns masking on (§10 item 11).
    DataMaskingInfo: { dataMaskingRules: {}, setting: { msdyn_maskforcustomer: false, msdyn_maskforagent: false } },
    // Any truthy value makes the SDK demand a token, so anonymous widgets send none at all (§2.4.1).
    ...(options.authenticated
      ? { LiveChatConfigAuthSettings: { msdyn_authenticationtype: '192350000', msdyn_javascriptclientfunction: 'auth.getAuthenticationToken', msdyn_publickeyurl: '' } }
      : {}),
    LiveWSAndLiveChatEngJoin: {
      msdyn_widgetappid: omnichannel.widgetId,
      msdyn_name: workStream.name,
      msdyn_widgettitle: "Let's chat",
      // 192350000 live chat, 192350001 persistent chat (§2.4.1).
      msdyn_conversationmode: workStream.channel === 'persistent chat' ? '192350001' : '192350000',
      msdyn_prechatenabled: 'false',
      PreChatSurvey: '',
      msdyn_postconversationsurveyenable: 'false',
      msdyn_postconversationsurveymode: '192350000',
      // The simulation keeps a reconnect window (§4.4 customer disconnect tolerance), in minutes here.
      msdyn_enablechatreconnect: 'true',
      msdyn_timetoreconnectwithpreviousagent: String(Math.round(workStream.delays.customerReconnectWindow / 60_000)),
      msdyn_redirectionurl: null,
      msdyn_callingoptions: '192350000',
      msdyn_enablefileattachmentsforcustomers: 'false',
      msdyn_enablefileattachmentsforagents: 'false',
      msdyn_enablechattranscriptdownload: 'true',
      msdyn_enablechattranscriptemail: 'true',
      msdyn_positioninqueue_enabled: workStream.queuePositionMessages ? 'true' : 'false',
      msdyn_averagewaittime_enabled: 'false',
      msdyn_requestvisitorlocation: 'false',
      msdyn_authenticatedsigninoptional: 'false',
      OutOfOperatingHours: options.outOfOperatingHours ? 'True' : 'False',
      ShowWidget: 'True',
    },
    allowedFileExtensions: '',
    maxUploadFileSize: '',
  };
}

/** getliveworkitemdetails (d365-omnichannel.md §2.4.5); `WrapUp` has no hyphen on the wire. */
export function workItemDetails(omnichannel: Omnichannel, chat: LiveChat) {
  const accepted = chat.agentAcceptedOn !== undefined;
  return {
    State: omnichannel.workItemStatus(chat).state,
    ConversationId: chat.id,
    AgentAcceptedOn: accepted ? new Date(chat.agentAcceptedOn!).toISOString() : null,
    // "True" once a representative joined; ParticipantType picks the agent or the bot survey (§2.4.5).
    CanRenderPostChat: accepted ? 'True' : 'False',
    ParticipantType: accepted ? 'User' : 'Bot',
  };
}

/** The chat token of createConversation and getchattoken (d365-omnichannel.md §2.4.3). */
export function chatTokenBody(thread: { chatId: string; visitorId: string }, token: string, expiresAt: number, acsEndpoint: string) {
  return {
    ChatId: thread.chatId,
    Token: token,
    ExpiresIn: new Date(expiresAt).toISOString(),
    VisitorId: thread.visitorId,
    // A JSON string, never an object: the SDK always JSON.parses it (§2.4.3).
    RegionGtms: '{}',
    ACSEndpoint: acsEndpoint,
  };
}

/** A transcript message (d365-omnichannel.md §8): customers under from.application "Customer", agents under from.user. */
export function transcriptMessage(message: ThreadMessage) {
  const created = new Date(message.createdOn).toISOString();
  const sender = { displayName: message.senderDisplayName, id: message.senderId };
  return {
    id: message.id,
    created,
    createdDateTime: created.replace('Z', '+00:00'),
    content: message.content,
    contentType: 'text',
    tags: message.tags,
    deliveryMode: message.from === 'agent' ? 'unbridged' : 'bridged',
    from: message.from === 'agent' ? { user: sender, application: null } : { application: sender, user: null },
    attachments: [],
    isControlMessage: false,
  };
}

/** A message of getPersistentChatHistory (d365-omnichannel.md §2.4.6). */
export function historyMessage(chat: LiveChat, message: ThreadMessage, widgetId: string) {
  const created = new Date(message.createdOn).toISOString();
  const sender = { displayName: message.senderDisplayName, id: message.senderId };
  return {
    created,
    isControlMessage: false,
    transcriptOriginalMessageId: message.id,
    content: message.content,
    contentType: 0,
    createdDateTime: created,
    from: message.from === 'agent' ? { user: sender, application: null } : { application: sender, user: null },
    attachments: [],
    id: message.id,
    additionalData: { deliveryMode: message.from === 'agent' ? 'unbridged' : 'bridged', widgetId, tags: message.tags, ConversationId: chat.id },
  };
}
