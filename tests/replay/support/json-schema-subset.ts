/**
 * A validator for the part of JSON Schema 2020-12 that src/replay/recording.schema.json uses, so the
 * tests can hold recordings against the schema without a dependency. `unsupportedKeywords` lists any
 * keyword of a schema this validator would ignore: the tests require it to be empty.
 */
type Schema = Record<string, unknown>;

const supported = new Set([
  '$schema', '$id', '$ref', '$defs', 'title', 'description', 'examples',
  'type', 'required', 'properties', 'additionalProperties', 'items', 'const', 'enum', 'oneOf', 'minimum', 'pattern',
]);

export function unsupportedKeywords(schema: unknown, path = '#'): string[] {
  if (schema === null || typeof schema !== 'object' || Array.isArray(schema)) return [];
  const found: string[] = [];
  for (const [key, value] of Object.entries(schema)) {
    if (!supported.has(key)) found.push(`${path}/${key}`);
    if (key === 'properties' || key === '$defs') {
      for (const [name, child] of Object.entries(value as Schema)) found.push(...unsupportedKeywords(child, `${path}/${key}/${name}`));
    } else if (key === 'items' || key === 'additionalProperties') {
      found.push(...unsupportedKeywords(value, `${path}/${key}`));
    } else if (key === 'oneOf') {
      (value as unknown[]).forEach((child, index) => found.push(...unsupportedKeywords(child, `${path}/oneOf/${index}`)));
    }
  }
  return found;
}

/** Every violation as `path: problem`; an empty list means valid. */
export function validate(root: Schema, value: unknown): string[] {
  const errors: string[] = [];
  check(root, root, value, '$', errors);
  return errors;
}

function resolve(root: Schema, ref: string): Schema {
  const parts = ref.replace(/^#\//, '').split('/');
  let node: unknown = root;
  for (const part of parts) node = (node as Schema)[part];
  if (!node) throw new Error(`Unresolvable $ref ${ref}`);
  return node as Schema;
}

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number' && Number.isInteger(value)) return 'integer';
  return typeof value;
}

function check(root: Schema, schema: Schema, value: unknown, path: string, errors: string[]): void {
  if (typeof schema.$ref === 'string') check(root, resolve(root, schema.$ref), value, path, errors);
  if (typeof schema.type === 'string') {
    const actual = typeOf(value);
    const ok = schema.type === actual || (schema.type === 'number' && actual === 'integer');
    if (!ok) {
      errors.push(`${path}: expected ${schema.type}, got ${actual}`);
      return;
    }
  }
  if ('const' in schema && JSON.stringify(schema.const) !== JSON.stringify(value)) errors.push(`${path}: expected ${JSON.stringify(schema.const)}`);
  if (Array.isArray(schema.enum) && !schema.enum.some((option) => JSON.stringify(option) === JSON.stringify(value))) {
    errors.push(`${path}: ${JSON.stringify(value)} is not one of ${JSON.stringify(schema.enum)}`);
  }
  if (typeof schema.minimum === 'number' && typeof value === 'number' && value < schema.minimum) errors.push(`${path}: below ${schema.minimum}`);
  if (typeof schema.pattern === 'string' && typeof value === 'string' && !new RegExp(schema.pattern, 'u').test(value)) {
    errors.push(`${path}: ${JSON.stringify(value)} does not match ${schema.pattern}`);
  }
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const record = value as Record<string, unknown>;
    for (const name of (schema.required as string[] | undefined) ?? []) if (!(name in record)) errors.push(`${path}: missing ${name}`);
    const properties = (schema.properties as Record<string, Schema> | undefined) ?? {};
    for (const [name, child] of Object.entries(record)) {
      const propertySchema = properties[name];
      if (propertySchema) check(root, propertySchema, child, `${path}.${name}`, errors);
      else if (schema.additionalProperties === false) errors.push(`${path}: unexpected property ${name}`);
    }
  }
  if (Array.isArray(value) && schema.items) value.forEach((item, index) => check(root, schema.items as Schema, item, `${path}[${index}]`, errors));
  if (Array.isArray(schema.oneOf)) {
    const outcomes = (schema.oneOf as Schema[]).map((option) => {
      const optionErrors: string[] = [];
      check(root, option, value, path, optionErrors);
      return optionErrors;
    });
    const matching = outcomes.filter((optionErrors) => optionErrors.length === 0).length;
    if (matching !== 1) {
      // Show why the closest alternative failed, so a broken entry says what is wrong with it.
      const closest = [...outcomes].sort((a, b) => a.length - b.length)[0] ?? [];
      errors.push(`${path}: matches ${matching} of the oneOf alternatives, not exactly 1${matching === 0 ? ` (closest: ${closest.join('; ')})` : ''}`);
    }
  }
}
