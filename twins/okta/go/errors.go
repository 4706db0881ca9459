package main

import (
	"math"
	"strings"

	e "twinverse/twins/goengine"
)

type oktaCode struct {
	status  int
	summary string
}

// oktaErrors are Okta's error codes the twin answers with (Okta's error-codes reference), as twins/okta/errors.ts.
func oktaErrors(code string) oktaCode {
	switch code {
	case "E0000001":
		return oktaCode{400, "Api validation failed: {0}"}
	case "E0000003":
		return oktaCode{400, "The request body was not well-formed."}
	case "E0000004":
		return oktaCode{401, "Authentication failed"}
	case "E0000005":
		return oktaCode{403, "Invalid session"}
	case "E0000006":
		return oktaCode{403, "You do not have permission to perform the requested action"}
	case "E0000007":
		return oktaCode{404, "Not found: {0}"}
	case "E0000009":
		return oktaCode{500, "Internal Server Error"}
	case "E0000010":
		return oktaCode{503, "Service is in read only mode"}
	case "E0000011":
		return oktaCode{401, "Invalid token provided"}
	case "E0000014":
		return oktaCode{403, "Update of credentials failed"}
	case "E0000016":
		return oktaCode{403, "Activation failed because the user is already active"}
	case "E0000022":
		return oktaCode{405, "The endpoint does not support the provided HTTP method"}
	case "E0000028":
		return oktaCode{400, "The request is missing a required parameter."}
	case "E0000030":
		return oktaCode{400, "Invalid date. Dates must be of the form yyyy-MM-dd'T'HH:mm:ss.SSSZZ, e.g. 2013-01-01T12:00:00.000-07:00."}
	case "E0000031":
		return oktaCode{400, "Invalid search criteria."}
	case "E0000032":
		return oktaCode{403, "Unlock is not allowed for this user."}
	case "E0000038":
		return oktaCode{403, "This operation is not allowed in the user's current status."}
	case "E0000047":
		return oktaCode{429, "API call exceeded rate limit due to too many requests."}
	case "E0000056":
		return oktaCode{403, "Delete application forbidden."}
	case "E0000068":
		return oktaCode{403, "Invalid Passcode/Answer"}
	case "E0000079":
		return oktaCode{403, "This operation is not allowed in the current authentication state."}
	case "E0000080":
		return oktaCode{403, "The password does not meet the complexity requirements of the current password policy."}
	case "E0000082":
		return oktaCode{403, "Each code can only be used once. Please wait for a new code and try again."}
	case "E0000087":
		return oktaCode{403, "The recovery question answer did not match our records."}
	case "E0000090":
		return oktaCode{409, "Duplicate role assignment exception"}
	case "E0000093":
		return oktaCode{400, "Target count limit exceeded"}
	case "E0000124":
		return oktaCode{400, "Could not create user. To create a user and expire their password immediately, a password must be specified"}
	case "E0000125":
		return oktaCode{400, "Could not create user. To create a user and expire their password immediately, \"activate\" must be true"}
	case "E0000195":
		return oktaCode{409, "Validation conflict"}
	}
	return oktaCode{500, "Internal Server Error"}
}

// OktaError is an error in Okta's envelope: the code's summary template with {0} filled by detail, unless
// summary replaces it whole.
type OktaError struct {
	Code    string
	Summary string
	Status  int
	Causes  []string
	Headers map[string]string
}

func (o *OktaError) Error() string { return o.Summary }

// TwinRefusal marks OktaError as the twin's own refusal.
func (o *OktaError) TwinRefusal() {}

type errOpt func(*OktaError)

func detail(d string) errOpt {
	return func(o *OktaError) { o.Summary = strings.Replace(oktaErrors(o.Code).summary, "{0}", d, 1) }
}
func summary(s string) errOpt      { return func(o *OktaError) { o.Summary = s } }
func causes(c ...string) errOpt    { return func(o *OktaError) { o.Causes = c } }
func withStatus(status int) errOpt { return func(o *OktaError) { o.Status = status } }

func oktaErr(code string, opts ...errOpt) *OktaError {
	c := oktaErrors(code)
	o := &OktaError{Code: code, Summary: strings.Replace(c.summary, "{0}", "", 1), Status: c.status, Causes: []string{}}
	for _, opt := range opts {
		opt(o)
	}
	return o
}

func notFound(id, kind string) *OktaError {
	return oktaErr("E0000007", detail("Resource not found: "+id+" ("+kind+")"))
}

func validationFailed(c ...string) *OktaError {
	first := c[0]
	if i := strings.Index(first, ":"); i >= 0 {
		first = first[:i]
	} else {
		first = first[:len(first)-1]
	}
	return oktaErr("E0000001", detail(first), causes(c...))
}

func invalidFields(problems [][2]string) *OktaError {
	var fields []string
	seen := map[string]bool{}
	list := make([]string, len(problems))
	for i, p := range problems {
		if !seen[p[0]] {
			seen[p[0]] = true
			fields = append(fields, p[0])
		}
		list[i] = p[0] + ": " + p[1]
	}
	return oktaErr("E0000001", detail(strings.Join(fields, ", ")), causes(list...))
}

const errorIDAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"

// nextErrorID is a unique, deterministic errorId like Okta's ("oae" and 22 base64url characters).
func nextErrorID(ctx *e.Ctx) string {
	n := ctx.IDs.Sequence("errorId", 1)
	x := jsUint32(n * 2654435761)
	var b strings.Builder
	b.WriteString("oae")
	for i := 0; i < 22; i++ {
		x = (x^(x>>13))*0x5bd1e995 + uint32(i)
		b.WriteByte(errorIDAlphabet[x%64])
	}
	return b.String()
}

// jsUint32 is JavaScript's ToUint32 (x >>> 0) of a whole number held in a double.
func jsUint32(f float64) uint32 {
	m := math.Mod(math.Trunc(f), 4294967296)
	if m < 0 {
		m += 4294967296
	}
	return uint32(m)
}

func envelope(ctx *e.Ctx, code, sum string, cs []string, status int, headers map[string]string) *e.Result {
	list := make([]any, len(cs))
	for i, c := range cs {
		list[i] = e.NewObject("errorSummary", c)
	}
	h := e.Headers{}
	for k, v := range headers {
		h.Set(k, v)
	}
	return &e.Result{Status: status, Headers: h, Body: e.NewObject("errorCode", code, "errorSummary", sum, "errorLink", code, "errorId", nextErrorID(ctx), "errorCauses", list)}
}

// speaksOAuth: the OAuth protocol endpoints answer in RFC 6749's shape.
func speaksOAuth(ctx *e.Ctx) bool {
	return strings.HasPrefix(ctx.Request.Path, "/oauth2/") && (ctx.Op == nil || len(ctx.Op.Security) == 0)
}

var oktaEnvelopeEverywhere = map[string]bool{"route_not_found": true, "payload_too_large": true, "internal": true, "response_drift": true, "rate_limited": true, "unavailable": true, "server_error": true}

func notEmulated(ctx *e.Ctx) *e.Result {
	return envelope(ctx, "E0000007", "Not found: Resource not found: "+ctx.Request.Method+" "+ctx.Request.Path+" (not emulated by the twinverse Okta twin)", nil, 404, nil)
}

// renderOktaError renders anything refused in the envelope Okta uses for the endpoint, the engine's refusals included.
func renderOktaError(err error, ctx *e.Ctx) *e.Result {
	if o, ok := err.(*OktaError); ok {
		return envelope(ctx, o.Code, o.Summary, o.Causes, o.Status, o.Headers)
	}
	ee, ok := err.(*e.EngineError)
	if !ok {
		return envelope(ctx, "E0000009", oktaErrors("E0000009").summary, nil, 500, nil)
	}
	if ee.Kind == "unauthorized" && speaksOAuth(ctx) {
		return &e.Result{Status: 401, Headers: e.Headers{"www-authenticate": {`Bearer error="invalid_token", error_description="The access token is invalid."`}}, Body: e.NewObject("error", "invalid_token", "error_description", "The access token is invalid.")}
	}
	if speaksOAuth(ctx) && !oktaEnvelopeEverywhere[ee.Kind] {
		description := ee.Message
		if len(ee.Diagnostics) > 0 {
			parts := make([]string, len(ee.Diagnostics))
			for i, d := range ee.Diagnostics {
				parts[i] = d.Name + ": " + d.Message
			}
			description = strings.Join(parts, "; ")
		}
		status := 400
		if ee.Kind == "method_not_allowed" {
			status = 405
		}
		return &e.Result{Status: status, Headers: e.Headers{}, Body: e.NewObject("error", "invalid_request", "error_description", description)}
	}
	diagnostics := func() []string {
		out := make([]string, len(ee.Diagnostics))
		for i, d := range ee.Diagnostics {
			out[i] = d.Name + ": " + d.Message
		}
		return out
	}
	switch ee.Kind {
	case "route_not_found", "not_implemented":
		return notEmulated(ctx)
	case "method_not_allowed":
		if oktaSupportsMethod(ctx.Request.Method, ctx.Request.Path) {
			return notEmulated(ctx)
		}
		return envelope(ctx, "E0000022", oktaErrors("E0000022").summary, []string{ctx.Request.Method + " " + ctx.Request.Path}, 405, nil)
	case "malformed_body", "unsupported_media_type":
		return envelope(ctx, "E0000003", oktaErrors("E0000003").summary, nil, 400, nil)
	case "payload_too_large":
		return envelope(ctx, "E0000003", oktaErrors("E0000003").summary, []string{ee.Message}, 413, nil)
	case "invalid_request":
		cs := diagnostics()
		return envelope(ctx, "E0000001", "Api validation failed: "+strings.Join(cs, "; "), cs, 400, nil)
	case "response_drift":
		return envelope(ctx, "E0000009", "Internal Server Error: "+ee.Message, diagnostics(), 500, nil)
	case "rate_limited":
		return envelope(ctx, "E0000047", oktaErrors("E0000047").summary, nil, 429, nil)
	case "unavailable":
		headers := map[string]string{}
		if ee.HasRetry {
			headers["retry-after"] = e.FormatNumber(float64(ee.RetryAfter))
		}
		return envelope(ctx, "E0000010", oktaErrors("E0000010").summary, nil, 503, headers)
	case "unauthorized":
		return envelope(ctx, "E0000011", oktaErrors("E0000011").summary, nil, 401, nil)
	}
	return envelope(ctx, "E0000009", oktaErrors("E0000009").summary, nil, 500, nil)
}

// oktaOnlyMethods are methods Okta serves on paths the twin serves only in part (twins/okta/model/not-emulated.ts).
var oktaOnlyMethods = map[string][]string{
	"/api/v1/apps/{}/groups/{}":                      {"PATCH"},
	"/api/v1/authenticators":                         {"POST"},
	"/api/v1/authenticators/{}":                      {"PUT"},
	"/api/v1/users/{}/roles/{}/targets/catalog/apps": {"PUT"},
}

func oktaSupportsMethod(method, path string) bool {
	trimmed := strings.TrimRight(path, "/")
	if trimmed == "/api/v1/policies/simulate" {
		return true
	}
	parts := strings.Split(trimmed, "/")
	for pattern, ms := range oktaOnlyMethods {
		want := strings.Split(pattern, "/")
		if len(want) != len(parts) {
			continue
		}
		match := true
		for i, seg := range want {
			if seg != "{}" && seg != parts[i] {
				match = false
			}
		}
		if !match {
			continue
		}
		for _, m := range ms {
			if m == method {
				return true
			}
		}
	}
	return false
}
