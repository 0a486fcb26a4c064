@protocol:omnichannel
Feature: Capacity limits hold, and wrap-up blocks capacity as the work stream says
  An agent is offered no more conversations than their capacity. After the agent ends a
  conversation, its capacity stays blocked until the session is closed ("always", the default),
  is freed at once ("don't") or after a custom time.

  Background:
    Given the copilot "Contoso Assistant" with the topics:
      | topic    | trigger phrases  | reply                             | then              |
      | Escalate | talk to a person | Let me connect you with an agent. | transfer to agent |
    And the agents:
      | agent | queues  | capacity |
      | Alice | General | 1        |

  Scenario: An agent at capacity is not offered more work
    When the customer says "talk to a person"
    And agent "Alice" accepts
    And 1 more customer says "talk to a person"
    Then the supervisor sees the ongoing conversations:
      | customer   | status | queue   | agent |
      | customer 1 | Active | General | Alice |
      | customer 2 | Open   | General |       |

  Scenario: By default wrap-up blocks the capacity until the session is closed
    When the customer says "talk to a person"
    And agent "Alice" accepts
    And agent "Alice" ends the conversation
    And 1 more customer says "talk to a person"
    Then the supervisor sees 1 conversation waiting in queue "General"
    When agent "Alice" closes the session
    Then the supervisor sees 0 conversations waiting in queue "General"

  Scenario: A work stream that does not block wrap-up frees the capacity at once
    Given the work stream:
      | setting                    | value |
      | block capacity for wrap-up | don't |
    When the customer says "talk to a person"
    And agent "Alice" accepts
    And agent "Alice" ends the conversation
    And 1 more customer says "talk to a person"
    Then the supervisor sees 0 conversations waiting in queue "General"

  Scenario: A custom block frees the capacity after its time
    Given the work stream:
      | setting                    | value     |
      | block capacity for wrap-up | 2 minutes |
    When the customer says "talk to a person"
    And agent "Alice" accepts
    And agent "Alice" ends the conversation
    And 1 more customer says "talk to a person"
    And 119 seconds pass
    Then the supervisor sees 1 conversation waiting in queue "General"
    When 1 second passes
    Then the supervisor sees 0 conversations waiting in queue "General"
