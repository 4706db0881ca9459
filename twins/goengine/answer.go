package goengine

import (
	"strconv"
	"strings"
	"time"
)

// Writing an answer in the bytes Node's ServerResponse writes for the TypeScript transport, which calls
// writeHead(status, headers) with the twin's headers (and a Content-Length for a body) and then end(body):
//
//	HTTP/1.1 <status> <Node's reason>
//	<the twin's headers, as named>
//	Date: <now>                          unless the twin set one
//	Connection: keep-alive               or close, unless the twin set one
//	Keep-Alive: timeout=5                with keep-alive
//	Transfer-Encoding: chunked           an answer without a length that may have a body (then "0\r\n\r\n")
//
// The twin's headers come sorted by name (Node keeps the order a handler set them in, which a Go map does not have).

// answer writes the twin's answer (extra, when given, is a header line the transport adds after the twin's) and says
// whether the connection goes on: closing ends it after the answer.
func (c *conn) answer(h *head, res *Result, closing bool, extra string) bool {
	status := res.Status
	hasBody := h.method != "HEAD" && status != 204 && status != 304 && status >= 200
	var body []byte
	if !res.NoBody {
		c.body = res.appendBody(c.body[:0])
		body = c.body
	}
	b := append(c.out[:0], "HTTP/1.1 "...)
	b = strconv.AppendInt(b, int64(status), 10)
	b = append(b, ' ')
	b = append(b, nodeStatusText(status)...)
	b = append(b, "\r\n"...)
	b = appendHeaders(b, res.Headers)
	userConnection := res.Headers.Has("connection")
	if extra != "" {
		b = append(b, extra...)
		b = append(b, "\r\n"...)
		userConnection = true
	}
	if userConnection && connectionCloses(res.Headers, extra) {
		closing = true
	}
	contentLength := res.Headers.Has("content-length")
	if body != nil && !contentLength {
		b = append(b, "content-length: "...)
		b = strconv.AppendInt(b, int64(len(body)), 10)
		b = append(b, "\r\n"...)
		contentLength = true
	}
	if !res.Headers.Has("date") {
		b = append(b, "Date: "...)
		b = append(b, c.server.twin.wallDate()...)
		b = append(b, "\r\n"...)
	}
	// Node sends chunked by default to an HTTP/1.1 request (to another only when its TE header asks for it).
	chunkedByDefault := h.major >= 1 && h.minor >= 1 || teChunked(h.headers["te"])
	if !userConnection {
		if !closing && (contentLength || chunkedByDefault) {
			b = append(b, keepAliveLines...)
		} else {
			closing = true
			b = append(b, "Connection: close\r\n"...)
		}
	}
	chunked := false
	if !contentLength && !res.Headers.Has("transfer-encoding") && hasBody {
		if chunkedByDefault {
			chunked = true
			b = append(b, "Transfer-Encoding: chunked\r\n"...)
		} else {
			// No length and no chunks: the body ends where the connection does.
			closing = true
		}
	}
	b = append(b, "\r\n"...)
	if hasBody {
		if chunked {
			b = append(b, "0\r\n\r\n"...)
		} else {
			b = append(b, body...)
		}
	}
	ok := c.write(b)
	c.out = reuse(b)
	c.body = reuse(c.body)
	return ok && !closing
}

// reuse keeps a buffer for the next answer, unless a rare huge one made it big.
func reuse(b []byte) []byte {
	if cap(b) > pooledBodyLimit {
		return nil
	}
	return b[:0]
}

// appendHeaders writes the twin's headers sorted by name, each value on its own line; CR and LF in a value are
// written as spaces.
func appendHeaders(b []byte, headers Headers) []byte {
	var small [16]string
	names := small[:0]
	for name := range headers {
		names = append(names, name)
	}
	for i := 1; i < len(names); i++ {
		for j := i; j > 0 && names[j] < names[j-1]; j-- {
			names[j], names[j-1] = names[j-1], names[j]
		}
	}
	for _, name := range names {
		for _, v := range headers[name] {
			b = append(b, name...)
			b = append(b, ": "...)
			b = appendHeaderValue(b, v)
			b = append(b, "\r\n"...)
		}
	}
	return b
}

func appendHeaderValue(b []byte, v string) []byte {
	if strings.IndexByte(v, '\r') < 0 && strings.IndexByte(v, '\n') < 0 {
		return append(b, v...)
	}
	for i := 0; i < len(v); i++ {
		c := v[i]
		if c == '\r' || c == '\n' {
			c = ' '
		}
		b = append(b, c)
	}
	return b
}

// connectionCloses says whether the Connection header the twin or the transport set says close (Node's test).
func connectionCloses(headers Headers, extra string) bool {
	if extra != "" && hasWord(strings.ToLower(extra), "close") {
		return true
	}
	for _, v := range headers["connection"] {
		if hasWord(strings.ToLower(v), "close") {
			return true
		}
	}
	return false
}

// teChunked is Node's test of a request's TE header for chunked.
func teChunked(te string) bool { return te != "" && hasWord(strings.ToLower(te), "chunked") }

// hasWord says whether s holds word with no word character (\w) on either side: /(?:^|\W)word(?:$|\W)/i on
// lower-case text.
func hasWord(s, word string) bool {
	for i := 0; ; {
		j := strings.Index(s[i:], word)
		if j < 0 {
			return false
		}
		j += i
		end := j + len(word)
		if (j == 0 || !wordByte(s[j-1])) && (end == len(s) || !wordByte(s[end])) {
			return true
		}
		i = j + 1
	}
}

func wordByte(c byte) bool {
	return c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

// wallDate is the Date header Node adds: the wall clock's second (not the twin's clock), remembered.
func (t *Twin) wallDate() string {
	return t.wallStamps.format(time.Now().Unix(), func(sec int64) string { return HTTPDate(sec * 1000) })
}

// nodeStatusText is the reason phrase Node writes for a status (http.STATUS_CODES), "unknown" for one it lacks.
func nodeStatusText(status int) string {
	if text, ok := nodeReasons[status]; ok {
		return text
	}
	return "unknown"
}

var nodeReasons = map[int]string{
	100: "Continue", 101: "Switching Protocols", 102: "Processing", 103: "Early Hints",
	200: "OK", 201: "Created", 202: "Accepted", 203: "Non-Authoritative Information", 204: "No Content",
	205: "Reset Content", 206: "Partial Content", 207: "Multi-Status", 208: "Already Reported", 226: "IM Used",
	300: "Multiple Choices", 301: "Moved Permanently", 302: "Found", 303: "See Other", 304: "Not Modified",
	305: "Use Proxy", 307: "Temporary Redirect", 308: "Permanent Redirect",
	400: "Bad Request", 401: "Unauthorized", 402: "Payment Required", 403: "Forbidden", 404: "Not Found",
	405: "Method Not Allowed", 406: "Not Acceptable", 407: "Proxy Authentication Required", 408: "Request Timeout",
	409: "Conflict", 410: "Gone", 411: "Length Required", 412: "Precondition Failed", 413: "Payload Too Large",
	414: "URI Too Long", 415: "Unsupported Media Type", 416: "Range Not Satisfiable", 417: "Expectation Failed",
	418: "I'm a Teapot", 421: "Misdirected Request", 422: "Unprocessable Entity", 423: "Locked",
	424: "Failed Dependency", 425: "Too Early", 426: "Upgrade Required", 428: "Precondition Required",
	429: "Too Many Requests", 431: "Request Header Fields Too Large", 451: "Unavailable For Legal Reasons",
	500: "Internal Server Error", 501: "Not Implemented", 502: "Bad Gateway", 503: "Service Unavailable",
	504: "Gateway Timeout", 505: "HTTP Version Not Supported", 506: "Variant Also Negotiates",
	507: "Insufficient Storage", 508: "Loop Detected", 509: "Bandwidth Limit Exceeded", 510: "Not Extended",
	511: "Network Authentication Required",
}
