@protocol:omnichannel
Feature: In a pick work stream agents take the work themselves
  A pick work stream offers nothing: conversations wait until an agent picks one from their queues.

  Background:
    Given the work stream:
      | setting      | value |
      | copilot      | none  |
      | distribution | pick  |
    And the agents:
      | agent | queues  |
      | Alice | General |

  Scenario: The conversation waits until an agent picks it
    When the customer starts a chat
    And 5 minutes pass
    Then the conversation is still waiting in a queue
    When agent "Alice" picks a conversation
    Then the work item status is "Active" with reason "InConversation"
