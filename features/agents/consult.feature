@protocol:omnichannel
Feature: An agent consults a colleague
  A consulted agent joins with the whole conversation and talks to the primary agent privately;
  the customer never sees the consult, and a consult consumes no capacity.

  Background:
    Given the copilot "Contoso Assistant" with the topics:
      | topic    | trigger phrases  | reply                             | then              |
      | Escalate | talk to a person | Let me connect you with an agent. | transfer to agent |
    And the agents:
      | agent | queues  | capacity |
      | Alice | General | 2        |
      | Bruno | General | 1        |

  Scenario: The consulted agent sees the history and talks privately
    When the customer says "talk to a person"
    And agent "Alice" accepts
    And agent "Alice" consults agent "Bruno"
    And agent "Bruno" says "Offer a refund."
    Then agent "Bruno" receives the full history
    And the customer does not see "Offer a refund."

  Scenario: Leaving the consult closes the colleague's session and used no capacity
    When the customer says "talk to a person"
    And agent "Alice" accepts
    And agent "Alice" consults agent "Bruno"
    And agent "Bruno" leaves the consult
    Then the session of "Bruno" is closed with reason "AgentClosed"
    And the supervisor sees the agents:
      | agent | capacity used |
      | Bruno | 0             |
