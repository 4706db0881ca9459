package main

import (
	"net/url"
	"strings"
	"testing"
)

// Patterns a user supplies compile and match as JavaScript's new RegExp(source).test(text) does (the answers below
// are Node's).
func TestJSRegExpMatchesAsJavaScript(t *testing.T) {
	cases := []struct {
		pattern, text string
		want          bool
	}{
		{`^a(?=b)`, "ab", true},
		{`^(.)\1$`, "aa", true},
		{`(?<=a)b`, "ab", true},
		{`^\w+$`, "é", false},
		{`^\s+$`, "\u00a0\ufeff\u2028", true},
		{`^\s$`, "\u0085", false},
		{`^.$`, "😀", false},
		{`^..$`, "😀", true},
		{`^😀+$`, "😀", true},
		{`^.$`, "\r", false},
		{`^[a-z]+$`, "ſ", false},
		{`^\p{L}$`, "p{L}", true},
		{`^a{,2}$`, "a{,2}", true},
		{`^\cJ$`, "\n", true},
		{`^[a]+|[b]+$`, "a!", true},
	}
	for _, c := range cases {
		re, err := compileJSRegExp(c.pattern)
		if err != nil {
			t.Fatalf("%s: %v", c.pattern, err)
		}
		if got := re.test(c.text); got != c.want {
			t.Errorf("/%s/.test(%q) = %v, want %v", c.pattern, c.text, got, c.want)
		}
	}
	for _, refused := range []string{`(`, `x{2,1}`, `(?i)a`, `(?i:a)`, `(?#note)a`, `(?>a)`, `(?'n'a)`, `(?(a)b|c)`, `(?<n>a)|(?<n>b)`, `a++`, `(?P<n>a)`} {
		if _, err := compileJSRegExp(refused); err == nil {
			t.Errorf("new RegExp(%q) throws in JavaScript", refused)
		}
	}
}

// A GROUPS claim's REGEX filter takes JavaScript's syntax (a lookahead here, which Go's regexp refuses) and names the
// groups whose whole name it matches; a construct JavaScript has not is refused as an invalid regular expression.
func TestGroupsClaimRegexIsAJavaScriptRegExp(t *testing.T) {
	h := newOAuthHarness(t)
	clientID, secret := h.webApp("")
	for _, name := range []string{"Eng-Core", "Eng-Ops", "Ops"} {
		group := h.send("POST", "/api/v1/groups", `{"profile":{"name":"`+name+`"}}`, "Authorization", "SSWS twin-okta-token").json(t)
		h.send("PUT", "/api/v1/groups/"+group["id"].(string)+"/users/"+oaAdmin, nil, "Authorization", "SSWS twin-okta-token")
	}
	claim := func(value string) reply {
		return h.send("POST", "/api/v1/authorizationServers/default/claims", `{"name":"teams","status":"ACTIVE","claimType":"RESOURCE","valueType":"GROUPS","group_filter_type":"REGEX","value":"`+value+`","conditions":{"scopes":[]},"alwaysIncludeInToken":true}`, "Authorization", "SSWS twin-okta-token")
	}
	refused := h.expectError(claim(`(?i)eng.*`), 400, "E0000001")
	if refused["errorCauses"].([]any)[0].(map[string]any)["errorSummary"] != "value: The value is not a valid regular expression." {
		t.Fatalf("%v", refused)
	}
	if r := claim(`Eng-(?!Ops).*`); r.status != 201 {
		t.Fatalf("a lookahead is JavaScript: %d %s", r.status, r.text)
	}
	r := h.token("/oauth2/default/v1/token", url.Values{"grant_type": {"password"}, "username": {oaAdminLogin}, "password": {oaAdminSecret}, "scope": {"openid"}, "client_id": {clientID}, "client_secret": {secret}})
	_, access := oaJWTParts(t, r.json(t)["access_token"].(string))
	if teams, _ := access["teams"].([]any); len(teams) != 1 || teams[0] != "Eng-Core" {
		t.Fatalf("teams: %v", access["teams"])
	}
}

// The login pattern of the user schema is read as JavaScript reads ^pattern$: its alternatives are not grouped, so
// "[a-z]+|[0-9]+" takes a login that starts with a letter or ends with a digit.
func TestLoginPatternIsAJavaScriptRegExp(t *testing.T) {
	c := newClient(t)
	set := c.do("POST", "/api/v1/meta/schemas/user/default", map[string]any{"definitions": map[string]any{"base": map[string]any{"id": "#base", "type": "object", "properties": map[string]any{"login": map[string]any{"pattern": "[a-z]+|[0-9]+"}}}}})
	if set.status != 200 {
		t.Fatalf("%d %s", set.status, set.text)
	}
	named := func(login string) map[string]any {
		return map[string]any{"profile": map[string]any{"firstName": "Al", "lastName": "Ice", "email": "al@example.com", "login": login}}
	}
	if r := c.do("POST", "/api/v1/users?activate=false", named("alice-1")); r.status != 200 {
		t.Fatalf("%d %s", r.status, r.text)
	}
	refused := c.expectError(c.do("POST", "/api/v1/users?activate=false", named("Alice-x")), 400, "E0000001")
	if !strings.Contains(refused["errorCauses"].([]any)[0].(map[string]any)["errorSummary"].(string), "login: Does not match required pattern") {
		t.Fatalf("%v", refused)
	}
	lineBreak := c.expectError(c.do("POST", "/api/v1/meta/schemas/user/default", map[string]any{"definitions": map[string]any{"base": map[string]any{"id": "#base", "type": "object", "properties": map[string]any{"login": map[string]any{"pattern": "[a\rb]+"}}}}}), 400, "E0000001")
	if lineBreak["errorCauses"].([]any)[0].(map[string]any)["errorSummary"] != `login.pattern: The pattern must be ".+" or a character set of the form "[...]+"` {
		t.Fatalf("%v", lineBreak)
	}
}
