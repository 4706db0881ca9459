package main

import (
	e "twinverse/twins/goengine"
)

// The refresh tokens an app's OAuth client holds, whichever server issued them (tag ApplicationTokens;
// twins/okta/api/app-tokens.ts). They are shown and revoked as a server's clients' tokens are
// (authorization_server_clients.go); revoking one also revokes the access tokens issued with it.

// appRefreshTokens are the live refresh tokens of the app's client (none for an app that is no OAuth client), and
// where they are listed.
func appRefreshTokens(ctx *e.Ctx) (string, []liveRefreshToken, error) {
	app, err := requireApp(ctx, ctx.Params["appId"])
	if err != nil {
		return "", nil, err
	}
	base := ctx.BaseURL + "/api/v1/apps/" + app.Str("id") + "/tokens"
	clientID, _ := get(app.Obj("credentials").Obj("oauthClient"), "client_id").(string)
	if clientID == "" {
		return base, nil, nil
	}
	return base, liveRefreshTokensWhere(ctx, func(r *e.Object) bool { return r.Str("clientId") == clientID }), nil
}

func appTokenHandlers() map[string]e.Handler {
	return map[string]e.Handler{
		"listOAuth2TokensForApplication": func(ctx *e.Ctx) (*e.Result, error) {
			base, entries, err := appRefreshTokens(ctx)
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
		"getOAuth2TokenForApplication": func(ctx *e.Ctx) (*e.Result, error) {
			base, entries, err := appRefreshTokens(ctx)
			if err != nil {
				return nil, err
			}
			entry, err := pickRefreshToken(entries, ctx.Params["tokenId"])
			if err != nil {
				return nil, err
			}
			return ok(managedRefreshTokenJSON(ctx, entry, base+"/"+ctx.Params["tokenId"], expandsScope(ctx)))
		},
		"revokeOAuth2TokenForApplication": func(ctx *e.Ctx) (*e.Result, error) {
			_, entries, err := appRefreshTokens(ctx)
			if err != nil {
				return nil, err
			}
			entry, err := pickRefreshToken(entries, ctx.Params["tokenId"])
			if err != nil {
				return nil, err
			}
			revokeIssued(ctx, entry.value)
			return e.NoContent(), nil
		},
		"revokeOAuth2TokensForApplication": func(ctx *e.Ctx) (*e.Result, error) {
			_, entries, err := appRefreshTokens(ctx)
			if err != nil {
				return nil, err
			}
			for _, entry := range entries {
				revokeIssued(ctx, entry.value)
			}
			return e.NoContent(), nil
		},
	}
}
