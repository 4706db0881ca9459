package main

import (
	"strconv"
	"strings"

	e "twinverse/twins/goengine"
)

const hexChars = "0123456789abcdef"

// eventUUID is a version-1-shaped UUID drawn from a counter, as twins/okta/model/system-log.ts makes them.
func eventUUID(ctx *e.Ctx) string {
	n := ctx.IDs.Sequence("logEvent", 1)
	x := jsUint32(n * 2654435761)
	nn := jsUint32(n)
	hex := make([]byte, 32)
	for i := 0; i < 32; i++ {
		x = (x^(x>>15))*0x2c1b3c6d + uint32(i) + nn
		hex[i] = hexChars[x&15]
	}
	h := string(hex)
	v, _ := strconv.ParseUint(h[16:17], 16, 8)
	return h[0:8] + "-" + h[8:12] + "-1" + h[13:16] + "-" + string("89ab"[v&3]) + h[17:20] + "-" + h[20:]
}

func userTarget(user *e.Object) *e.Object {
	profile := user.Obj("profile")
	if profile == nil {
		profile = e.NewObject()
	}
	var parts []string
	for _, k := range []string{"firstName", "lastName"} {
		if s, ok := get(profile, k).(string); ok && s != "" {
			parts = append(parts, s)
		}
	}
	login := "unknown"
	if v, has := profile.Get("login"); has && v != nil {
		login = jsString(v)
	}
	name := strings.Join(parts, " ")
	if name == "" {
		name = login
	}
	return e.NewObject("id", user.Str("id"), "type", "User", "alternateId", login, "displayName", name, "detailEntry", nil)
}

func groupTarget(group *e.Object) *e.Object {
	return e.NewObject("id", group.Str("id"), "type", "UserGroup", "alternateId", "unknown", "displayName", jsString(get(group.Obj("profile"), "name")), "detailEntry", nil)
}

func appTarget(app *e.Object) *e.Object {
	label := app.Str("id")
	if v, has := app.Get("name"); has && v != nil {
		label = jsString(v)
	}
	if v, has := app.Get("label"); has && v != nil {
		label = jsString(v)
	}
	return e.NewObject("id", app.Str("id"), "type", "AppInstance", "alternateId", label, "displayName", label, "detailEntry", e.NewObject("signOnModeType", get(app, "signOnMode")))
}

// callerActor is who the caller is, as Okta logs it: the user an API token or a user's access token acts as; a
// service client's own app (PublicClientApp) for a client-credentials token; Okta itself for an anonymous call.
func callerActor(ctx *e.Ctx) *e.Object {
	auth, _ := ctx.Auth.(oktaAuth)
	if auth.userID != "" {
		if user := ctx.State.Obj("users").Obj(auth.userID); user != nil {
			return userTarget(user)
		}
	}
	if auth.kind == "accessToken" {
		return oauthClientActor(auth.clientID, appOfClientID(ctx.State, auth.clientID))
	}
	return e.NewObject("id", ctx.State.Obj("org").Str("id"), "type", "SystemPrincipal", "alternateId", "system@okta.com", "displayName", "Okta System", "detailEntry", nil)
}

type logInput struct {
	eventType      string
	displayMessage string
	target         []*e.Object
}

// logEvent writes one System Log event for the change the request made, as Okta writes it, with the caller as
// its actor, and hands it to the event hooks that subscribe to its type (event_hook_delivery.go; their filters are
// checked when the queue is sent, after the request has answered, since some handlers amend an event they wrote).
func logEvent(ctx *e.Ctx, in logInput) { logEventAs(ctx, in, nil) }

// logEventAs is logEvent with another actor than the caller (Okta System for what Okta does on its own).
func logEventAs(ctx *e.Ctx, in logInput, actorOf *e.Object) { logEventWith(ctx, in, actorOf, nil) }

// logEventWith is logEventAs with more debugData (what a privilege change granted or revoked).
func logEventWith(ctx *e.Ctx, in logInput, actorOf *e.Object, debugData *e.Object) {
	ip := ctx.Request.LocalAddress
	if fwd := jsTrim(strings.Split(ctx.Headers["x-forwarded-for"], ",")[0]); fwd != "" {
		ip = fwd
	}
	if ip == "" {
		ip = "127.0.0.1"
	}
	source := actorOf
	if source == nil {
		source = callerActor(ctx)
	}
	actor := e.CloneObj(source)
	if v, _ := actor.Get("detailEntry"); v == nil {
		actor.Set("detailEntry", nil)
	}
	// The client the request came through: the caller's access token's (logOAuthEvent names another).
	var clientID any
	if auth, _ := ctx.Auth.(oktaAuth); auth.kind == "accessToken" {
		clientID = auth.clientID
	}
	ua := "UNKNOWN"
	if v, has := ctx.Headers["user-agent"]; has {
		ua = v
	}
	targets := make([]any, len(in.target))
	for i, t := range in.target {
		c := e.CloneObj(t)
		if v, _ := c.Get("detailEntry"); v == nil {
			c.Set("detailEntry", nil)
		}
		targets[i] = c
	}
	version := "V4"
	if strings.Contains(ip, ":") {
		version = "V6"
	}
	uuid := eventUUID(ctx)
	event := e.NewObject(
		"uuid", uuid,
		"published", ctx.Now(),
		"eventType", in.eventType,
		"version", "0",
		"severity", "INFO",
		"legacyEventType", nil,
		"displayMessage", in.displayMessage,
		"actor", actor,
		"client", e.NewObject(
			"userAgent", e.NewObject("rawUserAgent", ua, "os", "Unknown", "browser", "UNKNOWN"),
			"zone", "null",
			"device", "Unknown",
			"id", clientID,
			"ipAddress", ip,
			"geographicalContext", nil,
		),
		"device", nil,
		"outcome", e.NewObject("result", "SUCCESS", "reason", nil),
		"target", targets,
		"transaction", e.NewObject("type", "WEB", "id", requestID(ctx), "detail", e.NewObject()),
		"debugContext", e.NewObject("debugData", merge(e.NewObject("requestId", requestID(ctx), "requestUri", ctx.Request.Path, "url", ctx.Request.Path+ctx.Request.Search()), debugData)),
		"authenticationContext", e.NewObject("authenticationProvider", nil, "credentialProvider", nil, "credentialType", nil, "issuer", nil, "interface", nil, "authenticationStep", float64(0), "externalSessionId", "unknown"),
		"securityContext", e.NewObject("asNumber", nil, "asOrg", nil, "isp", nil, "domain", nil, "isProxy", nil),
		"request", e.NewObject("ipChain", []any{e.NewObject("ip", ip, "geographicalContext", nil, "version", version, "source", nil)}),
	)
	log, has := ctx.State.Get("systemLog")
	events, _ := log.([]any)
	if !has {
		events = []any{}
	}
	ctx.Set(ctx.State, "systemLog", append(events, event))
	queueEventHookDeliveries(ctx, event)
}

var lifecycleMessages = map[string]string{
	"create": "Create Okta user", "activate": "Activate Okta user", "reactivate": "Reactivate Okta user",
	"deactivate": "Deactivate Okta user", "suspend": "Suspend Okta user", "unsuspend": "Unsuspend Okta user", "delete": "Delete Okta user",
}

func logUserLifecycle(ctx *e.Ctx, user *e.Object, action string) {
	msg := lifecycleMessages[action]
	target := []*e.Object{userTarget(user)}
	if action != "delete" {
		logEvent(ctx, logInput{"user.lifecycle." + action, msg, target})
		return
	}
	logEvent(ctx, logInput{"user.lifecycle.delete.initiated", msg, target})
	logEvent(ctx, logInput{"user.lifecycle.delete.completed", msg, target})
}

func logUserEdit(ctx *e.Ctx, user *e.Object, b *e.Object) {
	target := []*e.Object{userTarget(user)}
	if truthy(get(b, "profile")) {
		logEvent(ctx, logInput{"user.account.update_profile", "Update user profile for Okta", target})
	}
	// A new recovery question writes nothing: Okta's Event Types catalog has no type for it.
	if truthy(get(b.Obj("credentials"), "password")) {
		logEvent(ctx, logInput{"user.account.update_password", "User update password for Okta", target})
	}
}
