@protocol:omnichannel
Feature: Transfers keep the history and the context
  An agent can transfer a conversation to a queue or to another agent. The item keeps its context
  variables; the new agent receives the whole conversation, the first agent's messages included.

  Background:
    Given the copilot "Contoso Assistant" with the topics:
      | topic    | trigger phrases  | reply                             | sets                 | then              |
      | Billing  | billing question | I can help with billing.          | Department = Billing |                   |
      | Escalate | talk to a person | Let me connect you with an agent. |                      | transfer to agent |
    And the queues:
      | queue    | routed when            |
      | Billing  | va_Scope = "bot"       |
      | Disputes |                        |
    And the agents:
      | agent | queues   | capacity |
      | Alice | Billing  | 2        |
      | Chen  | Billing  | 1        |
      | Bruno | Disputes | 1        |

  Scenario: A transfer to a queue keeps the history and the context
    When the customer says "billing question"
    And the customer says "talk to a person"
    And agent "Alice" accepts
    And agent "Alice" says "Let me pass you to our disputes team."
    And agent "Alice" transfers the conversation to queue "Disputes"
    And agent "Bruno" accepts
    Then agent "Bruno" receives the full history
    And the context variable "Department" received by Dynamics 365 is "Billing"
    And the session of "Alice" is closed with reason "AgentTransferToQueue"

  Scenario: A transfer to an agent offers the conversation to that agent
    When the customer says "talk to a person"
    And agent "Alice" accepts
    And agent "Alice" says "Chen knows this best."
    And agent "Alice" transfers the conversation to agent "Chen"
    And agent "Chen" accepts
    Then agent "Chen" receives the history:
      | from     | message                           |
      | customer | talk to a person                  |
      | copilot  | Let me connect you with an agent. |
      | agent    | Chen knows this best.             |
    And the session of "Alice" is closed with reason "AgentTransfered"
