/**
 * The few fields the loader needs from a Dataverse solution export's XML (solution.xml,
 * bots/<schema>/bot.xml, botcomponents/<schema>/botcomponent.xml, environment variable
 * definitions). These files are flat and machine-written; reading named elements is enough, and
 * no XML library is installed.
 */

export interface SolutionManifest {
  uniqueName?: string;
  displayName?: string;
  version?: string;
  /** `<Managed>1</Managed>`; 0 is unmanaged, 2 ("both", SolutionPackager) counts as unmanaged. */
  managed: boolean;
  publisher?: string;
}

export interface BotComponentXml {
  schemaName?: string;
  /** Dataverse componenttype: 9 topic, 10 topic translation, 11 entity, 13 skill, 14 file, 15 GPT, 16 knowledge, 18 settings (as seen in real exports). */
  componentType?: number;
  name?: string;
  description?: string;
  customizable?: boolean;
  /** statecode 0 active, 1 inactive (switched off). */
  active?: boolean;
  language?: number;
  parentBot?: string;
  parentCollection?: string;
  /** The topic a translation belongs to. */
  parentComponent?: string;
}

export interface BotXml {
  schemaName?: string;
  name?: string;
  customizable?: boolean;
  language?: number;
  template?: string;
  authenticationMode?: number;
}

export interface EnvironmentVariableXml {
  schemaName?: string;
  displayName?: string;
  defaultValue?: string;
  type?: string;
}

export function readSolutionManifest(xml: string): SolutionManifest {
  const manifest = element(xml, 'SolutionManifest') ?? xml;
  const publisherAt = manifest.indexOf('<Publisher');
  const own = publisherAt >= 0 ? manifest.slice(0, publisherAt) : manifest;
  const publisher = publisherAt >= 0 ? manifest.slice(publisherAt) : '';
  const uniqueName = text(own, 'UniqueName');
  const displayName = attribute(own, 'LocalizedName', 'description');
  const version = text(own, 'Version');
  const publisherName = text(publisher, 'UniqueName');
  return {
    ...(uniqueName ? { uniqueName } : {}),
    ...(displayName ? { displayName } : {}),
    ...(version ? { version } : {}),
    managed: text(own, 'Managed') === '1',
    ...(publisherName ? { publisher: publisherName } : {}),
  };
}

export function readBotComponentXml(xml: string): BotComponentXml {
  const schemaName = attribute(xml, 'botcomponent', 'schemaname');
  const componentType = numberOf(text(xml, 'componenttype'));
  const name = text(xml, 'name');
  const description = text(xml, 'description');
  const customizable = text(xml, 'iscustomizable');
  const state = text(xml, 'statecode');
  const language = numberOf(text(xml, 'language'));
  const parentBot = nestedSchemaName(xml, 'parentbotid');
  const parentCollection = nestedSchemaName(xml, 'parentbotcomponentcollectionid');
  const parentComponent = nestedSchemaName(xml, 'parentbotcomponentid');
  return {
    ...(schemaName ? { schemaName } : {}),
    ...(componentType !== undefined ? { componentType } : {}),
    ...(name ? { name } : {}),
    ...(description ? { description } : {}),
    ...(customizable !== undefined ? { customizable: customizable === '1' } : {}),
    ...(state !== undefined ? { active: state === '0' } : {}),
    ...(language !== undefined ? { language } : {}),
    ...(parentBot ? { parentBot } : {}),
    ...(parentCollection ? { parentCollection } : {}),
    ...(parentComponent ? { parentComponent } : {}),
  };
}

export function readBotXml(xml: string): BotXml {
  const schemaName = attribute(xml, 'bot', 'schemaname');
  const name = text(xml, 'name');
  const customizable = text(xml, 'iscustomizable');
  const language = numberOf(text(xml, 'language'));
  const template = text(xml, 'template');
  const authenticationMode = numberOf(text(xml, 'authenticationmode'));
  return {
    ...(schemaName ? { schemaName } : {}),
    ...(name ? { name } : {}),
    ...(customizable !== undefined ? { customizable: customizable === '1' } : {}),
    ...(language !== undefined ? { language } : {}),
    ...(template ? { template } : {}),
    ...(authenticationMode !== undefined ? { authenticationMode } : {}),
  };
}

export function readEnvironmentVariableXml(xml: string): EnvironmentVariableXml {
  const schemaName = attribute(xml, 'environmentvariabledefinition', 'schemaname');
  const displayName = attribute(xml, 'displayname', 'default') ?? attribute(xml, 'label', 'description');
  const defaultValue = text(xml, 'defaultvalue');
  const type = text(xml, 'type');
  return {
    ...(schemaName ? { schemaName } : {}),
    ...(displayName ? { displayName } : {}),
    ...(defaultValue !== undefined ? { defaultValue } : {}),
    ...(type ? { type } : {}),
  };
}

function element(xml: string, name: string): string | undefined {
  const match = new RegExp(`<${name}(?:\\s[^>]*)?>([\\s\\S]*?)</${name}>`).exec(xml);
  return match?.[1];
}

function text(xml: string, name: string): string | undefined {
  const inner = element(xml, name);
  return inner === undefined ? undefined : decodeEntities(inner.trim());
}

function attribute(xml: string, elementName: string, attributeName: string): string | undefined {
  const tag = new RegExp(`<${elementName}\\s[^>]*?\\b${attributeName}="([^"]*)"`, 'i').exec(xml);
  return tag?.[1] === undefined ? undefined : decodeEntities(tag[1]);
}

function nestedSchemaName(xml: string, parent: string): string | undefined {
  const inner = element(xml, parent);
  return inner === undefined ? undefined : text(inner, 'schemaname');
}

function numberOf(value: string | undefined): number | undefined {
  if (value === undefined || !/^-?\d+$/.test(value)) return undefined;
  return Number(value);
}

function decodeEntities(value: string): string {
  return value.replace(/&(#x[0-9a-f]+|#\d+|amp|lt|gt|quot|apos);/gi, (whole, entity: string) => {
    const lower = entity.toLowerCase();
    if (lower === 'amp') return '&';
    if (lower === 'lt') return '<';
    if (lower === 'gt') return '>';
    if (lower === 'quot') return '"';
    if (lower === 'apos') return "'";
    const code = lower.startsWith('#x') ? parseInt(lower.slice(2), 16) : parseInt(lower.slice(1), 10);
    return Number.isFinite(code) ? String.fromCodePoint(code) : whole;
  });
}
