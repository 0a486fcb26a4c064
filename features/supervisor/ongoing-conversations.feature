@protocol:omnichannel
Feature: The supervisor sees ongoing conversations, queues and agents
  The Ongoing Conversations dashboard lists Open, Active, Waiting and Wrap-up conversations with
  their queue and agent; queue views show how many wait and the longest wait; the agents report
  shows presence and capacity in use.

  Background:
    Given the copilot "Contoso Assistant" with the topics:
      | topic    | trigger phrases  | reply                             | then              |
      | Greeting | hello            | Hello! How can I help?            |                   |
      | Escalate | talk to a person | Let me connect you with an agent. | transfer to agent |
    And the agents:
      | agent | queues  | capacity | presence  |
      | Alice | General | 1        | Available |
      | Bruno | General | 2        | Offline   |

  Scenario: Conversations by status, with the queue length and the longest wait
    When the customer says "talk to a person"
    And agent "Alice" accepts
    And 2 more customers say "talk to a person"
    And 3 minutes pass
    Then the supervisor sees the ongoing conversations:
      | customer   | status | queue   | agent |
      | customer 1 | Active | General | Alice |
      | customer 2 | Open   | General |       |
      | customer 3 | Open   | General |       |
    And the supervisor sees 2 conversations waiting in queue "General", the longest for 3 minutes

  Scenario: Agent occupancy
    When the customer says "talk to a person"
    And agent "Alice" accepts
    Then the supervisor sees the agents:
      | agent | presence  | capacity used | capacity |
      | Alice | Available | 1             | 1        |
      | Bruno | Offline   | 0             | 2        |

  Scenario: A conversation with the copilot is Active with the bot
    When the customer says "hello"
    Then the supervisor sees the ongoing conversations:
      | customer   | status | queue     | agent             |
      | customer 1 | Active | Bot queue | Contoso Assistant |
