import { createRecord } from '../../../src/index.js';
import { invalidFields, notFound } from '../errors.js';
import { addClientKey, checkNewKey, clientKeyJson, clientKeys, invalidKeyStatus, requireClientKey } from '../model/app-jwks.js';
import { appKeyJson, appKeys, generateAppKey } from '../model/app-keys.js';
import { requireApp } from '../model/apps.js';
import { ok } from '../model/http.js';
import { nowIso, oktaId } from '../model/ids.js';
import { appTarget, logEvent } from '../model/system-log.js';
import type { Ctx, OktaHandlers } from '../types.js';

function setKeyStatus(ctx: Ctx, status: 'ACTIVE' | 'INACTIVE') {
  const app = requireApp(ctx, ctx.params.appId);
  const key = requireClientKey(app, ctx.params.keyId);
  // Okta: "You can only deactivate signing keys."
  if (status === 'INACTIVE' && key.use === 'enc') throw invalidKeyStatus('Only signing keys can be deactivated.');
  if ((key.status ?? 'ACTIVE') !== status) Object.assign(key, { status, lastUpdated: nowIso(ctx) });
  return ok(clientKeyJson(ctx, app, key));
}

/**
 * An app's key credentials (tag ApplicationSSOCredentialKey): X.509 certificates for the keys an app signs with. A key
 * generated here is the app's to use once its `credentials.signing.kid` names it (Okta's key rollover). And an OAuth
 * client's public keys (tag ApplicationSSOPublicKeys), kept in its `settings.oauthClient.jwks`, where private_key_jwt
 * client authentication reads the ACTIVE ones.
 */
export const appKeyHandlers = {
  listApplicationKeys(ctx) {
    const app = requireApp(ctx, ctx.params.appId);
    return ok(appKeys(ctx, app).map(appKeyJson));
  },

  getApplicationKey(ctx) {
    const app = requireApp(ctx, ctx.params.appId);
    const key = appKeys(ctx, app).find((k) => k.kid === ctx.params.keyId);
    if (!key) throw notFound(ctx.params.keyId, 'AppInstanceKey');
    return ok(appKeyJson(key));
  },

  generateApplicationKey(ctx) {
    const app = requireApp(ctx, ctx.params.appId);
    const years = ctx.query.validityYears ?? 2;
    // Okta: "Expiry years for the application key credential", 2 to 10.
    if (!Number.isInteger(years) || years < 2 || years > 10) throw invalidFields([['validityYears', 'Must be between 2 and 10.']]);
    const key = generateAppKey(ctx, app, years);
    ((ctx.state.appKeys ??= createRecord())[app.id] ??= []).push(key);
    // Okta's app.keys.generate (Event Types catalog); the display message is the twin's.
    logEvent(ctx, { eventType: 'app.keys.generate', displayMessage: 'Generate application key credential', target: [appTarget(app), { id: key.kid, type: 'AppKeyCredential', alternateId: key.kid, displayName: key.kid, detailEntry: null }] });
    return { status: 201, body: appKeyJson(key) };
  },

  listJwk(ctx) {
    const app = requireApp(ctx, ctx.params.appId);
    return ok(clientKeys(app).map((key) => clientKeyJson(ctx, app, key)));
  },

  addJwk(ctx) {
    const app = requireApp(ctx, ctx.params.appId);
    const key = checkNewKey(app, ctx.body ?? {});
    return { status: 201, body: clientKeyJson(ctx, app, addClientKey(ctx, app, key, oktaId(ctx, 'pks'))) };
  },

  getJwk(ctx) {
    const app = requireApp(ctx, ctx.params.appId);
    return ok(clientKeyJson(ctx, app, requireClientKey(app, ctx.params.keyId)));
  },

  deletejwk(ctx) {
    const app = requireApp(ctx, ctx.params.appId);
    const key = requireClientKey(app, ctx.params.keyId);
    // Okta: "You can only delete an inactive key."
    if ((key.status ?? 'ACTIVE') !== 'INACTIVE') throw invalidKeyStatus('You can only delete an inactive key.');
    app.settings.oauthClient.jwks = { keys: clientKeys(app).filter((k) => k !== key) };
    return { status: 204 };
  },

  activateOAuth2ClientJsonWebKey: (ctx) => setKeyStatus(ctx, 'ACTIVE'),

  deactivateOAuth2ClientJsonWebKey: (ctx) => setKeyStatus(ctx, 'INACTIVE'),
} satisfies OktaHandlers;
