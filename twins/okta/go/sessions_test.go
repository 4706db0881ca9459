package main

import (
	"net/url"
	"reflect"
	"regexp"
	"testing"
)

func sessionToken(c *client, login string) string {
	c.t.Helper()
	return authn(c, map[string]any{"username": login, "password": "Tr0ub4dor-Horse9"}).json(c.t)["sessionToken"].(string)
}

func TestSessionsLifecycle(t *testing.T) {
	c := newClient(t)
	id := signInUser(c, "sid@example.com")
	c.expectError(c.do("POST", "/api/v1/sessions", map[string]any{"sessionToken": ""}), 400, "E0000001")
	token := sessionToken(c, "sid@example.com")
	session := c.do("POST", "/api/v1/sessions", map[string]any{"sessionToken": token}).json(t)
	if session["userId"] != id || session["status"] != "ACTIVE" || session["expiresAt"] != "2026-01-01T02:00:00.000Z" || session["mfaActive"] != false {
		t.Fatalf("%v", session)
	}
	c.expectError(c.do("POST", "/api/v1/sessions", map[string]any{"sessionToken": token}), 401, "E0000004")
	sid := session["id"].(string)
	if got := c.do("GET", "/api/v1/sessions/"+sid, nil).json(t); got["id"] != sid {
		t.Fatalf("%v", got)
	}
	if refreshed := c.do("POST", "/api/v1/sessions/"+sid+"/lifecycle/refresh", nil); refreshed.status != 200 {
		t.Fatal(refreshed.text)
	}
	me := c.do("GET", "/api/v1/sessions/me", nil, "Authorization", "", "Cookie", "a=b; sid="+sid).json(t)
	if me["id"] != sid || me["_links"].(map[string]any)["self"].(map[string]any)["href"] != "http://"+host+"/api/v1/sessions/me" {
		t.Fatalf("%v", me)
	}
	c.expectError(c.do("GET", "/api/v1/sessions/me", nil, anonymous...), 404, "E0000007")
	if r := c.do("DELETE", "/api/v1/sessions/"+sid, nil); r.status != 204 {
		t.Fatal(r.text)
	}
	if event := lastEvent(c); event["eventType"] != "user.session.end" || event["authenticationContext"].(map[string]any)["externalSessionId"] != sid {
		t.Fatalf("%v", event)
	}
	c.expectError(c.do("GET", "/api/v1/sessions/"+sid, nil), 404, "E0000007")
	c.expectError(c.do("DELETE", "/api/v1/sessions/nope", nil), 404, "E0000007")
}

func TestSessionLifetimeFromSignOnRule(t *testing.T) {
	c := newClient(t)
	signInUser(c, "tim@example.com")
	c.do("PUT", "/api/v1/policies/00ptwinsignon0000001/rules/0prtwinsignon0000001", map[string]any{"name": "Default Rule", "actions": map[string]any{"signon": map[string]any{"session": map[string]any{"maxSessionIdleMinutes": 30, "maxSessionLifetimeMinutes": 20}}}})
	session := c.do("POST", "/api/v1/sessions", map[string]any{"sessionToken": sessionToken(c, "tim@example.com")}).json(t)
	if session["expiresAt"] != "2026-01-01T00:20:00.000Z" {
		t.Fatalf("the lifetime caps the idle timeout: %v", session["expiresAt"])
	}
}

func TestRevokeUserSessions(t *testing.T) {
	c := newClient(t)
	id := signInUser(c, "ron@example.com")
	first := c.do("POST", "/api/v1/sessions", map[string]any{"sessionToken": sessionToken(c, "ron@example.com")}).json(t)["id"].(string)
	second := c.do("POST", "/api/v1/sessions", map[string]any{"sessionToken": sessionToken(c, "ron@example.com")}).json(t)["id"].(string)
	if r := c.do("DELETE", "/api/v1/users/"+id+"/sessions?oauthTokens=true", nil); r.status != 204 {
		t.Fatal(r.text)
	}
	for _, sid := range []string{first, second} {
		c.expectError(c.do("GET", "/api/v1/sessions/"+sid, nil), 404, "E0000007")
	}
	event := lastEvent(c)
	if event["eventType"] != "user.session.clear" || event["debugContext"].(map[string]any)["debugData"].(map[string]any)["revokeOauthTokens"] != true {
		t.Fatalf("%v", event)
	}
	c.expectError(c.do("DELETE", "/api/v1/users/nope/sessions", nil), 404, "E0000007")
}

// /authorize with a session token opens its session as the Sessions API does: the sign-on rule that governs the user
// (a group's rule placed before the default one) sets the idle timeout and the lifetime, and the ids and amr agree.
func TestAuthorizeOpensSessionsAsTheSessionsAPIDoes(t *testing.T) {
	c := newClient(t)
	h := &oaHarness{c}
	id := signInUser(c, "ivy@example.com")
	clientID, _ := h.webApp("")
	if r := c.do("POST", "/api/v1/apps/"+clientID+"/users", map[string]any{"id": id}); r.status != 200 {
		t.Fatalf("assign: %d %s", r.status, r.text)
	}
	group := c.do("POST", "/api/v1/groups", map[string]any{"profile": map[string]any{"name": "Short sessions"}}).json(t)["id"].(string)
	c.do("PUT", "/api/v1/groups/"+group+"/users/"+id, nil)
	rule := c.do("POST", "/api/v1/policies/00ptwinsignon0000001/rules", map[string]any{"name": "Short", "type": "SIGN_ON", "priority": 1,
		"conditions": map[string]any{"people": map[string]any{"groups": map[string]any{"include": []any{group}}}},
		"actions":    map[string]any{"signon": map[string]any{"access": "ALLOW", "session": map[string]any{"maxSessionIdleMinutes": 10, "maxSessionLifetimeMinutes": 15}}}})
	if rule.status != 200 {
		t.Fatalf("rule: %d %s", rule.status, rule.text)
	}
	api := c.do("POST", "/api/v1/sessions", map[string]any{"sessionToken": sessionToken(c, "ivy@example.com")}).json(t)
	r, _ := h.authorize("/oauth2/v1", clientID, url.Values{"sessionToken": {sessionToken(c, "ivy@example.com")}, "login_hint": {""}})
	cookie := regexp.MustCompile(`^sid=([^;]+);`).FindStringSubmatch(r.header.Get("Set-Cookie"))
	if r.status != 302 || cookie == nil {
		t.Fatalf("authorize: %d %v", r.status, r.header)
	}
	browser := c.do("GET", "/api/v1/sessions/"+cookie[1], nil).json(t)
	for _, session := range []map[string]any{api, browser} {
		sid := session["id"].(string)
		if session["userId"] != id || session["expiresAt"] != "2026-01-01T00:10:00.000Z" || !reflect.DeepEqual(session["amr"], []any{"pwd"}) || len(sid) != 25 || sid[:3] != "102" {
			t.Fatalf("%v", session)
		}
		if ends := c.twin.Store.State.Obj("sessions").Obj(sid).Str("endsAt"); ends != "2026-01-01T00:15:00.000Z" {
			t.Fatalf("endsAt %s", ends)
		}
	}
}
