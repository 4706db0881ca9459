import { goSources, hasGoToolchain } from '../../src/driver/go-build.js';

/**
 * The transports TWINVERSE_TRANSPORTS names (comma-separated), among `known`; undefined when it names none of them,
 * and the suite then runs its own default set. The Node 22 run names `msw`; `go` adds the Go binary.
 *
 * @example
 * namedTransports(['http', 'msw', 'go']); // ['msw'] under TWINVERSE_TRANSPORTS=msw
 */
export function namedTransports<T extends string>(known: readonly T[]): T[] | undefined {
  const named = process.env.TWINVERSE_TRANSPORTS?.split(',')
    .map((t) => t.trim())
    .filter((t): t is T => (known as readonly string[]).includes(t));
  return named?.length ? named : undefined;
}

/**
 * Whether the Go twin of a service can run here: its sources are in the package, and there is a binary to run
 * (TWINVERSE_GO_BIN) or a Go toolchain to build one.
 *
 * @example
 * if (await goTwinRunnable('okta')) backends.push('go');
 */
export async function goTwinRunnable(service: string): Promise<boolean> {
  if (goSources(service) === undefined) return false;
  return Boolean(process.env.TWINVERSE_GO_BIN) || hasGoToolchain();
}
