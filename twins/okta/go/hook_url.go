package main

import (
	"math"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/cases"
	"golang.org/x/text/unicode/norm"
)

// A hook's address is read as the URL Standard reads it (the TypeScript twin's `new URL`), for the schemes a hook
// may use: the scheme and host in lower case, an internationalized host in Punycode, an IPv4 host in dotted decimal,
// no default port, dot segments resolved, and what a path, query or fragment may not hold percent-encoded.

var urlScheme = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9+.\-]*$`)

// hookURL is the URL's href, protocol and hostname (an IPv6 host in brackets), or valid false where `new URL` throws.
func hookURL(raw string) (href, protocol, hostname string, valid bool) {
	s := strings.TrimFunc(raw, func(r rune) bool { return r <= ' ' })
	s = strings.NewReplacer("\t", "", "\n", "", "\r", "").Replace(s)
	colon := strings.IndexByte(s, ':')
	if colon <= 0 || !urlScheme.MatchString(s[:colon]) {
		return "", "", "", false
	}
	scheme := strings.ToLower(s[:colon])
	defaultPorts := map[string]string{"http": "80", "https": "443", "ws": "80", "wss": "443", "ftp": "21"}
	defaultPort, special := defaultPorts[scheme]
	if !special {
		// Not a scheme a hook may use: only the protocol matters, to refuse it.
		return s, scheme + ":", "", true
	}
	rest := s[colon+1:]
	fragment, hasFragment := "", false
	if i := strings.IndexByte(rest, '#'); i >= 0 {
		rest, fragment, hasFragment = rest[:i], rest[i+1:], true
	}
	query, hasQuery := "", false
	if i := strings.IndexByte(rest, '?'); i >= 0 {
		rest, query, hasQuery = rest[:i], rest[i+1:], true
	}
	// In a special URL a backslash is a slash, and any number of slashes may lead to the authority.
	rest = strings.TrimLeft(strings.ReplaceAll(rest, `\`, "/"), "/")
	authority, path := rest, ""
	if i := strings.IndexByte(rest, '/'); i >= 0 {
		authority, path = rest[:i], rest[i:]
	}
	userinfo := ""
	if i := strings.LastIndexByte(authority, '@'); i >= 0 {
		userinfo, authority = authority[:i], authority[i+1:]
	}
	host, port := authority, ""
	if strings.HasPrefix(host, "[") {
		end := strings.IndexByte(host, ']')
		if end < 0 || (end+1 < len(host) && host[end+1] != ':') {
			return "", "", "", false
		}
		if end+1 < len(host) {
			port = host[end+2:]
		}
		ipv6, isIPv6 := canonicalIPv6(strings.ToLower(host[1:end]))
		if !isIPv6 {
			return "", "", "", false
		}
		hostname = "[" + ipv6 + "]"
	} else {
		if i := strings.LastIndexByte(host, ':'); i >= 0 {
			host, port = host[:i], host[i+1:]
		}
		var isHost bool
		if hostname, isHost = urlDomain(host); !isHost {
			return "", "", "", false
		}
	}
	if port != "" {
		if strings.Trim(port, "0123456789") != "" {
			return "", "", "", false
		}
		digits := strings.TrimLeft(port, "0")
		n, err := strconv.Atoi("0" + digits)
		if err != nil || len(digits) > 5 || n > 65535 {
			return "", "", "", false
		}
		port = strconv.Itoa(n)
		if port == defaultPort {
			port = ""
		}
	}
	href = scheme + "://"
	if userinfo != "" {
		user, password, hasPassword := strings.Cut(userinfo, ":")
		href += percentEncode(user, userinfoSet)
		if hasPassword && password != "" {
			href += ":" + percentEncode(password, userinfoSet)
		}
		href += "@"
	}
	href += hostname
	if port != "" {
		href += ":" + port
	}
	href += resolveDotSegments(percentEncode(path, pathSet))
	if hasQuery {
		href += "?" + percentEncode(query, specialQuerySet)
	}
	if hasFragment {
		href += "#" + percentEncode(fragment, fragmentSet)
	}
	return href, scheme + ":", hostname, true
}

// The URL Standard's percent-encode sets, beyond the C0 controls and non-ASCII code points every set holds.
const (
	fragmentSet     = " \"<>`"
	specialQuerySet = " \"#<>'"
	pathSet         = " \"#<>?`{}"
	userinfoSet     = " \"#<>?`{}/:;=@[\\]^|"
)

func percentEncode(s, set string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x20 || c >= 0x7f || strings.IndexByte(set, c) >= 0 {
			b.WriteString("%" + strings.ToUpper(strconv.FormatUint(uint64(c)|0x100, 16)[1:]))
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}

// resolveDotSegments takes out "." and ".." segments (also spelled with %2e) of a special URL's path, which is "/"
// when empty.
func resolveDotSegments(path string) string {
	if path == "" {
		return "/"
	}
	segments := strings.Split(path[1:], "/")
	var out []string
	for i, segment := range segments {
		last := i == len(segments)-1
		switch strings.ToLower(strings.ReplaceAll(strings.ToLower(segment), "%2e", ".")) {
		case ".":
			if last {
				out = append(out, "")
			}
		case "..":
			if len(out) > 0 {
				out = out[:len(out)-1]
			}
			if last {
				out = append(out, "")
			}
		default:
			out = append(out, segment)
		}
	}
	return "/" + strings.Join(out, "/")
}

// urlDomain is a host as the URL Standard's host parser leaves it: percent-decoded, mapped and Punycode-encoded
// (UTS 46), refused when it holds a forbidden code point, and an IPv4 address in dotted decimal when it ends in a number.
func urlDomain(host string) (string, bool) {
	if host == "" {
		return "", false
	}
	decoded := percentDecode(host)
	if !utf8.ValidString(decoded) {
		return "", false
	}
	mapped := norm.NFC.String(cases.Fold().String(norm.NFKC.String(decoded)))
	labels := strings.Split(mapped, ".")
	for i, label := range labels {
		if strings.IndexFunc(label, func(r rune) bool { return r >= 0x80 }) >= 0 {
			labels[i] = "xn--" + punycodeEncode([]rune(label))
		}
	}
	domain := strings.Join(labels, ".")
	for i := 0; i < len(domain); i++ {
		if c := domain[i]; c <= ' ' || c == 0x7f || strings.IndexByte("#%/:<>?@[\\]^|", c) >= 0 {
			return "", false
		}
	}
	if endsInNumber(domain) {
		return urlIPv4(domain)
	}
	return domain, domainLabelsValid(domain)
}

func percentDecode(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '%' && i+2 < len(s) {
			if v, err := strconv.ParseUint(s[i+1:i+3], 16, 8); err == nil {
				b.WriteByte(byte(v))
				i += 2
				continue
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// urlIPv4 is the URL Standard's IPv4 parser: one to four parts, each decimal, octal (a leading 0) or hex (0x).
func urlIPv4(host string) (string, bool) {
	parts := strings.Split(host, ".")
	if len(parts) > 1 && parts[len(parts)-1] == "" {
		parts = parts[:len(parts)-1]
	}
	if len(parts) > 4 {
		return "", false
	}
	numbers := make([]float64, len(parts))
	for i, part := range parts {
		base, digits := 10, part
		switch {
		case strings.HasPrefix(part, "0x") || strings.HasPrefix(part, "0X"):
			base, digits = 16, part[2:]
		case len(part) > 1 && part[0] == '0':
			base, digits = 8, part[1:]
		}
		if part == "" {
			return "", false
		}
		if digits == "" {
			continue
		}
		n, err := strconv.ParseUint(digits, base, 64)
		if err != nil {
			return "", false
		}
		numbers[i] = float64(n)
	}
	last := len(numbers) - 1
	for _, n := range numbers[:last] {
		if n > 255 {
			return "", false
		}
	}
	if numbers[last] >= math.Pow(256, float64(5-len(numbers))) {
		return "", false
	}
	address := numbers[last]
	for i, n := range numbers[:last] {
		address += n * math.Pow(256, float64(3-i))
	}
	out := make([]string, 4)
	for i := 3; i >= 0; i-- {
		out[i] = strconv.Itoa(int(math.Mod(address, 256)))
		address = math.Floor(address / 256)
	}
	return strings.Join(out, "."), true
}

// RFC 3492's parameters for Punycode.
const punyBase, punyTMin, punyTMax, punySkew, punyDamp = 36, 1, 26, 38, 700

// punycodeAdapt is RFC 3492's bias adaptation, shared by encoding (punycodeEncode) and decoding (punycodeLabel).
func punycodeAdapt(delta, points int, first bool) int {
	if first {
		delta /= punyDamp
	} else {
		delta /= 2
	}
	delta += delta / points
	k := 0
	for delta > ((punyBase-punyTMin)*punyTMax)/2 {
		delta /= punyBase - punyTMin
		k += punyBase
	}
	return k + (punyBase-punyTMin+1)*delta/(delta+punySkew)
}

// punycodeEncode is RFC 3492's encoding of a label.
func punycodeEncode(input []rune) string {
	const initialBias, initialN = 72, 128
	digit := func(d int) byte {
		if d < 26 {
			return byte('a' + d)
		}
		return byte('0' + d - 26)
	}
	var out []byte
	for _, r := range input {
		if r < 0x80 {
			out = append(out, byte(r))
		}
	}
	handled := len(out)
	basic := handled
	if basic > 0 {
		out = append(out, '-')
	}
	n, delta, bias := initialN, 0, initialBias
	for handled < len(input) {
		m := math.MaxInt32
		for _, r := range input {
			if int(r) >= n && int(r) < m {
				m = int(r)
			}
		}
		delta += (m - n) * (handled + 1)
		n = m
		for _, r := range input {
			if int(r) < n {
				delta++
			}
			if int(r) != n {
				continue
			}
			q := delta
			for k := punyBase; ; k += punyBase {
				t := k - bias
				if t < punyTMin {
					t = punyTMin
				} else if t > punyTMax {
					t = punyTMax
				}
				if q < t {
					break
				}
				out = append(out, digit(t+(q-t)%(punyBase-t)))
				q = (q - t) / (punyBase - t)
			}
			out = append(out, digit(q))
			bias = punycodeAdapt(delta, handled+1, handled == basic)
			delta = 0
			handled++
		}
		delta++
		n++
	}
	return string(out)
}
