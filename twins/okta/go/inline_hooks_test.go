package main

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func inlineHookBody(uri string) map[string]any {
	return map[string]any{
		"name": "Tokens", "type": "com.okta.oauth2.tokens.transform", "version": "1.0.0",
		"channel": map[string]any{"type": "HTTP", "version": "1.0.0", "config": map[string]any{"uri": uri, "headers": []any{map[string]any{"key": "X-Extra", "value": "yes"}}, "authScheme": map[string]any{"type": "HEADER", "key": "Authorization", "value": "hook-secret"}}},
	}
}

func TestInlineHookLifecycleAndRefusals(t *testing.T) {
	c := newClient(t)
	created := c.do("POST", "/api/v1/inlineHooks", inlineHookBody("https://hooks.example.com/tokens"))
	hook := created.json(t)
	id, _ := hook["id"].(string)
	if !strings.HasPrefix(id, "cal") || hook["status"] != "ACTIVE" || !strings.Contains(created.text, `"authScheme":{"type":"header","key":"authorization"}`) || strings.Contains(created.text, "hook-secret") {
		t.Fatalf("%s", created.text)
	}
	bad := inlineHookBody("http://hooks.example.com")
	bad["type"] = "com.okta.nothing"
	m := c.expectError(c.do("POST", "/api/v1/inlineHooks", bad), 400, "E0000001")
	if m["errorSummary"] != "Api validation failed: type, channel.config.uri" {
		t.Fatalf("%v", m)
	}
	c.expectError(c.do("DELETE", "/api/v1/inlineHooks/"+id, nil), 400, "E0000001")
	c.expectError(c.do("GET", "/api/v1/inlineHooks/calnothere", nil), 404, "E0000007")
	updated := c.do("POST", "/api/v1/inlineHooks/"+id, map[string]any{"name": "Renamed"}).json(t)
	if updated["name"] != "Renamed" || updated["type"] != "com.okta.oauth2.tokens.transform" {
		t.Fatalf("%v", updated)
	}
	changed := inlineHookBody("https://hooks.example.com/tokens")
	changed["type"] = "com.okta.import.transform"
	c.expectError(c.do("PUT", "/api/v1/inlineHooks/"+id, changed), 400, "E0000001")
	if list := c.do("GET", "/api/v1/inlineHooks?type=com.okta.import.transform", nil).list(t); len(list) != 0 {
		t.Fatalf("%v", list)
	}
	if c.do("POST", "/api/v1/inlineHooks/"+id+"/lifecycle/deactivate", nil).json(t)["status"] != "INACTIVE" {
		t.Fatal("deactivate")
	}
	if r := c.do("DELETE", "/api/v1/inlineHooks/"+id, nil); r.status != 204 {
		t.Fatalf("%d %s", r.status, r.text)
	}
	var types []string
	for _, event := range c.do("GET", "/api/v1/logs?filter=target.id+eq+%22"+id+"%22", nil).list(t) {
		types = append(types, event["eventType"].(string))
	}
	if strings.Join(types, " ") != "inline_hook.created inline_hook.updated inline_hook.deactivated inline_hook.deleted" {
		t.Fatalf("%v", types)
	}
}

func TestExecuteInlineHook(t *testing.T) {
	c := newClient(t)
	var got http.Header
	var sent string
	attempts := 0
	receiver := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		attempts++
		got = r.Header.Clone()
		data, _ := io.ReadAll(r.Body)
		sent = string(data)
		if strings.HasSuffix(r.URL.Path, "/broken") {
			w.WriteHeader(502)
			return
		}
		if strings.HasSuffix(r.URL.Path, "/text") {
			_, _ = w.Write([]byte("not json"))
			return
		}
		_, _ = w.Write([]byte(`{"commands":[]}`))
	}))
	t.Cleanup(receiver.Close)
	id := c.do("POST", "/api/v1/inlineHooks", inlineHookBody(receiver.URL+"/hook")).json(t)["id"].(string)
	answer := c.do("POST", "/api/v1/inlineHooks/"+id+"/execute", map[string]any{"data": map[string]any{"x": 1}})
	if answer.status != 200 || answer.text != `{"commands":[]}` || sent != `{"data":{"x":1}}` || got.Get("Authorization") != "hook-secret" || got.Get("X-Extra") != "yes" {
		t.Fatalf("%d %s %s %v", answer.status, answer.text, sent, got)
	}
	broken := c.do("POST", "/api/v1/inlineHooks", inlineHookBody(receiver.URL+"/broken")).json(t)["id"].(string)
	attempts = 0
	m := c.expectError(c.do("POST", "/api/v1/inlineHooks/"+broken+"/execute", map[string]any{}), 400, "E0000001")
	if m["errorSummary"] != "Api validation failed: The inline hook responded with HTTP 502." || attempts != 2 {
		t.Fatalf("%v after %d attempts", m, attempts)
	}
	text := c.do("POST", "/api/v1/inlineHooks", inlineHookBody(receiver.URL+"/text")).json(t)["id"].(string)
	attempts = 0
	m = c.expectError(c.do("POST", "/api/v1/inlineHooks/"+text+"/execute", map[string]any{}), 400, "E0000001")
	if m["errorSummary"] != "Api validation failed: The inline hook responded with a body that is not JSON." || attempts != 1 {
		t.Fatalf("%v after %d attempts", m, attempts)
	}
	receiver.Close()
	m = c.expectError(c.do("POST", "/api/v1/inlineHooks/"+id+"/execute", map[string]any{}), 400, "E0000001")
	if m["errorSummary"] != "Api validation failed: The inline hook could not be reached." {
		t.Fatalf("%v", m)
	}
}

func TestExecuteInlineHookOverAnOAuthChannel(t *testing.T) {
	c := newClient(t)
	var form, bearer string
	receiver := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/token" {
			data, _ := io.ReadAll(r.Body)
			form = string(data)
			_, _ = w.Write([]byte(`{"access_token":"hook-token","token_type":"Bearer"}`))
			return
		}
		bearer = r.Header.Get("Authorization")
		_, _ = w.Write([]byte(`{}`))
	}))
	t.Cleanup(receiver.Close)
	hook := map[string]any{"name": "Import", "type": "com.okta.import.transform", "version": "1.0.0", "channel": map[string]any{"type": "OAUTH", "version": "1.0.0",
		"config": map[string]any{"uri": receiver.URL + "/hook", "authType": "client_secret_post", "clientId": "hook-client", "clientSecret": "hook-secret", "tokenUrl": receiver.URL + "/token", "scope": "hooks"}}}
	created := c.do("POST", "/api/v1/inlineHooks", hook)
	if strings.Contains(created.text, "hook-secret") || !strings.Contains(created.text, `"authScheme":null,"authType":"client_secret_post","clientId":"hook-client"`) {
		t.Fatalf("%s", created.text)
	}
	id := created.json(t)["id"].(string)
	if r := c.do("POST", "/api/v1/inlineHooks/"+id+"/execute", map[string]any{}); r.status != 200 || bearer != "Bearer hook-token" || form != "grant_type=client_credentials&client_id=hook-client&client_secret=hook-secret&scope=hooks" {
		t.Fatalf("%d %s %q %q", r.status, r.text, bearer, form)
	}
	jwt := c.do("POST", "/api/v1/inlineHooks", map[string]any{"name": "Import", "type": "com.okta.import.transform", "version": "1.0.0", "channel": map[string]any{"type": "OAUTH", "version": "1.0.0",
		"config": map[string]any{"uri": receiver.URL + "/hook", "authType": "private_key_jwt", "clientId": "hook-client", "tokenUrl": receiver.URL + "/token"}}}).json(t)
	m := c.expectError(c.do("POST", "/api/v1/inlineHooks/"+jwt["id"].(string)+"/execute", map[string]any{}), 400, "E0000001")
	if m["errorSummary"] != "Api validation failed: The twin does not sign private_key_jwt assertions for inline hooks: use client_secret_post." {
		t.Fatalf("%v", m)
	}
}

// A hook's token URL may be the twin's own token endpoint: execute waits for the hook without holding the twin.
func TestExecuteInlineHookWhoseTokenURLIsTheTwin(t *testing.T) {
	c := newClient(t)
	var bearer string
	receiver := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		bearer = r.Header.Get("Authorization")
		_, _ = w.Write([]byte(`{"commands":[]}`))
	}))
	t.Cleanup(receiver.Close)
	hook := c.do("POST", "/api/v1/inlineHooks", map[string]any{"name": "Tokens", "type": "com.okta.oauth2.tokens.transform", "version": "1.0.0", "channel": map[string]any{"type": "OAUTH", "version": "1.0.0",
		"config": map[string]any{"uri": receiver.URL, "authType": "client_secret_post", "clientId": "0oatwinservice000001", "clientSecret": "twin-okta-client-secret", "tokenUrl": c.server.URL + "/oauth2/default/v1/token", "scope": "api:read"}}}).json(t)
	if r := c.do("POST", "/api/v1/inlineHooks/"+hook["id"].(string)+"/execute", map[string]any{"data": map[string]any{}}); r.status != 200 || !strings.HasPrefix(bearer, "Bearer ey") {
		t.Fatalf("%d %s %q", r.status, r.text, bearer)
	}
}
