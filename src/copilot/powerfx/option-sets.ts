import { dateTimeFormats } from './format';

/**
 * Option sets a formula can name without a scope. `closed` sets list every member (a typo is an error);
 * `open` sets accept any member, because their member lists are not fully published
 * (ChannelId: BotSchema.json enum_ChannelId_*, docs/copilot-topic-yaml.md §3.2).
 */
export const optionSets: ReadonlyMap<string, { readonly members: ReadonlySet<string> | 'open' }> = new Map([
  ['DateTimeFormat', { members: new Set([...Object.keys(dateTimeFormats), 'UTC']) }],
  ['TimeUnit', { members: new Set(['Milliseconds', 'Seconds', 'Minutes', 'Hours', 'Days', 'Months', 'Quarters', 'Years']) }],
  ['SortOrder', { members: new Set(['Ascending', 'Descending']) }],
  ['StartOfWeek', { members: new Set(['Sunday', 'Monday', 'MondayZero', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday']) }],
  ['JSONFormat', { members: 'open' }],
  ['ChannelId', { members: 'open' }],
  ['SignInReason', { members: 'open' }],
]);

/**
 * Match and MatchOptions members are text in Power Fx (they are meant to be concatenated into patterns),
 * so they evaluate to strings. Patterns from learn.microsoft.com/power-platform/power-fx/reference/function-ismatch.
 */
export const textEnums: ReadonlyMap<string, Readonly<Record<string, string>>> = new Map<string, Readonly<Record<string, string>>>([
  ['Match', {
    Any: '.', Comma: ',', Digit: '\\d', Email: '.+@.+\\.[^.]{2,}', Hyphen: '\\-', LeftParen: '\\(', Letter: '\\p{L}',
    MultipleDigits: '\\d+', MultipleLetters: '\\p{L}+', MultipleNonSpaces: '\\S+', MultipleSpaces: '\\s+', NonSpace: '\\S',
    OptionalDigits: '\\d*', OptionalLetters: '\\p{L}*', OptionalNonSpaces: '\\S*', OptionalSpaces: '\\s*', Period: '\\.',
    RightParen: '\\)', Space: '\\s', Tab: '\\t',
  }],
  ['MatchOptions', { BeginsWith: '^c', Complete: '^c$', Contains: 'c', EndsWith: 'c$', IgnoreCase: 'i', Multiline: 'm' }],
]);

/** The variable scopes of Copilot Studio (docs/copilot-topic-yaml.md §3.1); their names go to env.getVariable. */
export const variableScopes: ReadonlySet<string> = new Set(['Topic', 'Global', 'System', 'Env']);
