package goengine

import (
	"context"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// What the Go transport reads of a request, and what it refuses, the way Node's http server (the TypeScript twin's
// transport) does, so that the two backends see the same request and answer the same bytes.

// nodeMaxHeaderSize is Node's default --max-http-header-size: a request whose target, header names and values
// (Node counts those bytes, not the separators) reach it is refused with 431 before the twin sees it.
const nodeMaxHeaderSize = 16 * 1024

// serverMaxHeaderBytes is what the Go server reads of a header block at most: enough for any block Node would
// take (16 KiB counted plus a few bytes of separators per line), so that the 431 of a larger one is the twin's.
const serverMaxHeaderBytes = 128 * 1024

// NewServer is the HTTP server of a twin, with the limits of Node's http server as the TypeScript twin runs it. The
// text of a connection's local address is made once, for all its requests (localAddress).
func NewServer(handler http.Handler) *http.Server {
	return &http.Server{Handler: handler, MaxHeaderBytes: serverMaxHeaderBytes, ReadHeaderTimeout: 10 * time.Second, IdleTimeout: 5 * time.Second,
		ConnContext: func(ctx context.Context, c net.Conn) context.Context {
			local := localTextOf(c.LocalAddr())
			return context.WithValue(ctx, connLocalKey{}, &local)
		}}
}

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

// nodeHeaderSize is what Node counts against its header limit of a request but its headers: the target, and the
// Host and Transfer-Encoding headers, which Go keeps apart. Each header's name and value count too (toRequest).
func nodeHeaderSize(r *http.Request) int {
	n := len(r.RequestURI)
	if r.Host != "" {
		n += len("Host") + len(r.Host)
	}
	for _, coding := range r.TransferEncoding {
		n += len("Transfer-Encoding") + len(coding)
	}
	return n
}

// nodeParses says whether Node's HTTP parser takes a request's method and target: a method of its list, and a
// target of ASCII alone.
func nodeParses(method, target string) bool {
	switch method {
	case "GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS":
	default:
		if !nodeMethods[method] {
			return false
		}
	}
	for i := 0; i < len(target); i++ {
		if target[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// refuseAsNode answers as Node's http server refuses a request it cannot parse: the status line and
// "Connection: close" alone (no date, no length, no body), then the connection closes. The twin does not see the
// request, so nothing is journaled and no id is spent.
func refuseAsNode(w http.ResponseWriter, status int) {
	if hijacker, ok := w.(http.Hijacker); ok {
		if conn, rw, err := hijacker.Hijack(); err == nil {
			_, _ = rw.WriteString("HTTP/1.1 " + strconv.Itoa(status) + " " + http.StatusText(status) + "\r\nConnection: close\r\n\r\n")
			_ = rw.Flush()
			_ = conn.Close()
			return
		}
	}
	// Where the connection cannot be taken over (HTTP/2, a recorder), the same status, empty, and no keep-alive.
	h := w.Header()
	h["Date"] = nil
	h.Set("Connection", "close")
	w.WriteHeader(status)
}
