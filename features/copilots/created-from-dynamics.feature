@protocol:omnichannel
Feature: The team's own copilot, created from Dynamics 365, runs from its exported YAML
  examples/copilots/contoso-d365 is a copilot as Copilot Studio exports it: a greeting, a billing topic
  that sets the global variable Department for routing, an Escalate topic with a transfer node, and
  the Session Timeout Reminder and Session Timeout topics that close idle chats on the Dynamics 365
  channel.

  Background:
    Given the copilot from "examples/copilots/contoso-d365"
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

  Scenario: A billing question reaches the billing team with the copilot's message to the agent
    When the customer starts a chat
    Then the customer sees "Hello, I'm Contoso Service Assistant. I can help with billing and orders, or connect you with an agent."
    When the customer says "I have a billing question"
    Then the topic "Billing" fired
    And the customer sees "Is this about an invoice you have already received?"
    When the customer says "yes"
    Then the customer sees "Invoices are handled by our billing team. Ask for a person and I will connect you."
    When the customer says "talk to a person"
    Then the topic "Escalate" fired
    And the conversation is routed to queue "Billing"
    And the context variable "Department" received by Dynamics 365 is "Billing"
    And the context variable "va_LastTopic" received by Dynamics 365 is "Escalate"
    When agent "Alice" accepts
    Then agent "Alice" sees the message to agent "Customer asked for a person. Department: Billing. Reason: Invoice received"
    And agent "Alice" receives the full history

  Scenario: Without a billing question the conversation goes to the general queue
    When the customer says "talk to an agent"
    Then the conversation is routed to queue "General"
    And Dynamics 365 receives the context variables:
      | variable      | value              |
      | va_Topics     | ["Escalate"]       |
      | va_LastPhrase | talk to an agent   |

  Scenario: A redirect to another topic comes back with its output
    When the customer says "where is my order"
    Then the customer sees "What is your order number?"
    When the customer says "it is 12"
    Then the customer sees "Order numbers are between 1000 and 9999. What is your order number?"
    When the customer says "1042"
    Then the topic "Order Lookup" fired
    And the customer sees "Order 1042 is shipped."

  Scenario: An answer that is never a number ends the question with its default value
    When the customer says "track my order"
    And the customer says "I don't know"
    And the customer says "no idea"
    Then the customer sees "Please type the number of your order, for example 1042."
    When the customer says "sorry"
    Then the customer sees "I could not read an order number."
    And the customer does not see "Order  is shipped."

  Scenario: Saying goodbye closes the chat through CloseOmnichannelConversation and a transfer
    When the customer says "bye"
    Then the topic "End of Conversation" fired
    And the customer sees "Can I help with anything else?"
    When the customer says "no thanks"
    Then the customer sees "Thank you for contacting Contoso. Goodbye!"
    And the conversation is closed with reason "ConversationEndedByBot"

  Scenario: Three unrecognized messages escalate
    When the customer says "purple elephants"
    Then the customer sees "I'm sorry, I didn't get that. Could you rephrase it?"
    When the customer says "more purple elephants"
    And the customer says "still purple elephants"
    Then the topic "Escalate" fired
    And the conversation is routed to queue "General"

  Scenario: The Session Timeout topics remind, then close the idle chat
    When the customer says "I have a billing question"
    And 5 minutes pass
    Then the topic "Session Timeout Reminder" fired
    And the customer sees "Are you still there? This chat will close soon if there is no reply."
    When 5 minutes pass
    Then the topic "Session Timeout" fired
    And the customer sees "This chat is closing because there was no activity. Thank you for contacting Contoso."
    And the conversation is closed with reason "ConversationEndedByBot"

  Scenario: A customer message resets the inactivity timers
    When the customer says "I have a billing question"
    And 4 minutes pass
    And the customer says "no"
    And 4 minutes pass
    Then the topic "Session Timeout Reminder" did not fire
    When 1 minute passes
    Then the topic "Session Timeout Reminder" fired

  @protocol:directline
  Scenario: On Copilot Studio's embed code the channel condition keeps the Session Timeout topics silent
    Given the website uses Copilot Studio's embed code
    When the customer says "I have a billing question"
    And 60 minutes pass
    Then the topic "Session Timeout Reminder" did not fire
    And the topic "Session Timeout" did not fire
    And the conversation is still with the copilot
