package main

import (
	"context"
	"io"
	"net"
	"net/http"
	"regexp"
	"strings"
	"time"

	e "twinverse/twins/goengine"
)

// Event hooks (tag EventHook, twins/okta/api/event-hooks.ts): CRUD, lifecycle and Okta's one-time verification.
// An ACTIVE and VERIFIED hook receives the System Log events it subscribes to (event_hook_delivery.go).

// eventHookTimeout is how long Okta waits for a hook to answer before it tries once more.
const eventHookTimeout = 3 * time.Second

var eventTypeName = regexp.MustCompile(`^[A-Za-z0-9_]+(\.[A-Za-z0-9_]+)+$`)

func requireEventHook(ctx *e.Ctx) (*e.Object, error) {
	id := ctx.Params["eventHookId"]
	if hook := ctx.State.Obj("eventHooks").Obj(id); hook != nil {
		return hook, nil
	}
	return nil, notFound(id, "EventHook")
}

// eventHookJSON is a hook as Okta returns it: the secret never, and links to what its status allows next.
func eventHookJSON(ctx *e.Ctx, hook *e.Object) *e.Object {
	self := ctx.BaseURL + "/api/v1/eventHooks/" + hook.Str("id")
	post := func(href string) *e.Object {
		return e.NewObject("href", href, "hints", e.NewObject("allow", []any{"POST"}))
	}
	out := e.CloneObj(hook)
	if config := out.Obj("channel").Obj("config"); config != nil {
		var shown any
		if auth := config.Obj("authScheme"); auth != nil {
			shown = e.NewObject("type", get(auth, "type"), "key", get(auth, "key"))
		}
		config.Set("authScheme", shown)
	}
	links := e.NewObject("self", e.NewObject("href", self), "verify", post(self+"/lifecycle/verify"))
	if hook.Str("status") == "ACTIVE" {
		links.Set("deactivate", post(self+"/lifecycle/deactivate"))
	} else {
		links.Set("activate", post(self+"/lifecycle/activate"))
	}
	out.Set("_links", links)
	return out
}

func eventHookTarget(hook *e.Object) *e.Object {
	return e.NewObject("id", hook.Str("id"), "type", "EventHook", "alternateId", get(hook, "name"), "displayName", get(hook, "name"), "detailEntry", nil)
}

// isLoopbackHookHost: plain HTTP is taken on the loopback interface, where a test's own receiver listens.
func isLoopbackHookHost(hostname string) bool {
	return hostname == "localhost" || hostname == "127.0.0.1" || hostname == "[::1]"
}

// eventHookURI is the hook's URI: Okta calls only HTTPS endpoints; the twin also takes HTTP on the loopback interface.
func eventHookURI(value any, present bool) (string, error) {
	text := "undefined"
	if present {
		text = jsString(value)
	}
	href, protocol, hostname, valid := hookURL(text)
	if !valid {
		return "", invalidFields([][2]string{{"channel.config.uri", "The URI is not a valid URL"}})
	}
	if protocol != "https:" && !(protocol == "http:" && isLoopbackHookHost(hostname)) {
		return "", invalidFields([][2]string{{"channel.config.uri", "The event hook URI must use HTTPS"}})
	}
	return href, nil
}

// eventHookFields are the subscribable parts of a request body, checked before anything is written: the hook's
// name, description, events and channel, as stored.
func eventHookFields(b *e.Object, previous *e.Object) ([][2]any, error) {
	var problems [][2]string
	name := ""
	if s, isStr := get(b, "name").(string); isStr {
		name = jsTrim(s)
	}
	if name == "" {
		problems = append(problems, [2]string{"name", "The field cannot be left blank"})
	}
	events := b.Obj("events")
	items, _ := get(events, "items").([]any)
	if len(items) == 0 {
		problems = append(problems, [2]string{"events.items", "At least one event type is required"})
	}
	var names []string
	wellFormed := true
	for _, item := range items {
		s, isStr := item.(string)
		if !isStr || !eventTypeName.MatchString(s) {
			wellFormed = false
		}
		names = append(names, s)
	}
	if !wellFormed {
		problems = append(problems, [2]string{"events.items", "An event type is not valid"})
	} else {
		// The wording is the twin's: Okta's text for this refusal is not published.
		for _, item := range names {
			if !isEventHookEligible(item) {
				problems = append(problems, [2]string{"events.items", item + " is not an event type eligible for event hooks"})
			}
		}
	}
	channel := b.Obj("channel")
	config := channel.Obj("config")
	if config == nil {
		config = e.NewObject()
	}
	rawAuth, _ := config.Get("authScheme")
	auth, _ := rawAuth.(*e.Object)
	if truthy(rawAuth) && auth == nil {
		auth = e.NewObject()
	}
	if auth != nil {
		if t, has := auth.Get("type"); has && t != "HEADER" {
			problems = append(problems, [2]string{"channel.config.authScheme.type", "Only HEADER is supported"})
		}
		if key, isStr := get(auth, "key").(string); !isStr || key == "" {
			problems = append(problems, [2]string{"channel.config.authScheme.key", "The field cannot be left blank"})
		}
	}
	var filter any
	if len(problems) == 0 {
		raw, present := events.Get("filter")
		var problem *filterProblem
		if filter, problem = checkEventHookFilter(raw, present, names); problem != nil {
			// The wording is the twin's: Okta does not publish its refusals of a filter.
			problems = append(problems, [2]string{problem.field, problem.message})
		}
	}
	if len(problems) > 0 {
		return nil, invalidFields(problems)
	}
	rawURI, hasURI := config.Get("uri")
	uri, err := eventHookURI(rawURI, hasURI)
	if err != nil {
		return nil, err
	}
	headers := []any{}
	rawHeaders, _ := get(config, "headers").([]any)
	for _, h := range rawHeaders {
		header, _ := h.(*e.Object)
		if key, isStr := get(header, "key").(string); isStr && key != "" {
			headers = append(headers, e.NewObject("key", key, "value", jsString(orDefault(header, "value", ""))))
		}
	}
	var scheme any
	if auth != nil {
		stored := e.NewObject("type", "HEADER", "key", get(auth, "key"))
		// The secret is write-only: a replace that names the same header without a value keeps the one Okta holds.
		if value, isStr := get(auth, "value").(string); isStr {
			stored.Set("value", value)
		} else if old := previous.Obj("channel").Obj("config").Obj("authScheme"); old != nil && jsLower(old.Str("key")) == jsLower(jsString(get(auth, "key"))) {
			if value, has := old.Get("value"); has {
				stored.Set("value", value)
			}
		}
		scheme = stored
	}
	var description any
	if s, isStr := get(b, "description").(string); isStr {
		description = s
	}
	unique := []any{}
	for _, item := range names {
		if !containsAny(unique, item) {
			unique = append(unique, item)
		}
	}
	version := "1.0.0"
	if v, isStr := get(channel, "version").(string); isStr {
		version = v
	}
	return [][2]any{
		{"name", name},
		{"description", description},
		{"events", e.NewObject("type", "EVENT_TYPE", "items", unique, "filter", filter)},
		{"channel", e.NewObject("type", "HTTP", "version", version, "config", e.NewObject("uri", uri, "headers", headers, "method", "POST", "authScheme", scheme))},
	}, nil
}

func containsAny(list []any, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

func logEventHook(ctx *e.Ctx, hook *e.Object, action string) {
	logEvent(ctx, logInput{"event_hook." + action, "Event hook " + action, []*e.Object{eventHookTarget(hook)}})
}

func setEventHookStatus(ctx *e.Ctx, status, action string) (*e.Result, error) {
	hook, err := requireEventHook(ctx)
	if err != nil {
		return nil, err
	}
	if hook.Str("status") != status {
		ctx.Set(hook, "status", status)
		ctx.Set(hook, "lastUpdated", ctx.Now())
		logEventHook(ctx, hook, action)
	}
	return ok(eventHookJSON(ctx, hook))
}

// hookHeaders are the headers Okta sends a hook: JSON both ways, the hook's own headers, and its authorization header.
func hookHeaders(hook *e.Object) [][2]string {
	headers := [][2]string{{"accept", "application/json"}, {"content-type", "application/json"}}
	set := func(key, value string) {
		for i := range headers {
			if headers[i][0] == key {
				headers[i][1] = value
				return
			}
		}
		headers = append(headers, [2]string{key, value})
	}
	config := hook.Obj("channel").Obj("config")
	for _, h := range objects(config.Arr("headers")) {
		set(jsLower(h.Str("key")), h.Str("value"))
	}
	if auth := config.Obj("authScheme"); auth != nil {
		if value, has := auth.Get("value"); has {
			set(jsLower(auth.Str("key")), jsString(value))
		}
	}
	return headers
}

// hookCall is one request to a hook, bounded by Okta's three seconds: of real time or on the twin's clock, whichever
// pass first (a test on a fixed clock passes them by moving the clock). A refused connection, a timeout, a redirect
// (not followed, as Okta does not) or a body cut short are all a failed call; status is 0 when nothing answered.
func hookCall(clock *e.Clock, method, uri string, headers [][2]string, body []byte) (ok bool, text string, status int) {
	ctx, cancel := context.WithTimeout(context.Background(), eventHookTimeout)
	defer cancel()
	late, stop := clock.After(eventHookTimeout.Milliseconds())
	defer stop()
	go func() {
		select {
		case <-late:
			cancel()
		case <-ctx.Done():
		}
	}()
	var reader io.Reader
	if body != nil {
		reader = strings.NewReader(string(body))
	}
	req, err := http.NewRequestWithContext(ctx, method, uri, reader)
	if err != nil {
		return false, "", 0
	}
	for _, h := range headers {
		req.Header.Set(h[0], h[1])
	}
	client := &http.Client{
		Timeout:       eventHookTimeout,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		Transport:     hookTransport(),
	}
	res, err := client.Do(req)
	if err != nil {
		return false, "", 0
	}
	defer res.Body.Close()
	data, err := io.ReadAll(res.Body)
	if err != nil {
		return false, "", 0
	}
	return res.StatusCode >= 200 && res.StatusCode < 300, string(data), res.StatusCode
}

// hookTransport is a connection to a hook as Node's fetch makes it (the TypeScript twin's): straight to the hook, not
// through a proxy named in the environment, and closed after the call, so that a twin keeps no idle connections.
func hookTransport() *http.Transport {
	return &http.Transport{DialContext: (&net.Dialer{Timeout: eventHookTimeout}).DialContext, DisableKeepAlives: true}
}

// verifyEventHookEndpoint is Okta's one-time verification: a GET to the hook's URL with
// X-Okta-Verification-Challenge, answered by {"verification": "<the same value>"}; one retry after a failure. The
// calls are made without the twin's lock (the hook may be the twin itself).
func verifyEventHookEndpoint(ctx *e.Ctx, hook *e.Object) bool {
	challenge := ctx.IDs.Token(40, "")
	headers := append(hookHeaders(hook), [2]string{"x-okta-verification-challenge", challenge})
	uri := hook.Obj("channel").Obj("config").Str("uri")
	verified := false
	ctx.Unlocked(func() {
		for attempt := 0; attempt < 2 && !verified; attempt++ {
			if answered, text, _ := hookCall(ctx.Clock, "GET", uri, headers, nil); answered {
				answer, isObj := parseObjectJSON([]byte(text))
				verified = isObj && get(answer, "verification") == challenge
			}
		}
	})
	return verified
}

func eventHookHandlers() map[string]e.Handler {
	return map[string]e.Handler{
		"listEventHooks": func(ctx *e.Ctx) (*e.Result, error) {
			out := []any{}
			for _, hook := range values(ctx.State.Obj("eventHooks")) {
				out = append(out, eventHookJSON(ctx, hook))
			}
			return ok(out)
		},
		"createEventHook": func(ctx *e.Ctx) (*e.Result, error) {
			fields, err := eventHookFields(body(ctx), nil)
			if err != nil {
				return nil, err
			}
			now := ctx.Now()
			// Okta: a new hook is ACTIVE but UNVERIFIED, and receives nothing until it is verified.
			hook := e.NewObject("id", oktaID(ctx, "who"), "status", "ACTIVE", "verificationStatus", "UNVERIFIED")
			for _, f := range fields {
				hook.Set(f[0].(string), f[1])
			}
			hook.Set("created", now)
			hook.Set("createdBy", actorID(ctx))
			hook.Set("lastUpdated", now)
			ctx.Set(ctx.Ensure(ctx.State, "eventHooks"), hook.Str("id"), hook)
			logEventHook(ctx, hook, "created")
			return ok(eventHookJSON(ctx, hook))
		},
		"getEventHook": func(ctx *e.Ctx) (*e.Result, error) {
			hook, err := requireEventHook(ctx)
			if err != nil {
				return nil, err
			}
			return ok(eventHookJSON(ctx, hook))
		},
		"replaceEventHook": func(ctx *e.Ctx) (*e.Result, error) {
			hook, err := requireEventHook(ctx)
			if err != nil {
				return nil, err
			}
			fields, err := eventHookFields(body(ctx), hook)
			if err != nil {
				return nil, err
			}
			channelChanged := string(e.Marshal(fields[3][1])) != string(e.Marshal(get(hook, "channel")))
			for _, f := range fields {
				ctx.Set(hook, f[0].(string), f[1])
			}
			ctx.Set(hook, "lastUpdated", ctx.Now())
			// Okta: "Updating the channel property requires you to verify the hook again."
			if channelChanged {
				ctx.Set(hook, "verificationStatus", "UNVERIFIED")
			}
			logEventHook(ctx, hook, "updated")
			return ok(eventHookJSON(ctx, hook))
		},
		"deleteEventHook": func(ctx *e.Ctx) (*e.Result, error) {
			hook, err := requireEventHook(ctx)
			if err != nil {
				return nil, err
			}
			// Okta: "As a safety precaution, you can only delete event hooks with a status of INACTIVE."
			if hook.Str("status") != "INACTIVE" {
				return nil, oktaErr("E0000001", detail("status"), causes("status: Only an INACTIVE event hook can be deleted"))
			}
			ctx.Delete(ctx.State.Obj("eventHooks"), hook.Str("id"))
			logEventHook(ctx, hook, "deleted")
			return e.NoContent(), nil
		},
		"activateEventHook":   func(ctx *e.Ctx) (*e.Result, error) { return setEventHookStatus(ctx, "ACTIVE", "activated") },
		"deactivateEventHook": func(ctx *e.Ctx) (*e.Result, error) { return setEventHookStatus(ctx, "INACTIVE", "deactivated") },
		"verifyEventHook": func(ctx *e.Ctx) (*e.Result, error) {
			hook, err := requireEventHook(ctx)
			if err != nil {
				return nil, err
			}
			verified := verifyEventHookEndpoint(ctx, hook)
			// Other requests ran while the hook answered: the hook is read again (it may have changed or gone).
			if hook, err = requireEventHook(ctx); err != nil {
				return nil, err
			}
			if !verified {
				// Okta logs every verification attempt, "even when the verification is unsuccessful" (Event Types
				// catalog, event_hook.verified); the refusal keeps the event, as a twin's refusal keeps its writes.
				logEventHook(ctx, hook, "verified")
				setLastEventOutcome(ctx, "FAILURE", "Verification failed")
				return nil, oktaErr("E0000001", detail("Verification of the event hook failed"), causes(
					`Could not verify the event hook: `+hook.Obj("channel").Obj("config").Str("uri")+` did not answer the verification request with {"verification": "<X-Okta-Verification-Challenge>"}`))
			}
			ctx.Set(hook, "verificationStatus", "VERIFIED")
			ctx.Set(hook, "lastUpdated", ctx.Now())
			logEventHook(ctx, hook, "verified")
			return ok(eventHookJSON(ctx, hook))
		},
	}
}

// lastLoggedEvent is the System Log event the request logged last.
func lastLoggedEvent(ctx *e.Ctx) *e.Object {
	events := ctx.State.Arr("systemLog")
	if len(events) == 0 {
		return nil
	}
	event, _ := events[len(events)-1].(*e.Object)
	return event
}

// setLastEventOutcome gives the event just logged another outcome than SUCCESS (logEvent writes SUCCESS). The event
// is the request's own, written by it a moment ago, so it changes in place; deliveries read it after the request.
func setLastEventOutcome(ctx *e.Ctx, result, reason string) {
	if event := lastLoggedEvent(ctx); event != nil {
		event.Set("outcome", e.NewObject("result", result, "reason", reason))
	}
}
