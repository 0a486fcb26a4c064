import { ScenarioError } from '../../sim/errors';
import type { DataTable } from '@cucumber/cucumber';

export class TableError extends ScenarioError {}

/**
 * Reads a step's table by its header, with errors that name the step, the row and the column and show
 * the header the step expects.
 */
export function readTable(table: DataTable | undefined, step: string, columns: { required: string[]; optional?: string[] }): Array<Record<string, string> & { row: number }> {
  const expectedHeader = `| ${[...columns.required, ...(columns.optional ?? [])].join(' | ')} |`;
  if (!table) throw new TableError(`The step "${step}" needs a table. None was given. Add one under the step with the header: ${expectedHeader}`);
  const [header, ...rows] = table.raw();
  const names = (header ?? []).map((cell) => cell.trim().toLowerCase());
  const known = new Set([...columns.required, ...(columns.optional ?? [])]);
  const unknown = names.filter((name) => !known.has(name));
  const missing = columns.required.filter((name) => !names.includes(name));
  if (unknown.length > 0 || missing.length > 0) {
    throw new TableError(
      `The table of "${step}" has ${unknown.length > 0 ? `unknown columns ${unknown.map((n) => `"${n}"`).join(', ')}` : ''}${unknown.length > 0 && missing.length > 0 ? ' and ' : ''}${missing.length > 0 ? `no column ${missing.map((n) => `"${n}"`).join(', ')}` : ''}. ` +
        `Its header is ${header ? `| ${header.join(' | ')} |` : 'empty'}. Use the header: ${expectedHeader}`,
    );
  }
  return rows.map((cells, index) => {
    const record = Object.fromEntries(names.map((name, column) => [name, (cells[column] ?? '').trim()])) as Record<string, string> & { row: number };
    record.row = index + 1;
    return record;
  });
}

export function cellError(step: string, row: number, column: string, value: string, expected: string): TableError {
  return new TableError(`Row ${row}, column "${column}" of the table of "${step}" is "${value}". ${expected}. Fix that cell.`);
}

export function wholeNumber(step: string, row: { row: number } & Record<string, string>, column: string, fallback?: number): number {
  const value = row[column] ?? '';
  if (value === '' && fallback !== undefined) return fallback;
  const number = Number(value);
  if (!Number.isInteger(number) || number < 0) throw cellError(step, row.row, column, value, 'It must be a whole number of 0 or more');
  return number;
}

export function list(value: string | undefined): string[] {
  return (value ?? '').split(/[;,]/).map((part) => part.trim()).filter(Boolean);
}
