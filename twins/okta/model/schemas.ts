import { isDeepStrictEqual } from 'node:util';
import { copyJson } from '../../../src/index.js';
import { notFound, OktaError } from '../errors.js';
import type { Ctx, OktaState, OktaUserSchema, RequestCtx } from '../types.js';
import { nowIso } from './ids.js';
import { defaultUserType } from './user-types.js';

type Attribute = Record<string, any>;

/** A schema problem: the property (or property path) it concerns, null when it concerns the whole object. */
export interface ProfileCause {
  property: string | null;
  summary: string;
}

const SCHEMA_DESCRIPTION = 'Okta user profile template with default permission settings';
const NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;
const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
/** A login pattern is `.+` or a character set `[...]+` (Okta's Schemas API, "Login pattern validation"). */
const LOGIN_PATTERN_FORM = /^(\.\+|\[.+\]\+)$/;
/** Base attribute keys an org may change: permissions everywhere, nullability of the names, the login pattern. */
const CHANGEABLE_BASE_KEYS: Record<string, readonly string[]> = {
  firstName: ['permissions', 'required'],
  lastName: ['permissions', 'required'],
  login: ['permissions', 'pattern'],
};
const CUSTOM_DEFAULTS = { mutability: 'READ_WRITE', scope: 'NONE', permissions: [{ principal: 'SELF', action: 'READ_ONLY' }], master: { type: 'PROFILE_MASTER' } };

function baseAttribute(title: string, selfAction: 'READ_WRITE' | 'READ_ONLY' | 'HIDE', extra: Attribute = {}): Attribute {
  const { required, format, minLength, maxLength } = extra;
  return {
    title,
    type: 'string',
    ...(required ? { required } : {}),
    ...(format ? { format } : {}),
    mutability: 'READ_WRITE',
    scope: 'NONE',
    ...(minLength !== undefined ? { minLength } : {}),
    ...(maxLength !== undefined ? { maxLength } : {}),
    permissions: [{ principal: 'SELF', action: selfAction }],
    master: { type: 'PROFILE_MASTER' },
  };
}

/**
 * Okta's `#base` user properties, in the order Okta lists them, with their titles, formats and lengths
 * (Okta's Schemas API "User Profile base subschema" and the management spec's UserProfile).
 */
const BASE_PROPERTIES: Readonly<Record<string, Attribute>> = {
  login: baseAttribute('Username', 'READ_WRITE', { required: true, minLength: 5, maxLength: 100 }),
  firstName: baseAttribute('First name', 'READ_WRITE', { required: true, minLength: 1, maxLength: 50 }),
  lastName: baseAttribute('Last name', 'READ_WRITE', { required: true, minLength: 1, maxLength: 50 }),
  middleName: baseAttribute('Middle name', 'READ_ONLY'),
  honorificPrefix: baseAttribute('Honorific prefix', 'READ_ONLY'),
  honorificSuffix: baseAttribute('Honorific suffix', 'READ_ONLY'),
  email: baseAttribute('Primary email', 'READ_WRITE', { required: true, format: 'email', minLength: 5, maxLength: 100 }),
  title: baseAttribute('Title', 'READ_ONLY'),
  displayName: baseAttribute('Display name', 'READ_ONLY'),
  nickName: baseAttribute('Nickname', 'READ_ONLY'),
  profileUrl: baseAttribute('Profile Url', 'READ_ONLY', { format: 'uri' }),
  secondEmail: baseAttribute('Secondary email', 'READ_WRITE', { format: 'email', maxLength: 100 }),
  mobilePhone: baseAttribute('Mobile phone', 'READ_WRITE', { minLength: 0, maxLength: 100 }),
  primaryPhone: baseAttribute('Primary phone', 'READ_WRITE', { minLength: 0, maxLength: 100 }),
  streetAddress: baseAttribute('Street address', 'READ_WRITE', { maxLength: 1024 }),
  city: baseAttribute('City', 'READ_WRITE', { maxLength: 128 }),
  state: baseAttribute('State', 'READ_WRITE', { maxLength: 128 }),
  zipCode: baseAttribute('Zip code', 'READ_WRITE', { maxLength: 50 }),
  countryCode: baseAttribute('Country code', 'READ_WRITE', { format: 'country-code', maxLength: 2 }),
  postalAddress: baseAttribute('Postal Address', 'READ_WRITE', { maxLength: 4096 }),
  preferredLanguage: baseAttribute('Preferred language', 'READ_ONLY', { format: 'language-code' }),
  locale: baseAttribute('Locale', 'READ_ONLY', { format: 'locale' }),
  timezone: baseAttribute('Time zone', 'READ_ONLY', { format: 'timezone' }),
  userType: baseAttribute('User type', 'READ_ONLY'),
  employeeNumber: baseAttribute('Employee number', 'READ_ONLY'),
  costCenter: baseAttribute('Cost center', 'READ_ONLY'),
  organization: baseAttribute('Organization', 'READ_ONLY'),
  division: baseAttribute('Division', 'READ_ONLY'),
  department: baseAttribute('Department', 'READ_ONLY'),
  managerId: baseAttribute('ManagerId', 'READ_ONLY'),
  manager: baseAttribute('Manager', 'READ_ONLY'),
};

const BASE_NAMES_LOWER = new Set(Object.keys(BASE_PROPERTIES).map((name) => name.toLowerCase()));

/** The schema of the given user type (the default type when the id is unknown). */
export function schemaForType(state: OktaState, typeId: string): OktaUserSchema {
  const type = state.userTypes[typeId] ?? defaultUserType(state);
  return state.userSchemas[type.schemaId];
}

/** `default` or a schema id, as the Schemas API takes it in the path. */
export function requireSchema(state: OktaState, schemaId: string): OktaUserSchema {
  const schema = schemaId === 'default' ? state.userSchemas[defaultUserType(state).schemaId] : state.userSchemas[schemaId];
  if (!schema) throw notFound(schemaId, 'UserSchema');
  return schema;
}

function effectiveBase(schema: OktaUserSchema): Record<string, Attribute> {
  const out: Record<string, Attribute> = Object.create(null);
  for (const [name, attribute] of Object.entries(BASE_PROPERTIES)) {
    // Read-only views: callers check and serialize them, never change them, so a shallow merge is enough.
    const merged: Attribute = { ...attribute, ...(schema.base[name] ?? {}) };
    for (const key of Object.keys(merged)) if (merged[key] === null || merged[key] === false) delete merged[key];
    out[name] = merged;
  }
  return out;
}

function requiredNames(properties: Record<string, Attribute>): string[] {
  return Object.entries(properties)
    .filter(([, attribute]) => attribute.required === true)
    .map(([name]) => name);
}

/** A user schema as Okta sends it: `id` echoes the path's schema id (`default` or `osc…`). */
export function schemaJson(ctx: RequestCtx, schema: OktaUserSchema, requestedId: string): Record<string, unknown> {
  const base = effectiveBase(schema);
  return {
    id: `${ctx.baseUrl}/meta/schemas/user/${requestedId}`,
    $schema: 'http://json-schema.org/draft-04/schema#',
    name: 'user',
    title: schema.title,
    description: SCHEMA_DESCRIPTION,
    lastUpdated: schema.lastUpdated,
    created: schema.created,
    definitions: {
      base: { id: '#base', type: 'object', properties: base, required: requiredNames(base) },
      custom: { id: '#custom', type: 'object', properties: copyJson(schema.custom), required: requiredNames(schema.custom) },
    },
    type: 'object',
    properties: { profile: { allOf: [{ $ref: '#/definitions/base' }, { $ref: '#/definitions/custom' }] } },
    _links: { self: { href: `${ctx.baseUrl}/api/v1/meta/schemas/user/${schema.id}` } },
  };
}

function isBlank(value: unknown): boolean {
  return value === undefined || value === null || (typeof value === 'string' && value.trim() === '') || (Array.isArray(value) && value.length === 0);
}

function hasType(value: unknown, type: string): boolean {
  switch (type) {
    case 'string':
      return typeof value === 'string';
    case 'boolean':
      return typeof value === 'boolean';
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'integer':
      return Number.isInteger(value);
    default:
      return Array.isArray(value);
  }
}

function loginMatches(login: string, pattern: string | undefined): boolean {
  if (!pattern) return EMAIL_PATTERN.test(login);
  if (pattern === '.+') return login.length > 0;
  return new RegExp(`^${pattern}$`).test(login);
}

/** Fills in the `default` of custom properties a new or replaced profile leaves out. */
export function withCustomDefaults(state: OktaState, typeId: string, profile: Record<string, any>): Record<string, any> {
  const out = { ...profile };
  for (const [name, attribute] of Object.entries(schemaForType(state, typeId).custom)) {
    if (out[name] === undefined && attribute.default !== undefined) out[name] = copyJson(attribute.default);
  }
  return out;
}

/**
 * What is wrong with a profile under its type's schema: blank required properties, a login or email that does
 * not fit, values of the wrong type or outside an enum, and properties the schema does not define.
 * Okta refuses an undefined property with "Property name '{name}' is not defined in profile"
 * (github.com/stormpath/stormpath-sdk-java/issues/1335) and an enum miss with
 * "{name}: Value '{value}' for property '{name}' is not allowed for enum [...]" (Okta support, Rippling article).
 */
export function profileCauses(state: OktaState, typeId: string, profile: Record<string, any>): ProfileCause[] {
  const schema = schemaForType(state, typeId);
  const base = effectiveBase(schema);
  // No prototype: profile keys come from the request, and `toString` or `constructor` must read as undefined.
  const all: Record<string, Attribute> = Object.assign(Object.create(null), base, schema.custom);
  const causes: ProfileCause[] = [];
  const field = (property: string, summary: string) => causes.push({ property, summary: `${property}: ${summary}` });
  for (const [name, attribute] of Object.entries(all)) {
    if (attribute.required === true && isBlank(profile[name])) field(name, 'The field cannot be left blank');
  }
  // Okta adds the login format cause even to a blank login (as the rapid7/insightconnect-plugins#315 log shows).
  if (!loginMatches(typeof profile.login === 'string' ? profile.login : '', base.login.pattern)) {
    field('login', base.login.pattern ? 'Does not match required pattern' : 'Username must be in the form of an email address');
  }
  for (const name of ['email', 'secondEmail']) {
    const value = profile[name];
    if (typeof value === 'string' && value.trim() !== '' && !EMAIL_PATTERN.test(value)) field(name, 'Does not match required pattern');
  }
  for (const [name, value] of Object.entries(profile)) {
    const attribute = all[name];
    if (!attribute) {
      causes.push({ property: null, summary: `Property name '${name}' is not defined in profile` });
      continue;
    }
    if (value === null || value === undefined) continue;
    if (!hasType(value, attribute.type) || (attribute.type === 'array' && !value.every((item: unknown) => hasType(item, attribute.items?.type ?? 'string')))) {
      causes.push({ property: null, summary: `Invalid value data type for property '${name}'` });
      continue;
    }
    // Lengths count characters as Okta's schema states them (minLength/maxLength); the wording is the twin's own.
    if (typeof value === 'string' && typeof attribute.maxLength === 'number' && [...value].length > attribute.maxLength) {
      field(name, `The field cannot be longer than ${attribute.maxLength} characters`);
    } else if (typeof value === 'string' && value !== '' && typeof attribute.minLength === 'number' && [...value].length < attribute.minLength) {
      field(name, `The field cannot be shorter than ${attribute.minLength} characters`);
    }
    const allowed: unknown[] | undefined = attribute.type === 'array' ? attribute.items?.enum : attribute.enum;
    const outside = allowed ? (Array.isArray(value) ? value : [value]).find((item) => !allowed.some((option) => isDeepStrictEqual(option, item))) : undefined;
    if (outside !== undefined) field(name, `Value '${String(outside)}' for property '${name}' is not allowed for enum [${allowed!.join(', ')}]`);
  }
  return causes;
}

function schemaRefused(causes: ProfileCause[]): OktaError {
  return new OktaError('E0000001', { detail: causes[0].property ?? 'userSchema', causes: causes.map((cause) => cause.summary) });
}

function withoutNulls(attribute: Attribute): Attribute {
  return Object.fromEntries(Object.entries(attribute).filter(([, value]) => value !== null && value !== undefined));
}

function changeCustom(schema: OktaUserSchema, changes: Record<string, Attribute | null>, causes: ProfileCause[], removed: string[]): void {
  const field = (property: string, summary: string) => causes.push({ property, summary: `${property}: ${summary}` });
  for (const [name, change] of Object.entries(changes)) {
    if (!NAME_PATTERN.test(name)) {
      field(name, 'Invalid property name. Property name should only have alphanumeric characters and underscores. It should not start with a digit.');
      continue;
    }
    if (BASE_NAMES_LOWER.has(name.toLowerCase())) {
      field(name, 'Custom property names must not conflict with a base property name');
      continue;
    }
    const existing = schema.custom[name];
    if (change === null) {
      if (existing) {
        delete schema.custom[name];
        removed.push(name);
      }
      continue;
    }
    const clash = Object.keys(schema.custom).find((other) => other !== name && other.toLowerCase() === name.toLowerCase());
    if (clash) {
      field(name, `Property name conflicts with the existing property '${clash}'`);
      continue;
    }
    if (existing && change.type !== undefined && change.type !== existing.type) {
      field(`${name}.type`, 'The type of an existing property cannot be changed');
      continue;
    }
    const next = withoutNulls({ ...(existing ?? CUSTOM_DEFAULTS), ...change });
    if (next.type === undefined) {
      field(`${name}.type`, 'The field cannot be left blank');
      continue;
    }
    // Okta's own words for an array property without items (github.com/okta/okta-sdk-java/issues/1564).
    if (next.type === 'array' && !next.items?.type) {
      causes.push({ property: null, summary: `Items not present for array property: ${name}.` });
      continue;
    }
    schema.custom[name] = copyJson(next);
  }
}

function changeBase(schema: OktaUserSchema, changes: Record<string, Attribute | null>, causes: ProfileCause[]): void {
  const current = effectiveBase(schema);
  const field = (property: string, summary: string) => causes.push({ property, summary: `${property}: ${summary}` });
  for (const [name, change] of Object.entries(changes)) {
    if (!current[name]) {
      causes.push({ property: null, summary: `Property name '${name}' is not defined in the base profile` });
      continue;
    }
    if (change === null) {
      field(name, 'Base properties cannot be removed');
      continue;
    }
    const changeable = CHANGEABLE_BASE_KEYS[name] ?? ['permissions'];
    for (const [key, value] of Object.entries(change)) {
      const unchanged = isDeepStrictEqual(value ?? undefined, current[name][key]) || (key === 'required' && value === false && current[name][key] === undefined);
      if (unchanged) continue;
      if (!changeable.includes(key)) {
        field(`${name}.${key}`, 'Only the permissions of a base property, the nullability of firstName and lastName and the pattern of login can be changed');
        continue;
      }
      if (key === 'pattern' && value !== null && !(typeof value === 'string' && LOGIN_PATTERN_FORM.test(value))) {
        field('login.pattern', 'The pattern must be ".+" or a character set of the form "[...]+"');
        continue;
      }
      if (key === 'pattern' && typeof value === 'string') {
        try {
          new RegExp(value);
        } catch {
          field('login.pattern', 'The pattern must be ".+" or a character set of the form "[...]+"');
          continue;
        }
      }
      schema.base[name] = { ...schema.base[name], [key]: key === 'required' ? value === true : value };
    }
  }
}

/**
 * Applies a schema update (Okta's updateUserProfile) to a copy, so a refused update changes nothing: base
 * properties change only where Okta allows, custom ones are added, changed or (set to null) removed. Removing a
 * property removes its values from the profiles of the users of that schema.
 */
export function updateSchema(ctx: Ctx, schema: OktaUserSchema, body: Record<string, any>): OktaUserSchema {
  const draft = copyJson(schema);
  const causes: ProfileCause[] = [];
  const removed: string[] = [];
  changeBase(draft, body.definitions?.base?.properties ?? {}, causes);
  changeCustom(draft, body.definitions?.custom?.properties ?? {}, causes, removed);
  if (causes.length > 0) throw schemaRefused(causes);
  if (typeof body.title === 'string' && body.title.trim() !== '') draft.title = body.title;
  draft.lastUpdated = nowIso(ctx);
  ctx.state.userSchemas[schema.id] = draft;
  if (removed.length > 0) {
    for (const user of Object.values(ctx.state.users)) {
      if (schemaForType(ctx.state, user.type.id).id !== schema.id) continue;
      for (const name of removed) delete user.profile[name];
    }
  }
  return draft;
}
