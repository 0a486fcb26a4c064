@protocol:omnichannel
Feature: Idle chats are reminded, then closed, by the copilot's inactivity topics
  A copilot created from Dynamics 365 has a "Session Timeout Reminder" and a "Session Timeout" topic.
  Their inactivity triggers apply on the Dynamics 365 channel only; any customer message resets them.

  Background:
    Given the copilot "Contoso Assistant" with the topics:
      | topic    | trigger phrases       | reply                      |
      | Greeting | hello; hi there       | Hello! How can I help?     |
      | Hours    | opening hours         | We are open 9 to 5.        |
    And the copilot's inactivity topics:
      | topic                    | inactive for | channel      | message                                        | then             |
      | Session Timeout Reminder | 5 minutes    | Dynamics 365 | Are you still there?                           |                  |
      | Session Timeout          | 10 minutes   | Dynamics 365 | This chat is closing because of inactivity.    | end conversation |

  Scenario: The reminder comes first, then the timeout closes the chat
    When the customer says "hello"
    And 5 minutes pass
    Then the customer sees "Are you still there?"
    When 5 minutes pass
    Then the customer sees "This chat is closing because of inactivity."
    And the conversation is closed with reason "ConversationEndedByBot"

  Scenario: Ten silent minutes in one jump still fire the reminder before the timeout
    When the customer says "hello"
    And 10 minutes pass
    Then the customer sees "Are you still there?"
    And the conversation is closed with reason "ConversationEndedByBot"

  Scenario: The reminder is waited for on virtual time
    When the customer says "hello"
    And 4 minutes pass
    Then within 2 minutes the customer sees "Are you still there?"

  Scenario: A customer message resets the inactivity timers
    When the customer says "hello"
    And 4 minutes pass
    And the customer says "opening hours"
    And 4 minutes pass
    Then the customer does not see "Are you still there?"
    When 1 minute passes
    Then the customer sees "Are you still there?"
    And the conversation is still with the copilot

  Scenario: On another channel the Dynamics 365 inactivity topics never fire
    Given the website uses Copilot Studio's embed code
    When the customer says "hello"
    And 60 minutes pass
    Then the customer does not see "Are you still there?"
    And the conversation is still with the copilot
