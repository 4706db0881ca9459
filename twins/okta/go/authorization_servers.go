package main

import (
	"math"
	"strings"

	e "twinverse/twins/goengine"
)

// Custom authorization servers (twins/okta/api/authorization-servers.ts and model/authorization-servers.ts): the
// Management API of the servers themselves, their scopes, claims, access policies and rules, and signing keys. Every
// server, the seeded `default` one and those created here, serves the /oauth2/{id}/v1 endpoints (oauth_*.go) with
// its own issuer, keys, scopes, claims and access policies, all read from the state these handlers write.

// customServerSystemScopes are the scopes Okta creates with every custom authorization server (`system: true`).
var customServerSystemScopes = [][2]string{
	{"openid", "Signals that a request is an OpenID request."},
	{"profile", "Allows access to the end user's default profile claims."},
	{"email", "Allows access to the end user's email address."},
	{"address", "Allows access to the end user's address."},
	{"phone", "Allows access to the end user's phone number."},
	{"offline_access", "Allows access to request a refresh token."},
	{"device_sso", "Allows access to request a device secret."},
}

// customServerRotationDays is how long Okta keeps a key ACTIVE before rotating it on its own (rotationMode AUTO).
const customServerRotationDays = 90

// created201 is the 201 answer of a create.
func created201(body any) *e.Result { return &e.Result{Status: 201, Headers: e.Headers{}, Body: body} }

// requireCustomServer is the custom authorization server with this id, active or not, or Okta's 404.
func requireCustomServer(ctx *e.Ctx) (*e.Object, error) {
	id := ctx.Params["authServerId"]
	if server := ctx.State.Obj("oauth").Obj("authorizationServers").Obj(id); server != nil {
		return server, nil
	}
	return nil, notFound(id, "AuthorizationServer")
}

// customServerEntity and namedEntity are the System Log targets of a server and of one of its parts.
func customServerEntity(server *e.Object) *e.Object {
	return e.NewObject("id", get(server, "id"), "type", "AuthorizationServer", "alternateId", get(server, "name"), "displayName", get(server, "name"), "detailEntry", nil)
}

func namedEntity(record *e.Object, kind string) *e.Object {
	return e.NewObject("id", get(record, "id"), "type", kind, "alternateId", get(record, "name"), "displayName", get(record, "name"), "detailEntry", nil)
}

func logServerChange(ctx *e.Ctx, eventType, displayMessage string, target ...*e.Object) {
	logEvent(ctx, logInput{eventType: eventType, displayMessage: displayMessage, target: target})
}

// setRecordStatus changes a server's, policy's or rule's status, logging only a real change; Okta answers 204 either way.
func setRecordStatus(ctx *e.Ctx, record *e.Object, status string, logged func()) (*e.Result, error) {
	if setLifecycle(ctx, record, status) {
		logged()
	}
	return e.NoContent(), nil
}

// assignAll is Object.assign: keys the record has keep their place, new ones go last.
func assignAll(ctx *e.Ctx, record, from *e.Object) {
	for _, k := range from.Keys() {
		ctx.Set(record, k, get(from, k))
	}
}

// hintedLink is a HAL link with the methods it allows.
func hintedLink(href string, allow ...string) *e.Object {
	return e.NewObject("href", href, "hints", e.NewObject("allow", anyStrings(allow)))
}

// isJSInteger is Number.isInteger.
func isJSInteger(v any) bool {
	f, isNumber := v.(float64)
	return isNumber && !math.IsInf(f, 0) && f == math.Trunc(f)
}

// jsStringList is a list of strings, or false when the value is anything else.
func jsStringList(v any) ([]string, bool) {
	list, isList := v.([]any)
	if !isList {
		return nil, false
	}
	out := make([]string, 0, len(list))
	for _, item := range list {
		s, isString := item.(string)
		if !isString {
			return nil, false
		}
		out = append(out, s)
	}
	return out, true
}

// trimmedString is `typeof v === 'string' ? v.trim() : ”`.
func trimmedString(o *e.Object, key string) string {
	s, _ := get(o, key).(string)
	return jsTrim(s)
}

// checkServerBody checks a create or replace body before anything is written: a name unique in the org (whatever
// its case) and exactly one audience.
func checkServerBody(ctx *e.Ctx, b *e.Object, except string) (*e.Object, error) {
	var problems [][2]string
	name := trimmedString(b, "name")
	if name == "" {
		problems = append(problems, [2]string{"name", "The field cannot be left blank"})
	} else {
		for _, s := range values(ctx.State.Obj("oauth").Obj("authorizationServers")) {
			if s.Str("id") != except && jsLower(s.Str("name")) == jsLower(name) {
				problems = append(problems, [2]string{"name", "An authorization server with this name already exists."})
				break
			}
		}
	}
	audiences, _ := get(b, "audiences").([]any)
	blank := len(audiences) == 0
	for _, a := range audiences {
		if s, isString := a.(string); !isString || jsTrim(s) == "" {
			blank = true
		}
	}
	if blank {
		problems = append(problems, [2]string{"audiences", "The field cannot be left blank"})
	} else if len(audiences) > 1 {
		// Okta: "Okta currently supports only one audience."
		problems = append(problems, [2]string{"audiences", "Only one audience is supported."})
	}
	if len(problems) > 0 {
		return nil, invalidFields(problems)
	}
	description, _ := get(b, "description").(string)
	return e.NewObject("name", name, "description", description, "audiences", e.Clone(audiences)), nil
}

// customServerJSON is a server as Okta returns it: its issuer (the org URL mode), its signing credentials and links
// to its parts, without the parts themselves.
func customServerJSON(ctx *e.Ctx, server *e.Object) (*e.Object, error) {
	base := orgBaseURL(ctx)
	id := server.Str("id")
	self := base + "/api/v1/authorizationServers/" + id
	lastRotated := orDefault(server, "lastRotated", get(server, "created"))
	rotated, err := e.ParseInstant(jsString(lastRotated))
	if err != nil {
		return nil, err
	}
	out := e.NewObject()
	for _, k := range server.Keys() {
		if k != "scopes" && k != "claims" && k != "policies" && k != "lastRotated" {
			out.Set(k, e.Clone(get(server, k)))
		}
	}
	out.Set("issuer", base+"/oauth2/"+id)
	out.Set("issuerMode", "ORG_URL")
	signing := e.NewObject("rotationMode", "AUTO", "lastRotated", lastRotated, "nextRotation", e.ISO(rotated.UnixMilli()+customServerRotationDays*24*3600*1000))
	if key := activeSigningKey(ctx.State, id); key != nil && key.Has("kid") {
		signing.Set("kid", get(key, "kid"))
	}
	signing.Set("use", "sig")
	out.Set("credentials", e.NewObject("signing", signing))
	lifecycle := "activate"
	if server.Str("status") == "ACTIVE" {
		lifecycle = "deactivate"
	}
	metadata := []any{}
	for _, name := range []string{"oauth-authorization-server", "openid-configuration"} {
		metadata = append(metadata, e.NewObject("name", name, "href", base+"/oauth2/"+id+"/.well-known/"+name, "hints", e.NewObject("allow", []any{"GET"})))
	}
	out.Set("_links", e.NewObject(
		"scopes", hintedLink(self+"/scopes", "GET"),
		"claims", hintedLink(self+"/claims", "GET"),
		"policies", hintedLink(self+"/policies", "GET"),
		"self", hintedLink(self, "GET", "DELETE", "PUT"),
		"metadata", metadata,
		"rotateKey", hintedLink(self+"/credentials/lifecycle/keyRotate", "POST"),
		lifecycle, hintedLink(self+"/lifecycle/"+lifecycle, "POST"),
	))
	return out, nil
}

func customServerResult(ctx *e.Ctx, status int, server *e.Object) (*e.Result, error) {
	out, err := customServerJSON(ctx, server)
	if err != nil {
		return nil, err
	}
	return &e.Result{Status: status, Headers: e.Headers{}, Body: out}, nil
}

// newSystemScopes are the scopes a new server starts with, each with a fresh id.
func newSystemScopes(ctx *e.Ctx) []any {
	out := make([]any, len(customServerSystemScopes))
	for i, s := range customServerSystemScopes {
		out[i] = e.NewObject("id", "scp"+ctx.IDs.Token(17, ""), "name", s[0], "displayName", s[0], "description", s[1], "system", true,
			"metadataPublish", "ALL_CLIENTS", "consent", "IMPLICIT", "default", false, "optional", false)
	}
	return out
}

// addServerKey makes a server a signing key derived from the twin's id source (Okta's key ids are 43 base64url
// characters), so that a reproducible run gets the same keys.
func addServerKey(ctx *e.Ctx, serverID, status string) {
	oauth := ctx.State.Obj("oauth")
	kid := mintOpaqueToken(ctx, 43)
	key := deriveSigningKey(ctx.State.Obj("org").Str("id")+"/"+serverID+"/"+kid, kid)
	merge(key, e.NewObject("alg", "RS256", "use", "sig", "authorizationServer", serverID, "status", status, "created", ctx.Now()))
	keys := append(append([]any{}, oauth.Arr("signingKeys")...), key)
	ctx.Set(oauth, "signingKeys", keys)
}

// rotateServerKeys is Okta's keyRotate: the ACTIVE key becomes EXPIRED, the NEXT one ACTIVE (a new one when there is
// none), and a new NEXT key is made. EXPIRED keys stay published, so tokens signed before keep verifying.
func rotateServerKeys(ctx *e.Ctx, server *e.Object) {
	id := server.Str("id")
	keys := signingKeysOf(ctx.State, id)
	for _, key := range keys {
		if orDefault(key, "status", "ACTIVE") == "ACTIVE" {
			ctx.Set(key, "status", "EXPIRED")
		}
	}
	var next *e.Object
	for _, key := range keys {
		if get(key, "status") == "NEXT" {
			next = key
			break
		}
	}
	if next != nil {
		ctx.Set(next, "status", "ACTIVE")
	} else {
		addServerKey(ctx, id, "ACTIVE")
	}
	addServerKey(ctx, id, "NEXT")
	now := ctx.Now()
	ctx.Set(server, "lastRotated", now)
	ctx.Set(server, "lastUpdated", now)
}

// serverKeyJSON is a server's key as the Management API returns it: its status, public half and a self link.
func serverKeyJSON(ctx *e.Ctx, serverID string, key *e.Object) *e.Object {
	out := e.NewObject("status", orDefault(key, "status", "ACTIVE"))
	merge(out, publicSigningJWK(key))
	out.Set("_links", e.NewObject("self", hintedLink(ctx.BaseURL+"/api/v1/authorizationServers/"+serverID+"/credentials/keys/"+key.Str("kid"), "GET")))
	return out
}

func serverKeyList(ctx *e.Ctx, serverID string) []any {
	out := []any{}
	for _, key := range signingKeysOf(ctx.State, serverID) {
		out = append(out, serverKeyJSON(ctx, serverID, key))
	}
	return out
}

// revokeServerTokens: the tokens a server issued stop working when it goes (Okta: "configuration in the
// authorization server is changed or deleted").
func revokeServerTokens(ctx *e.Ctx, serverID string) {
	for _, record := range values(ctx.State.Obj("oauth").Obj("tokens")) {
		if record.Str("server") == serverID {
			ctx.Set(record, "revoked", true)
		}
	}
}

func customServerHandlers() map[string]e.Handler {
	return map[string]e.Handler{
		"listAuthorizationServers": func(ctx *e.Ctx) (*e.Result, error) {
			q, _ := qString(ctx, "q")
			q = jsLower(q)
			var found []*e.Object
			for _, s := range values(ctx.State.Obj("oauth").Obj("authorizationServers")) {
				matches := q == "" || strings.Contains(jsLower(s.Str("name")), q)
				for _, a := range strings_(s.Arr("audiences")) {
					matches = matches || strings.Contains(jsLower(a), q)
				}
				if matches {
					found = append(found, s)
				}
			}
			// Okta: a page holds 200 servers by default (the document's default), and at most 200.
			limit, _ := qNumber(ctx, "limit")
			after, hasAfter := qString(ctx, "after")
			page := e.CursorPage(ctx, found, int(min(limit, 200)), after, hasAfter, nil)
			out := []any{}
			for _, s := range page.Items {
				j, err := customServerJSON(ctx, s)
				if err != nil {
					return nil, err
				}
				out = append(out, j)
			}
			return okLinks(out, page.Links)
		},
		"createAuthorizationServer": func(ctx *e.Ctx) (*e.Result, error) {
			b := body(ctx)
			sent, err := checkServerBody(ctx, b, "")
			if err != nil {
				return nil, err
			}
			now := ctx.Now()
			id := oktaID(ctx, "aus")
			status := "ACTIVE"
			if get(b, "status") == "INACTIVE" {
				status = "INACTIVE"
			}
			server := e.NewObject("id", id)
			merge(server, sent)
			// Okta creates a server without access policies: it issues no tokens until one is added.
			merge(server, e.NewObject("status", status, "created", now, "lastUpdated", now, "scopes", newSystemScopes(ctx), "claims", []any{}, "policies", []any{}))
			ctx.Set(ctx.Ensure(ctx.State.Obj("oauth"), "authorizationServers"), id, server)
			addServerKey(ctx, id, "ACTIVE")
			addServerKey(ctx, id, "NEXT")
			logServerChange(ctx, "oauth2.as.created", "Create authorization server", customServerEntity(server))
			return customServerResult(ctx, 201, server)
		},
		"getAuthorizationServer": func(ctx *e.Ctx) (*e.Result, error) {
			server, err := requireCustomServer(ctx)
			if err != nil {
				return nil, err
			}
			return customServerResult(ctx, 200, server)
		},
		"replaceAuthorizationServer": func(ctx *e.Ctx) (*e.Result, error) {
			server, err := requireCustomServer(ctx)
			if err != nil {
				return nil, err
			}
			sent, err := checkServerBody(ctx, body(ctx), server.Str("id"))
			if err != nil {
				return nil, err
			}
			assignAll(ctx, server, sent)
			ctx.Set(server, "lastUpdated", ctx.Now())
			logServerChange(ctx, "oauth2.as.updated", "Update authorization server", customServerEntity(server))
			return customServerResult(ctx, 200, server)
		},
		"deleteAuthorizationServer": func(ctx *e.Ctx) (*e.Result, error) {
			server, err := requireCustomServer(ctx)
			if err != nil {
				return nil, err
			}
			id := server.Str("id")
			oauth := ctx.State.Obj("oauth")
			ctx.Delete(oauth.Obj("authorizationServers"), id)
			kept := []any{}
			for _, k := range oauth.Arr("signingKeys") {
				if key, isObject := k.(*e.Object); !isObject || get(key, "authorizationServer") != id {
					kept = append(kept, k)
				}
			}
			ctx.Set(oauth, "signingKeys", kept)
			revokeServerTokens(ctx, id)
			logServerChange(ctx, "oauth2.as.deleted", "Delete authorization server", customServerEntity(server))
			return e.NoContent(), nil
		},
		"activateAuthorizationServer": func(ctx *e.Ctx) (*e.Result, error) {
			server, err := requireCustomServer(ctx)
			if err != nil {
				return nil, err
			}
			return setRecordStatus(ctx, server, "ACTIVE", func() {
				logServerChange(ctx, "oauth2.as.activated", "Activate authorization server", customServerEntity(server))
			})
		},
		"deactivateAuthorizationServer": func(ctx *e.Ctx) (*e.Result, error) {
			server, err := requireCustomServer(ctx)
			if err != nil {
				return nil, err
			}
			return setRecordStatus(ctx, server, "INACTIVE", func() {
				logServerChange(ctx, "oauth2.as.deactivated", "Deactivate authorization server", customServerEntity(server))
			})
		},
		"listAuthorizationServerKeys": func(ctx *e.Ctx) (*e.Result, error) {
			server, err := requireCustomServer(ctx)
			if err != nil {
				return nil, err
			}
			return ok(serverKeyList(ctx, server.Str("id")))
		},
		"getAuthorizationServerKey": func(ctx *e.Ctx) (*e.Result, error) {
			server, err := requireCustomServer(ctx)
			if err != nil {
				return nil, err
			}
			for _, key := range signingKeysOf(ctx.State, server.Str("id")) {
				if get(key, "kid") == ctx.Params["keyId"] {
					return ok(serverKeyJSON(ctx, server.Str("id"), key))
				}
			}
			return nil, notFound(ctx.Params["keyId"], "JsonWebKey")
		},
		"rotateAuthorizationServerKeys": func(ctx *e.Ctx) (*e.Result, error) {
			server, err := requireCustomServer(ctx)
			if err != nil {
				return nil, err
			}
			if get(body(ctx), "use") != "sig" {
				// Okta's InvalidRotateUse example.
				return nil, oktaErr("E0000001", detail("rotateKeys"), causes("Invalid value specified for key 'use' parameter"))
			}
			rotateServerKeys(ctx, server)
			// Okta's app.oauth2.as.key.rollover (Event Types catalog, oauth2-custom-as); the display message is the TypeScript twin's.
			logServerChange(ctx, "app.oauth2.as.key.rollover", "Rotate authorization server signing keys", customServerEntity(server))
			return ok(serverKeyList(ctx, server.Str("id")))
		},
	}
}

// authorizationServerHandlers are the custom authorization servers' Management API operations (tags
// AuthorizationServer, AuthorizationServerScopes, AuthorizationServerClaims, AuthorizationServerPolicies,
// AuthorizationServerRules, AuthorizationServerKeys and AuthorizationServerClients).
func authorizationServerHandlers() map[string]e.Handler {
	all := map[string]e.Handler{}
	for _, part := range []map[string]e.Handler{customServerHandlers(), serverScopeHandlers(), serverClaimHandlers(), serverPolicyHandlers(), serverClientTokenHandlers()} {
		for id, h := range part {
			all[id] = h
		}
	}
	return all
}
