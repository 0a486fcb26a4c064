@protocol:omnichannel
Feature: Routing by the copilot's language and by the topic that escalated
  The copilot hands over va_Language and va_LastTopic with its own variables; route-to-queue rules
  test them like any other context variable, first match wins.

  Background:
    Given the copilot "Asistente Contoso" in "es-es" with the topics:
      | topic    | trigger phrases    | reply                       | then              |
      | Refunds  | reembolso          | Le ayudo con el reembolso.  | transfer to agent |
      | Escalate | hablar con alguien | Le paso con un agente.      | transfer to agent |
    And the queues:
      | queue   | routed when              |
      | Refunds | va_LastTopic = "Refunds" |
      | Spanish | va_Language = "es-es"    |
      | General |                          |
    And the agents:
      | agent | queues  |
      | Rita  | Refunds |
      | Sara  | Spanish |
      | Gus   | General |

  Scenario: A Spanish conversation goes to the Spanish queue
    When the customer says "hablar con alguien"
    Then the conversation is routed to queue "Spanish"
    And agent "Sara" is offered the conversation
    And the routing explanation says 'rule "Refunds" did not match: va_LastTopic is "Escalate"'

  Scenario: The topic that escalated routes before the language
    When the customer says "quiero un reembolso"
    Then the conversation is routed to queue "Refunds"
    And agent "Rita" is offered the conversation
