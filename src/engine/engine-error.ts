/**
 * Why the engine refused a request before (or instead of) the twin's handler. Each twin renders it in
 * its vendor's envelope through its renderError.
 *
 * @example
 * if (error instanceof EngineError && error.kind === 'route_not_found') return { status: 404, body: { error: 'not_found' } };
 */
export type EngineErrorKind =
  /** No path of the document matches. */
  | 'route_not_found'
  /** The path exists, the method does not. */
  | 'method_not_allowed'
  /** The body is not well-formed for its content type (bad JSON), or nests deeper than the engine reads. */
  | 'malformed_body'
  /** The body is larger than the twin's limit; it was not read. */
  | 'payload_too_large'
  /** The body's content type is not one the operation accepts. */
  | 'unsupported_media_type'
  /** Parameters or body do not match the document. */
  | 'invalid_request'
  /** The document names an operation the twin has no handler for. */
  | 'not_implemented'
  /** Strict mode: the twin's own response does not match the document. */
  | 'response_drift'
  /** Anything else that was thrown: a bug in a handler. */
  | 'internal'
  /** A plugin: the caller went over a rate limit (details: limit, resetAt, retryAfterSeconds). */
  | 'rate_limited'
  /** A plugin: the service is unavailable for now (an injected 503). */
  | 'unavailable'
  /** A plugin: the service failed (an injected 500, not a bug). */
  | 'server_error'
  /** A plugin: the credential has expired or was revoked. */
  | 'unauthorized';

/**
 * Facts a refusal carries for the twin to render in its vendor's headers and envelope.
 *
 * @example
 * const details: RefusalDetails = { limit: 600, remaining: 0, resetAt: 1767225660000, retryAfterSeconds: 60 };
 */
export interface RefusalDetails {
  /** The limit of the bucket the request counted against. */
  limit?: number;
  remaining?: number;
  /** When the limit's window ends, in epoch milliseconds. */
  resetAt?: number;
  /** Whole seconds a client should wait before it tries again. */
  retryAfterSeconds?: number;
  /** The bucket or scope the refusal is about (e.g. an endpoint's rate-limit bucket). */
  scope?: string;
  /** Why a credential no longer works: it expired, or it was revoked. */
  reason?: 'expired' | 'revoked';
  /** The methods the path does serve (a method_not_allowed refusal), for the Allow header. */
  allow?: string[];
}

/**
 * One reason a request (or, in strict mode, a response) failed validation.
 *
 * @example
 * const causes = error.diagnostics.map((d: Diagnostic) => `${d.in} ${d.name}: ${d.message}`); // ['body profile.email: is required']
 */
export interface Diagnostic {
  /** Where: path, query, header, body or response. */
  in: 'path' | 'query' | 'header' | 'body' | 'response';
  /** The parameter name, or the dotted path inside the body (profile.email). */
  name: string;
  message: string;
}

/**
 * A refusal by the engine, rendered by the twin in its vendor's language.
 *
 * @example
 * throw new EngineError('route_not_found', 'GET /nothing is not emulated by the example twin');
 */
export class EngineError extends Error {
  readonly kind: EngineErrorKind;
  readonly diagnostics: Diagnostic[];
  readonly cause?: unknown;
  readonly details: RefusalDetails;

  constructor(kind: EngineErrorKind, message: string, diagnostics: Diagnostic[] = [], cause?: unknown, details: RefusalDetails = {}) {
    super(message);
    this.name = 'EngineError';
    this.kind = kind;
    this.diagnostics = diagnostics;
    this.cause = cause;
    this.details = details;
  }
}
