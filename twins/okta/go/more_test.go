package main

import (
	"strings"
	"testing"
)

func TestSystemLogListsWhatChanged(t *testing.T) {
	c := newClient(t)
	id := c.do("POST", "/api/v1/users", withPassword(user("log@example.com"))).json(t)["id"].(string)
	c.do("POST", "/api/v1/users/"+id+"/lifecycle/suspend", nil)
	events := c.do("GET", "/api/v1/logs?filter=target.id+eq+%22"+id+"%22", nil)
	list := events.list(t)
	if len(list) != 3 || list[2]["eventType"] != "user.lifecycle.suspend" {
		t.Fatalf("%s", events.text)
	}
	if links := events.header.Values("Link"); len(links) != 2 || !strings.Contains(links[1], `rel="next"`) {
		t.Fatalf("a polling query always has a next link: %v", links)
	}
	c.expectError(c.do("GET", "/api/v1/logs?since=yesterday", nil), 400, "E0000030")
}

func TestUserTypesAndSchemas(t *testing.T) {
	c := newClient(t)
	typ := c.do("POST", "/api/v1/meta/types/user", map[string]any{"name": "contractor", "displayName": "Contractor"}).json(t)
	if typ["description"] != "" || typ["createdBy"] != "00uadmintwin00000001" {
		t.Fatalf("%v", typ)
	}
	c.expectError(c.do("POST", "/api/v1/meta/types/user", map[string]any{"name": "Contractor", "displayName": "x"}), 400, "E0000001")
	schema := c.do("POST", "/api/v1/meta/schemas/user/default", map[string]any{"definitions": map[string]any{"custom": map[string]any{"properties": map[string]any{
		"team": map[string]any{"title": "Team", "type": "string", "required": true},
	}}}})
	if schema.status != 200 {
		t.Fatal(schema.text)
	}
	c.expectError(c.do("POST", "/api/v1/users", user("noteam@example.com")), 400, "E0000001")
	u := user("team@example.com")
	u["profile"].(map[string]any)["team"] = "Eng"
	if r := c.do("POST", "/api/v1/users", u); r.status != 200 {
		t.Fatal(r.text)
	}
	base := c.do("GET", "/api/v1/meta/schemas/user/default", nil).json(t)["definitions"].(map[string]any)["base"].(map[string]any)
	if base["required"].([]any)[0] != "login" {
		t.Fatalf("%v", base["required"])
	}
}
