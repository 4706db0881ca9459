package main

import (
	"crypto/sha1"
	"encoding/hex"
	"strconv"
	"strings"

	e "twinverse/twins/goengine"
)

// Event hook delivery (twins/okta/model/event-hooks.ts): every System Log event goes to each hook that is ACTIVE,
// VERIFIED, subscribed to its type and, when the hook filters that type, meets the filter. Deliveries go out after
// the request that logged the events has answered, never holding it (or any other request) up: the twin serves one
// request at a time, so the HTTP calls are made outside its lock, and what follows them comes back through it.

// maxEventsPerDelivery is the most events Okta sends in one delivery.
const maxEventsPerDelivery = 50

// pendingDelivery is one event waiting to go out to one hook.
type pendingDelivery struct {
	// hook is the hook as it was when the event was logged: a later change or delete does not stop the delivery.
	hook  *e.Object
	event *e.Object
	ctx   *e.Ctx
	// state is the state the event was logged in: a reset or an import replaces it, and the delivery's outcome is
	// then written nowhere.
	state *e.Object
}

// deliveryOutbox holds the deliveries of a request until it has answered.
type deliveryOutbox struct {
	queue     []pendingDelivery
	scheduled bool
}

// queueEventHookDeliveries queues a logged event for every hook that is ACTIVE, VERIFIED and subscribed to its type
// (the filter is applied when the queue is flushed); logEventWith calls it for each event it writes. The events one
// request logs for one hook go out together, as Okta batches them.
func queueEventHookDeliveries(ctx *e.Ctx, event *e.Object) {
	hooks := ctx.State.Obj("eventHooks")
	if hooks.Len() == 0 {
		return
	}
	outbox := ctx.Memo("okta.eventHookOutbox", func() any { return &deliveryOutbox{} }).(*deliveryOutbox)
	for _, hook := range values(hooks) {
		if hook.Str("status") != "ACTIVE" || hook.Str("verificationStatus") != "VERIFIED" || !containsAny(hook.Obj("events").Arr("items"), event.Str("eventType")) {
			continue
		}
		outbox.queue = append(outbox.queue, pendingDelivery{hook: e.CloneObj(hook), event: event, ctx: ctx, state: ctx.State})
	}
	if len(outbox.queue) == 0 || outbox.scheduled {
		return
	}
	outbox.scheduled = true
	twin := ctx.Twin
	twin.Later(func() bool {
		flushEventHookDeliveries(twin, outbox)
		return false
	})
}

// flushEventHookDeliveries runs once the request has answered, under the twin's lock: it drops the events a failed
// request took back (Okta never delivers them) and those the hook's filter excludes, copies what is to go out, and
// sends each batch from its own goroutine.
func flushEventHookDeliveries(twin *e.Twin, outbox *deliveryOutbox) {
	outbox.scheduled = false
	pending := outbox.queue
	outbox.queue = nil
	var order []string
	batches := map[string][]pendingDelivery{}
	for _, item := range pending {
		// The filter reads the event as the request left it: some callers of logEventWith complete the event (its
		// actor, outcome or debugData) after it is written.
		if !eventIsLogged(item.state, item.event) || !passesEventHookFilter(item.hook.Obj("events").Obj("filter"), item.event) {
			continue
		}
		id := item.hook.Str("id")
		if _, seen := batches[id]; !seen {
			order = append(order, id)
		}
		batches[id] = append(batches[id], item)
	}
	for _, id := range order {
		items := batches[id]
		hook := items[0].hook
		for i := 0; i < len(items); i += maxEventsPerDelivery {
			end := min(i+maxEventsPerDelivery, len(items))
			go deliverEvents(twin, hook, items[i:end], deliveryBody(items[i:end], hook))
		}
	}
}

func eventIsLogged(state *e.Object, event *e.Object) bool {
	for _, logged := range state.Arr("systemLog") {
		if logged == event {
			return true
		}
	}
	return false
}

// deliveryID is a delivery's eventId: a UUID of the hook and the batch's first event, so a retry carries the same id
// and no draw of the twin's ids depends on when a delivery goes out.
func deliveryID(hookID, firstEvent string) string {
	sum := sha1.Sum([]byte(hookID + ":" + firstEvent))
	h := hex.EncodeToString(sum[:])
	v, _ := strconv.ParseUint(h[16:17], 16, 8)
	return h[0:8] + "-" + h[8:12] + "-5" + h[13:16] + "-" + string("89ab"[v&3]) + h[17:20] + "-" + h[20:32]
}

// deliveryBody is a batch in Okta's envelope, made under the lock (the events and the clock are the twin's).
func deliveryBody(items []pendingDelivery, hook *e.Object) []byte {
	first := items[0]
	events := make([]any, len(items))
	for i, item := range items {
		events[i] = e.CloneObj(item.event)
	}
	return e.Marshal(e.NewObject(
		"eventType", "com.okta.event_hook",
		"eventTypeVersion", "1.0",
		"cloudEventsVersion", "0.1",
		"source", first.ctx.BaseURL+"/api/v1/eventHooks/"+hook.Str("id"),
		"eventId", deliveryID(hook.Str("id"), first.event.Str("uuid")),
		"data", e.NewObject("events", events),
		"eventTime", first.ctx.Now(),
		"contentType", "application/json",
	))
}

// deliverEvents POSTs one batch. A 5xx, a timeout or a failed connection is tried once more; a 4xx is not ("Responses
// with a 4xx status code aren't retried", Event hooks concept). A delivery that fails for good is logged.
func deliverEvents(twin *e.Twin, hook *e.Object, items []pendingDelivery, body []byte) {
	status := 0
	for attempt := 0; attempt < 2; attempt++ {
		delivered, _, answered := hookCall(twin.Clock, "POST", hook.Obj("channel").Obj("config").Str("uri"), hookHeaders(hook), body)
		if delivered {
			return
		}
		status = answered
		if status >= 400 && status < 500 {
			break
		}
	}
	twin.Later(func() bool { return logDeliveryFailure(twin, hook, items, status) })
}

// logDeliveryFailure writes the event_hook.delivery FAILURE event Okta writes for a delivery that failed for good,
// into the state that logged the events (unless a reset or an import replaced it, or the hook is gone). Okta's
// delivery job is the actor and the transaction is a JOB; the event keeps the logging request's transaction id.
func logDeliveryFailure(twin *e.Twin, hook *e.Object, items []pendingDelivery, status int) bool {
	ctx := items[0].ctx
	if twin.Store.State != items[0].state || ctx.State.Obj("eventHooks").Obj(hook.Str("id")) == nil {
		return false
	}
	reason := "Delivery timed out or the connection failed"
	var responseStatus any
	if status != 0 {
		reason = "Delivery failed with HTTP status " + strconv.Itoa(status)
		responseStatus = float64(status)
	}
	uuids := make([]string, len(items))
	for i, item := range items {
		uuids[i] = item.event.Str("uuid")
	}
	system := e.NewObject("id", ctx.State.Obj("org").Str("id"), "type", "SystemPrincipal", "alternateId", "system@okta.com", "displayName", "Okta System", "detailEntry", nil)
	// The twin's wording: the catalog describes the type ("Triggered when an event hook delivery fails") but shows no displayMessage.
	logEventWith(ctx, logInput{"event_hook.delivery", "Event hook delivery failed", []*e.Object{eventHookTarget(hook)}}, system,
		e.NewObject("eventHookId", hook.Str("id"), "deliveredEventIds", strings.Join(uuids, ","), "responseStatus", responseStatus))
	event := lastLoggedEvent(ctx)
	event.Set("severity", "WARN")
	event.Set("client", e.NewObject("userAgent", nil, "zone", nil, "device", nil, "id", nil, "ipAddress", nil, "geographicalContext", nil))
	event.Set("outcome", e.NewObject("result", "FAILURE", "reason", reason))
	event.Obj("transaction").Set("type", "JOB")
	event.Obj("request").Set("ipChain", []any{})
	return true
}
