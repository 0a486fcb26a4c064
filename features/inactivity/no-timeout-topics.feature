@protocol:omnichannel
Feature: A copilot without inactivity topics never closes an idle chat itself
  A copilot created in the Copilot Studio portal lacks the Session Timeout topics. The conversation
  lingers as active (and on the supervisor's view) until Dynamics 365 closes the bot-only chat after
  its 30 minutes of inactivity.

  Background:
    Given the copilot "Portal Assistant" with the topics:
      | topic    | trigger phrases | reply                  |
      | Greeting | hello           | Hello! How can I help? |

  Scenario: The idle chat lingers as active for 29 minutes
    When the customer says "hello"
    And 29 minutes pass
    Then the conversation is still with the copilot
    And the work item status is "Active" with reason "InConversation"

  Scenario: Dynamics 365 closes the bot-only chat after 30 minutes
    When the customer says "hello"
    And 30 minutes pass
    Then the conversation is closed with reason "AutoClosedBySystem"
    And the work item status is "Closed"
