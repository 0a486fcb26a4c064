@protocol:omnichannel
Feature: Queues keep operating hours
  Operating hours are evaluated in the queue's time zone on the virtual clock. Out of hours the
  queue's overflow action runs before queueing: end the conversation with the configured message,
  or transfer it; a queue without an out-of-hours action takes the conversation anyway.

  Background:
    Given the copilot "Contoso Assistant" with the topics:
      | topic   | trigger phrases | reply       | sets                  | then              |
      | Billing | billing         | One moment. | Department = Billing  | transfer to agent |
      | Sales   | buy something   | One moment. | Department = Sales    | transfer to agent |
      | Returns | return an item  | One moment. | Department = Returns  | transfer to agent |
    And the queues:
      | queue   | routed when            | operating hours                  | overflow                                                                              |
      | Billing | Department = "Billing" | Mon-Fri 09:00-17:00 Europe/Paris | out of operating hours: end conversation "Billing is open 9 to 5, Monday to Friday." |
      | Sales   | Department = "Sales"   | Mon-Fri 09:00-17:00 Europe/Paris | out of operating hours: transfer to General                                           |
      | Returns | Department = "Returns" | Sat-Sun 10:00-16:00 Europe/Paris |                                                                                       |
      | General |                        |                                  |                                                                                       |
    And the agents:
      | agent | queues                            |
      | Alice | Billing; Sales; Returns; General |

  Scenario: Within the operating hours the conversation is queued
    When the customer says "billing"
    Then the conversation is routed to queue "Billing"
    And the routing explanation says 'queue "Billing" is not overflowing (it is Mon 10:00 Europe/Paris'

  Scenario: Out of hours the conversation ends with the configured message
    Given the scenario starts at "2026-01-05T19:30:00+01:00"
    When the customer says "billing"
    Then the customer sees "Billing is open 9 to 5, Monday to Friday."
    And the conversation is closed with reason "ClosedDueToOverflow"
    And the routing explanation says "out of operating hours (it is Mon 19:30 Europe/Paris"

  Scenario: Out of hours the sales queue transfers to the general queue
    Given the scenario starts at "2026-01-10T11:00:00+01:00"
    When the customer says "buy something"
    Then the conversation is routed to queue "General"
    And the routing explanation says 'overflow action: transfer to queue "General"'

  Scenario: A queue without an out-of-hours action takes the conversation anyway
    When the customer says "return an item"
    Then the conversation is routed to queue "Returns"
    And the routing explanation says 'overflow action: assign to queue "Returns" anyway'
