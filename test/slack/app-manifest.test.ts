/**
 * The App Manifest API through @slack/web-api, with the seeded app configuration token: apps.manifest.export and
 * apps.manifest.update (the manifest replaces the configuration whole; permissions_updated when the scopes change),
 * invalid_manifest with errors that point into the manifest, and the token kinds each side accepts. Setting a request
 * URL, and its url_verification, is in events-api.test.ts, where the twin may call out.
 */
import { expect, test } from 'vitest';
import { APP, BOT_SCOPES, describeSlack, form, GENERAL, slackError } from '../support/slack.js';

const CONFIG_TOKEN = 'xoxe.xoxp-1-twin-config-token';

describeSlack('app manifests', (t) => {
  const config = () => t.makeClient(CONFIG_TOKEN);
  const exported = async () => (await config().apps.manifest.export({ app_id: APP })).manifest as Record<string, any>;

  test('export: the seeded app as a manifest, its bot events and bot scopes, no request URL yet', async () => {
    const manifest = await exported();
    expect(manifest.display_information.name).toBe('Twin App');
    expect(manifest.features.bot_user).toEqual({ display_name: 'twinbot', always_online: false });
    expect(manifest.oauth_config.scopes.bot).toEqual(BOT_SCOPES);
    expect(manifest.settings.event_subscriptions).toEqual({ bot_events: t.twin.state.apps[APP].bot_events });
    expect(manifest.settings.socket_mode_enabled).toBe(false);
  });

  test('update replaces the configuration whole; permissions_updated only when the scopes asked for change', async () => {
    const manifest = await exported();
    manifest.display_information.name = 'Renamed App';
    delete manifest.settings.event_subscriptions;
    expect(await config().apps.manifest.update({ app_id: APP, manifest: manifest as never })).toMatchObject({ ok: true, app_id: APP, permissions_updated: false });
    expect(t.twin.state.apps[APP]).toMatchObject({ name: 'Renamed App', bot_events: [], event_request_url: null });
    expect((await exported()).display_information.name).toBe('Renamed App');
    manifest.oauth_config.scopes.bot = [...BOT_SCOPES, 'chat:write.public'];
    expect((await config().apps.manifest.update({ app_id: APP, manifest: manifest as never })).permissions_updated).toBe(true);
    // New scopes take effect when the app is reinstalled, not on the tokens it has.
    expect(t.twin.state.tokens['xoxb-twin-bot-token'].scopes).toEqual(BOT_SCOPES);
  });

  test('invalid_manifest lists what is wrong, each with a pointer; nothing changes', async () => {
    const before = structuredClone(t.twin.state.apps[APP]);
    // The seeded app subscribes to bot events with no request URL yet: a manifest that says so is refused too.
    const manifest = await exported();
    delete manifest.display_information.name;
    const refused = await slackError(config().apps.manifest.update({ app_id: APP, manifest: manifest as never }));
    expect(refused.data).toMatchObject({ ok: false, error: 'invalid_manifest' });
    expect(refused.data.errors).toEqual([
      { message: expect.any(String), pointer: '/display_information/name' },
      { message: 'Event Subscription requires either Request URL or Socket Mode Enabled', pointer: '/settings/event_subscriptions' },
    ]);
    const badUrl = await exported();
    badUrl.settings.event_subscriptions.request_url = 'ftp://app.test/events';
    expect((await slackError(config().apps.manifest.update({ app_id: APP, manifest: badUrl as never }))).data.errors).toEqual([
      { message: expect.any(String), pointer: '/settings/event_subscriptions/request_url' },
    ]);
    const notJson = await (await form(t, 'apps.manifest.update', { app_id: APP, manifest: '{"display_information":' }, { authorization: `Bearer ${CONFIG_TOKEN}` })).json();
    expect(notJson).toMatchObject({ ok: false, error: 'invalid_manifest', errors: [{ pointer: '/' }] });
    expect(t.twin.state.apps[APP]).toEqual(before);
  });

  test('an unknown app is invalid_app_id; a missing argument invalid_arguments', async () => {
    expect((await slackError(config().apps.manifest.export({ app_id: 'A0NOSUCH00' }))).error).toBe('invalid_app_id');
    expect((await slackError(config().apps.manifest.update({ app_id: 'A0NOSUCH00', manifest: (await exported()) as never }))).error).toBe('invalid_app_id');
    expect((await slackError(config().apiCall('apps.manifest.update', { app_id: APP }))).data).toMatchObject({ error: 'invalid_arguments', response_metadata: { messages: ['[ERROR] missing required field: manifest'] } });
  });

  test('the configuration token works with the App Manifest API only, and that API takes no other token', async () => {
    expect((await slackError(t.bot.apps.manifest.export({ app_id: APP }))).error).toBe('not_allowed_token_type');
    expect((await slackError(t.user.apps.manifest.update({ app_id: APP, manifest: {} as never }))).error).toBe('not_allowed_token_type');
    expect((await slackError(config().chat.postMessage({ channel: GENERAL, text: 'config tokens do not post' }))).error).toBe('not_allowed_token_type');
    expect(t.twin.state.messages[GENERAL]).toEqual([]);
  });
});
