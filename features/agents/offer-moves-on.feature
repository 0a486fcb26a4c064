@protocol:omnichannel
Feature: A declined or missed offer moves to the next agent
  An agent has the notification countdown to accept; a decline or an expired countdown closes that
  agent's session and offers the conversation to the next eligible agent.

  Background:
    Given the copilot "Contoso Assistant" with the topics:
      | topic    | trigger phrases  | reply                             | then              |
      | Escalate | talk to a person | Let me connect you with an agent. | transfer to agent |
    And the queues:
      | queue   | assignment       |
      | General | highest capacity |
    And the agents:
      | agent | queues  | capacity |
      | Alice | General | 3        |
      | Bruno | General | 2        |

  Scenario: The agent with the most free capacity is offered first
    When the customer says "talk to a person"
    Then agent "Alice" is offered the conversation

  Scenario: A decline moves the offer to the next agent
    When the customer says "talk to a person"
    And agent "Alice" declines
    Then agent "Bruno" is offered the conversation

  Scenario: An offer nobody answers expires after the countdown and moves on
    When the customer says "talk to a person"
    And 119 seconds pass
    Then agent "Alice" is offered the conversation
    When 1 second passes
    Then agent "Bruno" is offered the conversation

  Scenario: A shorter countdown configured on the work stream is honoured
    Given the notification countdown is 30 seconds
    When the customer says "talk to a person"
    And 30 seconds pass
    Then agent "Bruno" is offered the conversation

  Scenario: An ignored notification moves on and closes the agent's session
    When the customer says "talk to a person"
    And agent "Alice" ignores the notification
    Then agent "Bruno" is offered the conversation
    And the session of "Alice" is closed with reason "AgentTimeout"

  Scenario: A decline closes the agent's session with AgentReject
    When the customer says "talk to a person"
    And agent "Alice" declines
    Then the session of "Alice" is closed with reason "AgentReject"

  Scenario: An agent who misses a notification becomes Inactive
    Given the work stream:
      | setting                             | value |
      | inactive after missed notifications | 1     |
    When the customer says "talk to a person"
    And agent "Alice" ignores the notification
    Then the supervisor sees the agents:
      | agent | presence  |
      | Alice | Inactive  |
      | Bruno | Available |
