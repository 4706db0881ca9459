package main

import (
	"strings"
	"testing"
)

func linkedDefinition(primary, associated string) map[string]any {
	side := func(name, title string) map[string]any {
		return map[string]any{"name": name, "title": title, "description": title + " link", "type": "USER"}
	}
	return map[string]any{"primary": side(primary, "Manager"), "associated": side(associated, "Subordinate")}
}

func TestLinkedObjectsLinkUsers(t *testing.T) {
	c := newClient(t)
	created := c.do("POST", "/api/v1/meta/schemas/user/linkedObjects", linkedDefinition("manager", "subordinate"))
	if created.status != 201 {
		t.Fatal(created.text)
	}
	if self := created.json(t)["_links"].(map[string]any)["self"].(map[string]any)["href"]; self != "http://"+host+"/api/v1/meta/schemas/user/linkedObjects/manager" {
		t.Fatalf("%v", self)
	}
	byAssociated := c.do("GET", "/api/v1/meta/schemas/user/linkedObjects/subordinate", nil).json(t)
	if byAssociated["primary"].(map[string]any)["name"] != "manager" {
		t.Fatalf("a definition is found by either name: %v", byAssociated)
	}
	if got := c.do("GET", "/api/v1/meta/schemas/user/linkedObjects", nil).list(t); len(got) != 1 {
		t.Fatalf("%v", got)
	}

	boss := c.do("POST", "/api/v1/users", withPassword(user("boss@example.com"))).json(t)["id"].(string)
	ann := c.do("POST", "/api/v1/users", withPassword(user("ann@example.com"))).json(t)["id"].(string)
	bob := c.do("POST", "/api/v1/users", withPassword(user("bob@example.com"))).json(t)["id"].(string)
	for _, report := range []string{ann, "bob@example.com"} {
		if r := c.do("PUT", "/api/v1/users/"+report+"/linkedObjects/manager/"+boss, nil); r.status != 204 {
			t.Fatal(r.text)
		}
	}
	hrefs := func(path string) string {
		var out []string
		for _, l := range c.do("GET", path, nil).list(t) {
			out = append(out, l["_links"].(map[string]any)["self"].(map[string]any)["href"].(string))
		}
		return strings.Join(out, " ")
	}
	users := "http://" + host + "/api/v1/users/"
	if got := hrefs("/api/v1/users/" + ann + "/linkedObjects/manager"); got != users+boss {
		t.Fatalf("a subordinate's manager: %q", got)
	}
	if got := hrefs("/api/v1/users/" + boss + "/linkedObjects/subordinate"); got != users+ann+" "+users+bob {
		t.Fatalf("a manager's subordinates: %q", got)
	}
	if r := c.do("DELETE", "/api/v1/users/"+ann+"/linkedObjects/manager", nil); r.status != 204 {
		t.Fatal(r.text)
	}
	if got := hrefs("/api/v1/users/" + boss + "/linkedObjects/subordinate"); got != users+bob {
		t.Fatalf("%q", got)
	}
	if r := c.do("DELETE", "/api/v1/meta/schemas/user/linkedObjects/subordinate", nil); r.status != 204 {
		t.Fatal(r.text)
	}
	if c.twin.Store.State.Obj("linkedObjectValues").Has("manager") {
		t.Fatal("deleting a definition deletes its values")
	}
	c.expectError(c.do("GET", "/api/v1/users/"+bob+"/linkedObjects/manager", nil), 404, "E0000007")

	var types []string
	for _, event := range c.do("GET", "/api/v1/logs?filter=target.id+eq+%22manager%22", nil).list(t) {
		types = append(types, event["eventType"].(string)+" "+event["target"].([]any)[0].(map[string]any)["alternateId"].(string))
	}
	if strings.Join(types, ",") != "directory.linked_object.create manager/subordinate,directory.linked_object.delete manager/subordinate" {
		t.Fatalf("%v", types)
	}
}

func TestLinkedObjectRefusals(t *testing.T) {
	c := newClient(t)
	c.do("POST", "/api/v1/meta/schemas/user/linkedObjects", linkedDefinition("manager", "subordinate"))
	blank := c.expectError(c.do("POST", "/api/v1/meta/schemas/user/linkedObjects", map[string]any{"associated": map[string]any{"name": "1x", "title": " ", "type": "GROUP"}}), 400, "E0000001")
	if blank["errorSummary"] != "Api validation failed: primary, associated.name, associated.title, associated.type" {
		t.Fatalf("%v", blank)
	}
	same := c.expectError(c.do("POST", "/api/v1/meta/schemas/user/linkedObjects", linkedDefinition("subordinate", "subordinate")), 400, "E0000001")
	var summaries []string
	for _, cause := range same["errorCauses"].([]any) {
		summaries = append(summaries, cause.(map[string]any)["errorSummary"].(string))
	}
	want := "associated.name: The primary and associated names must differ.|primary.name: An object with this field already exists in the current organization|associated.name: An object with this field already exists in the current organization"
	if strings.Join(summaries, "|") != want {
		t.Fatalf("%v", summaries)
	}
	c.expectError(c.do("POST", "/api/v1/meta/schemas/user/linkedObjects", map[string]any{"primary": "manager"}), 400, "E0000001")
	missing := c.expectError(c.do("GET", "/api/v1/meta/schemas/user/linkedObjects/nope", nil), 404, "E0000007")
	if missing["errorSummary"] != "Not found: Resource not found: nope (LinkedObject)" {
		t.Fatalf("%v", missing)
	}
	c.expectError(c.do("DELETE", "/api/v1/meta/schemas/user/linkedObjects/nope", nil), 404, "E0000007")
	c.expectError(c.do("PUT", "/api/v1/users/00unobody/linkedObjects/manager/00uadmintwin00000001", nil), 404, "E0000007")
	c.expectError(c.do("PUT", "/api/v1/users/00uadmintwin00000001/linkedObjects/nope/00uadmintwin00000001", nil), 404, "E0000007")
	c.expectError(c.do("GET", "/api/v1/users/00unobody/linkedObjects/manager", nil), 404, "E0000007")
	c.expectError(c.do("DELETE", "/api/v1/users/00uadmintwin00000001/linkedObjects/nope", nil), 404, "E0000007")
	if c.twin.Store.State.Has("linkedObjectValues") || c.twin.Store.State.Obj("linkedObjects").Len() != 1 {
		t.Fatal("a refused request changes nothing")
	}
	if schema := c.do("GET", "/api/v1/meta/schemas/user/default", nil); schema.status != 200 {
		t.Fatalf("the linked objects path does not hide the schema path: %s", schema.text)
	}
}
