/**
 * The package entry: twinverse's library API and the catalog of the twins it ships.
 */
import { createTwin, type CreateTwinOptions, type Twin, type TwinDefinition } from '../src/index.js';
import { oktaTwin, type OktaState } from './okta/index.js';

export * from '../src/index.js';

/**
 * Every twin twinverse ships, by the service name the CLI takes. A new twin is one line here.
 *
 * @example
 * Object.keys(twinCatalog); // ['okta']
 * const okta = createTwin(twinCatalog.okta);
 */
export const twinCatalog: Record<string, TwinDefinition<any, any>> = {
  okta: oktaTwin,
};

/**
 * Creates an Okta twin: Management API and OAuth 2.0 / OIDC, seeded with admin@twin.test and the API
 * token `twin-okta-token`.
 *
 * @example
 * const okta = createOktaTwin({ plugins: [rateLimit({ limit: 10 })] });
 * const { url } = await okta.listen();
 */
export function createOktaTwin(options: CreateTwinOptions = {}): Twin<OktaState> {
  return createTwin(oktaTwin, options);
}

export { oktaTwin };
export type { OktaState };
