/**
 * How Slack's Web API takes a call and answers it: GET with query arguments, POST form or JSON, the token in the
 * header or a `token` argument, HTTP 200 with ok false for method errors, scopes in X-OAuth-Scopes and
 * X-Accepted-OAuth-Scopes, `missing_scope` with needed and provided, and the warnings Slack adds.
 */
import { expect, test } from 'vitest';
import { BOT_SCOPES, BOT_TOKEN, describeSlack, form, GENERAL, slackError, USER_TOKEN } from '../support/slack.js';

describeSlack('tokens and scopes', (t) => {
  test('a method error is HTTP 200 with ok false and the error code', async () => {
    const res = await form(t, 'conversations.info', { channel: 'C0NOSUCH00' });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: false, error: 'channel_not_found' });
  });

  test('the token may come as a form argument or in the query string instead of the header', async () => {
    const viaForm = await form(t, 'auth.test', { token: USER_TOKEN }, { authorization: '' });
    expect(await viaForm.json()).toMatchObject({ ok: true, user: 'admin' });
    const viaQuery = await t.fetch(`/api/auth.test?token=${USER_TOKEN}`, { headers: { authorization: '' } });
    expect(await viaQuery.json()).toMatchObject({ ok: true, user: 'admin' });
  });

  test("a JSON body's token does not count: Slack reads it from the header only", async () => {
    const res = await t.fetch('/api/auth.test', { method: 'POST', headers: { authorization: '', 'content-type': 'application/json; charset=utf-8' }, body: JSON.stringify({ token: BOT_TOKEN }) });
    expect(await res.json()).toEqual({ ok: false, error: 'not_authed' });
  });

  test('no token is not_authed, an unknown one invalid_auth, a revoked one token_revoked, an expired one token_expired', async () => {
    expect(await (await t.fetch('/api/auth.test', { headers: { authorization: '' } })).json()).toEqual({ ok: false, error: 'not_authed' });
    expect(await (await t.fetch('/api/auth.test', { headers: { authorization: 'Bearer xoxp-nope' } })).json()).toEqual({ ok: false, error: 'invalid_auth' });
    t.twin.state.tokens[USER_TOKEN].revoked = true;
    expect((await slackError(t.user.auth.test())).error).toBe('token_revoked');
    t.twin.state.tokens[BOT_TOKEN].expires_at = Date.parse('2026-01-01T00:10:00Z') / 1000;
    expect((await t.bot.auth.test()).ok).toBe(true);
    t.twin.clock.advance(10 * 60_000);
    expect((await slackError(t.bot.auth.test())).error).toBe('token_expired');
  });

  test('every answer names the token scopes and the accepted ones; the SDK copies them into response_metadata', async () => {
    const res = await form(t, 'conversations.list', {});
    expect(res.headers.get('x-oauth-scopes')).toBe(BOT_SCOPES.join(','));
    expect(res.headers.get('x-accepted-oauth-scopes')).toBe('channels:read,groups:read,im:read,mpim:read');
    const listed = await t.bot.conversations.list();
    expect(listed.response_metadata?.acceptedScopes).toEqual(['channels:read', 'groups:read', 'im:read', 'mpim:read']);
  });

  test('a token without any accepted scope is missing_scope with needed and provided, headers included', async () => {
    const refused = await slackError(t.bot.conversations.join({ channel: GENERAL }));
    expect(refused.data).toMatchObject({ ok: false, error: 'missing_scope', needed: 'channels:join,channels:write', provided: BOT_SCOPES.join(',') });
    expect(refused.data.response_metadata).toMatchObject({ scopes: BOT_SCOPES, acceptedScopes: ['channels:join', 'channels:write'] });
  });

  test('a scope per kind of conversation: the bot lists public channels but not group DMs (no mpim:read)', async () => {
    const refused = await slackError(t.bot.conversations.list({ types: 'public_channel,mpim' }));
    expect(refused.data).toMatchObject({ error: 'missing_scope', needed: 'mpim:read' });
    expect((await slackError(t.bot.conversations.list({ types: 'public_channel,nonsense' }))).error).toBe('invalid_types');
  });
});

describeSlack('how arguments arrive', (t) => {
  test('GET with query arguments', async () => {
    const res = await t.fetch(`/api/users.info?user=U0TWADMIN1`);
    expect(await res.json()).toMatchObject({ ok: true, user: { name: 'admin' } });
  });

  test('POST JSON with charset; without it the answer warns missing_charset as Slack does', async () => {
    const post = (type: string) => t.fetch('/api/chat.postMessage', { method: 'POST', headers: { 'content-type': type }, body: JSON.stringify({ channel: GENERAL, text: 'json', blocks: [{ type: 'section', text: { type: 'mrkdwn', text: '*json*' } }] }) });
    const withCharset = await (await post('application/json; charset=utf-8')).json();
    expect(withCharset).toMatchObject({ ok: true, message: { text: 'json', blocks: [{ type: 'section' }] } });
    expect(withCharset.warning).toBeUndefined();
    const without = await (await post('application/json')).json();
    expect(without).toMatchObject({ ok: true, warning: 'missing_charset', response_metadata: { warnings: ['missing_charset'] } });
  });

  test('a form POST that names a charset is answered with the superfluous_charset warning; the SDK sends none', async () => {
    const named = await (await form(t, 'auth.test', {}, { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' })).json();
    expect(named).toMatchObject({ ok: true, warning: 'superfluous_charset', response_metadata: { warnings: ['superfluous_charset'] } });
    expect((await (await form(t, 'auth.test', {})).json()).warning).toBeUndefined();
    expect((await t.bot.auth.test()).warning).toBeUndefined();
  });

  test('a missing required argument is invalid_arguments naming it; a wrong type too', async () => {
    const missing = await (await form(t, 'chat.postMessage', { text: 'where?' })).json();
    expect(missing).toEqual({ ok: false, error: 'invalid_arguments', response_metadata: { messages: ['[ERROR] missing required field: channel'] } });
    const wrongType = await (await form(t, 'conversations.history', { channel: GENERAL, limit: 'many' })).json();
    expect(wrongType.error).toBe('invalid_arguments');
    expect(wrongType.response_metadata.messages[0]).toContain('limit');
  });

  test('malformed JSON is invalid_json; an unknown method unknown_method with req_method', async () => {
    const bad = await t.fetch('/api/chat.postMessage', { method: 'POST', headers: { 'content-type': 'application/json; charset=utf-8' }, body: '{"channel":' });
    expect(await bad.json()).toEqual({ ok: false, error: 'invalid_json' });
    const unknown = await form(t, 'chat.nosuchMethod', {});
    expect(unknown.status).toBe(200);
    expect(await unknown.json()).toEqual({ ok: false, error: 'unknown_method', req_method: 'chat.nosuchMethod' });
    expect((await slackError(t.bot.apiCall('chat.nosuchMethod'))).error).toBe('unknown_method');
  });

  test("a call's shape is refused as Slack documents for every method: missing_post_type, invalid_charset, json_not_object", async () => {
    // A byte body makes fetch send no Content-Type at all.
    const untyped = await t.fetch('/api/chat.postMessage', { method: 'POST', body: new TextEncoder().encode(`channel=${GENERAL}&text=x`) });
    expect(await untyped.json()).toEqual({ ok: false, error: 'missing_post_type' });
    const klingon = await form(t, 'chat.postMessage', { channel: GENERAL, text: 'x' }, { 'content-type': 'application/x-www-form-urlencoded; charset=klingon' });
    expect(await klingon.json()).toEqual({ ok: false, error: 'invalid_charset' });
    const latin1 = await form(t, 'auth.test', {}, { 'content-type': 'application/x-www-form-urlencoded; charset=ISO-8859-1' });
    expect(await latin1.json()).toMatchObject({ ok: true });
    for (const body of ['[{"channel":"C0GENERAL1"}]', '"hello"', '42']) {
      const res = await t.fetch('/api/chat.postMessage', { method: 'POST', headers: { 'content-type': 'application/json; charset=utf-8' }, body });
      expect(await res.json()).toEqual({ ok: false, error: 'json_not_object' });
    }
    expect(t.twin.state.messages[GENERAL]).toEqual([]);
  });

  test('an argument named like a PHP array is invalid_array_arg, one with other characters invalid_arg_name', async () => {
    expect((await slackError(t.bot.apiCall('conversations.info', { 'channel[0]': GENERAL }))).data).toMatchObject({ ok: false, error: 'invalid_array_arg' });
    expect((await slackError(t.bot.apiCall('conversations.info', { channel: GENERAL, 'include-locale': true }))).data).toMatchObject({ ok: false, error: 'invalid_arg_name' });
    expect(await (await t.fetch(`/api/users.info?user=U0TWADMIN1&x.y=1`)).json()).toEqual({ ok: false, error: 'invalid_arg_name' });
  });

  test('blocks and attachments sent by the SDK as JSON text in form fields are parsed', async () => {
    const posted = await t.bot.chat.postMessage({ channel: GENERAL, text: 'fallback', blocks: [{ type: 'divider' }], attachments: [{ fallback: 'f', text: 'attached' }] });
    expect(posted.message).toMatchObject({ blocks: [{ type: 'divider' }], attachments: [{ text: 'attached' }] });
    expect((await slackError(t.bot.chat.postMessage({ channel: GENERAL, text: 'x', blocks: '{not json' as never }))).error).toBe('invalid_blocks');
  });
});
