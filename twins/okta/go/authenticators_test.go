package main

import (
	"testing"
)

func TestAuthenticators(t *testing.T) {
	c := newClient(t)
	list := c.do("GET", "/api/v1/authenticators", nil).list(t)
	if len(list) != 6 || list[0]["key"] != "okta_email" {
		t.Fatalf("%v", list)
	}
	phone := "/api/v1/authenticators/auttwinphone00000001"
	got := c.do("GET", phone, nil).json(t)
	if got["status"] != "ACTIVE" || got["_links"].(map[string]any)["deactivate"] == nil {
		t.Fatalf("%v", got)
	}
	c.expectError(c.do("GET", "/api/v1/authenticators/nope", nil), 404, "E0000007")
	off := c.do("POST", phone+"/lifecycle/deactivate", nil).json(t)
	if off["status"] != "INACTIVE" || off["_links"].(map[string]any)["activate"] == nil {
		t.Fatalf("%v", off)
	}
	if event := lastEvent(c); event["eventType"] != "security.authenticator.lifecycle.deactivate" || event["target"].([]any)[0].(map[string]any)["alternateId"] != "phone_number" {
		t.Fatalf("%v", event)
	}
	// Deactivating again changes nothing and logs nothing.
	events := len(c.twinState()["systemLog"].([]any))
	c.do("POST", phone+"/lifecycle/deactivate", nil)
	if len(c.twinState()["systemLog"].([]any)) != events {
		t.Fatal("a second deactivation logs nothing")
	}
	// An inactive authenticator's factors cannot be enrolled.
	id := signInUser(c, "ann@example.com")
	c.expectError(c.do("POST", "/api/v1/users/"+id+"/factors", map[string]any{"factorType": "sms", "provider": "OKTA", "profile": map[string]any{"phoneNumber": "+14155550100"}}), 400, "E0000001")
	c.expectError(c.do("POST", "/api/v1/authenticators/auttwinpassword00001/lifecycle/deactivate", nil), 400, "E0000001")
	if on := c.do("POST", phone+"/lifecycle/activate", nil).json(t); on["status"] != "ACTIVE" {
		t.Fatalf("%v", on)
	}
	c.expectError(c.do("PUT", phone, map[string]any{"name": "x"}), 404, "E0000007")
}
