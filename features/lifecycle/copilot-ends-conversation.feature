@protocol:omnichannel
Feature: The copilot ends a bot-only conversation
  A copilot that sets CloseOmnichannelConversation to true and then transfers asks Dynamics 365 to
  end the chat instead of escalating it; nobody is offered it.

  Background:
    Given the copilot "Contoso Assistant" with the topics:
      | topic    | trigger phrases  | reply                             | sets                                | then              |
      | Goodbye  | bye              | Thanks for chatting, goodbye!     | CloseOmnichannelConversation = true | transfer to agent |
      | Escalate | talk to a person | Let me connect you with an agent. |                                     | transfer to agent |
    And the agents:
      | agent | queues  |
      | Alice | General |

  Scenario: CloseOmnichannelConversation then transfer closes the chat
    When the customer says "bye"
    Then the customer sees "Thanks for chatting, goodbye!"
    And the conversation is closed with reason "ConversationEndedByBot"
    And the session of "Contoso Assistant" is closed with reason "VirtualAgentClosed"

  Scenario: Without the variable the same transfer escalates
    When the customer says "talk to a person"
    Then agent "Alice" is offered the conversation
    And the session of "Contoso Assistant" is closed with reason "VirtualAgentClosed"
