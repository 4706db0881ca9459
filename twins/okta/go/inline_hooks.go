package main

import (
	"context"
	"errors"
	"io"
	"net/http"
	"os"
	"strconv"
	"strings"
	"unicode/utf16"

	e "twinverse/twins/goengine"
)

// Inline hooks (tag InlineHook, twins/okta/api/inline-hooks.ts): registered ACTIVE with no verification request
// (Okta verifies only event hooks), and executed on demand with `execute`. Of Okta's own flows the twin calls token
// hooks at the token endpoint (oauth_hooks.go); the other types it keeps as configuration.

// maxInlineHooks is Okta's limit on inline hooks per org, of all types together.
const maxInlineHooks = 50

var inlineHookTypes = []string{
	"com.okta.import.transform",
	"com.okta.oauth2.tokens.transform",
	"com.okta.saml.tokens.transform",
	"com.okta.telephony.provider",
	"com.okta.user.credential.password.import",
	"com.okta.user.pre-registration",
}

var inlineHookOAuthTypes = []string{"client_secret_post", "private_key_jwt"}

func requireInlineHook(ctx *e.Ctx) (*e.Object, error) {
	id := ctx.Params["inlineHookId"]
	if hook := ctx.State.Obj("inlineHooks").Obj(id); hook != nil {
		return hook, nil
	}
	return nil, notFound(id, "InlineHook")
}

// inlineHookJSON is a hook as Okta returns it: never the secret of its auth scheme, whose type and key Okta writes in
// lower case, never the OAuth client secret, and links for what its status allows.
func inlineHookJSON(ctx *e.Ctx, hook *e.Object) *e.Object {
	self := ctx.BaseURL + "/api/v1/inlineHooks/" + hook.Str("id")
	out := e.CloneObj(hook)
	config := out.Obj("channel").Obj("config")
	if scheme, _ := config.Get("authScheme"); truthy(scheme) {
		s, _ := scheme.(*e.Object)
		config.Set("authScheme", e.NewObject("type", strings.ToLower(jsProperty(s, "type")), "key", strings.ToLower(jsProperty(s, "key"))))
	}
	if config.Has("clientSecret") {
		config.Delete("clientSecret")
	}
	lifecycle := "activate"
	if hook.Str("status") == "ACTIVE" {
		lifecycle = "deactivate"
	}
	links := e.NewObject(lifecycle, e.NewObject("href", self+"/lifecycle/"+lifecycle, "hints", e.NewObject("allow", []any{"POST"})),
		"self", e.NewObject("href", self),
		"execute", e.NewObject("href", self+"/execute", "hints", e.NewObject("allow", []any{"POST"})))
	if hook.Str("status") == "INACTIVE" {
		links.Set("delete", e.NewObject("href", self, "hints", e.NewObject("allow", []any{"DELETE"})))
	}
	out.Set("_links", links)
	return out
}

// jsProperty is String(o[key]): "undefined" for a key that is not there.
func jsProperty(o *e.Object, key string) string {
	v, has := o.Get(key)
	if !has {
		return "undefined"
	}
	return jsString(v)
}

// isInlineHookURI: Okta wants the hook's endpoint on HTTPS; the twin also takes HTTP on a loopback host.
func isInlineHookURI(value any) bool {
	s, isStr := value.(string)
	if !isStr || strings.IndexFunc(s, jsWhitespace) >= 0 || len(utf16.Encode([]rune(s))) > 1024 {
		return false
	}
	_, protocol, hostname, valid := hookURL(s)
	return valid && (protocol == "https:" || (protocol == "http:" && isLoopbackHookHost(hostname)))
}

// isJSObject is typeof v === 'object' && v !== null: an object or a list.
func isJSObject(v any) bool {
	switch v.(type) {
	case *e.Object, []any:
		return true
	}
	return false
}

func nonBlank(v any) bool {
	s, isStr := v.(string)
	return isStr && jsTrim(s) != ""
}

// checkInlineHookBody checks a hook body before anything is written (a whole hook on create and replace; on update,
// the stored hook with the body's changes) and returns its name, type, version and channel as stored.
func checkInlineHookBody(b *e.Object, existing *e.Object) ([][2]any, error) {
	var problems [][2]string
	add := func(field, message string) { problems = append(problems, [2]string{field, message}) }
	if !nonBlank(get(b, "name")) {
		add("name", "The field cannot be left blank")
	}
	// A replace need not repeat the type (the SDK's InlineHookReplace has none), but may not change it.
	typ := orDefault(b, "type", nil)
	if typ == nil && existing != nil {
		typ = get(existing, "type")
	}
	typeName, _ := typ.(string)
	if !contains(inlineHookTypes, typeName) {
		add("type", "Must be one of "+strings.Join(inlineHookTypes, ", ")+".")
	} else if existing != nil && typeName != existing.Str("type") {
		add("type", "The type of an inline hook cannot be changed.")
	}
	if !nonBlank(get(b, "version")) {
		add("version", "The field cannot be left blank")
	}
	rawChannel := get(b, "channel")
	channel, _ := rawChannel.(*e.Object)
	previous := existing.Obj("channel").Obj("config")
	if !isJSObject(rawChannel) {
		add("channel", "The field cannot be left blank")
	} else {
		channelType := get(channel, "type")
		if channelType != "HTTP" && channelType != "OAUTH" {
			add("channel.type", "Must be one of HTTP, OAUTH.")
		}
		if !nonBlank(get(channel, "version")) {
			add("channel.version", "The field cannot be left blank")
		}
		rawConfig := get(channel, "config")
		config, _ := rawConfig.(*e.Object)
		if !truthy(rawConfig) || !isInlineHookURI(get(config, "uri")) {
			add("channel.config.uri", "The URI must begin with https:// and contain no white space.")
		}
		if headers, has := config.Get("headers"); has {
			list, isList := headers.([]any)
			valid := isList
			for _, h := range list {
				header, _ := h.(*e.Object)
				_, keyIsStr := get(header, "key").(string)
				_, valueIsStr := get(header, "value").(string)
				if !truthy(h) || !keyIsStr || !valueIsStr {
					valid = false
				}
			}
			if !valid {
				add("channel.config.headers", "Each header needs a key and a value.")
			}
		}
		rawScheme, _ := config.Get("authScheme")
		scheme, _ := rawScheme.(*e.Object)
		if channelType == "OAUTH" {
			// Okta's OAuth 2.0 channel: the twin gets a token from tokenUrl with the client's secret before each call.
			authType, _ := get(config, "authType").(string)
			if !contains(inlineHookOAuthTypes, authType) {
				add("channel.config.authType", "Must be one of "+strings.Join(inlineHookOAuthTypes, ", ")+".")
			}
			if id, isStr := get(config, "clientId").(string); !isStr || id == "" {
				add("channel.config.clientId", "The field cannot be left blank")
			}
			if !isInlineHookURI(get(config, "tokenUrl")) {
				add("channel.config.tokenUrl", "The URI must begin with https:// and contain no white space.")
			}
			secret := orDefault(config, "clientSecret", get(previous, "clientSecret"))
			if s, isStr := secret.(string); authType == "client_secret_post" && (!isStr || s == "") {
				add("channel.config.clientSecret", "The field cannot be left blank")
			}
		} else if rawScheme != nil {
			if strings.ToUpper(jsProperty(scheme, "type")) != "HEADER" {
				add("channel.config.authScheme.type", "Must be HEADER.")
			}
			_, hasPrevious := previous.Obj("authScheme").Get("value")
			if !nonBlank(get(scheme, "key")) {
				add("channel.config.authScheme.key", "The field cannot be left blank")
			}
			if value, isStr := get(scheme, "value").(string); (!isStr || value == "") && !hasPrevious {
				add("channel.config.authScheme.value", "The field cannot be left blank")
			}
		}
	}
	if len(problems) > 0 {
		return nil, invalidFields(problems)
	}
	config := channel.Obj("config")
	headers := []any{}
	for _, h := range objects(config.Arr("headers")) {
		headers = append(headers, e.NewObject("key", get(h, "key"), "value", get(h, "value")))
	}
	stored := e.NewObject("uri", get(config, "uri"), "headers", headers, "method", "POST")
	channelType := channel.Str("type")
	if scheme := get(config, "authScheme"); channelType == "HTTP" && truthy(scheme) {
		auth := e.NewObject("type", "HEADER", "key", get(scheme.(*e.Object), "key"))
		if value := get(scheme.(*e.Object), "value"); truthy(value) {
			auth.Set("value", value)
		} else if old, has := previous.Obj("authScheme").Get("value"); has && old != nil {
			auth.Set("value", old)
		}
		stored.Set("authScheme", auth)
	}
	if channelType == "OAUTH" {
		stored.Set("authScheme", nil)
		stored.Set("authType", get(config, "authType"))
		stored.Set("clientId", get(config, "clientId"))
		stored.Set("tokenUrl", get(config, "tokenUrl"))
		stored.Set("scope", orDefault(config, "scope", nil))
		if config.Str("authType") == "client_secret_post" {
			stored.Set("clientSecret", orDefault(config, "clientSecret", get(previous, "clientSecret")))
		}
	}
	return [][2]any{
		{"name", jsTrim(b.Str("name"))},
		{"type", typeName},
		{"version", get(b, "version")},
		{"channel", e.NewObject("type", channelType, "version", get(channel, "version"), "config", stored)},
	}, nil
}

// mergeUpdate is a deep merge of a partial update into a stored record: objects merge, anything else replaces.
func mergeUpdate(stored *e.Object, changes *e.Object) *e.Object {
	out := e.CloneObj(stored)
	for _, key := range changes.Keys() {
		value := get(changes, key)
		if v, isObj := value.(*e.Object); isObj {
			if current := out.Obj(key); current != nil {
				out.Set(key, mergeUpdate(current, v))
				continue
			}
		}
		out.Set(key, e.Clone(value))
	}
	return out
}

func logInlineHook(ctx *e.Ctx, hook *e.Object, action, message string) {
	target := e.NewObject("id", hook.Str("id"), "type", "InlineHook", "alternateId", get(hook, "name"), "displayName", get(hook, "name"), "detailEntry", nil)
	logEvent(ctx, logInput{"inline_hook." + action, message, []*e.Object{target}})
}

func setInlineHookStatus(ctx *e.Ctx, status string) (*e.Result, error) {
	hook, err := requireInlineHook(ctx)
	if err != nil {
		return nil, err
	}
	if hook.Str("status") != status {
		ctx.Set(hook, "status", status)
		ctx.Set(hook, "lastUpdated", ctx.Now())
		if status == "ACTIVE" {
			logInlineHook(ctx, hook, "activated", "Activate inline hook")
		} else {
			logInlineHook(ctx, hook, "deactivated", "Deactivate inline hook")
		}
	}
	return ok(inlineHookJSON(ctx, hook))
}

func writeInlineHook(ctx *e.Ctx, hook *e.Object, fields [][2]any) {
	for _, f := range fields {
		ctx.Set(hook, f[0].(string), f[1])
	}
	ctx.Set(hook, "lastUpdated", ctx.Now())
	logInlineHook(ctx, hook, "updated", "Update inline hook")
}

// inlineHookHeaders are the headers of a call to an inline hook (a token hook is one): JSON, then the channel's
// custom headers, then its auth header.
func inlineHookHeaders(config *e.Object) [][2]string {
	headers := [][2]string{{"content-type", "application/json"}, {"accept", "application/json"}}
	for _, h := range objects(config.Arr("headers")) {
		headers = append(headers, [2]string{jsString(get(h, "key")), jsString(get(h, "value"))})
	}
	if scheme := config.Obj("authScheme"); scheme != nil {
		headers = append(headers, [2]string{jsString(get(scheme, "key")), jsString(get(scheme, "value"))})
	}
	return headers
}

// callInlineHook sends a payload to the hook as Okta does (POST, JSON, its custom headers and its auth header) and
// reads the answer, or says why there is none. Okta waits three seconds and retries once on a timeout or an error
// response; an answer that is not JSON is not retried.
func callInlineHook(hook *e.Object, payload any) (any, string) {
	channel := hook.Obj("channel")
	config := channel.Obj("config")
	headers := inlineHookHeaders(config)
	if channel.Str("type") == "OAUTH" {
		if config.Str("authType") != "client_secret_post" {
			return nil, "The twin does not sign private_key_jwt assertions for inline hooks: use client_secret_post."
		}
		token, got := tokenHookAccessToken(config)
		if !got {
			return nil, "The inline hook's token endpoint did not issue an access token."
		}
		headers = append(headers, [2]string{"authorization", "Bearer " + token})
	}
	data := e.Marshal(payload)
	reason := ""
	for attempt := 0; attempt < 2; attempt++ {
		answer, failure, retry := postInlineHook(config.Str("uri"), headers, data)
		if failure == "" {
			return answer, ""
		}
		reason = failure
		if !retry {
			break
		}
	}
	return nil, reason
}

// postInlineHook makes one attempt: the answer, or why it failed and whether that may be tried again.
func postInlineHook(uri string, headers [][2]string, data []byte) (any, string, bool) {
	ctx, cancel := context.WithTimeout(context.Background(), hookTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, "POST", uri, strings.NewReader(string(data)))
	if err != nil {
		return nil, "The inline hook could not be reached.", true
	}
	for _, h := range headers {
		req.Header.Add(h[0], h[1])
	}
	res, err := (&http.Client{Timeout: hookTimeout, Transport: hookTransport()}).Do(req)
	var text []byte
	if err == nil {
		defer res.Body.Close()
		text, err = io.ReadAll(res.Body)
	}
	if err != nil {
		if errors.Is(err, context.DeadlineExceeded) || os.IsTimeout(err) {
			return nil, "The inline hook did not respond within 3 seconds.", true
		}
		return nil, "The inline hook could not be reached.", true
	}
	if res.StatusCode < 200 || res.StatusCode > 299 {
		return nil, "The inline hook responded with HTTP " + strconv.Itoa(res.StatusCode) + ".", true
	}
	if len(text) == 0 {
		return e.NewObject(), "", false
	}
	answer, err := e.Parse(text, e.MaxJSONDepth)
	if err != nil {
		return nil, "The inline hook responded with a body that is not JSON.", false
	}
	return answer, "", false
}

func inlineHookHandlers() map[string]e.Handler {
	return map[string]e.Handler{
		"listInlineHooks": func(ctx *e.Ctx) (*e.Result, error) {
			typ, filtered := qString(ctx, "type")
			out := []any{}
			for _, hook := range values(ctx.State.Obj("inlineHooks")) {
				if !filtered || typ == "" || hook.Str("type") == typ {
					out = append(out, inlineHookJSON(ctx, hook))
				}
			}
			return ok(out)
		},
		"createInlineHook": func(ctx *e.Ctx) (*e.Result, error) {
			fields, err := checkInlineHookBody(body(ctx), nil)
			if err != nil {
				return nil, err
			}
			if ctx.State.Obj("inlineHooks").Len() >= maxInlineHooks {
				return nil, invalidFields([][2]string{{"type", "An org can have at most " + strconv.Itoa(maxInlineHooks) + " inline hooks."}})
			}
			now := ctx.Now()
			hook := e.NewObject("id", oktaID(ctx, "cal"), "status", "ACTIVE")
			for _, f := range fields {
				hook.Set(f[0].(string), f[1])
			}
			hook.Set("created", now)
			hook.Set("lastUpdated", now)
			ctx.Set(ctx.Ensure(ctx.State, "inlineHooks"), hook.Str("id"), hook)
			logInlineHook(ctx, hook, "created", "Create inline hook")
			return ok(inlineHookJSON(ctx, hook))
		},
		"getInlineHook": func(ctx *e.Ctx) (*e.Result, error) {
			hook, err := requireInlineHook(ctx)
			if err != nil {
				return nil, err
			}
			return ok(inlineHookJSON(ctx, hook))
		},
		"updateInlineHook": func(ctx *e.Ctx) (*e.Result, error) {
			hook, err := requireInlineHook(ctx)
			if err != nil {
				return nil, err
			}
			fields, err := checkInlineHookBody(mergeUpdate(hook, body(ctx)), hook)
			if err != nil {
				return nil, err
			}
			writeInlineHook(ctx, hook, fields)
			return ok(inlineHookJSON(ctx, hook))
		},
		"replaceInlineHook": func(ctx *e.Ctx) (*e.Result, error) {
			hook, err := requireInlineHook(ctx)
			if err != nil {
				return nil, err
			}
			fields, err := checkInlineHookBody(body(ctx), hook)
			if err != nil {
				return nil, err
			}
			writeInlineHook(ctx, hook, fields)
			return ok(inlineHookJSON(ctx, hook))
		},
		"deleteInlineHook": func(ctx *e.Ctx) (*e.Result, error) {
			hook, err := requireInlineHook(ctx)
			if err != nil {
				return nil, err
			}
			// Okta: "As a safety precaution, only inline hooks with a status of INACTIVE are eligible for deletion."
			if hook.Str("status") == "ACTIVE" {
				const refusal = "Cannot delete an ACTIVE inline hook; deactivate it first."
				return nil, oktaErr("E0000001", detail(refusal), causes(refusal))
			}
			ctx.Delete(ctx.State.Obj("inlineHooks"), hook.Str("id"))
			logInlineHook(ctx, hook, "deleted", "Delete inline hook")
			return e.NoContent(), nil
		},
		"executeInlineHook": func(ctx *e.Ctx) (*e.Result, error) {
			hook, err := requireInlineHook(ctx)
			if err != nil {
				return nil, err
			}
			var payload any = e.NewObject()
			if ctx.Body != nil {
				payload = ctx.Body
			}
			// The hook (or its token URL) may be the twin itself: the call is made without the twin's lock.
			target := e.CloneObj(hook)
			var answer any
			var reason string
			ctx.Unlocked(func() { answer, reason = callInlineHook(target, payload) })
			if reason != "" {
				return nil, oktaErr("E0000001", detail(reason), causes(reason))
			}
			return ok(answer)
		},
		"activateInlineHook":   func(ctx *e.Ctx) (*e.Result, error) { return setInlineHookStatus(ctx, "ACTIVE") },
		"deactivateInlineHook": func(ctx *e.Ctx) (*e.Result, error) { return setInlineHookStatus(ctx, "INACTIVE") },
	}
}
