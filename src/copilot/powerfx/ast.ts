import type { SourceLocation } from './errors';

export type BinaryOperator =
  | '||' | '&&' | 'in' | 'exactin'
  | '=' | '<>' | '<' | '<=' | '>' | '>='
  | '&' | '+' | '-' | '*' | '/' | '^';

export type UnaryOperator = '!' | '-' | '%';

/** Every node remembers where it starts (a character offset into `FormulaAst.source`) so errors can point at it. */
export type Expr =
  | { readonly kind: 'number'; readonly value: number; readonly start: number }
  | { readonly kind: 'text'; readonly value: string; readonly start: number }
  | { readonly kind: 'boolean'; readonly value: boolean; readonly start: number }
  /** A dotted name that starts with an identifier: `Topic.Case.Id`, `ThisRecord.Name`, `ChannelId.MsTeams`. */
  | { readonly kind: 'name'; readonly path: readonly string[]; readonly start: number }
  /** Field access on a computed value: `First(Topic.Rows).Name`. */
  | { readonly kind: 'member'; readonly object: Expr; readonly field: string; readonly start: number }
  | { readonly kind: 'call'; readonly name: string; readonly args: readonly Expr[]; readonly start: number }
  | { readonly kind: 'unary'; readonly operator: UnaryOperator; readonly operand: Expr; readonly start: number }
  | { readonly kind: 'binary'; readonly operator: BinaryOperator; readonly left: Expr; readonly right: Expr; readonly start: number }
  | { readonly kind: 'record'; readonly fields: readonly RecordField[]; readonly start: number }
  | { readonly kind: 'table'; readonly items: readonly Expr[]; readonly start: number }
  /** `$"Hello {Topic.Name}"`: literal parts and expressions, in order. */
  | { readonly kind: 'interpolation'; readonly parts: readonly (string | Expr)[]; readonly start: number }
  /** `ForAll(Topic.Plans As plan, ...)`: names the record scope of a table function. */
  | { readonly kind: 'as'; readonly value: Expr; readonly name: string; readonly start: number };

export interface RecordField {
  readonly name: string;
  readonly value: Expr;
}

/** A parsed formula: the text it came from, where that text sits in its file, and the expression tree. */
export interface FormulaAst {
  /** The formula as given to `parseFormula`, leading `=` included if it had one. */
  readonly source: string;
  /** The location of the first character of `source` in its file, when the caller knows it. */
  readonly where: SourceLocation | undefined;
  readonly body: Expr;
}
