package main

import (
	"fmt"
	"net/url"
	"strings"

	e "twinverse/twins/goengine"
)

// The authorize endpoint (twins/okta/model/oauth-authorize.ts).

var responseModes = []string{"query", "fragment", "form_post", "okta_post_message"}

// authorizeParams are the request's parameters: the query string of a GET, the form of a POST.
type authorizeParams func(name string) (string, bool)

func authorizeQuery(ctx *e.Ctx) authorizeParams { return ctx.Search.Get }

func authorizeForm(ctx *e.Ctx) authorizeParams {
	form := body(ctx)
	return func(name string) (string, bool) {
		v, has := form.Get(name)
		if !has || v == nil {
			return "", false
		}
		return jsString(v), true
	}
}

func htmlEscape(value string) string {
	var b strings.Builder
	for _, c := range value {
		if strings.ContainsRune(`&<>"'`, c) {
			fmt.Fprintf(&b, "&#%d;", c)
		} else {
			b.WriteRune(c)
		}
	}
	return b.String()
}

// authzParam is one parameter of an authorization response, in the order it is sent.
type authzParam struct{ name, value string }

func encodeAuthzParams(pairs []authzParam) string {
	sp := e.ParseSearch("")
	for _, p := range pairs {
		sp.Set(p.name, p.value)
	}
	return sp.Encode()
}

// webOrigin is a URL's origin as WHATWG URL serializes it ("null" for schemes without one).
func webOrigin(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "null"
	}
	scheme := strings.ToLower(u.Scheme)
	defaults := map[string]string{"http": "80", "https": "443", "ws": "80", "wss": "443", "ftp": "21"}
	port, special := defaults[scheme]
	if !special {
		return "null"
	}
	host := strings.ToLower(u.Hostname())
	if strings.Contains(host, ":") {
		host = "[" + host + "]"
	}
	if p := u.Port(); p != "" && p != port {
		host += ":" + p
	}
	return scheme + "://" + host
}

// deliverAuthorization sends the authorization response (or error) back to the client as response_mode asks.
func deliverAuthorization(redirectURI, mode string, pairs []authzParam) *e.Result {
	encoded := encodeAuthzParams(pairs)
	switch mode {
	case "query":
		sep := "?"
		if strings.Contains(redirectURI, "?") {
			sep = "&"
		}
		return &e.Result{Status: 302, Headers: e.Headers{"location": {redirectURI + sep + encoded}}, NoBody: true}
	case "fragment":
		return &e.Result{Status: 302, Headers: e.Headers{"location": {redirectURI + "#" + encoded}}, NoBody: true}
	}
	var html string
	if mode == "form_post" {
		var inputs strings.Builder
		for _, p := range pairs {
			fmt.Fprintf(&inputs, `<input type="hidden" name="%s" value="%s"/>`, htmlEscape(p.name), htmlEscape(p.value))
		}
		html = `<html><head><title>Submit This Form</title></head><body onload="javascript:document.forms[0].submit()"><form method="post" action="` + htmlEscape(redirectURI) + `">` + inputs.String() + `</form></body></html>`
	} else {
		message := e.NewObject()
		for _, p := range pairs {
			message.Set(p.name, p.value)
		}
		script := strings.ReplaceAll(string(e.Marshal(message)), "<", `\u003c`)
		html = `<html><head><title>Okta Post Message</title></head><body><script>window.parent.postMessage(` + script + `, ` + string(e.Marshal(webOrigin(redirectURI))) + `);</script></body></html>`
	}
	return &e.Result{Status: 200, Headers: e.Headers{"content-type": {"text/html;charset=utf-8"}}, Body: html}
}

// sidCookieUser is the user of the browser's live Okta session (the `sid` cookie), or nil.
func sidCookieUser(ctx *e.Ctx) *e.Object {
	if session := cookieSession(ctx); session != nil {
		return ctx.State.Obj("users").Obj(session.Str("userId"))
	}
	return nil
}

// authorizeEndpoint is GET and POST /authorize. The twin has no sign-in page: the browser is signed in by its
// Okta session (the `sid` cookie) or by a session token from /api/v1/authn (`sessionToken=`, which opens a session
// and sets the cookie). Failing those, the twin treats login_hint (the login or id of an ACTIVE user) as the
// browser's session and the flow continues at once; without such a user the request fails with login_required.
// An unknown client or an unregistered redirect_uri is answered directly; every other error goes back to the
// redirect_uri, like a successful response.
func authorizeEndpoint(ctx *e.Ctx, param authorizeParams) (*e.Result, error) {
	server, err := addressedServer(ctx)
	if err != nil {
		return nil, err
	}
	clientID, _ := param("client_id")
	app := activeOIDCApp(ctx.State, clientID)
	if app == nil {
		return nil, newOAuthError(400, "invalid_client", invalidClientID)
	}
	redirectURI, _ := param("redirect_uri")
	if redirectURI == "" || !isRegisteredRedirectURI(app, redirectURI) {
		return nil, oauthInvalidRequest("The 'redirect_uri' parameter must be a Login redirect URI in the client app settings.")
	}

	responseTypeParam, _ := param("response_type")
	responseTypes := parseScopeList(responseTypeParam)
	requestedMode, hasMode := param("response_mode")
	mode := "fragment"
	if len(responseTypes) == 1 && responseTypes[0] == "code" {
		mode = "query"
	}
	knownMode := !hasMode || contains(responseModes, requestedMode)
	if knownMode && requestedMode != "" {
		mode = requestedMode
	}
	state, hasState := param("state")
	fail := func(code, description string) (*e.Result, error) {
		pairs := []authzParam{{"error", code}, {"error_description", description}}
		if hasState {
			pairs = append(pairs, authzParam{"state", state})
		}
		return deliverAuthorization(redirectURI, mode, pairs), nil
	}
	if !knownMode {
		return fail("unsupported_response_mode", "The response mode isn't supported by the authorization server. Valid response modes: [`query`, `fragment`, `form_post`, `okta_post_message`].")
	}
	if len(responseTypes) == 0 {
		return fail("invalid_request", "The 'response_type' parameter is required.")
	}
	has := func(t string) bool { return contains(responseTypes, t) }
	notCode := func(t string) bool { return t != "code" }
	if anyString(responseTypes, func(t string) bool { return t != "code" && t != "token" && t != "id_token" }) {
		return fail("unsupported_response_type", "The response type contained in the request isn't supported.")
	}
	if mode == "query" && anyString(responseTypes, notCode) {
		return fail("invalid_request", "The 'query' response mode isn't allowed when the response type includes 'token' or 'id_token'.")
	}
	var neededGrants []string
	if has("code") {
		neededGrants = append(neededGrants, "authorization_code")
	}
	if anyString(responseTypes, notCode) {
		neededGrants = append(neededGrants, "implicit")
	}
	allowedGrants := clientGrantTypes(app)
	if anyString(neededGrants, func(g string) bool { return !contains(allowedGrants, g) }) {
		return fail("unauthorized_client", "The client is not authorized to use the provided grant type. Configured grant types: ["+strings.Join(allowedGrants, ", ")+"].")
	}
	if state == "" {
		return fail("invalid_request", "The authentication request has an invalid 'state' parameter.")
	}

	scopeParam, _ := param("scope")
	scopes := parseScopeList(scopeParam)
	if len(scopes) == 0 {
		return fail("invalid_scope", "The authentication request has an empty 'scope' parameter.")
	}
	if problem := firstRefusal(unknownScopeRefusal(server, scopes), ungrantedOktaScopes(ctx.State, server, app, scopes)); problem != "" {
		return fail("invalid_scope", problem)
	}
	if !contains(scopes, "openid") && (has("id_token") || anyString(scopes, func(s string) bool { return contains(claimScopes, s) })) {
		return fail("access_denied", needOpenID)
	}
	nonce, hasNonce := param("nonce")
	if has("id_token") && nonce == "" {
		return fail("invalid_request", "The 'nonce' parameter is required for implicit and hybrid flows.")
	}

	challenge, hasChallenge := param("code_challenge")
	challengeMethod, hasMethod := param("code_challenge_method")
	// Okta supports only the S256 PKCE method, and a challenge must say so.
	if (hasChallenge || hasMethod) && challengeMethod != "S256" {
		return fail("invalid_request", "The 'code_challenge_method' parameter must be 'S256'.")
	}
	if hasMethod && (challenge == "" || !pkceValue.MatchString(challenge)) {
		return fail("invalid_request", "The 'code_challenge' parameter is invalid.")
	}
	if challenge == "" && has("code") && clientNeedsPKCE(app) {
		if clientAuthMethod(app) == "none" {
			return fail("invalid_request", "PKCE code challenge is required when the token endpoint authentication method is 'NONE'.")
		}
		return fail("invalid_request", "PKCE code challenge is required by the client app settings.")
	}

	sessionToken, hasToken := param("sessionToken")
	browser, cookie := authorizeBrowserUser(ctx, sessionToken, hasToken)
	user := browser
	if hint, _ := param("login_hint"); user == nil && hint != "" {
		user = userByIDOrLogin(ctx, hint)
	}
	if user == nil || user.Str("status") != "ACTIVE" {
		if prompt, _ := param("prompt"); prompt == "none" {
			return fail("login_required", "The client specified not to prompt, but the user is not logged in.")
		}
		return fail("login_required", "The user is not logged in (the twin signs in the ACTIVE user named by login_hint).")
	}
	if !assignedToApp(ctx.State, app, user.Str("id")) {
		return fail("access_denied", "User is not assigned to the client application.")
	}
	appClientID, _ := get(app.Obj("credentials").Obj("oauthClient"), "client_id").(string)
	// A hybrid flow needs an access rule for each of its grants; the implicit one sets the lifetime of the tokens sent now.
	var lifetimes *accessLifetimes
	for _, g := range neededGrants {
		lifetimes = accessRuleFor(ctx.State, server.key, appClientID, user, g, scopes)
		if lifetimes == nil {
			return fail("access_denied", noMatchingPolicy)
		}
	}

	authTime := twinEpochSeconds(ctx)
	ctx.Set(user, "lastLogin", ctx.Now())
	// A login_hint sign-in stands for a password sign-in at Okta's page; a session cookie comes from a sign-in
	// the Authentication API already logged.
	if browser == nil {
		logOAuthEvent(ctx, logInput{eventType: "user.session.start", displayMessage: "User login to Okta"},
			oauthLog{actor: userTarget(user), clientID: appClientID, legacyEventType: "core.user_auth.login_success", authenticationContext: e.NewObject("credentialType", "PASSWORD")})
	}
	var nonceValue any
	if hasNonce {
		nonceValue = nonce
	}
	g := &tokenGrant{server: server, clientID: appClientID, user: user, scopes: scopes, authTime: authTime, nonce: nonceValue, lifetimes: lifetimes}
	// Tokens sent from here (implicit and hybrid flows) go through the rule's token inline hook first.
	if anyString(responseTypes, notCode) {
		patch, err := runTokenHook(ctx, g, "implicit")
		if o, isOAuth := err.(*oauthError); isOAuth {
			return fail(o.code, o.description)
		}
		g.hookPatch = patch
	}
	var response []authzParam
	code, accessToken, idToken := "", "", ""
	if has("code") {
		code = secretToken(ctx, 43)
		var stored any
		if hasChallenge {
			stored = challenge
		}
		ctx.Set(ctx.Ensure(ctx.State.Obj("oauth"), "codes"), code, e.NewObject(
			"server", server.key, "clientId", appClientID, "userId", user.Str("id"), "redirectUri", redirectURI, "scopes", anyStrings(scopes),
			"nonce", nonceValue, "codeChallenge", stored, "authTime", authTime, "expiresAt", authTime+codeLifetime))
		response = append(response, authzParam{"code", code})
		alternate, family := orgServerKey, "app.oauth2.authorize.code"
		if server.custom {
			alternate, family = server.key, "app.oauth2.as.authorize.code"
		}
		codeTarget := e.NewObject("id", "unknown", "type", "code", "alternateId", alternate, "displayName", "Authorization Code")
		logOAuthEvent(ctx, logInput{eventType: family, displayMessage: "OAuth2 authorization code request", target: []*e.Object{codeTarget, appTarget(app)}},
			oauthLog{actor: userTarget(user), clientID: appClientID, debugData: e.NewObject("requestedScopes", strings.Join(scopes, " "))})
	}
	if has("token") {
		if accessToken, err = mintAccessToken(ctx, g, nil); err != nil {
			return nil, err
		}
		response = append(response, authzParam{"access_token", accessToken}, authzParam{"token_type", "Bearer"}, authzParam{"expires_in", e.FormatNumber(g.accessLifetime())}, authzParam{"scope", strings.Join(scopes, " ")})
	}
	if has("id_token") {
		if idToken, err = mintIDToken(ctx, g, idTokenOptions{accessToken: accessToken, code: code, minimal: has("token")}); err != nil {
			return nil, err
		}
		response = append(response, authzParam{"id_token", idToken})
	}
	response = append(response, authzParam{"state", state})
	if accessToken != "" || idToken != "" {
		logOAuthTokenGrant(ctx, tokenGrantEvent{server: server, clientID: appClientID, user: user, grantType: "implicit", scopes: scopes, accessToken: accessToken, idToken: idToken})
	}
	delivered := deliverAuthorization(redirectURI, mode, response)
	if cookie != "" {
		delivered.Headers.Set("set-cookie", cookie)
	}
	return delivered, nil
}
