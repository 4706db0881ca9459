import type { TwinDefinition } from '../src/engine/types.js';
import { oktaTwin } from './okta/index.js';

/**
 * Every twin twinverse ships, by the service name the CLI takes.
 *
 * @example
 * Object.keys(twinRegistry); // ['okta']
 * const okta = createTwin(twinRegistry.okta);
 */
export const twinRegistry: Record<string, TwinDefinition<any, any>> = {
  okta: oktaTwin,
};
