package goengine

import (
	"crypto/sha256"
	"crypto/subtle"
	"fmt"
	"regexp"
	"strings"
)

const adminRoutes = "GET /__twin/health, POST /__twin/reset, GET and PUT /__twin/state, GET /__twin/requests, GET, POST and DELETE /__twin/plugins, DELETE /__twin/plugins/{id}, GET and POST /__twin/clock"

func adminJSON(status int, body *Object) *Result {
	return &Result{Status: status, Headers: Headers{"content-type": {"application/json"}}, Body: body}
}

func adminError(status int, message string) *Result {
	return adminJSON(status, NewObject("error", message))
}

var (
	bearerRE    = regexp.MustCompile(`(?i)^Bearer (.+)$`)
	bracketedRE = regexp.MustCompile(`^\[([^\]]+)\](?::\d+)?$`)
	portRE      = regexp.MustCompile(`:\d+$`)
	loopbackRE  = regexp.MustCompile(`^127(?:\.\d{1,3}){3}$`)
	jsonTypeRE  = regexp.MustCompile(`(?i)^application/json\s*(;|$)`)
	pluginIDRE  = regexp.MustCompile(`^/__twin/plugins/([^/]+)$`)
)

func hostnameOf(host string) string {
	if m := bracketedRE.FindStringSubmatch(host); m != nil {
		return strings.ToLower(m[1])
	}
	return strings.ToLower(portRE.ReplaceAllString(host, ""))
}

func isLoopback(name string) bool {
	return name == "localhost" || strings.HasSuffix(name, ".localhost") || name == "::1" || loopbackRE.MatchString(name)
}

func jsQuote(s string) string { return string(Marshal(s)) }

// guard keeps the control plane to its own user, as the TypeScript admin API does: the admin token when one is
// set, a Host that names this twin, no foreign Origin, JSON bodies only.
func (t *Twin) guard(req *Request) *Result {
	if t.opts.AdminToken != "" {
		given := ""
		if m := bearerRE.FindStringSubmatch(req.Headers["authorization"]); m != nil {
			given = m[1]
		}
		a, b := sha256.Sum256([]byte(given)), sha256.Sum256([]byte(t.opts.AdminToken))
		if subtle.ConstantTimeCompare(a[:], b[:]) != 1 {
			r := adminError(401, "[twinverse] the admin API requires the admin token: Authorization: Bearer <--admin-token>")
			r.Headers.Set("www-authenticate", `Bearer realm="twinverse admin"`)
			return r
		}
	}
	host, hasHost := req.Headers["host"]
	if req.LocalAddress != "" {
		name := ""
		if hasHost {
			name = hostnameOf(host)
		}
		known := isLoopback(name) || name == strings.ToLower(req.LocalAddress)
		for _, h := range t.opts.AdminHosts {
			if strings.ToLower(h) == name {
				known = true
			}
		}
		if !known {
			return adminError(403, fmt.Sprintf("[twinverse] the admin API answers only requests addressed to this twin (Host %s is not one of its names)", jsQuote(host)))
		}
	}
	if origin, has := req.Headers["origin"]; has && (!hasHost || (origin != "http://"+host && origin != "https://"+host)) {
		return adminError(403, fmt.Sprintf("[twinverse] the admin API does not answer requests from other origins (Origin %s)", origin))
	}
	if ct, has := req.Headers["content-type"]; has && req.Method != "GET" && req.Method != "HEAD" && !jsonTypeRE.MatchString(ct) {
		return adminError(415, "[twinverse] the admin API takes JSON bodies only (Content-Type: application/json)")
	}
	return nil
}

func (t *Twin) admin(req *Request) *Result {
	if req.BodyTooLarge {
		return adminError(413, fmt.Sprintf("[twinverse] the request body is larger than the %s twin accepts (%d bytes)", t.def.Name, t.bodyLimit))
	}
	res := t.adminRoute(req)
	if t.data != nil && !safeMethods[req.Method] && res.Status < 300 {
		if err := t.data.save(t.Store.Export()); err != nil {
			return adminError(503, "[twinverse] the change was made but could not be saved: "+err.Error())
		}
	}
	return res
}

func (t *Twin) adminRoute(req *Request) *Result {
	if refused := t.guard(req); refused != nil {
		return refused
	}
	route := req.Method + " " + req.Path
	if m := pluginIDRE.FindStringSubmatch(req.Path); m != nil && req.Method == "DELETE" {
		if t.plugins.remove(m[1]) {
			return NoContent()
		}
		return adminError(404, fmt.Sprintf("[twinverse] no plugin %s was added at runtime; GET /__twin/plugins lists them", m[1]))
	}
	search := ParseSearch(req.RawQuery)
	switch route {
	case "GET /__twin/health":
		return adminJSON(200, NewObject("status", "ok", "twin", t.def.Name))
	case "POST /__twin/reset":
		plugins, _ := search.Get("plugins")
		if plugins == "true" {
			t.plugins.resetPlugins()
		}
		t.Reset()
		kept := "kept"
		if plugins == "true" {
			kept = "removed"
		}
		return adminJSON(200, NewObject("status", "reset", "twin", t.def.Name, "plugins", kept))
	case "GET /__twin/state":
		return adminJSON(200, t.Store.Export())
	case "PUT /__twin/state":
		doc, err := Parse([]byte(req.Body), 2*MaxJSONDepth)
		if err != nil {
			return adminError(400, "[twinverse] PUT /__twin/state takes a JSON state export, as GET /__twin/state returns it")
		}
		if err := t.Import(doc); err != nil {
			return adminError(400, err.Error())
		}
		return adminJSON(200, NewObject("status", "imported", "twin", t.def.Name))
	case "GET /__twin/requests":
		entries := t.requests()
		list := make([]any, len(entries))
		for i, e := range entries {
			list[i] = e.json()
		}
		return adminJSON(200, NewObject("requests", list))
	case "GET /__twin/plugins":
		return adminJSON(200, NewObject("plugins", t.plugins.list()))
	case "POST /__twin/plugins":
		doc, err := Parse([]byte(req.Body), 2*MaxJSONDepth)
		if err != nil {
			return adminError(400, `[twinverse] POST /__twin/plugins takes JSON: { "name": "<built-in plugin>", "options": {...} }, or an array of them`)
		}
		specs, isList := doc.([]any)
		if !isList {
			specs = []any{doc}
		}
		added, err := t.plugins.add(specs)
		if err != nil {
			return adminError(400, err.Error())
		}
		return &Result{Status: 201, Headers: Headers{"content-type": {"application/json"}}, Body: NewObject("plugins", added)}
	case "DELETE /__twin/plugins":
		t.plugins.resetPlugins()
		return NoContent()
	case "GET /__twin/clock":
		// pending: the delayed answers waiting on this clock, so that a test in another process can wait for one before moving it.
		return adminJSON(200, NewObject("now", ISO(t.Clock.NowMs()), "fixed", t.Clock.Fixed(), "pending", t.Clock.Pending()))
	case "POST /__twin/clock":
		// Only a fixed clock is the test's to move; moving the wall clock would shift every later answer of a twin others use.
		if !t.Clock.Fixed() {
			return adminError(409, "[twinverse] POST /__twin/clock moves a fixed clock only, and this twin follows the system clock (start it with --clock <instant>)")
		}
		doc, _ := Parse([]byte(req.Body), 2*MaxJSONDepth)
		var ms any
		if body, isObject := doc.(*Object); isObject {
			ms, _ = body.Get("advanceMs")
		}
		advance, isNumber := ms.(float64)
		if !isNumber || advance < 0 || advance > 1<<53-1 || advance != float64(int64(advance)) {
			return adminError(400, `[twinverse] POST /__twin/clock takes JSON: { "advanceMs": <non-negative integer> }`)
		}
		t.Clock.Advance(int64(advance))
		return adminJSON(200, NewObject("now", ISO(t.Clock.NowMs())))
	}
	return adminError(404, fmt.Sprintf("[twinverse] %s is not part of the admin API; it serves %s", route, adminRoutes))
}

// Reset puts the twin back to its seed: state, clock, journal and what the plugins counted.
func (t *Twin) Reset() {
	t.Store.Reset()
	t.Clock.Reset()
	t.journal = nil
	t.plugins.reset()
	t.forget()
}

// Import replaces the state with an export (GET /__twin/state of either backend).
func (t *Twin) Import(doc any) error {
	if err := t.Store.Import(doc); err != nil {
		return err
	}
	t.forget()
	return nil
}

// Reseed makes an export the seed (--seed).
func (t *Twin) Reseed(doc any) error {
	if err := t.Store.Reseed(doc); err != nil {
		return err
	}
	t.forget()
	return nil
}
