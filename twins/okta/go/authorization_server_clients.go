package main

import (
	"crypto/sha256"
	"strings"

	e "twinverse/twins/goengine"
)

// A custom authorization server's clients and the refresh tokens they hold (tag AuthorizationServerClients;
// twins/okta/api/app-tokens.ts and model/app-tokens.ts). Revoking a refresh token also revokes the access tokens
// issued with it.

const refreshIDAlphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

// managedRefreshTokenID is the id under which the Management API shows a refresh token (`oar…`): a hash of the
// token, so that the token itself is never shown and every read names it alike.
func managedRefreshTokenID(value string) string {
	digest := sha256.Sum256([]byte(value))
	var b strings.Builder
	b.WriteString("oar")
	for i := 0; i < 17; i++ {
		b.WriteByte(refreshIDAlphabet[int(digest[i])%62])
	}
	return b.String()
}

// liveRefreshToken is a live refresh token and the value it is stored under.
type liveRefreshToken struct {
	value  string
	record *e.Object
}

// liveRefreshTokensWhere are the live refresh tokens that pass the test, in issue order.
func liveRefreshTokensWhere(ctx *e.Ctx, test func(*e.Object) bool) []liveRefreshToken {
	store := ctx.State.Obj("oauth").Obj("tokens")
	var out []liveRefreshToken
	for _, value := range store.Keys() {
		record := store.Obj(value)
		if record != nil && record.Str("type") == "refresh_token" && tokenIsLive(ctx, record) && test(record) {
			out = append(out, liveRefreshToken{value, record})
		}
	}
	return out
}

func tokenIssuerOf(ctx *e.Ctx, server string) string {
	if server == orgServerKey {
		return orgBaseURL(ctx)
	}
	return orgBaseURL(ctx) + "/oauth2/" + server
}

// isoOfEpochSeconds is `new Date(seconds * 1000).toISOString()`.
func isoOfEpochSeconds(v any) string {
	seconds, _ := v.(float64)
	return e.ISO(int64(seconds * 1000))
}

// refreshTokenScopeEmbeds are the token's scopes as the server describes them (a scope it no longer has by name only).
func refreshTokenScopeEmbeds(ctx *e.Ctx, server string, names []any) []any {
	scopes := ctx.State.Obj("oauth").Obj("authorizationServers").Obj(server).Arr("scopes")
	out := []any{}
	for _, n := range names {
		var scope *e.Object
		for _, s := range objects(scopes) {
			if get(s, "name") == n {
				scope = s
				break
			}
		}
		out = append(out, e.NewObject("id", orDefault(scope, "id", n), "name", n, "displayName", orDefault(scope, "displayName", n), "description", orDefault(scope, "description", "")))
	}
	return out
}

// managedRefreshTokenJSON is a refresh token as the Management API shows it (OAuth2RefreshToken): who holds it for
// which client and server, its scopes (embedded with `expand=scope`), and links to revoke it and to what it belongs to.
func managedRefreshTokenJSON(ctx *e.Ctx, entry liveRefreshToken, self string, expandScopes bool) *e.Object {
	record := entry.record
	base := orgBaseURL(ctx)
	clientID := record.Str("clientId")
	server := record.Str("server")
	app := findOIDCApp(ctx.State, clientID)
	var user *e.Object
	if userID, _ := get(record, "userId").(string); userID != "" {
		user = ctx.State.Obj("users").Obj(userID)
	}
	created := isoOfEpochSeconds(get(record, "issuedAt"))
	scopes, _ := e.Clone(get(record, "scopes")).([]any)
	if scopes == nil {
		scopes = []any{}
	}
	out := e.NewObject("id", managedRefreshTokenID(entry.value), "status", "ACTIVE", "created", created, "lastUpdated", created,
		"expiresAt", isoOfEpochSeconds(get(record, "expiresAt")), "issuer", tokenIssuerOf(ctx, server), "clientId", clientID,
		"userId", orDefault(record, "userId", ""), "scopes", scopes)
	if expandScopes {
		out.Set("_embedded", e.NewObject("scopes", refreshTokenScopeEmbeds(ctx, server, scopes)))
	}
	title := jsString(orDefault(app, "label", clientID))
	links := e.NewObject(
		"app", e.NewObject("href", base+"/api/v1/apps/"+jsString(orDefault(app, "id", clientID)), "title", title),
		"self", e.NewObject("href", self),
		"revoke", hintedLink(self, "DELETE"),
		"client", e.NewObject("href", base+"/oauth2/v1/clients/"+clientID, "title", title),
	)
	if user != nil {
		var names []string
		for _, k := range []string{"firstName", "lastName"} {
			if v := get(user.Obj("profile"), k); truthy(v) {
				names = append(names, jsString(v))
			}
		}
		links.Set("user", e.NewObject("href", base+"/api/v1/users/"+user.Str("id"), "title", strings.Join(names, " ")))
	}
	serverHref := tokenIssuerOf(ctx, orgServerKey)
	if server != orgServerKey {
		serverHref = base + "/api/v1/authorizationServers/" + server
	}
	links.Set("authorizationServer", e.NewObject("href", serverHref, "title", orDefault(ctx.State.Obj("oauth").Obj("authorizationServers").Obj(server), "name", "Okta")))
	out.Set("_links", links)
	return out
}

// expandsScope: `expand` names `scope` among its comma-separated expansions.
func expandsScope(ctx *e.Ctx) bool {
	expand, _ := qString(ctx, "expand")
	for _, part := range strings.Split(expand, ",") {
		if jsTrim(part) == "scope" {
			return true
		}
	}
	return false
}

// serverClientTokens are the live refresh tokens the server issued to the client, and where they are listed.
func serverClientTokens(ctx *e.Ctx) (string, []liveRefreshToken, error) {
	server, err := requireCustomServer(ctx)
	if err != nil {
		return "", nil, err
	}
	id, clientID := server.Str("id"), ctx.Params["clientId"]
	entries := liveRefreshTokensWhere(ctx, func(r *e.Object) bool { return r.Str("server") == id && r.Str("clientId") == clientID })
	return ctx.BaseURL + "/api/v1/authorizationServers/" + id + "/clients/" + clientID + "/tokens", entries, nil
}

func pickRefreshToken(entries []liveRefreshToken, tokenID string) (liveRefreshToken, error) {
	for _, entry := range entries {
		if managedRefreshTokenID(entry.value) == tokenID {
			return entry, nil
		}
	}
	return liveRefreshToken{}, notFound(tokenID, "OAuth2RefreshToken")
}

// refreshTokenHandlers are the four operations on a holder's refresh tokens (list, get, revoke one, revoke all), named
// as the holder's tag names them; tokens finds the holder's live refresh tokens and where they are listed. A server's
// client, a user's client and an app show and revoke their tokens alike.
func refreshTokenHandlers(tokens func(*e.Ctx) (string, []liveRefreshToken, error), list, get, revoke, revokeAll string) map[string]e.Handler {
	return map[string]e.Handler{
		list: func(ctx *e.Ctx) (*e.Result, error) {
			base, entries, err := tokens(ctx)
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
		get: func(ctx *e.Ctx) (*e.Result, error) {
			base, entries, err := tokens(ctx)
			if err != nil {
				return nil, err
			}
			entry, err := pickRefreshToken(entries, ctx.Params["tokenId"])
			if err != nil {
				return nil, err
			}
			return ok(managedRefreshTokenJSON(ctx, entry, base+"/"+ctx.Params["tokenId"], expandsScope(ctx)))
		},
		revoke: func(ctx *e.Ctx) (*e.Result, error) {
			_, entries, err := tokens(ctx)
			if err != nil {
				return nil, err
			}
			entry, err := pickRefreshToken(entries, ctx.Params["tokenId"])
			if err != nil {
				return nil, err
			}
			return revokeRefreshTokens(ctx, []liveRefreshToken{entry})
		},
		revokeAll: func(ctx *e.Ctx) (*e.Result, error) {
			_, entries, err := tokens(ctx)
			if err != nil {
				return nil, err
			}
			return revokeRefreshTokens(ctx, entries)
		},
	}
}

// revokeRefreshTokens revokes each token and the access tokens issued with it.
func revokeRefreshTokens(ctx *e.Ctx, entries []liveRefreshToken) (*e.Result, error) {
	for _, entry := range entries {
		revokeIssued(ctx, entry.value)
	}
	return e.NoContent(), nil
}

// tokenClientsJSON are the clients that hold the tokens, each once in the order of its first token, with links to
// their grants and tokens under base.
func tokenClientsJSON(ctx *e.Ctx, entries []liveRefreshToken, base string) []any {
	var clientIDs []string
	for _, entry := range entries {
		if c := entry.record.Str("clientId"); !contains(clientIDs, c) {
			clientIDs = append(clientIDs, c)
		}
	}
	out := []any{}
	for _, clientID := range clientIDs {
		app := findOIDCApp(ctx.State, clientID)
		settings := app.Obj("settings").Obj("oauthClient")
		out = append(out, e.NewObject("client_id", clientID, "client_name", jsString(orDefault(app, "label", clientID)),
			"client_uri", e.Clone(orDefault(settings, "client_uri", nil)), "logo_uri", e.Clone(orDefault(settings, "logo_uri", nil)),
			"_links", e.NewObject("grants", e.NewObject("href", base+"/"+clientID+"/grants"), "tokens", e.NewObject("href", base+"/"+clientID+"/tokens"))))
	}
	return out
}

func serverClientTokenHandlers() map[string]e.Handler {
	handlers := refreshTokenHandlers(serverClientTokens, "listRefreshTokensForAuthorizationServerAndClient", "getRefreshTokenForAuthorizationServerAndClient",
		"revokeRefreshTokenForAuthorizationServerAndClient", "revokeRefreshTokensForAuthorizationServerAndClient")
	handlers["listOAuth2ClientsForAuthorizationServer"] = func(ctx *e.Ctx) (*e.Result, error) {
		server, err := requireCustomServer(ctx)
		if err != nil {
			return nil, err
		}
		id := server.Str("id")
		entries := liveRefreshTokensWhere(ctx, func(r *e.Object) bool { return r.Str("server") == id })
		return ok(tokenClientsJSON(ctx, entries, ctx.BaseURL+"/api/v1/authorizationServers/"+id+"/clients"))
	}
	return handlers
}
