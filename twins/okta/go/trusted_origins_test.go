package main

import (
	"strings"
	"testing"
)

func trustedOrigin(name, origin string, scopes ...string) map[string]any {
	list := []any{}
	for _, s := range scopes {
		list = append(list, map[string]any{"type": s})
	}
	return map[string]any{"name": name, "origin": origin, "scopes": list}
}

func TestTrustedOriginsLifecycle(t *testing.T) {
	c := newClient(t)
	created := c.do("POST", "/api/v1/trustedOrigins", trustedOrigin(" App ", "https://app.example.com", "CORS", "REDIRECT"))
	if created.status != 200 {
		t.Fatal(created.text)
	}
	origin := created.json(t)
	id := origin["id"].(string)
	if !strings.HasPrefix(id, "tos") || len(id) != 20 || origin["name"] != "App" || origin["status"] != "ACTIVE" ||
		origin["createdBy"] != "00uadmintwin00000001" || origin["created"] != "2026-01-01T00:00:00.000Z" {
		t.Fatalf("%s", created.text)
	}
	links := origin["_links"].(map[string]any)
	if links["deactivate"].(map[string]any)["href"] != "http://"+host+"/api/v1/trustedOrigins/"+id+"/lifecycle/deactivate" || links["activate"] != nil {
		t.Fatalf("an active origin links its deactivation: %v", links)
	}
	if got := c.do("GET", "/api/v1/trustedOrigins/"+id, nil).json(t); got["origin"] != "https://app.example.com" {
		t.Fatalf("%v", got)
	}

	deactivated := c.do("POST", "/api/v1/trustedOrigins/"+id+"/lifecycle/deactivate", nil).json(t)
	if deactivated["status"] != "INACTIVE" || deactivated["_links"].(map[string]any)["activate"] == nil {
		t.Fatalf("%v", deactivated)
	}
	c.do("POST", "/api/v1/trustedOrigins/"+id+"/lifecycle/deactivate", nil)

	replaced := c.do("PUT", "/api/v1/trustedOrigins/"+id, map[string]any{"name": "App", "origin": "http://localhost:3000",
		"scopes": []any{map[string]any{"type": "IFRAME_EMBED", "allowedOktaApps": []any{"OKTA_ENDUSER", 7}}, map[string]any{"type": "CORS", "extra": true}}})
	scopes := replaced.json(t)["scopes"].([]any)
	if replaced.status != 200 || len(scopes) != 2 || len(scopes[0].(map[string]any)["allowedOktaApps"].([]any)) != 1 || len(scopes[1].(map[string]any)) != 1 {
		t.Fatalf("scopes keep their type (and an embed's app names): %s", replaced.text)
	}
	if r := c.do("DELETE", "/api/v1/trustedOrigins/"+id, nil); r.status != 204 {
		t.Fatal(r.text)
	}
	c.expectError(c.do("GET", "/api/v1/trustedOrigins/"+id, nil), 404, "E0000007")

	var types []string
	for _, event := range c.do("GET", "/api/v1/logs?filter=target.id+eq+%22"+id+"%22", nil).list(t) {
		types = append(types, event["eventType"].(string))
	}
	want := "security.trusted_origin.create security.trusted_origin.deactivate security.trusted_origin.update security.trusted_origin.delete"
	if strings.Join(types, " ") != want {
		t.Fatalf("events %v, want %s (an origin already inactive logs nothing)", types, want)
	}
}

func TestTrustedOriginRefusals(t *testing.T) {
	c := newClient(t)
	c.do("POST", "/api/v1/trustedOrigins", trustedOrigin("First", "https://first.example.com", "CORS"))
	c.do("POST", "/api/v1/trustedOrigins", trustedOrigin("οδος", "https://greek.example.com", "CORS"))
	blank := c.expectError(c.do("POST", "/api/v1/trustedOrigins", map[string]any{"name": "  "}), 400, "E0000001")
	if blank["errorSummary"] != "Api validation failed: name, origin, scopes" || len(blank["errorCauses"].([]any)) != 3 {
		t.Fatalf("%v", blank)
	}
	dup := c.expectError(c.do("POST", "/api/v1/trustedOrigins", trustedOrigin("FIRST", "HTTPS://first.example.com", "CORS")), 400, "E0000001")
	causes := dup["errorCauses"].([]any)
	if causes[0].(map[string]any)["errorSummary"] != "name: An object with this field already exists in the current organization" ||
		causes[1].(map[string]any)["errorSummary"] != "origin: The origin must be a scheme, a host and an optional port, e.g. https://example.com." {
		t.Fatalf("%v", dup)
	}
	c.expectError(c.do("POST", "/api/v1/trustedOrigins", trustedOrigin("Other", "https://FIRST.example.com", "CORS")), 400, "E0000001")
	bad := c.expectError(c.do("POST", "/api/v1/trustedOrigins", trustedOrigin("Other", "https://other.example.com", "CORS", "SAML")), 400, "E0000001")
	if bad["errorCauses"].([]any)[0].(map[string]any)["errorSummary"] != "scopes: Each scope's type must be one of CORS, REDIRECT, IFRAME_EMBED." {
		t.Fatalf("%v", bad)
	}
	c.expectError(c.do("PUT", "/api/v1/trustedOrigins/tosnope", trustedOrigin("X", "https://x.example.com", "CORS")), 404, "E0000007")
	c.expectError(c.do("POST", "/api/v1/trustedOrigins/tosnope/lifecycle/activate", nil), 404, "E0000007")
	c.expectError(c.do("POST", "/api/v1/trustedOrigins", map[string]any{"name": 5}), 400, "E0000001")
	if got := c.do("GET", "/api/v1/trustedOrigins", nil).list(t); len(got) != 2 {
		t.Fatalf("a refused request changes nothing: %v", got)
	}
	// Names compare as JavaScript lowercases them: "İ" becomes "i̇", so "İstanbul" and "istanbul" are two names.
	c.do("POST", "/api/v1/trustedOrigins", trustedOrigin("İstanbul", "https://ist.example.com", "CORS"))
	if r := c.do("POST", "/api/v1/trustedOrigins", trustedOrigin("istanbul", "https://ist2.example.com", "CORS")); r.status != 200 {
		t.Fatal(r.text)
	}
	c.expectError(c.do("POST", "/api/v1/trustedOrigins", trustedOrigin("ΟΔΟΣ", "https://ist3.example.com", "CORS")), 400, "E0000001")
	if got := c.do("GET", "/api/v1/trustedOrigins", nil).list(t); len(got) != 4 {
		t.Fatalf("a refused request changes nothing: %v", got)
	}
}

func TestTrustedOriginsListFiltersAndLimits(t *testing.T) {
	c := newClient(t)
	for _, o := range [][2]string{{"Alpha", "https://alpha.example.com"}, {"Beta", "https://beta.example.com"}, {"Gamma", "http://127.0.0.1:8080"}} {
		c.do("POST", "/api/v1/trustedOrigins", trustedOrigin(o[0], o[1], "CORS"))
	}
	names := func(path string) string {
		var out []string
		for _, o := range c.do("GET", path, nil).list(t) {
			out = append(out, o["name"].(string))
		}
		return strings.Join(out, ",")
	}
	for path, want := range map[string]string{
		"/api/v1/trustedOrigins":                                 "Alpha,Beta,Gamma",
		"/api/v1/trustedOrigins?limit=2":                         "Alpha,Beta",
		"/api/v1/trustedOrigins?limit=-1":                        "",
		"/api/v1/trustedOrigins?limit=0":                         "",
		"/api/v1/trustedOrigins?q=BE":                            "Beta",
		"/api/v1/trustedOrigins?q=http://1":                      "Gamma",
		"/api/v1/trustedOrigins?filter=name+eq+%22Gamma%22":      "Gamma",
		"/api/v1/trustedOrigins?filter=+status+eq+%22ACTIVE%22+": "Alpha,Beta,Gamma",
		"/api/v1/trustedOrigins?filter=name+eq+%22gamma%22":      "",
	} {
		if got := names(path); got != want {
			t.Errorf("%s: %q, want %q", path, got, want)
		}
	}
	refused := c.expectError(c.do("GET", "/api/v1/trustedOrigins?filter=name+sw+%22A%22", nil), 400, "E0000031")
	if refused["errorCauses"].([]any)[0].(map[string]any)["errorSummary"] != `Invalid filter: name sw "A"` {
		t.Fatalf("%v", refused)
	}
}

func TestIsOriginFollowsTheURLStandard(t *testing.T) {
	for value, want := range map[string]bool{
		"https://example.com":       true,
		"http://localhost:3000":     true,
		"https://example.com.":      true,
		"http://[::1]:8080":         true,
		"http://[2001:db8::1]":      true,
		"http://10.0.0.1":           true,
		"https://a_b.example.com":   true,
		"https://example.com/":      false,
		"https://example.com/path":  false,
		"https://Example.com":       false,
		"HTTPS://example.com":       false,
		"https://example.com:443":   false,
		"http://example.com:80":     false,
		"https://example.com:0443":  false,
		"https://example.com:65536": false,
		"https://example.com:":      false,
		"ftp://example.com":         false,
		"https://user@example.com":  false,
		"http://127.1":              false,
		"http://010.0.0.1":          false,
		"http://foo.123":            false,
		"http://[0:0::1]":           false,
		"http://[::FFFF]":           false,
		"http://exa mple.com":       false,
		"https://":                  false,
		"https://example.com?x":     false,
		"https://a..b":              true,
		"https://xn--abc-.de":       true,
		"https://xn--bcher-kva.de":  true,
		"https://xn--ls8h.la":       true,
		"https://xn--.de":           false,
		"https://xn--a.de":          false,
		"https://a.xn--zz":          false,
		"https://*.example.com":     true,
		"http://0x":                 false,
		"https://1.2.3.4.":          false,
		"http://[1:0:0:2:0:0:0:3]":  false,
		"http://[1::]":              true,
		"https://ex%61mple.com":     false,
		"https://a.b.c:0":           true,
	} {
		if got := isOrigin(value); got != want {
			t.Errorf("isOrigin(%q) = %v, want %v", value, got, want)
		}
	}
}

// Each of the three lists pages as the TypeScript twin does: a page of limit (the document's default when none is
// sent, at most 200), a self link with the query as sent, and a next link carrying the cursor and the page size.
func TestIdpServerAndOriginListsPageWithLinks(t *testing.T) {
	c := newClient(t)
	var origins, idps, servers []string
	for _, name := range []string{"Alpha", "Beta", "Gamma"} {
		origins = append(origins, c.do("POST", "/api/v1/trustedOrigins", trustedOrigin(name, "https://"+strings.ToLower(name)+".example.com", "CORS")).json(t)["id"].(string))
		idps = append(idps, c.do("POST", "/api/v1/idps", map[string]any{"type": "GOOGLE", "name": name, "protocol": map[string]any{"type": "OIDC", "scopes": []any{"openid"}, "credentials": map[string]any{"client": map[string]any{"client_id": "gid", "client_secret": "gs"}}}}).json(t)["id"].(string))
	}
	servers = append(servers, "default")
	for _, name := range []string{"AS1", "AS2"} {
		servers = append(servers, c.do("POST", "/api/v1/authorizationServers", map[string]any{"name": name, "description": "d", "audiences": []any{"api://" + name}}).json(t)["id"].(string))
	}
	base := "http://" + host
	for path, ids := range map[string][]string{"/api/v1/trustedOrigins": origins, "/api/v1/idps": idps, "/api/v1/authorizationServers": servers} {
		ids := ids
		check := func(query string, want []string, links ...string) {
			t.Helper()
			r := c.do("GET", path+query, nil)
			var got []string
			for _, item := range r.list(t) {
				got = append(got, item["id"].(string))
			}
			if strings.Join(got, ",") != strings.Join(want, ",") || strings.Join(r.header.Values("Link"), "|") != strings.Join(links, "|") {
				t.Errorf("%s%s: %v %v, want %v %v", path, query, got, r.header.Values("Link"), want, links)
			}
		}
		self := func(query string) string { return "<" + base + path + query + `>; rel="self"` }
		check("", ids, self(""))
		check("?limit=2", ids[:2], self("?limit=2"), "<"+base+path+"?limit=2&after="+ids[1]+`>; rel="next"`)
		check("?limit=2&after="+ids[1], ids[2:], self("?limit=2&after="+ids[1]))
		check("?limit=500", ids, self("?limit=500"))
		check("?after=nosuchid", nil, self("?after=nosuchid"))
		if path != "/api/v1/idps" {
			check("?limit=0", nil, self("?limit=0"))
			check("?limit=-1", nil, self("?limit=-1"))
		}
	}
	for _, limit := range []string{"0", "-1"} {
		c.expectError(c.do("GET", "/api/v1/idps?limit="+limit, nil), 400, "E0000001")
	}
}
