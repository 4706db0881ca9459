package main

import (
	"encoding/base64"
	"net/url"
	"regexp"
	"strings"

	e "twinverse/twins/goengine"
)

// OAuth clients are the OPENID_CONNECT apps (twins/okta/model/oauth-clients.ts and src/kit/client-auth.ts).

// authedClient is a client that proved who it is on this request; method is how (none for a public client).
type authedClient struct {
	app      *e.Object
	clientID string
	method   string
	// dpopKey is the JWK thumbprint a token request's DPoP proof binds the tokens to ("" without DPoP).
	dpopKey string
}

const (
	invalidClientID      = "Invalid value for the `client_id` parameter"
	authenticationFailed = "Client authentication failed. Either the client or the client credentials are invalid."
	jwtBearerAssertion   = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
	maxAssertionSeconds  = 3600
)

func oauthInvalidClient(description string) *oauthError {
	return newOAuthError(401, "invalid_client", description)
}

// findOIDCApp is the OPENID_CONNECT app with this client_id, active or not.
func findOIDCApp(state *e.Object, clientID string) *e.Object {
	if clientID == "" {
		return nil
	}
	for _, app := range values(state.Obj("apps")) {
		if app.Str("signOnMode") == "OPENID_CONNECT" && get(app.Obj("credentials").Obj("oauthClient"), "client_id") == clientID {
			return app
		}
	}
	return nil
}

// activeOIDCApp is an active client named by a request that does not authenticate it (/authorize, /logout).
func activeOIDCApp(state *e.Object, clientID string) *e.Object {
	if app := findOIDCApp(state, clientID); app != nil && app.Str("status") == "ACTIVE" {
		return app
	}
	return nil
}

// clientAuthMethod: Okta's default is client_secret_basic.
func clientAuthMethod(app *e.Object) string {
	if m, isStr := orDefault(app.Obj("credentials").Obj("oauthClient"), "token_endpoint_auth_method", "client_secret_basic").(string); isStr {
		return m
	}
	return "client_secret_basic"
}

// clientGrantTypes: the grants the app may use; the authorization code grant by default.
func clientGrantTypes(app *e.Object) []string {
	settings := app.Obj("settings").Obj("oauthClient")
	if v, has := settings.Get("grant_types"); has && v != nil {
		return strings_(settings.Arr("grant_types"))
	}
	return []string{"authorization_code"}
}

func oidcSettings(app *e.Object) *e.Object { return app.Obj("settings").Obj("oauthClient") }

// isRegisteredRedirectURI: registered exactly, or with wildcard_redirect SUBDOMAIN a `*` in a registered URI stands
// for one label of letters, digits and hyphens.
func isRegisteredRedirectURI(app *e.Object, uri string) bool {
	settings := oidcSettings(app)
	registered := strings_(settings.Arr("redirect_uris"))
	if contains(registered, uri) {
		return true
	}
	if settings.Str("wildcard_redirect") != "SUBDOMAIN" {
		return false
	}
	for _, pattern := range registered {
		star := strings.Index(pattern, "*")
		if star < 0 {
			continue
		}
		re := regexp.MustCompile("^" + regexp.QuoteMeta(pattern[:star]) + "[A-Za-z0-9-]+" + regexp.QuoteMeta(pattern[star+1:]) + "$")
		if re.MatchString(uri) {
			return true
		}
	}
	return false
}

func postLogoutRedirects(app *e.Object) []string {
	return strings_(oidcSettings(app).Arr("post_logout_redirect_uris"))
}

// clientNeedsPKCE: for public clients and for apps that ask for it.
func clientNeedsPKCE(app *e.Object) bool {
	return clientAuthMethod(app) == "none" || get(app.Obj("credentials").Obj("oauthClient"), "pkce_required") == true
}

// clientAssertionKeys are the public keys a private_key_jwt client signs with: those not INACTIVE.
func clientAssertionKeys(app *e.Object) []*e.Object {
	var out []*e.Object
	for _, k := range objects(oidcSettings(app).Obj("jwks").Arr("keys")) {
		if k.Str("status") != "INACTIVE" {
			out = append(out, k)
		}
	}
	return out
}

// formField is a form field and whether it was sent.
func formField(form *e.Object, name string) (string, bool) {
	v, has := form.Get(name)
	if !has {
		return "", false
	}
	s, _ := v.(string)
	return s, true
}

// basicHeader is the kit's /^\s*basic\s+(\S+)\s*$/i: JavaScript's \s, and its case-insensitive "basic" (ASCII only,
// where Go's (?i) would also take "ſ" for "s").
var basicHeader = regexp.MustCompile(`^[` + jsSpace + `]*[Bb][Aa][Ss][Ii][Cc][` + jsSpace + `]+([^` + jsSpace + `]+)[` + jsSpace + `]*$`)

// lenientBase64 decodes as Node's Buffer.from(text, 'base64'): either alphabet, padding optional, other
// characters skipped.
func decodeLenientBase64(text string) []byte {
	var b strings.Builder
	for _, c := range text {
		switch {
		case c >= 'A' && c <= 'Z', c >= 'a' && c <= 'z', c >= '0' && c <= '9', c == '+', c == '/':
			b.WriteRune(c)
		case c == '-':
			b.WriteByte('+')
		case c == '_':
			b.WriteByte('/')
		case c == '=':
			goto done
		}
	}
done:
	clean := b.String()
	if len(clean)%4 == 1 {
		clean = clean[:len(clean)-1]
	}
	out, _ := base64.RawStdEncoding.DecodeString(clean)
	return out
}

// formUnescape is decodeURIComponent of a form value, or the value when it does not decode.
func formUnescape(value string) string {
	decoded, err := url.QueryUnescape(value)
	if err != nil {
		return value
	}
	return decoded
}

// refusals are Okta's words for each way client authentication fails.
func clientRefusal(kind, presented, audience string) *oauthError {
	switch kind {
	case "multiple_credentials":
		return oauthInvalidRequest("Can't supply multiple client credentials. Use one of the following: credentials in the Authorization header, credentials in the post body, or a `client_assertion` in the post body.")
	case "invalid_assertion_type":
		return oauthInvalidRequest("The `client_assertion_type` is invalid.")
	case "no_credentials":
		return oauthInvalidClient("No client credentials found.")
	case "unknown_client":
		if presented == "basic" || presented == "post" {
			return oauthInvalidClient(authenticationFailed)
		}
		return oauthInvalidClient(invalidClientID)
	case "invalid_secret":
		return oauthInvalidClient("The client secret supplied for a confidential client is invalid.")
	case "malformed_assertion":
		return oauthInvalidClient("The client_assertion token is malformed.")
	case "assertion_subject":
		return oauthInvalidClient("The client_assertion token's 'iss' and 'sub' claims must both be the client_id.")
	case "assertion_without_exp":
		return oauthInvalidClient("The client_assertion token must have an 'exp' claim.")
	case "assertion_too_long":
		return oauthInvalidClient("The client_assertion token must expire within one hour of being issued.")
	case "assertion_signature":
		return oauthInvalidClient("The client_assertion signature is invalid.")
	case "assertion_audience":
		return oauthInvalidClient("The audience [aud] claim of the client_assertion must be '" + audience + "'.")
	case "assertion_replayed":
		return oauthInvalidClient("The client_assertion token has already been used.")
	}
	return oauthInvalidClient(authenticationFailed)
}

func checkClientSecret(app *e.Object, secret, presented string) error {
	if app == nil || app.Str("status") != "ACTIVE" {
		return clientRefusal("unknown_client", presented, "")
	}
	method := clientAuthMethod(app)
	if method == "none" || method == "private_key_jwt" {
		return clientRefusal("wrong_method", presented, "")
	}
	expected, has := get(app.Obj("credentials").Obj("oauthClient"), "client_secret").(string)
	// RFC 6749 §2.3.1 form-encodes Basic credentials; many clients do not, so both spellings are accepted.
	if !has || !(secret == expected || (presented == "basic" && formUnescape(secret) == expected)) {
		return clientRefusal("invalid_secret", presented, "")
	}
	return nil
}

// checkClientAssertion: a client assertion (RFC 7523) signed with one of the client's keys or, for client_secret_jwt,
// its secret; iss and sub are the client id, aud the endpoint URL, a jti is accepted once. Its times are checked
// as of its own iat, not the twin clock: SDKs sign with the wall clock while tests pin the twin clock.
func checkClientAssertion(ctx *e.Ctx, assertion string, form *e.Object, audience string) (*authedClient, error) {
	refuse := func(kind string) (*authedClient, error) { return nil, clientRefusal(kind, "assertion", audience) }
	parts := strings.Split(assertion, ".")
	if len(parts) != 3 {
		return refuse("malformed_assertion")
	}
	rawPayload, decoded := decodeB64URL(parts[1])
	claims, isObj := parseObjectJSON(rawPayload)
	if !decoded || !isObj {
		return refuse("malformed_assertion")
	}
	clientID, isStr := get(claims, "sub").(string)
	if !isStr || get(claims, "iss") != clientID {
		return refuse("assertion_subject")
	}
	if formID, sent := formField(form, "client_id"); sent && formID != clientID {
		return refuse("client_id_mismatch")
	}
	app := findOIDCApp(ctx.State, clientID)
	if app == nil || app.Str("status") != "ACTIVE" {
		return refuse("unknown_client")
	}
	method := clientAuthMethod(app)
	if method != "private_key_jwt" && method != "client_secret_jwt" {
		return refuse("wrong_method")
	}
	exp, hasExp := numClaim(claims, "exp")
	if !hasExp {
		return refuse("assertion_without_exp")
	}
	iat, hasIat := numClaim(claims, "iat")
	if hasIat && exp-iat > maxAssertionSeconds {
		return refuse("assertion_too_long")
	}
	asOf := exp - 1
	if hasIat {
		asOf = iat
	}
	jws := parseCompactJWS(assertion)
	verified := false
	if jws != nil && jwtTimesValid(jws.payload, asOf) {
		if method == "private_key_jwt" {
			verified = jws.verifyWithSet(clientAssertionKeys(app), []string{"RS256", "RS384", "RS512", "ES256", "ES384", "ES512"})
		} else {
			secret, _ := get(app.Obj("credentials").Obj("oauthClient"), "client_secret").(string)
			alg := jws.header.Str("alg")
			verified = secret != "" && contains([]string{"HS256", "HS384", "HS512"}, alg) && jws.verifyWith(alg, nil, []byte(secret))
		}
	}
	if !verified {
		return refuse("assertion_signature")
	}
	audiences := []any{get(claims, "aud")}
	if list, isList := get(claims, "aud").([]any); isList {
		audiences = list
	}
	found := false
	for _, a := range audiences {
		if a == audience {
			found = true
		}
	}
	if !found {
		return refuse("assertion_audience")
	}
	if jti, isStr := get(claims, "jti").(string); isStr {
		used := ctx.Ensure(ctx.State.Obj("oauth"), "usedClientAssertions")
		key := clientID + ":" + jti
		if used.Has(key) {
			return refuse("assertion_replayed")
		}
		ctx.Set(used, key, exp)
	}
	return &authedClient{app: app, clientID: clientID, method: method}, nil
}

// authenticateOAuthClient authenticates the client of a /token, /introspect or /revoke request: client_secret_basic,
// client_secret_post, client_secret_jwt or private_key_jwt, or a public client's bare client_id (which /introspect
// and /revoke also take from the query string). More than one kind of credential is refused.
func authenticateOAuthClient(ctx *e.Ctx, server *authServer, endpoint string) (*authedClient, error) {
	form := body(ctx)
	match := basicHeader.FindStringSubmatch(ctx.Headers["authorization"])
	_, hasSecret := formField(form, "client_secret")
	_, hasAssertion := formField(form, "client_assertion")
	supplied := 0
	for _, b := range []bool{match != nil, hasSecret, hasAssertion} {
		if b {
			supplied++
		}
	}
	if supplied > 1 {
		return nil, clientRefusal("multiple_credentials", "basic", "")
	}
	formID, formHasID := formField(form, "client_id")
	if match != nil {
		decoded := strings.ToValidUTF8(string(decodeLenientBase64(match[1])), "\uFFFD")
		colon := strings.Index(decoded, ":")
		if colon < 0 {
			return nil, clientRefusal("malformed_basic", "basic", "")
		}
		clientID := formUnescape(decoded[:colon])
		if formHasID && formID != clientID {
			return nil, clientRefusal("client_id_mismatch", "basic", "")
		}
		app := findOIDCApp(ctx.State, clientID)
		if err := checkClientSecret(app, decoded[colon+1:], "basic"); err != nil {
			return nil, err
		}
		return &authedClient{app: app, clientID: clientID, method: "client_secret_basic"}, nil
	}
	if hasSecret {
		if formID == "" {
			return nil, clientRefusal("no_credentials", "post", "")
		}
		secret, _ := formField(form, "client_secret")
		app := findOIDCApp(ctx.State, formID)
		if err := checkClientSecret(app, secret, "post"); err != nil {
			return nil, err
		}
		return &authedClient{app: app, clientID: formID, method: "client_secret_post"}, nil
	}
	assertionType, hasType := formField(form, "client_assertion_type")
	if hasAssertion || hasType {
		assertion, _ := formField(form, "client_assertion")
		if assertionType != jwtBearerAssertion || assertion == "" {
			return nil, clientRefusal("invalid_assertion_type", "assertion", "")
		}
		return checkClientAssertion(ctx, assertion, form, server.endpoints+"/"+endpoint)
	}
	clientID := formID
	if !formHasID && endpoint != "token" {
		clientID, _ = qString(ctx, "client_id")
	}
	if clientID == "" {
		return nil, clientRefusal("no_credentials", "none", "")
	}
	app := findOIDCApp(ctx.State, clientID)
	if app == nil || app.Str("status") != "ACTIVE" {
		return nil, clientRefusal("unknown_client", "none", "")
	}
	if clientAuthMethod(app) != "none" {
		return nil, clientRefusal("wrong_method", "none", "")
	}
	return &authedClient{app: app, clientID: clientID, method: "none"}, nil
}
