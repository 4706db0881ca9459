package main

import (
	"net/url"
	"testing"
)

// The refresh tokens an app's client holds, listed and revoked through the app.

func TestApplicationRefreshTokens(t *testing.T) {
	c, h := newServerHarness(t)
	clientID, secret := h.webApp("")
	password := url.Values{"grant_type": {"password"}, "username": {oaAdminLogin}, "password": {oaAdminSecret}, "scope": {"openid offline_access"}, "client_id": {clientID}, "client_secret": {secret}}
	var refresh []string
	for _, server := range []string{"/oauth2/v1/token", "/oauth2/default/v1/token"} {
		r := h.token(server, password)
		if r.status != 200 {
			t.Fatalf("password grant: %d %s", r.status, r.text)
		}
		refresh = append(refresh, r.json(t)["refresh_token"].(string))
	}
	// Okta gives an app created with an OAuth client its id as the client_id.
	base := "/api/v1/apps/" + clientID + "/tokens"
	tokens := c.do("GET", base+"?expand=scope", nil).list(t)
	if len(tokens) != 2 || tokens[0]["issuer"] != oaOrigin || tokens[1]["issuer"] != oaOrigin+"/oauth2/default" {
		t.Fatalf("the client's refresh tokens from every server: %v", tokens)
	}
	if scopes := tokens[1]["_embedded"].(map[string]any)["scopes"].([]any); scopes[0].(map[string]any)["id"] != "scptwinopenid0000001" {
		t.Fatalf("a custom server's scopes are embedded with their ids: %v", scopes)
	}
	first := managedRefreshTokenID(refresh[0])
	if r := c.do("DELETE", base+"/"+first, nil); r.status != 204 {
		t.Fatal(r.text)
	}
	use := url.Values{"grant_type": {"refresh_token"}, "refresh_token": {refresh[0]}, "client_id": {clientID}, "client_secret": {secret}}
	h.expectOAuthError(h.token("/oauth2/v1/token", use), 400, "invalid_grant")
	c.expectError(c.do("GET", base+"/"+first, nil), 404, "E0000007")
	if r := c.do("DELETE", base, nil); r.status != 204 {
		t.Fatal(r.text)
	}
	if left := c.do("GET", base, nil).list(t); len(left) != 0 {
		t.Fatalf("revoking all: %v", left)
	}
	if none := c.do("GET", "/api/v1/apps/"+oaService+"/tokens", nil).list(t); len(none) != 0 {
		t.Fatalf("%v", none)
	}
	c.expectError(c.do("GET", "/api/v1/apps/nope/tokens", nil), 404, "E0000007")
}
