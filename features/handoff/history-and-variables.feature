@protocol:omnichannel
Feature: The agent picks up where the copilot stopped
  When the copilot hands off, Dynamics 365 receives the whole conversation and every variable,
  and the agent who accepts sees all of it, in order, with the copilot's private message.

  Background:
    Given the copilot "Contoso Assistant" with the topics:
      | topic    | trigger phrases                      | reply                                   | sets                                 | then              | message to agent                  |
      | Billing  | billing question; my invoice; refund | I can help with billing. What happened? | Department = Billing; Priority = High |                   |                                   |
      | Escalate | talk to a person; speak to an agent  | Let me connect you with an agent.       |                                      | transfer to agent | Customer disputes an invoice      |
    And the queues:
      | queue   | priority |
      | Billing | 1        |
      | General | 5        |
    And the routing rules:
      | rule         | condition            | queue   |
      | Billing team | Department = Billing | Billing |
    And the agents:
      | agent | queues           | capacity |
      | Alice | Billing; General | 2        |

  Scenario: The agent receives the full history, in order, with the copilot's last message
    When the customer says "I have a billing question"
    And the customer says "I was charged twice, talk to a person please"
    And agent "Alice" accepts
    Then agent "Alice" receives the history:
      | from     | message                                      |
      | customer | I have a billing question                    |
      | copilot  | I can help with billing. What happened?      |
      | customer | I was charged twice, talk to a person please |
      | copilot  | Let me connect you with an agent.            |
    And agent "Alice" receives the full history

  Scenario: Every copilot variable reaches Dynamics 365 as a context variable
    When the customer says "I have a billing question"
    And the customer says "talk to a person"
    Then Dynamics 365 receives the context variables:
      | variable        | value                                            |
      | Department      | Billing                                          |
      | Priority        | High                                             |
      | va_Scope        | bot                                              |
      | va_LastTopic    | Escalate                                         |
      | va_Topics       | ["Billing","Escalate"]                           |
      | va_LastPhrase   | talk to a person                                 |
      | va_LastPhrases  | talk to a person                                 |
      | va_Phrases      | ["I have a billing question","talk to a person"] |
      | va_AgentMessage | Customer disputes an invoice                     |
      | va_BotName      | Contoso Assistant                                |
      | va_Language     | en-us                                            |
    And the context variable "va_LastTopic" received by Dynamics 365 is "Escalate"

  Scenario: The agent sees the copilot's private message and resumes the conversation
    When the customer says "refund please"
    And the customer says "speak to an agent"
    And agent "Alice" accepts
    And agent "Alice" says "Hi, I'm Alice. I see you were charged twice."
    Then agent "Alice" sees the message to agent "Customer disputes an invoice"
    And the customer sees "Alice has joined the conversation."
    And the customer sees "Hi, I'm Alice. I see you were charged twice."
