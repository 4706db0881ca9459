package main

import (
	"io"
	"math/rand"
	"regexp"
	"strings"
	"testing"

	e "twinverse/twins/goengine"
)

// A user's links are written as text (userLinksJSON) where nobody reads them first; the text must be exactly what
// the object form (userLinks) is written as, for every status, credential and factor, and any base URL.
func TestUserLinksTextIsTheObjectWritten(t *testing.T) {
	twin, err := newTwin(&config{host: "127.0.0.1", clock: "2026-01-01T00:00:00.000Z"}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	state := twin.Store.State
	statuses := []string{"STAGED", "PROVISIONED", "ACTIVE", "PASSWORD_EXPIRED", "RECOVERY", "LOCKED_OUT", "SUSPENDED", "DEPROVISIONED", "OTHER", ""}
	bases := []string{"http://127.0.0.1:4010", "http://dev-123.okta.test", `http://q"uote\back`, "http://é日本", "http://bad\xff\xfe", "http://half\xc3", "", "http://ctl\x01\n"}
	ids := []string{"00uadmintwin00000001", "00u\xa9x", `a"b`, "ünï"}
	factors := state.Obj("factors")
	for _, status := range statuses {
		for _, password := range []bool{false, true} {
			for _, factor := range []bool{false, true} {
				for _, base := range bases {
					for _, id := range ids {
						credentials := e.NewObject("provider", e.NewObject("type", "OKTA", "name", "OKTA"))
						if password {
							credentials.Set("password", e.NewObject())
						}
						user := e.NewObject("id", id, "status", status, "type", e.NewObject("id", state.Obj("userTypes").Keys()[0]), "credentials", credentials)
						if factor {
							factors.Set("fx", e.NewObject("id", "fx", "userId", id))
						} else {
							factors.Delete("fx")
						}
						ctx := &e.Ctx{State: state, BaseURL: base}
						want := string(e.Marshal(userLinks(ctx, user)))
						if got := string(userLinksJSON(ctx, user)); got != want {
							t.Fatalf("%s %v %v %q %q:\n got %s\nwant %s", status, password, factor, base, id, got, want)
						}
					}
				}
			}
		}
	}
}

// Parts written as one JSON string give what the string they make is written as, whatever their bytes.
func TestJSONStringPartsAreTheWholeWritten(t *testing.T) {
	r := rand.New(rand.NewSource(5))
	alphabet := []string{"a", "/", `"`, `\`, "\n", "\x01", "é", "\xc3", "\xa9", "\xff", "日", "\xe6", "\x97\xa5", "\U0001F600", "\xf0\x9f"}
	for i := 0; i < 100000; i++ {
		parts := make([]string, 1+r.Intn(4))
		for j := range parts {
			var b strings.Builder
			for n := r.Intn(4); n > 0; n-- {
				b.WriteString(alphabet[r.Intn(len(alphabet))])
			}
			parts[j] = b.String()
		}
		if got, want := string(e.AppendJSONString(nil, parts...)), string(e.Marshal(strings.Join(parts, ""))); got != want {
			t.Fatalf("%q: got %s, want %s", parts, got, want)
		}
	}
}

// The Authorization header is cut without strings.Fields when it is the usual one; the result must be the same.
func TestCredentialsSplitAsFieldsSplitThem(t *testing.T) {
	r := rand.New(rand.NewSource(9))
	alphabet := []string{"SSWS", "ssws", "Bearer", "tok", " ", "  ", "\t", "\n", "\v", "\f", "\r", "\u0085", "\u00a0", "\u2003", "é", "x"}
	cases := []string{"", " ", "SSWS", "SSWS ", " SSWS", "SSWS t", "SSWS  t", "SSWS t u", "SSWS\tt", "a b", "ab c d", "SSWS twin-okta-token"}
	for i := 0; i < 50000; i++ {
		var b strings.Builder
		for n := r.Intn(6); n > 0; n-- {
			b.WriteString(alphabet[r.Intn(len(alphabet))])
		}
		cases = append(cases, b.String())
	}
	for _, h := range cases {
		fields := strings.Fields(h)
		scheme, credential, any := splitCredentials(h)
		if any != (len(fields) > 0) {
			t.Fatalf("%q: any %v, fields %q", h, any, fields)
		}
		if any && (scheme != fields[0] || credential != strings.Join(fields[1:], " ")) {
			t.Fatalf("%q: %q %q, fields %q", h, scheme, credential, fields)
		}
	}
}

// Each request counts against the bucket Okta's Enterprise limits give its endpoint, as twins/okta/rate-limit.ts
// picks it: empty segments (doubled or trailing slashes) do not count.
func TestBucketsFollowTheEndpoints(t *testing.T) {
	for _, c := range []struct{ method, path, key string }{
		{"GET", "/.well-known/openid-configuration", "oauth2 org"},
		{"POST", "/oauth2/v1/token", "oauth2 org"},
		{"POST", "/oauth2/v1/clients", "oauth2 clients"},
		{"POST", "/oauth2/default/v1/token", "oauth2 default"},
		{"GET", "/api/v1/users", "/api/v1/users"},
		{"POST", "//api/v1/users/", "/api/v1/users"},
		{"DELETE", "/api/v1/users", "/api/v1"},
		{"GET", "/api/v1/users/00u1", "GET /api/v1/users/{idOrLogin}"},
		{"POST", "/api/v1/users/00u1", "write /api/v1/users/{id}"},
		{"GET", "/api/v1/users/00u1/groups", "/api/v1"},
		{"GET", "/api/v1/apps", "/api/v1/apps"},
		{"GET", "/api/v1/apps/0oa1/users", "/api/v1/apps"},
		{"PUT", "/api/v1/apps/0oa1", "/api/v1/apps/{id}"},
		{"GET", "/api/v1/groups/00g1", "/api/v1/groups/{id}"},
		{"GET", "/api/v1/groups/00g1/users", "/api/v1/groups"},
		{"GET", "/api/v1/logs", "/api/v1/logs"},
		{"GET", "/api/v1/policies", "/api/v1"},
		{"GET", "/", "/api/v1"},
	} {
		limits := map[string]int{"oauth2 org": 1200, "oauth2 clients": 100, "oauth2 default": 1200, "/api/v1/users": 600, "/api/v1": 600,
			"GET /api/v1/users/{idOrLogin}": 1000, "write /api/v1/users/{id}": 600, "/api/v1/apps": 100, "/api/v1/apps/{id}": 600,
			"/api/v1/groups/{id}": 600, "/api/v1/groups": 600, "/api/v1/logs": 50}
		want := bucket{Key: c.key, Limit: limits[c.key], WindowSeconds: 60}
		if got := bucketOf(c.method, c.path); got != want {
			t.Fatalf("%s %s: %+v, want %+v", c.method, c.path, got, want)
		}
	}
}

// The rate-limit headers set on the response are those rateHeaders lists; the request id is "twin-" and the count.
func TestRateHeadersAndRequestIDs(t *testing.T) {
	for _, w := range []e.Window{{Limit: 1000, Remaining: 999, ResetAt: 1767225660000}, {Limit: 50, Remaining: 0, ResetAt: 1767225660999}, {Limit: 1 << 53, Remaining: 1 << 40, ResetAt: -1500}, {Limit: 1000, Remaining: 998, ResetAt: 1767225660000}} {
		h := e.Headers{}
		setRateHeaders(w, false, nil, h)
		want := rateHeaders(w, false, nil)
		if len(h) != len(want) {
			t.Fatalf("%+v: %v, want %v", w, h, want)
		}
		for k, v := range want {
			if len(h[k]) != 1 || h[k][0] != v {
				t.Fatalf("%+v: %s is %v, want %s", w, k, h[k], v)
			}
		}
	}
	for _, n := range []float64{0, 1, 9, 10, 99, 100, 12345, 1 << 52, 1<<53 - 1, 1 << 53, 1e21, 1.5, -1, -0.5} {
		if got, want := prefixedCount("twin-", n), "twin-"+e.FormatNumber(n); got != want {
			t.Fatalf("%v: %s, want %s", n, got, want)
		}
	}
}

// usersMePath is the regular expression it replaces, written out.
func TestUsersMePathIsTheRegularExpression(t *testing.T) {
	want := regexp.MustCompile(`^/api/v1/users/me(/|$)`)
	for _, p := range []string{"/api/v1/users/me", "/api/v1/users/me/", "/api/v1/users/me/groups", "/api/v1/users/meet", "/api/v1/users/m",
		"/api/v1/users/me\n", "/api/v1/users/me\x00", "api/v1/users/me", "/API/v1/users/me", "", "/api/v1/users/me//x", "x/api/v1/users/me"} {
		if got := usersMePath.MatchString(p); got != want.MatchString(p) {
			t.Fatalf("%q: %v, the expression says %v", p, got, !got)
		}
	}
}
