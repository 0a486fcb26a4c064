@protocol:omnichannel
Feature: With no agent available the conversation waits in its queue
  Assignment only offers work to agents whose presence the work stream allows and who have free
  capacity; otherwise the conversation waits, and the next assignment cycle picks it up.

  Background:
    Given the copilot "Contoso Assistant" with the topics:
      | topic    | trigger phrases  | reply                             | then              |
      | Escalate | talk to a person | Let me connect you with an agent. | transfer to agent |
    And the queues:
      | queue   |
      | General |
    And the agents:
      | agent | queues  | presence | capacity |
      | Dana  | General | Offline  | 1        |

  Scenario: Nobody is available, so the conversation keeps waiting
    When the customer says "talk to a person"
    And 10 minutes pass
    Then the conversation waits in queue "General"
    And the conversation is still waiting in a queue

  Scenario: An agent becomes available and is offered the waiting conversation
    When the customer says "talk to a person"
    And 5 minutes pass
    And agent "Dana" becomes Available
    Then agent "Dana" is offered the conversation

  Scenario: The routing explanation says why nobody could take it
    When the customer says "talk to a person"
    Then the routing explanation says "Dana: presence Offline is not allowed by the work stream"
    And the routing explanation says "no eligible agent; the conversation waits in the queue"
