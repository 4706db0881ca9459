package main

import (
	"net/url"
	"regexp"
	"strings"

	e "twinverse/twins/goengine"
)

// The OAuth 2.0 and OpenID Connect endpoints of the org authorization server (/oauth2/v1) and the custom ones
// (/oauth2/{authorizationServerId}/v1), as twins/okta/api/oauth.ts serves them.

// refuseUnknownDiscoveryClient is Okta's answer for a discovery request naming an unknown client: its error envelope.
func refuseUnknownDiscoveryClient(ctx *e.Ctx) *e.Result {
	clientID, named := qString(ctx, "client_id")
	if !named || findOIDCApp(ctx.State, clientID) != nil {
		return nil
	}
	return &e.Result{Status: 400, Headers: e.Headers{}, Body: e.NewObject(
		"errorCode", "invalid_client", "errorSummary", "Invalid value for 'client_id' parameter.", "errorLink", "invalid_client",
		"errorId", "oae"+mintOpaqueToken(ctx, 22), "errorCauses", []any{})}
}

func oauthDiscovery(oidc bool) e.Handler {
	return func(ctx *e.Ctx) (*e.Result, error) {
		server, err := addressedServer(ctx)
		if err != nil {
			return nil, err
		}
		if refused := refuseUnknownDiscoveryClient(ctx); refused != nil {
			return refused, nil
		}
		return e.OK(oauthDiscoveryDocument(server, oidc)), nil
	}
}

// oauthKeySet serves the public halves of the server's keys (its NEXT and EXPIRED ones too, so clients that cache the set
// keep verifying across a rotation).
func oauthKeySet(ctx *e.Ctx) (*e.Result, error) {
	server, err := addressedServer(ctx)
	if err != nil {
		return nil, err
	}
	list := []any{}
	for _, k := range signingKeysOf(ctx.State, server.key) {
		list = append(list, publicSigningJWK(k))
	}
	// Okta lets clients cache its key sets; it rotates keys well ahead of use.
	return &e.Result{Status: 200, Headers: e.Headers{"cache-control": {"max-age=3600, must-revalidate"}}, Body: e.NewObject("keys", list)}, nil
}

func requiredTokenParam(ctx *e.Ctx) (string, error) {
	token := formText(ctx, "token")
	if token == "" {
		return "", oauthInvalidRequest("The `token` parameter is required.")
	}
	return token, nil
}

func looksLikeJWT(token string) bool { return len(strings.Split(token, ".")) == 3 }

// oauthIntrospect: {active:false} for anything not live on this server. Any authenticated client may introspect the
// server's access tokens; refresh tokens only the client they were issued to.
func oauthIntrospect(ctx *e.Ctx) (*e.Result, error) {
	server, err := addressedServer(ctx)
	if err != nil {
		return nil, err
	}
	client, err := authenticateOAuthClient(ctx, server, "introspect")
	if err != nil {
		return nil, err
	}
	token, err := requiredTokenParam(ctx)
	if err != nil {
		return nil, err
	}
	inactive := e.OK(e.NewObject("active", false))
	users := ctx.State.Obj("users")
	if looksLikeJWT(token) {
		claims := verifyLiveTwinJWT(ctx, token)
		jti, isStr := get(claims, "jti").(string)
		if claims == nil || get(claims, "iss") != server.issuer || !isStr {
			return inactive, nil
		}
		if strings.HasPrefix(jti, "ID.") {
			return e.OK(e.NewObject("active", true, "token_type", "Bearer", "client_id", get(claims, "aud"), "exp", get(claims, "exp"), "iat", get(claims, "iat"),
				"sub", get(claims, "sub"), "aud", get(claims, "aud"), "iss", get(claims, "iss"), "jti", jti)), nil
		}
		claims, record := liveAccessTokenOf(ctx, server, token)
		if claims == nil {
			return inactive, nil
		}
		user := users.Obj(jsStringOr(get(record, "userId"), ""))
		out := e.NewObject("active", true, "scope", strings.Join(strings_(record.Arr("scopes")), " "))
		if user != nil {
			out.Set("username", get(user.Obj("profile"), "login"))
		}
		for _, k := range []string{"exp", "iat", "sub", "aud", "iss", "jti"} {
			out.Set(k, get(claims, k))
		}
		// RFC 9449 §6.2: introspection shows a bound token as DPoP, with its confirmation.
		cnf, bound := claims.Get("cnf")
		if bound && truthy(cnf) {
			out.Set("token_type", "DPoP")
		} else {
			out.Set("token_type", "Bearer")
		}
		out.Set("client_id", get(record, "clientId"))
		if user != nil {
			out.Set("uid", user.Str("id"))
		}
		if bound && truthy(cnf) {
			out.Set("cnf", cnf)
		}
		// Okta's /introspect reference: besides these members, the answer carries the claims in the token, so a custom
		// server's claims (and those a token hook added) come back too (IntrospectionResponse takes additional properties).
		for _, name := range claims.Keys() {
			if !contains(reservedClaimNames, name) && !out.Has(name) {
				out.Set(name, get(claims, name))
			}
		}
		return e.OK(out), nil
	}
	record := ctx.State.Obj("oauth").Obj("tokens").Obj(token)
	if !tokenIsLive(ctx, record) || record.Str("type") != "refresh_token" || record.Str("server") != server.key || record.Str("clientId") != client.clientID {
		return inactive, nil
	}
	user := users.Obj(jsStringOr(get(record, "userId"), ""))
	out := e.NewObject("active", true, "token_type", "Bearer", "scope", strings.Join(strings_(record.Arr("scopes")), " "), "client_id", get(record, "clientId"))
	if user != nil {
		out.Set("username", get(user.Obj("profile"), "login"))
	}
	out.Set("exp", get(record, "expiresAt"))
	out.Set("iat", get(record, "issuedAt"))
	if user != nil {
		out.Set("sub", get(user.Obj("profile"), "login"))
		out.Set("uid", user.Str("id"))
	} else {
		out.Set("sub", get(record, "clientId"))
	}
	return e.OK(out), nil
}

// oauthRevoke: always 200 with no body, so nothing leaks. Only the issuing client can revoke a token; revoking a
// refresh token also revokes the access tokens issued with it.
func oauthRevoke(ctx *e.Ctx) (*e.Result, error) {
	server, err := addressedServer(ctx)
	if err != nil {
		return nil, err
	}
	client, err := authenticateOAuthClient(ctx, server, "revoke")
	if err != nil {
		return nil, err
	}
	token, err := requiredTokenParam(ctx)
	if err != nil {
		return nil, err
	}
	key, known := token, true
	if looksLikeJWT(token) {
		claims := verifyTwinSignature(ctx, token)
		jti, isStr := get(claims, "jti").(string)
		key, known = jti, claims != nil && isStr && get(claims, "iss") == server.issuer
	}
	var record *e.Object
	if known {
		record = issuedTokenRecord(ctx, key, token)
	}
	if record != nil && record.Str("server") == server.key && record.Str("clientId") == client.clientID {
		revokeIssued(ctx, key)
		family := "app.oauth2.token.revoke"
		if server.custom {
			family = "app.oauth2.as.token.revoke"
		}
		label := jsString(get(client.app, "label"))
		targetID := key
		if key == token {
			targetID = "unknown"
		}
		target := e.NewObject("id", targetID, "type", record.Str("type"), "alternateId", server.key, "displayName", record.Str("type"))
		logOAuthEvent(ctx, logInput{eventType: family, displayMessage: "OAuth2 token revocation request", target: []*e.Object{target, appTarget(client.app)}},
			oauthLog{actor: e.NewObject("id", client.clientID, "type", "PublicClientApp", "alternateId", label, "displayName", label), clientID: client.clientID})
	}
	return &e.Result{Status: 200, Headers: e.Headers{}, NoBody: true}, nil
}

func oauthBearerChallenge(server *authServer, code, description string) string {
	return `Bearer authorization_uri="` + server.endpoints + `/authorize", realm="` + server.issuer + `", scope="openid", error="` + code + `", error_description="` + description + `"`
}

func oauthDPoPChallenge(code, description string) string {
	return `DPoP algs="` + strings.Join(dpopAlgs, " ") + `", error="` + code + `", error_description="` + description + `"`
}

// accessTokenHeader is /^\s*(bearer|dpop)\s+(\S+)\s*$/i as JavaScript reads it (see basicHeader).
var accessTokenHeader = regexp.MustCompile(`^[` + jsSpace + `]*([Bb][Ee][Aa][Rr][Ee][Rr]|[Dd][Pp][Oo][Pp])[` + jsSpace + `]+([^` + jsSpace + `]+)[` + jsSpace + `]*$`)

func challengeResult(status int, challenge string) *e.Result {
	return &e.Result{Status: status, Headers: e.Headers{"www-authenticate": {challenge}}, NoBody: true}
}

// oauthUserinfo: the user's claims for the token's scopes. Failures carry no body, only a WWW-Authenticate challenge.
func oauthUserinfo(ctx *e.Ctx) (*e.Result, error) {
	server, err := addressedServer(ctx)
	if err != nil {
		return nil, err
	}
	match := accessTokenHeader.FindStringSubmatch(ctx.Headers["authorization"])
	if match == nil {
		return challengeResult(401, oauthBearerChallenge(server, "invalid_request", "The access token is missing.")), nil
	}
	dpop := jsLower(match[1]) == "dpop"
	claims, record := liveAccessTokenOf(ctx, server, match[2])
	invalid := challengeResult(401, oauthBearerChallenge(server, "invalid_token", "The access token is invalid."))
	if claims == nil {
		return invalid, nil
	}
	_, bound := get(claims.Obj("cnf"), "jkt").(string)
	if dpop != bound {
		if dpop {
			return challengeResult(401, oauthBearerChallenge(server, "invalid_token", "The access token is not DPoP-bound: send it as a Bearer token.")), nil
		}
		return challengeResult(401, oauthDPoPChallenge("invalid_token", "The access token is DPoP-bound: send it with the DPoP scheme and a DPoP proof.")), nil
	}
	if dpop {
		proven, err := checkDPoPProofOf(ctx, server.key, dpopExpectations{method: ctx.Request.Method, url: server.endpoints + "/userinfo", accessToken: match[2], atResource: true})
		if err != nil {
			return nil, err
		}
		if jkt, _ := get(claims.Obj("cnf"), "jkt").(string); proven != jkt {
			return nil, invalidDPoPProof("The DPoP proof key does not match the key the access token is bound to.")
		}
	}
	if !contains(strings_(record.Arr("scopes")), "openid") {
		return challengeResult(403, oauthBearerChallenge(server, "insufficient_scope", "The access token must provide access to at least one of these scopes - profile, email, address or phone")), nil
	}
	userID, _ := get(record, "userId").(string)
	user := ctx.State.Obj("users").Obj(userID)
	if userID == "" || user == nil || user.Str("status") != "ACTIVE" {
		return invalid, nil
	}
	scopes := strings_(record.Arr("scopes"))
	// A custom server's IDENTITY claims show here too, those kept out of the ID token included.
	out := serverCustomClaims(ctx, server.key, "IDENTITY", user, scopes, false)
	standard := oidcUserClaims(ctx, user, scopes, server)
	for _, k := range standard.Keys() {
		out.Set(k, get(standard, k))
	}
	return e.OK(out), nil
}

var specialSchemes = map[string]string{"http": "80", "https": "443", "ws": "80", "wss": "443", "ftp": "21"}

// logoutRedirect is the redirect URI as WHATWG URL serializes it, with `state` set in its query when given.
func logoutRedirect(redirect string, state string, hasState bool) string {
	u, err := url.Parse(redirect)
	if err != nil {
		return redirect
	}
	u.Scheme = strings.ToLower(u.Scheme)
	if port, special := specialSchemes[u.Scheme]; special {
		u.Host = strings.ToLower(u.Host)
		u.Host = strings.TrimSuffix(u.Host, ":"+port)
		if u.Path == "" && u.RawPath == "" {
			u.Path = "/"
		}
	}
	if hasState {
		sp := e.ParseSearch(u.RawQuery)
		sp.Set("state", state)
		u.RawQuery = sp.Encode()
		u.ForceQuery = false
	}
	return u.String()
}

// oauthLogout: the twin keeps no browser session for the OAuth flows, so signing out only checks the request and
// sends the browser on. id_token_hint must be an ID token of this server (expired is fine).
func oauthLogout(ctx *e.Ctx, param authorizeParams) (*e.Result, error) {
	server, err := addressedServer(ctx)
	if err != nil {
		return nil, err
	}
	hint, hasHint := param("id_token_hint")
	var claims *e.Object
	if hasHint {
		// An expired ID token is a fine hint: only its signature is checked.
		claims = verifyTwinSignature(ctx, hint)
	}
	var app *e.Object
	if aud, isStr := get(claims, "aud").(string); claims != nil && get(claims, "iss") == server.issuer && isStr {
		app = activeOIDCApp(ctx.State, aud)
	}
	jti, isStr := get(claims, "jti").(string)
	if claims == nil || app == nil || !isStr || !strings.HasPrefix(jti, "ID.") {
		return nil, oauthInvalidRequest("The 'id_token_hint' parameter is invalid.")
	}
	redirect, hasRedirect := param("post_logout_redirect_uri")
	if !hasRedirect {
		return &e.Result{Status: 200, Headers: e.Headers{}, NoBody: true}, nil
	}
	if !contains(postLogoutRedirects(app), redirect) {
		return nil, oauthInvalidRequest("The 'post_logout_redirect_uri' parameter must be a Logout redirect URI in the client app settings.")
	}
	state, hasState := param("state")
	return &e.Result{Status: 302, Headers: e.Headers{"location": {logoutRedirect(redirect, state, hasState)}}, NoBody: true}, nil
}

// oauthHandlers are the OAuth 2.0 and OpenID Connect operations (tags OrgAS and CustomAS); the org and custom
// servers share handlers.
func oauthHandlers() map[string]e.Handler {
	authorizeGet := func(ctx *e.Ctx) (*e.Result, error) { return authorizeEndpoint(ctx, authorizeQuery(ctx)) }
	authorizePost := func(ctx *e.Ctx) (*e.Result, error) { return authorizeEndpoint(ctx, authorizeForm(ctx)) }
	logoutGet := func(ctx *e.Ctx) (*e.Result, error) { return oauthLogout(ctx, authorizeQuery(ctx)) }
	logoutPost := func(ctx *e.Ctx) (*e.Result, error) { return oauthLogout(ctx, authorizeForm(ctx)) }
	plain := map[string]e.Handler{
		"getWellKnownOpenIDConfiguration":         oauthDiscovery(true),
		"getWellKnownOpenIDConfigurationCustomAS": oauthDiscovery(true),
		"getWellKnownOAuthConfigurationCustomAS":  oauthDiscovery(false),
		"getWellKnownOAuthConfigurationRfc8414":   oauthDiscovery(false),
		"oauthKeys":                               oauthKeySet,
		"oauthKeysCustomAS":                       oauthKeySet,
		"authorize":                               authorizeGet,
		"authorizeCustomAS":                       authorizeGet,
		"authorizeWithPost":                       authorizePost,
		"authorizeCustomASWithPost":               authorizePost,
		"token":                                   oauthTokenEndpoint,
		"tokenCustomAS":                           oauthTokenEndpoint,
		"introspect":                              oauthIntrospect,
		"introspectCustomAS":                      oauthIntrospect,
		"revoke":                                  oauthRevoke,
		"revokeCustomAS":                          oauthRevoke,
		"userinfo":                                oauthUserinfo,
		"userinfoCustomAS":                        oauthUserinfo,
		"logout":                                  logoutGet,
		"logoutCustomAS":                          logoutGet,
		"logoutWithPost":                          logoutPost,
		"logoutCustomASWithPost":                  logoutPost,
	}
	out := make(map[string]e.Handler, len(plain))
	for id, h := range plain {
		out[id] = oauthEndpoint(h)
	}
	return out
}
