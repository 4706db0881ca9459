import type { RequestContext } from '../../src/index.js';
import { SlackError } from './errors.js';
import { rawArgs } from './model/args.js';

/** Charsets a Web API POST may name (api.slack.com/methods/api.test, invalid_charset). */
const CHARSETS = new Set(['utf-8', 'iso-8859-1']);
/** An argument named like a PHP array (`channels[0]`), which Slack never takes. */
const ARRAY_ARG = /\[[^\]]*\]$/;
/** An argument name within bounds: letters, digits and underscores. */
const ARG_NAME = /^[A-Za-z0-9_]+$/;

/**
 * Refuses a Web API call whose shape Slack refuses before it looks at the method, with the errors Slack documents for
 * every method (api.slack.com/methods/api.test, "Errors"): a POST with a payload and no Content-Type is
 * missing_post_type; a charset other than utf-8 or iso-8859-1 is invalid_charset; a form or query argument named like
 * a PHP array is invalid_array_arg, and one with characters other than letters, digits and `_` invalid_arg_name.
 *
 * @example
 * refuseMalformedCall(ctx); // throws SlackError('missing_post_type') for a POST body without Content-Type
 */
export function refuseMalformedCall(ctx: RequestContext<any>): void {
  if (!ctx.url.pathname.startsWith('/api/')) return;
  const type = ctx.headers['content-type'];
  const post = ctx.request.method === 'POST';
  if (post && !type && ctx.request.body) throw new SlackError('missing_post_type');
  const charset = post && type ? /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(type)?.[1] : undefined;
  if (charset !== undefined && !CHARSETS.has(charset.toLowerCase())) throw new SlackError('invalid_charset');
  // The names of a JSON body's members are not arguments in this sense: only the query string and a form are checked.
  const names = type?.startsWith('application/json') ? [...ctx.url.searchParams.keys()] : Object.keys(rawArgs(ctx));
  for (const name of names) {
    if (ARRAY_ARG.test(name)) throw new SlackError('invalid_array_arg');
    if (!ARG_NAME.test(name)) throw new SlackError('invalid_arg_name');
  }
}
