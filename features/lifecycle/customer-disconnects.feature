@protocol:omnichannel
Feature: A customer who disconnects has the reconnect window to come back
  Dynamics 365 keeps the conversation for a customer who comes back within the reconnect window
  (3 minutes by default); after it, the work item goes to wrap-up.

  Background:
    Given the copilot "Contoso Assistant" with the topics:
      | topic    | trigger phrases  | reply                             | then              |
      | Escalate | talk to a person | Let me connect you with an agent. | transfer to agent |
    And the agents:
      | agent | queues  |
      | Alice | General |

  Scenario: Back inside the window, the customer keeps the conversation
    When the customer says "talk to a person"
    And agent "Alice" accepts
    And the customer disconnects
    And 2 minutes pass
    And the customer reconnects
    And 10 minutes pass
    Then the conversation is still with an agent

  Scenario: After the window the work item goes to wrap-up
    When the customer says "talk to a person"
    And agent "Alice" accepts
    And the customer disconnects
    And 3 minutes pass
    Then the work item status is "Wrap-up" with reason "CustomerDisconnectedOrLeftActiveConversation"
    When agent "Alice" closes the session
    Then the conversation is closed with reason "CustomerDisconnectedOrLeftActiveConversation"
    And the session of "Alice" is closed with reason "CustomerDisconnect"

  Scenario: A longer window configured on the work stream is honoured
    Given the customer reconnect window is 10 minutes
    When the customer says "talk to a person"
    And agent "Alice" accepts
    And the customer disconnects
    And 9 minutes pass
    Then the conversation is still with an agent
