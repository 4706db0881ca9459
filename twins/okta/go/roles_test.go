package main

import (
	"testing"
)

func TestUserRoleAssignments(t *testing.T) {
	c := newClient(t)
	id := signInUser(c, "ura@example.com")
	roles := "/api/v1/users/" + id + "/roles"
	if admin := c.do("GET", "/api/v1/users/00uadmintwin00000001/roles", nil).list(t); len(admin) != 1 || admin[0]["type"] != "SUPER_ADMIN" {
		t.Fatalf("%v", admin)
	}
	c.expectError(c.do("POST", roles, map[string]any{}), 400, "E0000001")
	invalid := c.expectError(c.do("POST", roles, map[string]any{"type": "KING"}), 400, "E0000001")
	if invalid["errorCauses"].([]any)[0].(map[string]any)["errorSummary"] != "type: 'KING' is not a valid role type" {
		t.Fatalf("%v", invalid)
	}
	c.expectError(c.do("POST", roles, map[string]any{"type": "CUSTOM", "role": "cr0abc"}), 404, "E0000007")
	created := c.do("POST", roles, map[string]any{"type": "USER_ADMIN"})
	assignment := created.json(t)
	if created.status != 201 || assignment["label"] != "User Administrator" || assignment["assignmentType"] != "USER" {
		t.Fatalf("%s", created.text)
	}
	if event := lastEvent(c); event["eventType"] != "user.account.privilege.grant" || event["debugContext"].(map[string]any)["debugData"].(map[string]any)["privilegeGranted"] != "User Administrator" {
		t.Fatalf("%v", event)
	}
	c.expectError(c.do("POST", roles, map[string]any{"type": "USER_ADMIN"}), 409, "E0000090")
	c.expectError(c.do("POST", "/api/v1/users/nope/roles", map[string]any{"type": "USER_ADMIN"}), 404, "E0000007")
	self := roles + "/" + assignment["id"].(string)
	if got := c.do("GET", self, nil).json(t); got["id"] != assignment["id"] {
		t.Fatalf("%v", got)
	}
	c.expectError(c.do("GET", roles+"/nope", nil), 404, "E0000007")
	if r := c.do("DELETE", self, nil); r.status != 204 {
		t.Fatal(r.text)
	}
	c.expectError(c.do("DELETE", self, nil), 404, "E0000007")
	if list := c.do("GET", roles, nil).list(t); len(list) != 0 {
		t.Fatalf("%v", list)
	}
}

func TestRoleTargets(t *testing.T) {
	c := newClient(t)
	id := signInUser(c, "tgt@example.com")
	g1 := c.do("POST", "/api/v1/groups", map[string]any{"profile": map[string]any{"name": "Eng"}}).json(t)["id"].(string)
	g2 := c.do("POST", "/api/v1/groups", map[string]any{"profile": map[string]any{"name": "Ops"}}).json(t)["id"].(string)
	ra := c.do("POST", "/api/v1/users/"+id+"/roles", map[string]any{"type": "USER_ADMIN"}).json(t)["id"].(string)
	groups := "/api/v1/users/" + id + "/roles/" + ra + "/targets/groups"
	if r := c.do("PUT", groups+"/"+g1, nil); r.status != 204 {
		t.Fatal(r.text)
	}
	c.expectError(c.do("PUT", groups+"/nope", nil), 404, "E0000007")
	c.expectError(c.do("DELETE", groups+"/"+g1, nil), 400, "E0000001")
	c.do("PUT", groups+"/"+g2, nil)
	if list := c.do("GET", groups, nil).list(t); len(list) != 2 || list[0]["id"] != g1 {
		t.Fatalf("%v", list)
	}
	if r := c.do("DELETE", groups+"/"+g1, nil); r.status != 204 {
		t.Fatal(r.text)
	}
	c.expectError(c.do("DELETE", groups+"/"+g1, nil), 404, "E0000007")
	c.expectError(c.do("PUT", "/api/v1/users/"+id+"/roles/"+ra+"/targets/catalog/apps/oidc_client", nil), 400, "E0000001")

	app := c.do("POST", "/api/v1/users/"+id+"/roles", map[string]any{"type": "APP_ADMIN"}).json(t)["id"].(string)
	apps := "/api/v1/users/" + id + "/roles/" + app + "/targets/catalog/apps"
	if r := c.do("PUT", apps+"/oidc_client/0oatwinservice000001", nil); r.status != 204 {
		t.Fatal(r.text)
	}
	c.expectError(c.do("PUT", apps+"/other/0oatwinservice000001", nil), 404, "E0000007")
	c.expectError(c.do("PUT", apps+"/salesforce", nil), 404, "E0000007")
	if list := c.do("GET", apps, nil).list(t); len(list) != 1 || list[0]["id"] != "0oatwinservice000001" || list[0]["displayName"] != "twinverse service app" {
		t.Fatalf("%v", list)
	}
	// A whole catalog app replaces the instances of it.
	c.do("PUT", apps+"/oidc_client", nil)
	if list := c.do("GET", apps, nil).list(t); len(list) != 1 || list[0]["id"] != nil {
		t.Fatalf("%v", list)
	}
	c.expectError(c.do("DELETE", apps+"/oidc_client", nil), 400, "E0000001")
}

func TestGroupRoles(t *testing.T) {
	c := newClient(t)
	g := c.do("POST", "/api/v1/groups", map[string]any{"profile": map[string]any{"name": "Help"}}).json(t)["id"].(string)
	target := c.do("POST", "/api/v1/groups", map[string]any{"profile": map[string]any{"name": "Staff"}}).json(t)["id"].(string)
	roles := "/api/v1/groups/" + g + "/roles"
	created := c.do("POST", roles, map[string]any{"type": "HELP_DESK_ADMIN"})
	if created.status != 200 || created.json(t)["assignmentType"] != "GROUP" {
		t.Fatal(created.text)
	}
	if event := lastEvent(c); event["eventType"] != "group.privilege.grant" {
		t.Fatalf("%v", event)
	}
	c.expectError(c.do("POST", roles, map[string]any{"type": "HELP_DESK_ADMIN"}), 409, "E0000090")
	ra := created.json(t)["id"].(string)
	if r := c.do("PUT", roles+"/"+ra+"/targets/groups/"+target, nil); r.status != 204 {
		t.Fatal(r.text)
	}
	if list := c.do("GET", roles+"/"+ra+"/targets/groups", nil).list(t); len(list) != 1 || list[0]["id"] != target {
		t.Fatalf("%v", list)
	}
	c.expectError(c.do("GET", "/api/v1/groups/nope/roles", nil), 404, "E0000007")
	if r := c.do("DELETE", roles+"/"+ra, nil); r.status != 204 {
		t.Fatal(r.text)
	}
	if event := lastEvent(c); event["eventType"] != "group.privilege.revoke" {
		t.Fatalf("%v", event)
	}
}
