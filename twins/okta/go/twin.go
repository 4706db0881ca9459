package main

import (
	"math"
	"strconv"
	"strings"
	"sync/atomic"

	e "twinverse/twins/goengine"
)

// authKind is who is calling: the owner of an SSWS API token, or nobody (open endpoints).
type oktaAuth struct {
	kind   string
	userID string
	// clientID is the client an access token was issued to (kind "accessToken").
	clientID string
}

func newOktaTwin(openapi, seed []byte, handlers map[string]e.Handler) *e.Definition {
	return &e.Definition{
		Name:             "okta",
		OpenAPI:          openapi,
		Seed:             seed,
		Handlers:         handlers,
		Authenticate:     authenticateOkta,
		RenderError:      renderOktaError,
		OnResponse:       oktaResponseHeaders,
		RateLimits:       &e.RateLimitPolicy{Bucket: func(ctx *e.Ctx) e.Bucket { return bucketOf(ctx.Request.Method, ctx.Request.Path) }, Headers: rateHeaders, SetHeaders: setRateHeaders},
		ReportRateLimits: true,
		ReadOnly:         readsOnly,
		AnswerKey:        answerKey,
	}
}

// answerKey keys the answers the engine may keep until the state changes (Definition.AnswerKey): a user, group,
// app or app user read by id. Their answers depend on the state and on nothing else but the base URL (the links), the
// path and query (the ids, expand), the Content-Type header (okta-response trimming) and the caller (me): the key
// holds each. An operation added here must depend on nothing more (not the clock, not another header).
func answerKey(ctx *e.Ctx, key []byte) ([]byte, bool) {
	if !cachedOperations[ctx.Op.ID] {
		return key, false
	}
	auth, _ := ctx.Auth.(oktaAuth)
	key = e.AnswerKeyPart(key, ctx.BaseURL)
	key = e.AnswerKeyPart(key, ctx.Request.Path)
	key = e.AnswerKeyPart(key, ctx.Request.RawQuery)
	key = e.AnswerKeyPart(key, ctx.Headers["content-type"])
	key = e.AnswerKeyPart(key, auth.kind)
	key = e.AnswerKeyPart(key, auth.userID)
	return key, true
}

// cachedOperations are the reads by id whose answers the engine keeps (answerKey).
var cachedOperations = map[string]bool{"getUser": true, "getGroup": true, "getApplication": true, "getApplicationUser": true}

// readOnlyOperations are the operations whose handlers only read the state: no ctx.Set or ctx.Delete, no System
// Log event, no id drawn but the request and error ids. An operation not listed runs alone, which is always right;
// one listed wrongly panics on its first ctx.Set (and TestReadOnlyOperationsLeaveTheStateAlone checks the rest).
var readOnlyOperations = map[string]bool{
	"getUser": true, "listUsers": true, "listUserGroups": true,
	"getGroup": true, "listGroups": true, "listGroupUsers": true,
	"getApplication": true, "listApplications": true, "listApplicationUsers": true, "getApplicationUser": true,
}

// readsOnly: a read-only operation called with an SSWS token or none. An access token is checked against the
// token store and, when DPoP-bound, a proof whose jti is remembered (a write), so those calls run alone.
func readsOnly(ctx *e.Ctx) bool {
	if !readOnlyOperations[ctx.Op.ID] {
		return false
	}
	header, has := ctx.Headers["authorization"]
	if !has {
		return true
	}
	scheme, _, any := splitCredentials(header)
	return any && strings.EqualFold(scheme, "ssws")
}

// splitCredentials is an Authorization header's scheme and credential as strings.Fields reads them: the first
// field, and the others joined by single spaces; any is false when the header has no field. The usual header (ASCII,
// one space between scheme and credential) is cut where it is, without making the list of fields.
func splitCredentials(header string) (scheme, credential string, any bool) {
	space := -1
	simple := true
	for i := 0; i < len(header) && simple; i++ {
		switch c := header[i]; {
		case c >= 0x80, c == '\t', c == '\n', c == '\v', c == '\f', c == '\r':
			simple = false
		case c == ' ':
			simple = space < 0
			space = i
		}
	}
	if simple && space > 0 && space < len(header)-1 {
		return header[:space], header[space+1:], true
	}
	if simple && space < 0 && header != "" {
		return header, "", true
	}
	fields := strings.Fields(header)
	if len(fields) == 0 {
		return "", "", false
	}
	return fields[0], strings.Join(fields[1:], " "), true
}

// handlers is every operation the Go twin emulates; the others answer "not emulated" as the engine refuses them.
func handlers() map[string]e.Handler {
	all := map[string]e.Handler{}
	for _, part := range []map[string]e.Handler{userHandlers(), lifecycleHandlers(), groupHandlers(), groupRuleHandlers(), factorHandlers(), userTypeHandlers(), schemaHandlers(), trustedOriginHandlers(), linkedObjectHandlers(), userCredentialHandlers(), roleHandlers(), authnHandlers(), sessionHandlers(), policyHandlers(), authenticatorHandlers(), {"listLogEvents": listLogEvents}, appHandlers(), appAssignmentHandlers(), oauthHandlers(), authorizationServerHandlers(), appKeyHandlers(), clientRoleHandlers(), appTokenHandlers(), eventHookHandlers(), inlineHookHandlers(), identityProviderHandlers(), appGrantHandlers(), userOAuthHandlers()} {
		for id, h := range part {
			all[id] = h
		}
	}
	return all
}

// usersMePath matches the paths under /api/v1/users/me: the regular expression ^/api/v1/users/me(/|$), written out
// since every authenticated call asks it.
var usersMePath usersMeMatcher

type usersMeMatcher struct{}

// MatchString says whether a path is /api/v1/users/me or starts with /api/v1/users/me/.
func (usersMeMatcher) MatchString(path string) bool {
	const me = "/api/v1/users/me"
	return strings.HasPrefix(path, me) && (len(path) == len(me) || path[len(me)] == '/')
}

// authenticateOkta: an SSWS API token of an ACTIVE user; operations whose security is empty pass through.
// An OAuth access token of the org authorization server is checked by authenticateAccessToken (oauth_bearer.go).
func authenticateOkta(ctx *e.Ctx) error {
	if ctx.Op.Path != "" && strings.Contains(ctx.Op.Path, "{") && strings.TrimRight(ctx.Request.Path, "/") == "/api/v1/policies/simulate" {
		return &e.EngineError{Kind: "route_not_found", Message: ctx.Request.Method + " " + ctx.Request.Path + " is not emulated by the okta twin"}
	}
	if len(ctx.Op.Security) == 0 {
		ctx.Auth = oktaAuth{kind: "none"}
		return nil
	}
	// No credentials, an empty header included, is E0000005 "Invalid session" rather than E0000011 (as in auth.ts).
	header := ctx.Headers["authorization"]
	if header == "" {
		return oktaErr("E0000005")
	}
	scheme, credential, any := splitCredentials(header)
	if !any {
		return oktaErr("E0000011")
	}
	if strings.EqualFold(scheme, "ssws") {
		var token *e.Object
		for _, t := range ctx.State.Arr("apiTokens") {
			if o, ok := t.(*e.Object); ok && o.Str("token") == credential {
				token = o
				break
			}
		}
		if token == nil {
			return oktaErr("E0000011")
		}
		user := ctx.State.Obj("users").Obj(token.Str("userId"))
		if user == nil || user.Str("status") != "ACTIVE" {
			return oktaErr("E0000011")
		}
		if !userMayCall(ctx, token.Str("userId")) {
			return oktaErr("E0000006")
		}
		ctx.Auth = apiTokenAuth(token.Str("userId"))
		return nil
	}
	if (strings.EqualFold(scheme, "bearer") || strings.EqualFold(scheme, "dpop")) && credential != "" {
		return authenticateAccessToken(ctx, credential, strings.EqualFold(scheme, "dpop"))
	}
	return oktaErr("E0000011")
}

// lastAPITokenAuth is the Auth of the last API token call, kept boxed: the same caller calls again and again, and
// an oktaAuth put in ctx.Auth is otherwise a new allocation each time. An interface's value is never changed.
var lastAPITokenAuth atomic.Pointer[any]

// apiTokenAuth is oktaAuth{kind: "apiToken", userID: userID}, as an interface value.
func apiTokenAuth(userID string) any {
	if last := lastAPITokenAuth.Load(); last != nil && (*last).(oktaAuth).userID == userID {
		return *last
	}
	var auth any = oktaAuth{kind: "apiToken", userID: userID}
	lastAPITokenAuth.Store(&auth)
	return auth
}

type bucket = e.Bucket

// bucketOf is the rate-limit bucket of a request (Okta's Enterprise limits, twins/okta/rate-limit.ts).
func bucketOf(method, path string) bucket {
	b := func(key string, limit int) bucket { return bucket{Key: key, Limit: limit, WindowSeconds: 60} }
	// The path's non-empty segments: the first three, and how many there are.
	var first [3]string
	count := 0
	for rest := path; rest != ""; {
		segment := rest
		if i := strings.IndexByte(rest, '/'); i >= 0 {
			segment, rest = rest[:i], rest[i+1:]
		} else {
			rest = ""
		}
		if segment == "" {
			continue
		}
		if count < len(first) {
			first[count] = segment
		}
		count++
	}
	at := func(i int) string { return first[i] }
	if at(0) == ".well-known" {
		return b("oauth2 org", 1200)
	}
	if at(0) == "oauth2" {
		if at(1) == "v1" {
			if at(2) == "clients" {
				return b("oauth2 clients", 100)
			}
			return b("oauth2 org", 1200)
		}
		return b("oauth2 "+at(1), 1200)
	}
	if at(0) == "api" && at(1) == "v1" {
		collection := at(2)
		exact := count == 4
		if collection == "users" && count == 3 && (method == "GET" || method == "POST") {
			return b("/api/v1/users", 600)
		}
		if collection == "users" && exact {
			if method == "GET" {
				return b("GET /api/v1/users/{idOrLogin}", 1000)
			}
			return b("write /api/v1/users/{id}", 600)
		}
		if collection == "apps" {
			if exact {
				return b("/api/v1/apps/{id}", 600)
			}
			return b("/api/v1/apps", 100)
		}
		if collection == "groups" {
			if exact {
				return b("/api/v1/groups/{id}", 600)
			}
			return b("/api/v1/groups", 600)
		}
		if collection == "logs" {
			return b("/api/v1/logs", 50)
		}
	}
	return b("/api/v1", 600)
}

func rateHeaders(w e.Window, _ bool, _ *e.Ctx) map[string]string {
	return map[string]string{
		"x-rate-limit-limit":     strconv.Itoa(w.Limit),
		"x-rate-limit-remaining": strconv.Itoa(w.Remaining),
		"x-rate-limit-reset":     strconv.FormatInt(int64(math.Floor(float64(w.ResetAt)/1000)), 10),
	}
}

// rateLimitTexts and rateResetTexts remember the last limit and reset time written: they repeat from answer to answer.
var rateLimitTexts, rateResetTexts e.NumberText

// setRateHeaders sets what rateHeaders lists on the response, the three values in one array.
func setRateHeaders(w e.Window, _ bool, _ *e.Ctx, h e.Headers) {
	values := []string{rateLimitTexts.Text(int64(w.Limit)), strconv.Itoa(w.Remaining), rateResetTexts.Text(int64(math.Floor(float64(w.ResetAt) / 1000)))}
	h["x-rate-limit-limit"] = values[0:1:1]
	h["x-rate-limit-remaining"] = values[1:2:2]
	h["x-rate-limit-reset"] = values[2:3:3]
}

// requestID is the X-Okta-Request-Id of the request, and the transaction id of every event it logs.
func requestID(ctx *e.Ctx) string {
	return ctx.RequestID(func() string { return prefixedCount("twin-", ctx.IDs.Sequence("requestId", 1)) })
}

// prefixedCount is prefix + e.FormatNumber(n) for a counter, made as one string when n is a whole number.
func prefixedCount(prefix string, n float64) string {
	if n >= 0 && n < 1<<53 && n == math.Trunc(n) {
		var text [40]byte
		return string(strconv.AppendUint(append(text[:0], prefix...), uint64(n), 10))
	}
	return prefix + e.FormatNumber(n)
}

// oktaResponseHeaders: a Date (which the SDK's retry reads) and an X-Okta-Request-Id on every response.
func oktaResponseHeaders(r *e.Result, ctx *e.Ctx) {
	hasDate, hasID := r.Headers.Has("date"), r.Headers.Has("x-okta-request-id")
	if hasDate && hasID {
		return
	}
	// Both values in one array, each header a full slice of it.
	values := make([]string, 2)
	if !hasDate {
		ms := ctx.Clock.NowMs()
		values[0] = ctx.HTTPDate(ms - ((ms%1000)+1000)%1000)
		r.Headers["date"] = values[0:1:1]
	}
	if !hasID {
		values[1] = requestID(ctx)
		r.Headers["x-okta-request-id"] = values[1:2:2]
	}
}

// Query helpers: validated query parameters, coerced to their documented types.

func qString(ctx *e.Ctx, name string) (string, bool) {
	v, ok := ctx.Query[name].(string)
	return v, ok
}

func qNumber(ctx *e.Ctx, name string) (float64, bool) {
	v, ok := ctx.Query[name].(float64)
	return v, ok
}

func qBool(ctx *e.Ctx, name string) bool {
	v, _ := ctx.Query[name].(bool)
	return v
}

// body is the request body as an object (an empty one when there is none).
func body(ctx *e.Ctx) *e.Object {
	if o, ok := ctx.Body.(*e.Object); ok {
		return o
	}
	return e.NewObject()
}

func ok(v any) (*e.Result, error) { return e.OK(v), nil }

// within answers once the path's parent and the child of it the path names are found, refusing as either lookup
// refuses: the operations on one child (a policy's rule, an app's assignment, a server's scope, a principal's or a
// client's role) share the lookups.
func within[P any](parent func(*e.Ctx) (P, error), child func(*e.Ctx, P) (*e.Object, error),
	answer func(ctx *e.Ctx, parent P, child *e.Object) (*e.Result, error)) e.Handler {
	return func(ctx *e.Ctx) (*e.Result, error) {
		p, err := parent(ctx)
		if err != nil {
			return nil, err
		}
		c, err := child(ctx, p)
		if err != nil {
			return nil, err
		}
		return answer(ctx, p, c)
	}
}

func okLinks(v any, links []string) (*e.Result, error) {
	r := e.OK(v)
	r.Headers["link"] = links
	return r, nil
}

// pagedJSON answers with a cursor page of the items, each as show makes it, and the page's Link header.
func pagedJSON(ctx *e.Ctx, items []*e.Object, limit int, after string, hasAfter bool, show func(*e.Object) any) (*e.Result, error) {
	page := e.CursorPage(ctx, items, limit, after, hasAfter, nil)
	out := make([]any, len(page.Items))
	for i, o := range page.Items {
		out[i] = show(o)
	}
	return okLinks(out, page.Links)
}

func list(items []*e.Object) []any {
	out := make([]any, len(items))
	for i, o := range items {
		out[i] = o
	}
	return out
}

func values(o *e.Object) []*e.Object {
	out := make([]*e.Object, 0, o.Len())
	for _, k := range o.Keys() {
		if v := o.Obj(k); v != nil {
			out = append(out, v)
		}
	}
	return out
}

// truthy is JavaScript's Boolean(value).
func truthy(v any) bool {
	switch t := v.(type) {
	case nil:
		return false
	case bool:
		return t
	case string:
		return t != ""
	case float64:
		return t != 0 && !math.IsNaN(t)
	}
	return true
}

// jsString is JavaScript's String(value).
func jsString(v any) string {
	switch t := v.(type) {
	case nil:
		return "null"
	case string:
		return t
	case float64:
		return e.FormatNumber(t)
	case bool:
		if t {
			return "true"
		}
		return "false"
	case []any:
		parts := make([]string, len(t))
		for i, x := range t {
			if x != nil {
				parts[i] = jsString(x)
			}
		}
		return strings.Join(parts, ",")
	}
	return "[object Object]"
}

func get(o *e.Object, key string) any {
	v, _ := o.Get(key)
	return v
}

// orDefault is `value ?? fallback`: the fallback when the key is absent or null.
func orDefault(o *e.Object, key string, fallback any) any {
	if v, has := o.Get(key); has && v != nil {
		return v
	}
	return fallback
}
