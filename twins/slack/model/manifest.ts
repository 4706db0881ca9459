import { copyJson } from '../../../src/index.js';
import { SlackError } from '../errors.js';
import type { SlackApp } from '../types.js';

/** One thing wrong with a manifest, where it is (a JSON pointer into it), as invalid_manifest lists them. */
export interface ManifestProblem {
  message: string;
  pointer: string;
}

const isObject = (value: unknown): value is Record<string, any> => value !== null && typeof value === 'object' && !Array.isArray(value);
const isStringList = (value: unknown): value is string[] => Array.isArray(value) && value.every((item) => typeof item === 'string');

/**
 * The `manifest` argument as an object: Slack takes it as JSON text (docs.slack.dev/reference/methods/apps.manifest.update);
 * a JSON body may carry the object itself. Anything else is invalid_manifest.
 *
 * @example
 * const manifest = manifestArg(a.manifest); // { display_information: { name: 'Twin App' }, ... }
 */
export function manifestArg(value: unknown): Record<string, any> {
  let parsed = value;
  if (typeof value === 'string') {
    try {
      parsed = JSON.parse(value);
    } catch {
      parsed = undefined;
    }
  }
  if (!isObject(parsed)) throw new SlackError('invalid_manifest', { errors: [{ message: 'The manifest must be a JSON object', pointer: '/' }] });
  return parsed;
}

/**
 * What is wrong with a manifest in the parts the twin acts on: the app's name, and the Event Subscriptions (a request
 * URL that is an http(s) URL, bot events as a list of names, and either a request URL or Socket Mode when there are
 * events, in the words of Slack's own example of invalid_manifest).
 *
 * @example
 * manifestProblems({ display_information: {} }); // [{ message: 'An app name is required', pointer: '/display_information/name' }]
 */
export function manifestProblems(manifest: Record<string, any>): ManifestProblem[] {
  const problems: ManifestProblem[] = [];
  const name = manifest.display_information?.name;
  if (typeof name !== 'string' || !name.trim()) problems.push({ message: 'An app name is required', pointer: '/display_information/name' });
  const settings = manifest.settings;
  if (settings !== undefined && !isObject(settings)) return [...problems, { message: 'settings must be an object', pointer: '/settings' }];
  const subscriptions = settings?.event_subscriptions;
  if (subscriptions === undefined) return problems;
  if (!isObject(subscriptions)) return [...problems, { message: 'event_subscriptions must be an object', pointer: '/settings/event_subscriptions' }];
  const { request_url: url, bot_events: botEvents, user_events: userEvents } = subscriptions;
  if (url !== undefined && !isHttpUrl(url)) problems.push({ message: 'The request URL must be an http or https URL', pointer: '/settings/event_subscriptions/request_url' });
  for (const [key, events] of [['bot_events', botEvents], ['user_events', userEvents]] as const) {
    if (events !== undefined && !isStringList(events)) problems.push({ message: `${key} must be a list of event names`, pointer: `/settings/event_subscriptions/${key}` });
  }
  const anyEvents = [botEvents, userEvents].some((events) => Array.isArray(events) && events.length > 0);
  if (anyEvents && url === undefined && settings.socket_mode_enabled !== true) {
    problems.push({ message: 'Event Subscription requires either Request URL or Socket Mode Enabled', pointer: '/settings/event_subscriptions' });
  }
  return problems;
}

function isHttpUrl(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
}

/**
 * The request URL Slack sends an app's events to under a manifest: none when Socket Mode is on, since Slack then
 * sends them over the app's socket, which the twin does not emulate.
 *
 * @example
 * deliveryUrl({ settings: { event_subscriptions: { request_url: 'https://app.test/slack/events' } } }); // 'https://app.test/slack/events'
 */
export function deliveryUrl(manifest: Record<string, any>): string | null {
  if (manifest.settings?.socket_mode_enabled === true) return null;
  return manifest.settings?.event_subscriptions?.request_url ?? null;
}

/**
 * Applies a valid manifest to an app: its name, request URL and bot events, and the manifest kept whole for export.
 * Whether the scopes asked for changed is what Slack reports as permissions_updated.
 *
 * @example
 * const permissionsUpdated = applyManifest(app, manifest);
 */
export function applyManifest(app: SlackApp, manifest: Record<string, any>): boolean {
  const scopes = (m: Record<string, any>) => JSON.stringify(m.oauth_config?.scopes ?? {});
  const permissionsUpdated = scopes(app.manifest ?? {}) !== scopes(manifest);
  app.name = manifest.display_information.name;
  app.event_request_url = deliveryUrl(manifest);
  app.bot_events = [...(manifest.settings?.event_subscriptions?.bot_events ?? [])];
  app.manifest = copyJson(manifest);
  return permissionsUpdated;
}

/**
 * The app's manifest as apps.manifest.export answers it: the configuration last set, with the name, request URL and
 * bot events the app has now (they may have been set in the state rather than through a manifest).
 *
 * @example
 * exportManifest(state.apps.A0TWINAPP1).display_information.name; // 'Twin App'
 */
export function exportManifest(app: SlackApp): Record<string, any> {
  const manifest = copyJson(app.manifest ?? {});
  manifest.display_information = { ...(manifest.display_information ?? {}), name: app.name };
  const settings = (manifest.settings ??= {});
  const subscriptions: Record<string, unknown> = { ...(settings.event_subscriptions ?? {}) };
  if (settings.socket_mode_enabled !== true) {
    delete subscriptions.request_url;
    if (app.event_request_url) subscriptions.request_url = app.event_request_url;
  }
  subscriptions.bot_events = [...app.bot_events];
  settings.event_subscriptions = subscriptions;
  return manifest;
}
