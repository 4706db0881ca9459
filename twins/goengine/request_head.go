package goengine

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"math"
	"os"
	"strings"
)

// Reading a request's head (request line and header lines) as Node's HTTP parser (llhttp, strict, the TypeScript
// twin's transport) reads it: what it takes, what it refuses, and the header values Node's IncomingMessage gives.

// refused is why a request is refused before the twin sees it: the status of the bare answer Node's http server
// writes for it ("HTTP/1.1 <status> ...\r\nConnection: close\r\n\r\n"), then the connection closes.
type refused int

func (r refused) Error() string { return nodeStatusText(int(r)) }

const (
	badRequest    = refused(400)
	headerTooLong = refused(431)
	// extensionsTooLong is Node's answer to chunk extensions over its limit; tooSlow to a request whose head or body
	// is not in within Node's headersTimeout and requestTimeout.
	extensionsTooLong = refused(413)
	tooSlow           = refused(408)
)

// errClosed is a connection that ended between requests, or before a request's first byte.
var errClosed = errors.New("connection closed")

// maxHeadBytes is the most of a head the server reads: Node counts only the target, names and values against its
// 16 KiB (nodeMaxHeaderSize), so a block it takes may be longer with its separators; a longer one gets the 431.
const maxHeadBytes = 128 * 1024

// nodeHeaderLines is how many header lines Node's req.headers holds: server.maxHeadersCount (2000) counts names and
// values, so the lines after the 1000th are left out (the parser still reads their framing).
const nodeHeaderLines = 1000

// head is a request's head as Node reads it.
type head struct {
	method, target string
	// major and minor are the HTTP version (0.9 for a request line without one).
	major, minor int
	headers      map[string]string
	// length is the Content-Length (-1 when there is none); chunked says the body comes in chunks.
	length  int64
	chunked bool
	// keepAlive is llhttp's should-keep-alive: HTTP/1.1 unless "Connection: close", other versions only with
	// keep-alive. upgrade is llhttp's upgrade flag: Connection names upgrade and an Upgrade header came.
	keepAlive, upgrade bool
}

// http11 says whether a request is HTTP/1.1 (Node requires its Host, answers its Expect and chunks by default).
func (h *head) http11() bool { return h.major == 1 && h.minor == 1 }

// requestLine is where a request line's parts are, and its version.
type requestLine struct {
	methodEnd, targetStart, targetEnd int
	major, minor                      int
}

// readHead reads one request head: empty lines before it are skipped (llhttp does), each line must end in CRLF,
// and the block is refused as soon as a line shows what Node's parser refuses.
func (c *conn) readHead() (*head, error) {
	block := c.head[:0]
	defer func() { c.head = block[:0] }()
	var rl requestLine
	lines := 0
	counted := 0
	for {
		line, err := c.readLine(len(block))
		if err != nil {
			return nil, err
		}
		if lines == 0 && len(line) == 2 {
			continue
		}
		if lines == 0 {
			if rl, err = parseRequestLine(line[:len(line)-2]); err != nil {
				return nil, err
			}
			counted += rl.targetEnd - rl.targetStart
		} else if len(line) > 2 {
			n, err := checkHeaderLine(line[:len(line)-2])
			if err != nil {
				return nil, err
			}
			counted += n
		}
		if counted >= nodeMaxHeaderSize {
			return nil, headerTooLong
		}
		block = append(block, line...)
		lines++
		if len(line) == 2 {
			return parseHead(string(block), rl)
		}
	}
}

// readLine reads one line with its CRLF from the connection, refusing a bare LF (llhttp's strict parser does) and a
// head that grows past maxHeadBytes.
func (c *conn) readLine(used int) ([]byte, error) {
	c.line = c.line[:0]
	for {
		chunk, err := c.br.ReadSlice('\n')
		if used+len(c.line)+len(chunk) > maxHeadBytes {
			return nil, headerTooLong
		}
		switch err {
		case nil:
			if len(c.line) == 0 {
				if len(chunk) < 2 || chunk[len(chunk)-2] != '\r' {
					return nil, badRequest
				}
				return chunk, nil
			}
			c.line = append(c.line, chunk...)
			if len(c.line) < 2 || c.line[len(c.line)-2] != '\r' {
				return nil, badRequest
			}
			return c.line, nil
		case bufio.ErrBufferFull:
			c.line = append(c.line, chunk...)
		default:
			if used+len(c.line)+len(chunk) == 0 && errors.Is(err, io.EOF) {
				return nil, errClosed
			}
			return nil, endedInside(err)
		}
	}
}

// endedInside is what a read error inside a request means: a connection that ended (Node answers a bare 400 to an
// incomplete request), a client too slow (Node's 408), or one that failed (nothing to answer).
func endedInside(err error) error {
	switch {
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return badRequest
	case errors.Is(err, os.ErrDeadlineExceeded):
		return tooSlow
	}
	return errClosed
}

// parseRequestLine reads a request line (without its CRLF) as llhttp's strict parser does: a method of Node's
// list, one or more spaces, a target (a path, "*", or an absolute URL; any target for CONNECT), then a space and
// HTTP/0.9, 1.0, 1.1 or 2.0, or nothing (HTTP/0.9).
func parseRequestLine(line []byte) (requestLine, error) {
	var rl requestLine
	sp := bytes.IndexByte(line, ' ')
	if sp <= 0 || !nodeMethod(string(line[:sp])) {
		return rl, badRequest
	}
	rl.methodEnd = sp
	start := sp + 1
	for start < len(line) && line[start] == ' ' {
		start++
	}
	end := start
	for end < len(line) && line[end] != ' ' {
		if !targetByte(line[end]) {
			return rl, badRequest
		}
		end++
	}
	target := line[start:end]
	if len(target) == 0 || !(target[0] == '/' || string(target) == "*" || absoluteURL(target) || string(line[:sp]) == "CONNECT") {
		return rl, badRequest
	}
	rl.targetStart, rl.targetEnd = start, end
	if end == len(line) {
		rl.major, rl.minor = 0, 9
		return rl, nil
	}
	switch string(line[end+1:]) {
	case "HTTP/1.1":
		rl.major, rl.minor = 1, 1
	case "HTTP/1.0":
		rl.major, rl.minor = 1, 0
	case "HTTP/2.0":
		rl.major, rl.minor = 2, 0
	case "HTTP/0.9":
		rl.major, rl.minor = 0, 9
	default:
		return rl, badRequest
	}
	return rl, nil
}

// absoluteURL: a scheme of letters alone (llhttp takes no other) and "://".
func absoluteURL(target []byte) bool {
	i := 0
	for i < len(target) && target[i]|0x20 >= 'a' && target[i]|0x20 <= 'z' {
		i++
	}
	return i > 0 && strings.HasPrefix(string(target[i:]), "://")
}

// targetByte: a byte llhttp takes in a request target (printable ASCII but the space).
func targetByte(c byte) bool { return c > 0x20 && c < 0x7f }

// nodeMethod: a method Node's parser knows (http.METHODS), exactly as written.
func nodeMethod(m string) bool {
	switch m {
	case "GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS":
		return true
	}
	return nodeMethods[m]
}

// checkHeaderLine checks a header line (without its CRLF) as llhttp does: a token, a colon right after it, and a
// value of visible characters, spaces, tabs and bytes above ASCII (obs-text). It gives the bytes Node counts of it:
// the name and the value from its first character on (white space after it counts, before it does not).
func checkHeaderLine(line []byte) (int, error) {
	colon := bytes.IndexByte(line, ':')
	if colon <= 0 {
		return 0, badRequest
	}
	for _, c := range line[:colon] {
		if !tokenByte(c) {
			return 0, badRequest
		}
	}
	value := bytes.TrimLeft(line[colon+1:], " \t")
	for _, c := range value {
		if c < 0x20 && c != '\t' || c == 0x7f {
			return 0, badRequest
		}
	}
	return colon + len(value), nil
}

// tokenByte: a tchar of RFC 9110 (a header name's characters).
func tokenByte(c byte) bool {
	switch {
	case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		return true
	}
	return strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0
}

func trimWhite[T string | []byte](s T) T {
	for len(s) > 0 && (s[0] == ' ' || s[0] == '\t') {
		s = s[1:]
	}
	for len(s) > 0 && (s[len(s)-1] == ' ' || s[len(s)-1] == '\t') {
		s = s[:len(s)-1]
	}
	return s
}

// parseHead reads a checked head block (request line and header lines, each with its CRLF, then the empty line)
// into the request Node gives its handler: headers by lower-case name, a repeated one as IncomingMessage keeps it
// (headerValue), the first 1000 lines only; and the framing llhttp reads from all of them.
func parseHead(block string, rl requestLine) (*head, error) {
	eol := strings.Index(block, "\r\n")
	h := &head{method: block[:rl.methodEnd], target: block[rl.targetStart:rl.targetEnd], major: rl.major, minor: rl.minor, length: -1, headers: make(map[string]string, 8)}
	var repeated map[string][]string
	lengths := 0
	codings := codingState{}
	connection, upgradeHeader := "", false
	count := 0
	wide := false
	for rest := block[eol+2 : len(block)-2]; rest != ""; {
		end := strings.Index(rest, "\r\n")
		hl := rest[:end]
		rest = rest[end+2:]
		colon := strings.IndexByte(hl, ':')
		name := lowerName(hl[:colon])
		value := trimWhite(hl[colon+1:])
		switch name {
		case "content-length":
			// llhttp refuses a second Content-Length, and one that is not all digits.
			lengths++
			n, ok := contentLength(value)
			if !ok || lengths > 1 {
				return nil, badRequest
			}
			h.length = n
		case "transfer-encoding":
			if !codings.add(value) {
				return nil, badRequest
			}
		case "connection":
			connection = value
		case "upgrade":
			upgradeHeader = true
		}
		if count++; count > nodeHeaderLines {
			continue
		}
		wide = wide || !ascii(value)
		if first, seen := h.headers[name]; seen {
			if repeated == nil {
				repeated = map[string][]string{}
			}
			if repeated[name] == nil {
				repeated[name] = []string{first}
			}
			repeated[name] = append(repeated[name], value)
			continue
		}
		h.headers[name] = value
	}
	// Values as IncomingMessage gives them: each byte one character, repeated ones kept once or joined.
	if wide {
		for name, value := range h.headers {
			h.headers[name] = latin1(value)
		}
	}
	for name, values := range repeated {
		h.headers[name] = headerValue(name, values)
	}
	if codings.seen {
		// A request's body is chunked or not at all: llhttp refuses a Transfer-Encoding whose last coding is not
		// chunked, and one beside a Content-Length.
		if !codings.chunked || lengths > 0 {
			return nil, badRequest
		}
		h.chunked = true
	}
	closeToken, keepToken, upgradeToken := connectionTokens(connection)
	if h.major > 0 && h.minor > 0 {
		h.keepAlive = !closeToken
	} else {
		h.keepAlive = keepToken && !closeToken
	}
	h.upgrade = upgradeToken && upgradeHeader
	return h, nil
}

// codingState follows the codings of a request's Transfer-Encoding headers, in order.
type codingState struct{ seen, chunked bool }

// add takes one header's codings; false when a coding follows chunked (llhttp's strict parser refuses it).
func (s *codingState) add(value string) bool {
	s.seen = true
	for _, coding := range strings.Split(value, ",") {
		if coding = trimWhite(coding); coding == "" {
			continue
		}
		if s.chunked {
			return false
		}
		s.chunked = strings.EqualFold(coding, "chunked")
	}
	return true
}

// connectionTokens are the tokens of a Connection header llhttp reads.
func connectionTokens(connection string) (closeToken, keepToken, upgradeToken bool) {
	for _, token := range strings.Split(connection, ",") {
		switch token = trimWhite(token); {
		case strings.EqualFold(token, "close"):
			closeToken = true
		case strings.EqualFold(token, "keep-alive"):
			keepToken = true
		case strings.EqualFold(token, "upgrade"):
			upgradeToken = true
		}
	}
	return
}

// contentLength reads a Content-Length as llhttp does: digits alone, refused past what 64 bits hold; a length past
// an int64 is kept as the largest one (over any body limit).
func contentLength(s string) (int64, bool) {
	if s == "" {
		return 0, false
	}
	var n uint64
	for i := 0; i < len(s); i++ {
		d := uint64(s[i] - '0')
		if s[i] < '0' || s[i] > '9' || n > (math.MaxUint64-d)/10 {
			return 0, false
		}
		n = n*10 + d
	}
	return int64(min(n, math.MaxInt64)), true
}

func ascii(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// lowerName is a header name in lower case, without allocating for one already lower or a common one.
func lowerName(name string) string {
	lower := true
	for i := 0; i < len(name); i++ {
		if c := name[i]; c >= 'A' && c <= 'Z' {
			lower = false
			break
		}
	}
	if lower {
		return name
	}
	for _, known := range commonNames {
		if len(known) == len(name) && strings.EqualFold(known, name) {
			return known
		}
	}
	return strings.ToLower(name)
}

var commonNames = [...]string{"host", "accept", "authorization", "content-type", "content-length", "user-agent", "connection",
	"accept-encoding", "transfer-encoding", "expect", "cookie", "origin", "accept-language", "keep-alive"}

// requestPrefix says whether bytes a client sent after a request can start one Node's parser takes: the complete
// lines of a head checked as readHead checks them, and the last line as far as it goes.
func requestPrefix(b []byte) bool {
	for len(b) >= 2 && b[0] == '\r' && b[1] == '\n' {
		b = b[2:]
	}
	first := true
	for len(b) > 0 {
		i := bytes.IndexByte(b, '\n')
		if i < 0 {
			if b[len(b)-1] == '\r' {
				b = b[:len(b)-1]
			}
			if first {
				return requestLinePrefix(b)
			}
			return headerLinePrefix(b)
		}
		if i == 0 || b[i-1] != '\r' {
			return false
		}
		line := b[:i-1]
		b = b[i+1:]
		var err error
		switch {
		case first:
			_, err = parseRequestLine(line)
			first = false
		case len(line) == 0:
			// The head is complete; what follows is its body.
			return true
		default:
			_, err = checkHeaderLine(line)
		}
		if err != nil {
			return false
		}
	}
	return true
}

// requestLinePrefix: the start of a request line, up to where it was cut.
func requestLinePrefix(b []byte) bool {
	sp := bytes.IndexByte(b, ' ')
	if sp < 0 {
		for method := range nodeMethods {
			if strings.HasPrefix(method, string(b)) {
				return true
			}
		}
		return false
	}
	if !nodeMethod(string(b[:sp])) {
		return false
	}
	target := bytes.TrimLeft(b[sp+1:], " ")
	sp = bytes.IndexByte(target, ' ')
	if sp < 0 {
		sp = len(target)
	}
	for _, c := range target[:sp] {
		if !targetByte(c) {
			return false
		}
	}
	if sp == len(target) {
		return true
	}
	version := string(target[sp+1:])
	for _, known := range [...]string{"HTTP/1.1", "HTTP/1.0", "HTTP/2.0", "HTTP/0.9"} {
		if strings.HasPrefix(known, version) {
			return true
		}
	}
	return false
}

// headerLinePrefix: the start of a header line, up to where it was cut.
func headerLinePrefix(b []byte) bool {
	colon := bytes.IndexByte(b, ':')
	if colon < 0 {
		colon = len(b)
	} else if colon == 0 {
		return false
	}
	for _, c := range b[:colon] {
		if !tokenByte(c) {
			return false
		}
	}
	if colon == len(b) {
		return true
	}
	_, err := checkHeaderLine(b)
	return err == nil
}
