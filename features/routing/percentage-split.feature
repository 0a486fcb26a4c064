@protocol:omnichannel
Feature: A percentage split spreads conversations across queues
  A route-to-queue rule can split its conversations across up to five queues; the simulation draws
  with the scenario's seed, so a scenario always lands in the same queue and says why.

  Background:
    Given the copilot "Contoso Assistant" with the topics:
      | topic    | trigger phrases  | reply                             | then              |
      | Escalate | talk to a person | Let me connect you with an agent. | transfer to agent |
    And the routing rules:
      | rule         | condition        | queue                 |
      | Tier split   | va_Scope = "bot" | Tier 1 70%; Tier 2 30% |
    And the agents:
      | agent | queues |
      | Alice | Tier 1 |
      | Bruno | Tier 2 |

  Scenario: The seeded draw decides the queue and the explanation shows the draw
    When the customer says "talk to a person"
    Then the conversation is routed to queue "Tier 1"
    And the routing explanation says "split Tier 1 70%, Tier 2 30% drew"
