package main

import (
	"strings"

	e "twinverse/twins/goengine"
)

// oauthLog is what an OAuth event carries beyond logEvent's input (twins/okta/model/system-log.ts): the actor
// (the user or the client, where logEvent would name the API caller), the client the request came through, and
// additions to debugData and authenticationContext.
type oauthLog struct {
	actor                 *e.Object
	clientID              string
	legacyEventType       string
	outcome               *e.Object
	debugData             *e.Object
	authenticationContext *e.Object
}

// logOAuthEvent writes the event with logEvent, then sets on it what the OAuth endpoints add.
func logOAuthEvent(ctx *e.Ctx, in logInput, extra oauthLog) {
	logEvent(ctx, in)
	event := lastLoggedEvent(ctx)
	if event == nil {
		return
	}
	if extra.actor != nil {
		actor := e.CloneObj(extra.actor)
		if v, _ := actor.Get("detailEntry"); v == nil {
			actor.Set("detailEntry", nil)
		}
		event.Set("actor", actor)
	}
	if extra.legacyEventType != "" {
		event.Set("legacyEventType", extra.legacyEventType)
	}
	if extra.clientID != "" {
		event.Obj("client").Set("id", extra.clientID)
	}
	if extra.outcome != nil {
		event.Set("outcome", extra.outcome)
	}
	for _, part := range []struct {
		into *e.Object
		add  *e.Object
	}{{event.Obj("debugContext").Obj("debugData"), extra.debugData}, {event.Obj("authenticationContext"), extra.authenticationContext}} {
		for _, k := range part.add.Keys() {
			part.into.Set(k, get(part.add, k))
		}
	}
}

// oauthClientActor is a client acting on its own, as the System Log names it.
func oauthClientActor(clientID string, app *e.Object) *e.Object {
	label := clientID
	if app != nil {
		if v, has := app.Get("label"); has && v != nil {
			label = jsString(v)
		}
	}
	return e.NewObject("id", clientID, "type", "PublicClientApp", "alternateId", label, "displayName", label, "detailEntry", nil)
}

// signedJWTID is the jti of a JWT the twin has just signed, read without verifying.
func signedJWTID(token string) string {
	parts := strings.Split(token, ".")
	if len(parts) < 2 {
		return "unknown"
	}
	raw, decoded := decodeB64URL(parts[1])
	claims, isObj := parseObjectJSON(raw)
	if !decoded || !isObj {
		return "unknown"
	}
	if v, has := claims.Get("jti"); has && v != nil {
		return jsString(v)
	}
	return "unknown"
}

// tokenGrantEvent is what logOAuthTokenGrant records: the tokens a grant issued.
type tokenGrantEvent struct {
	server       *authServer
	clientID     string
	user         *e.Object
	grantType    string
	scopes       []string
	accessToken  string
	idToken      string
	refreshToken string
}

// logOAuthTokenGrant writes one event per token issued, as Okta does (app.oauth2[.as].token.grant.<type>, or
// authorize.implicit.<type> for tokens sent from /authorize).
func logOAuthTokenGrant(ctx *e.Ctx, g tokenGrantEvent) {
	app := appOfClientID(ctx.State, g.clientID)
	var client *e.Object
	label := g.clientID
	if app != nil {
		client = appTarget(app)
		label = client.Str("displayName")
	} else {
		client = e.NewObject("id", g.clientID, "type", "AppInstance", "alternateId", label, "displayName", label, "detailEntry", nil)
	}
	actor := oauthClientActor(g.clientID, app)
	if g.user != nil {
		actor = userTarget(g.user)
	}
	family := "app.oauth2"
	serverID := orgServerKey
	if g.server.custom {
		family = "app.oauth2.as"
		serverID = g.server.key
	}
	if g.grantType == "implicit" {
		family += ".authorize.implicit"
	} else {
		family += ".token.grant"
	}
	scopes := strings.Join(g.scopes, " ")
	for _, issued := range []struct{ kind, name, token string }{{"access_token", "access", g.accessToken}, {"id_token", "id", g.idToken}, {"refresh_token", "refresh", g.refreshToken}} {
		if issued.token == "" {
			continue
		}
		id := "unknown"
		if issued.kind != "refresh_token" {
			id = signedJWTID(issued.token)
		}
		target := e.NewObject("id", id, "type", issued.kind, "alternateId", serverID, "displayName", strings.ToUpper(issued.name[:1])+issued.name[1:]+" Token",
			"detailEntry", e.NewObject("grantType", g.grantType, "scopes", scopes))
		logOAuthEvent(ctx, logInput{eventType: family + "." + issued.kind, displayMessage: "OAuth2 " + issued.name + " token is granted", target: []*e.Object{target, client}},
			oauthLog{actor: actor, clientID: g.clientID, debugData: e.NewObject("grantType", g.grantType, "requestedScopes", scopes)})
	}
}

// appOfClientID is the app of a client id, of any sign-on mode (the System Log names the client's app).
func appOfClientID(state *e.Object, clientID string) *e.Object {
	for _, app := range values(state.Obj("apps")) {
		if get(app.Obj("credentials").Obj("oauthClient"), "client_id") == clientID {
			return app
		}
	}
	return nil
}
