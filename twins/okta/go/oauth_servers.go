package main

import (
	"sort"
	"strings"

	e "twinverse/twins/goengine"
)

// oauthError is RFC 6749's error answer with Okta's words: `{error, error_description}` and the status Okta
// sends. The OAuth handlers render it themselves (oauthEndpoint), so the writes made before it stay, as the
// TypeScript twin keeps them (a code is spent by a failed attempt too).
type oauthError struct {
	status      int
	code        string
	description string
	headers     map[string]string
}

func (o *oauthError) Error() string { return o.description }

func newOAuthError(status int, code, description string) *oauthError {
	return &oauthError{status: status, code: code, description: description}
}

func oauthInvalidRequest(description string) *oauthError {
	return newOAuthError(400, "invalid_request", description)
}
func oauthInvalidScope(description string) *oauthError {
	return newOAuthError(400, "invalid_scope", description)
}

// oauthEndpoint renders an oauthError of the handler in OAuth's shape; Okta's own errors (a 404 for an unknown
// server) go on to the twin's error rendering.
func oauthEndpoint(h e.Handler) e.Handler {
	return func(ctx *e.Ctx) (*e.Result, error) {
		result, err := h(ctx)
		if o, isOAuth := err.(*oauthError); isOAuth {
			headers := e.Headers{}
			for k, v := range o.headers {
				headers.Set(k, v)
			}
			return &e.Result{Status: o.status, Headers: headers, Body: e.NewObject("error", o.code, "error_description", o.description)}, nil
		}
		return result, err
	}
}

// authServer is the authorization server a request addresses: the org one (/oauth2/v1) or a custom one
// (/oauth2/{id}/v1). Tokens and codes remember its key so that no server accepts another's.
type authServer struct {
	key       string
	custom    bool
	issuer    string
	audience  string
	endpoints string
	record    *e.Object
}

const orgServerKey = "org"

func orgBaseURL(ctx *e.Ctx) string { return strings.TrimRight(ctx.BaseURL, "/") }

// orgAuthServer: its issuer is the org URL, and its access tokens are for Okta's own APIs.
func orgAuthServer(ctx *e.Ctx) *authServer {
	base := orgBaseURL(ctx)
	return &authServer{key: orgServerKey, issuer: base, audience: base, endpoints: base + "/oauth2/v1"}
}

// addressedServer is the server named by the path. An unknown or inactive custom server is Okta's 404 E0000007,
// even on the OAuth endpoints.
func addressedServer(ctx *e.Ctx) (*authServer, error) {
	id, named := ctx.Params["authorizationServerId"]
	if !named {
		return orgAuthServer(ctx), nil
	}
	record := ctx.State.Obj("oauth").Obj("authorizationServers").Obj(id)
	if record == nil || record.Str("status") != "ACTIVE" {
		return nil, notFound(id, "AuthorizationServer")
	}
	base := orgBaseURL(ctx)
	audience := ""
	if audiences := record.Arr("audiences"); len(audiences) > 0 {
		audience, _ = audiences[0].(string)
	}
	return &authServer{key: record.Str("id"), custom: true, issuer: base + "/oauth2/" + record.Str("id"), audience: audience, endpoints: base + "/oauth2/" + record.Str("id") + "/v1", record: record}, nil
}

func (s *authServer) scopeRecords() []*e.Object {
	var out []*e.Object
	for _, v := range s.record.Arr("scopes") {
		if o, isObj := v.(*e.Object); isObj {
			out = append(out, o)
		}
	}
	return out
}

// knows: the scope names the server accepts from clients.
func (s *authServer) knows(scope string) bool {
	if !s.custom {
		return contains(orgOIDCScopes, scope) || isKnownOktaScope(scope)
	}
	for _, r := range s.scopeRecords() {
		if r.Str("name") == scope {
			return true
		}
	}
	return false
}

// defaultScopes are granted to a request without a `scope` parameter.
func (s *authServer) defaultScopes() []string {
	var out []string
	for _, r := range s.scopeRecords() {
		if get(r, "default") == true {
			out = append(out, r.Str("name"))
		}
	}
	return out
}

func (s *authServer) publishedScopes() []string {
	if !s.custom {
		return orgOIDCScopes
	}
	out := []string{}
	for _, r := range s.scopeRecords() {
		if r.Str("metadataPublish") == "ALL_CLIENTS" {
			out = append(out, r.Str("name"))
		}
	}
	return out
}

// Scopes (twins/okta/model/oauth-scopes.ts).

var orgOIDCScopes = []string{"openid", "email", "profile", "address", "phone", "offline_access", "groups"}

var resourcesWithReadAndManage = []string{
	"agentPools", "apiTokens", "appGrants", "apps", "apps.interclientTrust", "authenticators", "authorizationServers",
	"behaviors", "botProtection", "brands", "captchas", "clients", "customTelephonyProvider", "deviceAssurance",
	"deviceIntegrations", "devicePostureChecks", "devices", "directories.groups", "domains", "dr", "emailDomains",
	"emailServers", "eventHooks", "features", "groups", "identitySources", "idps", "inlineHooks", "linkedObjects",
	"logStreams", "myAccount", "myAccount.email", "myAccount.phone", "myAccount.profile", "networkZones",
	"oauthIntegrations", "orgs", "personal.adminSettings", "policies", "principalRateLimits", "profileMappings",
	"pushProviders", "rateLimits", "realmAssignments", "realms", "roles", "schemas", "securityEventsProviders",
	"serviceAccounts", "serviceAccounts.okta", "sessions", "templates", "threatInsights", "trustedOrigins", "uischemas",
	"userRisk", "userTypes", "users",
}

var oneOffOktaScopes = []string{"okta.clients.register", "okta.logs.read", "okta.users.read.self", "okta.users.manage.self", "okta.universalLogout.manage", "okta.workflows.invoke.manage"}

// isKnownOktaScope: the Okta API scopes of Okta's Management API reference, which only the org server grants.
func isKnownOktaScope(scope string) bool {
	if contains(oneOffOktaScopes, scope) {
		return true
	}
	for _, suffix := range []string{".read", ".manage"} {
		if strings.HasPrefix(scope, "okta.") && strings.HasSuffix(scope, suffix) && contains(resourcesWithReadAndManage, strings.TrimSuffix(strings.TrimPrefix(scope, "okta."), suffix)) {
			return true
		}
	}
	return false
}

// isOktaNamespaceScope: an `okta.*` scope, known or not.
func isOktaNamespaceScope(scope string) bool { return strings.HasPrefix(scope, "okta.") }

// userScopes are never granted to a client without a user; claimScopes release user claims and need openid.
var (
	userScopes  = append(append([]string{}, orgOIDCScopes...), "device_sso")
	claimScopes = []string{"profile", "email", "address", "phone", "groups"}
)

const needOpenID = "Requests for ID tokens or access tokens with OpenID scopes require the `openid` scope."

// parseScopeList: the scopes of a `scope` parameter (space-delimited), each once.
func parseScopeList(scope string) []string {
	out := []string{}
	for _, s := range strings.Split(scope, " ") {
		if s != "" && !contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}

func anyString(list []string, test func(string) bool) bool {
	for _, s := range list {
		if test(s) {
			return true
		}
	}
	return false
}

// unknownScopeRefusal: why a user flow may not have these scopes, or "".
func unknownScopeRefusal(server *authServer, scopes []string) string {
	if !anyString(scopes, func(s string) bool { return !server.knows(s) }) {
		return ""
	}
	if server.custom {
		return "One or more scopes are not configured for the authorization server resource."
	}
	return "The requested scope is invalid, unknown, or malformed."
}

// ungrantedOktaScopes: every Okta API scope the org server gives must be in the app's grants collection.
func ungrantedOktaScopes(state *e.Object, server *authServer, app *e.Object, scopes []string) string {
	if server.custom {
		return ""
	}
	granted := map[string]bool{}
	for _, g := range state.Obj("oauth").Obj("appGrants").Arr(app.Str("id")) {
		if o, isObj := g.(*e.Object); isObj {
			granted[o.Str("scopeId")] = true
		}
	}
	var missing []string
	for _, s := range scopes {
		if isOktaNamespaceScope(s) && !granted[s] {
			missing = append(missing, s)
		}
	}
	if len(missing) == 0 {
		return ""
	}
	return "The following scopes are not allowed for this request: [" + strings.Join(missing, ", ") + "]."
}

// Access policies (twins/okta/model/authorization-servers.ts).

// accessLifetimes are what the access rule that let a request through allows, in seconds.
type accessLifetimes struct {
	accessToken          float64
	refreshTokenWindow   float64
	refreshTokenLifetime float64
	// rule is the access policy and rule that decided, with the token inline hook it names (none on the org server).
	rule *accessRuleRef
}

type accessRuleRef struct {
	policyID     string
	ruleID       string
	inlineHookID string
}

// defaultLifetimes are those of Okta's default rule, and of the org server.
var defaultLifetimes = accessLifetimes{accessToken: 3600, refreshTokenWindow: 7 * 24 * 3600}

const noMatchingPolicy = "Policy evaluation failed for this request, please check the policy configurations."

func objects(list []any) []*e.Object {
	var out []*e.Object
	for _, v := range list {
		if o, isObj := v.(*e.Object); isObj {
			out = append(out, o)
		}
	}
	return out
}

func inPriorityOrder(list []*e.Object) []*e.Object {
	sorted := append([]*e.Object(nil), list...)
	sort.SliceStable(sorted, func(i, j int) bool {
		a, _ := numClaim(sorted[i], "priority")
		b, _ := numClaim(sorted[j], "priority")
		return a < b
	})
	return sorted
}

func accessRulePeopleMatch(state *e.Object, rule *e.Object, user *e.Object) bool {
	if user == nil {
		return true
	}
	people := rule.Obj("conditions").Obj("people")
	users, groups := people.Obj("users"), people.Obj("groups")
	userID := user.Str("id")
	inGroup := func(id string) bool {
		return id == "EVERYONE" || state.Obj("groups").Obj(id).Str("type") == "BUILT_IN" || isMember(state, id, userID)
	}
	listed := func(o *e.Object, key string, test func(string) bool) bool {
		return anyString(strings_(o.Arr(key)), test)
	}
	is := func(id string) bool { return id == userID }
	if listed(users, "exclude", is) || listed(groups, "exclude", inGroup) {
		return false
	}
	return listed(users, "include", is) || listed(groups, "include", inGroup)
}

// accessRuleFor: the lifetimes the server's access policies give this request, or nil when none lets it
// through. The first ACTIVE policy naming the client (or ALL_CLIENTS) in priority order decides, with its first
// ACTIVE rule that allows the grant type, the user and every requested scope. The refresh_token grant is evaluated
// without a grant type. The org server, and a custom server from an export without policies, use the defaults.
func accessRuleFor(state *e.Object, serverKey, clientID string, user *e.Object, grantType string, scopes []string) *accessLifetimes {
	server := state.Obj("oauth").Obj("authorizationServers").Obj(serverKey)
	if server == nil || !server.Has("policies") {
		l := defaultLifetimes
		return &l
	}
	var policies []*e.Object
	for _, p := range objects(server.Arr("policies")) {
		include := strings_(p.Obj("conditions").Obj("clients").Arr("include"))
		if p.Str("status") == "ACTIVE" && (contains(include, "ALL_CLIENTS") || contains(include, clientID)) {
			policies = append(policies, p)
		}
	}
	for _, policy := range inPriorityOrder(policies) {
		for _, rule := range inPriorityOrder(objects(policy.Arr("rules"))) {
			conditions := rule.Obj("conditions")
			ruleScopes := strings_(conditions.Obj("scopes").Arr("include"))
			if rule.Str("status") != "ACTIVE" ||
				!(grantType == "refresh_token" || contains(strings_(conditions.Obj("grantTypes").Arr("include")), grantType)) ||
				!accessRulePeopleMatch(state, rule, user) ||
				!(contains(ruleScopes, "*") || !anyString(scopes, func(s string) bool { return !contains(ruleScopes, s) })) {
				continue
			}
			token := rule.Obj("actions").Obj("token")
			minutes := func(key string) float64 { v, _ := numClaim(token, key); return v * 60 }
			ref := &accessRuleRef{policyID: policy.Str("id"), ruleID: rule.Str("id"), inlineHookID: token.Obj("inlineHook").Str("id")}
			return &accessLifetimes{accessToken: minutes("accessTokenLifetimeMinutes"), refreshTokenWindow: minutes("refreshTokenWindowMinutes"), refreshTokenLifetime: minutes("refreshTokenLifetimeMinutes"), rule: ref}
		}
	}
	return nil
}

// accessRuleOrRefuse is accessRuleFor for the token endpoint: no rule is Okta's 400 access_denied.
func accessRuleOrRefuse(state *e.Object, serverKey, clientID string, user *e.Object, grantType string, scopes []string) (*accessLifetimes, error) {
	l := accessRuleFor(state, serverKey, clientID, user, grantType, scopes)
	if l == nil {
		return nil, newOAuthError(400, "access_denied", noMatchingPolicy)
	}
	return l, nil
}

// signingKeysOf are the server's signing keys in creation order; activeKey is the one it signs with.
func signingKeysOf(state *e.Object, serverKey string) []*e.Object {
	var out []*e.Object
	for _, k := range objects(state.Obj("oauth").Arr("signingKeys")) {
		owner := orDefault(k, "authorizationServer", orgServerKey)
		if owner == serverKey {
			out = append(out, k)
		}
	}
	return out
}

func activeSigningKey(state *e.Object, serverKey string) *e.Object {
	for _, k := range signingKeysOf(state, serverKey) {
		if orDefault(k, "status", "ACTIVE") == "ACTIVE" {
			return k
		}
	}
	return nil
}

// Discovery (twins/okta/model/oauth-servers.ts): the documents advertise only what the twin serves.

var endpointAuthMethods = []string{"client_secret_basic", "client_secret_post", "client_secret_jwt", "private_key_jwt", "none"}

var requestObjectAlgs = []string{"HS256", "HS384", "HS512", "RS256", "RS384", "RS512", "ES256", "ES384", "ES512"}

var idTokenClaimNames = []string{
	"iss", "ver", "sub", "aud", "iat", "exp", "jti", "auth_time", "amr", "idp", "nonce", "name", "nickname",
	"preferred_username", "given_name", "middle_name", "family_name", "email", "email_verified", "profile",
	"zoneinfo", "locale", "address", "phone_number", "picture", "website", "gender", "birthdate", "updated_at",
	"at_hash", "c_hash",
}

var accessTokenClaimNames = []string{"ver", "jti", "iss", "aud", "iat", "exp", "cid", "uid", "scp", "sub"}

// dpopAlgs are the DPoP proof algorithms Okta lists (twins/okta/model/dpop.ts).
var dpopAlgs = []string{"RS256", "RS384", "RS512", "ES256", "ES384", "ES512"}

func anyStrings(items []string) []any {
	out := make([]any, len(items))
	for i, s := range items {
		out[i] = s
	}
	return out
}

func oauthDiscoveryDocument(server *authServer, oidc bool) *e.Object {
	ep := server.endpoints
	doc := e.NewObject("issuer", server.issuer, "authorization_endpoint", ep+"/authorize", "token_endpoint", ep+"/token")
	if oidc {
		doc.Set("userinfo_endpoint", ep+"/userinfo")
	}
	doc.Set("jwks_uri", ep+"/keys")
	responseTypes := []string{"code"}
	if !oidc {
		responseTypes = append(responseTypes, "token")
	}
	doc.Set("response_types_supported", anyStrings(append(responseTypes, "id_token", "code id_token", "code token", "id_token token", "code id_token token")))
	doc.Set("response_modes_supported", anyStrings([]string{"query", "fragment", "form_post", "okta_post_message"}))
	grants := []string{"authorization_code", "implicit", "refresh_token", "password"}
	if !oidc {
		grants = append(grants, "client_credentials")
	}
	doc.Set("grant_types_supported", anyStrings(grants))
	doc.Set("subject_types_supported", anyStrings([]string{"public"}))
	if oidc {
		doc.Set("id_token_signing_alg_values_supported", anyStrings([]string{"RS256"}))
		if server.custom {
			doc.Set("id_token_encryption_alg_values_supported", anyStrings([]string{"RSA-OAEP-256", "RSA-OAEP-384", "RSA-OAEP-512"}))
			doc.Set("id_token_encryption_enc_values_supported", anyStrings([]string{"A256GCM"}))
		}
	}
	doc.Set("scopes_supported", anyStrings(server.publishedScopes()))
	doc.Set("token_endpoint_auth_methods_supported", anyStrings(endpointAuthMethods))
	if oidc {
		doc.Set("claims_supported", anyStrings(idTokenClaimNames))
	} else {
		doc.Set("claims_supported", anyStrings(accessTokenClaimNames))
	}
	doc.Set("code_challenge_methods_supported", anyStrings([]string{"S256"}))
	doc.Set("introspection_endpoint", ep+"/introspect")
	doc.Set("introspection_endpoint_auth_methods_supported", anyStrings(endpointAuthMethods))
	doc.Set("revocation_endpoint", ep+"/revoke")
	doc.Set("revocation_endpoint_auth_methods_supported", anyStrings(endpointAuthMethods))
	doc.Set("end_session_endpoint", ep+"/logout")
	doc.Set("request_parameter_supported", true)
	doc.Set("request_object_signing_alg_values_supported", anyStrings(requestObjectAlgs))
	doc.Set("dpop_signing_alg_values_supported", anyStrings(dpopAlgs))
	return doc
}
