/**
 * Raw HTTP/1.1 bytes, sent alike to the TypeScript Okta twin on node:http (`listen()`) and to the Go binary: each
 * backend must read and refuse them as Node 20's http server does (llhttp, default options). Node's answer is checked
 * against what was measured of it, and the Go twin's against Node's: status lines, header sets (names lower-cased,
 * Date masked, order aside), bodies, whether the connection stayed open, and what the twin journaled.
 */
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { listen, type Listening } from '../../src/adapters/node-http.js';
import { goSources, hasGoToolchain } from '../../src/driver/go-build.js';
import { goTwin, type GoTwin } from '../../src/driver/go-twin.js';
import type { JournalEntry } from '../../src/engine/pipeline.js';
import type { TwinExport } from '../../src/state/store.js';
import { createOktaTwin } from '../../twins/index.js';

const CLOCK = '2026-01-01T00:00:00.000Z';
/** Above the size of a state export, which reaches the admin API as a request body too. */
const BODY_LIMIT = 65536;
/** How long one exchange may take before it counts as a failure (a backend that keeps the connection waiting). */
const GUARD_MS = 2000;

const HOST = 'Host: twin.test\r\n';
const AUTH = 'Authorization: SSWS twin-okta-token\r\n';
const USER = '/api/v1/users/00uadmintwin00000001';
const RULE = '0prrawrequest0000001';
const get = (target: string, extra = '') => `GET ${target} HTTP/1.1\r\n${HOST}${AUTH}${extra}\r\n`;
const post = (headers: string, body: string) => `POST /api/v1/users?activate=false HTTP/1.1\r\n${HOST}${AUTH}Content-Type: application/json\r\n${headers}\r\n${body}`;
const chunked = (body: string) => post('Transfer-Encoding: chunked\r\n', body);
const NEW_USER = JSON.stringify({ profile: { firstName: 'Raw', lastName: 'Request', email: 'raw.request@twin.test', login: 'raw.request@twin.test' } });
const SMALL = '{"a":1}';
const HEX = NEW_USER.length.toString(16);

/**
 * What became of the connection: the probe written after the answers was answered ('kept open') or not ('closed
 * after answering'); the server closed before the answers were complete, an answer with no length ending at the close
 * ('closed first'); or nothing happened within the guard ('timed out').
 */
type Connection = 'kept open' | 'closed after answering' | 'closed first' | 'timed out';

/** What Node was measured to answer: the exact bytes of its own refusals, else the status lines. */
interface Expected {
  statuses: string[];
  connection: Connection;
  journaled: number;
  bytes?: string;
}

interface Case {
  name: string;
  bytes: string;
  expected: Expected;
  /** Final answers to wait for before probing the connection (default 1). */
  answers?: number;
  /** The request is HEAD: its answer has no body. */
  head?: boolean;
  /** Half-close right after the bytes (the body is cut short). */
  halfClose?: boolean;
  /** After the answer, half-close instead of probing: Node reads nothing more on a connection that asked to upgrade. */
  endAfterAnswer?: boolean;
}

const BAD_REQUEST = 'HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n';
const refused = (bytes: string, journaled = 0): Expected => ({ statuses: [bytes.slice(0, bytes.indexOf('\r\n'))], connection: 'closed first', journaled, bytes });
const badRequest = refused(BAD_REQUEST);
const served = (status: string, connection: Connection = 'kept open', journaled = 1): Expected => ({ statuses: [`HTTP/1.1 ${status}`], connection, journaled });

const CASES: Case[] = [
  { name: 'GET of a user', bytes: get(USER), expected: served('200 OK') },
  { name: 'GET of an unknown user', bytes: get('/api/v1/users/00unosuchuser0000001'), expected: served('404 Not Found') },
  { name: 'GET without a token', bytes: `GET ${USER} HTTP/1.1\r\n${HOST}\r\n`, expected: served('403 Forbidden') },
  { name: 'POST creating a user', bytes: post(`Content-Length: ${NEW_USER.length}\r\n`, NEW_USER), expected: served('200 OK') },
  { name: 'HEAD of a user', bytes: `HEAD ${USER} HTTP/1.1\r\n${HOST}${AUTH}\r\n`, head: true, expected: served('200 OK') },
  { name: 'DELETE answered 204', bytes: `DELETE ${USER}/sessions HTTP/1.1\r\n${HOST}${AUTH}\r\n`, expected: served('204 No Content') },
  { name: 'DELETE answered 202 with no body', bytes: `DELETE /api/v1/groups/rules/${RULE} HTTP/1.1\r\n${HOST}${AUTH}\r\n`, expected: served('202 Accepted') },
  { name: 'an unknown path', bytes: get('/api/v1/nothing-here'), expected: served('404 Not Found') },
  { name: 'OPTIONS of a user', bytes: `OPTIONS ${USER} HTTP/1.1\r\n${HOST}${AUTH}\r\n`, expected: served('405 Method Not Allowed') },

  { name: 'method: lower-case get', bytes: `get ${USER} HTTP/1.1\r\n${HOST}${AUTH}\r\n`, expected: badRequest },
  { name: 'method: unknown FETCH', bytes: `FETCH ${USER} HTTP/1.1\r\n${HOST}${AUTH}\r\n`, expected: badRequest },
  { name: 'method: M-SEARCH', bytes: `M-SEARCH ${USER} HTTP/1.1\r\n${HOST}${AUTH}\r\n`, expected: served('405 Method Not Allowed') },
  { name: 'method: PROPFIND', bytes: `PROPFIND ${USER} HTTP/1.1\r\n${HOST}${AUTH}\r\n`, expected: served('405 Method Not Allowed') },
  { name: 'method: QUERY', bytes: `QUERY ${USER} HTTP/1.1\r\n${HOST}${AUTH}\r\n`, expected: served('405 Method Not Allowed') },
  { name: 'method: TRACE', bytes: `TRACE ${USER} HTTP/1.1\r\n${HOST}${AUTH}\r\n`, expected: served('405 Method Not Allowed') },
  { name: 'method: DESCRIBE (RTSP only)', bytes: `DESCRIBE ${USER} HTTP/1.1\r\n${HOST}${AUTH}\r\n`, expected: badRequest },
  { name: 'method: the HTTP/2 preface', bytes: 'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n', expected: badRequest },
  // Node's server has no 'connect' listener: it closes the connection without a byte.
  { name: 'method: CONNECT', bytes: `CONNECT twin.test:443 HTTP/1.1\r\n${HOST}\r\n`, expected: { statuses: [], connection: 'closed first', journaled: 0, bytes: '' } },
  { name: 'method followed by two spaces', bytes: `GET  ${USER} HTTP/1.1\r\n${HOST}${AUTH}\r\n`, expected: served('200 OK') },
  { name: 'method followed by a tab', bytes: `GET\t${USER} HTTP/1.1\r\n${HOST}${AUTH}\r\n`, expected: badRequest },
  { name: 'an empty line before the request line', bytes: `\r\n${get(USER)}`, expected: served('200 OK') },
  { name: 'a space before the method', bytes: ` ${get(USER)}`, expected: badRequest },

  { name: 'target: %ZZ', bytes: get('/api/v1/users/%ZZ'), expected: served('404 Not Found') },
  { name: 'target: a space inside', bytes: `GET /api/v1/users/a b HTTP/1.1\r\n${HOST}${AUTH}\r\n`, expected: badRequest },
  { name: 'target: * with OPTIONS', bytes: `OPTIONS * HTTP/1.1\r\n${HOST}${AUTH}\r\n`, expected: served('404 Not Found') },
  { name: 'target: * with GET', bytes: `GET * HTTP/1.1\r\n${HOST}${AUTH}\r\n`, expected: served('404 Not Found') },
  { name: 'target: absolute-form', bytes: get(`http://other.example${USER}`), expected: served('200 OK') },
  { name: 'target: absolute-form https with a query', bytes: get(`https://other.example${USER}?x=1`), expected: served('200 OK') },
  { name: 'target: authority-form on GET', bytes: get('twin.test:80'), expected: badRequest },
  { name: 'target: a #fragment', bytes: get(`${USER}#frag`), expected: served('200 OK') },
  { name: 'target: ? alone', bytes: get('/api/v1/users?'), expected: served('200 OK') },
  { name: 'target: no leading slash', bytes: get('api/v1/users'), expected: badRequest },
  { name: 'target: a leading //', bytes: get('//api/v1/users'), expected: served('200 OK') },
  { name: 'target: byte 0x01', bytes: get(`${USER}\x01`), expected: badRequest },
  { name: 'target: a tab', bytes: get(`${USER}\tx`), expected: badRequest },
  { name: 'target: DEL', bytes: get(`${USER}\x7f`), expected: badRequest },
  { name: 'target: byte 0xE9', bytes: get('/api/v1/users/\xe9'), expected: badRequest },
  ...['{', '}', '|', '"', '<', '>', '\\', '^', '`'].map((char) => ({ name: `target: ${char}`, bytes: get(`/api/v1/users/a${char}b`), expected: served('404 Not Found') })),
  { name: 'target: empty', bytes: `GET  HTTP/1.1\r\n${HOST}${AUTH}\r\n`, expected: badRequest },
  { name: 'target: 20 KiB', bytes: get(`/api/v1/users/${'a'.repeat(20 * 1024)}`), expected: refused('HTTP/1.1 431 Request Header Fields Too Large\r\nConnection: close\r\n\r\n') },

  { name: 'HTTP/1.0 without Connection', bytes: `GET ${USER} HTTP/1.0\r\n${HOST}${AUTH}\r\n`, expected: served('200 OK', 'closed after answering') },
  {
    name: 'HTTP/1.0 with Connection: keep-alive, then a second request',
    bytes: `GET ${USER} HTTP/1.0\r\n${HOST}${AUTH}Connection: keep-alive\r\n\r\nGET /api/v1/users/me HTTP/1.0\r\n${HOST}${AUTH}\r\n`,
    answers: 2,
    expected: { statuses: ['HTTP/1.1 200 OK', 'HTTP/1.1 200 OK'], connection: 'closed after answering', journaled: 2 },
  },
  { name: 'HTTP/1.0 without Host', bytes: `GET ${USER} HTTP/1.0\r\n${AUTH}\r\n`, expected: served('200 OK', 'closed after answering') },
  { name: 'HTTP/2.0', bytes: `GET ${USER} HTTP/2.0\r\n${HOST}${AUTH}\r\n`, expected: served('200 OK', 'closed after answering') },
  { name: 'HTTP/0.9', bytes: `GET ${USER} HTTP/0.9\r\n${HOST}${AUTH}\r\n`, expected: served('200 OK', 'closed after answering') },
  { name: 'no version', bytes: `GET ${USER}\r\n${HOST}${AUTH}\r\n`, expected: served('200 OK', 'closed after answering') },
  { name: 'HTTP/1.2', bytes: `GET ${USER} HTTP/1.2\r\n${HOST}${AUTH}\r\n`, expected: badRequest },
  { name: 'HTTP/1.10', bytes: `GET ${USER} HTTP/1.10\r\n${HOST}${AUTH}\r\n`, expected: badRequest },
  { name: 'HTTP/3.0', bytes: `GET ${USER} HTTP/3.0\r\n${HOST}${AUTH}\r\n`, expected: badRequest },
  { name: 'lower-case http/1.1', bytes: `GET ${USER} http/1.1\r\n${HOST}${AUTH}\r\n`, expected: badRequest },
  { name: 'a space after the version', bytes: `GET ${USER} HTTP/1.1 \r\n${HOST}${AUTH}\r\n`, expected: badRequest },

  { name: 'header: a line without a colon', bytes: get(USER, 'NoColon\r\n'), expected: badRequest },
  { name: 'header: a space before the colon', bytes: `GET ${USER} HTTP/1.1\r\nHost : twin.test\r\n${AUTH}\r\n`, expected: badRequest },
  { name: 'header: an empty name', bytes: get(USER, ': x\r\n'), expected: badRequest },
  { name: 'header: name X(y)', bytes: get(USER, 'X(y): 1\r\n'), expected: badRequest },
  { name: 'header: name X y', bytes: get(USER, 'X y: 1\r\n'), expected: badRequest },
  { name: 'header: byte 0xE9 in a name', bytes: get(USER, 'X\xe9: 1\r\n'), expected: badRequest },
  { name: 'header: obs-fold with a space', bytes: get(USER, 'X-A: 1\r\n  continued\r\n'), expected: badRequest },
  { name: 'header: obs-fold with a tab', bytes: get(USER, 'X-A: 1\r\n\tcontinued\r\n'), expected: badRequest },
  { name: 'header: obs-fold as the first line', bytes: `GET ${USER} HTTP/1.1\r\n folded\r\n${HOST}${AUTH}\r\n`, expected: badRequest },
  { name: 'header: a bare LF ending a header line', bytes: `GET ${USER} HTTP/1.1\r\n${HOST}X-A: 1\n${AUTH}\r\n`, expected: badRequest },
  { name: 'header: a bare LF ending the request line', bytes: `GET ${USER} HTTP/1.1\n${HOST}${AUTH}\r\n`, expected: badRequest },
  { name: 'header: bare LFs everywhere', bytes: `GET ${USER} HTTP/1.1\nHost: twin.test\nAuthorization: SSWS twin-okta-token\n\n`, expected: badRequest },
  { name: 'header: a bare LF ending the header block', bytes: `GET ${USER} HTTP/1.1\r\n${HOST}${AUTH}\n`, expected: badRequest },
  { name: 'header: a bare CR inside a line', bytes: get(USER, 'X-A: 1\rX-B: 2\r\n'), expected: badRequest },
  { name: 'header: a bare CR ending the request line', bytes: `GET ${USER} HTTP/1.1\r${HOST}${AUTH}\r\n`, expected: badRequest },
  { name: 'header: NUL in a value', bytes: get(USER, 'X-A: a\x00b\r\n'), expected: badRequest },
  { name: 'header: 0x01 in a value', bytes: get(USER, 'X-A: a\x01b\r\n'), expected: badRequest },
  { name: 'header: DEL in a value', bytes: get(USER, 'X-A: a\x7fb\r\n'), expected: badRequest },
  { name: 'header: a tab in a value', bytes: get(USER, 'X-A: a\tb\r\n'), expected: served('200 OK') },
  { name: 'header: bytes 0x80-0xff in a value', bytes: get(USER, 'X-A: \x80\xe9\xff\r\n'), expected: served('200 OK') },
  { name: 'header: spaces and tabs around a value', bytes: get(USER, 'X-A: \t a b \t \r\n'), expected: served('200 OK') },
  { name: 'header: no space after the colon', bytes: `GET ${USER} HTTP/1.1\r\nHost:twin.test\r\nAuthorization:SSWS twin-okta-token\r\n\r\n`, expected: served('200 OK') },
  { name: 'header: a repeated Authorization, the first one wrong', bytes: `GET ${USER} HTTP/1.1\r\n${HOST}Authorization: SSWS nope\r\n${AUTH}\r\n`, expected: served('401 Unauthorized') },
  { name: 'header: 1000 lines, Authorization the last', bytes: `GET ${USER} HTTP/1.1\r\n${HOST}${'a: b\r\n'.repeat(998)}${AUTH}\r\n`, expected: served('200 OK') },
  // Node hands on the first 1000 header lines only (maxHeadersCount 2000 counts names and values); no refusal.
  { name: 'header: 1001 lines, Authorization the last (dropped)', bytes: `GET ${USER} HTTP/1.1\r\n${HOST}${'a: b\r\n'.repeat(999)}${AUTH}\r\n`, expected: served('403 Forbidden') },
  { name: 'header: 2100 lines (over 16 KiB)', bytes: get(USER, Array.from({ length: 2100 }, (_, i) => `X-${i}: ${i}\r\n`).join('')), expected: refused('HTTP/1.1 431 Request Header Fields Too Large\r\nConnection: close\r\n\r\n') },
  // Node counts the target and each header's name and value, without separators or the value's leading whitespace,
  // and refuses at 16384: here 2 + 4 + 1 + 3 + n bytes.
  { name: 'size: 16383 counted', bytes: `GET /x HTTP/1.1\r\nHost: t\r\nX-P: ${'a'.repeat(16373)}\r\n\r\n`, expected: served('404 Not Found') },
  { name: 'size: 16384 counted', bytes: `GET /x HTTP/1.1\r\nHost: t\r\nX-P: ${'a'.repeat(16374)}\r\n\r\n`, expected: refused('HTTP/1.1 431 Request Header Fields Too Large\r\nConnection: close\r\n\r\n') },
  { name: 'size: a value\'s leading spaces are not counted', bytes: `GET /x HTTP/1.1\r\nHost: t\r\nX-P:${' '.repeat(50)}${'a'.repeat(16373)}\r\n\r\n`, expected: served('404 Not Found') },
  { name: 'size: a value\'s trailing spaces are counted', bytes: `GET /x HTTP/1.1\r\nHost: t\r\nX-P: ${'a'.repeat(16364)}${' '.repeat(10)}\r\n\r\n`, expected: refused('HTTP/1.1 431 Request Header Fields Too Large\r\nConnection: close\r\n\r\n') },
  { name: 'size: 200 empty headers count their names only', bytes: `GET /x HTTP/1.1\r\nHost: t\r\n${'e:\r\n'.repeat(200)}X-P: ${'a'.repeat(16173)}\r\n\r\n`, expected: served('404 Not Found') },
  { name: 'size: a long target', bytes: `GET /${'a'.repeat(16378)} HTTP/1.1\r\nHost: t\r\n\r\n`, expected: refused('HTTP/1.1 431 Request Header Fields Too Large\r\nConnection: close\r\n\r\n') },
  { name: 'size: a trailer of 17000 bytes', bytes: chunked(`7\r\n${SMALL}\r\n0\r\nX-T: ${'a'.repeat(17000)}\r\n\r\n`), expected: refused('HTTP/1.1 431 Request Header Fields Too Large\r\nConnection: close\r\n\r\n') },

  {
    name: 'Host: missing on HTTP/1.1',
    bytes: `GET ${USER} HTTP/1.1\r\n${AUTH}\r\n`,
    expected: { statuses: ['HTTP/1.1 400 Bad Request'], connection: 'closed after answering', journaled: 0, bytes: 'HTTP/1.1 400 Bad Request\r\nConnection: close\r\nDate: <date>\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n' },
  },
  { name: 'Host: empty', bytes: `GET ${USER} HTTP/1.1\r\nHost:\r\n${AUTH}\r\n`, expected: served('200 OK') },
  { name: 'Host: repeated, the same', bytes: `GET ${USER} HTTP/1.1\r\n${HOST}${HOST}${AUTH}\r\n`, expected: served('200 OK') },
  { name: 'Host: repeated, different', bytes: `GET ${USER} HTTP/1.1\r\n${HOST}Host: other.example\r\n${AUTH}\r\n`, expected: served('200 OK') },
  { name: 'Host: invalid characters', bytes: `GET ${USER} HTTP/1.1\r\nHost: a b/c\r\n${AUTH}\r\n`, expected: served('200 OK') },
  { name: 'Host: with a port', bytes: `GET ${USER} HTTP/1.1\r\nHost: twin.test:8080\r\n${AUTH}\r\n`, expected: served('200 OK') },

  { name: 'Content-Length: twice, equal', bytes: post(`Content-Length: ${NEW_USER.length}\r\nContent-Length: ${NEW_USER.length}\r\n`, NEW_USER), expected: badRequest },
  { name: 'Content-Length: twice, different', bytes: post(`Content-Length: ${NEW_USER.length}\r\nContent-Length: 3\r\n`, NEW_USER), expected: badRequest },
  { name: 'Content-Length: a list 7, 7', bytes: post('Content-Length: 7, 7\r\n', SMALL), expected: badRequest },
  { name: 'Content-Length: abc', bytes: post('Content-Length: abc\r\n', SMALL), expected: badRequest },
  { name: 'Content-Length: -1', bytes: post('Content-Length: -1\r\n', SMALL), expected: badRequest },
  { name: 'Content-Length: +7', bytes: post('Content-Length: +7\r\n', SMALL), expected: badRequest },
  { name: 'Content-Length: 0x7', bytes: post('Content-Length: 0x7\r\n', SMALL), expected: badRequest },
  { name: 'Content-Length: empty', bytes: post('Content-Length: \r\n', SMALL), expected: badRequest },
  { name: 'Content-Length: spaces around', bytes: post('Content-Length:  7 \r\n', SMALL), expected: served('400 Bad Request') },
  { name: 'Content-Length: 20 digits', bytes: post('Content-Length: 99999999999999999999\r\n', SMALL), expected: badRequest },
  { name: 'Content-Length: 19 digits', bytes: post('Content-Length: 9999999999999999999\r\n', SMALL), expected: served('413 Payload Too Large', 'closed after answering') },
  { name: 'Content-Length: with Transfer-Encoding', bytes: post('Content-Length: 7\r\nTransfer-Encoding: chunked\r\n', `7\r\n${SMALL}\r\n0\r\n\r\n`), expected: badRequest },
  { name: 'Content-Length: 0 on GET', bytes: get(USER, 'Content-Length: 0\r\n'), expected: served('200 OK') },
  { name: 'Content-Length: a body on GET', bytes: get(USER, 'Content-Length: 7\r\n') + SMALL, expected: served('200 OK') },
  // The request reached the twin, but Node's 400 for the bytes after it goes out first and the connection closes.
  { name: 'Content-Length: shorter than the body', bytes: post('Content-Length: 7\r\n', `${SMALL}garbage\r\n\r\n`), expected: refused(BAD_REQUEST, 1) },
  { name: 'Content-Length: longer than the body, then half-close', bytes: post('Content-Length: 50\r\n', SMALL), halfClose: true, expected: badRequest },

  { name: 'chunked', bytes: chunked(`${HEX}\r\n${NEW_USER}\r\n0\r\n\r\n`), expected: served('200 OK') },
  { name: 'chunked: an extension', bytes: chunked(`${HEX};a=b\r\n${NEW_USER}\r\n0\r\n\r\n`), expected: served('200 OK') },
  { name: 'chunked: trailers', bytes: chunked(`${HEX}\r\n${NEW_USER}\r\n0\r\nX-Trailer: 1\r\n\r\n`), expected: served('200 OK') },
  { name: 'chunked: upper-case hex', bytes: chunked(`${HEX.toUpperCase()}\r\n${NEW_USER}\r\n0\r\n\r\n`), expected: served('200 OK') },
  { name: 'chunked: leading zeros', bytes: chunked(`000${HEX}\r\n${NEW_USER}\r\n0000\r\n\r\n`), expected: served('200 OK') },
  { name: 'chunked: a size too large', bytes: chunked(`ffffffffffffffffff\r\n${SMALL}\r\n0\r\n\r\n`), expected: badRequest },
  { name: 'chunked: no CRLF after the data', bytes: chunked(`7\r\n${SMALL}0\r\n\r\n`), expected: badRequest },
  { name: 'chunked: a negative size', bytes: chunked(`-7\r\n${SMALL}\r\n0\r\n\r\n`), expected: badRequest },
  { name: 'chunked: a space after the size', bytes: chunked(`7 \r\n${SMALL}\r\n0\r\n\r\n`), expected: badRequest },
  { name: 'chunked: a bare LF after the size', bytes: chunked(`7\n${SMALL}\r\n0\r\n\r\n`), expected: badRequest },
  { name: 'chunked: an extension of 20 KiB', bytes: chunked(`7;a=${'a'.repeat(20 * 1024)}\r\n${SMALL}\r\n0\r\n\r\n`), expected: refused('HTTP/1.1 413 Payload Too Large\r\nConnection: close\r\n\r\n') },
  { name: 'Transfer-Encoding: gzip', bytes: post('Transfer-Encoding: gzip\r\n', SMALL), expected: badRequest },
  { name: 'Transfer-Encoding: chunked, gzip', bytes: post('Transfer-Encoding: chunked, gzip\r\n', `7\r\n${SMALL}\r\n0\r\n\r\n`), expected: badRequest },
  { name: 'Transfer-Encoding: gzip, chunked', bytes: post('Transfer-Encoding: gzip, chunked\r\n', `7\r\n${SMALL}\r\n0\r\n\r\n`), expected: served('400 Bad Request') },
  { name: 'Transfer-Encoding: identity', bytes: post('Transfer-Encoding: identity\r\n', SMALL), expected: badRequest },
  { name: 'Transfer-Encoding: CHUNKED', bytes: post('Transfer-Encoding: CHUNKED\r\n', `${HEX}\r\n${NEW_USER}\r\n0\r\n\r\n`), expected: served('200 OK') },
  { name: 'Transfer-Encoding: gzip then chunked, two headers', bytes: post('Transfer-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n', `7\r\n${SMALL}\r\n0\r\n\r\n`), expected: served('400 Bad Request') },
  { name: 'Transfer-Encoding: chunked twice, two headers', bytes: post('Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n', `7\r\n${SMALL}\r\n0\r\n\r\n`), expected: badRequest },
  {
    name: 'Transfer-Encoding: chunked on HTTP/1.0',
    bytes: `POST /api/v1/users?activate=false HTTP/1.0\r\n${HOST}${AUTH}Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n${HEX}\r\n${NEW_USER}\r\n0\r\n\r\n`,
    expected: served('200 OK', 'closed after answering'),
  },
  { name: 'Transfer-Encoding: chunked on GET', bytes: get(USER, 'Transfer-Encoding: chunked\r\n') + '0\r\n\r\n', expected: served('200 OK') },

  {
    name: 'Expect: 100-continue with a body',
    bytes: post(`Expect: 100-continue\r\nContent-Length: ${NEW_USER.length}\r\n`, NEW_USER),
    expected: { statuses: ['HTTP/1.1 100 Continue', 'HTTP/1.1 200 OK'], connection: 'kept open', journaled: 1 },
  },
  { name: 'Expect: 100-continue without a body', bytes: get(USER, 'Expect: 100-continue\r\n'), expected: { statuses: ['HTTP/1.1 100 Continue', 'HTTP/1.1 200 OK'], connection: 'kept open', journaled: 1 } },
  { name: 'Expect: 100-continue on HTTP/1.0', bytes: `GET ${USER} HTTP/1.0\r\n${HOST}${AUTH}Expect: 100-continue\r\n\r\n`, expected: served('200 OK', 'closed after answering') },
  {
    name: 'Expect: something else',
    bytes: get(USER, 'Expect: something-else\r\n'),
    expected: { statuses: ['HTTP/1.1 417 Expectation Failed'], connection: 'kept open', journaled: 0, bytes: 'HTTP/1.1 417 Expectation Failed\r\nDate: <date>\r\nConnection: keep-alive\r\nKeep-Alive: timeout=5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n' },
  },

  { name: 'Connection: close', bytes: get(USER, 'Connection: close\r\n'), expected: served('200 OK', 'closed after answering') },
  { name: 'Connection: Close', bytes: get(USER, 'Connection: Close\r\n'), expected: served('200 OK', 'closed after answering') },
  { name: 'Connection: keep-alive, Upgrade without Upgrade', bytes: get(USER, 'Connection: keep-alive, Upgrade\r\n'), expected: served('200 OK') },
  { name: 'Upgrade: websocket', bytes: get(USER, 'Connection: Upgrade\r\nUpgrade: websocket\r\n'), endAfterAnswer: true, expected: served('200 OK', 'closed after answering') },
  { name: 'Upgrade: h2c', bytes: get(USER, 'Connection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\nHTTP2-Settings: AAMAAABkAAQAAP__\r\n'), endAfterAnswer: true, expected: served('200 OK', 'closed after answering') },

  { name: 'pipelined: two GETs in one write', bytes: get(USER) + get('/api/v1/users/me'), answers: 2, expected: { statuses: ['HTTP/1.1 200 OK', 'HTTP/1.1 200 OK'], connection: 'kept open', journaled: 2 } },
  { name: 'pipelined: a GET, then garbage', bytes: `${get(USER)}garbage\r\n\r\n`, expected: refused(BAD_REQUEST, 1) },
  { name: 'pipelined: a GET after Connection: close', bytes: get(USER, 'Connection: close\r\n') + get(USER), expected: refused(BAD_REQUEST, 1) },
  { name: 'pipelined: a GET after an HTTP/1.0 request', bytes: `GET ${USER} HTTP/1.0\r\n${HOST}${AUTH}\r\n${get(USER)}`, expected: refused(BAD_REQUEST, 1) },

  { name: 'body limit: Content-Length over it, the body sent', bytes: post(`Content-Length: ${BODY_LIMIT + 1}\r\n`, 'x'.repeat(BODY_LIMIT + 1)), expected: served('413 Payload Too Large', 'closed after answering') },
  { name: 'body limit: Content-Length over it, no body sent', bytes: post(`Content-Length: ${BODY_LIMIT + 1}\r\n`, ''), expected: served('413 Payload Too Large', 'closed after answering') },
  { name: 'body limit: chunked over it', bytes: chunked(`${(BODY_LIMIT + 1).toString(16)}\r\n${'x'.repeat(BODY_LIMIT + 1)}\r\n0\r\n\r\n`), expected: served('413 Payload Too Large', 'closed after answering') },
  { name: 'body limit: exactly at it', bytes: post(`Content-Length: ${BODY_LIMIT}\r\n`, ' '.repeat(BODY_LIMIT)), expected: served('400 Bad Request') },
];

/** Written once the case's answers are in, on a connection still open: it tells whether the server reads on. */
const PROBE = 'GET /__twin/health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n';

interface Answer {
  statusLine: string;
  headers: Array<[string, string]>;
  body: string;
  raw: string;
}

/** One answer at `at` in `buf`, or undefined while it is incomplete. */
function parseAnswer(buf: Buffer, at: number, head: boolean, closed: boolean): { end: number; answer: Answer } | undefined {
  const headEnd = buf.indexOf('\r\n\r\n', at);
  if (headEnd < 0) return undefined;
  const [statusLine, ...lines] = buf.subarray(at, headEnd).toString('latin1').split('\r\n');
  const headers = lines.map((line): [string, string] => [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 1).trim()]);
  const header = (name: string) => headers.find(([key]) => key.toLowerCase() === name)?.[1];
  const status = Number(statusLine.split(' ')[1]);
  let end = headEnd + 4;
  let body = '';
  const bodiless = head || status < 200 || status === 204 || status === 304;
  if (!bodiless && header('transfer-encoding')?.toLowerCase() === 'chunked') {
    for (;;) {
      const lineEnd = buf.indexOf('\r\n', end);
      if (lineEnd < 0) return undefined;
      const size = parseInt(buf.subarray(end, lineEnd).toString('latin1'), 16);
      if (size === 0) {
        const trailersEnd = buf.indexOf('\r\n\r\n', lineEnd);
        if (trailersEnd < 0) return undefined;
        end = trailersEnd + 4;
        break;
      }
      if (lineEnd + 2 + size + 2 > buf.length) return undefined;
      body += buf.subarray(lineEnd + 2, lineEnd + 2 + size).toString('latin1');
      end = lineEnd + 2 + size + 2;
    }
  } else if (!bodiless && header('content-length') !== undefined) {
    end += Number(header('content-length'));
    if (end > buf.length) return undefined;
    body = buf.subarray(headEnd + 4, end).toString('latin1');
  } else if (!bodiless) {
    // No length: the body ends with the connection.
    if (!closed) return undefined;
    body = buf.subarray(end).toString('latin1');
    end = buf.length;
  }
  return { end, answer: { statusLine, headers, body, raw: buf.subarray(at, end).toString('latin1') } };
}

interface Exchange {
  answers: Answer[];
  /** The bytes that came before the probe. */
  bytes: string;
  connection: Connection;
}

/**
 * Writes a case's bytes in one write and reads its answers; once the expected final answers are in, a connection
 * still open gets PROBE (or a half-close), and is read to its end.
 */
function exchange(port: number, c: Case): Promise<Exchange> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let buf = Buffer.alloc(0);
    let at = 0;
    let finals = 0;
    let probedAt = -1;
    const answers: Answer[] = [];
    const probeAnswers: Answer[] = [];
    const read = (closed: boolean) => {
      for (let next = parseAnswer(buf, at, c.head === true && probedAt < 0, closed); next; next = parseAnswer(buf, at, c.head === true && probedAt < 0, closed)) {
        at = next.end;
        if (probedAt >= 0) probeAnswers.push(next.answer);
        else {
          answers.push(next.answer);
          if (!next.answer.statusLine.startsWith('HTTP/1.1 1')) finals++;
        }
      }
    };
    const finish = (timedOut: boolean) => {
      clearTimeout(guard);
      socket.destroy();
      read(true);
      const connection: Connection = timedOut ? 'timed out' : probedAt < 0 ? 'closed first' : probeAnswers.length ? 'kept open' : 'closed after answering';
      resolve({ answers, bytes: buf.subarray(0, probedAt < 0 ? buf.length : probedAt).toString('latin1'), connection });
    };
    const guard = setTimeout(() => finish(true), GUARD_MS);
    socket.on('data', (chunk: Buffer) => {
      buf = Buffer.concat([buf, chunk]);
      read(false);
      if (probedAt < 0 && finals >= (c.answers ?? 1)) {
        probedAt = buf.length;
        if (c.endAfterAnswer) socket.end();
        else socket.write(PROBE);
      }
    });
    // A reset after the answers is how some refusals end; what was read is the outcome.
    socket.on('error', () => undefined);
    socket.on('close', () => finish(false));
    socket.write(Buffer.from(c.bytes, 'latin1'));
    if (c.halfClose) socket.end();
  });
}

interface Outcome extends Exchange {
  journal: Array<Omit<JournalEntry, 'seq'>>;
}

/** A backend as the cases need it: a port, a way back to one state, its journal. */
interface Backend {
  port: number;
  exportState(): Promise<TwinExport>;
  restore(doc: TwinExport): Promise<void>;
  journal(): Promise<readonly JournalEntry[]>;
}

/**
 * The state each case starts from: the seed with a group rule to delete, and ids moved to a point of the case's own.
 * Ids only move forward (an import never gives one out twice), so both backends reach the same point whatever
 * they served before, and the request ids, error ids and the ids they make match. `sequences` are the names of the
 * counters the backend has used.
 */
function startState(seed: TwinExport, index: number, sequences: string[]): TwinExport {
  const state = { ...(seed.state as Record<string, unknown>) };
  state.groupRules = {
    [RULE]: {
      type: 'group_rule', id: RULE, status: 'INACTIVE', name: 'raw request rule', created: CLOCK, lastUpdated: CLOCK,
      conditions: { expression: { value: 'user.lastName=="Request"', type: 'urn:okta:expression:1.0' } },
      actions: { assignUserToGroups: { groupIds: ['00geveryonetwin00001'] } },
    },
  };
  const step = index + 1;
  const seq = Object.fromEntries(sequences.map((name) => [name, 1000 * step]));
  return { ...seed, state, ids: { rng: 7919 * step, draws: 1_000_000 * step, seq } };
}

async function run(backend: Backend, seed: TwinExport, index: number): Promise<Outcome> {
  const used = Object.keys((await backend.exportState()).ids.seq);
  await backend.restore(startState(seed, index, [...new Set(['requestId', 'errorId', ...used])]));
  const result = await exchange(backend.port, CASES[index]);
  const journal = (await backend.journal()).map(({ seq: _seq, ...entry }) => entry);
  // Links built from the address the connection was accepted on name each backend's own port.
  const local = new RegExp(`127\\.0\\.0\\.1:${backend.port}\\b`, 'g');
  const masked = (text: string) => text.replace(local, '127.0.0.1:<port>');
  const answers = result.answers.map((a) => ({ ...a, headers: a.headers.map(([name, value]): [string, string] => [name, masked(value)]), body: masked(a.body), raw: masked(a.raw) }));
  return { ...result, answers, bytes: masked(result.bytes), journal };
}

const maskDate = (text: string) => text.replace(/^(date: )[^\r]*/gim, '$1<date>');

/** What the two backends must agree on: header names lower-cased and sorted, the Date value masked. */
function comparable(outcome: Outcome) {
  return {
    answers: outcome.answers.map((a) => ({
      statusLine: a.statusLine,
      headers: a.headers.map(([name, value]) => [name.toLowerCase(), name.toLowerCase() === 'date' ? '<date>' : value]).sort((x, y) => (x.join(':') < y.join(':') ? -1 : 1)),
      body: a.body,
    })),
    connection: outcome.connection,
    journal: outcome.journal,
  };
}

let node: Listening;
let nodeBackend: Backend;
let seed: TwinExport;
beforeAll(async () => {
  const twin = createOktaTwin({ clock: CLOCK, bodyLimit: BODY_LIMIT });
  seed = twin.exportState() as TwinExport;
  node = await listen(twin, 0);
  nodeBackend = {
    port: Number(new URL(node.url).port),
    exportState: async () => twin.exportState() as TwinExport,
    restore: async (doc) => {
      twin.reset();
      twin.importState(doc);
    },
    journal: async () => twin.requests,
  };
});
afterAll(() => node?.close());

// Node's outcome of each case, read once: the ids of a case's start state are behind once the next case ran.
const nodeOutcomes = new Map<number, Promise<Outcome>>();
const nodeOutcome = (index: number) => {
  if (!nodeOutcomes.has(index)) nodeOutcomes.set(index, run(nodeBackend, seed, index));
  return nodeOutcomes.get(index)!;
};

describe("Node's http server, as the TypeScript twin serves it", () => {
  test.each(CASES.map((c, index) => [c.name, index] as const))('%s', async (_name, index) => {
    const outcome = await nodeOutcome(index);
    const { expected } = CASES[index];
    expect({ statuses: outcome.answers.map((a) => a.statusLine), connection: outcome.connection, journaled: outcome.journal.length }).toEqual({
      statuses: expected.statuses,
      connection: expected.connection,
      journaled: expected.journaled,
    });
    if (expected.bytes !== undefined) expect(maskDate(outcome.bytes)).toBe(expected.bytes);
    else if (expected.connection === 'kept open') {
      // Node's own last headers on each answer of the twin's that leaves the connection open.
      for (const answer of outcome.answers.filter((a) => !a.statusLine.startsWith('HTTP/1.1 1'))) expect(answer.raw).toMatch(/\r\nConnection: keep-alive\r\nKeep-Alive: timeout=5\r\n(Transfer-Encoding: chunked\r\n)?\r\n/);
    }
  });
});

const realOkta = goSources('okta') !== undefined && (Boolean(process.env.TWINVERSE_GO_BIN) || (await hasGoToolchain()));

describe.runIf(realOkta)('the Go twin reads and refuses raw requests as Node does', () => {
  let go: GoTwin;
  let goBackend: Backend;
  beforeAll(async () => {
    go = await goTwin('okta', { clock: CLOCK, bodyLimit: BODY_LIMIT });
    goBackend = {
      port: Number(new URL(go.url).port),
      exportState: () => go.exportState(),
      restore: async (doc) => {
        await go.reset();
        await go.importState(doc);
      },
      journal: () => go.requests,
    };
  }, 180_000);
  afterAll(() => go?.close());

  test.each(CASES.map((c, index) => [c.name, index] as const))('%s', async (_name, index) => {
    const expected = await nodeOutcome(index);
    const actual = await run(goBackend, seed, index);
    expect(comparable(actual)).toEqual(comparable(expected));
  });
});
