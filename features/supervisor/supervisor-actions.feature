@protocol:omnichannel
Feature: The supervisor assigns and force closes conversations
  A supervisor can assign a waiting conversation to an agent whatever routing would do, and force
  close an ongoing conversation.

  Background:
    Given the copilot "Contoso Assistant" with the topics:
      | topic    | trigger phrases  | reply                             | then              |
      | Escalate | talk to a person | Let me connect you with an agent. | transfer to agent |
    And the agents:
      | agent | queues  | presence |
      | Alice | General | Offline  |
      | Bruno | General | Offline  |

  Scenario: The supervisor assigns a waiting conversation to an agent
    When the customer says "talk to a person"
    And the supervisor assigns the conversation to agent "Alice"
    Then agent "Alice" is offered the conversation
    And the work item status is "Active" with reason "AssignedBySupervisor"

  Scenario: The supervisor force closes a conversation
    When the customer says "talk to a person"
    And the supervisor assigns the conversation to agent "Bruno"
    And agent "Bruno" accepts
    And the supervisor force closes the conversation
    Then the conversation is closed with reason "ForceClosedBySupervisor"
    And the session of "Bruno" is closed with reason "ForceClose"
    And the customer sees "This conversation was closed by a supervisor."
