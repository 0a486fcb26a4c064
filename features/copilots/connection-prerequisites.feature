@protocol:omnichannel
Feature: A copilot reaches Dynamics 365 only when the product's prerequisites are met
  "Configure handoff to Dynamics 365 Customer Service" (Prerequisites and "Disconnect your copilot"):
  a copilot named with 30 characters or more fails to connect; the Customer Service package must be
  in the copilot's environment; a disconnected copilot stops receiving traffic.

  Background:
    Given the agents:
      | agent | queues  |
      | Alice | General |

  Scenario: A copilot name of 30 characters or more fails to connect, so chats skip the copilot
    Given the copilot "Contoso Customer Care Assistant" with the topics:
      | topic    | trigger phrases | reply                  |
      | Greeting | hello           | Hello! How can I help? |
    When the customer says "hello"
    Then connecting the copilot to Dynamics 365 Customer Service failed with "its name is 31 characters long"
    And the customer does not see "Hello! How can I help?"
    And agent "Alice" is offered the conversation

  Scenario: A copilot in another environment than Customer Service cannot be connected
    Given the copilot from "examples/copilots/contoso-d365"
    And the copilot lives in the environment "Contoso Development"
    And Dynamics 365 Customer Service is installed in the environment "Contoso Production"
    When the customer says "I have a billing question"
    Then connecting the copilot to Dynamics 365 Customer Service failed with "must be in the same environment as the copilot"
    And the topic "Billing" did not fire
    And agent "Alice" is offered the conversation

  Scenario: In the same environment the copilot answers
    Given the copilot from "examples/copilots/contoso-d365"
    And the copilot lives in the environment "Contoso Production"
    And Dynamics 365 Customer Service is installed in the environment "Contoso Production"
    When the customer says "I have a billing question"
    Then the topic "Billing" fired

  Scenario: A disconnected copilot gets no traffic: the chat waits in the bot queue
    Given the copilot from "examples/copilots/contoso-d365"
    And the copilot was disconnected from Dynamics 365 Customer Service
    When the customer says "I have a billing question"
    Then the conversation waits in queue "Bot queue"
    And the topic "Conversation Start" did not fire
    And the customer does not see "Is this about an invoice you have already received?"

  Scenario: The same name on Copilot Studio's embed code needs no connection
    Given the copilot "Contoso Customer Care Assistant" with the topics:
      | topic    | trigger phrases | reply                  |
      | Greeting | hello           | Hello! How can I help? |
    And the website uses Copilot Studio's embed code
    When the customer says "hello"
    Then the customer sees "Hello! How can I help?"
