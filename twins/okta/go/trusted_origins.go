package main

import (
	"regexp"
	"strconv"
	"strings"
	"unicode"

	"golang.org/x/text/cases"
	"golang.org/x/text/unicode/bidi"
	"golang.org/x/text/unicode/norm"

	e "twinverse/twins/goengine"
)

// Trusted origins (twins/okta/api/trusted-origins.ts): the origins that may call Okta from a browser (CORS), send
// users back after sign-in or sign-out (REDIRECT), or embed Okta pages (IFRAME_EMBED).

var trustedOriginScopeTypes = []string{"CORS", "REDIRECT", "IFRAME_EMBED"}

// trustedOriginFilter is the one filter form Okta's list takes: name, origin or status compared with eq.
var trustedOriginFilter = regexp.MustCompile(`^[` + jsSpace + `]*(name|origin|status)[` + jsSpace + `]+eq[` + jsSpace + `]+"([^"]*)"[` + jsSpace + `]*$`)

// jsSliceEnd is where JavaScript's slice(0, end) stops for a list of n items: a negative end counts from the end.
func jsSliceEnd(end float64, n int) int {
	if end < 0 {
		end += float64(n)
	}
	if end < 0 {
		return 0
	}
	if end > float64(n) {
		return n
	}
	return int(end)
}

func requireTrustedOrigin(ctx *e.Ctx, id string) (*e.Object, error) {
	if origin := ctx.State.Obj("trustedOrigins").Obj(id); origin != nil {
		return origin, nil
	}
	return nil, notFound(id, "TrustedOrigin")
}

// trustedOriginJSON is a trusted origin as Okta returns it: a self link and the lifecycle link its status allows.
func trustedOriginJSON(ctx *e.Ctx, origin *e.Object) *e.Object {
	self := ctx.BaseURL + "/api/v1/trustedOrigins/" + origin.Str("id")
	lifecycle := "activate"
	if origin.Str("status") == "ACTIVE" {
		lifecycle = "deactivate"
	}
	out := e.CloneObj(origin)
	out.Set("_links", e.NewObject(
		"self", e.NewObject("href", self, "hints", e.NewObject("allow", []any{"GET", "PUT", "DELETE"})),
		lifecycle, e.NewObject("href", self+"/lifecycle/"+lifecycle, "hints", e.NewObject("allow", []any{"POST"})),
	))
	return out
}

// urlHostCharacter: what a host keeps as it is through the URL Standard's host parser (ASCII letters are
// lowercased, so only lowercase ones keep their form; forbidden domain code points make the URL invalid).
func urlHostCharacter(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || strings.IndexByte("!\"$&'()*+,-.;=_`{}~", c) >= 0
}

// punycodeLabel decodes a host label written "xn--..." (RFC 3492); ok is false when it does not decode to a label
// IDNA would keep as it is, which makes the URL invalid: no control or unassigned code points, no leading combining
// mark, a joiner only after a virama, and unchanged by NFKC case folding (UTS 46's mapping).
func punycodeLabel(label string) ([]rune, bool) {
	encoded := strings.TrimPrefix(label, "xn--")
	var output []rune
	if i := strings.LastIndexByte(encoded, '-'); i >= 0 {
		output = []rune(encoded[:i])
		encoded = encoded[i+1:]
	}
	n, i, bias := 128, 0, 72
	for pos := 0; pos < len(encoded); {
		oldi, w := i, 1
		for k := punyBase; ; k += punyBase {
			if pos >= len(encoded) {
				return nil, false
			}
			c := encoded[pos]
			pos++
			digit := 0
			switch {
			case c >= 'a' && c <= 'z':
				digit = int(c - 'a')
			case c >= '0' && c <= '9':
				digit = int(c-'0') + 26
			default:
				return nil, false
			}
			i += digit * w
			t := min(max(k-bias, punyTMin), punyTMax)
			if i > unicode.MaxRune || digit < t {
				break
			}
			w *= punyBase - t
			if w > unicode.MaxRune {
				return nil, false
			}
		}
		if i > unicode.MaxRune {
			return nil, false
		}
		bias = punycodeAdapt(i-oldi, len(output)+1, oldi == 0)
		n += i / (len(output) + 1)
		i %= len(output) + 1
		if n > unicode.MaxRune {
			return nil, false
		}
		output = append(output[:i], append([]rune{rune(n)}, output[i:]...)...)
		i++
	}
	if len(output) == 0 || unicode.Is(unicode.M, output[0]) {
		return nil, false
	}
	for at, r := range output {
		if r == '\u200C' || r == '\u200D' {
			if at == 0 || norm.NFD.PropertiesString(string(output[at-1])).CCC() != 9 {
				return nil, false
			}
			continue
		}
		if !unicode.In(r, unicode.L, unicode.M, unicode.N, unicode.P, unicode.S) {
			return nil, false
		}
		// Cherokee capital letters are what UTS 46 keeps (it maps the small ones to them); case folding would not.
		if (r < 0x13A0 || r > 0x13F5) && norm.NFKC.String(cases.Fold().String(string(r))) != string(r) {
			return nil, false
		}
	}
	return output, norm.NFC.IsNormalString(string(output))
}

// bidiRuleHolds is RFC 5893's Bidi Rule for one label of a host that has right-to-left labels (UTS 46's CheckBidi,
// which the URL Standard sets).
func bidiRuleHolds(label []rune) bool {
	classes := make([]bidi.Class, len(label))
	for i, r := range label {
		p, _ := bidi.LookupRune(r)
		classes[i] = p.Class()
	}
	in := func(c bidi.Class, set ...bidi.Class) bool {
		for _, s := range set {
			if c == s {
				return true
			}
		}
		return false
	}
	last := len(classes) - 1
	for last > 0 && classes[last] == bidi.NSM {
		last--
	}
	switch classes[0] {
	case bidi.R, bidi.AL:
		hasEN, hasAN := false, false
		for _, c := range classes {
			if !in(c, bidi.R, bidi.AL, bidi.AN, bidi.EN, bidi.ES, bidi.CS, bidi.ET, bidi.ON, bidi.BN, bidi.NSM) {
				return false
			}
			hasEN, hasAN = hasEN || c == bidi.EN, hasAN || c == bidi.AN
		}
		return in(classes[last], bidi.R, bidi.AL, bidi.EN, bidi.AN) && !(hasEN && hasAN)
	case bidi.L:
		for _, c := range classes {
			if !in(c, bidi.L, bidi.EN, bidi.ES, bidi.CS, bidi.ET, bidi.ON, bidi.BN, bidi.NSM) {
				return false
			}
		}
		return in(classes[last], bidi.L, bidi.EN)
	}
	return false
}

// domainLabelsValid: every "xn--" label decodes to a label IDNA keeps, and a host with a right-to-left label
// keeps the Bidi Rule in each of its labels.
func domainLabelsValid(host string) bool {
	var labels [][]rune
	rightToLeft := false
	for _, label := range strings.Split(host, ".") {
		decoded := []rune(label)
		if strings.HasPrefix(label, "xn--") {
			var valid bool
			if decoded, valid = punycodeLabel(label); !valid {
				return false
			}
		}
		for _, r := range decoded {
			p, _ := bidi.LookupRune(r)
			rightToLeft = rightToLeft || p.Class() == bidi.R || p.Class() == bidi.AL || p.Class() == bidi.AN
		}
		labels = append(labels, decoded)
	}
	for _, label := range labels {
		if rightToLeft && len(label) > 0 && !bidiRuleHolds(label) {
			return false
		}
	}
	return true
}

// endsInNumber is the URL Standard's "ends in a number" check: such a host is parsed as an IPv4 address.
func endsInNumber(host string) bool {
	labels := strings.Split(host, ".")
	if len(labels) > 1 && labels[len(labels)-1] == "" {
		labels = labels[:len(labels)-1]
	}
	last := labels[len(labels)-1]
	if last == "" {
		return false
	}
	if strings.Trim(last, "0123456789") == "" {
		return true
	}
	hex := strings.TrimPrefix(strings.TrimPrefix(last, "0x"), "0X")
	return hex != last && strings.Trim(hex, "0123456789abcdefABCDEF") == ""
}

// canonicalDecimal: a number written as the URL Standard serializes it (no leading zeros), at most limit.
func canonicalDecimal(s string, limit int) bool {
	n, err := strconv.Atoi(s)
	return err == nil && n >= 0 && n <= limit && strconv.Itoa(n) == s
}

// canonicalIPv6 is an IPv6 host as the URL Standard serializes it: lowercase hex pieces without leading zeros,
// the first longest run of two or more zero pieces compressed to "::".
func canonicalIPv6(text string) (string, bool) {
	var pieces []uint16
	head, tail, compressed := strings.Cut(text, "::")
	parse := func(part string) ([]uint16, bool) {
		if part == "" {
			return nil, true
		}
		var out []uint16
		for _, p := range strings.Split(part, ":") {
			if len(p) == 0 || len(p) > 4 {
				return nil, false
			}
			v, err := strconv.ParseUint(p, 16, 16)
			if err != nil {
				return nil, false
			}
			out = append(out, uint16(v))
		}
		return out, true
	}
	left, okLeft := parse(head)
	right, okRight := parse(tail)
	if !okLeft || !okRight || strings.Contains(tail, "::") {
		return "", false
	}
	switch {
	case compressed && len(left)+len(right) < 8:
		pieces = append(append(append(pieces, left...), make([]uint16, 8-len(left)-len(right))...), right...)
	case !compressed && len(left) == 8:
		pieces = left
	default:
		return "", false
	}
	start, length := -1, 0
	for i := 0; i < 8; {
		if pieces[i] != 0 {
			i++
			continue
		}
		j := i
		for j < 8 && pieces[j] == 0 {
			j++
		}
		if j-i > length {
			start, length = i, j-i
		}
		i = j
	}
	if length < 2 {
		start = -1
	}
	var b strings.Builder
	for i := 0; i < 8; i++ {
		if i == start {
			b.WriteString("::")
			i += length - 1
			continue
		}
		if b.Len() > 0 && !strings.HasSuffix(b.String(), ":") {
			b.WriteByte(':')
		}
		b.WriteString(strconv.FormatUint(uint64(pieces[i]), 16))
	}
	return b.String(), true
}

// isOrigin: an origin is a scheme, a host and an optional port, nothing after them, written as the URL Standard
// serializes an origin (the TypeScript twin compares the value with new URL(value).origin).
func isOrigin(value string) bool {
	scheme, rest, found := strings.Cut(value, "://")
	defaultPort := map[string]string{"http": "80", "https": "443"}[scheme]
	if !found || defaultPort == "" || rest == "" {
		return false
	}
	host, port := rest, ""
	if strings.HasPrefix(rest, "[") {
		end := strings.IndexByte(rest, ']')
		if end < 0 {
			return false
		}
		host, port = rest[:end+1], rest[end+1:]
		canonical, valid := canonicalIPv6(rest[1:end])
		if !valid || "["+canonical+"]" != host {
			return false
		}
	} else {
		if i := strings.IndexByte(rest, ':'); i >= 0 {
			host, port = rest[:i], rest[i:]
		}
		if host == "" {
			return false
		}
		for i := 0; i < len(host); i++ {
			if !urlHostCharacter(host[i]) {
				return false
			}
		}
		if !domainLabelsValid(host) {
			return false
		}
		if endsInNumber(host) {
			parts := strings.Split(host, ".")
			if len(parts) != 4 {
				return false
			}
			for _, p := range parts {
				if !canonicalDecimal(p, 255) {
					return false
				}
			}
		}
	}
	if port == "" {
		return true
	}
	digits := strings.TrimPrefix(port, ":")
	return digits != port && canonicalDecimal(digits, 65535) && digits != defaultPort
}

// checkTrustedOriginBody checks a body before anything is written: a name and an origin each unique in the org, an
// origin that is only scheme, host and port, and at least one scope of a known type. It returns what is stored.
func checkTrustedOriginBody(state, b *e.Object, except string) (*e.Object, error) {
	var problems [][2]string
	var others []*e.Object
	for _, o := range values(state.Obj("trustedOrigins")) {
		if o.Str("id") != except {
			others = append(others, o)
		}
	}
	name := jsTrim(b.Str("name"))
	switch {
	case name == "":
		problems = append(problems, [2]string{"name", "The field cannot be left blank"})
	case anyOrigin(others, func(o *e.Object) bool { return jsLower(o.Str("name")) == jsLower(name) }):
		problems = append(problems, [2]string{"name", "An object with this field already exists in the current organization"})
	}
	origin := jsTrim(b.Str("origin"))
	switch {
	case origin == "":
		problems = append(problems, [2]string{"origin", "The field cannot be left blank"})
	case !isOrigin(origin):
		problems = append(problems, [2]string{"origin", "The origin must be a scheme, a host and an optional port, e.g. https://example.com."})
	case anyOrigin(others, func(o *e.Object) bool { return jsLower(o.Str("origin")) == jsLower(origin) }):
		problems = append(problems, [2]string{"origin", "An object with this field already exists in the current organization"})
	}
	scopes := b.Arr("scopes")
	if len(scopes) == 0 {
		problems = append(problems, [2]string{"scopes", "The field cannot be left blank"})
	} else {
		for _, s := range scopes {
			scope, isObject := s.(*e.Object)
			if !isObject || !contains(trustedOriginScopeTypes, scope.Str("type")) {
				problems = append(problems, [2]string{"scopes", "Each scope's type must be one of " + strings.Join(trustedOriginScopeTypes, ", ") + "."})
				break
			}
		}
	}
	if len(problems) > 0 {
		return nil, invalidFields(problems)
	}
	clean := make([]any, len(scopes))
	for i, s := range scopes {
		scope := s.(*e.Object)
		out := e.NewObject("type", scope.Str("type"))
		if scope.Str("type") == "IFRAME_EMBED" {
			apps := []any{}
			for _, a := range scope.Arr("allowedOktaApps") {
				if _, isString := a.(string); isString {
					apps = append(apps, a)
				}
			}
			out.Set("allowedOktaApps", apps)
		}
		clean[i] = out
	}
	return e.NewObject("name", name, "origin", origin, "scopes", clean), nil
}

func anyOrigin(list []*e.Object, test func(*e.Object) bool) bool {
	for _, o := range list {
		if test(o) {
			return true
		}
	}
	return false
}

// logTrustedOrigin writes Okta's security.trusted_origin.* event (Event Types catalog); the display messages are
// the TypeScript twin's, as the catalog names the types but shows no displayMessage.
func logTrustedOrigin(ctx *e.Ctx, origin *e.Object, action string) {
	target := e.NewObject("id", origin.Str("id"), "type", "TrustedOrigin", "alternateId", origin.Str("origin"), "displayName", origin.Str("name"), "detailEntry", nil)
	logEvent(ctx, logInput{"security.trusted_origin." + action, strings.ToUpper(action[:1]) + action[1:] + " trusted origin", []*e.Object{target}})
}

func setTrustedOriginStatus(ctx *e.Ctx, status string) (*e.Result, error) {
	origin, err := requireTrustedOrigin(ctx, ctx.Params["trustedOriginId"])
	if err != nil {
		return nil, err
	}
	if origin.Str("status") != status {
		ctx.Set(origin, "status", status)
		ctx.Set(origin, "lastUpdated", ctx.Now())
		ctx.Set(origin, "lastUpdatedBy", actorID(ctx))
		action := "deactivate"
		if status == "ACTIVE" {
			action = "activate"
		}
		logTrustedOrigin(ctx, origin, action)
	}
	return ok(trustedOriginJSON(ctx, origin))
}

func trustedOriginHandlers() map[string]e.Handler {
	return map[string]e.Handler{
		"listTrustedOrigins": func(ctx *e.Ctx) (*e.Result, error) {
			q, _ := qString(ctx, "q")
			q = jsLower(q)
			test := func(*e.Object) bool { return true }
			if filter, has := qString(ctx, "filter"); has {
				m := trustedOriginFilter.FindStringSubmatch(filter)
				if m == nil {
					return nil, oktaErr("E0000031", causes("Invalid filter: "+filter))
				}
				test = func(o *e.Object) bool { return o.Str(m[1]) == m[2] }
			}
			var found []*e.Object
			for _, o := range values(ctx.State.Obj("trustedOrigins")) {
				matchesQ := q == "" || strings.HasPrefix(jsLower(o.Str("name")), q) || strings.HasPrefix(jsLower(o.Str("origin")), q)
				if matchesQ && test(o) {
					found = append(found, o)
				}
			}
			// Okta: a page holds 20 origins by default (the document's default) and at most 200.
			limit, _ := qNumber(ctx, "limit")
			after, hasAfter := qString(ctx, "after")
			return pagedJSON(ctx, found, int(min(limit, 200)), after, hasAfter, func(o *e.Object) any { return trustedOriginJSON(ctx, o) })
		},
		"createTrustedOrigin": func(ctx *e.Ctx) (*e.Result, error) {
			sent, err := checkTrustedOriginBody(ctx.State, body(ctx), "")
			if err != nil {
				return nil, err
			}
			now, actor := ctx.Now(), actorID(ctx)
			origin := e.NewObject("id", oktaID(ctx, "tos"))
			merge(origin, sent)
			merge(origin, e.NewObject("status", "ACTIVE", "created", now, "createdBy", actor, "lastUpdated", now, "lastUpdatedBy", actor))
			ctx.Set(ctx.Ensure(ctx.State, "trustedOrigins"), origin.Str("id"), origin)
			logTrustedOrigin(ctx, origin, "create")
			return ok(trustedOriginJSON(ctx, origin))
		},
		"getTrustedOrigin": func(ctx *e.Ctx) (*e.Result, error) {
			origin, err := requireTrustedOrigin(ctx, ctx.Params["trustedOriginId"])
			if err != nil {
				return nil, err
			}
			return ok(trustedOriginJSON(ctx, origin))
		},
		"replaceTrustedOrigin": func(ctx *e.Ctx) (*e.Result, error) {
			origin, err := requireTrustedOrigin(ctx, ctx.Params["trustedOriginId"])
			if err != nil {
				return nil, err
			}
			sent, err := checkTrustedOriginBody(ctx.State, body(ctx), origin.Str("id"))
			if err != nil {
				return nil, err
			}
			for _, k := range sent.Keys() {
				ctx.Set(origin, k, get(sent, k))
			}
			ctx.Set(origin, "lastUpdated", ctx.Now())
			ctx.Set(origin, "lastUpdatedBy", actorID(ctx))
			logTrustedOrigin(ctx, origin, "update")
			return ok(trustedOriginJSON(ctx, origin))
		},
		"deleteTrustedOrigin": func(ctx *e.Ctx) (*e.Result, error) {
			origin, err := requireTrustedOrigin(ctx, ctx.Params["trustedOriginId"])
			if err != nil {
				return nil, err
			}
			ctx.Delete(ctx.State.Obj("trustedOrigins"), origin.Str("id"))
			logTrustedOrigin(ctx, origin, "delete")
			return e.NoContent(), nil
		},
		"activateTrustedOrigin":   func(ctx *e.Ctx) (*e.Result, error) { return setTrustedOriginStatus(ctx, "ACTIVE") },
		"deactivateTrustedOrigin": func(ctx *e.Ctx) (*e.Result, error) { return setTrustedOriginStatus(ctx, "INACTIVE") },
	}
}
