/**
 * Power Fx functions that exist but that this engine does not implement, so that an unimplemented call
 * is reported as "not implemented" rather than "unknown". Names from the Power Fx formula reference
 * (learn.microsoft.com/power-platform/power-fx/formula-reference-overview) and the list of functions
 * Copilot Studio supports (microsoft/skills-for-copilot-studio, skills/int-reference/SKILL.md).
 */
export const knownPowerFxFunctions: ReadonlySet<string> = new Set([
  'Acceleration', 'Acos', 'Acot', 'AddColumns', 'AIClassify', 'AIExtract', 'AIReply', 'AISentiment', 'AISummarize', 'AITranslate',
  'AsType', 'Asin', 'Assert', 'Atan', 'Atan2', 'Back', 'Calendar', 'Choices', 'Clear', 'ClearCollect', 'Clock', 'Collect',
  'Color', 'ColorFade', 'ColorValue', 'Column', 'ColumnNames', 'Count', 'CountA', 'Cos', 'Cot', 'DataSourceInfo', 'Dec2Hex',
  'Degrees', 'Disable', 'DropColumns', 'EDate', 'EncodeHTML', 'EOMonth', 'Enable', 'Error', 'Exit', 'Exp', 'Font',
  'GroupBy', 'Hex2Dec', 'HashTags', 'IsType', 'ISOWeekNum', 'JSON', 'Language', 'Launch', 'Ln', 'Log',
  'Match', 'MatchAll', 'Navigate', 'Notify', 'Param', 'Patch', 'Pi', 'PlainText', 'Radians', 'Rand', 'RandBetween',
  'ReadNFC', 'RecordInfo', 'Refresh', 'Relate', 'Remove', 'RemoveIf', 'RenameColumns', 'Reset', 'Revert', 'RGBA', 'Search',
  'Select', 'Set', 'SetFocus', 'SetProperty', 'Shuffle', 'Sin', 'StdevP', 'SubmitForm', 'Summarize', 'Tan', 'Trace',
  'Ungroup', 'Unrelate', 'Update', 'UpdateContext', 'UpdateIf', 'User', 'UTCNow', 'UTCToday', 'Validate', 'VarP', 'WeekNum',
  'TimeZoneOffset',
]);
