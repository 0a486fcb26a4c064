@protocol:omnichannel
Feature: Persistent chat waits for the customer
  In persistent chat an agent who closes the session without ending the conversation leaves the
  work item Waiting for the customer; it is auto-closed after the work stream's inactivity time.
  Live chat never waits: the conversation goes back to its queue.

  Background:
    Given the copilot "Contoso Assistant" with the topics:
      | topic    | trigger phrases  | reply                             | then              |
      | Escalate | talk to a person | Let me connect you with an agent. | transfer to agent |
    And the work stream:
      | setting            | value           |
      | channel            | persistent chat |
      | Waiting auto-close | 2 hours         |
    And the agents:
      | agent | queues  |
      | Alice | General |

  Scenario: Closing the session without ending it leaves the item Waiting
    When the customer says "talk to a person"
    And agent "Alice" accepts
    And agent "Alice" closes the session
    Then the work item status is "Waiting" with reason "AwaitingCustomerResponse"
    And the conversation is waiting for the customer

  Scenario: A Waiting item is auto-closed after the inactivity time
    When the customer says "talk to a person"
    And agent "Alice" accepts
    And agent "Alice" closes the session
    And 2 hours pass
    Then the conversation is closed with reason "AutoClosedFromWaitingState"

  Scenario: The customer comes back and the conversation is routed again
    When the customer says "talk to a person"
    And agent "Alice" accepts
    And agent "Alice" closes the session
    And the customer says "I am back"
    Then agent "Alice" is offered the conversation
