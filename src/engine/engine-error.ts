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
  /** The body is not well-formed for its content type (bad JSON). */
  | 'malformed_body'
  /** The body's content type is not one the operation accepts. */
  | 'unsupported_media_type'
  /** Parameters or body do not match the document. */
  | 'invalid_request'
  /** The document names an operation the twin has no handler for. */
  | 'not_implemented'
  /** Strict mode: the twin's own response does not match the document. */
  | 'response_drift'
  /** Anything else that was thrown: a bug in a handler. */
  | 'internal';

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

  constructor(kind: EngineErrorKind, message: string, diagnostics: Diagnostic[] = [], cause?: unknown) {
    super(message);
    this.name = 'EngineError';
    this.kind = kind;
    this.diagnostics = diagnostics;
    this.cause = cause;
  }
}
