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

// revokeRefreshTokens revokes each token and the access tokens issued with it.
func revokeRefreshTokens(ctx *e.Ctx, entries []liveRefreshToken) (*e.Result, error) {
	for _, entry := range entries {
		revokeIssued(ctx, entry.value)
	}
	return e.NoContent(), nil
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
	return map[string]e.Handler{
		"listUserClients": func(ctx *e.Ctx) (*e.Result, error) {
			user, err := findUser(ctx, ctx.Params["userId"])
			if err != nil {
				return nil, err
			}
			userID := user.Str("id")
			var clientIDs []string
			for _, entry := range liveRefreshTokensWhere(ctx, func(r *e.Object) bool { return get(r, "userId") == userID }) {
				if c := entry.record.Str("clientId"); !contains(clientIDs, c) {
					clientIDs = append(clientIDs, c)
				}
			}
			base := ctx.BaseURL + "/api/v1/users/" + userID + "/clients"
			out := []any{}
			for _, clientID := range clientIDs {
				app := findOIDCApp(ctx.State, clientID)
				settings := app.Obj("settings").Obj("oauthClient")
				out = append(out, e.NewObject("client_id", clientID, "client_name", jsString(orDefault(app, "label", clientID)),
					"client_uri", e.Clone(orDefault(settings, "client_uri", nil)), "logo_uri", e.Clone(orDefault(settings, "logo_uri", nil)),
					"_links", e.NewObject("grants", e.NewObject("href", base+"/"+clientID+"/grants"), "tokens", e.NewObject("href", base+"/"+clientID+"/tokens"))))
			}
			return ok(out)
		},
		"listRefreshTokensForUserAndClient": func(ctx *e.Ctx) (*e.Result, error) {
			base, entries, err := userClientTokens(ctx)
			if err != nil {
				return nil, err
			}
			if limit, has := qNumber(ctx, "limit"); has {
				entries = entries[:jsSliceEnd(limit, len(entries))]
			}
			out := []any{}
			for _, entry := range entries {
				out = append(out, managedRefreshTokenJSON(ctx, entry, base+"/"+managedRefreshTokenID(entry.value), expandsScope(ctx)))
			}
			return ok(out)
		},
		"getRefreshTokenForUserAndClient": func(ctx *e.Ctx) (*e.Result, error) {
			base, entries, err := userClientTokens(ctx)
			if err != nil {
				return nil, err
			}
			entry, err := pickRefreshToken(entries, ctx.Params["tokenId"])
			if err != nil {
				return nil, err
			}
			return ok(managedRefreshTokenJSON(ctx, entry, base+"/"+ctx.Params["tokenId"], expandsScope(ctx)))
		},
		"revokeTokenForUserAndClient": func(ctx *e.Ctx) (*e.Result, error) {
			_, entries, err := userClientTokens(ctx)
			if err != nil {
				return nil, err
			}
			entry, err := pickRefreshToken(entries, ctx.Params["tokenId"])
			if err != nil {
				return nil, err
			}
			return revokeRefreshTokens(ctx, []liveRefreshToken{entry})
		},
		"revokeTokensForUserAndClient": func(ctx *e.Ctx) (*e.Result, error) {
			_, entries, err := userClientTokens(ctx)
			if err != nil {
				return nil, err
			}
			return revokeRefreshTokens(ctx, entries)
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
	}
}

func assignedTo(state, app *e.Object, userID string) bool {
	for _, appUser := range assignedUsers(state, app) {
		if appUser.Str("id") == userID {
			return true
		}
	}
	return false
}
