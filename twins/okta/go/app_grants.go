package main

import (
	"strings"

	e "twinverse/twins/goengine"
)

// An app's grants collection (tag ApplicationGrants, twins/okta/api/app-grants.ts; Okta's "OAuth for Okta" guides):
// the org authorization server issues an Okta API scope to a client only once an admin granted it to the client's
// app. The grants live in state.oauth.appGrants by app id, where the token endpoint reads them.

func requireAppGrant(ctx *e.Ctx, app *e.Object) (*e.Object, error) {
	id := ctx.Params["grantId"]
	for _, grant := range objects(ctx.State.Obj("oauth").Obj("appGrants").Arr(app.Str("id"))) {
		if grant.Str("id") == id {
			return grant, nil
		}
	}
	return nil, notFound(id, "OAuth2ScopeConsentGrant")
}

// appGrantJSON is a grant as Okta returns it: `_embedded.scope` on create and with expand=scope, and links to its
// app and client.
func appGrantJSON(ctx *e.Ctx, app, grant *e.Object, embedScope bool) *e.Object {
	base := ctx.BaseURL
	out := e.CloneObj(grant)
	if embedScope {
		out.Set("_embedded", e.NewObject("scope", e.NewObject("id", get(grant, "scopeId"))))
	}
	out.Set("_links", e.NewObject(
		"app", e.NewObject("href", base+"/api/v1/apps/"+app.Str("id"), "title", get(app, "label")),
		"self", e.NewObject("href", base+"/api/v1/apps/"+app.Str("id")+"/grants/"+grant.Str("id"), "hints", e.NewObject("allow", []any{"GET", "DELETE"})),
		"client", e.NewObject("href", base+"/oauth2/v1/clients/"+jsString(get(grant, "clientId")), "title", get(app, "label")),
	))
	return out
}

// grantActor is who made a change: the admin behind an API token or a user's access token, or a service client.
func grantActor(ctx *e.Ctx) *e.Object {
	auth, _ := ctx.Auth.(oktaAuth)
	if auth.kind == "accessToken" && auth.userID == "" {
		return e.NewObject("id", auth.clientID, "type", "Client")
	}
	return e.NewObject("id", auth.userID, "type", "User")
}

// logConsent: Okta logs an admin's grant or revocation of an Okta API scope as app.oauth2.admin.consent.grant / .revoke.
func logConsent(ctx *e.Ctx, app, grant *e.Object, action string) {
	scopeID := get(grant, "scopeId")
	scope := e.NewObject("id", scopeID, "type", "Scope", "alternateId", scopeID, "displayName", scopeID)
	message := "Admin consent granted"
	if action == "revoke" {
		message = "Admin consent revoked"
	}
	logEvent(ctx, logInput{"app.oauth2.admin.consent." + action, message, []*e.Object{appTarget(app), scope}})
}

func appGrantHandlers() map[string]e.Handler {
	return map[string]e.Handler{
		"listScopeConsentGrants": func(ctx *e.Ctx) (*e.Result, error) {
			app, err := requireApp(ctx, ctx.Params["appId"])
			if err != nil {
				return nil, err
			}
			embed := expandsScope(ctx)
			out := []any{}
			for _, grant := range objects(ctx.State.Obj("oauth").Obj("appGrants").Arr(app.Str("id"))) {
				out = append(out, appGrantJSON(ctx, app, grant, embed))
			}
			return ok(out)
		},
		"grantConsentToScope": func(ctx *e.Ctx) (*e.Result, error) {
			app, err := requireApp(ctx, ctx.Params["appId"])
			if err != nil {
				return nil, err
			}
			b := body(ctx)
			issuer, scopeID := jsString(get(b, "issuer")), jsString(get(b, "scopeId"))
			org := strings.TrimRight(ctx.BaseURL, "/")
			if strings.TrimRight(issuer, "/") != org {
				return nil, invalidFields([][2]string{{"issuer", "The issuer must be the org authorization server, " + org}})
			}
			if !isKnownOktaScope(scopeID) {
				return nil, invalidFields([][2]string{{"scopeId", "'" + scopeID + "' is not an Okta API scope"}})
			}
			all := ctx.Ensure(ctx.State.Obj("oauth"), "appGrants")
			grants, _ := get(all, app.Str("id")).([]any)
			for _, g := range objects(grants) {
				if g.Str("scopeId") == scopeID {
					return nil, invalidFields([][2]string{{"scopeId", "The scope '" + scopeID + "' is already granted to this app"}})
				}
			}
			now := ctx.Now()
			clientID := orDefault(app.Obj("credentials").Obj("oauthClient"), "client_id", app.Str("id"))
			grant := e.NewObject("id", oktaID(ctx, "oag"), "status", "ACTIVE", "created", now, "createdBy", grantActor(ctx), "lastUpdated", now,
				"issuer", org, "clientId", clientID, "scopeId", scopeID, "source", "ADMIN")
			ctx.Set(all, app.Str("id"), append(append([]any{}, grants...), grant))
			logConsent(ctx, app, grant, "grant")
			r := e.OK(appGrantJSON(ctx, app, grant, true))
			r.Status = 201
			return r, nil
		},
		"getScopeConsentGrant": within(pathApp, requireAppGrant, func(ctx *e.Ctx, app, grant *e.Object) (*e.Result, error) {
			return ok(appGrantJSON(ctx, app, grant, expandsScope(ctx)))
		}),
		"revokeScopeConsentGrant": within(pathApp, requireAppGrant, func(ctx *e.Ctx, app, grant *e.Object) (*e.Result, error) {
			all := ctx.State.Obj("oauth").Obj("appGrants")
			kept := []any{}
			for _, g := range all.Arr(app.Str("id")) {
				if g != grant {
					kept = append(kept, g)
				}
			}
			ctx.Set(all, app.Str("id"), kept)
			logConsent(ctx, app, grant, "revoke")
			return e.NoContent(), nil
		}),
	}
}
