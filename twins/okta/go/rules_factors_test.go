package main

import (
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"
)

func TestGroupRulesAssignMatchingUsers(t *testing.T) {
	c := newClient(t)
	eng := c.do("POST", "/api/v1/groups", map[string]any{"profile": map[string]any{"name": "Engineering"}}).json(t)["id"].(string)
	ann := c.do("POST", "/api/v1/users", withPassword(user("ann@example.com"))).json(t)["id"].(string)
	rule := c.do("POST", "/api/v1/groups/rules", map[string]any{
		"type": "group_rule", "name": "Ann and friends",
		"conditions": map[string]any{"expression": map[string]any{"value": `String.startsWith(user.login, "ann")`}},
		"actions":    map[string]any{"assignUserToGroups": map[string]any{"groupIds": []string{eng}}},
	})
	ruleID := rule.json(t)["id"].(string)
	if rule.json(t)["status"] != "INACTIVE" {
		t.Fatalf("%s", rule.text)
	}
	bad := c.expectError(c.do("POST", "/api/v1/groups/rules", map[string]any{
		"type": "group_rule", "name": "Bad",
		"conditions": map[string]any{"expression": map[string]any{"value": `user.title = "x"`}},
		"actions":    map[string]any{"assignUserToGroups": map[string]any{"groupIds": []string{eng}}},
	}), 400, "E0000001")
	if bad["errorSummary"] != "Api validation failed: validateRule" {
		t.Fatalf("%v", bad)
	}
	if r := c.do("POST", "/api/v1/groups/rules/"+ruleID+"/lifecycle/activate", nil); r.status != 204 {
		t.Fatal(r.text)
	}
	members := func() int { return len(c.do("GET", "/api/v1/groups/"+eng+"/users", nil).list(t)) }
	if members() != 1 {
		t.Fatal("activating a rule runs it over every user")
	}
	c.do("POST", "/api/v1/users", withPassword(user("anna@example.com")))
	if members() != 2 {
		t.Fatal("a new matching user joins")
	}
	c.do("POST", "/api/v1/users/"+ann, map[string]any{"profile": map[string]any{"login": "zed@example.com", "email": "zed@example.com"}})
	if members() != 1 {
		t.Fatal("a user who stops matching leaves")
	}
	c.expectError(c.do("DELETE", "/api/v1/groups/rules/"+ruleID, nil), 400, "E0000001")
	c.do("DELETE", "/api/v1/groups/"+eng, nil)
	if got := c.do("GET", "/api/v1/groups/rules/"+ruleID, nil).json(t); got["status"] != "INVALID" {
		t.Fatalf("a rule whose group is gone is INVALID: %v", got)
	}
}

func TestFactorsEnrollActivateAndVerify(t *testing.T) {
	c := newClient(t)
	id := c.do("POST", "/api/v1/users", withPassword(user("f@example.com"))).json(t)["id"].(string)
	base := "/api/v1/users/" + id + "/factors"
	totp := c.do("POST", base, map[string]any{"factorType": "token:software:totp", "provider": "GOOGLE"}).json(t)
	secret := totp["_embedded"].(map[string]any)["activation"].(map[string]any)["sharedSecret"].(string)
	step := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).Unix() / 30
	c.expectError(c.do("POST", base+"/"+totp["id"].(string)+"/lifecycle/activate", map[string]any{"passCode": "000000"}), 403, "E0000068")
	if r := c.do("POST", base+"/"+totp["id"].(string)+"/lifecycle/activate", map[string]any{"passCode": totpCode(secret, step)}); r.status != 200 || r.json(t)["status"] != "ACTIVE" {
		t.Fatalf("%s", r.text)
	}
	c.expectError(c.do("POST", base+"/"+totp["id"].(string)+"/verify", map[string]any{"passCode": totpCode(secret, step)}), 403, "E0000082")
	sms := c.do("POST", base, map[string]any{"factorType": "sms", "provider": "OKTA", "profile": map[string]any{"phoneNumber": "415 555 0100"}}).json(t)
	if sms["profile"].(map[string]any)["phoneNumber"] != "+14155550100" {
		t.Fatalf("%v", sms)
	}
	code := c.twin.Store.State.Obj("factorCodes").Str(sms["id"].(string))
	if r := c.do("POST", base+"/"+sms["id"].(string)+"/lifecycle/activate", map[string]any{"passCode": code}); r.status != 200 {
		t.Fatal(r.text)
	}
	c.expectError(c.do("POST", base, map[string]any{"factorType": "sms", "provider": "NOPE"}), 400, "E0000001")
	if got := c.do("GET", base, nil).list(t); len(got) != 2 {
		t.Fatalf("%v", got)
	}
	c.do("POST", "/api/v1/users/"+id+"/lifecycle/reset_factors", nil)
	if got := c.do("GET", base, nil).list(t); len(got) != 0 {
		t.Fatalf("%v", got)
	}
}

func TestSeedFileIsWhereResetReturns(t *testing.T) {
	c := newClient(t)
	c.do("POST", "/api/v1/groups", map[string]any{"profile": map[string]any{"name": "Seeded"}})
	file := filepath.Join(t.TempDir(), "seed.json")
	if err := os.WriteFile(file, []byte(c.do("GET", "/__twin/state", nil, "Host", "127.0.0.1").text), 0o644); err != nil {
		t.Fatal(err)
	}
	twin, err := newTwin(&config{host: "127.0.0.1", clock: "2026-01-01T00:00:00.000Z", seeds: []string{file}}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	twin.Reset()
	if twin.Store.State.Obj("groups").Len() != 2 {
		t.Fatal("reset returns to the seed file's state")
	}
	if _, err := newTwin(&config{host: "127.0.0.1", seeds: []string{filepath.Join(t.TempDir(), "missing.json")}}, io.Discard); err == nil {
		t.Fatal("a missing seed file is refused")
	}
}
