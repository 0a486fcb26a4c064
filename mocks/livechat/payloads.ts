import type { Omnichannel, ThreadMessage } from '../../src/d365/omnichannel';

/** getChatConfig (d365-omnichannel.md §2.4.1): values are strings; the SDK dereferences these objects unchecked. */
export function liveChatConfig(omnichannel: Omnichannel) {
  return {
    LiveChatVersion: 2,
    ChatWidgetLanguage: { msdyn_localeid: '1033', msdyn_languagename: 'English - United States' },
    DataMaskingInfo: { dataMaskingRules: {}, setting: { msdyn_maskforcustomer: false, msdyn_maskforagent: false } },
    LiveWSAndLiveChatEngJoin: {
      msdyn_widgetappid: omnichannel.widgetId,
      msdyn_name: omnichannel.settings.workStream.name,
      msdyn_widgettitle: "Let's chat",
      msdyn_conversationmode: '192350000',
      msdyn_prechatenabled: 'false',
      PreChatSurvey: '',
      msdyn_postconversationsurveyenable: 'false',
      msdyn_postconversationsurveymode: '192350000',
      msdyn_enablechatreconnect: 'false',
      msdyn_timetoreconnectwithpreviousagent: null,
      msdyn_redirectionurl: null,
      msdyn_callingoptions: '192350000',
      msdyn_enablefileattachmentsforcustomers: 'false',
      msdyn_enablefileattachmentsforagents: 'false',
      msdyn_enablechattranscriptdownload: 'true',
      msdyn_enablechattranscriptemail: 'false',
      msdyn_positioninqueue_enabled: 'true',
      msdyn_averagewaittime_enabled: 'true',
      msdyn_requestvisitorlocation: 'false',
      msdyn_authenticatedsigninoptional: 'false',
      OutOfOperatingHours: 'False',
      ShowWidget: 'True',
    },
    allowedFileExtensions: '',
    maxUploadFileSize: '',
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
