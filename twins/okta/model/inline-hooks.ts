import { copyJson } from '../../../src/index.js';
import { invalidFields, notFound } from '../errors.js';
import type { OktaState, RequestCtx } from '../types.js';

type Hook = NonNullable<OktaState['inlineHooks']>[string];
type Json = Record<string, any>;

/** The inline hook types Okta has (InlineHookType). */
export const INLINE_HOOK_TYPES = [
  'com.okta.import.transform',
  'com.okta.oauth2.tokens.transform',
  'com.okta.saml.tokens.transform',
  'com.okta.telephony.provider',
  'com.okta.user.credential.password.import',
  'com.okta.user.pre-registration',
];

const OAUTH_AUTH_TYPES = ['client_secret_post', 'private_key_jwt'];

/** The inline hook with this id, or Okta's 404. */
export function requireHook(ctx: RequestCtx, id: string): Hook {
  const hook = ctx.state.inlineHooks?.[id];
  if (!hook) throw notFound(id, 'InlineHook');
  return hook;
}

/**
 * An inline hook as Okta returns it: never the secret of its auth scheme, whose type and key Okta writes in lower case
 * (its InlineHookMgmtCreateHTTPResponse example), and links for what its status allows.
 */
export function hookJson(ctx: RequestCtx, hook: Hook): Json {
  const self = `${ctx.baseUrl}/api/v1/inlineHooks/${hook.id}`;
  const json = copyJson(hook);
  const scheme = json.channel?.config?.authScheme;
  if (scheme) json.channel.config.authScheme = { type: String(scheme.type).toLowerCase(), key: String(scheme.key).toLowerCase() };
  if (json.channel?.config?.clientSecret !== undefined) delete json.channel.config.clientSecret;
  const lifecycle = hook.status === 'ACTIVE' ? 'deactivate' : 'activate';
  json._links = {
    [lifecycle]: { href: `${self}/lifecycle/${lifecycle}`, hints: { allow: ['POST'] } },
    self: { href: self },
    execute: { href: `${self}/execute`, hints: { allow: ['POST'] } },
    ...(hook.status === 'INACTIVE' ? { delete: { href: self, hints: { allow: ['DELETE'] } } } : {}),
  };
  return json;
}

/** Okta wants the hook's endpoint on HTTPS; the twin also takes plain HTTP on a loopback host, where a test's hook server listens. */
function isHookUri(value: unknown): boolean {
  if (typeof value !== 'string' || /\s/.test(value) || value.length > 1024) return false;
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || (url.protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname));
  } catch {
    return false;
  }
}

/**
 * A hook body checked before anything is written (a whole hook on create and replace; on update, the stored hook with
 * the body's changes): a name, a known type, a version, and an HTTP channel with a valid URI, headers as key/value pairs
 * and a HEADER auth scheme with a key and a value.
 *
 * @example
 * const sent = checkHookBody(ctx.body);
 */
export function checkHookBody(body: Json, existing?: Hook): Pick<Hook, 'name' | 'type' | 'version' | 'channel'> {
  const problems: [string, string][] = [];
  if (typeof body.name !== 'string' || !body.name.trim()) problems.push(['name', 'The field cannot be left blank']);
  // A replace need not repeat the type (the SDK's InlineHookReplace has none), but may not change it.
  const type = body.type ?? existing?.type;
  if (!INLINE_HOOK_TYPES.includes(type)) problems.push(['type', `Must be one of ${INLINE_HOOK_TYPES.join(', ')}.`]);
  else if (existing && type !== existing.type) problems.push(['type', 'The type of an inline hook cannot be changed.']);
  if (typeof body.version !== 'string' || !body.version.trim()) problems.push(['version', 'The field cannot be left blank']);
  const channel = body.channel;
  if (!channel || typeof channel !== 'object') problems.push(['channel', 'The field cannot be left blank']);
  else {
    if (channel.type !== 'HTTP' && channel.type !== 'OAUTH') problems.push(['channel.type', 'Must be one of HTTP, OAUTH.']);
    if (typeof channel.version !== 'string' || !channel.version.trim()) problems.push(['channel.version', 'The field cannot be left blank']);
    const config = channel.config;
    if (!config || !isHookUri(config.uri)) problems.push(['channel.config.uri', 'The URI must begin with https:// and contain no white space.']);
    if (config?.headers !== undefined && (!Array.isArray(config.headers) || config.headers.some((h: Json) => !h || typeof h.key !== 'string' || typeof h.value !== 'string'))) {
      problems.push(['channel.config.headers', 'Each header needs a key and a value.']);
    }
    const scheme = config?.authScheme;
    if (channel.type === 'OAUTH') {
      // Okta's OAuth 2.0 channel: the twin gets a token from `tokenUrl` with the client's secret before each call.
      if (!OAUTH_AUTH_TYPES.includes(config?.authType)) problems.push(['channel.config.authType', `Must be one of ${OAUTH_AUTH_TYPES.join(', ')}.`]);
      if (typeof config?.clientId !== 'string' || !config.clientId) problems.push(['channel.config.clientId', 'The field cannot be left blank']);
      if (!isHookUri(config?.tokenUrl)) problems.push(['channel.config.tokenUrl', 'The URI must begin with https:// and contain no white space.']);
      const secret = config?.clientSecret ?? existing?.channel?.config?.clientSecret;
      if (config?.authType === 'client_secret_post' && (typeof secret !== 'string' || !secret)) problems.push(['channel.config.clientSecret', 'The field cannot be left blank']);
    } else if (scheme !== undefined && scheme !== null) {
      if (String(scheme.type).toUpperCase() !== 'HEADER') problems.push(['channel.config.authScheme.type', 'Must be HEADER.']);
      const previousValue = existing?.channel?.config?.authScheme?.value;
      if (typeof scheme.key !== 'string' || !scheme.key.trim()) problems.push(['channel.config.authScheme.key', 'The field cannot be left blank']);
      if ((typeof scheme.value !== 'string' || !scheme.value) && previousValue === undefined) problems.push(['channel.config.authScheme.value', 'The field cannot be left blank']);
    }
  }
  if (problems.length) throw invalidFields(problems);
  const config = channel.config;
  const previousScheme = existing?.channel?.config?.authScheme;
  const oauth =
    channel.type === 'OAUTH'
      ? {
        authScheme: null,
        authType: config.authType,
        clientId: config.clientId,
        tokenUrl: config.tokenUrl,
        scope: config.scope ?? null,
        ...(config.authType === 'client_secret_post' ? { clientSecret: config.clientSecret ?? existing?.channel?.config?.clientSecret } : {}),
      }
      : {};
  return {
    name: body.name.trim(),
    type,
    version: body.version,
    channel: {
      type: channel.type,
      version: channel.version,
      config: {
        uri: config.uri,
        headers: (config.headers ?? []).map((h: Json) => ({ key: h.key, value: h.value })),
        method: 'POST',
        ...(channel.type === 'HTTP' && config.authScheme ? { authScheme: { type: 'HEADER', key: config.authScheme.key, value: config.authScheme.value || previousScheme?.value } } : {}),
        ...oauth,
      },
    },
  };
}

/** A deep merge of a partial update into a stored record: objects merge, anything else replaces. */
export function mergeUpdate(stored: Json, changes: Json): Json {
  const out: Json = copyJson(stored);
  for (const [key, value] of Object.entries(changes)) {
    out[key] = value && typeof value === 'object' && !Array.isArray(value) && out[key] && typeof out[key] === 'object' && !Array.isArray(out[key]) ? mergeUpdate(out[key], value) : value;
  }
  return out;
}

/**
 * Sends a payload to the hook as Okta does (POST, JSON, its custom headers and its auth header) and reads the answer.
 * Okta waits three seconds and retries once on a timeout or an error response (InlineHook execute).
 *
 * @example
 * const answer = await callHook(hook, ctx.body); // { ok: true, body } or { ok: false, reason }
 */
export async function callHook(hook: Hook, payload: unknown): Promise<{ ok: true; body: unknown } | { ok: false; reason: string }> {
  const config = hook.channel.config;
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
  for (const header of config.headers ?? []) headers[header.key] = header.value;
  if (config.authScheme) headers[config.authScheme.key] = config.authScheme.value;
  if (hook.channel.type === 'OAUTH') {
    const token = await hookAccessToken(config);
    if (!token.ok) return token;
    headers.authorization = `Bearer ${token.accessToken}`;
  }
  let reason = '';
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const response = await fetch(config.uri, { method: 'POST', headers, body: JSON.stringify(payload), signal: AbortSignal.timeout(3000) });
      const text = await response.text();
      if (response.ok) {
        try {
          return { ok: true, body: text ? JSON.parse(text) : {} };
        } catch {
          return { ok: false, reason: 'The inline hook responded with a body that is not JSON.' };
        }
      }
      reason = `The inline hook responded with HTTP ${response.status}.`;
    } catch (error) {
      reason = error instanceof Error && error.name === 'TimeoutError' ? 'The inline hook did not respond within 3 seconds.' : 'The inline hook could not be reached.';
    }
  }
  return { ok: false, reason };
}

/**
 * The access token an OAuth 2.0 channel sends the hook: client credentials at the channel's token URL with the client's
 * secret. Signing a private_key_jwt assertion would take Okta's own hook key, which the twin does not have.
 */
async function hookAccessToken(config: Json): Promise<{ ok: true; accessToken: string } | { ok: false; reason: string }> {
  if (config.authType !== 'client_secret_post') return { ok: false, reason: 'The twin does not sign private_key_jwt assertions for inline hooks: use client_secret_post.' };
  const form = new URLSearchParams({ grant_type: 'client_credentials', client_id: config.clientId, client_secret: config.clientSecret, ...(config.scope ? { scope: config.scope } : {}) });
  try {
    const response = await fetch(config.tokenUrl, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' }, body: form, signal: AbortSignal.timeout(3000) });
    const body = await response.json().catch(() => ({}));
    if (response.ok && typeof body.access_token === 'string') return { ok: true, accessToken: body.access_token };
  } catch {
    // An unreachable token endpoint is reported like a refusal.
  }
  return { ok: false, reason: "The inline hook's token endpoint did not issue an access token." };
}
