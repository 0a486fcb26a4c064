@protocol:omnichannel
Feature: A copilot created in the Copilot Studio portal hands off, but never closes idle chats itself
  examples/copilots/contoso-portal has a transfer in its Escalate topic but lacks the Session Timeout
  Reminder and Session Timeout topics that a copilot created from Dynamics 365 has. Handoff works;
  an idle chat lingers as active on the supervisor's view until Dynamics 365 closes the bot-only
  chat after 30 minutes.

  Background:
    Given the copilot from "examples/copilots/contoso-portal"
    And the queues:
      | queue   | priority |
      | Billing | 1        |
      | General | 5        |
    And the routing rules:
      | rule         | condition            | queue   |
      | Billing team | Department = Billing | Billing |
    And the agents:
      | agent | queues  |
      | Alice | Billing |
      | Bruno | General |

  Scenario: The billing question and the transfer reach the billing team
    When the customer says "question about my invoice"
    Then the topic "Billing" fired
    When the customer says "talk to a person"
    Then the topic "Escalate" fired
    And the conversation is routed to queue "Billing"
    When agent "Alice" accepts
    Then agent "Alice" sees the message to agent "Web chat customer, department Billing"
    And agent "Alice" receives the full history

  Scenario: The idle chat lingers as active on the supervisor's view
    When the customer says "my bill"
    And 29 minutes pass
    Then the customer does not see "Are you still there?"
    And the supervisor sees the ongoing conversations:
      | customer   | status |
      | customer 1 | Active |
    And the work item status is "Active" with reason "InConversation"

  Scenario: Only Dynamics 365's bot-only inactivity closes it, after 30 minutes
    When the customer says "my bill"
    And 30 minutes pass
    Then the conversation is closed with reason "AutoClosedBySystem"
