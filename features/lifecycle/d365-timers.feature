@protocol:omnichannel
Feature: Dynamics 365's timers close forgotten conversations
  A live chat left Open is auto-closed after 20 minutes and one left in wrap-up after 15 minutes
  (the defaults of the product), unless the work stream says otherwise.

  Background:
    Given the copilot "Contoso Assistant" with the topics:
      | topic    | trigger phrases  | reply                             | then              |
      | Escalate | talk to a person | Let me connect you with an agent. | transfer to agent |
    And the queues:
      | queue   |
      | General |
    And the agents:
      | agent | queues  | presence |
      | Alice | General | Offline  |
      | Bruno | General | Offline  |

  Scenario: An escalated chat nobody picks up is closed after 20 minutes Open
    When the customer says "talk to a person"
    And 19 minutes pass
    Then the work item status is "Open" with reason "AwaitingAgentAssignment"
    When 1 minute passes
    Then the conversation is closed with reason "AutoClosedBySystem"
    And the work item status is "Closed"

  Scenario: Wrap-up is closed after 15 minutes
    When the customer says "talk to a person"
    And agent "Alice" becomes Available
    And agent "Alice" accepts
    And agent "Alice" ends the conversation
    Then the work item status is "Wrap-up" with reason "ConversationEndedByAgent"
    When 15 minutes pass
    Then the conversation is closed with reason "AutoClosedBySystem"

  Scenario: The agent closes the session after wrap-up
    When the customer says "talk to a person"
    And agent "Alice" becomes Available
    And agent "Alice" accepts
    And agent "Alice" ends the conversation
    And agent "Alice" closes the session
    Then the conversation is closed with reason "ConversationEndedByAgent"
    And the customer sees "Alice has ended the conversation."

  Scenario: A shorter Open auto-close configured on the work stream is honoured
    Given the Open auto-close is 5 minutes
    When the customer says "talk to a person"
    And 5 minutes pass
    Then the conversation is closed with reason "AutoClosedBySystem"
