package main

import (
	"net/url"
	"reflect"
	"testing"

	e "twinverse/twins/goengine"
)

// Admin roles of OAuth clients: assigned through the Management API, they decide what a service client's access token
// may do (clientRoleAllows).

// serviceToken is an org access token of the service app for an Okta API scope, which an admin granted it; Okta's
// org server takes client credentials only with private_key_jwt, so the app is given a key it signs its assertion with.
func serviceToken(t *testing.T, c *client, jti, scope string) string {
	t.Helper()
	key := deriveSigningKey("client-roles-test", "rk1")
	state := c.twin.Store.State
	app := state.Obj("apps").Obj(oaService)
	app.Obj("credentials").Obj("oauthClient").Set("token_endpoint_auth_method", "private_key_jwt")
	app.Obj("settings").Obj("oauthClient").Set("jwks", e.NewObject("keys", []any{publicSigningJWK(key)}))
	state.Obj("oauth").Obj("appGrants").Set(oaService, []any{e.NewObject("id", "oagtwingrant00000001", "status", "ACTIVE", "clientId", oaService, "scopeId", scope, "source", "ADMIN")})
	assertion := oaSignAssertion(t, jwkRSAPrivate(key), "rk1", map[string]any{"iss": oaService, "sub": oaService, "aud": oaOrigin + "/oauth2/v1/token", "iat": oaEpoch, "exp": oaEpoch + 300, "jti": jti})
	h := &oaHarness{c}
	r := h.token("/oauth2/v1/token", url.Values{"grant_type": {"client_credentials"}, "scope": {scope}, "client_assertion_type": {jwtBearerAssertion}, "client_assertion": {assertion}})
	if r.status != 200 {
		t.Fatalf("service token: %d %s", r.status, r.text)
	}
	return r.json(t)["access_token"].(string)
}

func TestClientRoles(t *testing.T) {
	c := newClient(t)
	base := "/oauth2/v1/clients/" + oaService + "/roles"
	c.expectError(c.do("GET", "/api/v1/users", nil, "Authorization", "Bearer "+serviceToken(t, c, "before", "okta.users.read")), 403, "E0000006")
	if roles := c.do("GET", base, nil).list(t); len(roles) != 0 {
		t.Fatalf("%v", roles)
	}
	assigned := c.do("POST", base, map[string]any{"type": "READ_ONLY_ADMIN"})
	if assigned.status != 200 {
		t.Fatalf("assign: %d %s", assigned.status, assigned.text)
	}
	role := assigned.json(t)
	id := role["id"].(string)
	if len(id) != 24 || role["label"] != "Read Only Administrator" || role["assignmentType"] != "CLIENT" ||
		role["_links"].(map[string]any)["assignee"].(map[string]any)["href"] != oaOrigin+base {
		t.Fatalf("an assignment: %v", role)
	}
	if r := c.do("GET", "/api/v1/users", nil, "Authorization", "Bearer "+serviceToken(t, c, "after", "okta.users.read")); r.status != 200 {
		t.Fatalf("a read-only admin client may read users: %d %s", r.status, r.text)
	}
	duplicate := c.expectError(c.do("POST", base, map[string]any{"type": "READ_ONLY_ADMIN"}), 409, "E0000090")
	if duplicate["errorCauses"].([]any)[0].(map[string]any)["errorSummary"] != "The role specified is already assigned to the client." {
		t.Fatalf("%v", duplicate)
	}
	unknown := c.expectError(c.do("POST", base, map[string]any{"type": "KING"}), 400, "E0000001")
	if unknown["errorCauses"].([]any)[0].(map[string]any)["errorSummary"] != "type: 'KING' is not a valid role type" {
		t.Fatalf("%v", unknown)
	}
	c.expectError(c.do("POST", base, map[string]any{}), 400, "E0000001")
	custom := c.expectError(c.do("POST", base, map[string]any{"type": "CUSTOM", "role": "cr0abc"}), 404, "E0000007")
	if custom["errorSummary"] != "Not found: Resource not found: cr0abc (CustomRole)" {
		t.Fatalf("%v", custom)
	}
	c.expectError(c.do("GET", "/oauth2/v1/clients/nope/roles", nil), 404, "E0000007")
	if got := c.do("GET", base+"/"+id, nil).json(t); got["type"] != "READ_ONLY_ADMIN" {
		t.Fatalf("%v", got)
	}
	if r := c.do("DELETE", base+"/"+id, nil); r.status != 204 {
		t.Fatal(r.text)
	}
	c.expectError(c.do("GET", base+"/"+id, nil), 404, "E0000007")
	var granted, revoked any
	for _, event := range c.do("GET", "/api/v1/logs?filter="+url.QueryEscape(`target.id eq "`+oaService+`"`), nil).list(t) {
		debug := event["debugContext"].(map[string]any)["debugData"].(map[string]any)
		switch event["eventType"] {
		case "app.oauth2.client.privilege.grant":
			granted = debug["privilegeGranted"]
		case "app.oauth2.client.privilege.revoke":
			revoked = debug["privilegeRevoked"]
		}
	}
	if granted != "Read Only Administrator" || revoked != "Read Only Administrator" {
		t.Fatalf("privilege events: %v %v", granted, revoked)
	}
}

// A service client acting with its own access token is the actor of what it changes, as the TypeScript twin logs it:
// its app (PublicClientApp) names it, client.id is the client, and createdBy and lastUpdatedBy are the client's id.
func TestAServiceClientIsTheActorOfItsChanges(t *testing.T) {
	c := newClient(t)
	if r := c.do("POST", "/oauth2/v1/clients/"+oaService+"/roles", map[string]any{"type": "SUPER_ADMIN"}); r.status != 200 {
		t.Fatalf("assign: %d %s", r.status, r.text)
	}
	bearer := []string{"Authorization", "Bearer " + serviceToken(t, c, "cc", "okta.trustedOrigins.manage")}
	created := c.do("POST", "/api/v1/trustedOrigins", map[string]any{"name": "svc", "origin": "https://svc.example", "scopes": []any{map[string]any{"type": "CORS"}}}, bearer...)
	if created.status != 200 {
		t.Fatalf("create: %d %s", created.status, created.text)
	}
	origin := created.json(t)
	if origin["createdBy"] != oaService || origin["lastUpdatedBy"] != oaService {
		t.Fatalf("createdBy %v, lastUpdatedBy %v", origin["createdBy"], origin["lastUpdatedBy"])
	}
	events := c.do("GET", "/api/v1/logs?filter="+url.QueryEscape(`eventType eq "security.trusted_origin.create"`), nil).list(t)
	if len(events) != 1 {
		t.Fatalf("events: %v", events)
	}
	wantActor := map[string]any{"id": oaService, "type": "PublicClientApp", "alternateId": "twinverse service app", "displayName": "twinverse service app", "detailEntry": nil}
	if actor := events[0]["actor"].(map[string]any); !reflect.DeepEqual(actor, wantActor) {
		t.Fatalf("actor: %v", actor)
	}
	if client := events[0]["client"].(map[string]any); client["id"] != oaService {
		t.Fatalf("client: %v", client)
	}
	if auth := events[0]["authenticationContext"].(map[string]any); auth["externalSessionId"] != "unknown" || auth["credentialType"] != nil {
		t.Fatalf("authenticationContext: %v", auth)
	}
}
