import { createServer } from 'node:net';
import { expect, test } from 'vitest';
import { exampleTwin } from '../../test/support/example-twin.js';
import { serve, UsageError } from './serve.js';

const registry = { alpha: { ...exampleTwin, name: 'alpha' }, beta: { ...exampleTwin, name: 'beta' } };

async function freePortPair(): Promise<number> {
  for (;;) {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as { port: number }).port;
    await new Promise((resolve) => probe.close(resolve));
    if (port < 65535) return port;
  }
}

test('several services each get their own port, counting up from --port', async () => {
  const port = await freePortPair();
  const { served, close } = await serve(['alpha', 'beta'], registry, { port, host: '127.0.0.1' });
  try {
    expect(served.map((s) => s.url)).toEqual([`http://127.0.0.1:${port}`, `http://127.0.0.1:${port + 1}`]);
    for (const s of served) expect(await (await fetch(`${s.url}/__twin/health`)).json()).toEqual({ status: 'ok', twin: s.name });
  } finally {
    await close();
  }
});

test('if one service cannot start, none is left listening', async () => {
  const blocker = createServer();
  await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
  const port = (blocker.address() as { port: number }).port;
  try {
    await expect(serve(['alpha', 'beta'], registry, { port: port - 1, host: '127.0.0.1' })).rejects.toBeInstanceOf(UsageError);
    await expect(fetch(`http://127.0.0.1:${port - 1}/__twin/health`)).rejects.toThrow();
  } finally {
    blocker.close();
  }
});
