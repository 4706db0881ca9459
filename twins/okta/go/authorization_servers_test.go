package main

import (
	"crypto/sha256"
	"encoding/hex"
	"net/url"
	"strings"
	"testing"

	e "twinverse/twins/goengine"
)

// Custom authorization servers over loopback HTTP, the twin clock fixed at the seed's instant: the Management API
// writes servers, scopes, claims, policies and keys, and the server's OAuth endpoints honor them.

const asAdminToken = "SSWS twin-okta-token"

// newServerHarness is the twin with both the Management API client and the OAuth harness over one server.
func newServerHarness(t *testing.T) (*client, *oaHarness) {
	t.Helper()
	c := newClient(t)
	return c, &oaHarness{c}
}

// createServer makes a custom server and answers its id.
func createServer(c *client, name, audience string) string {
	c.t.Helper()
	r := c.do("POST", "/api/v1/authorizationServers", map[string]any{"name": name, "description": name + " APIs", "audiences": []any{audience}})
	if r.status != 201 {
		c.t.Fatalf("create server: %d %s", r.status, r.text)
	}
	return r.json(c.t)["id"].(string)
}

// allowEveryone gives the server a policy for every client with one rule: these grants, any scope, 15-minute tokens.
func allowEveryone(c *client, server string, grants ...string) (string, string) {
	c.t.Helper()
	policy := c.do("POST", "/api/v1/authorizationServers/"+server+"/policies", map[string]any{"name": "Everyone", "description": "All clients",
		"conditions": map[string]any{"clients": map[string]any{"include": []any{"ALL_CLIENTS"}}}})
	if policy.status != 201 {
		c.t.Fatalf("policy: %d %s", policy.status, policy.text)
	}
	policyID := policy.json(c.t)["id"].(string)
	included := make([]any, len(grants))
	for i, g := range grants {
		included[i] = g
	}
	rule := c.do("POST", "/api/v1/authorizationServers/"+server+"/policies/"+policyID+"/rules", map[string]any{"name": "Any scope",
		"conditions": map[string]any{"people": map[string]any{"groups": map[string]any{"include": []any{"EVERYONE"}}}, "grantTypes": map[string]any{"include": included}, "scopes": map[string]any{"include": []any{"*"}}},
		"actions":    map[string]any{"token": map[string]any{"accessTokenLifetimeMinutes": 15, "refreshTokenWindowMinutes": 60}}})
	if rule.status != 201 {
		c.t.Fatalf("rule: %d %s", rule.status, rule.text)
	}
	return policyID, rule.json(c.t)["id"].(string)
}

func eventTypes(c *client, filter string) string {
	c.t.Helper()
	var types []string
	for _, event := range c.do("GET", "/api/v1/logs?limit=200&filter="+url.QueryEscape(filter), nil).list(c.t) {
		types = append(types, event["eventType"].(string))
	}
	return strings.Join(types, ",")
}

func TestDerivedSigningKeysMatchTheTypeScriptTwin(t *testing.T) {
	// The digest of JSON.stringify(deriveSigningKey('derivation-check', 'k1')) in src/kit/signing-keys.ts.
	sum := sha256.Sum256(e.Marshal(deriveSigningKey("derivation-check", "k1")))
	if got := hex.EncodeToString(sum[:]); got != "e4141d3547a1c26a1e199a51a1a8c72a06dca952eb6640d8027f300e83dd44ab" {
		t.Fatalf("derived key differs from the TypeScript twin's: %s", got)
	}
}

func TestCustomAuthorizationServerLifecycle(t *testing.T) {
	c, h := newServerHarness(t)
	id := createServer(c, "Payments", "api://payments")
	server := c.do("GET", "/api/v1/authorizationServers/"+id, nil).json(t)
	if !strings.HasPrefix(id, "aus") || server["issuer"] != oaOrigin+"/oauth2/"+id || server["status"] != "ACTIVE" || server["issuerMode"] != "ORG_URL" {
		t.Fatalf("a new server: %v", server)
	}
	signing := server["credentials"].(map[string]any)["signing"].(map[string]any)
	if signing["lastRotated"] != "2026-01-01T00:00:00.000Z" || signing["nextRotation"] != "2026-04-01T00:00:00.000Z" {
		t.Fatalf("rotation dates: %v", signing)
	}
	keys := c.do("GET", "/api/v1/authorizationServers/"+id+"/credentials/keys", nil).list(t)
	if len(keys) != 2 || keys[0]["status"] != "ACTIVE" || keys[1]["status"] != "NEXT" || keys[0]["kid"] != signing["kid"] || keys[0]["d"] != nil {
		t.Fatalf("a new server's keys: %v", keys)
	}
	discovery := h.send("GET", "/oauth2/"+id+"/.well-known/openid-configuration", nil).json(t)
	if discovery["issuer"] != oaOrigin+"/oauth2/"+id || discovery["jwks_uri"] != oaOrigin+"/oauth2/"+id+"/v1/keys" {
		t.Fatalf("discovery: %v", discovery)
	}
	if published := discovery["scopes_supported"].([]any); len(published) != 7 || published[6] != "device_sso" {
		t.Fatalf("a new server publishes its system scopes: %v", published)
	}
	if set := h.send("GET", "/oauth2/"+id+"/v1/keys", nil).json(t)["keys"].([]any); len(set) != 2 {
		t.Fatalf("the key set publishes ACTIVE and NEXT: %v", set)
	}

	if found := c.do("GET", "/api/v1/authorizationServers?q=PAYM", nil).list(t); len(found) != 1 || found[0]["id"] != id {
		t.Fatalf("q matches names whatever their case: %v", found)
	}
	if found := c.do("GET", "/api/v1/authorizationServers?limit=1", nil).list(t); len(found) != 1 || found[0]["id"] != "default" {
		t.Fatalf("limit: %v", found)
	}
	replaced := c.do("PUT", "/api/v1/authorizationServers/"+id, map[string]any{"name": "Payments API", "audiences": []any{"api://pay"}, "status": "INACTIVE"})
	if r := replaced.json(t); replaced.status != 200 || r["name"] != "Payments API" || r["description"] != "" || r["status"] != "ACTIVE" {
		t.Fatalf("replace keeps the status: %s", replaced.text)
	}

	if r := c.do("POST", "/api/v1/authorizationServers/"+id+"/lifecycle/deactivate", nil); r.status != 204 {
		t.Fatal(r.text)
	}
	c.expectError(reply(h.send("GET", "/oauth2/"+id+"/.well-known/openid-configuration", nil)), 404, "E0000007")
	if r := c.do("POST", "/api/v1/authorizationServers/"+id+"/lifecycle/deactivate", nil); r.status != 204 {
		t.Fatal(r.text)
	}
	c.do("POST", "/api/v1/authorizationServers/"+id+"/lifecycle/activate", nil)
	if r := c.do("DELETE", "/api/v1/authorizationServers/"+id, nil); r.status != 204 {
		t.Fatal(r.text)
	}
	c.expectError(c.do("GET", "/api/v1/authorizationServers/"+id, nil), 404, "E0000007")
	if len(signingKeysOf(c.twin.Store.State, id)) != 0 {
		t.Fatal("a deleted server's keys go with it")
	}
	want := "oauth2.as.created,oauth2.as.updated,oauth2.as.deactivated,oauth2.as.activated,oauth2.as.deleted"
	if got := eventTypes(c, `target.id eq "`+id+`"`); got != want {
		t.Fatalf("events %s, want %s (a deactivation that changes nothing is not logged)", got, want)
	}
}

func TestCustomServerTokensFollowItsScopesClaimsAndPolicies(t *testing.T) {
	c, h := newServerHarness(t)
	id := createServer(c, "Payments", "api://payments")
	base := "/api/v1/authorizationServers/" + id
	scope := c.do("POST", base+"/scopes", map[string]any{"name": "payments:read", "metadataPublish": "ALL_CLIENTS", "default": true})
	if scope.status != 201 || scope.json(t)["optional"] != false || scope.json(t)["system"] != false {
		t.Fatalf("scope: %s", scope.text)
	}
	claim := c.do("POST", base+"/claims", map[string]any{"name": "tier", "claimType": "RESOURCE", "value": `"gold"`, "conditions": map[string]any{"scopes": []any{"payments:read"}}})
	if claim.status != 201 || claim.json(t)["alwaysIncludeInToken"] != true {
		t.Fatalf("claim: %s", claim.text)
	}
	form := url.Values{"grant_type": {"client_credentials"}, "scope": {"payments:read"}}
	h.expectOAuthError(h.token("/oauth2/"+id+"/v1/token", form, oaBasic(oaService, oaSecret)...), 400, "access_denied")

	allowEveryone(c, id, "client_credentials")
	r := h.token("/oauth2/"+id+"/v1/token", url.Values{"grant_type": {"client_credentials"}}, oaBasic(oaService, oaSecret)...)
	if r.status != 200 {
		t.Fatalf("token: %d %s", r.status, r.text)
	}
	first := r.json(t)["access_token"].(string)
	header, claims := oaJWTParts(t, first)
	if claims["iss"] != oaOrigin+"/oauth2/"+id || claims["aud"] != "api://payments" || claims["exp"].(float64)-claims["iat"].(float64) != 900 ||
		claims["tier"] != "gold" || claims["scp"].([]any)[0] != "payments:read" {
		t.Fatalf("a token of the new server, with its default scope, claim and the rule's lifetime: %v", claims)
	}
	h.verifyWithJWKS(first, "/oauth2/"+id+"/v1/keys")

	rotated := c.do("POST", base+"/credentials/lifecycle/keyRotate", map[string]any{"use": "sig"}).list(t)
	if len(rotated) != 3 || rotated[0]["status"] != "EXPIRED" || rotated[1]["status"] != "ACTIVE" || rotated[2]["status"] != "NEXT" || rotated[0]["kid"] != header["kid"] {
		t.Fatalf("rotation: %v", rotated)
	}
	second := h.token("/oauth2/"+id+"/v1/token", form, oaBasic(oaService, oaSecret)...).json(t)["access_token"].(string)
	if next, _ := oaJWTParts(t, second); next["kid"] != rotated[1]["kid"] {
		t.Fatalf("after a rotation the server signs with the former NEXT key: %v", next)
	}
	h.verifyWithJWKS(first, "/oauth2/"+id+"/v1/keys")
	h.verifyWithJWKS(second, "/oauth2/"+id+"/v1/keys")
	if introspected := h.send("POST", "/oauth2/"+id+"/v1/introspect", url.Values{"token": {first}}, oaBasic(oaService, oaSecret)...).json(t); introspected["active"] != true {
		t.Fatalf("a token signed before a rotation stays live: %v", introspected)
	}
	h.expectOAuthError(h.token("/oauth2/"+id+"/v1/token", url.Values{"grant_type": {"client_credentials"}, "scope": {"nope"}}, oaBasic(oaService, oaSecret)...), 400, "invalid_scope")

	c.do("DELETE", base, nil)
	if introspected := h.send("POST", "/oauth2/default/v1/introspect", url.Values{"token": {second}}, oaBasic(oaService, oaSecret)...).json(t); introspected["active"] != false {
		t.Fatalf("another server does not accept the token: %v", introspected)
	}
	if record := c.twin.Store.State.Obj("oauth").Obj("tokens").Obj(jtiOf(t, second)); get(record, "revoked") != true {
		t.Fatalf("deleting a server revokes its tokens: %v", record)
	}
}

func jtiOf(t *testing.T, token string) string {
	t.Helper()
	_, claims := oaJWTParts(t, token)
	return claims["jti"].(string)
}

func TestPoliciesAndRulesKeepADensePriorityOrder(t *testing.T) {
	c, _ := newServerHarness(t)
	id := createServer(c, "Ordered", "api://ordered")
	base := "/api/v1/authorizationServers/" + id + "/policies"
	first, rule := allowEveryone(c, id, "client_credentials")
	second := c.do("POST", base, map[string]any{"name": "Second", "description": "d", "priority": 1, "status": "INACTIVE",
		"conditions": map[string]any{"clients": map[string]any{"include": []any{oaService}}}}).json(t)
	order := func() string {
		var out []string
		for _, p := range c.do("GET", base, nil).list(t) {
			out = append(out, p["name"].(string)+":"+e.FormatNumber(p["priority"].(float64)))
		}
		return strings.Join(out, " ")
	}
	if got := order(); got != "Second:1 Everyone:2" || second["status"] != "INACTIVE" {
		t.Fatalf("a policy placed first moves the others down: %s %v", got, second)
	}
	links := second["_links"].(map[string]any)
	if links["activate"] == nil || links["rules"] == nil {
		t.Fatalf("an inactive policy links to its activation and rules: %v", links)
	}
	replaced := c.do("PUT", base+"/"+second["id"].(string), map[string]any{"name": "Second", "description": "d", "priority": 7,
		"conditions": map[string]any{"clients": map[string]any{"include": []any{"ALL_CLIENTS"}}}}).json(t)
	if got := order(); got != "Everyone:1 Second:2" || replaced["status"] != "INACTIVE" {
		t.Fatalf("a priority past the end puts the policy last, the status stays: %s %v", got, replaced)
	}
	rules := base + "/" + first + "/rules"
	late := c.do("POST", rules, map[string]any{"name": "Late", "priority": 1, "conditions": map[string]any{"people": map[string]any{"users": map[string]any{"include": []any{oaAdmin}}},
		"grantTypes": map[string]any{"include": []any{"password"}}, "scopes": map[string]any{"include": []any{"openid"}}}}).json(t)
	if late["priority"] != 1.0 || c.do("GET", rules+"/"+rule, nil).json(t)["priority"] != 2.0 {
		t.Fatalf("rules are ordered like policies: %v", late)
	}
	if lifetimes := late["actions"].(map[string]any)["token"].(map[string]any); lifetimes["accessTokenLifetimeMinutes"] != 60.0 || lifetimes["refreshTokenWindowMinutes"] != 10080.0 {
		t.Fatalf("Okta's default lifetimes: %v", lifetimes)
	}
	if r := c.do("DELETE", rules+"/"+late["id"].(string), nil); r.status != 204 {
		t.Fatal(r.text)
	}
	if c.do("GET", rules+"/"+rule, nil).json(t)["priority"] != 1.0 {
		t.Fatal("deleting a rule renumbers the others")
	}
	for _, step := range []string{"deactivate", "activate"} {
		if r := c.do("POST", rules+"/"+rule+"/lifecycle/"+step, nil); r.status != 204 {
			t.Fatal(r.text)
		}
	}
	if r := c.do("DELETE", base+"/"+first, nil); r.status != 204 {
		t.Fatal(r.text)
	}
	if got := order(); got != "Second:1" {
		t.Fatalf("deleting a policy renumbers the others: %s", got)
	}
	want := "policy.rule.deactivate,policy.rule.activate"
	if got := eventTypes(c, `target.id eq "`+rule+`"`); !strings.Contains(got, want) {
		t.Fatalf("rule events %s", got)
	}
}

func TestCustomServerRefreshTokensPerClient(t *testing.T) {
	c, h := newServerHarness(t)
	id := createServer(c, "Sessions", "api://sessions")
	allowEveryone(c, id, "password")
	clientID, secret := h.webApp("")
	password := url.Values{"grant_type": {"password"}, "username": {oaAdminLogin}, "password": {oaAdminSecret}, "scope": {"openid offline_access"}, "client_id": {clientID}, "client_secret": {secret}}
	var refresh []string
	for i := 0; i < 2; i++ {
		r := h.token("/oauth2/"+id+"/v1/token", password)
		if r.status != 200 {
			t.Fatalf("password grant: %d %s", r.status, r.text)
		}
		refresh = append(refresh, r.json(t)["refresh_token"].(string))
	}
	clients := c.do("GET", "/api/v1/authorizationServers/"+id+"/clients", nil).list(t)
	if len(clients) != 1 || clients[0]["client_id"] != clientID || clients[0]["client_name"] != "Web App" || clients[0]["logo_uri"] != nil {
		t.Fatalf("the server's clients: %v", clients)
	}
	base := "/api/v1/authorizationServers/" + id + "/clients/" + clientID + "/tokens"
	tokens := c.do("GET", base+"?expand=scope", nil).list(t)
	if len(tokens) != 2 || tokens[0]["id"] != managedRefreshTokenID(refresh[0]) || tokens[0]["issuer"] != oaOrigin+"/oauth2/"+id || tokens[0]["userId"] != oaAdmin {
		t.Fatalf("the client's refresh tokens: %v", tokens)
	}
	if strings.Contains(c.do("GET", base, nil).text, refresh[0]) {
		t.Fatal("the Management API never shows a refresh token itself")
	}
	embedded := tokens[0]["_embedded"].(map[string]any)["scopes"].([]any)
	if len(embedded) != 2 || !strings.HasPrefix(embedded[0].(map[string]any)["id"].(string), "scp") {
		t.Fatalf("expand=scope embeds the server's scopes: %v", embedded)
	}
	if limited := c.do("GET", base+"?limit=1", nil).list(t); len(limited) != 1 {
		t.Fatalf("limit: %v", limited)
	}
	one := managedRefreshTokenID(refresh[0])
	if got := c.do("GET", base+"/"+one, nil).json(t); got["_links"].(map[string]any)["revoke"] == nil {
		t.Fatalf("a token links to its revocation: %v", got)
	}
	if r := c.do("DELETE", base+"/"+one, nil); r.status != 204 {
		t.Fatal(r.text)
	}
	use := url.Values{"grant_type": {"refresh_token"}, "refresh_token": {refresh[0]}, "client_id": {clientID}, "client_secret": {secret}}
	h.expectOAuthError(h.token("/oauth2/"+id+"/v1/token", use), 400, "invalid_grant")
	c.expectError(c.do("GET", base+"/"+one, nil), 404, "E0000007")
	if r := c.do("DELETE", base, nil); r.status != 204 {
		t.Fatal(r.text)
	}
	if left := c.do("GET", base, nil).list(t); len(left) != 0 {
		t.Fatalf("revoking all: %v", left)
	}
	c.expectError(c.do("GET", "/api/v1/authorizationServers/nope/clients/"+clientID+"/tokens", nil), 404, "E0000007")
}

func TestAuthorizationServerRefusalsChangeNothing(t *testing.T) {
	c, _ := newServerHarness(t)
	id := createServer(c, "Refusals", "api://refusals")
	base := "/api/v1/authorizationServers/" + id
	policyID, _ := allowEveryone(c, id, "client_credentials")
	openid := c.do("GET", base+"/scopes?q=openid", nil).list(t)[0]["id"].(string)
	before := string(e.Marshal(c.twin.Store.State))
	cases := []struct {
		method, path string
		body         any
		status       int
		code, causes string
	}{
		{"POST", "/api/v1/authorizationServers", map[string]any{"name": "refusals", "audiences": []any{"a", "b"}}, 400, "E0000001",
			"name: An authorization server with this name already exists.|audiences: Only one audience is supported."},
		{"POST", "/api/v1/authorizationServers", map[string]any{"name": " ", "audiences": []any{" "}}, 400, "E0000001", "name: The field cannot be left blank|audiences: The field cannot be left blank"},
		{"GET", "/api/v1/authorizationServers/nope", nil, 404, "E0000007", ""},
		{"POST", base + "/credentials/lifecycle/keyRotate", map[string]any{"use": "enc"}, 400, "E0000001", "Invalid value specified for key 'use' parameter"},
		{"GET", base + "/credentials/keys/nope", nil, 404, "E0000007", ""},
		{"POST", base + "/scopes", map[string]any{"name": "a b", "consent": "NEVER"}, 400, "E0000001", "name: The scope name cannot contain spaces.|consent: Must be one of IMPLICIT, REQUIRED, FLEXIBLE."},
		{"POST", base + "/scopes", map[string]any{"name": "okta.users.read"}, 400, "E0000001", "name: Scope names cannot start with 'okta.'."},
		{"PUT", base + "/scopes/" + openid, map[string]any{"name": "oid"}, 400, "E0000001", "name: The name of a system scope cannot be changed."},
		{"DELETE", base + "/scopes/" + openid, nil, 403, "E0000006", "System scopes cannot be deleted."},
		{"POST", base + "/claims", map[string]any{"name": "sub", "claimType": "OTHER", "value": " ", "conditions": map[string]any{"scopes": []any{"nope"}}}, 400, "E0000001",
			"name: 'sub' is a reserved claim name.|claimType: Must be one of RESOURCE, IDENTITY.|value: The field cannot be left blank|conditions.scopes: One or more scopes are not configured for the authorization server resource."},
		{"POST", base + "/claims", map[string]any{"name": "g", "claimType": "IDENTITY", "valueType": "GROUPS", "value": "x", "group_filter_type": "LIKE"}, 400, "E0000001", "group_filter_type: Must be one of STARTS_WITH, EQUALS, CONTAINS, REGEX."},
		{"POST", base + "/policies", map[string]any{"type": "X", "name": strings.Repeat("n", 101), "priority": 0}, 400, "E0000001",
			"type: Must be OAUTH_AUTHORIZATION_POLICY.|name: The field must be at most 100 characters long.|description: The field cannot be left blank|conditions.clients.include: The field cannot be left blank|priority: Must be a positive integer."},
		{"POST", base + "/policies/" + policyID + "/rules", map[string]any{"name": "r", "conditions": map[string]any{"people": map[string]any{"users": map[string]any{"include": "x"}},
			"grantTypes": map[string]any{"include": []any{"magic"}}, "scopes": map[string]any{"include": []any{"nope"}}},
			"actions": map[string]any{"token": map[string]any{"accessTokenLifetimeMinutes": 2, "refreshTokenLifetimeMinutes": 1, "inlineHook": map[string]any{"id": "nohook"}}}}, 400, "E0000001",
			"conditions.grantTypes.include: Invalid grant types: magic.|conditions.scopes.include: One or more scopes are not configured for the authorization server resource.|conditions.people: Users and groups must be lists of ids.|actions.token.accessTokenLifetimeMinutes: The access token lifetime must be between 5 minutes and 1 day.|actions.token.refreshTokenLifetimeMinutes: The refresh token lifetime must be unlimited (0) or at least the access token lifetime.|actions.token.inlineHook.id: The inline hook must be a token inline hook (com.okta.oauth2.tokens.transform)."},
		{"GET", base + "/policies/nope/rules", nil, 404, "E0000007", ""},
		{"GET", base + "/policies/" + policyID + "/rules/nope", nil, 404, "E0000007", ""},
	}
	for _, tc := range cases {
		got := c.expectError(c.do(tc.method, tc.path, tc.body), tc.status, tc.code)
		var causes []string
		for _, cause := range got["errorCauses"].([]any) {
			causes = append(causes, cause.(map[string]any)["errorSummary"].(string))
		}
		if strings.Join(causes, "|") != tc.causes {
			t.Fatalf("%s %s: causes %q, want %q", tc.method, tc.path, strings.Join(causes, "|"), tc.causes)
		}
	}
	if after := string(e.Marshal(c.twin.Store.State)); after != before {
		t.Fatal("a refused request changed the state")
	}
}
