package goengine

import (
	"net"
	"net/url"
	"strconv"
	"strings"
)

// The path and query a request target gives the TypeScript twin, whose engine reads `new URL(origin + target)`: the
// WHATWG URL parser's path and query, so the Go twin routes, journals and links the same request the same way.

// targetParts is a request target's path and query (without "?"), as the WHATWG URL parser gives a URL's pathname
// and search for it: the fragment dropped, "." and ".." segments (also written %2e) resolved, a backslash read as a
// slash, and the characters the parser escapes escaped. An absolute-form target (`http://host/path`) gives its path
// and query when `new URL` takes it; any other target that is not a path gives "/", as the TypeScript transport
// reads what `new URL` refuses.
func targetParts(target string) (path, query string) {
	if target == "" || target[0] != '/' {
		rest, ok := absolutePath(target)
		if !ok {
			return "/", ""
		}
		target = rest
	}
	if i := strings.IndexByte(target, '#'); i >= 0 {
		target = target[:i]
	}
	rawPath, rawQuery, _ := strings.Cut(target, "?")
	if plainPath(rawPath) {
		path = rawPath
	} else {
		path = normalizePath(rawPath)
	}
	return path, escapeQuery(rawQuery)
}

// specialSchemes are the WHATWG URL standard's special schemes but file (whose host may be empty).
var specialSchemes = map[string]bool{"http": true, "https": true, "ws": true, "wss": true, "ftp": true}

// absolutePath is what follows the authority of an absolute URL, as `new URL` reads it ("/" when nothing does),
// and false when `new URL` refuses the URL (a host or port it cannot read). For a special scheme any run of slashes
// and backslashes leads to the authority (`http:///x/y` is host x, path /y); for another, two slashes do.
func absolutePath(target string) (string, bool) {
	colon := strings.IndexByte(target, ':')
	if colon <= 0 {
		return "", false
	}
	scheme := strings.ToLower(target[:colon])
	rest := target[colon+1:]
	special := specialSchemes[scheme]
	switch {
	case special:
		rest = strings.TrimLeft(rest, "/\\")
	case strings.HasPrefix(rest, "//"):
		rest = rest[2:]
	default:
		return "", false
	}
	end := len(rest)
	if i := strings.IndexAny(rest, "/?#"); i >= 0 {
		end = i
	}
	if special {
		if i := strings.IndexAny(rest, "/\\?#"); i >= 0 {
			end = i
		}
	}
	authority, after := rest[:end], rest[end:]
	if !validAuthority(authority, special, scheme == "file") {
		return "", false
	}
	if after == "" || after[0] == '?' || after[0] == '#' {
		after = "/" + after
	}
	return after, true
}

// validAuthority says whether `new URL` takes an authority: userinfo aside, a host (required for a special scheme
// but file) without the code points the standard forbids in hosts, a bracketed IPv6 address, or a valid IPv4
// address when its last label is a number; and a port of at most five digits up to 65535.
func validAuthority(authority string, special, file bool) bool {
	if i := strings.LastIndexByte(authority, '@'); i >= 0 {
		authority = authority[i+1:]
	}
	host, port := authority, ""
	if strings.HasPrefix(host, "[") {
		end := strings.IndexByte(host, ']')
		if end < 0 || net.ParseIP(host[1:end]) == nil || strings.Contains(host[1:end], ".") && !strings.Contains(host[1:end], ":") {
			return false
		}
		host, port = host[:end+1], host[end+1:]
		if port != "" && port[0] != ':' {
			return false
		}
		port = strings.TrimPrefix(port, ":")
	} else if i := strings.LastIndexByte(host, ':'); i >= 0 {
		host, port = host[:i], host[i+1:]
	}
	if len(port) > 5 {
		return false
	}
	if port != "" {
		n, err := strconv.Atoi(port)
		if err != nil || n > 65535 || strings.ContainsAny(port, "+-") {
			return false
		}
	}
	if host == "" {
		return !special || file
	}
	if host[0] == '[' {
		return true
	}
	if special {
		// A host whose escapes do not decode keeps its %, which a domain may not hold.
		decoded, err := url.PathUnescape(host)
		if err != nil || strings.ContainsAny(decoded, forbiddenDomain) {
			return false
		}
		return ipv4Valid(decoded)
	}
	return !strings.ContainsAny(host, forbiddenHost)
}

// forbiddenHost are the WHATWG forbidden host code points (with the C0 controls, which a target cannot hold);
// forbiddenDomain adds % to them.
const (
	forbiddenHost   = " #/:<>?@[\\]^|"
	forbiddenDomain = forbiddenHost + "%"
)

// ipv4Valid: a host whose last label is a number must be an IPv4 address the standard reads (decimal, 0x hex or
// 0-led octal parts, at most four, the last filling the bytes the others leave).
func ipv4Valid(host string) bool {
	labels := strings.Split(strings.TrimSuffix(host, "."), ".")
	if _, ok := ipv4Number(labels[len(labels)-1]); !ok {
		return true
	}
	if len(labels) > 4 {
		return false
	}
	for i, label := range labels {
		n, ok := ipv4Number(label)
		if !ok {
			return false
		}
		if i < len(labels)-1 && n > 255 || i == len(labels)-1 && n >= 1<<(8*(5-len(labels))) {
			return false
		}
	}
	return true
}

// ipv4Number reads one IPv4 part as the standard does.
func ipv4Number(s string) (uint64, bool) {
	base := 10
	switch {
	case len(s) >= 2 && (s[:2] == "0x" || s[:2] == "0X"):
		s, base = s[2:], 16
		if s == "" {
			return 0, true
		}
	case len(s) >= 2 && s[0] == '0':
		s, base = s[1:], 8
	}
	if s == "" {
		return 0, false
	}
	n, err := strconv.ParseUint(s, base, 64)
	return n, err == nil
}

// plainPath says whether a path is its own WHATWG form: no backslash, nothing to escape, no dot segment.
func plainPath(p string) bool {
	start := 1
	for i := 1; i <= len(p); i++ {
		if i == len(p) || p[i] == '/' {
			if segment := p[start:i]; singleDot(segment) || doubleDot(segment) {
				return false
			}
			start = i + 1
			continue
		}
		if c := p[i]; c == '\\' || pathEscaped(c) {
			return false
		}
	}
	return true
}

// pathEscaped: the WHATWG path percent-encode set (C0 controls, space, ", #, <, >, ?, `, {, } and all but ASCII).
func pathEscaped(c byte) bool {
	return c <= 0x20 || c >= 0x7f || c == '"' || c == '#' || c == '<' || c == '>' || c == '?' || c == '`' || c == '{' || c == '}'
}

// queryEscaped: the WHATWG special-query percent-encode set (C0 controls, space, ", #, ', <, > and all but ASCII).
func queryEscaped(c byte) bool {
	return c <= 0x20 || c >= 0x7f || c == '"' || c == '#' || c == '\'' || c == '<' || c == '>'
}

const upperHex = "0123456789ABCDEF"

// normalizePath is the WHATWG URL parser's path state for a special URL: segments split at / and \, each escaped,
// "." segments dropped and ".." ones removing the segment before; a dot segment at the end leaves an empty one.
func normalizePath(p string) string {
	segments := make([]string, 0, 8)
	for i := 1; i <= len(p); {
		end := i
		for end < len(p) && p[end] != '/' && p[end] != '\\' {
			end++
		}
		segment := p[i:end]
		last := end >= len(p)
		switch {
		case doubleDot(segment):
			if len(segments) > 0 {
				segments = segments[:len(segments)-1]
			}
			if last {
				segments = append(segments, "")
			}
		case singleDot(segment):
			if last {
				segments = append(segments, "")
			}
		default:
			segments = append(segments, escapeSegment(segment))
		}
		i = end + 1
	}
	if len(segments) == 0 {
		return "/"
	}
	return "/" + strings.Join(segments, "/")
}

func singleDot(s string) bool { return s == "." || strings.EqualFold(s, "%2e") }

func doubleDot(s string) bool {
	switch len(s) {
	case 2:
		return s == ".."
	case 4:
		return strings.EqualFold(s, ".%2e") || strings.EqualFold(s, "%2e.")
	case 6:
		return strings.EqualFold(s, "%2e%2e")
	}
	return false
}

func escapeSegment(s string) string { return escapeBytes(s, pathEscaped) }

func escapeQuery(s string) string { return escapeBytes(s, queryEscaped) }

// escapeBytes percent-encodes the bytes of s that escaped selects (an escape already written stays as it is).
func escapeBytes(s string, escaped func(byte) bool) string {
	n := 0
	for i := 0; i < len(s); i++ {
		if escaped(s[i]) {
			n++
		}
	}
	if n == 0 {
		return s
	}
	b := make([]byte, 0, len(s)+2*n)
	for i := 0; i < len(s); i++ {
		if c := s[i]; escaped(c) {
			b = append(b, '%', upperHex[c>>4], upperHex[c&15])
		} else {
			b = append(b, c)
		}
	}
	return string(b)
}
