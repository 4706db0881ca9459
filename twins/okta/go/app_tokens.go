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
	return refreshTokenHandlers(appRefreshTokens, "listOAuth2TokensForApplication", "getOAuth2TokenForApplication",
		"revokeOAuth2TokenForApplication", "revokeOAuth2TokensForApplication")
}
