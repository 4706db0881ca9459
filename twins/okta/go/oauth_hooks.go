package main

import (
	"bytes"
	"context"
	"io"
	"math"
	"net/http"
	"regexp"
	"strings"
	"time"

	e "twinverse/twins/goengine"
)

// Token inline hooks (twins/okta/model/token-hooks.ts): the access rule that lets a request through on a custom
// server may name a com.okta.oauth2.tokens.transform hook, which Okta calls before minting and whose commands add,
// replace or remove claims and change lifetimes. The call is made while the twin serves the request, as Okta makes
// it; a hook that fails or does not answer within three seconds (twice) leaves the tokens as they are.

// hookPatch is what a hook's commands change: per token, claims set or removed and a lifetime.
type hookPatch struct {
	access   *hookPatchSide
	identity *hookPatchSide
}

type hookPatchSide struct {
	set      *e.Object
	remove   []string
	lifetime float64
	hasLife  bool
}

// reservedHookClaims are claims a hook may not add, change or remove.
var reservedHookClaims = []string{"acr", "amr", "at_hash", "aud", "auth_time", "c_hash", "cid", "cnf", "exp", "iat", "idp", "iss", "jti", "nbf", "nonce", "scp", "sub", "uid", "ver"}

const (
	hookTimeout     = 3 * time.Second
	minHookLifetime = 300
	maxHookLifetime = 86400
)

var claimPath = regexp.MustCompile(`^/claims/([^/]+)$`)

func applyTokenHookCommand(side *hookPatchSide, operations any) {
	list, isList := operations.([]any)
	if !isList {
		return
	}
	for _, item := range list {
		operation, _ := item.(*e.Object)
		path, _ := get(operation, "path").(string)
		op := get(operation, "op")
		if match := claimPath.FindStringSubmatch(path); match != nil && !contains(reservedHookClaims, match[1]) {
			if op == "remove" {
				side.set.Delete(match[1])
				side.remove = append(side.remove, match[1])
			} else if op == "add" || op == "replace" {
				side.set.Set(match[1], get(operation, "value"))
			}
		} else if v, isNum := get(operation, "value").(float64); path == "/token/lifetime/expiration" && op == "replace" && isNum && v == math.Trunc(v) {
			side.lifetime, side.hasLife = math.Min(math.Max(v, minHookLifetime), maxHookLifetime), true
		}
	}
}

// hookPatched is a token's claims with a hook's changes: claims it set replace or join them, claims it removed go.
func hookPatched(claims *e.Object, side *hookPatchSide) *e.Object {
	if side == nil {
		return claims
	}
	for _, k := range side.set.Keys() {
		claims.Set(k, get(side.set, k))
	}
	for _, k := range side.remove {
		claims.Delete(k)
	}
	return claims
}

// fullRequestURL is the URL of the request being served, as the hook's payload names it.
func fullRequestURL(ctx *e.Ctx) string {
	return ctx.BaseURL + ctx.Request.Path + ctx.Request.Search()
}

func tokenHookPayload(ctx *e.Ctx, g *tokenGrant, grantType string) *e.Object {
	app := findOIDCApp(ctx.State, g.clientID)
	now := twinEpochSeconds(ctx)
	lifetime := g.lifetimes.accessToken
	user := g.user
	label := g.clientID
	clientType := "CONFIDENTIAL"
	if app != nil {
		label = jsStringOr(get(app, "label"), g.clientID)
		if clientAuthMethod(app) == "none" {
			clientType = "PUBLIC"
		}
	}
	context := e.NewObject(
		"request", e.NewObject("id", requestID(ctx), "method", ctx.Request.Method, "url", e.NewObject("value", fullRequestURL(ctx)), "ipAddress", firstNonBlank(ctx.Request.LocalAddress, "127.0.0.1")),
		"protocol", e.NewObject(
			"type", "OAUTH2.0",
			"request", e.NewObject("scope", strings.Join(g.scopes, " "), "grant_type", grantType, "client_id", g.clientID),
			"issuer", e.NewObject("uri", g.server.issuer),
			"client", e.NewObject("id", g.clientID, "name", label, "type", clientType),
		),
	)
	if user != nil {
		p := user.Obj("profile")
		context.Set("user", e.NewObject(
			"id", user.Str("id"),
			"passwordChanged", get(user, "passwordChanged"),
			"profile", e.NewObject("login", get(p, "login"), "firstName", get(p, "firstName"), "lastName", get(p, "lastName"), "locale", orDefault(p, "locale", "en_US"), "timeZone", orDefault(p, "timezone", "America/Los_Angeles")),
			"_links", e.NewObject("groups", e.NewObject("href", ctx.BaseURL+"/api/v1/users/"+user.Str("id")+"/groups"), "factors", e.NewObject("href", ctx.BaseURL+"/api/v1/users/"+user.Str("id")+"/factors")),
		))
	}
	if g.lifetimes.rule != nil {
		context.Set("policy", e.NewObject("id", g.lifetimes.rule.policyID, "rule", e.NewObject("id", g.lifetimes.rule.ruleID)))
	}
	data := e.NewObject("context", context)
	if user != nil && contains(g.scopes, "openid") {
		claims := oidcUserClaims(ctx, user, g.scopes, g.server)
		for _, kv := range [][2]any{{"ver", float64(1)}, {"iss", g.server.issuer}, {"aud", g.clientID}, {"amr", []any{"pwd"}}, {"idp", ctx.State.Obj("org").Str("id")}} {
			claims.Set(kv[0].(string), kv[1])
		}
		data.Set("identity", e.NewObject("claims", claims, "token", e.NewObject("lifetime", e.NewObject("expiration", float64(idTokenLifetime)))))
	}
	access := e.NewObject("ver", float64(1), "iss", g.server.issuer, "aud", g.server.audience, "iat", now, "exp", now+lifetime, "cid", g.clientID)
	if user != nil {
		access.Set("uid", user.Str("id"))
	}
	access.Set("scp", anyStrings(g.scopes))
	if user != nil {
		access.Set("sub", get(user.Obj("profile"), "login"))
	} else {
		access.Set("sub", g.clientID)
	}
	scopes := e.NewObject()
	server := ctx.State.Obj("oauth").Obj("authorizationServers").Obj(g.server.key)
	for _, name := range g.scopes {
		id := name
		for _, s := range objects(server.Arr("scopes")) {
			if s.Str("name") == name {
				id = s.Str("id")
				break
			}
		}
		scopes.Set(name, e.NewObject("id", id, "action", "GRANT"))
	}
	data.Set("access", e.NewObject("claims", access, "token", e.NewObject("lifetime", e.NewObject("expiration", lifetime)), "scopes", scopes))
	return e.NewObject(
		"source", g.server.endpoints+"/token",
		"eventId", requestID(ctx),
		"eventTime", ctx.Now(),
		"eventTypeVersion", "1.0",
		"cloudEventVersion", "0.1",
		"contentType", "application/json",
		"eventType", "com.okta.oauth2.tokens.transform",
		"data", data,
	)
}

func firstNonBlank(values ...string) string {
	for _, v := range values {
		if v != "" {
			return v
		}
	}
	return ""
}

// tokenHookAccessToken is the access token an OAuth 2.0 channel sends the hook: client credentials at the channel's token
// URL with the client's secret (a private_key_jwt assertion would take Okta's own hook key, which the twin lacks).
func tokenHookAccessToken(config *e.Object) (string, bool) {
	if config.Str("authType") != "client_secret_post" {
		return "", false
	}
	form := e.ParseSearch("")
	form.Set("grant_type", "client_credentials")
	form.Set("client_id", jsString(get(config, "clientId")))
	form.Set("client_secret", jsString(get(config, "clientSecret")))
	if scope := get(config, "scope"); truthy(scope) {
		form.Set("scope", jsString(scope))
	}
	ctx, cancel := context.WithTimeout(context.Background(), hookTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, "POST", config.Str("tokenUrl"), strings.NewReader(form.Encode()))
	if err != nil {
		return "", false
	}
	req.Header.Set("content-type", "application/x-www-form-urlencoded")
	req.Header.Set("accept", "application/json")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return "", false
	}
	defer res.Body.Close()
	text, _ := io.ReadAll(res.Body)
	answer, _ := parseObjectJSON(text)
	token, isStr := get(answer, "access_token").(string)
	return token, res.StatusCode >= 200 && res.StatusCode < 300 && isStr
}

// callTokenHook posts the payload to the hook; Okta waits three seconds and retries once on a timeout or an error.
func callTokenHook(hook *e.Object, payload *e.Object) (any, bool) {
	channel := hook.Obj("channel")
	config := channel.Obj("config")
	headers := inlineHookHeaders(config)
	if channel.Str("type") == "OAUTH" {
		token, got := tokenHookAccessToken(config)
		if !got {
			return nil, false
		}
		headers = append(headers, [2]string{"authorization", "Bearer " + token})
	}
	body := e.Marshal(payload)
	for attempt := 0; attempt < 2; attempt++ {
		answer, ok, retry := postTokenHook(config.Str("uri"), headers, body)
		if ok || !retry {
			return answer, ok
		}
	}
	return nil, false
}

// postTokenHook makes one attempt; retry says whether a failure may be tried again (a body that is not JSON may not).
func postTokenHook(uri string, headers [][2]string, body []byte) (any, bool, bool) {
	ctx, cancel := context.WithTimeout(context.Background(), hookTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, "POST", uri, bytes.NewReader(body))
	if err != nil {
		return nil, false, true
	}
	for _, h := range headers {
		req.Header.Set(h[0], h[1])
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, false, true
	}
	defer res.Body.Close()
	text, err := io.ReadAll(res.Body)
	if err != nil {
		return nil, false, true
	}
	if res.StatusCode < 200 || res.StatusCode > 299 {
		return nil, false, true
	}
	if len(text) == 0 {
		return e.NewObject(), true, false
	}
	answer, err := e.Parse(text, e.MaxJSONDepth)
	if err != nil {
		return nil, false, false
	}
	return answer, true, false
}

// runTokenHook calls the token inline hook the access rule names, if any and ACTIVE, and returns what its commands
// change. A hook that answers with an `error` stops the request with server_error. Only custom servers call them.
func runTokenHook(ctx *e.Ctx, g *tokenGrant, grantType string) (*hookPatch, error) {
	if !g.server.custom || g.lifetimes == nil || g.lifetimes.rule == nil || g.lifetimes.rule.inlineHookID == "" {
		return nil, nil
	}
	hook := ctx.State.Obj("inlineHooks").Obj(g.lifetimes.rule.inlineHookID)
	if hook == nil || hook.Str("status") != "ACTIVE" {
		return nil, nil
	}
	answer, ok := callTokenHook(hook, tokenHookPayload(ctx, g, grantType))
	if !ok {
		return nil, nil
	}
	reply, _ := answer.(*e.Object)
	if refusal := get(reply, "error"); truthy(refusal) {
		refusalObject, _ := refusal.(*e.Object)
		message, isStr := get(refusalObject, "errorSummary").(string)
		if !isStr {
			message = "The callback service returned an error"
		}
		return nil, newOAuthError(400, "server_error", message)
	}
	patch := &hookPatch{access: &hookPatchSide{set: e.NewObject()}, identity: &hookPatchSide{set: e.NewObject()}}
	commands, _ := get(reply, "commands").([]any)
	for _, c := range commands {
		command, _ := c.(*e.Object)
		switch get(command, "type") {
		case "com.okta.access.patch":
			applyTokenHookCommand(patch.access, get(command, "value"))
		case "com.okta.identity.patch":
			applyTokenHookCommand(patch.identity, get(command, "value"))
		}
	}
	return patch, nil
}
