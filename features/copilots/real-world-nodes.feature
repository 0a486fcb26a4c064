@protocol:omnichannel
Feature: Node kinds of real exports run with the scenario's fixtures
  The Nodes Assistant (tests/fixtures/copilot-nodes/agent) has a topic per node kind that real
  exports use beyond the basic set; what flows, skills, knowledge and its own HTTP back end answer
  comes from its fixture folder and from the scenario.

  Background:
    Given the copilot from "tests/fixtures/copilot-nodes/agent"
    And the copilot's fixtures from "tests/fixtures/copilot-nodes/fixtures"
    And the agents:
      | agent | queues  |
      | Alice | General |

  Scenario: The skill-based handoff of the contact-center sample reaches Dynamics 365 like a transfer
    When the customer says "contoso live chat"
    Then the customer sees "Starting conversation LC-1001 with Contoso Live Chat."
    When the customer says "My router keeps rebooting"
    Then the conversation is routed to queue "General"
    And the context variable "LiveChatConversationId" received by Dynamics 365 is "LC-1001"
    When agent "Alice" accepts
    Then agent "Alice" sees the message to agent "My router keeps rebooting"

  Scenario: The customer submits an Adaptive Card
    When the customer says "plan a trip"
    Then the customer sees "Where do you want to go?"
    When the customer submits the card with:
      | field       | value  |
      | destination | Lisbon |
      | nights      | 3      |
    Then the customer sees "Booked 3 nights in Lisbon."

  Scenario: Generative answers come from the scenario's knowledge answers
    Given the copilot's knowledge answers:
      | question | answer                                   |
      | warranty | Every device has a two-year warranty.    |
    When the customer says "policy question: is there a warranty?"
    Then the topic "Search Knowledge" fired
    And the customer sees "Every device has a two-year warranty."

  Scenario: The copilot's own back end answers through the fixture folder's msw handlers
    When the customer says "order service lookup"
    Then the customer sees "Order 42 is Shipped; the note got 404 (no such order)."

  Scenario: A customer who does not sign in sees the sign-in prompt, and the topic waits
    Given the customer does not sign in when asked
    When the customer says "my account"
    Then the customer sees "Login: To continue, please sign in"
    And the customer does not see "Signed in as Ana Lima (true)."
