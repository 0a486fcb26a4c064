@protocol:omnichannel
Feature: Unified routing sends escalations to the right queue
  Dynamics 365 re-runs routing with the copilot's variables: the first matching route-to-queue rule
  wins, and a conversation no rule matches goes to the work stream's fallback queue.

  Background:
    Given the copilot "Contoso Assistant" with the topics:
      | topic    | trigger phrases          | reply                             | sets                 | then              |
      | Billing  | billing question; invoice | Billing, got it.                  | Department = Billing |                   |
      | Shipping | where is my parcel       | Let me look at shipping.          | Department = Shipping |                  |
      | Escalate | talk to a person         | Let me connect you with an agent. |                      | transfer to agent |
    And the work stream "Website chat" with the copilot as first responder and fallback queue "General"
    And the queues:
      | queue    | priority |
      | Billing  | 1        |
      | Shipping | 2        |
      | General  | 5        |
    And the routing rules:
      | rule          | condition             | queue    |
      | Billing team  | Department = Billing  | Billing  |
      | Shipping team | Department = Shipping | Shipping |
    And the agents:
      | agent | queues           |
      | Alice | Billing          |
      | Bruno | Shipping         |
      | Chen  | General; Billing |

  Scenario: A variable set by the copilot routes to its queue
    When the customer says "where is my parcel"
    And the customer says "talk to a person"
    Then the conversation is routed to queue "Shipping"
    And agent "Bruno" is offered the conversation

  Scenario: The first matching rule wins
    When the customer says "I have a billing question"
    And the customer says "talk to a person"
    Then the conversation is routed to queue "Billing"
    And agent "Alice" is offered the conversation

  Scenario: No rule matches, so the fallback queue takes it
    When the customer says "talk to a person"
    Then the conversation is routed to queue "General"
    And agent "Chen" is offered the conversation

  Scenario: Pre-chat context routes too
    When the customer starts a chat with the context:
      | variable   | value    |
      | Department | Shipping |
    And the customer says "talk to a person"
    Then the conversation is routed to queue "Shipping"
