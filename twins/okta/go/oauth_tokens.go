package main

import (
	"crypto/rand"
	"math"
	"strings"

	e "twinverse/twins/goengine"
)

// Tokens (twins/okta/model/oauth-tokens.ts, src/kit/token-records.ts): access and ID tokens are RS256 JWTs
// signed with the server's ACTIVE key; access and refresh tokens are recorded in state.oauth.tokens (access
// tokens by jti, refresh tokens by value) for introspect, revoke and the refresh_token grant.

const (
	base64urlAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
	idTokenLifetime   = 3600
	// codeLifetime is how long an authorization code works, in seconds.
	codeLifetime = 300
)

// tokenGrant is what a flow decided: who gets tokens, from which server, for which scopes.
type tokenGrant struct {
	server    *authServer
	clientID  string
	user      *e.Object
	scopes    []string
	authTime  any
	nonce     any
	lifetimes *accessLifetimes
	// hookPatch is what the rule's token inline hook changed in the tokens.
	hookPatch *hookPatch
	// dpopJkt is the thumbprint of the DPoP key the access token is bound to (cnf.jkt), or "".
	dpopJkt string
}

// accessLifetime is the access token's lifetime: the hook's, else the rule's.
func (g *tokenGrant) accessLifetime() float64 {
	if g.hookPatch != nil && g.hookPatch.access.hasLife {
		return g.hookPatch.access.lifetime
	}
	return g.lifetimes.accessToken
}

func (g *tokenGrant) side(identity bool) *hookPatchSide {
	if g.hookPatch == nil {
		return nil
	}
	if identity {
		return g.hookPatch.identity
	}
	return g.hookPatch.access
}

// twinEpochSeconds is the twin clock's now in whole seconds, as JWT claims and token records count time.
func twinEpochSeconds(ctx *e.Ctx) float64 { return math.Floor(float64(ctx.Clock.NowMs()) / 1000) }

// mintOpaqueToken is a URL-safe token from the twin's deterministic id source (jti, error ids).
func mintOpaqueToken(ctx *e.Ctx, length int) string { return ctx.IDs.Token(length, base64urlAlphabet) }

// secretToken is an authorization code or refresh token: from the id source on a fixed clock, so a reproducible
// run gives the same values; on the wall clock from the system's random source, so a fresh process never issues
// again a value an earlier one issued. The id source is drawn from either way, so the ids that follow agree.
func secretToken(ctx *e.Ctx, length int) string {
	seeded := mintOpaqueToken(ctx, length)
	if ctx.Clock.Fixed() {
		return seeded
	}
	raw := make([]byte, length)
	_, _ = rand.Read(raw)
	for i := range raw {
		raw[i] = base64urlAlphabet[raw[i]&63]
	}
	return string(raw)
}

func oauthTokenStore(ctx *e.Ctx) *e.Object { return ctx.Ensure(ctx.State.Obj("oauth"), "tokens") }

// newTokenRecord is the record of a token issued now, live for lifetime seconds.
func newTokenRecord(g *tokenGrant, kind string, iat, lifetime float64, refreshToken any) *e.Object {
	var userID any
	if g.user != nil {
		userID = g.user.Str("id")
	}
	return e.NewObject("type", kind, "server", g.server.key, "clientId", g.clientID, "userId", userID, "scopes", anyStrings(g.scopes),
		"issuedAt", iat, "expiresAt", iat+lifetime, "revoked", false, "refreshToken", refreshToken, "authTime", g.authTime)
}

// issuedTokenRecord is the record under key, only if token is the very token issued (its fingerprint matches).
func issuedTokenRecord(ctx *e.Ctx, key, token string) *e.Object {
	record := ctx.State.Obj("oauth").Obj("tokens").Obj(key)
	if record == nil {
		return nil
	}
	if fp, has := record.Get("fingerprint"); has && fp != nil && fp != issuedFingerprint(token) {
		return nil
	}
	return record
}

// tokenIsLive: neither revoked nor expired.
func tokenIsLive(ctx *e.Ctx, record *e.Object) bool {
	if record == nil || get(record, "revoked") == true {
		return false
	}
	expires, _ := numClaim(record, "expiresAt")
	return expires > twinEpochSeconds(ctx)
}

// revokeIssued revokes a token; revoking a refresh token also revokes the access tokens issued with it.
func revokeIssued(ctx *e.Ctx, key string) {
	store := ctx.State.Obj("oauth").Obj("tokens")
	record := store.Obj(key)
	if record == nil {
		return
	}
	ctx.Set(record, "revoked", true)
	if record.Str("type") != "refresh_token" {
		return
	}
	for _, other := range values(store) {
		if get(other, "refreshToken") == key {
			ctx.Set(other, "revoked", true)
		}
	}
}

// signToken signs with the server's ACTIVE key (the org's when the server has none).
func signToken(ctx *e.Ctx, serverKey string, claims *e.Object) (string, error) {
	key := activeSigningKey(ctx.State, serverKey)
	if key == nil {
		key = activeSigningKey(ctx.State, orgServerKey)
	}
	if key == nil {
		return "", &e.EngineError{Kind: "internal", Message: "The authorization server has no signing key"}
	}
	token, signed := signCompactRS256(key, claims)
	if !signed {
		return "", &e.EngineError{Kind: "internal", Message: "The signing key " + key.Str("kid") + " is not a usable RSA private key"}
	}
	return token, nil
}

// twinVerificationKeys are the public halves of every signing key of the state, parsed once per state.
func twinVerificationKeys(ctx *e.Ctx) []*e.Object {
	keys := objects(ctx.State.Obj("oauth").Arr("signingKeys"))
	var kids []string
	for _, k := range keys {
		kids = append(kids, k.Str("kid"))
	}
	return ctx.Memo("oauth:jwks:"+strings.Join(kids, " "), func() any {
		out := make([]*e.Object, len(keys))
		for i, k := range keys {
			out[i] = publicSigningJWK(k)
		}
		return out
	}).([]*e.Object)
}

// verifyTwinSignature is the claims of an RS256 JWT signed by one of the twin's keys, expired or not, or nil.
func verifyTwinSignature(ctx *e.Ctx, token string) *e.Object {
	jws := parseCompactJWS(token)
	if jws == nil || !jws.verifyWithSet(twinVerificationKeys(ctx), []string{"RS256"}) {
		return nil
	}
	return jws.payload
}

// verifyLiveTwinJWT is the claims of a token the twin signed (with any server's key) that is within its lifetime on
// the twin clock, or nil.
func verifyLiveTwinJWT(ctx *e.Ctx, token string) *e.Object {
	claims := verifyTwinSignature(ctx, token)
	if claims == nil || !jwtTimesValid(claims, twinEpochSeconds(ctx)) {
		return nil
	}
	return claims
}

// liveAccessTokenOf is a live access token of this server: signature, issuer, audience and record all check out.
func liveAccessTokenOf(ctx *e.Ctx, server *authServer, token string) (*e.Object, *e.Object) {
	claims := verifyLiveTwinJWT(ctx, token)
	if claims == nil || get(claims, "iss") != server.issuer || get(claims, "aud") != server.audience {
		return nil, nil
	}
	jti, isStr := get(claims, "jti").(string)
	if !isStr {
		return nil, nil
	}
	record := issuedTokenRecord(ctx, jti, token)
	if !tokenIsLive(ctx, record) || record.Str("type") != "access_token" || record.Str("server") != server.key {
		return nil, nil
	}
	return claims, record
}

// mintAccessToken is Okta's access token: sub is the user's login (the client id without a user), uid the
// user id; a custom server adds its RESOURCE claims, and its access rule sets the lifetime.
func mintAccessToken(ctx *e.Ctx, g *tokenGrant, refreshToken any) (string, error) {
	iat := twinEpochSeconds(ctx)
	jti := "AT." + mintOpaqueToken(ctx, 43)
	lifetime := g.accessLifetime()
	claims := serverCustomClaims(ctx, g.server.key, "RESOURCE", g.user, g.scopes, false)
	for _, kv := range [][2]any{{"ver", float64(1)}, {"jti", jti}, {"iss", g.server.issuer}, {"aud", g.server.audience}, {"iat", iat}, {"exp", iat + lifetime}, {"cid", g.clientID}} {
		claims.Set(kv[0].(string), kv[1])
	}
	if g.user != nil {
		claims.Set("uid", g.user.Str("id"))
	}
	claims.Set("scp", anyStrings(g.scopes))
	if g.user != nil && g.authTime != nil {
		claims.Set("auth_time", g.authTime)
	}
	if g.user != nil {
		claims.Set("sub", get(g.user.Obj("profile"), "login"))
	} else {
		claims.Set("sub", g.clientID)
	}
	if g.dpopJkt != "" {
		claims.Set("cnf", e.NewObject("jkt", g.dpopJkt))
	}
	claims = hookPatched(claims, g.side(false))
	store := oauthTokenStore(ctx)
	record := newTokenRecord(g, "access_token", iat, lifetime, refreshToken)
	ctx.Set(store, jti, record)
	signed, err := signToken(ctx, g.server.key, claims)
	if err != nil {
		return "", err
	}
	// Only this very token is live: a fresh process signing the same jti with the same seeded keys makes another.
	record.Set("fingerprint", issuedFingerprint(signed))
	return signed, nil
}

// mintRefreshToken is an opaque refresh token. It expires unused after the rule's window, and at the latest at
// its deadline: the rule's lifetime from the first issue, which a token rotated from another inherits.
func mintRefreshToken(ctx *e.Ctx, g *tokenGrant, deadline any) string {
	iat := twinEpochSeconds(ctx)
	value := secretToken(ctx, 43)
	l := g.lifetimes
	until := deadline
	if until == nil && l.refreshTokenLifetime > 0 {
		until = iat + l.refreshTokenLifetime
	}
	record := newTokenRecord(g, "refresh_token", iat, l.refreshTokenWindow, nil)
	ctx.Set(oauthTokenStore(ctx), value, record)
	if limit, isNum := until.(float64); isNum {
		record.Set("expiresAt", math.Min(iat+l.refreshTokenWindow, limit))
		ctx.Set(ctx.Ensure(ctx.State.Obj("oauth"), "refreshTokenDeadlines"), value, limit)
	}
	return value
}

// idTokenOptions: the tokens an ID token is issued with; minimal leaves the profile claims to /userinfo (an
// implicit request that also returns an access token).
type idTokenOptions struct {
	accessToken string
	code        string
	minimal     bool
}

func mintIDToken(ctx *e.Ctx, g *tokenGrant, opts idTokenOptions) (string, error) {
	iat := twinEpochSeconds(ctx)
	user := oidcUserClaims(ctx, g.user, g.scopes, g.server)
	payload := e.NewObject("sub", get(user, "sub"))
	if !opts.minimal {
		for _, k := range user.Keys() {
			if k != "sub" {
				payload.Set(k, get(user, k))
			}
		}
		custom := serverCustomClaims(ctx, g.server.key, "IDENTITY", g.user, g.scopes, opts.accessToken != "" || opts.code != "")
		for _, k := range custom.Keys() {
			payload.Set(k, get(custom, k))
		}
	}
	lifetime := float64(idTokenLifetime)
	if side := g.side(true); side != nil && side.hasLife {
		lifetime = side.lifetime
	}
	for _, kv := range [][2]any{{"ver", float64(1)}, {"iss", g.server.issuer}, {"aud", g.clientID}, {"iat", iat}, {"exp", iat + lifetime}, {"jti", "ID." + mintOpaqueToken(ctx, 43)}, {"amr", []any{"pwd"}}, {"idp", ctx.State.Obj("org").Str("id")}} {
		payload.Set(kv[0].(string), kv[1])
	}
	if g.nonce != nil {
		payload.Set("nonce", g.nonce)
	}
	if g.authTime != nil {
		payload.Set("auth_time", g.authTime)
	}
	if opts.accessToken != "" {
		payload.Set("at_hash", oidcHalfHash(opts.accessToken))
	}
	if opts.code != "" {
		payload.Set("c_hash", oidcHalfHash(opts.code))
	}
	return signToken(ctx, g.server.key, hookPatched(payload, g.side(true)))
}

// setPresent is what the claim mapping keeps: values that are not absent, null or "".
func setPresent(o *e.Object, key string, v any, has bool) {
	if has && v != nil && v != "" {
		o.Set(key, v)
	}
}

func profileValue(profile *e.Object, key string) (any, bool) {
	v, has := profile.Get(key)
	return v, has
}

// oidcUserClaims are the user's claims for the scopes, in the order Okta's /userinfo lists them: sub (the user id),
// then profile, email, address and phone claims mapped from the Okta profile, and on the org server the names of
// the user's groups for `groups`. Okta fills zoneinfo and locale with the org defaults when unset.
func oidcUserClaims(ctx *e.Ctx, user *e.Object, scopes []string, server *authServer) *e.Object {
	p := user.Obj("profile")
	claims := e.NewObject("sub", user.Str("id"))
	if contains(scopes, "profile") {
		var names []string
		for _, k := range []string{"firstName", "lastName"} {
			if v, _ := profileValue(p, k); truthy(v) {
				names = append(names, jsString(v))
			}
		}
		if full := strings.Join(names, " "); full != "" {
			claims.Set("name", full)
		}
		for _, m := range [][2]string{{"nickname", "nickName"}, {"given_name", "firstName"}, {"middle_name", "middleName"}, {"family_name", "lastName"}, {"profile", "profileUrl"}} {
			v, has := profileValue(p, m[1])
			setPresent(claims, m[0], v, has)
		}
		setPresent(claims, "zoneinfo", orDefault(p, "timezone", "America/Los_Angeles"), true)
		setPresent(claims, "locale", orDefault(p, "locale", "en_US"), true)
		var updated any
		if t, err := e.ParseInstant(user.Str("lastUpdated")); err == nil {
			updated = math.Floor(float64(t.UnixMilli()) / 1000)
		}
		claims.Set("updated_at", updated)
		v, has := profileValue(p, "login")
		setPresent(claims, "preferred_username", v, has)
	}
	if email, _ := profileValue(p, "email"); contains(scopes, "email") && truthy(email) {
		claims.Set("email", email)
		claims.Set("email_verified", true)
	}
	if contains(scopes, "address") {
		address := e.NewObject()
		for _, m := range [][2]string{{"street_address", "streetAddress"}, {"locality", "city"}, {"region", "state"}, {"postal_code", "zipCode"}, {"country", "countryCode"}} {
			v, has := profileValue(p, m[1])
			setPresent(address, m[0], v, has)
		}
		if address.Len() > 0 {
			claims.Set("address", address)
		}
	}
	if contains(scopes, "phone") {
		mobile, _ := profileValue(p, "mobilePhone")
		primary, _ := profileValue(p, "primaryPhone")
		if truthy(mobile) {
			claims.Set("phone_number", mobile)
		} else if truthy(primary) {
			claims.Set("phone_number", primary)
		}
	}
	if !server.custom && contains(scopes, "groups") {
		names := []any{}
		members := ctx.State.Obj("groupMembers")
		for _, groupID := range members.Keys() {
			if !contains(strings_(members.Arr(groupID)), user.Str("id")) {
				continue
			}
			if name, isStr := get(ctx.State.Obj("groups").Obj(groupID).Obj("profile"), "name").(string); isStr {
				names = append(names, name)
			}
		}
		claims.Set("groups", names)
	}
	return claims
}

// groupNamesOf: the names of the groups the user is a member of, in the order of state.groupMembers.
func groupNamesOf(state *e.Object, user *e.Object) []string {
	var out []string
	members := state.Obj("groupMembers")
	for _, groupID := range members.Keys() {
		group := state.Obj("groups").Obj(groupID)
		if group != nil && isMember(state, groupID, user.Str("id")) {
			out = append(out, jsString(get(group.Obj("profile"), "name")))
		}
	}
	return out
}

// parseClaimExpression parses an Okta Expression Language value of any type, as a custom claim's value is one
// (`user.email`, `String.toLowerCase(user.login)`); a group rule's condition (parseCondition) is one that is Boolean.
func parseClaimExpression(source string) (*expr, error) {
	tokens, err := exprTokens(source)
	if err != nil {
		return nil, err
	}
	p := &exprParser{tokens: tokens}
	x, err := p.or()
	if err != nil {
		return nil, err
	}
	if next := p.peek(); next.kind != "end" {
		return nil, p.unexpected(next, "")
	}
	if err := checkExprTypes(x); err != nil {
		return nil, err
	}
	return x, nil
}

// claimExpressionScope is what a claim expression reads of the user; without one (client credentials) nothing.
func claimExpressionScope(state *e.Object, user *e.Object) exprScope {
	return exprScope{
		attribute: func(name string) any {
			if user == nil {
				return nil
			}
			return get(user.Obj("profile"), name)
		},
		internal: func(name string) any {
			if user == nil {
				return nil
			}
			return get(user, name)
		},
		groups: func() [][2]string {
			var out [][2]string
			if user == nil {
				return out
			}
			for _, gid := range state.Obj("groupMembers").Keys() {
				if g := state.Obj("groups").Obj(gid); g != nil && isMember(state, gid, user.Str("id")) {
					out = append(out, [2]string{gid, jsString(get(g.Obj("profile"), "name"))})
				}
			}
			return out
		},
	}
}

// customClaimValue is a custom claim's value for the user, or nil to leave it out. GROUPS claims filter the user's
// group names; EXPRESSION claims are evaluated with the Okta Expression Language of the group rules.
func customClaimValue(state *e.Object, claim *e.Object, user *e.Object) any {
	value := claim.Str("value")
	if claim.Str("valueType") == "GROUPS" {
		if user == nil {
			return nil
		}
		filter, _ := orDefault(claim, "group_filter_type", "STARTS_WITH").(string)
		var pattern *jsRegExp
		if filter == "REGEX" {
			compiled, err := compileJSRegExp("^(?:" + value + ")$")
			if err != nil {
				return nil
			}
			pattern = compiled
		}
		out := []any{}
		for _, name := range groupNamesOf(state, user) {
			keep := map[string]bool{"STARTS_WITH": strings.HasPrefix(name, value), "EQUALS": name == value, "CONTAINS": strings.Contains(name, value), "REGEX": pattern != nil && pattern.test(name)}[filter]
			if keep {
				out = append(out, name)
			}
		}
		return out
	}
	compiled, err := parseClaimExpression(value)
	if err != nil {
		return nil
	}
	return evaluate(compiled, claimExpressionScope(state, user))
}

// serverCustomClaims are a custom server's ACTIVE claims of this type whose scope condition the grant meets, with a
// value. ID tokens that come with an access token or a code leave out those not marked alwaysIncludeInToken.
func serverCustomClaims(ctx *e.Ctx, serverKey, claimType string, user *e.Object, scopes []string, withAccessToken bool) *e.Object {
	out := e.NewObject()
	server := ctx.State.Obj("oauth").Obj("authorizationServers").Obj(serverKey)
	for _, claim := range objects(server.Arr("claims")) {
		if claim.Str("status") != "ACTIVE" || claim.Str("claimType") != claimType {
			continue
		}
		conditions := strings_(claim.Obj("conditions").Arr("scopes"))
		if len(conditions) > 0 && !anyString(conditions, func(s string) bool { return contains(scopes, s) }) {
			continue
		}
		if claimType == "IDENTITY" && withAccessToken && get(claim, "alwaysIncludeInToken") != true {
			continue
		}
		if v := customClaimValue(ctx.State, claim, user); v != nil {
			out.Set(claim.Str("name"), v)
		}
	}
	return out
}
