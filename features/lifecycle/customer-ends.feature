@protocol:omnichannel
Feature: The customer ends the chat
  Closing the widget ends the conversation; what happens to the work item depends on who was with
  the customer at that moment.

  Background:
    Given the copilot "Contoso Assistant" with the topics:
      | topic    | trigger phrases  | reply                             | then              |
      | Greeting | hello            | Hello! How can I help?            |                   |
      | Escalate | talk to a person | Let me connect you with an agent. | transfer to agent |
    And the queues:
      | queue   |
      | General |
    And the agents:
      | agent | queues  | presence  |
      | Alice | General | Available |

  Scenario: Ending while with the copilot closes the conversation
    When the customer says "hello"
    And the customer ends the chat
    Then the conversation is closed with reason "CustomerDisconnectedOrLeftActiveConversation"

  Scenario: Ending while with an agent moves the work item to wrap-up
    When the customer says "talk to a person"
    And agent "Alice" accepts
    And the customer ends the chat
    Then the work item status is "Wrap-up" with reason "CutomerMovedToWrapUp"
    And the conversation is in wrap-up

  Scenario: Ending while waiting in the queue closes the open work item
    When agent "Alice" becomes Offline
    And the customer says "talk to a person"
    And the customer ends the chat
    Then the conversation is closed with reason "CustomerDisconnectedOrLeftOpenConversation"
