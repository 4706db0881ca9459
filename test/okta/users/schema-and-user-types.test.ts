/**
 * The user schema (SDK schemaApi) and user types (userTypeApi), and a custom attribute used on users. Source:
 *  - [spec] okta/okta-management-openapi-spec dist/current/management-minimal.yaml (updateUserProfile)
 */
import { expect, test } from 'vitest';
import { collect, describeOkta, person, refused, sendJson, stateOf, type OktaTarget } from '../../support/okta.js';

const DEFAULT_TYPE_ID = 'otytwindefault000001';
const DEFAULT_SCHEMA_ID = 'osctwindefault000001';
const BASE_PROPERTIES = [
  'login', 'firstName', 'lastName', 'middleName', 'honorificPrefix', 'honorificSuffix', 'email', 'title', 'displayName', 'nickName',
  'profileUrl', 'secondEmail', 'mobilePhone', 'primaryPhone', 'streetAddress', 'city', 'state', 'zipCode', 'countryCode', 'postalAddress',
  'preferredLanguage', 'locale', 'timezone', 'userType', 'employeeNumber', 'costCenter', 'organization', 'division', 'department',
  'managerId', 'manager',
];

/** Adds (or, with null, removes) custom properties of the default schema through the raw API. */
function changeCustom(t: OktaTarget, properties: Record<string, unknown>) {
  return sendJson(t, '/api/v1/meta/schemas/user/default', { definitions: { custom: { id: '#custom', type: 'object', properties, required: [] } } });
}

function changeBase(t: OktaTarget, properties: Record<string, unknown>) {
  return sendJson(t, '/api/v1/meta/schemas/user/default', { definitions: { base: { id: '#base', type: 'object', properties } } });
}

const PASSWORD = 'Tr0ub4dor-Horse9';

function activeUser(t: OktaTarget, first: string, last: string, profile: Record<string, unknown> = {}) {
  return t.client.userApi.createUser({ body: { profile: person(`${first} ${last}`, profile), credentials: { password: { value: PASSWORD } } } });
}

describeOkta('Okta user schema: reading', (t) => {
  test('the default schema lists every base property with its title, and no custom property yet', async () => {
    const res = await t.fetch('/api/v1/meta/schemas/user/default');
    expect(res.status).toBe(200);
    const schema = await res.json();
    expect(schema).toMatchObject({
      id: `${t.baseUrl}/meta/schemas/user/default`,
      $schema: 'http://json-schema.org/draft-04/schema#',
      name: 'user',
      title: 'User',
      created: '2026-01-01T00:00:00.000Z',
      type: 'object',
      properties: { profile: { allOf: [{ $ref: '#/definitions/base' }, { $ref: '#/definitions/custom' }] } },
      _links: { self: { href: `${t.baseUrl}/api/v1/meta/schemas/user/${DEFAULT_SCHEMA_ID}` } },
    });
    expect(Object.keys(schema.definitions.base.properties)).toEqual(BASE_PROPERTIES);
    expect(schema.definitions.base).toMatchObject({ id: '#base', type: 'object', required: ['login', 'firstName', 'lastName', 'email'] });
    expect(schema.definitions.base.properties.login).toMatchObject({ title: 'Username', type: 'string', required: true, minLength: 5, maxLength: 100 });
    expect(schema.definitions.base.properties.email).toMatchObject({ title: 'Primary email', format: 'email', required: true });
    expect(schema.definitions.custom).toEqual({ id: '#custom', type: 'object', properties: {}, required: [] });
  });

  test('the SDK reads the schema by `default` and by its id; the id echoes the path', async () => {
    const byDefault = await t.client.schemaApi.getUserSchema({ schemaId: 'default' });
    expect(byDefault.definitions?.base?.properties?.firstName?.title).toBe('First name');
    const byId = await (await t.fetch(`/api/v1/meta/schemas/user/${DEFAULT_SCHEMA_ID}`)).json();
    expect(byId.id).toBe(`${t.baseUrl}/meta/schemas/user/${DEFAULT_SCHEMA_ID}`);
    expect(byId.definitions).toEqual((await (await t.fetch('/api/v1/meta/schemas/user/default')).json()).definitions);
  });

  test('an unknown schema id is a 404 E0000007, for reading and for updating', async () => {
    const read = await refused(await t.fetch('/api/v1/meta/schemas/user/oscnosuchschema00001'), 404);
    expect(read).toMatchObject({ errorCode: 'E0000007', errorSummary: 'Not found: Resource not found: oscnosuchschema00001 (UserSchema)' });
    expect(read.errorId).toMatch(/^oae[A-Za-z0-9_-]{22}$/);
    const update = await refused(await sendJson(t, '/api/v1/meta/schemas/user/oscnosuchschema00001', { definitions: {} }), 404);
    expect(update.errorCode).toBe('E0000007');
  });
});

describeOkta('Okta user schema: custom properties', (t) => {
  test('a custom property added through the SDK shows in the schema with Okta defaults, and users carry it', async () => {
    await t.control.advanceClock(60_000);
    const updated = await t.client.schemaApi.updateUserProfile({
      schemaId: 'default',
      userSchema: { definitions: { custom: { id: '#custom', type: 'object', properties: { twitterUserName: { title: 'Twitter username', type: 'string', maxLength: 20 } }, required: [] } } } as any,
    });
    expect(updated.lastUpdated).toBe('2026-01-01T00:01:00.000Z');
    const raw = await (await t.fetch('/api/v1/meta/schemas/user/default')).json();
    expect(raw.definitions.custom.properties.twitterUserName).toEqual({
      title: 'Twitter username',
      type: 'string',
      maxLength: 20,
      mutability: 'READ_WRITE',
      scope: 'NONE',
      permissions: [{ principal: 'SELF', action: 'READ_ONLY' }],
      master: { type: 'PROFILE_MASTER' },
    });
    const user = await t.client.userApi.createUser({ body: { profile: person('Tweety Bird', { twitterUserName: 'tweety' }) }, activate: false });
    expect(user.profile?.twitterUserName).toBe('tweety');
  });

  test('a property the schema does not define is refused on create, partial update and replace, and nothing changes', async () => {
    const create = await refused(await sendJson(t, '/api/v1/users?activate=false', { profile: person('Nope Custom', { favoriteColor: 'teal' }) }));
    expect(create).toMatchObject({ errorCode: 'E0000001', errorSummary: 'Api validation failed: newUser', causes: ["Property name 'favoriteColor' is not defined in profile"] });
    expect(Object.values((await stateOf(t)).users).map((u) => u.profile.login)).not.toContain('nope.custom@example.com');

    const user = await t.client.userApi.createUser({ body: { profile: person('Kept Profile') }, activate: false });
    for (const method of ['POST', 'PUT']) {
      const profile = method === 'POST' ? { favoriteColor: 'teal' } : person('Kept Profile', { favoriteColor: 'teal' });
      const update = await refused(await sendJson(t, `/api/v1/users/${user.id}`, { profile }, method));
      expect(update).toMatchObject({ errorSummary: 'Api validation failed: userProfile', causes: ["Property name 'favoriteColor' is not defined in profile"] });
    }
    expect((await stateOf(t)).users[user.id!].profile).not.toHaveProperty('favoriteColor');
  });

  test('every base property is accepted on create', async () => {
    const values = Object.fromEntries(BASE_PROPERTIES.map((name) => [name, `${name} value`]));
    const profile = { ...values, ...person('Base Everything'), secondEmail: 'second@example.com', profileUrl: 'https://example.com/me', countryCode: 'US' };
    const user = await t.client.userApi.createUser({ body: { profile }, activate: false });
    expect(user.profile).toMatchObject({ honorificPrefix: 'honorificPrefix value', managerId: 'managerId value', zipCode: 'zipCode value' });
  });

  test('values of the wrong type are refused, for base and custom properties alike', async () => {
    expect((await changeCustom(t, {
      isContractor: { title: 'Contractor', type: 'boolean' },
      badgeNumber: { title: 'Badge', type: 'integer' },
      rating: { title: 'Rating', type: 'number' },
      skills: { title: 'Skills', type: 'array', items: { type: 'string' } },
    })).status).toBe(200);
    const ok = await t.client.userApi.createUser({ body: { profile: person('Typed Right', { isContractor: true, badgeNumber: 7, rating: 4.5, skills: ['go', 'ts'] }) }, activate: false });
    expect(ok.profile).toMatchObject({ isContractor: true, badgeNumber: 7, rating: 4.5, skills: ['go', 'ts'] });
    const cases: [string, unknown][] = [['isContractor', 'yes'], ['badgeNumber', 1.5], ['rating', '4.5'], ['skills', 'go'], ['skills', ['go', 3]], ['city', 42]];
    for (const [name, value] of cases) {
      const failure = await refused(await sendJson(t, '/api/v1/users?activate=false', { profile: person('Typed Wrong', { [name]: value }) }));
      expect(failure).toMatchObject({ errorCode: 'E0000001', errorSummary: 'Api validation failed: newUser', causes: [`Invalid value data type for property '${name}'`] });
    }
    const nulls = await t.client.userApi.createUser({ body: { profile: person('Typed Null', { isContractor: null, city: null }) }, activate: false });
    expect(nulls.profile?.isContractor).toBeNull();
  });

  test('an enum property takes only its values; a required one cannot be left out; a default fills a missing value', async () => {
    expect((await changeCustom(t, {
      shirtSize: { title: 'Shirt size', type: 'string', enum: ['S', 'M', 'L'] },
      costCode: { title: 'Cost code', type: 'string', required: true },
      region: { title: 'Region', type: 'string', default: 'EMEA' },
    })).status).toBe(200);
    const schema = await (await t.fetch('/api/v1/meta/schemas/user/default')).json();
    expect(schema.definitions.custom.required).toEqual(['costCode']);

    const outside = await refused(await sendJson(t, '/api/v1/users?activate=false', { profile: person('Enum Miss', { shirtSize: 'XL', costCode: 'C1' }) }));
    expect(outside).toMatchObject({ errorSummary: 'Api validation failed: shirtSize', causes: ["shirtSize: Value 'XL' for property 'shirtSize' is not allowed for enum [S, M, L]"] });
    const missing = await refused(await sendJson(t, '/api/v1/users?activate=false', { profile: person('Code Missing', { shirtSize: 'M' }) }));
    expect(missing).toMatchObject({ errorSummary: 'Api validation failed: costCode', causes: ['costCode: The field cannot be left blank'] });

    const user = await t.client.userApi.createUser({ body: { profile: person('All Good', { shirtSize: 'M', costCode: 'C1' }) }, activate: false });
    expect(user.profile).toMatchObject({ shirtSize: 'M', costCode: 'C1', region: 'EMEA' });
  });

  test('setting a custom property to null removes it from the schema and from every profile', async () => {
    await changeCustom(t, { nickname2: { title: 'Second nickname', type: 'string' } });
    const user = await t.client.userApi.createUser({ body: { profile: person('Short Lived', { nickname2: 'Shorty' }) }, activate: false });
    await t.client.schemaApi.updateUserProfile({
      schemaId: 'default',
      userSchema: { definitions: { custom: { id: '#custom', type: 'object', properties: { nickname2: null }, required: [] } } } as any,
    });
    const schema = await (await t.fetch('/api/v1/meta/schemas/user/default')).json();
    expect(schema.definitions.custom.properties).toEqual({});
    expect((await t.client.userApi.getUser({ userId: user.id! })).profile).not.toHaveProperty('nickname2');
    const again = await refused(await sendJson(t, `/api/v1/users/${user.id}`, { profile: { nickname2: 'Back' } }));
    expect(again.causes).toEqual(["Property name 'nickname2' is not defined in profile"]);
  });

  test('a partial update of a custom property keeps its other attributes', async () => {
    await changeCustom(t, { costCode: { title: 'Cost code', type: 'string', maxLength: 20 } });
    await changeCustom(t, { costCode: { title: 'Cost centre code' } });
    const schema = await (await t.fetch('/api/v1/meta/schemas/user/default')).json();
    expect(schema.definitions.custom.properties.costCode).toMatchObject({ title: 'Cost centre code', type: 'string', maxLength: 20 });
  });

  test('a schema read through the SDK and sent back unchanged is accepted as is', async () => {
    await changeCustom(t, { costCode: { title: 'Cost code', type: 'string' } });
    const before = await (await t.fetch('/api/v1/meta/schemas/user/default')).json();
    const schema = await t.client.schemaApi.getUserSchema({ schemaId: 'default' });
    await t.client.schemaApi.updateUserProfile({ schemaId: 'default', userSchema: schema });
    const after = await (await t.fetch('/api/v1/meta/schemas/user/default')).json();
    expect(after.definitions).toEqual(before.definitions);
  });
});

describeOkta('Okta user schema: changes Okta refuses', (t) => {
  async function unchanged(check: () => Promise<void>) {
    const before = structuredClone((await stateOf(t)).userSchemas);
    await check();
    expect((await stateOf(t)).userSchemas).toEqual(before);
  }

  test('a custom property name must be alphanumeric with underscores, not start with a digit, and not reuse a base name', async () => {
    await unchanged(async () => {
      const digit = await refused(await changeCustom(t, { '1st': { title: 'First', type: 'string' } }));
      expect(digit.causes).toEqual(['1st: Invalid property name. Property name should only have alphanumeric characters and underscores. It should not start with a digit.']);
      const dash = await refused(await changeCustom(t, { 'cost-code': { title: 'Cost', type: 'string' } }));
      expect(dash.errorSummary).toBe('Api validation failed: cost-code');
      const base = await refused(await changeCustom(t, { Email: { title: 'Email again', type: 'string' } }));
      expect(base.causes).toEqual(['Email: Custom property names must not conflict with a base property name']);
    });
  });

  test('a new custom property needs a type, an array needs items, and an existing type cannot change', async () => {
    await changeCustom(t, { badge: { title: 'Badge', type: 'string' } });
    await unchanged(async () => {
      expect((await refused(await changeCustom(t, { untyped: { title: 'No type' } }))).causes).toEqual(['untyped.type: The field cannot be left blank']);
      expect((await refused(await changeCustom(t, { roles: { title: 'Roles', type: 'array' } }))).causes).toEqual(['Items not present for array property: roles.']);
      expect((await refused(await changeCustom(t, { badge: { type: 'integer' } }))).causes).toEqual(['badge.type: The type of an existing property cannot be changed']);
      expect((await refused(await changeCustom(t, { odd: { title: 'Odd', type: 'date' } }))).errorCode).toBe('E0000001');
      expect((await refused(await changeCustom(t, { cased: { title: 'Cased', type: 'string' }, BADGE: { title: 'Badge', type: 'string' } }))).causes).toEqual([
        "BADGE: Property name conflicts with the existing property 'badge'",
      ]);
    });
  });

  test('base properties cannot be removed, and only permissions, name nullability and the login pattern can change', async () => {
    await unchanged(async () => {
      expect((await refused(await changeBase(t, { city: null }))).causes).toEqual(['city: Base properties cannot be removed']);
      expect((await refused(await changeBase(t, { city: { title: 'Town' } }))).causes).toEqual([
        'city.title: Only the permissions of a base property, the nullability of firstName and lastName and the pattern of login can be changed',
      ]);
      expect((await refused(await changeBase(t, { email: { required: false } }))).errorSummary).toBe('Api validation failed: email.required');
      expect((await refused(await changeBase(t, { login: { pattern: '^\\w+$' } }))).causes).toEqual(['login.pattern: The pattern must be ".+" or a character set of the form "[...]+"']);
      expect((await refused(await changeBase(t, { shoeSize: { title: 'Shoe size', type: 'string' } }))).causes).toEqual(["Property name 'shoeSize' is not defined in the base profile"]);
    });
  });

  test('a body that is not JSON is E0000003; a wrongly typed attribute is E0000001', async () => {
    const bad = await t.fetch('/api/v1/meta/schemas/user/default', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{' });
    expect((await refused(bad)).errorCode).toBe('E0000003');
    expect((await refused(await changeCustom(t, { badge: { title: 'Badge', type: 'string', maxLength: 'long' } }))).errorCode).toBe('E0000001');
  });
});

describeOkta('Okta user schema: the base changes Okta allows', (t) => {
  test('firstName and lastName can become optional', async () => {
    const res = await changeBase(t, { firstName: { required: false }, lastName: { required: false } });
    expect(res.status).toBe(200);
    expect((await res.json()).definitions.base.required).toEqual(['login', 'email']);
    const user = await t.client.userApi.createUser({ body: { profile: { login: 'mononym@example.com', email: 'mononym@example.com' } }, activate: false });
    expect(user.profile?.login).toBe('mononym@example.com');
  });

  test('a login pattern of ".+" allows any login; a character set restricts logins to it', async () => {
    expect((await changeBase(t, { login: { pattern: '.+' } })).status).toBe(200);
    // Still at least 5 characters: the schema's minLength of login.
    const free = await t.client.userApi.createUser({ body: { profile: { login: 'jdoe1', email: 'jdoe@example.com', firstName: 'J', lastName: 'Doe' } }, activate: false });
    expect(free.profile?.login).toBe('jdoe1');
    expect((await changeBase(t, { login: { pattern: '[a-z.]+' } })).status).toBe(200);
    const refusedLogin = await refused(await sendJson(t, '/api/v1/users?activate=false', { profile: { login: 'JDoe2', email: 'jdoe2@example.com', firstName: 'J', lastName: 'Doe' } }));
    expect(refusedLogin.causes).toEqual(['login: Does not match required pattern']);
    expect((await changeBase(t, { login: { pattern: null } })).status).toBe(200);
    const emailAgain = await refused(await sendJson(t, '/api/v1/users?activate=false', { profile: { login: 'plain', email: 'plain@example.com', firstName: 'P', lastName: 'Lain' } }));
    expect(emailAgain.causes).toEqual(['login: Username must be in the form of an email address']);
  });

  test('the permissions of a base property can change', async () => {
    const res = await changeBase(t, { city: { permissions: [{ principal: 'SELF', action: 'HIDE' }] } });
    expect((await res.json()).definitions.base.properties.city.permissions).toEqual([{ principal: 'SELF', action: 'HIDE' }]);
  });
});

describeOkta('Okta user types', (t) => {
  test('the SDK lists the default user type, named user, with links to itself and its schema', async () => {
    const types = [];
    for await (const type of await t.client.userTypeApi.listUserTypes()) types.push(type);
    expect(types).toHaveLength(1);
    const raw = await (await t.fetch('/api/v1/meta/types/user')).json();
    expect(raw).toEqual([
      {
        id: DEFAULT_TYPE_ID,
        name: 'user',
        displayName: 'User',
        description: 'Okta user profile template with default permission settings',
        createdBy: '00uadmintwin00000001',
        lastUpdatedBy: '00uadmintwin00000001',
        created: '2026-01-01T00:00:00.000Z',
        lastUpdated: '2026-01-01T00:00:00.000Z',
        default: true,
        _links: {
          schema: { rel: 'schema', href: `${t.baseUrl}/api/v1/meta/schemas/user/${DEFAULT_SCHEMA_ID}`, method: 'GET' },
          self: { rel: 'self', href: `${t.baseUrl}/api/v1/meta/types/user/${DEFAULT_TYPE_ID}`, method: 'GET' },
        },
      },
    ]);
  });

  test('a user type is read by id or as `default`; an unknown id is a 404 E0000007', async () => {
    const byId = await t.client.userTypeApi.getUserType({ typeId: DEFAULT_TYPE_ID });
    expect(byId).toMatchObject({ id: DEFAULT_TYPE_ID, name: 'user', displayName: 'User' });
    const byDefault = await (await t.fetch('/api/v1/meta/types/user/default')).json();
    expect(byDefault.id).toBe(DEFAULT_TYPE_ID);
    const missing = await refused(await t.fetch('/api/v1/meta/types/user/otynosuchtype0000001'), 404);
    expect(missing).toMatchObject({ errorCode: 'E0000007', errorSummary: 'Not found: Resource not found: otynosuchtype0000001 (UserType)' });
  });

  test('a user gets the default type; its type and schema links resolve; an unknown type on create is a 404', async () => {
    const user = await t.client.userApi.createUser({ body: { profile: person('Typed User') }, activate: false });
    expect(user.type?.id).toBe(DEFAULT_TYPE_ID);
    const raw = await (await t.fetch(`/api/v1/users/${user.id}`)).json();
    expect(raw._links.schema.href).toBe(`${t.baseUrl}/api/v1/meta/schemas/user/${DEFAULT_SCHEMA_ID}`);
    expect((await t.fetch(raw._links.type.href.slice(t.baseUrl.length))).status).toBe(200);
    expect((await t.fetch(raw._links.schema.href.slice(t.baseUrl.length))).status).toBe(200);
    const explicit = await t.client.userApi.createUser({ body: { profile: person('Default Type'), type: { id: 'default' } }, activate: false });
    expect(explicit.type?.id).toBe(DEFAULT_TYPE_ID);
    const unknown = await refused(await sendJson(t, '/api/v1/users?activate=false', { profile: person('Lost Type'), type: { id: 'otynosuchtype0000001' } }), 404);
    expect(unknown.errorSummary).toBe('Not found: Resource not found: otynosuchtype0000001 (UserType)');
  });
});

describeOkta('Story: HR adds a custom attribute to the user profile, then uses it', (t) => {
  test('after the schema gains costCode (SDK schemaApi.updateUserProfile), users can carry it and be searched by it', async () => {
    // [spec components.schemas.UserProfile]: "You must first add the custom property to the user profile schema before you reference it."
    await t.client.schemaApi.updateUserProfile({
      schemaId: 'default',
      userSchema: { definitions: { custom: { id: '#custom', type: 'object', properties: { costCode: { title: 'Cost code', type: 'string' } }, required: [] } } } as any,
    });
    const user = await activeUser(t, 'Custom', 'Attr', { costCode: 'CC-42' });
    expect(user.profile).toMatchObject({ costCode: 'CC-42' });
    const found = await collect(await t.client.userApi.listUsers({ search: 'profile.costCode eq "CC-42"' }));
    expect(found.map((u) => u.id)).toEqual([user.id]);
  });
});
