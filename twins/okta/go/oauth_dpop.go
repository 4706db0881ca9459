package main

import (
	"crypto/sha256"
	"net/url"
	"sort"
	"strings"

	e "twinverse/twins/goengine"
)

// DPoP (RFC 9449) as twins/okta/model/dpop.ts emulates it: a client whose app requires DPoP-bound tokens sends a
// proof with its token requests (with the server's nonce), gets tokens bound to its key (`cnf.jkt`), and presents
// them as `Authorization: DPoP` with a fresh proof at /userinfo and the Management API.

const (
	// proofWindowSeconds is how far a proof's iat may be from the twin clock.
	proofWindowSeconds = 300
	// A nonce is handed out for a day and accepted until three days after it was made (Okta's DPoP guide).
	nonceRenewalSeconds  = 24 * 3600
	nonceAcceptedSeconds = 3 * 24 * 3600
)

func invalidDPoPProof(description string) *oauthError {
	return newOAuthError(400, "invalid_dpop_proof", description)
}

func appRequiresDPoP(app *e.Object) bool {
	return get(oidcSettings(app), "dpop_bound_access_tokens") == true
}

// dpopExpectations: what a request to a DPoP-protected endpoint must show.
type dpopExpectations struct {
	method       string
	url          string
	accessToken  string
	atResource   bool
	requireNonce bool
}

// currentDPoPNonce is the server's nonce, renewed once it has been handed out for a day; the one it replaces stays
// accepted until three days after it was made.
func currentDPoPNonce(ctx *e.Ctx, server string) *e.Object {
	nonces := ctx.Ensure(ctx.State.Obj("oauth"), "dpopNonces")
	now := twinEpochSeconds(ctx)
	nonce := nonces.Obj(server)
	if expires, _ := numClaim(nonce, "expiresAt"); nonce != nil && expires > now {
		return nonce
	}
	older := []any{}
	for _, old := range objects(nonce.Arr("older")) {
		if until, _ := numClaim(old, "acceptedUntil"); until > now {
			older = append(older, old)
		}
	}
	if nonce != nil {
		expires, _ := numClaim(nonce, "expiresAt")
		if acceptedUntil := expires - nonceRenewalSeconds + nonceAcceptedSeconds; acceptedUntil > now {
			older = append(older, e.NewObject("value", get(nonce, "value"), "acceptedUntil", acceptedUntil))
		}
	}
	fresh := e.NewObject("value", ctx.IDs.Token(43, ""), "expiresAt", now+nonceRenewalSeconds)
	if len(older) > 0 {
		fresh.Set("older", older)
	}
	ctx.Set(nonces, server, fresh)
	return fresh
}

func acceptsDPoPNonce(ctx *e.Ctx, nonce *e.Object, value any) bool {
	s, isStr := value.(string)
	if !isStr {
		return false
	}
	if s == nonce.Str("value") {
		return true
	}
	now := twinEpochSeconds(ctx)
	for _, old := range objects(nonce.Arr("older")) {
		if until, _ := numClaim(old, "acceptedUntil"); old.Str("value") == s && until > now {
			return true
		}
	}
	return false
}

// spendDPoPProof accepts a proof's jti once at a resource; entries are dropped once their iat is out of the window.
func spendDPoPProof(ctx *e.Ctx, jkt, jti string, iat float64) error {
	spent := ctx.Ensure(ctx.State.Obj("oauth"), "dpopProofs")
	now := twinEpochSeconds(ctx)
	for _, key := range append([]string(nil), spent.Keys()...) {
		if until, _ := numClaim(spent, key); until < now {
			ctx.Delete(spent, key)
		}
	}
	sum := sha256.Sum256([]byte(jkt + "." + jti))
	key := b64.EncodeToString(sum[:])
	if spent.Has(key) {
		return invalidDPoPProof("The DPoP proof 'jti' has already been used.")
	}
	ctx.Set(spent, key, iat+proofWindowSeconds)
	return nil
}

// sameDPoPEndpoint compares an htu with the endpoint's URL as WHATWG URLs: scheme, host and path.
func sameDPoPEndpoint(htu any, expected string) bool {
	s, isStr := htu.(string)
	if !isStr {
		return false
	}
	a, errA := url.Parse(s)
	b, errB := url.Parse(expected)
	if errA != nil || errB != nil || a.Scheme == "" {
		return false
	}
	norm := func(u *url.URL) [3]string {
		scheme := strings.ToLower(u.Scheme)
		host := strings.ToLower(u.Host)
		if port, special := specialSchemes[scheme]; special {
			host = strings.TrimSuffix(host, ":"+port)
		}
		path := u.EscapedPath()
		if path == "" {
			path = "/"
		}
		return [3]string{scheme, host, path}
	}
	return norm(a) == norm(b)
}

// jwkSHA256Thumbprint is a public key's RFC 7638 SHA-256 thumbprint, or "" when its required members are not strings.
func jwkSHA256Thumbprint(jwk *e.Object) string {
	members := map[string][]string{"RSA": {"e", "kty", "n"}, "EC": {"crv", "kty", "x", "y"}, "OKP": {"crv", "kty", "x"}}[jwk.Str("kty")]
	if members == nil {
		return ""
	}
	sort.Strings(members)
	canonical := e.NewObject()
	for _, m := range members {
		v, isStr := get(jwk, m).(string)
		if !isStr {
			return ""
		}
		canonical.Set(m, v)
	}
	sum := sha256.Sum256(e.Marshal(canonical))
	return b64.EncodeToString(sum[:])
}

// checkDPoPProofOf checks the request's DPoP proof (RFC 9449 §4.3): a dpop+jwt signed with the asymmetric key whose
// public JWK is in its header, for this method and URL, recent, with a jti; at the token endpoint with the server's
// nonce (else use_dpop_nonce and a DPoP-Nonce header), at a resource with the token's ath, once. It returns the
// key's thumbprint, which binds the tokens.
func checkDPoPProofOf(ctx *e.Ctx, server string, expected dpopExpectations) (string, error) {
	proof := ctx.Headers["dpop"]
	if proof == "" {
		return "", invalidDPoPProof("The DPoP proof JWT header is missing.")
	}
	parts := strings.Split(proof, ".")
	rawHeader, decoded := decodeB64URL(parts[0])
	header, isObj := parseObjectJSON(rawHeader)
	if len(parts) != 3 || !decoded || !isObj {
		return "", invalidDPoPProof("The DPoP proof JWT is malformed.")
	}
	if get(header, "typ") != "dpop+jwt" {
		return "", invalidDPoPProof("The DPoP proof JWT 'typ' header must be 'dpop+jwt'.")
	}
	alg, isStr := get(header, "alg").(string)
	if !isStr || !contains(dpopAlgs, alg) {
		return "", invalidDPoPProof("The DPoP proof JWT 'alg' must be one of " + strings.Join(dpopAlgs, ", ") + ".")
	}
	jwk := header.Obj("jwk")
	if jwk == nil || jwk.Has("d") {
		return "", invalidDPoPProof("The DPoP proof JWT 'jwk' header must be a public key.")
	}
	jws := parseCompactJWS(proof)
	if jws == nil || !jws.verifyWith(alg, jwk, nil) || !jwtTimesValid(jws.payload, twinEpochSeconds(ctx)) {
		return "", invalidDPoPProof("The DPoP proof JWT signature is invalid.")
	}
	claims := jws.payload
	if get(claims, "htm") != expected.method {
		return "", invalidDPoPProof("The DPoP proof 'htm' claim must be '" + expected.method + "'.")
	}
	if !sameDPoPEndpoint(get(claims, "htu"), expected.url) {
		return "", invalidDPoPProof("The DPoP proof 'htu' claim must be '" + expected.url + "'.")
	}
	jti, _ := get(claims, "jti").(string)
	if jti == "" {
		return "", invalidDPoPProof("The DPoP proof 'jti' claim is missing.")
	}
	iat, isNum := numClaim(claims, "iat")
	if !isNum || iat-twinEpochSeconds(ctx) > proofWindowSeconds || twinEpochSeconds(ctx)-iat > proofWindowSeconds {
		return "", invalidDPoPProof("The DPoP proof 'iat' claim is missing or not recent.")
	}
	if expected.atResource {
		sum := sha256.Sum256([]byte(expected.accessToken))
		if get(claims, "ath") != b64.EncodeToString(sum[:]) {
			return "", invalidDPoPProof("The DPoP proof 'ath' claim does not match the access token.")
		}
	}
	if expected.requireNonce {
		nonce := currentDPoPNonce(ctx, server)
		if !acceptsDPoPNonce(ctx, nonce, get(claims, "nonce")) {
			refusal := newOAuthError(400, "use_dpop_nonce", "Authorization server requires nonce in DPoP proof.")
			refusal.headers = map[string]string{"dpop-nonce": nonce.Str("value")}
			return "", refusal
		}
	}
	jkt := jwkSHA256Thumbprint(jwk)
	if jkt == "" {
		return "", invalidDPoPProof("The DPoP proof JWT signature is invalid.")
	}
	if expected.atResource {
		if err := spendDPoPProof(ctx, jkt, jti, iat); err != nil {
			return "", err
		}
	}
	return jkt, nil
}

// bindDPoPTokenRequest requires and checks the proof of a token request from a client whose tokens must be bound, and
// returns the key the grant binds them to ("" for a client without DPoP: Okta issues it Bearer tokens).
func bindDPoPTokenRequest(ctx *e.Ctx, server *authServer, app *e.Object) (string, error) {
	if !appRequiresDPoP(app) {
		return "", nil
	}
	return checkDPoPProofOf(ctx, server.key, dpopExpectations{method: "POST", url: server.endpoints + "/token", requireNonce: true})
}

// bindDPoPRefreshToken binds a public client's refresh token issued with DPoP-bound tokens to the same key.
func bindDPoPRefreshToken(ctx *e.Ctx, clientID, refreshToken, jkt string) {
	app := findOIDCApp(ctx.State, clientID)
	if jkt == "" || app == nil || clientAuthMethod(app) != "none" {
		return
	}
	ctx.Set(ctx.Ensure(ctx.State.Obj("oauth"), "dpopRefreshBindings"), refreshToken, jkt)
}

// checkDPoPRefreshBinding refuses a bound refresh token unless the request's proof is of its key.
func checkDPoPRefreshBinding(ctx *e.Ctx, refreshToken, jkt string) error {
	bound, has := ctx.State.Obj("oauth").Obj("dpopRefreshBindings").Get(refreshToken)
	if has && bound != nil && bound != jkt {
		return invalidDPoPProof("The DPoP proof key does not match the key the refresh token is bound to.")
	}
	return nil
}

// dpopBindingProblem: what is wrong with how a request presents an access token to the Management API, or "".
func dpopBindingProblem(ctx *e.Ctx, claims *e.Object, token string, presentedAsDPoP bool) string {
	jkt, bound := get(claims.Obj("cnf"), "jkt").(string)
	if !bound {
		if presentedAsDPoP {
			return "The access token is not DPoP-bound: send it as a Bearer token."
		}
		return ""
	}
	if !presentedAsDPoP {
		return "The access token is DPoP-bound: send it with Authorization: DPoP and a DPoP proof."
	}
	proven, err := checkDPoPProofOf(ctx, orgServerKey, dpopExpectations{method: ctx.Request.Method, url: orgBaseURL(ctx) + ctx.Request.Path, accessToken: token, atResource: true})
	if err != nil {
		return err.Error()
	}
	if proven != jkt {
		return "The DPoP proof key does not match the key the access token is bound to."
	}
	return ""
}
