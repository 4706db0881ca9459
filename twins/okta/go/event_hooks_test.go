package main

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// receivedCall is one request a test's hook receiver got.
type receivedCall struct {
	method  string
	headers http.Header
	body    string
}

// hookReceiver is a test's event hook endpoint: it echoes verification challenges and answers deliveries with the
// statuses given, in turn (then 200), and hands every request it gets to the test.
type hookReceiver struct {
	server   *httptest.Server
	calls    chan receivedCall
	mu       sync.Mutex
	statuses []int
}

func newHookReceiver(t *testing.T, statuses ...int) *hookReceiver {
	t.Helper()
	r := &hookReceiver{calls: make(chan receivedCall, 16), statuses: statuses}
	r.server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		data, _ := io.ReadAll(req.Body)
		r.calls <- receivedCall{req.Method, req.Header.Clone(), string(data)}
		if req.Method == "GET" {
			answer, _ := json.Marshal(map[string]string{"verification": req.Header.Get("X-Okta-Verification-Challenge")})
			_, _ = w.Write(answer)
			return
		}
		r.mu.Lock()
		status := 200
		if len(r.statuses) > 0 {
			status, r.statuses = r.statuses[0], r.statuses[1:]
		}
		r.mu.Unlock()
		w.WriteHeader(status)
	}))
	t.Cleanup(r.server.Close)
	return r
}

func (r *hookReceiver) next(t *testing.T) receivedCall {
	t.Helper()
	select {
	case call := <-r.calls:
		return call
	case <-time.After(5 * time.Second):
		t.Fatal("the hook receiver got no request")
	}
	return receivedCall{}
}

func (r *hookReceiver) quiet(t *testing.T, wait time.Duration) {
	t.Helper()
	select {
	case call := <-r.calls:
		t.Fatalf("unexpected %s to the hook: %s", call.method, call.body)
	case <-time.After(wait):
	}
}

func eventHookBody(uri string, items ...string) map[string]any {
	return map[string]any{
		"name":    "Lifecycle",
		"events":  map[string]any{"type": "EVENT_TYPE", "items": items},
		"channel": map[string]any{"type": "HTTP", "version": "1.0.0", "config": map[string]any{"uri": uri, "headers": []any{map[string]any{"key": "X-Extra", "value": "yes"}}, "authScheme": map[string]any{"type": "HEADER", "key": "Authorization", "value": "s3cret"}}},
	}
}

// waitForEvent polls the System Log until an event of the type is there (deliveries write after the request).
func waitForEvent(t *testing.T, c *client, eventType string) map[string]any {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		for _, event := range c.do("GET", "/api/v1/logs?limit=1000", nil).list(t) {
			if event["eventType"] == eventType {
				return event
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("no %s event", eventType)
	return nil
}

func TestEventHookLifecycleAndRefusals(t *testing.T) {
	c := newClient(t)
	created := c.do("POST", "/api/v1/eventHooks", eventHookBody("https://hooks.example.com/okta", "user.lifecycle.create", "user.lifecycle.create"))
	hook := created.json(t)
	id, _ := hook["id"].(string)
	if created.status != 200 || !strings.HasPrefix(id, "who") || hook["status"] != "ACTIVE" || hook["verificationStatus"] != "UNVERIFIED" || hook["createdBy"] != "00uadmintwin00000001" {
		t.Fatalf("%s", created.text)
	}
	config := hook["channel"].(map[string]any)["config"].(map[string]any)
	if auth := config["authScheme"].(map[string]any); auth["value"] != nil || auth["key"] != "Authorization" || config["uri"] != "https://hooks.example.com/okta" {
		t.Fatalf("the secret is never shown: %s", created.text)
	}
	if items := hook["events"].(map[string]any)["items"].([]any); len(items) != 1 {
		t.Fatalf("event types are kept once: %v", items)
	}
	if !strings.Contains(created.text, `"deactivate":{"href":"http://dev-123.okta.test/api/v1/eventHooks/`+id+`/lifecycle/deactivate","hints":{"allow":["POST"]}}`) {
		t.Fatalf("%s", created.text)
	}
	refusals := []struct {
		body  map[string]any
		cause string
	}{
		{eventHookBody("https://hooks.example.com", "user.lifecycle.delete.completed"), "events.items: user.lifecycle.delete.completed is not an event type eligible for event hooks"},
		{eventHookBody("https://hooks.example.com", "not an event"), "events.items: An event type is not valid"},
		{eventHookBody("http://hooks.example.com", "user.lifecycle.create"), "channel.config.uri: The event hook URI must use HTTPS"},
		{eventHookBody("nowhere", "user.lifecycle.create"), "channel.config.uri: The URI is not a valid URL"},
	}
	for _, r := range refusals {
		m := c.expectError(c.do("POST", "/api/v1/eventHooks", r.body), 400, "E0000001")
		if causes := m["errorCauses"].([]any); causes[0].(map[string]any)["errorSummary"] != r.cause {
			t.Fatalf("%v, want %s", causes, r.cause)
		}
	}
	filtered := eventHookBody("https://hooks.example.com", "user.lifecycle.create")
	filtered["events"].(map[string]any)["filter"] = map[string]any{"type": "EXPRESSION_LANGUAGE", "eventFilterMap": []any{map[string]any{"event": "user.lifecycle.create", "condition": map[string]any{"expression": "event.client.id eq 'x'"}}}}
	m := c.expectError(c.do("POST", "/api/v1/eventHooks", filtered), 400, "E0000001")
	if !strings.Contains(m["errorCauses"].([]any)[0].(map[string]any)["errorSummary"].(string), "The twin cannot evaluate the field 'event.client.id'") {
		t.Fatalf("%v", m)
	}
	c.expectError(c.do("DELETE", "/api/v1/eventHooks/"+id, nil), 400, "E0000001")
	c.expectError(c.do("GET", "/api/v1/eventHooks/whonothere", nil), 404, "E0000007")
	replaced := eventHookBody("https://hooks.example.com/other", "user.lifecycle.suspend")
	delete(replaced["channel"].(map[string]any)["config"].(map[string]any)["authScheme"].(map[string]any), "value")
	if got := c.do("PUT", "/api/v1/eventHooks/"+id, replaced).json(t); got["events"].(map[string]any)["items"].([]any)[0] != "user.lifecycle.suspend" {
		t.Fatalf("%v", got)
	}
	if c.do("POST", "/api/v1/eventHooks/"+id+"/lifecycle/deactivate", nil).json(t)["status"] != "INACTIVE" {
		t.Fatal("deactivate")
	}
	if r := c.do("DELETE", "/api/v1/eventHooks/"+id, nil); r.status != 204 {
		t.Fatalf("%d %s", r.status, r.text)
	}
	if list := c.do("GET", "/api/v1/eventHooks", nil).list(t); len(list) != 0 {
		t.Fatalf("%v", list)
	}
	var types []string
	for _, event := range c.do("GET", "/api/v1/logs?filter=target.id+eq+%22"+id+"%22", nil).list(t) {
		types = append(types, event["eventType"].(string))
	}
	if strings.Join(types, " ") != "event_hook.created event_hook.updated event_hook.deactivated event_hook.deleted" {
		t.Fatalf("%v", types)
	}
}

func TestEventHookVerificationFailureIsLogged(t *testing.T) {
	c := newClient(t)
	silent := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(500) }))
	t.Cleanup(silent.Close)
	hook := c.do("POST", "/api/v1/eventHooks", eventHookBody(silent.URL, "user.lifecycle.create")).json(t)
	m := c.expectError(c.do("POST", "/api/v1/eventHooks/"+hook["id"].(string)+"/lifecycle/verify", nil), 400, "E0000001")
	if m["errorSummary"] != "Api validation failed: Verification of the event hook failed" {
		t.Fatalf("%v", m)
	}
	event := waitForEvent(t, c, "event_hook.verified")
	if event["outcome"].(map[string]any)["result"] != "FAILURE" {
		t.Fatalf("%v", event)
	}
	if c.do("GET", "/api/v1/eventHooks/"+hook["id"].(string), nil).json(t)["verificationStatus"] != "UNVERIFIED" {
		t.Fatal("a failed verification verifies nothing")
	}
}

func TestEventHookFilterLanguage(t *testing.T) {
	cases := []struct {
		expression string
		ok         bool
	}{
		{"event.actor.type eq 'User' && event.outcome.result == 'SUCCESS'", true},
		{"!(event.actor.id ne 'x') or event.target.?[type eq 'User'].size() >= 1", true},
		{"event.target.?[login eq 'x'].size() > 0", false},
		{"event.actor.id eq 'unterminated", false},
		{"event.target", false},
		{"(event.eventType eq 'a'", false},
	}
	for _, c := range cases {
		if _, err := parseFilterCondition(c.expression); (err == nil) != c.ok {
			t.Fatalf("%s: %v", c.expression, err)
		}
	}
	if _, err := parseFilterCondition("event.actor.id eq 'a' # 1"); err == nil || err.Error() != `The twin cannot evaluate '#' at position 23 in the event hook filter expression "event.actor.id eq 'a' # 1"` {
		t.Fatalf("%v", err)
	}
}

// A hook that does not answer times out after three seconds on the twin's clock (or of real time): a test on a fixed
// clock passes them by moving the clock, while the verification waits without holding the twin.
func TestEventHookVerificationTimesOutOnTheTwinsClock(t *testing.T) {
	c := newClient(t)
	calls := make(chan struct{}, 4)
	release := make(chan struct{})
	silent := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {
		calls <- struct{}{}
		<-release
	}))
	t.Cleanup(silent.Close)
	t.Cleanup(func() { close(release) })
	hook := c.do("POST", "/api/v1/eventHooks", eventHookBody(silent.URL, "user.lifecycle.create")).json(t)
	answer := make(chan reply, 1)
	go func() { answer <- c.do("POST", "/api/v1/eventHooks/"+hook["id"].(string)+"/lifecycle/verify", nil) }()
	started := time.Now()
	for attempt := 0; attempt < 2; attempt++ {
		select {
		case <-calls:
		case <-time.After(5 * time.Second):
			t.Fatal("the hook was not called")
		}
		c.twin.Clock.Advance(3000)
	}
	r := <-answer
	if r.status != 400 || time.Since(started) > 2*time.Second {
		t.Fatalf("%d after %v: %s", r.status, time.Since(started), r.text)
	}
}
