import { SlackError } from '../errors.js';
import { args } from '../model/args.js';
import { verifyRequestUrl } from '../model/events.js';
import { applyManifest, deliveryUrl, exportManifest, manifestArg, manifestProblems } from '../model/manifest.js';
import { ok, slackMethods } from '../model/methods.js';
import type { Ctx, SlackApp, SlackHandlers } from '../types.js';

/**
 * What Slack's app settings say of a request URL that does not echo the challenge; the App Manifest API reports it
 * as one of invalid_manifest's errors, at the request URL's pointer.
 */
const NOT_ECHOED = "Your URL didn't respond with the value of the challenge parameter.";

/** The app a manifest call names; the App Manifest API reaches the apps of the configuration token's workspace. */
function appOf(ctx: Ctx, id: unknown): SlackApp {
  if (typeof id !== 'string' || !Object.hasOwn(ctx.state.apps, id)) throw new SlackError('invalid_app_id');
  return ctx.state.apps[id];
}

/**
 * apps.manifest.update: the manifest replaces the app's configuration whole (docs.slack.dev/reference/methods/apps.manifest.update).
 * A request URL the app has not verified is sent url_verification first, as saving it in the app's settings does,
 * and the update is refused unless the URL echoes the challenge; nothing changes before the answer is known.
 */
async function appsManifestUpdate(ctx: Ctx) {
  const a = args(ctx);
  const app = appOf(ctx, a.app_id);
  const manifest = manifestArg(a.manifest);
  const problems = manifestProblems(manifest);
  if (problems.length) throw new SlackError('invalid_manifest', { errors: problems });
  const url = deliveryUrl(manifest);
  if (url !== null && url !== app.verified_url) {
    if (!(await verifyRequestUrl(ctx, app, url))) {
      throw new SlackError('invalid_manifest', { errors: [{ message: NOT_ECHOED, pointer: '/settings/event_subscriptions/request_url' }] });
    }
    app.verified_url = url;
  }
  const permissionsUpdated = applyManifest(app, manifest);
  return ok({ app_id: app.id, permissions_updated: permissionsUpdated });
}

/** apps.manifest.export: the app's configuration as a manifest (docs.slack.dev/reference/methods/apps.manifest.export). */
function appsManifestExport(ctx: Ctx) {
  return ok({ manifest: exportManifest(appOf(ctx, args(ctx).app_id)) });
}

/** apps.manifest.* methods: the App Manifest API, for app configuration tokens. */
export const appHandlers = slackMethods({ appsManifestUpdate, appsManifestExport }) satisfies SlackHandlers;
