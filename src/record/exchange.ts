/**
 * One request and its answer as a recording holds them, decoded for the code that reads it: header names in lower
 * case, JSON bodies parsed (a form body as an object of strings; any other body as its text).
 *
 * @example
 * const exchange: RecordedExchange = {
 *   method: 'GET', url: new URL('https://dev-123.okta.com/api/v1/users/00u1'), requestHeaders: {},
 *   status: 200, responseHeaders: { 'content-type': 'application/json' }, responseBody: { id: '00u1' },
 * };
 */
export interface RecordedExchange {
  /** Upper-case HTTP method. */
  method: string;
  /** The URL as recorded: the vendor's origin, path and query. */
  url: URL;
  requestHeaders: Record<string, string>;
  requestBody?: unknown;
  status: number;
  responseHeaders: Record<string, string>;
  responseBody?: unknown;
}

/**
 * What a twin made of a recording when it built its state from it: the state, and a line per thing it left out
 * and why (a list the recording shows only in part, a resource the twin does not keep).
 *
 * @example
 * const seeded: SeedFromRecording<{ users: Record<string, unknown> }> = { state: { users: {} }, notes: ['GET /api/v1/apps: not kept'] };
 */
export interface SeedFromRecording<S> {
  state: S;
  notes: string[];
  /** Named id counters (as `ids.sequence(name, ...)` draws them) to move past the recorded ids, so new ids never repeat one. */
  sequences?: Record<string, number>;
}
