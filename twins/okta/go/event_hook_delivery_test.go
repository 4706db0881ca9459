package main

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// Deliveries of System Log events to event hooks: logEventWith hands each event it writes to
// queueEventHookDeliveries, and the hook receives it after the request has answered.

func TestEventHookVerificationAndDelivery(t *testing.T) {
	c := newClient(t)
	receiver := newHookReceiver(t)
	hook := c.do("POST", "/api/v1/eventHooks", eventHookBody(receiver.server.URL+"/okta", "user.lifecycle.create", "user.lifecycle.suspend")).json(t)
	id := hook["id"].(string)
	// An unverified hook receives nothing.
	c.do("POST", "/api/v1/users?activate=false", user("early@example.com"))
	receiver.quiet(t, 100*time.Millisecond)
	verified := c.do("POST", "/api/v1/eventHooks/"+id+"/lifecycle/verify", nil)
	challenge := receiver.next(t)
	if verified.json(t)["verificationStatus"] != "VERIFIED" || challenge.method != "GET" || len(challenge.headers.Get("X-Okta-Verification-Challenge")) != 40 || challenge.headers.Get("Authorization") != "s3cret" || challenge.headers.Get("X-Extra") != "yes" {
		t.Fatalf("%s %v", verified.text, challenge.headers)
	}
	created := c.do("POST", "/api/v1/users?activate=false", user("hooked@example.com")).json(t)
	call := receiver.next(t)
	var delivery map[string]any
	if err := json.Unmarshal([]byte(call.body), &delivery); err != nil || call.method != "POST" || call.headers.Get("Authorization") != "s3cret" {
		t.Fatalf("%s %v", call.body, err)
	}
	events := delivery["data"].(map[string]any)["events"].([]any)
	event := events[0].(map[string]any)
	if delivery["eventType"] != "com.okta.event_hook" || delivery["source"] != "http://dev-123.okta.test/api/v1/eventHooks/"+id || len(events) != 1 || event["eventType"] != "user.lifecycle.create" || event["target"].([]any)[0].(map[string]any)["id"] != created["id"] {
		t.Fatalf("%s", call.body)
	}
	// Events of the types the hook does not subscribe to are not delivered.
	c.do("POST", "/api/v1/users/"+created["id"].(string)+"/lifecycle/activate?sendEmail=false", nil)
	receiver.quiet(t, 100*time.Millisecond)
}

func TestEventHookFilterSelectsEvents(t *testing.T) {
	c := newClient(t)
	receiver := newHookReceiver(t)
	body := eventHookBody(receiver.server.URL, "user.lifecycle.create")
	body["events"].(map[string]any)["filter"] = map[string]any{"type": "EXPRESSION_LANGUAGE", "eventFilterMap": []any{map[string]any{"event": "user.lifecycle.create", "condition": map[string]any{"expression": "event.target.?[alternateId eq 'wanted@example.com'].size() > 0", "version": nil}}}}
	hook := c.do("POST", "/api/v1/eventHooks", body).json(t)
	c.do("POST", "/api/v1/eventHooks/"+hook["id"].(string)+"/lifecycle/verify", nil)
	receiver.next(t)
	c.do("POST", "/api/v1/users?activate=false", user("unwanted@example.com"))
	c.do("POST", "/api/v1/users?activate=false", user("wanted@example.com"))
	call := receiver.next(t)
	if !strings.Contains(call.body, "wanted@example.com") || strings.Contains(call.body, "unwanted@example.com") {
		t.Fatalf("%s", call.body)
	}
}

func TestEventHookDeliveryRetriesAndFailures(t *testing.T) {
	c := newClient(t)
	// A 5xx is tried once more; then a 4xx is not, and the failure is logged.
	receiver := newHookReceiver(t, 503, 200, 400)
	hook := c.do("POST", "/api/v1/eventHooks", eventHookBody(receiver.server.URL, "user.lifecycle.create")).json(t)
	id := hook["id"].(string)
	c.do("POST", "/api/v1/eventHooks/"+id+"/lifecycle/verify", nil)
	receiver.next(t)
	c.do("POST", "/api/v1/users?activate=false", user("retry@example.com"))
	first, second := receiver.next(t), receiver.next(t)
	if first.body != second.body {
		t.Fatal("a retry sends the same delivery")
	}
	c.do("POST", "/api/v1/users?activate=false", user("refused@example.com"))
	receiver.next(t)
	failure := waitForEvent(t, c, "event_hook.delivery")
	receiver.quiet(t, 100*time.Millisecond)
	if failure["severity"] != "WARN" || failure["outcome"].(map[string]any)["reason"] != "Delivery failed with HTTP status 400" || failure["transaction"].(map[string]any)["type"] != "JOB" || failure["actor"].(map[string]any)["type"] != "SystemPrincipal" {
		t.Fatalf("%v", failure)
	}
	if debug := failure["debugContext"].(map[string]any)["debugData"].(map[string]any); debug["eventHookId"] != id || debug["responseStatus"] != 400.0 {
		t.Fatalf("%v", debug)
	}
}

func TestEventHookDeliveryBatchesARequestsEvents(t *testing.T) {
	c := newClient(t)
	receiver := newHookReceiver(t)
	hook := c.do("POST", "/api/v1/eventHooks", eventHookBody(receiver.server.URL, "user.lifecycle.create", "user.lifecycle.activate")).json(t)
	c.do("POST", "/api/v1/eventHooks/"+hook["id"].(string)+"/lifecycle/verify", nil)
	receiver.next(t)
	c.do("POST", "/api/v1/users?activate=true", withPassword(user("batch@example.com")))
	var delivery struct {
		EventID string `json:"eventId"`
		Data    struct {
			Events []struct {
				EventType string `json:"eventType"`
			} `json:"events"`
		} `json:"data"`
	}
	if err := json.Unmarshal([]byte(receiver.next(t).body), &delivery); err != nil || len(delivery.Data.Events) != 2 || delivery.Data.Events[1].EventType != "user.lifecycle.activate" || len(delivery.EventID) != 36 {
		t.Fatalf("%+v %v", delivery, err)
	}
	receiver.quiet(t, 100*time.Millisecond)
}

// A delivery the hook never answers times out on the twin's clock, is tried once more, and is then logged as failed
// with no response status.
func TestEventHookDeliveryTimesOutOnTheTwinsClock(t *testing.T) {
	c := newClient(t)
	posts := make(chan struct{}, 4)
	release := make(chan struct{})
	silent := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == "GET" {
			answer, _ := json.Marshal(map[string]string{"verification": r.Header.Get("X-Okta-Verification-Challenge")})
			_, _ = w.Write(answer)
			return
		}
		posts <- struct{}{}
		<-release
	}))
	t.Cleanup(silent.Close)
	t.Cleanup(func() { close(release) })
	hook := c.do("POST", "/api/v1/eventHooks", eventHookBody(silent.URL, "user.lifecycle.create")).json(t)
	c.do("POST", "/api/v1/eventHooks/"+hook["id"].(string)+"/lifecycle/verify", nil)
	c.do("POST", "/api/v1/users?activate=false", user("unheard@example.com"))
	for attempt := 0; attempt < 2; attempt++ {
		select {
		case <-posts:
		case <-time.After(5 * time.Second):
			t.Fatal("the hook was not called")
		}
		if pending := c.twin.Clock.Pending(); pending != 1 {
			t.Fatalf("%d waits on the clock, want the delivery's", pending)
		}
		c.twin.Clock.Advance(3000)
	}
	failure := waitForEvent(t, c, "event_hook.delivery")
	debug := failure["debugContext"].(map[string]any)["debugData"].(map[string]any)
	if failure["outcome"].(map[string]any)["reason"] != "Delivery timed out or the connection failed" || debug["responseStatus"] != nil || c.twin.Clock.Pending() != 0 {
		t.Fatalf("%v", failure)
	}
}
