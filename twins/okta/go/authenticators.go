package main

import (
	e "twinverse/twins/goengine"
)

// The org's authenticators (tag Authenticator), as twins/okta/api/authenticators.ts and model/authenticators.ts:
// which kinds of factor users may enroll. Deactivating one stops new enrollments of its factors ("Factor not
// enabled.") and keeps them out of sign-in challenges (factorEnabled, factors.go).

func requireAuthenticator(ctx *e.Ctx) (*e.Object, error) {
	id := ctx.Params["authenticatorId"]
	if a := ctx.State.Obj("authenticators").Obj(id); a != nil {
		return a, nil
	}
	return nil, notFound(id, "Authenticator")
}

// authenticatorJSON is an authenticator as Okta returns it, with the lifecycle link its status allows.
func authenticatorJSON(ctx *e.Ctx, a *e.Object) *e.Object {
	self := ctx.BaseURL + "/api/v1/authenticators/" + a.Str("id")
	lifecycle := "activate"
	if a.Str("status") == "ACTIVE" {
		lifecycle = "deactivate"
	}
	out := e.NewObject()
	for _, k := range []string{"type", "id", "key", "status", "name", "created", "lastUpdated"} {
		out.Set(k, get(a, k))
	}
	if settings := a.Obj("settings"); settings != nil {
		out.Set("settings", e.CloneObj(settings))
	}
	out.Set("_links", e.NewObject("self", hintLink(self, "GET", "PUT"), lifecycle, hintLink(self+"/lifecycle/"+lifecycle, "POST")))
	return out
}

// setAuthenticatorStatus moves an authenticator to a status, logging Okta's lifecycle event when it changes.
func setAuthenticatorStatus(ctx *e.Ctx, a *e.Object, status string) *e.Object {
	if a.Str("status") != status {
		ctx.Set(a, "status", status)
		ctx.Set(a, "lastUpdated", ctx.Now())
		verb, message := "deactivate", "Deactivate Authenticator"
		if status == "ACTIVE" {
			verb, message = "activate", "Activate Authenticator"
		}
		target := e.NewObject("id", a.Str("id"), "type", "Authenticator", "alternateId", get(a, "key"), "displayName", get(a, "name"))
		logEvent(ctx, logInput{eventType: "security.authenticator.lifecycle." + verb, displayMessage: message, target: []*e.Object{target}})
	}
	return authenticatorJSON(ctx, a)
}

func authenticatorHandlers() map[string]e.Handler {
	return map[string]e.Handler{
		"listAuthenticators": func(ctx *e.Ctx) (*e.Result, error) {
			out := []any{}
			for _, a := range values(ctx.State.Obj("authenticators")) {
				out = append(out, authenticatorJSON(ctx, a))
			}
			return ok(out)
		},
		"getAuthenticator": func(ctx *e.Ctx) (*e.Result, error) {
			a, err := requireAuthenticator(ctx)
			if err != nil {
				return nil, err
			}
			return ok(authenticatorJSON(ctx, a))
		},
		"activateAuthenticator": func(ctx *e.Ctx) (*e.Result, error) {
			a, err := requireAuthenticator(ctx)
			if err != nil {
				return nil, err
			}
			return ok(setAuthenticatorStatus(ctx, a, "ACTIVE"))
		},
		"deactivateAuthenticator": func(ctx *e.Ctx) (*e.Result, error) {
			a, err := requireAuthenticator(ctx)
			if err != nil {
				return nil, err
			}
			// Every user signs in with a password in the twin's org: the password authenticator cannot be turned off.
			if a.Str("key") == "okta_password" {
				return nil, oktaErr("E0000001", detail("authenticator"), causes("The password authenticator cannot be deactivated."))
			}
			return ok(setAuthenticatorStatus(ctx, a, "INACTIVE"))
		},
	}
}
