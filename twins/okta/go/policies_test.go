package main

import (
	"testing"
)

func TestPoliciesSeededDefaults(t *testing.T) {
	c := newClient(t)
	for kind, id := range map[string]string{"OKTA_SIGN_ON": "00ptwinsignon0000001", "PASSWORD": "00ptwinpassword00001", "MFA_ENROLL": "00ptwinmfaenroll0001", "ACCESS_POLICY": "00ptwinaccess0000001"} {
		list := c.do("GET", "/api/v1/policies?type="+kind, nil).list(t)
		if len(list) != 1 || list[0]["id"] != id || list[0]["system"] != true {
			t.Fatalf("%s: %v", kind, list)
		}
		if links := list[0]["_links"].(map[string]any); links["deactivate"] != nil {
			t.Fatalf("the default policy is always on: %v", links)
		}
	}
	c.expectError(c.do("GET", "/api/v1/policies", nil), 400, "E0000001")
	c.expectError(c.do("GET", "/api/v1/policies/nope", nil), 404, "E0000007")
	c.expectError(c.do("POST", "/api/v1/policies/00ptwinpassword00001/lifecycle/deactivate", nil), 400, "E0000001")
	c.expectError(c.do("DELETE", "/api/v1/policies/00ptwinpassword00001", nil), 400, "E0000001")
	c.expectError(c.do("DELETE", "/api/v1/policies/00ptwinpassword00001/rules/0prtwinpassword00001", nil), 400, "E0000001")
	c.expectError(c.do("POST", "/api/v1/policies/00ptwinpassword00001/rules/0prtwinpassword00001/lifecycle/deactivate", nil), 400, "E0000001")
}

func TestPolicyCrudAndPriorities(t *testing.T) {
	c := newClient(t)
	c.expectError(c.do("POST", "/api/v1/policies", map[string]any{"type": "PASSWORD", "name": "Weak", "settings": map[string]any{"password": map[string]any{"complexity": map[string]any{"minLength": 2}}}}), 400, "E0000001")
	c.expectError(c.do("POST", "/api/v1/policies", map[string]any{"type": "PASSWORD", "name": " "}), 400, "E0000001")
	bad := c.expectError(c.do("POST", "/api/v1/policies", map[string]any{"type": "PASSWORD", "name": "X", "conditions": map[string]any{"people": map[string]any{"groups": map[string]any{"include": []string{"00gnope"}}}}}), 400, "E0000001")
	if bad["errorSummary"] != "Api validation failed: conditions.people.groups.include" {
		t.Fatalf("%v", bad)
	}
	first := c.do("POST", "/api/v1/policies", map[string]any{"type": "PASSWORD", "name": "First", "settings": map[string]any{"password": map[string]any{"complexity": map[string]any{"minLength": 12}}}}).json(t)
	complexity := first["settings"].(map[string]any)["password"].(map[string]any)["complexity"].(map[string]any)
	if first["priority"] != 1.0 || complexity["minLength"] != 12.0 || complexity["minUpperCase"] != 1.0 || first["settings"].(map[string]any)["recovery"] == nil {
		t.Fatalf("Okta's defaults fill in the settings: %v", first)
	}
	c.expectError(c.do("POST", "/api/v1/policies", map[string]any{"type": "PASSWORD", "name": "First"}), 400, "E0000001")
	second := c.do("POST", "/api/v1/policies?activate=false", map[string]any{"type": "PASSWORD", "name": "Second", "priority": 1}).json(t)
	if second["status"] != "INACTIVE" || second["priority"] != 1.0 {
		t.Fatalf("%v", second)
	}
	list := c.do("GET", "/api/v1/policies?type=PASSWORD", nil).list(t)
	if len(list) != 3 || list[0]["name"] != "Second" || list[1]["name"] != "First" || list[1]["priority"] != 2.0 || list[2]["system"] != true || list[2]["priority"] != 3.0 {
		t.Fatalf("%v", list)
	}
	if filtered := c.do("GET", "/api/v1/policies?type=PASSWORD&status=ACTIVE&q=fir", nil).list(t); len(filtered) != 1 || filtered[0]["name"] != "First" {
		t.Fatalf("%v", filtered)
	}
	id := first["id"].(string)
	c.expectError(c.do("PUT", "/api/v1/policies/"+id, map[string]any{"type": "OKTA_SIGN_ON", "name": "First"}), 400, "E0000001")
	replaced := c.do("PUT", "/api/v1/policies/"+id, map[string]any{"type": "PASSWORD", "name": "Renamed", "priority": 1}).json(t)
	if replaced["name"] != "Renamed" || replaced["priority"] != 1.0 {
		t.Fatalf("%v", replaced)
	}
	for _, step := range []string{"deactivate", "activate"} {
		if r := c.do("POST", "/api/v1/policies/"+id+"/lifecycle/"+step, nil); r.status != 204 {
			t.Fatal(r.text)
		}
	}
	if r := c.do("DELETE", "/api/v1/policies/"+second["id"].(string), nil); r.status != 204 {
		t.Fatal(r.text)
	}
	if event := lastEvent(c); event["eventType"] != "policy.lifecycle.delete" || event["target"].([]any)[0].(map[string]any)["type"] != "PolicyEntity" {
		t.Fatalf("%v", event)
	}
	c.expectError(c.do("GET", "/api/v1/policies/"+second["id"].(string), nil), 404, "E0000007")
}

func TestPolicyRules(t *testing.T) {
	c := newClient(t)
	policy := c.do("POST", "/api/v1/policies", map[string]any{"type": "OKTA_SIGN_ON", "name": "Sign-on"}).json(t)
	rules := "/api/v1/policies/" + policy["id"].(string) + "/rules"
	c.expectError(c.do("POST", rules, map[string]any{"type": "PASSWORD", "name": "R"}), 400, "E0000001")
	rule := c.do("POST", rules, map[string]any{"name": "R1"}).json(t)
	signon := rule["actions"].(map[string]any)["signon"].(map[string]any)
	if rule["type"] != "SIGN_ON" || signon["access"] != "ALLOW" || signon["session"].(map[string]any)["maxSessionIdleMinutes"] != 120.0 {
		t.Fatalf("the type's defaults fill in the actions: %v", rule)
	}
	if _, kept := rule["policyId"]; kept {
		t.Fatal("a rule is sent without its policyId")
	}
	c.expectError(c.do("POST", rules, map[string]any{"name": "R1"}), 400, "E0000001")
	c.do("POST", rules, map[string]any{"name": "R2", "priority": 1})
	list := c.do("GET", rules, nil).list(t)
	if len(list) != 2 || list[0]["name"] != "R2" || list[1]["priority"] != 2.0 {
		t.Fatalf("%v", list)
	}
	self := rules + "/" + rule["id"].(string)
	replaced := c.do("PUT", self, map[string]any{"name": "R1b", "priority": 1, "actions": map[string]any{"signon": map[string]any{"access": "DENY"}}}).json(t)
	if replaced["name"] != "R1b" || replaced["priority"] != 1.0 || replaced["actions"].(map[string]any)["signon"].(map[string]any)["access"] != "DENY" {
		t.Fatalf("%v", replaced)
	}
	c.expectError(c.do("PUT", self, map[string]any{"type": "PASSWORD", "name": "R1b"}), 400, "E0000001")
	c.expectError(c.do("GET", "/api/v1/policies/00ptwinsignon0000001/rules/"+rule["id"].(string), nil), 404, "E0000007")
	if r := c.do("POST", self+"/lifecycle/deactivate", nil); r.status != 204 {
		t.Fatal(r.text)
	}
	if c.do("GET", self, nil).json(t)["status"] != "INACTIVE" {
		t.Fatal("deactivated")
	}
	if r := c.do("DELETE", self, nil); r.status != 204 {
		t.Fatal(r.text)
	}
	if list := c.do("GET", rules, nil).list(t); len(list) != 1 || list[0]["priority"] != 1.0 {
		t.Fatalf("%v", list)
	}
}

func TestPasswordPolicyGovernsSignInAndChanges(t *testing.T) {
	c := newClient(t)
	id := signInUser(c, "pat@example.com")
	c.do("POST", "/api/v1/policies", map[string]any{"type": "PASSWORD", "name": "Strict", "conditions": map[string]any{"people": map[string]any{"users": map[string]any{"include": []string{id}}}},
		"settings": map[string]any{"password": map[string]any{"complexity": map[string]any{"minLength": 20}, "lockout": map[string]any{"maxAttempts": 1}}}})
	c.do("POST", "/api/v1/users/"+id+"/lifecycle/expire_password", nil)
	r := authn(c, map[string]any{"username": "pat@example.com", "password": "Tr0ub4dor-Horse9"}).json(t)
	if min := r["_embedded"].(map[string]any)["policy"].(map[string]any)["complexity"].(map[string]any)["minLength"]; min != 20.0 {
		t.Fatalf("the governing policy is embedded: %v", min)
	}
	c.expectError(c.do("POST", "/api/v1/authn/credentials/change_password", map[string]any{"stateToken": r["stateToken"], "oldPassword": "Tr0ub4dor-Horse9", "newPassword": "N3w-Passw0rd-x"}, anonymous...), 403, "E0000080")
	c.expectError(authn(c, map[string]any{"username": "pat@example.com", "password": "wrong"}), 401, "E0000004")
	// A PASSWORD_EXPIRED user is not locked out: only an ACTIVE one is.
	if c.do("GET", "/api/v1/users/"+id, nil).json(t)["status"] != "PASSWORD_EXPIRED" {
		t.Fatal("status")
	}
}
