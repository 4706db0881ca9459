/**
 * The base of every twin's own error type (one per vendor envelope). The engine hands
 * these to the twin's renderError as they are; anything else thrown in a handler is a bug, reported as an
 * `failure` event and rendered as the vendor's 500.
 *
 * @example
 * class ExampleError extends TwinError {
 *   constructor(readonly status: number, message: string) { super(message); }
 * }
 */
export class TwinError extends Error {}
