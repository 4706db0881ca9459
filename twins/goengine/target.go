package goengine

import "strings"

// The path and query a request target gives the TypeScript twin, whose engine reads `new URL(origin + target)`: the
// WHATWG URL parser's path and query, so the Go twin routes, journals and links the same request the same way.

// targetParts is a request target's path and query (without "?"), as the WHATWG URL parser gives a URL's pathname
// and search for it: the fragment dropped, "." and ".." segments (also written %2e) resolved, a backslash read as a
// slash, and the characters the parser escapes escaped. An absolute-form target (`http://host/path`) gives its path
// and query; any other target that is not a path gives "/", as the TypeScript transport reads what `new URL` refuses.
func targetParts(target string) (path, query string) {
	if target == "" || target[0] != '/' {
		rest, ok := httpAbsolute(target)
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

// httpAbsolute is the path and query of an absolute http or https URL ("/" when it has none).
func httpAbsolute(target string) (string, bool) {
	scheme, rest, ok := strings.Cut(target, "://")
	if !ok || !(strings.EqualFold(scheme, "http") || strings.EqualFold(scheme, "https")) {
		return "", false
	}
	end := strings.IndexAny(rest, "/\\?#")
	switch {
	case end <= 0:
		// No path, or no authority (the parser then reads the path as the host): the path is "/".
		return "/", true
	case rest[end] == '?' || rest[end] == '#':
		return "/" + rest[end:], true
	}
	return rest[end:], true
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
