import { FxError } from '../values';
import { invalid, textArg } from './helpers';
import type { FunctionTable } from './types';

// ParseJSON returns Power Fx "untyped objects". This engine has no static types, so the parsed JSON is
// used as it is: objects are records, arrays are tables (a scalar row reads as { Value: row }), null is
// Blank. Text(), Value(), Boolean(), field access and table functions then work on it directly.

export const jsonFunctions: FunctionTable = {
  ParseJSON: {
    minArgs: 1, maxArgs: 2,
    call([value], call) {
      if (value === undefined) return undefined;
      const text = textArg(value, call);
      if (text instanceof FxError) return text;
      try {
        const parsed: unknown = JSON.parse(text);
        return parsed === null ? undefined : (parsed as ReturnType<FunctionTable[string]['call']>);
      } catch (error) {
        return invalid(call, `the text is not JSON (${error instanceof Error ? error.message : String(error)})`);
      }
    },
  },
};
