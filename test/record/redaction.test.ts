import { expect, test } from 'vitest';
import { createRedactor, gdocsTwin, harEntry, mergeRedactions, oktaTwin, REDACTED, slackTwin, type HarEntry } from '../../twins/index.js';

// What `twinverse record` applies: every twin's declared secrets, and what the user adds.
const vendors = () => mergeRedactions(oktaTwin.secrets, slackTwin.secrets, gdocsTwin.secrets);

const SECRETS = {
  ssws: '00abcSSWSsecretTokenValue',
  bot: 'xoxb-1234-5678-abcdefSECRET',
  user: 'xoxp-9876-5432-userSECRET',
  jwt: 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIwMHUxIn0.c2lnbmF0dXJlU0VDUkVU',
  refresh: 'refreshSECRETvalue123',
  session: '20111sessionSECRET',
  clientSecret: 'clientSECRETvalue',
  password: 'Passw0rd!SECRET',
  cookie: 'sid=cookieSECRET',
  google: 'ya29.a0AfH6SMBgoogleSECRET',
  hook: 'hookSECRETpart123',
  custom: 'customSECRETheader',
  ssn: '123-45-SECRET',
};

function exchange(): HarEntry {
  return harEntry({
    method: 'POST',
    url: `https://dev-123.okta.com/oauth2/v1/token?client_secret=${SECRETS.clientSecret}&keep=visible&key=${SECRETS.google}`,
    requestHeaders: [
      { name: 'Authorization', value: `SSWS ${SECRETS.ssws}` },
      { name: 'Cookie', value: SECRETS.cookie },
      { name: 'X-Custom-Key', value: SECRETS.custom },
      { name: 'Content-Type', value: 'application/json' },
    ],
    requestBody: Buffer.from(
      JSON.stringify({
        credentials: { password: { value: SECRETS.password } },
        profile: { login: 'ada@example.com', ssn: SECRETS.ssn },
        text: `posted with ${SECRETS.bot}`,
        webhook: `https://hooks.slack.com/services/T0001/B0002/${SECRETS.hook}`,
        key: 'PROJ-1',
      }),
    ),
    status: 200,
    responseHeaders: [
      { name: 'Content-Type', value: 'application/json' },
      { name: 'Set-Cookie', value: SECRETS.cookie },
      { name: 'Link', value: `<https://dev-123.okta.com/api/v1/users?after=00u2>; rel="next"` },
    ],
    responseBody: Buffer.from(JSON.stringify({ access_token: SECRETS.jwt, refresh_token: SECRETS.refresh, id_token: SECRETS.jwt, sessionToken: SECRETS.session, token_type: 'Bearer', authed_user: { access_token: SECRETS.user }, nested: [{ note: `Bearer ${SECRETS.google}` }] })),
    started: new Date('2026-01-01T00:00:00Z'),
    time: 5,
  });
}

test('every kind of secret the twins declare is redacted from requests and answers; ordinary values stay', () => {
  const entry = createRedactor(mergeRedactions(vendors(), { headers: ['x-custom-key'], jsonPaths: ['profile.ssn'] })).entry(exchange());
  const text = JSON.stringify(entry);
  expect(Object.entries(SECRETS).filter(([, value]) => text.includes(value))).toEqual([]);
  expect(entry.request.headers.find((h) => h.name === 'Authorization')?.value).toBe(`SSWS ${REDACTED}`);
  expect(entry.request.url).toBe(`https://dev-123.okta.com/oauth2/v1/token?client_secret=${REDACTED}&keep=visible&key=${REDACTED}`);
  const body = JSON.parse(entry.request.postData?.text as string);
  expect(body.profile).toEqual({ login: 'ada@example.com', ssn: REDACTED });
  expect(body.key).toBe('PROJ-1');
  expect(body.webhook).toBe(`https://hooks.slack.com/services/T0001/B0002/${REDACTED}`);
  expect(body.credentials).toEqual({ password: { value: REDACTED } });
  const answer = JSON.parse(entry.response.content.text as string);
  expect(answer.token_type).toBe('Bearer');
  expect(entry.response.headers.find((h) => h.name === 'Link')?.value).toContain('after=00u2');
});

test('redaction is what the defaults and options say: without them custom headers, paths and vendor tokens are kept', () => {
  const withVendors = JSON.stringify(createRedactor(vendors()).entry(exchange()));
  expect(withVendors).toContain(SECRETS.custom);
  expect(withVendors).toContain(SECRETS.ssn);
  const generic = JSON.stringify(createRedactor().entry(exchange()));
  // Credential headers, OAuth tokens, client secrets, passwords and JWTs are secrets for every vendor.
  expect([SECRETS.ssws, SECRETS.jwt, SECRETS.refresh, SECRETS.clientSecret, SECRETS.password, SECRETS.cookie].filter((v) => generic.includes(v))).toEqual([]);
  expect(generic).toContain(SECRETS.bot);
  expect(generic).toContain(SECRETS.session);
});

test('form bodies are redacted by key and keep their other fields', () => {
  const redactor = createRedactor(vendors());
  expect(redactor.body(`grant_type=client_credentials&client_secret=${SECRETS.clientSecret}&token=${SECRETS.bot}`, 'application/x-www-form-urlencoded')).toBe(
    `grant_type=client_credentials&client_secret=${REDACTED}&token=${REDACTED}`,
  );
});
