import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { runCli, startCli, stopCli } from '../support/cli.js';

const SSWS = { authorization: 'SSWS twin-okta-token' };

test('serve --twin serves a twin of your own, declared in your own module with your own document', async () => {
  const { child, out, urls } = await startCli(['serve', '--twin', 'examples/custom-twin/inventory-twin.js', '--port', '0']);
  expect(out).toContain('Authorization: Bearer inventory-token');
  const res = await fetch(`${urls[0]}/v1/items/SKU-1`, { headers: { authorization: 'Bearer inventory-token' } });
  expect(await res.json()).toEqual({ sku: 'SKU-1', quantity: 3 });
  expect(await (await fetch(`${urls[0]}/__twin/health`)).json()).toEqual({ status: 'ok', twin: 'inventory' });
  expect(await stopCli(child)).toBe(0);
});

test('a module that declares no twin is refused in one line', async () => {
  const { code, stderr } = await runCli(['serve', '--twin', 'dist/src/plugins/schedule.js', '--port', '0']);
  expect(code).toBe(1);
  expect(stderr.trim()).toMatch(/^\[twinverse\] .*exports no twin/);
});

test('--plugin installs a built-in plugin with its options; the journal and GET /__twin/plugins show it', async () => {
  const { child, out, urls } = await startCli(['serve', 'okta', '--port', '0', '--plugin', 'rate-limit:limit=1', '--plugin', 'fault:fault=503,nth=1,operationId=listGroups']);
  expect(out).toMatch(/plugin p\d+ rate-limit \{"limit":1\}/);
  expect((await fetch(`${urls[0]}/api/v1/users/me`, { headers: SSWS })).status).toBe(200);
  expect((await fetch(`${urls[0]}/api/v1/users/me`, { headers: SSWS })).status).toBe(429);
  expect((await fetch(`${urls[0]}/api/v1/groups`, { headers: SSWS })).status).toBe(503);
  const { plugins } = (await (await fetch(`${urls[0]}/__twin/plugins`)).json()) as { plugins: { name: string; origin: string; inForce: boolean }[] };
  expect(plugins.map((p) => [p.name, p.origin, p.inForce])).toEqual([
    ['rate-limit', 'options', true],
    ['fault', 'options', true],
    ['rate-limit', 'twin', false],
  ]);
  expect(await stopCli(child)).toBe(0);
});

test('--plugins reads a JSON file of plugins', async () => {
  const file = join(await mkdtemp(join(tmpdir(), 'twinverse-')), 'plugins.json');
  await writeFile(file, JSON.stringify([{ name: 'expire-credentials', options: { credential: 'twin-okta-token', afterCalls: 1 } }]));
  const { child, urls } = await startCli(['serve', 'okta', '--port', '0', '--plugins', file]);
  expect((await fetch(`${urls[0]}/api/v1/users/me`, { headers: SSWS })).status).toBe(200);
  const refused = await fetch(`${urls[0]}/api/v1/users/me`, { headers: SSWS });
  expect(refused.status).toBe(401);
  expect((await refused.json()).errorCode).toBe('E0000011');
  expect(await stopCli(child)).toBe(0);
});

test('a bad plugin is refused before anything listens, naming what is wrong', async () => {
  const unknown = await runCli(['serve', 'okta', '--port', '0', '--plugin', 'teleport:ms=1']);
  expect(unknown.code).toBe(1);
  expect(unknown.stderr.trim()).toBe('[twinverse] no built-in plugin is named "teleport"; built-in plugins: rate-limit, fault, latency, lag, expire-credentials, pagination');
  const badOption = await runCli(['serve', 'okta', '--port', '0', '--plugin', 'fault:nth=zero']);
  expect(badOption.code).toBe(1);
  expect(badOption.stderr.trim()).toBe('[twinverse] plugin fault: nth must be integer');
});

test('operation-ids writes the union of a document\'s operationIds', async () => {
  const { code, stdout } = await runCli(['operation-ids', 'examples/custom-twin/inventory.yaml', '--type', 'InventoryOperationId']);
  expect(code).toBe(0);
  expect(stdout).toContain("export type InventoryOperationId =\n  | 'createItem'\n  | 'getItem'\n  | 'listItems';");
});
