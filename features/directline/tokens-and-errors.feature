@protocol:directline
Feature: Direct Line refuses what the real service refuses, with its status and error code
  Tokens are bound to one conversation and live 30 minutes unless refreshed. Every refusal is an
  error body { "error": { "code", "message" } }; DirectLineJS reacts to the status: 403 means an
  expired or invalid token, 404 a conversation that is gone.

  Background:
    Given the copilot "Contoso Assistant" with the topics:
      | topic   | trigger phrases  | reply                    |
      | Billing | billing question | I can help with billing. |

  Scenario: A refreshed token keeps the conversation going after the first one expired
    When the website starts a Direct Line conversation with a token
    And 20 minutes pass
    And the website refreshes its token
    And 15 minutes pass
    And the website sends the message "I have a billing question"
    Then Direct Line answers 200

  Scenario: An expired token is refused with TokenExpired
    When the website starts a Direct Line conversation with a token
    And 31 minutes pass
    And the website sends the message "I have a billing question"
    Then Direct Line answers 403 with the error "TokenExpired"

  Scenario: A token only opens the conversation it was issued for
    When the website starts a Direct Line conversation with a token
    And the website uses another conversation's token
    And the website reads the activities
    Then Direct Line answers 403 with the error "BadArgument"

  Scenario: A conversation the service has forgotten answers 404
    When the website starts a Direct Line conversation with a token
    And Direct Line forgets the conversation
    And the website reads the activities
    Then Direct Line answers 404 with the error "BadArgument"

  Scenario Outline: A bad request gets the service's status and error code: <request>
    When the website starts a Direct Line conversation with a token
    And the website sends <request>
    Then Direct Line answers <status> with the error "<code>"

    Examples:
      | request                        | status | code            |
      | a body that is not JSON        | 400    | BadArgument     |
      | an activity without a type     | 400    | MissingProperty |
      | an activity of an unknown type | 400    | BadArgument     |
      | an event without a name        | 400    | MissingProperty |
      | an activity over 256 KB        | 413    | BadArgument     |
      | without credentials            | 401    | BadArgument     |
      | with a made-up token           | 403    | BadArgument     |
      | to an unknown conversation     | 404    | BadArgument     |
      | a read with a bad watermark    | 400    | BadArgument     |
