package goengine

import (
	"strings"
	"unicode/utf8"
)

// What the Go transport reads of a request's headers the way Node's http server (the TypeScript twin's transport)
// gives them, so that the two backends see the same request.

// nodeMaxHeaderSize is Node's default --max-http-header-size: a request whose target, header names and values
// (Node counts those bytes, not the separators) reach it is refused with 431 before the twin sees it.
const nodeMaxHeaderSize = 16 * 1024

// nodeMethods are the methods Node's HTTP parser takes (http.METHODS); any other, a lower-case one included, is
// refused with 400 before the twin sees it.
var nodeMethods = map[string]bool{
	"ACL": true, "BIND": true, "CHECKOUT": true, "CONNECT": true, "COPY": true, "DELETE": true, "GET": true, "HEAD": true,
	"LINK": true, "LOCK": true, "M-SEARCH": true, "MERGE": true, "MKACTIVITY": true, "MKCALENDAR": true, "MKCOL": true,
	"MOVE": true, "NOTIFY": true, "OPTIONS": true, "PATCH": true, "POST": true, "PROPFIND": true, "PROPPATCH": true,
	"PURGE": true, "PUT": true, "QUERY": true, "REBIND": true, "REPORT": true, "SEARCH": true, "SOURCE": true,
	"SUBSCRIBE": true, "TRACE": true, "UNBIND": true, "UNLINK": true, "UNLOCK": true, "UNSUBSCRIBE": true,
}

// nodeFirstOnly are the headers of which Node's http server keeps the first value and discards the others
// (IncomingMessage: "Duplicates of age, authorization, ... or user-agent are discarded").
var nodeFirstOnly = map[string]bool{
	"age": true, "authorization": true, "content-length": true, "content-type": true, "etag": true, "expires": true,
	"from": true, "host": true, "if-modified-since": true, "if-unmodified-since": true, "last-modified": true,
	"location": true, "max-forwards": true, "proxy-authorization": true, "referer": true, "retry-after": true,
	"server": true, "user-agent": true,
}

// headerValue is a request header's value as the TypeScript twin reads it from Node: the first of the values of a
// header Node keeps once, cookies joined with "; ", others with ", " (set-cookie too, as the adapter joins Node's
// array); each byte is one character (Latin-1), as Node decodes header bytes.
func headerValue(name string, values []string) string {
	if len(values) == 1 || nodeFirstOnly[name] {
		return latin1(values[0])
	}
	if name == "cookie" {
		return latin1(strings.Join(values, "; "))
	}
	return latin1(strings.Join(values, ", "))
}

// latin1 reads a header's bytes as Latin-1, each one character, written as UTF-8: a value of ASCII alone is itself.
func latin1(s string) string {
	wide := 0
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			wide++
		}
	}
	if wide == 0 {
		return s
	}
	b := make([]byte, 0, len(s)+wide)
	for i := 0; i < len(s); i++ {
		b = utf8.AppendRune(b, rune(s[i]))
	}
	return string(b)
}
