@protocol:directline
Feature: Copilot Studio's own embed code never hands off to Dynamics 365
  "If you use the embed code from Copilot Studio, handoff doesn't work": the customer talks straight
  to the copilot over Direct Line, the transfer becomes an event sent to the website, and nothing
  routes it to an agent.

  Background:
    Given the copilot "Contoso Assistant" with the topics:
      | topic    | trigger phrases  | reply                             | then              | message to agent   |
      | Escalate | talk to a person | Let me connect you with an agent. | transfer to agent | Customer needs help |
    And the queues:
      | queue   |
      | General |
    And the agents:
      | agent | queues  | presence  |
      | Alice | General | Available |
    And the website uses Copilot Studio's embed code

  Scenario: The transfer reaches the website as an event and no agent ever joins
    When the customer says "talk to a person"
    Then the customer sees "Let me connect you with an agent."
    And the website receives the "handoff.initiate" event
    When 30 minutes pass
    Then the conversation is still escalated
    And Dynamics 365 never receives the conversation
