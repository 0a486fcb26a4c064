@protocol:omnichannel
Feature: Overflow moves or ends conversations a queue cannot take
  Before queueing, a queue that already holds its work item limit overflows; after queueing, a
  conversation that waits longer than the queue allows overflows. Each runs the queue's action.

  Background:
    Given the copilot "Contoso Assistant" with the topics:
      | topic    | trigger phrases  | reply                             | then              |
      | Escalate | talk to a person | Let me connect you with an agent. | transfer to agent |
    And the queues:
      | queue   | routed when      | overflow                                                                                   |
      | Orders  | va_Scope = "bot" | more than 1 work items: transfer to Backlog; waiting longer than 5 minutes: transfer to Backlog |
      | Backlog |                  | waiting longer than 10 minutes: end conversation "Sorry, all our agents are busy."         |
    And the agents:
      | agent | queues          | presence |
      | Alice | Orders; Backlog | Offline  |

  Scenario: A queue at its work item limit sends the next conversation elsewhere
    When the customer says "talk to a person"
    And 1 more customer says "talk to a person"
    Then the supervisor sees the ongoing conversations:
      | customer   | status | queue   |
      | customer 1 | Open   | Orders  |
      | customer 2 | Open   | Backlog |
    And the routing explanation says 'queue "Orders" is not overflowing (24×7; 0 open items, limit 1)'

  Scenario: Waiting too long transfers the conversation, then ends it
    When the customer says "talk to a person"
    And 5 minutes pass
    Then the conversation is routed to queue "Backlog"
    When 10 minutes pass
    Then the customer sees "Sorry, all our agents are busy."
    And the conversation is closed with reason "ClosedDueToOverflow"
