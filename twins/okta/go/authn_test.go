package main

import (
	"testing"
)

// anonymous are the headers of a call without an API token, as the Authentication API is called.
var anonymous = []string{"Authorization", ""}

// twinState is the twin's whole state, as GET /__twin/state exports it (the admin API answers on loopback only).
func (c *client) twinState() map[string]any {
	c.t.Helper()
	return c.do("GET", "/__twin/state", nil, "Host", "127.0.0.1").json(c.t)["state"].(map[string]any)
}

// signInUser creates an ACTIVE user with the test password and a recovery question, and returns its id.
func signInUser(c *client, login string) string {
	c.t.Helper()
	u := withPassword(user(login))
	u["credentials"].(map[string]any)["recovery_question"] = map[string]any{"question": "Pet?", "answer": "goldfish"}
	r := c.do("POST", "/api/v1/users?activate=true", u)
	if r.status != 200 {
		c.t.Fatal(r.text)
	}
	return r.json(c.t)["id"].(string)
}

func authn(c *client, body map[string]any) reply {
	c.t.Helper()
	return c.do("POST", "/api/v1/authn", body, anonymous...)
}

func lastEvent(c *client) map[string]any {
	c.t.Helper()
	log := c.twinState()["systemLog"].([]any)
	return log[len(log)-1].(map[string]any)
}

func TestAuthnPrimarySuccessAndErrors(t *testing.T) {
	c := newClient(t)
	id := signInUser(c, "ana@example.com")
	c.expectError(authn(c, map[string]any{"password": "x"}), 400, "E0000001")
	c.expectError(authn(c, map[string]any{"username": "ana@example.com", "password": ""}), 400, "E0000001")
	c.expectError(authn(c, map[string]any{"username": "nobody@example.com", "password": "x"}), 401, "E0000004")
	c.expectError(authn(c, map[string]any{"stateToken": "unknown"}), 401, "E0000011")
	r := authn(c, map[string]any{"username": "ana@example.com", "password": "Tr0ub4dor-Horse9", "relayState": "/home"})
	m := r.json(t)
	if r.status != 200 || m["status"] != "SUCCESS" || m["relayState"] != "/home" || m["sessionToken"] == nil || m["expiresAt"] != "2026-01-01T00:05:00.000Z" {
		t.Fatalf("%s", r.text)
	}
	if event := lastEvent(c); event["eventType"] != "user.session.start" || event["legacyEventType"] != "core.user_auth.login_success" || event["actor"].(map[string]any)["id"] != id {
		t.Fatalf("%v", event)
	}
	if c.twinState()["users"].(map[string]any)[id].(map[string]any)["lastLogin"] != "2026-01-01T00:00:00.000Z" {
		t.Fatal("a sign-in sets lastLogin")
	}
}

func TestAuthnMfaQuestionAndCancel(t *testing.T) {
	c := newClient(t)
	id := signInUser(c, "mia@example.com")
	f := c.do("POST", "/api/v1/users/"+id+"/factors", map[string]any{"factorType": "question", "provider": "OKTA", "profile": map[string]any{"question": "disliked_food", "answer": "brussels"}}).json(t)
	r := authn(c, map[string]any{"username": "mia@example.com", "password": "Tr0ub4dor-Horse9", "relayState": "rs"}).json(t)
	if r["status"] != "MFA_REQUIRED" {
		t.Fatalf("%v", r)
	}
	state := r["stateToken"].(string)
	if again := authn(c, map[string]any{"stateToken": state}).json(t); again["status"] != "MFA_REQUIRED" || again["stateToken"] != state {
		t.Fatalf("%v", again)
	}
	verify := "/api/v1/authn/factors/" + f["id"].(string) + "/verify"
	c.expectError(c.do("POST", "/api/v1/authn/factors/nope/verify", map[string]any{"stateToken": state}, anonymous...), 404, "E0000007")
	c.expectError(c.do("POST", verify, map[string]any{"stateToken": state, "answer": "kale"}, anonymous...), 403, "E0000068")
	c.expectError(c.do("POST", "/api/v1/authn/credentials/change_password", map[string]any{"stateToken": state, "oldPassword": "x", "newPassword": "y"}, anonymous...), 403, "E0000079")
	done := c.do("POST", verify, map[string]any{"stateToken": state, "answer": "brussels"}, anonymous...).json(t)
	if done["status"] != "SUCCESS" || done["relayState"] != "rs" {
		t.Fatalf("%v", done)
	}
	c.expectError(authn(c, map[string]any{"stateToken": state}), 401, "E0000011")
	// The session token carries both proofs.
	session := c.do("POST", "/api/v1/sessions", map[string]any{"sessionToken": done["sessionToken"]}).json(t)
	if amr := session["amr"].([]any); len(amr) != 3 || amr[1] != "mfa" || amr[2] != "kba" || session["mfaActive"] != true {
		t.Fatalf("%v", session)
	}
	other := authn(c, map[string]any{"username": "mia@example.com", "password": "Tr0ub4dor-Horse9", "relayState": "back"}).json(t)
	if cancelled := c.do("POST", "/api/v1/authn/cancel", map[string]any{"stateToken": other["stateToken"]}, anonymous...); cancelled.text != `{"relayState":"back"}` {
		t.Fatal(cancelled.text)
	}
	c.expectError(c.do("POST", "/api/v1/authn/cancel", map[string]any{"stateToken": other["stateToken"]}, anonymous...), 401, "E0000011")
}

func TestAuthnSmsChallenge(t *testing.T) {
	c := newClient(t)
	id := signInUser(c, "sam@example.com")
	sms := c.do("POST", "/api/v1/users/"+id+"/factors?activate=true", map[string]any{"factorType": "sms", "provider": "OKTA", "profile": map[string]any{"phoneNumber": "+14155550100"}}).json(t)["id"].(string)
	state := authn(c, map[string]any{"username": "sam@example.com", "password": "Tr0ub4dor-Horse9"}).json(t)["stateToken"]
	verify := "/api/v1/authn/factors/" + sms + "/verify"
	challenge := c.do("POST", verify, map[string]any{"stateToken": state}, anonymous...).json(t)
	if challenge["status"] != "MFA_CHALLENGE" || challenge["_links"].(map[string]any)["next"].(map[string]any)["name"] != "verify" {
		t.Fatalf("%v", challenge)
	}
	code := c.twinState()["factorCodes"].(map[string]any)[sms].(string)
	wrong := "000000"
	if code == wrong {
		wrong = "111111"
	}
	c.expectError(c.do("POST", verify, map[string]any{"stateToken": state, "passCode": wrong}, anonymous...), 403, "E0000068")
	if done := c.do("POST", verify, map[string]any{"stateToken": state, "passCode": code}, anonymous...).json(t); done["status"] != "SUCCESS" {
		t.Fatalf("%v", done)
	}
}

func TestAuthnPasswordExpiredAndChange(t *testing.T) {
	c := newClient(t)
	id := signInUser(c, "eve@example.com")
	c.do("POST", "/api/v1/users/"+id+"/lifecycle/expire_password", nil)
	r := authn(c, map[string]any{"username": "eve@example.com", "password": "Tr0ub4dor-Horse9"}).json(t)
	if r["status"] != "PASSWORD_EXPIRED" || r["_links"].(map[string]any)["next"].(map[string]any)["name"] != "changePassword" {
		t.Fatalf("%v", r)
	}
	policy := r["_embedded"].(map[string]any)["policy"].(map[string]any)
	if policy["complexity"].(map[string]any)["minLength"] != 8.0 || policy["age"].(map[string]any)["historyCount"] != 4.0 {
		t.Fatalf("%v", policy)
	}
	change := func(old, next string) reply {
		return c.do("POST", "/api/v1/authn/credentials/change_password", map[string]any{"stateToken": r["stateToken"], "oldPassword": old, "newPassword": next}, anonymous...)
	}
	c.expectError(change("bad", "N3w-Passw0rd-x"), 403, "E0000014")
	c.expectError(change("Tr0ub4dor-Horse9", "weak"), 403, "E0000080")
	c.expectError(change("Tr0ub4dor-Horse9", "Tr0ub4dor-Horse9"), 403, "E0000080")
	if done := change("Tr0ub4dor-Horse9", "N3w-Passw0rd-x").json(t); done["status"] != "SUCCESS" {
		t.Fatalf("%v", done)
	}
	if c.do("GET", "/api/v1/users/"+id, nil).json(t)["status"] != "ACTIVE" {
		t.Fatal("a changed password makes the user ACTIVE")
	}
}

func TestAuthnLockoutUnlockAndRecovery(t *testing.T) {
	c := newClient(t)
	id := signInUser(c, "bob@example.com")
	c.do("PUT", "/api/v1/policies/00ptwinpassword00001", map[string]any{"type": "PASSWORD", "name": "Default Policy", "settings": map[string]any{"password": map[string]any{"lockout": map[string]any{"maxAttempts": 2}}}})
	for i := 0; i < 2; i++ {
		c.expectError(authn(c, map[string]any{"username": "bob@example.com", "password": "wrong"}), 401, "E0000004")
	}
	if event := lastEvent(c); event["eventType"] != "user.account.lock" || event["outcome"].(map[string]any)["reason"] != "LOCKED_OUT" {
		t.Fatalf("%v", event)
	}
	if locked := authn(c, map[string]any{"username": "bob@example.com", "password": "Tr0ub4dor-Horse9"}); locked.text != `{"status":"LOCKED_OUT","_links":{}}` {
		t.Fatal(locked.text)
	}
	c.do("PUT", "/api/v1/policies/00ptwinpassword00001/rules/0prtwinpassword00001", map[string]any{"name": "Default Rule", "actions": map[string]any{"selfServiceUnlock": map[string]any{"access": "ALLOW"}}})
	if locked := authn(c, map[string]any{"username": "bob@example.com", "password": "x"}).json(t); locked["_links"].(map[string]any)["next"] == nil {
		t.Fatalf("self-service unlock shows its link: %v", locked)
	}
	// The answer is the same for an unknown user.
	unknown := c.do("POST", "/api/v1/authn/recovery/unlock", map[string]any{"username": "nobody@example.com"}, anonymous...)
	known := c.do("POST", "/api/v1/authn/recovery/unlock", map[string]any{"username": "bob@example.com"}, anonymous...)
	if unknown.text != known.text || known.json(t)["status"] != "RECOVERY_CHALLENGE" {
		t.Fatalf("%s %s", unknown.text, known.text)
	}
	var token string
	for k := range c.twinState()["recoveryTokens"].(map[string]any) {
		token = k
	}
	c.expectError(c.do("POST", "/api/v1/authn/recovery/token", map[string]any{"recoveryToken": "nope"}, anonymous...), 401, "E0000011")
	recovery := c.do("POST", "/api/v1/authn/recovery/token", map[string]any{"recoveryToken": token}, anonymous...).json(t)
	if recovery["status"] != "RECOVERY" || recovery["_embedded"].(map[string]any)["user"].(map[string]any)["recovery_question"] == nil {
		t.Fatalf("%v", recovery)
	}
	c.expectError(c.do("POST", "/api/v1/authn/recovery/token", map[string]any{"recoveryToken": token}, anonymous...), 401, "E0000011")
	answer := func(a string) reply {
		return c.do("POST", "/api/v1/authn/recovery/answer", map[string]any{"stateToken": recovery["stateToken"], "answer": a}, anonymous...)
	}
	c.expectError(answer("cat"), 403, "E0000087")
	if unlocked := answer("goldfish").json(t); unlocked["status"] != "UNLOCKED" {
		t.Fatalf("%v", unlocked)
	}
	if c.do("GET", "/api/v1/users/"+id, nil).json(t)["status"] != "ACTIVE" {
		t.Fatal("an unlock makes the user ACTIVE")
	}
	// Forgotten password: token, answer, new password.
	c.do("POST", "/api/v1/authn/recovery/password", map[string]any{"username": "bob@example.com"}, anonymous...)
	for k := range c.twinState()["recoveryTokens"].(map[string]any) {
		token = k
	}
	recovery = c.do("POST", "/api/v1/authn/recovery/token", map[string]any{"recoveryToken": token}, anonymous...).json(t)
	reset := answer("goldfish").json(t)
	if reset["status"] != "PASSWORD_RESET" {
		t.Fatalf("%v", reset)
	}
	c.expectError(c.do("POST", "/api/v1/authn/credentials/reset_password", map[string]any{"stateToken": reset["stateToken"], "newPassword": "short"}, anonymous...), 403, "E0000080")
	done := c.do("POST", "/api/v1/authn/credentials/reset_password", map[string]any{"stateToken": reset["stateToken"], "newPassword": "An0ther-Secret-9"}, anonymous...).json(t)
	if done["status"] != "SUCCESS" {
		t.Fatalf("%v", done)
	}
	if r := authn(c, map[string]any{"username": "bob@example.com", "password": "An0ther-Secret-9"}).json(t); r["status"] != "SUCCESS" {
		t.Fatalf("%v", r)
	}
}

func TestAuthnEnrollRequiredFactor(t *testing.T) {
	c := newClient(t)
	id := signInUser(c, "fay@example.com")
	policy := c.do("POST", "/api/v1/policies", map[string]any{"type": "OKTA_SIGN_ON", "name": "MFA", "priority": 1, "conditions": map[string]any{"people": map[string]any{"users": map[string]any{"include": []string{id}}}}}).json(t)
	c.do("POST", "/api/v1/policies/"+policy["id"].(string)+"/rules", map[string]any{"name": "MFA", "actions": map[string]any{"signon": map[string]any{"requireFactor": true}}})
	r := authn(c, map[string]any{"username": "fay@example.com", "password": "Tr0ub4dor-Horse9"}).json(t)
	if r["status"] != "MFA_ENROLL" {
		t.Fatalf("%v", r)
	}
	enroll := func(b map[string]any) reply {
		b["stateToken"] = r["stateToken"]
		return c.do("POST", "/api/v1/authn/factors", b, anonymous...)
	}
	c.expectError(enroll(map[string]any{"factorType": "push"}), 400, "E0000001")
	pending := enroll(map[string]any{"factorType": "token:software:totp", "provider": "GOOGLE"}).json(t)
	if pending["status"] != "MFA_ENROLL_ACTIVATE" {
		t.Fatalf("%v", pending)
	}
	factor := pending["_embedded"].(map[string]any)["factor"].(map[string]any)
	secret := c.twinState()["factors"].(map[string]any)[factor["id"].(string)].(map[string]any)["sharedSecret"].(string)
	activate := "/api/v1/authn/factors/" + factor["id"].(string) + "/lifecycle/activate"
	c.expectError(c.do("POST", activate, map[string]any{"stateToken": r["stateToken"], "passCode": "12345"}, anonymous...), 403, "E0000068")
	done := c.do("POST", activate, map[string]any{"stateToken": r["stateToken"], "passCode": totpCode(secret, 1767225600/30)}, anonymous...).json(t)
	if done["status"] != "SUCCESS" {
		t.Fatalf("%v", done)
	}
}
