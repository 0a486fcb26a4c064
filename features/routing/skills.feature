@protocol:omnichannel
Feature: Skills-based routing
  Work classification turns context variables into required skills; assignment then offers the
  conversation only to agents with every skill at the required rating (exact matching), or to the
  agents whose skills come closest (closest matching).

  Background:
    Given the copilot "Contoso Assistant" with the topics:
      | topic           | trigger phrases | reply       | sets                                      | then              |
      | Spanish billing | factura         | Un momento. | Language = Spanish; Department = Billing | transfer to agent |
      | Billing         | invoice         | One moment. | Department = Billing                      | transfer to agent |
    And the work classification rules:
      | ruleset  | rule    | condition              | skills     |
      | Language | Spanish | Language = "Spanish"   | Spanish: 3 |
      | Topic    | Billing | Department = "Billing" | Billing    |
    And the agents:
      | agent | queues  | capacity | skills                 |
      | Alice | General | 5        | Billing: 8             |
      | Bruno | General | 1        | Spanish: 4; Billing: 2 |
      | Chen  | General | 3        | Spanish: 2; Billing: 5 |

  Scenario: Exact matching offers the conversation to the only agent with every skill
    When the customer says "factura"
    Then agent "Bruno" is offered the conversation
    And the routing explanation says "Chen: Spanish rated 2, needs 3 (exact skill match)"

  Scenario: With one skill required, the agent with the most free capacity wins
    When the customer says "invoice"
    Then agent "Alice" is offered the conversation

  Scenario: Closest matching falls back to the agents matching the most skills
    Given the work stream:
      | setting        | value   |
      | skill matching | closest |
    When agent "Bruno" becomes Offline
    And the customer says "factura"
    Then agent "Chen" is offered the conversation
    And the routing explanation says "matches 1 of 2 skills"
