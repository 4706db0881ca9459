package main

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"io"
	"math/big"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

// The OAuth 2.0 / OpenID Connect endpoints, over loopback HTTP with the twin clock fixed at the seed's instant.

const (
	oaOrigin      = "http://dev-123.okta.test"
	oaEpoch       = 1767225600.0
	oaService     = "0oatwinservice000001"
	oaSecret      = "twin-okta-client-secret"
	oaAdmin       = "00uadmintwin00000001"
	oaAdminLogin  = "admin@twin.test"
	oaAdminSecret = "Twin-Passw0rd!"
	oaRedirect    = "https://app.test/cb"
	oaVerifier    = "a-pkce-verifier-that-is-long-enough-0123456789"
)

// oaHarness is the package's test client (okta_test.go) with the protocol requests OAuth tests send: forms,
// no API token unless given, redirects not followed.
type oaHarness struct{ *client }

func newOAuthHarness(t *testing.T) *oaHarness {
	t.Helper()
	return &oaHarness{newClient(t)}
}

// send makes a request; body is a url.Values (a form), a string (JSON text) or nil; headers come in pairs.
func (h *oaHarness) send(method, path string, body any, headers ...string) reply {
	h.t.Helper()
	var reader io.Reader
	contentType := ""
	switch b := body.(type) {
	case url.Values:
		reader, contentType = strings.NewReader(b.Encode()), "application/x-www-form-urlencoded"
	case string:
		reader, contentType = strings.NewReader(b), "application/json"
	}
	req, err := http.NewRequest(method, h.server.URL+path, reader)
	if err != nil {
		h.t.Fatal(err)
	}
	// The admin API answers only requests addressed to the twin itself.
	if !strings.HasPrefix(path, "/__twin/") {
		req.Host = host
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	transport := &http.Transport{}
	defer transport.CloseIdleConnections()
	res, err := (&http.Client{Transport: transport, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}).Do(req)
	if err != nil {
		h.t.Fatal(err)
	}
	defer res.Body.Close()
	data, _ := io.ReadAll(res.Body)
	return reply{res.StatusCode, res.Header, string(data)}
}

func oaBasic(id, secret string) []string {
	return []string{"Authorization", "Basic " + base64.StdEncoding.EncodeToString([]byte(id+":"+secret))}
}

// expectOAuthError checks RFC 6749's envelope: {error, error_description} with the status.
func (h *oaHarness) expectOAuthError(r reply, status int, code string) map[string]any {
	h.t.Helper()
	if r.status != status {
		h.t.Fatalf("status %d, want %d: %s", r.status, status, r.text)
	}
	m := r.json(h.t)
	if m["error"] != code || m["error_description"] == "" || m["error_description"] == nil {
		h.t.Fatalf("error %v, want %s with a description: %s", m["error"], code, r.text)
	}
	return m
}

func (h *oaHarness) token(path string, form url.Values, headers ...string) reply {
	h.t.Helper()
	return h.send("POST", path, form, headers...)
}

// jwtParts decodes a JWT's header and claims without verifying it.
func oaJWTParts(t *testing.T, token string) (map[string]any, map[string]any) {
	t.Helper()
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		t.Fatalf("not a JWT: %q", token)
	}
	decode := func(s string) map[string]any {
		raw, err := base64.RawURLEncoding.DecodeString(s)
		if err != nil {
			t.Fatal(err)
		}
		var m map[string]any
		if err := json.Unmarshal(raw, &m); err != nil {
			t.Fatal(err)
		}
		return m
	}
	return decode(parts[0]), decode(parts[1])
}

// verifyWithJWKS checks a token's RS256 signature against the key set the server publishes.
func (h *oaHarness) verifyWithJWKS(token, keysPath string) {
	h.t.Helper()
	header, _ := oaJWTParts(h.t, token)
	var set struct {
		Keys []map[string]string `json:"keys"`
	}
	if err := json.Unmarshal([]byte(h.send("GET", keysPath, nil).text), &set); err != nil {
		h.t.Fatal(err)
	}
	parts := strings.Split(token, ".")
	signature, _ := base64.RawURLEncoding.DecodeString(parts[2])
	sum := sha256.Sum256([]byte(parts[0] + "." + parts[1]))
	for _, k := range set.Keys {
		if k["kid"] != header["kid"] {
			continue
		}
		n, _ := base64.RawURLEncoding.DecodeString(k["n"])
		key := &rsa.PublicKey{N: new(big.Int).SetBytes(n), E: 65537}
		if err := rsa.VerifyPKCS1v15(key, crypto.SHA256, sum[:], signature); err != nil {
			h.t.Fatalf("signature does not verify with %s: %v", k["kid"], err)
		}
		return
	}
	h.t.Fatalf("no key %v in %s", header["kid"], keysPath)
}

func TestDiscoveryDocuments(t *testing.T) {
	h := newOAuthHarness(t)
	org := h.send("GET", "/.well-known/openid-configuration", nil)
	doc := org.json(t)
	if org.status != 200 || doc["issuer"] != oaOrigin || doc["token_endpoint"] != oaOrigin+"/oauth2/v1/token" || doc["jwks_uri"] != oaOrigin+"/oauth2/v1/keys" {
		t.Fatalf("org openid-configuration: %s", org.text)
	}
	if strings.Contains(org.text, "client_credentials") || !strings.Contains(org.text, `"userinfo_endpoint"`) {
		t.Fatalf("the OpenID document lists client_credentials or lacks userinfo: %s", org.text)
	}
	custom := h.send("GET", "/oauth2/default/.well-known/oauth-authorization-server", nil)
	rfc := h.send("GET", "/.well-known/oauth-authorization-server/oauth2/default", nil)
	if custom.status != 200 || custom.text != rfc.text {
		t.Fatalf("the RFC 8414 path serves another document:\n%s\n%s", custom.text, rfc.text)
	}
	m := custom.json(t)
	if m["issuer"] != oaOrigin+"/oauth2/default" || !strings.Contains(custom.text, `"client_credentials"`) || !strings.Contains(custom.text, `"api:read"`) || strings.Contains(custom.text, "userinfo_endpoint") {
		t.Fatalf("default oauth-authorization-server: %s", custom.text)
	}
	openid := h.send("GET", "/oauth2/default/.well-known/openid-configuration", nil).json(t)
	if openid["id_token_encryption_enc_values_supported"] == nil {
		t.Fatal("a custom server announces ID token encryption")
	}
	unknown := h.send("GET", "/.well-known/openid-configuration?client_id=nobody", nil)
	if body := unknown.json(t); unknown.status != 400 || body["errorCode"] != "invalid_client" || !strings.HasPrefix(body["errorId"].(string), "oae") {
		t.Fatalf("unknown client_id: %d %s", unknown.status, unknown.text)
	}
	if r := h.send("GET", "/oauth2/nowhere/.well-known/openid-configuration", nil); r.status != 404 || r.json(t)["errorCode"] != "E0000007" {
		t.Fatalf("unknown server: %d %s", r.status, r.text)
	}
}

func TestKeySetsArePublicAndPerServer(t *testing.T) {
	h := newOAuthHarness(t)
	org := h.send("GET", "/oauth2/v1/keys", nil)
	if org.status != 200 || org.header.Get("Cache-Control") != "max-age=3600, must-revalidate" {
		t.Fatalf("org keys: %d %v", org.status, org.header)
	}
	if !strings.Contains(org.text, `"kid":"twin-okta-signing-key-1"`) || strings.Contains(org.text, `"d":`) || strings.Contains(org.text, "twin-okta-default-as-key-1") {
		t.Fatalf("org keys: %s", org.text)
	}
	def := h.send("GET", "/oauth2/default/v1/keys", nil).text
	if !strings.Contains(def, `"kid":"twin-okta-default-as-key-1"`) || strings.Contains(def, `"p":`) || !strings.Contains(def, `"use":"sig"`) {
		t.Fatalf("default keys: %s", def)
	}
}

func TestClientCredentialsOnTheDefaultServer(t *testing.T) {
	h := newOAuthHarness(t)
	r := h.token("/oauth2/default/v1/token", url.Values{"grant_type": {"client_credentials"}}, oaBasic(oaService, oaSecret)...)
	if r.status != 200 || r.header.Get("Cache-Control") != "no-store" || r.header.Get("Pragma") != "no-cache" {
		t.Fatalf("client_credentials: %d %v %s", r.status, r.header, r.text)
	}
	body := r.json(t)
	if body["token_type"] != "Bearer" || body["expires_in"] != 3600.0 || body["scope"] != "api:read" || body["refresh_token"] != nil || body["id_token"] != nil {
		t.Fatalf("token response: %s", r.text)
	}
	token := body["access_token"].(string)
	header, claims := oaJWTParts(t, token)
	if header["alg"] != "RS256" || header["kid"] != "twin-okta-default-as-key-1" {
		t.Fatalf("header: %v", header)
	}
	want := map[string]any{"ver": 1.0, "iss": oaOrigin + "/oauth2/default", "aud": "api://default", "iat": oaEpoch, "exp": oaEpoch + 3600, "cid": oaService, "sub": oaService}
	for k, v := range want {
		if claims[k] != v {
			t.Fatalf("claim %s = %v, want %v (%v)", k, claims[k], v, claims)
		}
	}
	if !strings.HasPrefix(claims["jti"].(string), "AT.") || claims["uid"] != nil || len(claims["scp"].([]any)) != 1 {
		t.Fatalf("claims: %v", claims)
	}
	h.verifyWithJWKS(token, "/oauth2/default/v1/keys")
	// client_secret_post names the client in the body.
	post := h.token("/oauth2/default/v1/token", url.Values{"grant_type": {"client_credentials"}, "scope": {"api:read api:write"}, "client_id": {oaService}, "client_secret": {oaSecret}})
	if post.status != 200 || post.json(t)["scope"] != "api:read api:write" {
		t.Fatalf("client_secret_post: %d %s", post.status, post.text)
	}
}

func TestTokenEndpointErrors(t *testing.T) {
	h := newOAuthHarness(t)
	svc := oaBasic(oaService, oaSecret)
	cases := []struct {
		name    string
		path    string
		form    url.Values
		headers []string
		status  int
		code    string
	}{
		{"wrong secret", "/oauth2/default/v1/token", url.Values{"grant_type": {"client_credentials"}}, oaBasic(oaService, "wrong"), 401, "invalid_client"},
		{"unknown client", "/oauth2/default/v1/token", url.Values{"grant_type": {"client_credentials"}}, oaBasic("nobody", "x"), 401, "invalid_client"},
		{"no credentials", "/oauth2/default/v1/token", url.Values{"grant_type": {"client_credentials"}}, nil, 401, "invalid_client"},
		{"malformed basic", "/oauth2/default/v1/token", url.Values{"grant_type": {"client_credentials"}}, []string{"Authorization", "Basic bm9jb2xvbg=="}, 401, "invalid_client"},
		{"two credentials", "/oauth2/default/v1/token", url.Values{"grant_type": {"client_credentials"}, "client_secret": {oaSecret}, "client_id": {oaService}}, svc, 400, "invalid_request"},
		{"unsupported grant", "/oauth2/default/v1/token", url.Values{"grant_type": {"urn:ietf:params:oauth:grant-type:device_code"}}, svc, 400, "unsupported_grant_type"},
		{"no grant type", "/oauth2/default/v1/token", url.Values{"scope": {"api:read"}}, svc, 400, "invalid_request"},
		{"grant not allowed", "/oauth2/default/v1/token", url.Values{"grant_type": {"password"}, "username": {"a"}, "password": {"b"}}, svc, 400, "unauthorized_client"},
		{"openid by a client", "/oauth2/default/v1/token", url.Values{"grant_type": {"client_credentials"}, "scope": {"openid"}}, svc, 400, "invalid_scope"},
		{"unknown scope", "/oauth2/default/v1/token", url.Values{"grant_type": {"client_credentials"}, "scope": {"api:nothing"}}, svc, 400, "invalid_scope"},
		{"org needs private_key_jwt", "/oauth2/v1/token", url.Values{"grant_type": {"client_credentials"}, "scope": {"okta.users.read"}}, svc, 401, "invalid_client"},
		{"bad assertion type", "/oauth2/v1/token", url.Values{"grant_type": {"client_credentials"}, "client_assertion_type": {"bogus"}, "client_assertion": {"x"}}, nil, 400, "invalid_request"},
		{"malformed assertion", "/oauth2/v1/token", url.Values{"grant_type": {"client_credentials"}, "client_assertion_type": {jwtBearerAssertion}, "client_assertion": {"a.b"}}, nil, 401, "invalid_client"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h.t = t
			h.expectOAuthError(h.token(c.path, c.form, c.headers...), c.status, c.code)
		})
	}
	h.t = t
	if r := h.token("/oauth2/nowhere/v1/token", url.Values{"grant_type": {"client_credentials"}}, svc...); r.status != 404 || r.json(t)["errorCode"] != "E0000007" {
		t.Fatalf("unknown server: %d %s", r.status, r.text)
	}
	if r := h.send("POST", "/oauth2/default/v1/token", `{"grant_type":"client_credentials"}`, svc...); r.status != 400 || r.json(t)["error"] != "invalid_request" {
		t.Fatalf("a JSON body: %d %s", r.status, r.text)
	}
}

// webApp creates an OIDC web app (client_secret_post) with the admin assigned, and returns its credentials.
func (h *oaHarness) webApp(extra string) (string, string) {
	h.t.Helper()
	app := `{"name":"oidc_client","label":"Web App","signOnMode":"OPENID_CONNECT",` +
		`"credentials":{"oauthClient":{"token_endpoint_auth_method":"client_secret_post"}},` +
		`"settings":{"oauthClient":{"redirect_uris":["` + oaRedirect + `"],"post_logout_redirect_uris":["https://app.test/out"],` +
		`"grant_types":["authorization_code","refresh_token","password","implicit"],"response_types":["code","token","id_token"],"application_type":"web"` + extra + `}}}`
	r := h.send("POST", "/api/v1/apps", app, "Authorization", "SSWS twin-okta-token")
	if r.status != 200 {
		h.t.Fatalf("create app: %d %s", r.status, r.text)
	}
	created := r.json(h.t)
	oauth := created["credentials"].(map[string]any)["oauthClient"].(map[string]any)
	if a := h.send("POST", "/api/v1/apps/"+created["id"].(string)+"/users", `{"id":"`+oaAdmin+`"}`, "Authorization", "SSWS twin-okta-token"); a.status != 200 {
		h.t.Fatalf("assign: %d %s", a.status, a.text)
	}
	return oauth["client_id"].(string), oauth["client_secret"].(string)
}

func oaChallenge(verifier string) string {
	sum := sha256.Sum256([]byte(verifier))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

// authorize runs /authorize for the admin (login_hint) and returns the redirect's parameters.
func (h *oaHarness) authorize(server, clientID string, params url.Values) (reply, url.Values) {
	h.t.Helper()
	q := url.Values{"client_id": {clientID}, "redirect_uri": {oaRedirect}, "response_type": {"code"}, "scope": {"openid profile email offline_access"},
		"state": {"st"}, "nonce": {"nn"}, "code_challenge": {oaChallenge(oaVerifier)}, "code_challenge_method": {"S256"}, "login_hint": {oaAdminLogin}}
	for k, v := range params {
		if v[0] == "" {
			q.Del(k)
		} else {
			q[k] = v
		}
	}
	r := h.send("GET", server+"/authorize?"+q.Encode(), nil)
	location, err := url.Parse(r.header.Get("Location"))
	if err != nil {
		h.t.Fatal(err)
	}
	values := location.Query()
	if location.Fragment != "" {
		values, _ = url.ParseQuery(location.Fragment)
	}
	return r, values
}

func TestAuthorizationCodeWithPKCE(t *testing.T) {
	h := newOAuthHarness(t)
	clientID, secret := h.webApp("")
	exchange := func(code, verifier string) reply {
		return h.token("/oauth2/default/v1/token", url.Values{"grant_type": {"authorization_code"}, "code": {code}, "redirect_uri": {oaRedirect}, "code_verifier": {verifier}, "client_id": {clientID}, "client_secret": {secret}})
	}
	r, got := h.authorize("/oauth2/default/v1", clientID, nil)
	if r.status != 302 || got.Get("code") == "" || got.Get("state") != "st" || !strings.HasPrefix(r.header.Get("Location"), oaRedirect+"?") {
		t.Fatalf("authorize: %d %v", r.status, r.header)
	}
	h.expectOAuthError(exchange(got.Get("code"), "another-verifier-that-is-long-enough-0123456789"), 400, "invalid_grant")
	// The failed attempt spent the code.
	h.expectOAuthError(exchange(got.Get("code"), oaVerifier), 400, "invalid_grant")

	_, got = h.authorize("/oauth2/default/v1", clientID, nil)
	ok := exchange(got.Get("code"), oaVerifier)
	if ok.status != 200 {
		t.Fatalf("exchange: %d %s", ok.status, ok.text)
	}
	tokens := ok.json(t)
	if tokens["scope"] != "openid profile email offline_access" || tokens["refresh_token"] == nil {
		t.Fatalf("tokens: %s", ok.text)
	}
	_, access := oaJWTParts(t, tokens["access_token"].(string))
	if access["uid"] != oaAdmin || access["sub"] != oaAdminLogin || access["auth_time"] != oaEpoch || access["cid"] != clientID {
		t.Fatalf("access claims: %v", access)
	}
	_, id := oaJWTParts(t, tokens["id_token"].(string))
	if id["sub"] != oaAdmin || id["aud"] != clientID || id["nonce"] != "nn" || id["email"] != oaAdminLogin || id["at_hash"] != oidcHalfHash(tokens["access_token"].(string)) || !strings.HasPrefix(id["jti"].(string), "ID.") {
		t.Fatalf("id claims: %v", id)
	}
	h.verifyWithJWKS(tokens["id_token"].(string), "/oauth2/default/v1/keys")

	info := h.send("GET", "/oauth2/default/v1/userinfo", nil, "Authorization", "Bearer "+tokens["access_token"].(string))
	if m := info.json(t); info.status != 200 || m["sub"] != oaAdmin || m["email_verified"] != true || m["preferred_username"] != oaAdminLogin {
		t.Fatalf("userinfo: %d %s", info.status, info.text)
	}
	refreshed := h.token("/oauth2/default/v1/token", url.Values{"grant_type": {"refresh_token"}, "refresh_token": {tokens["refresh_token"].(string)}, "scope": {"openid"}, "client_id": {clientID}, "client_secret": {secret}})
	if m := refreshed.json(t); refreshed.status != 200 || m["scope"] != "openid" || m["refresh_token"] != tokens["refresh_token"] {
		t.Fatalf("refresh: %d %s", refreshed.status, refreshed.text)
	}
	h.expectOAuthError(h.token("/oauth2/default/v1/token", url.Values{"grant_type": {"refresh_token"}, "refresh_token": {tokens["refresh_token"].(string)}, "scope": {"api:write"}, "client_id": {clientID}, "client_secret": {secret}}), 400, "invalid_scope")

	// A code works for five minutes on the twin clock.
	_, got = h.authorize("/oauth2/default/v1", clientID, nil)
	h.twin.Clock.Advance(301 * 1000)
	h.expectOAuthError(exchange(got.Get("code"), oaVerifier), 400, "invalid_grant")
}

func TestAuthorizeRefusals(t *testing.T) {
	h := newOAuthHarness(t)
	clientID, _ := h.webApp("")
	if r, _ := h.authorize("/oauth2/default/v1", "nobody", nil); r.status != 400 || r.json(t)["error"] != "invalid_client" {
		t.Fatalf("unknown client: %d %s", r.status, r.text)
	}
	if r, _ := h.authorize("/oauth2/default/v1", clientID, url.Values{"redirect_uri": {"https://evil.test/"}}); r.status != 400 || r.json(t)["error"] != "invalid_request" {
		t.Fatalf("unregistered redirect: %d %s", r.status, r.text)
	}
	redirected := []struct {
		name   string
		params url.Values
		code   string
	}{
		{"no state", url.Values{"state": {""}}, "invalid_request"},
		{"unknown response type", url.Values{"response_type": {"weird"}}, "unsupported_response_type"},
		{"unknown response mode", url.Values{"response_mode": {"bogus"}}, "unsupported_response_mode"},
		{"empty scope", url.Values{"scope": {""}}, "invalid_scope"},
		{"unknown scope", url.Values{"scope": {"openid api:nothing"}}, "invalid_scope"},
		{"claims without openid", url.Values{"scope": {"profile"}}, "access_denied"},
		{"id_token without nonce", url.Values{"response_type": {"id_token"}, "nonce": {""}}, "invalid_request"},
		{"plain PKCE", url.Values{"code_challenge_method": {"plain"}}, "invalid_request"},
		{"short challenge", url.Values{"code_challenge": {"short"}}, "invalid_request"},
		{"nobody signed in", url.Values{"login_hint": {""}}, "login_required"},
		{"prompt none", url.Values{"login_hint": {""}, "prompt": {"none"}}, "login_required"},
		{"Okta API scope on a custom server", url.Values{"scope": {"openid okta.users.read"}}, "invalid_scope"},
	}
	for _, c := range redirected {
		r, got := h.authorize("/oauth2/default/v1", clientID, c.params)
		if r.status != 302 || got.Get("error") != c.code || got.Get("error_description") == "" {
			t.Fatalf("%s: %d %v", c.name, r.status, r.header.Get("Location"))
		}
	}
	if _, got := h.authorize("/oauth2/v1", clientID, url.Values{"scope": {"openid okta.users.read"}}); got.Get("error") != "invalid_scope" {
		t.Fatalf("ungranted Okta API scope: %v", got)
	}
	r, got := h.authorize("/oauth2/default/v1", clientID, url.Values{"response_type": {"token id_token"}})
	if got.Get("access_token") == "" || got.Get("id_token") == "" || got.Get("expires_in") != "3600" || !strings.Contains(r.header.Get("Location"), "#") {
		t.Fatalf("implicit: %v", r.header.Get("Location"))
	}
	if _, id := oaJWTParts(t, got.Get("id_token")); id["email"] != nil || id["at_hash"] == nil {
		t.Fatalf("an implicit ID token with an access token carries only the base claims: %v", id)
	}
	post := h.send("POST", "/oauth2/default/v1/authorize", url.Values{"client_id": {clientID}, "redirect_uri": {oaRedirect}, "response_type": {"code"}, "scope": {"openid"}, "state": {"s<"}, "login_hint": {oaAdmin}, "response_mode": {"form_post"}})
	if post.status != 200 || !strings.Contains(post.text, `name="state" value="s&#60;"`) || !strings.HasPrefix(post.header.Get("Content-Type"), "text/html") {
		t.Fatalf("form_post: %d %s", post.status, post.text)
	}
}

func TestIntrospectAndRevoke(t *testing.T) {
	h := newOAuthHarness(t)
	svc := oaBasic(oaService, oaSecret)
	access := h.token("/oauth2/default/v1/token", url.Values{"grant_type": {"client_credentials"}}, svc...).json(t)["access_token"].(string)
	live := h.token("/oauth2/default/v1/introspect", url.Values{"token": {access}}, svc...)
	if m := live.json(t); live.status != 200 || m["active"] != true || m["client_id"] != oaService || m["scope"] != "api:read" || m["token_type"] != "Bearer" {
		t.Fatalf("introspect: %d %s", live.status, live.text)
	}
	if m := h.token("/oauth2/v1/introspect", url.Values{"token": {access}}, svc...).json(t); m["active"] != false {
		t.Fatalf("another server's token is inactive: %v", m)
	}
	h.expectOAuthError(h.token("/oauth2/default/v1/introspect", url.Values{}, svc...), 400, "invalid_request")
	h.expectOAuthError(h.token("/oauth2/default/v1/introspect", url.Values{"token": {access}}, oaBasic(oaService, "wrong")...), 401, "invalid_client")
	if r := h.token("/oauth2/default/v1/revoke", url.Values{"token": {access}}, svc...); r.status != 200 || r.text != "" {
		t.Fatalf("revoke: %d %q", r.status, r.text)
	}
	if r := h.token("/oauth2/default/v1/introspect", url.Values{"token": {access}}, svc...).text; r != `{"active":false}` {
		t.Fatalf("a revoked token: %s", r)
	}

	clientID, secret := h.webApp("")
	app := url.Values{"client_id": {clientID}, "client_secret": {secret}}
	withApp := func(v url.Values) url.Values {
		for k, x := range app {
			v[k] = x
		}
		return v
	}
	tokens := h.token("/oauth2/default/v1/token", withApp(url.Values{"grant_type": {"password"}, "username": {oaAdminLogin}, "password": {oaAdminSecret}, "scope": {"openid offline_access"}})).json(t)
	refresh := tokens["refresh_token"].(string)
	if m := h.token("/oauth2/default/v1/introspect", withApp(url.Values{"token": {refresh}})).json(t); m["active"] != true || m["username"] != oaAdminLogin || m["uid"] != oaAdmin {
		t.Fatalf("refresh introspection: %v", m)
	}
	// Another client learns nothing of the refresh token, and cannot revoke it.
	if m := h.token("/oauth2/default/v1/introspect", url.Values{"token": {refresh}}, svc...).json(t); m["active"] != false {
		t.Fatalf("another client's refresh token: %v", m)
	}
	h.token("/oauth2/default/v1/revoke", withApp(url.Values{"token": {refresh}}))
	if m := h.token("/oauth2/default/v1/introspect", withApp(url.Values{"token": {tokens["access_token"].(string)}})).json(t); m["active"] != false {
		t.Fatalf("revoking a refresh token revokes its access tokens: %v", m)
	}
	h.expectOAuthError(h.token("/oauth2/default/v1/token", withApp(url.Values{"grant_type": {"refresh_token"}, "refresh_token": {refresh}})), 400, "invalid_grant")
	if r := h.send("GET", "/oauth2/default/v1/userinfo", nil, "Authorization", "Bearer "+tokens["access_token"].(string)); r.status != 401 || !strings.Contains(r.header.Get("Www-Authenticate"), `error="invalid_token"`) {
		t.Fatalf("userinfo with a revoked token: %d %v", r.status, r.header)
	}
}

func TestPasswordGrant(t *testing.T) {
	h := newOAuthHarness(t)
	clientID, secret := h.webApp("")
	form := func(password, scope string) url.Values {
		return url.Values{"grant_type": {"password"}, "username": {oaAdminLogin}, "password": {password}, "scope": {scope}, "client_id": {clientID}, "client_secret": {secret}}
	}
	ok := h.token("/oauth2/v1/token", form(oaAdminSecret, "openid groups profile"))
	if ok.status != 200 {
		t.Fatalf("password: %d %s", ok.status, ok.text)
	}
	tokens := ok.json(t)
	_, access := oaJWTParts(t, tokens["access_token"].(string))
	if access["iss"] != oaOrigin || access["aud"] != oaOrigin {
		t.Fatalf("org access token: %v", access)
	}
	h.verifyWithJWKS(tokens["access_token"].(string), "/oauth2/v1/keys")
	info := h.send("GET", "/oauth2/v1/userinfo", nil, "Authorization", "Bearer "+tokens["access_token"].(string)).json(t)
	if groups, _ := info["groups"].([]any); len(groups) != 1 || groups[0] != "Everyone" {
		t.Fatalf("org userinfo groups: %v", info)
	}
	h.expectOAuthError(h.token("/oauth2/v1/token", form("wrong", "openid")), 400, "invalid_grant")
	h.expectOAuthError(h.token("/oauth2/v1/token", form(oaAdminSecret, "profile")), 403, "access_denied")
	h.expectOAuthError(h.token("/oauth2/v1/token", form(oaAdminSecret, "openid okta.users.read")), 400, "invalid_scope")
	missing := url.Values{"grant_type": {"password"}, "username": {oaAdminLogin}, "client_id": {clientID}, "client_secret": {secret}}
	h.expectOAuthError(h.token("/oauth2/v1/token", missing), 400, "invalid_request")
}

func TestLogout(t *testing.T) {
	h := newOAuthHarness(t)
	clientID, secret := h.webApp("")
	tokens := h.token("/oauth2/default/v1/token", url.Values{"grant_type": {"password"}, "username": {oaAdminLogin}, "password": {oaAdminSecret}, "scope": {"openid"}, "client_id": {clientID}, "client_secret": {secret}}).json(t)
	hint := tokens["id_token"].(string)
	// An expired ID token is still a fine hint.
	h.twin.Clock.Advance(2 * 3600 * 1000)
	r := h.send("GET", "/oauth2/default/v1/logout?"+url.Values{"id_token_hint": {hint}, "post_logout_redirect_uri": {"https://app.test/out"}, "state": {"a b"}}.Encode(), nil)
	if r.status != 302 || r.header.Get("Location") != "https://app.test/out?state=a+b" {
		t.Fatalf("logout: %d %v", r.status, r.header)
	}
	if r := h.send("POST", "/oauth2/default/v1/logout", url.Values{"id_token_hint": {hint}}); r.status != 200 {
		t.Fatalf("logout without a redirect: %d %s", r.status, r.text)
	}
	h.expectOAuthError(h.send("GET", "/oauth2/v1/logout?id_token_hint="+hint, nil), 400, "invalid_request")
	h.expectOAuthError(h.send("GET", "/oauth2/default/v1/logout?"+url.Values{"id_token_hint": {hint}, "post_logout_redirect_uri": {"https://evil.test/"}}.Encode(), nil), 400, "invalid_request")
	h.expectOAuthError(h.send("GET", "/oauth2/default/v1/logout?id_token_hint="+tokens["access_token"].(string), nil), 400, "invalid_request")
}

// signAssertion signs RFC 7523 client assertion claims with an RSA key.
func oaSignAssertion(t *testing.T, key *rsa.PrivateKey, kid string, claims map[string]any) string {
	t.Helper()
	header, _ := json.Marshal(map[string]any{"alg": "RS256", "kid": kid})
	payload, _ := json.Marshal(claims)
	input := base64.RawURLEncoding.EncodeToString(header) + "." + base64.RawURLEncoding.EncodeToString(payload)
	sum := sha256.Sum256([]byte(input))
	signature, err := rsa.SignPKCS1v15(rand.Reader, key, crypto.SHA256, sum[:])
	if err != nil {
		t.Fatal(err)
	}
	return input + "." + base64.RawURLEncoding.EncodeToString(signature)
}

func TestPrivateKeyJWTAndManagementAPIAccessTokens(t *testing.T) {
	h := newOAuthHarness(t)
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	jwk := `{"kty":"RSA","kid":"k1","e":"AQAB","n":"` + base64.RawURLEncoding.EncodeToString(key.N.Bytes()) + `"}`
	export := h.send("GET", "/__twin/state", nil).text
	app := `"0oapkjwt":{"id":"0oapkjwt","name":"oidc_client","label":"Service","status":"ACTIVE","signOnMode":"OPENID_CONNECT",` +
		`"credentials":{"oauthClient":{"client_id":"pk-client","token_endpoint_auth_method":"private_key_jwt"}},` +
		`"settings":{"oauthClient":{"grant_types":["client_credentials"],"jwks":{"keys":[` + jwk + `]}}}},`
	export = strings.Replace(export, `"apps":{`, `"apps":{`+app, 1)
	grantsJSON := `"appGrants":{"0oapkjwt":[{"id":"oag1","status":"ACTIVE","scopeId":"okta.users.read","clientId":"pk-client","issuer":"` + oaOrigin + `","source":"ADMIN"}]},`
	roles := `"clientRoles":{"pk-client":[{"id":"irb1","label":"Read Only Administrator","type":"READ_ONLY_ADMIN","status":"ACTIVE","assignmentType":"CLIENT"}]},`
	export = strings.Replace(export, `"appGrants":{},`, grantsJSON, 1)
	export = strings.Replace(export, `"clientRoles":{}`, strings.TrimSuffix(roles, ","), 1)
	if r := h.send("PUT", "/__twin/state", export); r.status != 200 {
		t.Fatalf("import: %d %s", r.status, r.text)
	}
	audience := oaOrigin + "/oauth2/v1/token"
	claims := func(jti, aud string) map[string]any {
		return map[string]any{"iss": "pk-client", "sub": "pk-client", "aud": aud, "iat": oaEpoch, "exp": oaEpoch + 300, "jti": jti}
	}
	form := func(assertion, scope string) url.Values {
		return url.Values{"grant_type": {"client_credentials"}, "scope": {scope}, "client_assertion_type": {jwtBearerAssertion}, "client_assertion": {assertion}}
	}
	first := oaSignAssertion(t, key, "k1", claims("j1", audience))
	r := h.token("/oauth2/v1/token", form(first, "okta.users.read"))
	if r.status != 200 {
		t.Fatalf("private_key_jwt: %d %s", r.status, r.text)
	}
	access := r.json(t)["access_token"].(string)
	h.expectOAuthError(h.token("/oauth2/v1/token", form(first, "okta.users.read")), 401, "invalid_client")
	h.expectOAuthError(h.token("/oauth2/v1/token", form(oaSignAssertion(t, key, "k1", claims("j2", oaOrigin+"/oauth2/default/v1/token")), "okta.users.read")), 401, "invalid_client")
	h.expectOAuthError(h.token("/oauth2/v1/token", form(oaSignAssertion(t, key, "k1", claims("j3", audience)), "okta.groups.read")), 400, "invalid_scope")

	users := h.send("GET", "/api/v1/users", nil, "Authorization", "Bearer "+access)
	if users.status != 200 || !strings.Contains(users.text, oaAdmin) {
		t.Fatalf("Management API with the client's token: %d %s", users.status, users.text)
	}
	create := h.send("POST", "/api/v1/users", `{"profile":{"login":"x@twin.test","email":"x@twin.test","firstName":"X","lastName":"Y"}}`, "Authorization", "Bearer "+access)
	if create.status != 403 || create.json(t)["errorCode"] != "E0000006" || !strings.Contains(create.header.Get("Www-Authenticate"), `error="insufficient_scope"`) {
		t.Fatalf("a read token writing: %d %v %s", create.status, create.header, create.text)
	}
	if r := h.send("GET", "/api/v1/users", nil, "Authorization", "Bearer not.a.token"); r.status != 401 || r.json(t)["errorCode"] != "E0000011" {
		t.Fatalf("a bad token: %d %s", r.status, r.text)
	}
	if r := h.send("GET", "/api/v1/users", nil, "Authorization", "DPoP "+access); r.status != 401 || r.json(t)["errorCode"] != "E0000011" {
		t.Fatalf("an unbound token sent as DPoP: %d %s", r.status, r.text)
	}
	// A default server token is for your own APIs, not Okta's.
	own := h.token("/oauth2/default/v1/token", url.Values{"grant_type": {"client_credentials"}}, oaBasic(oaService, oaSecret)...).json(t)["access_token"].(string)
	if r := h.send("GET", "/api/v1/users", nil, "Authorization", "Bearer "+own); r.status != 401 {
		t.Fatalf("a default server token at the Management API: %d %s", r.status, r.text)
	}
}

func TestBadOAuthInputNeverFailsTheServer(t *testing.T) {
	h := newOAuthHarness(t)
	svc := oaBasic(oaService, oaSecret)
	requests := []struct {
		method, path string
		body         any
		headers      []string
	}{
		{"POST", "/oauth2/default/v1/token", url.Values{"grant_type": {"authorization_code"}, "code": {"nope"}, "client_id": {"x"}, "client_secret": {"y"}}, nil},
		{"POST", "/oauth2/default/v1/token", url.Values{"grant_type": {"client_credentials"}, "client_assertion_type": {jwtBearerAssertion}, "client_assertion": {"e30.e30.AAAA"}}, nil},
		{"POST", "/oauth2/default/v1/token", url.Values{"grant_type": {"client_credentials"}, "client_assertion_type": {jwtBearerAssertion}, "client_assertion": {"@@.@@.@@"}}, nil},
		{"POST", "/oauth2/default/v1/token", url.Values{"grant_type": {"client_credentials"}}, []string{"Authorization", "Basic %%%"}},
		{"POST", "/oauth2/default/v1/introspect", url.Values{"token": {"a.b.c"}}, svc},
		{"POST", "/oauth2/default/v1/introspect", url.Values{"token": {"eyJhbGciOiJub25lIn0.e30."}}, svc},
		{"POST", "/oauth2/default/v1/revoke", url.Values{"token": {"x.y.z"}}, svc},
		{"GET", "/oauth2/default/v1/userinfo", nil, []string{"Authorization", "Bearer a.b.c"}},
		{"GET", "/oauth2/default/v1/logout?id_token_hint=%E0%A4%A", nil, nil},
		{"GET", "/oauth2/default/v1/authorize?client_id=" + oaService + "&redirect_uri=x", nil, nil},
		{"GET", "/oauth2/v1/authorize?response_type=code", nil, nil},
		{"POST", "/oauth2/v1/authorize", "{}", nil},
		{"GET", "/api/v1/users", nil, []string{"Authorization", "Bearer "}},
	}
	for _, c := range requests {
		r := h.send(c.method, c.path, c.body, c.headers...)
		if r.status >= 500 {
			t.Fatalf("%s %s: %d %s", c.method, c.path, r.status, r.text)
		}
		if r.status >= 400 && strings.HasPrefix(c.path, "/oauth2/") && r.text != "" {
			if m := r.json(t); m["error"] == nil && m["errorCode"] == nil {
				t.Fatalf("%s %s: no error envelope: %s", c.method, c.path, r.text)
			}
		}
	}
}

func TestTokenInlineHookPatchesTokens(t *testing.T) {
	h := newOAuthHarness(t)
	var seen map[string]any
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("X-Twin-Hook") != "secret" {
			w.WriteHeader(401)
			return
		}
		_ = json.NewDecoder(r.Body).Decode(&seen)
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"commands":[{"type":"com.okta.access.patch","value":[`+
			`{"op":"add","path":"/claims/tenant","value":"acme"},{"op":"replace","path":"/token/lifetime/expiration","value":600},{"op":"add","path":"/claims/sub","value":"nope"}]}]}`)
	}))
	t.Cleanup(hook.Close)
	export := h.send("GET", "/__twin/state", nil).text
	hooks := `"inlineHooks":{"cal1":{"id":"cal1","name":"Tokens","status":"ACTIVE","type":"com.okta.oauth2.tokens.transform","version":"1.0.0",` +
		`"channel":{"type":"HTTP","version":"1.0.0","config":{"uri":"` + hook.URL + `","headers":[{"key":"X-Twin-Hook","value":"secret"}],"method":"POST"}}}},`
	export = strings.Replace(export, `"state":{`, `"state":{`+hooks, 1)
	export = strings.Replace(export, `"refreshTokenWindowMinutes":10080}`, `"refreshTokenWindowMinutes":10080,"inlineHook":{"id":"cal1"}}`, 1)
	if r := h.send("PUT", "/__twin/state", export); r.status != 200 {
		t.Fatalf("import: %d %s", r.status, r.text)
	}
	r := h.token("/oauth2/default/v1/token", url.Values{"grant_type": {"client_credentials"}}, oaBasic(oaService, oaSecret)...)
	body := r.json(t)
	if r.status != 200 || body["expires_in"] != 600.0 {
		t.Fatalf("hooked token response: %d %s", r.status, r.text)
	}
	_, claims := oaJWTParts(t, body["access_token"].(string))
	if claims["tenant"] != "acme" || claims["sub"] != oaService || claims["exp"] != oaEpoch+600 {
		t.Fatalf("hooked claims: %v", claims)
	}
	data, _ := seen["data"].(map[string]any)
	access, _ := data["access"].(map[string]any)
	if seen["eventType"] != "com.okta.oauth2.tokens.transform" || access["scopes"] == nil {
		t.Fatalf("hook payload: %v", seen)
	}
	// A hook that answers with an error stops the request.
	refusing := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.WriteString(w, `{"error":{"errorSummary":"No tokens for you"}}`)
	}))
	t.Cleanup(refusing.Close)
	if r := h.send("PUT", "/__twin/state", strings.Replace(export, hook.URL, refusing.URL, 1)); r.status != 200 {
		t.Fatalf("import: %d %s", r.status, r.text)
	}
	refused := h.expectOAuthError(h.token("/oauth2/default/v1/token", url.Values{"grant_type": {"client_credentials"}}, oaBasic(oaService, oaSecret)...), 400, "server_error")
	if refused["error_description"] != "No tokens for you" {
		t.Fatalf("hook refusal: %v", refused)
	}
}

// dpopProof signs an RFC 9449 proof with an EC P-256 key whose public JWK goes in the header.
func oaDPoPProof(t *testing.T, key *ecdsa.PrivateKey, claims map[string]any) string {
	t.Helper()
	pub, err := key.PublicKey.ECDH()
	if err != nil {
		t.Fatal(err)
	}
	raw := pub.Bytes()
	jwk := map[string]any{"kty": "EC", "crv": "P-256", "x": base64.RawURLEncoding.EncodeToString(raw[1:33]), "y": base64.RawURLEncoding.EncodeToString(raw[33:])}
	header, _ := json.Marshal(map[string]any{"typ": "dpop+jwt", "alg": "ES256", "jwk": jwk})
	payload, _ := json.Marshal(claims)
	input := base64.RawURLEncoding.EncodeToString(header) + "." + base64.RawURLEncoding.EncodeToString(payload)
	sum := sha256.Sum256([]byte(input))
	r, s, err := ecdsa.Sign(rand.Reader, key, sum[:])
	if err != nil {
		t.Fatal(err)
	}
	signature := append(r.FillBytes(make([]byte, 32)), s.FillBytes(make([]byte, 32))...)
	return input + "." + base64.RawURLEncoding.EncodeToString(signature)
}

func TestDPoPBoundTokens(t *testing.T) {
	h := newOAuthHarness(t)
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	export := h.send("GET", "/__twin/state", nil).text
	app := `"0oadpop":{"id":"0oadpop","name":"oidc_client","label":"DPoP","status":"ACTIVE","signOnMode":"OPENID_CONNECT",` +
		`"credentials":{"oauthClient":{"client_id":"dpop-client","client_secret":"dpop-secret","token_endpoint_auth_method":"client_secret_basic"}},` +
		`"settings":{"oauthClient":{"grant_types":["password"],"dpop_bound_access_tokens":true}}},`
	export = strings.Replace(export, `"apps":{`, `"apps":{`+app, 1)
	export = strings.Replace(export, `"appUsers":{}`, `"appUsers":{"0oadpop":{"`+oaAdmin+`":{"id":"`+oaAdmin+`","scope":"USER"}}}`, 1)
	if r := h.send("PUT", "/__twin/state", export); r.status != 200 {
		t.Fatalf("import: %d %s", r.status, r.text)
	}
	tokenURL := oaOrigin + "/oauth2/default/v1/token"
	form := url.Values{"grant_type": {"password"}, "username": {oaAdminLogin}, "password": {oaAdminSecret}, "scope": {"openid"}}
	basic := oaBasic("dpop-client", "dpop-secret")
	h.expectOAuthError(h.token("/oauth2/default/v1/token", form, basic...), 400, "invalid_dpop_proof")
	proof := func(claims map[string]any) []string {
		return append([]string{"DPoP", oaDPoPProof(t, key, claims)}, basic...)
	}
	first := h.token("/oauth2/default/v1/token", form, proof(map[string]any{"htm": "POST", "htu": tokenURL, "iat": oaEpoch, "jti": "p1"})...)
	h.expectOAuthError(first, 400, "use_dpop_nonce")
	nonce := first.header.Get("DPoP-Nonce")
	if nonce == "" {
		t.Fatal("use_dpop_nonce comes with a DPoP-Nonce header")
	}
	h.expectOAuthError(h.token("/oauth2/default/v1/token", form, proof(map[string]any{"htm": "GET", "htu": tokenURL, "iat": oaEpoch, "jti": "p2", "nonce": nonce})...), 400, "invalid_dpop_proof")
	ok := h.token("/oauth2/default/v1/token", form, proof(map[string]any{"htm": "POST", "htu": tokenURL, "iat": oaEpoch, "jti": "p3", "nonce": nonce})...)
	if ok.status != 200 || ok.json(t)["token_type"] != "DPoP" {
		t.Fatalf("DPoP token: %d %s", ok.status, ok.text)
	}
	access := ok.json(t)["access_token"].(string)
	_, claims := oaJWTParts(t, access)
	cnf, _ := claims["cnf"].(map[string]any)
	if jkt, _ := cnf["jkt"].(string); len(jkt) != 43 {
		t.Fatalf("cnf.jkt: %v", claims)
	}
	if m := h.token("/oauth2/default/v1/introspect", url.Values{"token": {access}}, basic...).json(t); m["token_type"] != "DPoP" || m["cnf"] == nil {
		t.Fatalf("introspection of a bound token: %v", m)
	}
	if r := h.send("GET", "/oauth2/default/v1/userinfo", nil, "Authorization", "Bearer "+access); r.status != 401 || !strings.HasPrefix(r.header.Get("Www-Authenticate"), "DPoP ") {
		t.Fatalf("a bound token sent as Bearer: %d %v", r.status, r.header)
	}
	sum := sha256.Sum256([]byte(access))
	resourceProof := oaDPoPProof(t, key, map[string]any{"htm": "GET", "htu": oaOrigin + "/oauth2/default/v1/userinfo", "iat": oaEpoch, "jti": "r1", "ath": base64.RawURLEncoding.EncodeToString(sum[:])})
	if r := h.send("GET", "/oauth2/default/v1/userinfo", nil, "Authorization", "DPoP "+access, "DPoP", resourceProof); r.status != 200 || r.json(t)["sub"] != oaAdmin {
		t.Fatalf("userinfo with a proof: %d %s", r.status, r.text)
	}
	h.expectOAuthError(h.send("GET", "/oauth2/default/v1/userinfo", nil, "Authorization", "DPoP "+access, "DPoP", resourceProof), 400, "invalid_dpop_proof")
}
