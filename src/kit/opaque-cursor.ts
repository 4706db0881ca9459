/**
 * An opaque cursor for APIs that page with a token the client hands back (`next_cursor`, `pageToken`): base64 of
 * `kind:key`, where `key` says where the next page starts (the last item's id or timestamp, or an empty key for the
 * start). The kind keeps one list's cursor from being taken for another's.
 *
 * @example
 * const cursor = encodeCursor('user', 'U0ADMIN001'); // 'dXNlcjpVMEFETUlOMDAx'
 */
export function encodeCursor(kind: string, key: string): string {
  return Buffer.from(`${kind}:${key}`, 'utf8').toString('base64');
}

/**
 * The key of a cursor made by encodeCursor for this kind of list; undefined when the cursor is not one (made up,
 * truncated, or another list's), for the twin to refuse in its vendor's words.
 *
 * @example
 * decodeCursor('user', 'dXNlcjpVMEFETUlOMDAx'); // 'U0ADMIN001'
 * decodeCursor('channel', 'dXNlcjpVMEFETUlOMDAx'); // undefined
 */
export function decodeCursor(kind: string, cursor: string): string | undefined {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(cursor)) return undefined;
  const text = Buffer.from(cursor, 'base64').toString('utf8');
  return text.startsWith(`${kind}:`) ? text.slice(kind.length + 1) : undefined;
}
