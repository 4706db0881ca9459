package main

import (
	"unicode/utf16"

	e "twinverse/twins/goengine"
)

// A user's OAuth 2.0 clients, refresh tokens and consent grants (tags UserOAuth and UserGrant,
// twins/okta/api/app-tokens.ts), and the app links of the user's dashboard (tag UserResources,
// twins/okta/api/user-resources.ts). Revoking a refresh token also revokes the access tokens issued with it. The twin
// asks no user for consent (every scope's consent is IMPLICIT), so users have no consent grants to list or revoke.

// userClientTokens are the live refresh tokens the client holds for the user, and where they are listed.
func userClientTokens(ctx *e.Ctx) (string, []liveRefreshToken, error) {
	user, err := findUser(ctx, ctx.Params["userId"])
	if err != nil {
		return "", nil, err
	}
	userID, clientID := user.Str("id"), ctx.Params["clientId"]
	entries := liveRefreshTokensWhere(ctx, func(r *e.Object) bool { return get(r, "userId") == userID && r.Str("clientId") == clientID })
	return ctx.BaseURL + "/api/v1/users/" + userID + "/clients/" + clientID + "/tokens", entries, nil
}

// userOnly answers once the path's user exists: the twin's users have no consent grants.
func userOnly(answer func(ctx *e.Ctx) (*e.Result, error)) e.Handler {
	return func(ctx *e.Ctx) (*e.Result, error) {
		if _, err := findUser(ctx, ctx.Params["userId"]); err != nil {
			return nil, err
		}
		return answer(ctx)
	}
}

func noUserGrants(*e.Ctx) (*e.Result, error) { return ok([]any{}) }

func noUserGrant(ctx *e.Ctx) (*e.Result, error) {
	return nil, notFound(ctx.Params["grantId"], "OAuth2ScopeConsentGrant")
}

func nothingToRevoke(*e.Ctx) (*e.Result, error) { return e.NoContent(), nil }

// assignmentID is the id of a user's assignment to an app as an app link names it: derived from app and user, so
// that it is stable (twins/okta/model/apps.ts).
func assignmentID(appID, userID string) string {
	hash := uint32(2166136261)
	for _, unit := range utf16.Encode([]rune(appID + "/" + userID)) {
		hash = (hash ^ uint32(unit)) * 16777619
	}
	id := []byte("0ua")
	for i := 0; i < 17; i++ {
		hash = (hash^(hash>>15))*2246822519 + uint32(i)
		id = append(id, refreshIDAlphabet[hash%62])
	}
	return string(id)
}

// appLinksFor are the links an assigned user sees for an app: one per link switched on in visibility.appLinks.
func appLinksFor(ctx *e.Ctx, app, user *e.Object) []*e.Object {
	var out []*e.Object
	links := app.Obj("visibility").Obj("appLinks")
	for _, name := range links.Keys() {
		if get(links, name) != true {
			continue
		}
		out = append(out, e.NewObject(
			"id", user.Str("id"),
			"label", get(app, "label"),
			"linkUrl", appLinkURL(ctx.BaseURL, app),
			"logoUrl", appLogoURL(ctx.BaseURL),
			"appName", get(app, "name"),
			"appInstanceId", app.Str("id"),
			"appAssignmentId", assignmentID(app.Str("id"), user.Str("id")),
			"credentialsSetup", false,
			"hidden", get(app.Obj("visibility").Obj("hide"), "web") == true,
		))
	}
	return out
}

func userOAuthHandlers() map[string]e.Handler {
	handlers := refreshTokenHandlers(userClientTokens, "listRefreshTokensForUserAndClient", "getRefreshTokenForUserAndClient",
		"revokeTokenForUserAndClient", "revokeTokensForUserAndClient")
	for id, handler := range map[string]e.Handler{
		"listUserClients": func(ctx *e.Ctx) (*e.Result, error) {
			user, err := findUser(ctx, ctx.Params["userId"])
			if err != nil {
				return nil, err
			}
			userID := user.Str("id")
			entries := liveRefreshTokensWhere(ctx, func(r *e.Object) bool { return get(r, "userId") == userID })
			return ok(tokenClientsJSON(ctx, entries, ctx.BaseURL+"/api/v1/users/"+userID+"/clients"))
		},
		"listGrantsForUserAndClient":   userOnly(noUserGrants),
		"revokeGrantsForUserAndClient": userOnly(nothingToRevoke),
		"listUserGrants":               userOnly(noUserGrants),
		"getUserGrant":                 userOnly(noUserGrant),
		"revokeUserGrants":             userOnly(nothingToRevoke),
		"revokeUserGrant":              userOnly(noUserGrant),
		"listAppLinks": func(ctx *e.Ctx) (*e.Result, error) {
			user, err := findUser(ctx, ctx.Params["id"])
			if err != nil {
				return nil, err
			}
			out := []any{}
			for _, app := range values(ctx.State.Obj("apps")) {
				if app.Str("status") != "ACTIVE" || !assignedTo(ctx.State, app, user.Str("id")) {
					continue
				}
				for _, link := range appLinksFor(ctx, app, user) {
					link.Set("sortOrder", float64(len(out)))
					out = append(out, link)
				}
			}
			return ok(out)
		},
	} {
		handlers[id] = handler
	}
	return handlers
}

func assignedTo(state, app *e.Object, userID string) bool {
	for _, appUser := range assignedUsers(state, app) {
		if appUser.Str("id") == userID {
			return true
		}
	}
	return false
}
