package main

import (
	"strings"
	"testing"
)

func googleIdp(name string) map[string]any {
	return map[string]any{"type": "GOOGLE", "name": name, "protocol": map[string]any{"type": "OIDC", "scopes": []any{"openid"}, "credentials": map[string]any{"client": map[string]any{"client_id": "google-client", "client_secret": "x"}}}}
}

func TestIdentityProviders(t *testing.T) {
	c := newClient(t)
	created := c.do("POST", "/api/v1/idps", googleIdp("Google"))
	idp := created.json(t)
	id, _ := idp["id"].(string)
	if !strings.HasPrefix(id, "0oa") || idp["status"] != "ACTIVE" || idp["issuerMode"] != "ORG_URL" || idp["properties"] != nil {
		t.Fatalf("%s", created.text)
	}
	if !strings.Contains(created.text, `"subject":{"userNameTemplate":{"template":"idpuser.email"},"filter":null,"matchType":"USERNAME"}`) ||
		!strings.Contains(created.text, `"authorize":{"href":"http://dev-123.okta.test/oauth2/v1/authorize?idp=`+id+`&client_id={clientId}`) {
		t.Fatalf("%s", created.text)
	}
	saml := map[string]any{"type": "SAML2", "name": "Corp", "protocol": map[string]any{"type": "OIDC"}}
	m := c.expectError(c.do("POST", "/api/v1/idps", saml), 400, "E0000001")
	if m["errorSummary"] != "Api validation failed: protocol.type, protocol.endpoints.sso.url" {
		t.Fatalf("%v", m)
	}
	c.expectError(c.do("POST", "/api/v1/idps", map[string]any{"type": "MYSPACE", "name": "x", "protocol": map[string]any{}}), 400, "E0000001")
	c.do("POST", "/api/v1/idps", googleIdp("Other"))
	if list := c.do("GET", "/api/v1/idps?q=goo", nil).list(t); len(list) != 1 || list[0]["id"] != id {
		t.Fatalf("%v", list)
	}
	if list := c.do("GET", "/api/v1/idps?limit=1", nil).list(t); len(list) != 1 {
		t.Fatalf("%v", list)
	}
	changed := googleIdp("Google Workspace")
	changed["type"] = "FACEBOOK"
	c.expectError(c.do("PUT", "/api/v1/idps/"+id, changed), 400, "E0000001")
	if c.do("PUT", "/api/v1/idps/"+id, googleIdp("Google Workspace")).json(t)["name"] != "Google Workspace" {
		t.Fatal("replace")
	}
	if c.do("POST", "/api/v1/idps/"+id+"/lifecycle/deactivate", nil).json(t)["status"] != "INACTIVE" {
		t.Fatal("deactivate")
	}
	if r := c.do("DELETE", "/api/v1/idps/"+id, nil); r.status != 204 {
		t.Fatalf("%d", r.status)
	}
	c.expectError(c.do("GET", "/api/v1/idps/"+id, nil), 404, "E0000007")
	var types []string
	for _, event := range c.do("GET", "/api/v1/logs?filter=target.id+eq+%22"+id+"%22", nil).list(t) {
		types = append(types, event["eventType"].(string)+"/"+event["displayMessage"].(string))
	}
	if strings.Join(types, " ") != "system.idp.lifecycle.create/Create IdP system.idp.lifecycle.update/Update IdP system.idp.lifecycle.deactivate/Deactivate IdP system.idp.lifecycle.delete/Delete IdP" {
		t.Fatalf("%v", types)
	}
}

func TestScopeConsentGrants(t *testing.T) {
	c := newClient(t)
	app := c.do("POST", "/api/v1/apps", map[string]any{"name": "oidc_client", "label": "Service", "signOnMode": "OPENID_CONNECT",
		"credentials": map[string]any{"oauthClient": map[string]any{"token_endpoint_auth_method": "client_secret_basic"}},
		"settings":    map[string]any{"oauthClient": map[string]any{"grant_types": []any{"client_credentials"}, "response_types": []any{"token"}, "application_type": "service"}}}).json(t)
	appID, _ := app["id"].(string)
	grants := "/api/v1/apps/" + appID + "/grants"
	created := c.do("POST", grants, map[string]any{"issuer": "http://dev-123.okta.test/", "scopeId": "okta.users.read"})
	grant := created.json(t)
	grantID, _ := grant["id"].(string)
	if created.status != 201 || !strings.HasPrefix(grantID, "oag") || grant["source"] != "ADMIN" || !strings.Contains(created.text, `"_embedded":{"scope":{"id":"okta.users.read"}}`) ||
		!strings.Contains(created.text, `"createdBy":{"id":"00uadmintwin00000001","type":"User"}`) {
		t.Fatalf("%s", created.text)
	}
	c.expectError(c.do("POST", grants, map[string]any{"issuer": "http://dev-123.okta.test", "scopeId": "okta.users.read"}), 400, "E0000001")
	c.expectError(c.do("POST", grants, map[string]any{"issuer": "http://elsewhere.test", "scopeId": "okta.groups.read"}), 400, "E0000001")
	c.expectError(c.do("POST", grants, map[string]any{"issuer": "http://dev-123.okta.test", "scopeId": "okta.nothing.read"}), 400, "E0000001")
	if list := c.do("GET", grants, nil); strings.Contains(list.text, "_embedded") || len(list.list(t)) != 1 {
		t.Fatalf("%s", list.text)
	}
	if got := c.do("GET", grants+"/"+grantID+"?expand=scope", nil); !strings.Contains(got.text, "_embedded") {
		t.Fatalf("%s", got.text)
	}
	if r := c.do("DELETE", grants+"/"+grantID, nil); r.status != 204 {
		t.Fatalf("%d", r.status)
	}
	c.expectError(c.do("GET", grants+"/"+grantID, nil), 404, "E0000007")
	c.expectError(c.do("GET", "/api/v1/apps/0oanothere/grants", nil), 404, "E0000007")
	events := c.do("GET", "/api/v1/logs?filter=eventType+sw+%22app.oauth2.admin.consent%22", nil).list(t)
	if len(events) != 2 || events[1]["displayMessage"] != "Admin consent revoked" {
		t.Fatalf("%v", events)
	}
}

func TestUserGrantsClientsAndAppLinks(t *testing.T) {
	c := newClient(t)
	const admin = "/api/v1/users/00uadmintwin00000001"
	for _, path := range []string{admin + "/grants", admin + "/clients", admin + "/clients/someclient/grants", admin + "/clients/someclient/tokens"} {
		if r := c.do("GET", path, nil); r.status != 200 || r.text != "[]" {
			t.Fatalf("%s: %d %s", path, r.status, r.text)
		}
	}
	c.expectError(c.do("GET", admin+"/grants/oag123", nil), 404, "E0000007")
	c.expectError(c.do("DELETE", admin+"/grants/oag123", nil), 404, "E0000007")
	c.expectError(c.do("GET", admin+"/clients/someclient/tokens/oar123", nil), 404, "E0000007")
	c.expectError(c.do("GET", "/api/v1/users/00unobody/grants", nil), 404, "E0000007")
	for _, path := range []string{admin + "/grants", admin + "/clients/someclient/grants", admin + "/clients/someclient/tokens"} {
		if r := c.do("DELETE", path, nil); r.status != 204 {
			t.Fatalf("%s: %d %s", path, r.status, r.text)
		}
	}
	app := c.do("POST", "/api/v1/apps", map[string]any{"name": "bookmark", "label": "Wiki", "signOnMode": "BOOKMARK", "settings": map[string]any{"app": map[string]any{"url": "https://wiki.example.com"}}}).json(t)
	c.do("POST", "/api/v1/apps/"+app["id"].(string)+"/users", map[string]any{"id": "00uadmintwin00000001"})
	links := c.do("GET", admin+"/appLinks", nil).list(t)
	if len(links) != 1 || links[0]["label"] != "Wiki" || links[0]["sortOrder"] != 0.0 || !strings.HasPrefix(links[0]["appAssignmentId"].(string), "0ua") {
		t.Fatalf("%v", links)
	}
}
