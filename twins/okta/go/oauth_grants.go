package main

import (
	"crypto/sha256"
	"math"
	"regexp"
	"strings"

	e "twinverse/twins/goengine"
)

// The token endpoint (twins/okta/model/oauth-grants.ts).

var emulatedGrants = []string{"authorization_code", "client_credentials", "password", "refresh_token"}

// pkceValue is RFC 7636's syntax of a verifier or challenge: 43 to 128 unreserved characters.
var pkceValue = regexp.MustCompile(`^[A-Za-z0-9\-._~]{43,128}$`)

// verifyPKCEVerifier: the verifier is well-formed and its S256 challenge is the stored one.
func verifyPKCEVerifier(verifier string, challenge any) bool {
	c, isStr := challenge.(string)
	if verifier == "" || !isStr || c == "" || !pkceValue.MatchString(verifier) {
		return false
	}
	sum := sha256.Sum256([]byte(verifier))
	return b64.EncodeToString(sum[:]) == c
}

func oauthTokenResponse(body *e.Object) *e.Result {
	// RFC 6749 §5.1: token responses must not be cached.
	return &e.Result{Status: 200, Headers: e.Headers{"cache-control": {"no-store"}, "pragma": {"no-cache"}}, Body: body}
}

// mintGrantTokens is the token response for a grant: an access token, a refresh token with offline_access, an ID
// token with openid. The server's access policies decide first whether the grant may have tokens, and for how long.
func mintGrantTokens(ctx *e.Ctx, g *tokenGrant, reuse string, refreshAllowed bool, grantType string) (*e.Result, error) {
	if g.lifetimes == nil {
		l, err := accessRuleOrRefuse(ctx.State, g.server.key, g.clientID, g.user, grantType, g.scopes)
		if err != nil {
			return nil, err
		}
		g.lifetimes = l
	}
	patch, err := runTokenHook(ctx, g, grantType)
	if err != nil {
		return nil, err
	}
	g.hookPatch = patch
	refreshToken := reuse
	if reuse == "" && refreshAllowed && g.user != nil && contains(g.scopes, "offline_access") {
		refreshToken = mintRefreshToken(ctx, g, nil)
	}
	if refreshToken != "" {
		bindDPoPRefreshToken(ctx, g.clientID, refreshToken, g.dpopJkt)
	}
	var refreshRef any
	if refreshToken != "" {
		refreshRef = refreshToken
	}
	accessToken, err := mintAccessToken(ctx, g, refreshRef)
	if err != nil {
		return nil, err
	}
	idToken := ""
	if g.user != nil && contains(g.scopes, "openid") {
		if idToken, err = mintIDToken(ctx, g, idTokenOptions{accessToken: accessToken}); err != nil {
			return nil, err
		}
	}
	logged := refreshToken
	if reuse != "" {
		logged = ""
	}
	logOAuthTokenGrant(ctx, tokenGrantEvent{server: g.server, clientID: g.clientID, user: g.user, grantType: grantType, scopes: g.scopes, accessToken: accessToken, idToken: idToken, refreshToken: logged})
	// RFC 9449 §5: a token bound to the proof's key is a DPoP token.
	tokenType := "Bearer"
	if g.dpopJkt != "" {
		tokenType = "DPoP"
	}
	out := e.NewObject("token_type", tokenType, "expires_in", g.accessLifetime(), "access_token", accessToken, "scope", strings.Join(g.scopes, " "))
	if refreshToken != "" {
		out.Set("refresh_token", refreshToken)
	}
	if idToken != "" {
		out.Set("id_token", idToken)
	}
	return oauthTokenResponse(out), nil
}

func clientMayRefresh(client *authedClient) bool {
	return contains(clientGrantTypes(client.app), "refresh_token")
}

func formText(ctx *e.Ctx, name string) string {
	v, _ := formField(body(ctx), name)
	return v
}

// clientCredentialsGrant: tokens for the client itself. The org server requires private_key_jwt and grants only Okta
// API scopes; a custom server grants its own scopes, or its default ones.
func clientCredentialsGrant(ctx *e.Ctx, server *authServer, client *authedClient) (*e.Result, error) {
	if !server.custom && client.method != "private_key_jwt" {
		return nil, oauthInvalidClient("Client Credentials requests to the Org Authorization Server must use the private_key_jwt token_endpoint_auth_method.")
	}
	scopes := parseScopeList(formText(ctx, "scope"))
	if len(scopes) == 0 {
		if !server.custom {
			return nil, oauthInvalidScope("No scopes were requested.")
		}
		scopes = server.defaultScopes()
		if len(scopes) == 0 {
			return nil, oauthInvalidScope("The authorization server resource does not have any configured default scopes, 'scope' must be provided.")
		}
	}
	if anyString(scopes, func(s string) bool { return contains(userScopes, s) }) {
		return nil, oauthInvalidScope("Cannot request 'openid' scopes using client credentials.")
	}
	if !server.custom && anyString(scopes, func(s string) bool { return !isOktaNamespaceScope(s) }) {
		return nil, oauthInvalidScope("Custom scopes are not allowed for this request.")
	}
	if problem := firstRefusal(unknownScopeRefusal(server, scopes), ungrantedOktaScopes(ctx.State, server, client.app, scopes)); problem != "" {
		return nil, oauthInvalidScope(problem)
	}
	return mintGrantTokens(ctx, &tokenGrant{server: server, clientID: client.clientID, scopes: scopes, dpopJkt: client.dpopKey}, "", false, "client_credentials")
}

func firstRefusal(problems ...string) string {
	for _, p := range problems {
		if p != "" {
			return p
		}
	}
	return ""
}

func authorizationCodeGrant(ctx *e.Ctx, server *authServer, client *authedClient) (*e.Result, error) {
	form := body(ctx)
	code, _ := formField(form, "code")
	if code == "" {
		return nil, oauthInvalidRequest("The `code` parameter is required.")
	}
	codes := ctx.Ensure(ctx.State.Obj("oauth"), "codes")
	record := codes.Obj(code)
	invalidCode := newOAuthError(400, "invalid_grant", "The authorization code is invalid or has expired.")
	if record == nil || record.Str("server") != server.key {
		return nil, invalidCode
	}
	// A code is good for one attempt, successful or not.
	ctx.Delete(codes, code)
	if expires, _ := numClaim(record, "expiresAt"); expires <= twinEpochSeconds(ctx) {
		return nil, invalidCode
	}
	if record.Str("clientId") != client.clientID {
		return nil, newOAuthError(400, "invalid_grant", "The grant was issued to another client. Ensure that the `client_id` matches the one used at the authorize request.")
	}
	if redirect, sent := formField(form, "redirect_uri"); !sent || redirect != record.Str("redirectUri") {
		return nil, newOAuthError(400, "invalid_grant", "The 'redirect_uri' does not match the redirection URI used in the authorization request.")
	}
	// Okta takes only S256 challenges, so a stored challenge is always one.
	challenge := get(record, "codeChallenge")
	verifier, sentVerifier := formField(form, "code_verifier")
	if (challenge != nil || sentVerifier) && !verifyPKCEVerifier(verifier, challenge) {
		return nil, newOAuthError(400, "invalid_grant", "PKCE verification failed.")
	}
	user := ctx.State.Obj("users").Obj(record.Str("userId"))
	if user == nil || user.Str("status") != "ACTIVE" {
		return nil, invalidCode
	}
	g := &tokenGrant{server: server, clientID: client.clientID, user: user, scopes: strings_(record.Arr("scopes")), authTime: get(record, "authTime"), nonce: get(record, "nonce"), dpopJkt: client.dpopKey}
	return mintGrantTokens(ctx, g, "", clientMayRefresh(client), "authorization_code")
}

// lockoutThreshold is the password policy's lockout threshold for the user (10 by default, 0 for none).
func lockoutThreshold(state *e.Object, user *e.Object) float64 {
	groups := groupIDsOf(state, user.Str("id"))
	for _, p := range policiesOfType(state, "PASSWORD") {
		if p.Str("status") == "ACTIVE" && peopleMatch(p.Obj("conditions"), user.Str("id"), groups) {
			if v, isNum := numClaim(p.Obj("settings").Obj("password").Obj("lockout"), "maxAttempts"); isNum {
				return v
			}
			break
		}
	}
	return 10
}

// countFailure counts a wrong password toward the password policy's lockout, as /api/v1/authn does.
func countFailure(ctx *e.Ctx, user *e.Object) {
	failures := ctx.Ensure(ctx.State, "signInFailures")
	id := user.Str("id")
	n, _ := numClaim(failures, id)
	ctx.Set(failures, id, n+1)
	logOAuthEvent(ctx, logInput{eventType: "user.session.start", displayMessage: "User login to Okta"},
		oauthLog{actor: userTarget(user), legacyEventType: "core.user_auth.login_failed", outcome: e.NewObject("result", "FAILURE", "reason", "INVALID_CREDENTIALS")})
	max := lockoutThreshold(ctx.State, user)
	if max > 0 && n+1 >= max && user.Str("status") == "ACTIVE" {
		setStatus(ctx, user, "LOCKED_OUT")
		ctx.Delete(failures, id)
		logOAuthEvent(ctx, logInput{eventType: "user.account.lock", displayMessage: "Max sign in attempts exceeded", target: []*e.Object{userTarget(user)}},
			oauthLog{actor: userTarget(user), outcome: e.NewObject("result", "FAILURE", "reason", "LOCKED_OUT")})
	}
}

func clearFailures(ctx *e.Ctx, user *e.Object) {
	if failures := ctx.State.Obj("signInFailures"); failures != nil {
		ctx.Delete(failures, user.Str("id"))
	}
}

// assignedToApp: the user is assigned to the app directly or through one of their groups.
func assignedToApp(state *e.Object, app *e.Object, userID string) bool {
	appID := app.Str("id")
	if state.Obj("appUsers").Obj(appID).Has(userID) && get(state.Obj("appUsers").Obj(appID), userID) != nil {
		return true
	}
	for _, groupID := range state.Obj("appGroups").Obj(appID).Keys() {
		if isMember(state, groupID, userID) {
			return true
		}
	}
	return false
}

// passwordGrant: the resource owner's own credentials, checked against the twin-only stored password.
func passwordGrant(ctx *e.Ctx, server *authServer, client *authedClient) (*e.Result, error) {
	form := body(ctx)
	username, _ := formField(form, "username")
	if username == "" {
		return nil, oauthInvalidRequest("The `username` parameter is required.")
	}
	secret, sent := formField(form, "password")
	if !sent {
		return nil, oauthInvalidRequest("The `password` parameter is required.")
	}
	scopes := parseScopeList(formText(ctx, "scope"))
	if len(scopes) == 0 {
		if !server.custom || len(server.defaultScopes()) == 0 {
			return nil, oauthInvalidScope("The authorization server resource does not have any configured default scopes, 'scope' must be provided.")
		}
		scopes = server.defaultScopes()
	}
	if problem := firstRefusal(unknownScopeRefusal(server, scopes), ungrantedOktaScopes(ctx.State, server, client.app, scopes)); problem != "" {
		return nil, oauthInvalidScope(problem)
	}
	if !contains(scopes, "openid") && anyString(scopes, func(s string) bool { return contains(claimScopes, s) }) {
		return nil, newOAuthError(403, "access_denied", needOpenID)
	}
	user := userByLogin(ctx, username)
	stored, hasPassword := get(user, "password").(string)
	if user == nil || user.Str("status") != "ACTIVE" || !hasPassword || stored != secret {
		// A wrong password counts toward the password policy's lockout, as at /api/v1/authn.
		if user != nil && user.Str("status") == "ACTIVE" && hasPassword {
			countFailure(ctx, user)
		}
		return nil, newOAuthError(400, "invalid_grant", "The credentials provided were invalid.")
	}
	clearFailures(ctx, user)
	if !assignedToApp(ctx.State, client.app, user.Str("id")) {
		return nil, newOAuthError(403, "access_denied", "User is not assigned to the client application.")
	}
	now := twinEpochSeconds(ctx)
	ctx.Set(user, "lastLogin", ctx.Now())
	return mintGrantTokens(ctx, &tokenGrant{server: server, clientID: client.clientID, user: user, scopes: scopes, authTime: now, dpopJkt: client.dpopKey}, "", clientMayRefresh(client), "password")
}

// refreshTokenGrant: new tokens for the same or fewer scopes. A ROTATE client gets a new refresh token and the old one
// keeps working for the app's leeway (30 s by default); a STATIC one keeps its token, whose idle expiry restarts.
func refreshTokenGrant(ctx *e.Ctx, server *authServer, client *authedClient) (*e.Result, error) {
	presented := formText(ctx, "refresh_token")
	if presented == "" {
		return nil, oauthInvalidRequest("The `refresh_token` parameter is required.")
	}
	record := ctx.State.Obj("oauth").Obj("tokens").Obj(presented)
	invalid := newOAuthError(400, "invalid_grant", "The refresh token is invalid or expired.")
	if !tokenIsLive(ctx, record) || record.Str("type") != "refresh_token" || record.Str("server") != server.key || record.Str("clientId") != client.clientID {
		return nil, invalid
	}
	userID, _ := get(record, "userId").(string)
	user := ctx.State.Obj("users").Obj(userID)
	if userID == "" || user == nil || user.Str("status") != "ACTIVE" {
		return nil, invalid
	}
	if err := checkDPoPRefreshBinding(ctx, presented, client.dpopKey); err != nil {
		return nil, err
	}
	granted := strings_(record.Arr("scopes"))
	requested := parseScopeList(formText(ctx, "scope"))
	if anyString(requested, func(s string) bool { return !contains(granted, s) }) {
		return nil, oauthInvalidScope("The requested scope is invalid, unknown, or malformed.")
	}
	now := twinEpochSeconds(ctx)
	scopes := granted
	if len(requested) > 0 {
		scopes = requested
	}
	lifetimes, err := accessRuleOrRefuse(ctx.State, server.key, client.clientID, user, "refresh_token", scopes)
	if err != nil {
		return nil, err
	}
	// The rule's refresh token lifetime counts from the first issue; a rotated token keeps the deadline.
	deadline, hasDeadline := get(ctx.State.Obj("oauth").Obj("refreshTokenDeadlines"), presented).(float64)
	settings := oidcSettings(client.app).Obj("refresh_token")
	current := presented
	expires, _ := numClaim(record, "expiresAt")
	if settings.Str("rotation_type") == "ROTATE" {
		var limit any
		if hasDeadline {
			limit = deadline
		}
		current = mintRefreshToken(ctx, &tokenGrant{server: server, clientID: client.clientID, user: user, scopes: granted, authTime: get(record, "authTime"), lifetimes: lifetimes}, limit)
		leeway, isNum := numClaim(settings, "leeway")
		if !isNum {
			leeway = 30
		}
		ctx.Set(record, "expiresAt", math.Min(expires, now+leeway))
	} else {
		until := now + lifetimes.refreshTokenWindow
		if hasDeadline {
			until = math.Min(until, deadline)
		}
		ctx.Set(record, "expiresAt", until)
	}
	return mintGrantTokens(ctx, &tokenGrant{server: server, clientID: client.clientID, user: user, scopes: scopes, authTime: get(record, "authTime"), lifetimes: lifetimes, dpopJkt: client.dpopKey}, current, true, "refresh_token")
}

// oauthTokenEndpoint is POST /oauth2/v1/token and /oauth2/{authorizationServerId}/v1/token.
func oauthTokenEndpoint(ctx *e.Ctx) (*e.Result, error) {
	server, err := addressedServer(ctx)
	if err != nil {
		return nil, err
	}
	grantType := formText(ctx, "grant_type")
	if grantType == "" {
		return nil, oauthInvalidRequest("The `grant_type` parameter is required.")
	}
	// Grants Okta has but the twin does not emulate (device code, SAML and JWT bearer, token exchange) are unsupported.
	if !contains(emulatedGrants, grantType) {
		return nil, newOAuthError(400, "unsupported_grant_type", "The grant type in the request isn't supported.")
	}
	client, err := authenticateOAuthClient(ctx, server, "token")
	if err != nil {
		return nil, err
	}
	allowed := clientGrantTypes(client.app)
	if !contains(allowed, grantType) {
		return nil, newOAuthError(400, "unauthorized_client", "The client is not authorized to use the provided grant type. Configured grant types: ["+strings.Join(allowed, ", ")+"].")
	}
	if client.dpopKey, err = bindDPoPTokenRequest(ctx, server, client.app); err != nil {
		return nil, err
	}
	switch grantType {
	case "client_credentials":
		return clientCredentialsGrant(ctx, server, client)
	case "authorization_code":
		return authorizationCodeGrant(ctx, server, client)
	case "password":
		return passwordGrant(ctx, server, client)
	}
	return refreshTokenGrant(ctx, server, client)
}
