@protocol:directline
Feature: Direct Line conversations behave like the real service
  A website that uses Copilot Studio's embed code, or Web Chat on a page of its own, talks to the
  copilot over Direct Line 3.0. Web Chat and DirectLineJS rely on these rules; when the mock breaks one,
  real clients hang on "Sending", show messages out of order or lose them.

  Background:
    Given the copilot "Contoso Assistant" with the topics:
      | topic    | trigger phrases  | reply                             | sets                 | then              | message to agent    |
      | Billing  | billing question | I can help with billing.          | Department = Billing |                   |                     |
      | Escalate | talk to a person | Let me connect you with an agent. |                      | transfer to agent | Customer needs help |
      | Goodbye  | bye              | Goodbye!                          |                      | end conversation  |                     |
    And the copilot greets the customer with "Hello, I'm Contoso Assistant."

  Scenario: A token starts one conversation, and starting again with it finds the same one
    When the website starts a Direct Line conversation with a token
    Then Direct Line answers 201
    When the website starts the conversation again with the same token
    Then Direct Line answers 200
    And it is the same conversation

  Scenario: The copilot greets only once the website sends startConversation
    When the website starts a Direct Line conversation with a token
    Then the website has received no activity
    When the website sends the startConversation event
    Then the website receives the copilot's message "Hello, I'm Contoso Assistant."

  Scenario: Every message comes back as an echo with a server id, then the copilot's reply to it
    When the website starts a Direct Line conversation with a token
    And the website sends the message "I have a billing question"
    Then Direct Line answers 200
    And the website receives the echo of its message with a server id and its client activity id
    And the copilot's reply "I can help with billing." answers that message
    And the timestamps of the activities strictly increase

  Scenario: Reading from a watermark returns only what is newer
    When the website starts a Direct Line conversation with a token
    And the website sends the startConversation event
    And the website sends the message "I have a billing question"
    And the website reads the activities
    And the website sends the message "talk to a person"
    Then reading from the last watermark returns only:
      | activity                          |
      | talk to a person                  |
      | Let me connect you with an agent. |
      | handoff.initiate                  |

  Scenario: The transfer reaches the website as handoff.initiate with every variable and the transcript
    When the website starts a Direct Line conversation with a token
    And the website sends the message "I have a billing question"
    And the website sends the message "talk to a person"
    Then handoff.initiate carries the variables:
      | variable        | value                                            |
      | va_Scope        | bot                                              |
      | va_LastTopic    | Escalate                                         |
      | va_Topics       | ["Billing","Escalate"]                           |
      | va_LastPhrase   | talk to a person                                 |
      | va_LastPhrases  | talk to a person                                 |
      | va_Phrases      | ["I have a billing question","talk to a person"] |
      | va_AgentMessage | Customer needs help                              |
      | va_BotName      | Contoso Assistant                                |
      | Department      | Billing                                          |
    And handoff.initiate carries the transcript of the conversation

  Scenario: The copilot ending the conversation does not close Direct Line
    When the website starts a Direct Line conversation with a token
    And the website sends the message "bye"
    Then the website receives an "endOfConversation" activity
    When the website sends the message "I have a billing question"
    Then Direct Line answers 200
