package goengine

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

// The expected values of these tests come from the TypeScript plugins (src/plugins) run on the same input: option
// errors, coerced options, ids, journal notes and the seeded draws.

// pluginDefinition is the engine's test twin, rendering the refusals plugins throw as a vendor would.
func pluginDefinition(reportRateLimits bool) *Definition {
	def := testDefinition()
	inner := def.RenderError
	def.RenderError = func(err error, ctx *Ctx) *Result {
		var ee *EngineError
		if errors.As(err, &ee) {
			if status, ok := map[string]int{"rate_limited": 429, "unavailable": 503, "server_error": 500, "unauthorized": 401}[ee.Kind]; ok {
				r := &Result{Status: status, Headers: Headers{}, Body: NewObject("error", ee.Kind, "message", ee.Message)}
				if ee.HasRetry && ee.Kind == "unavailable" {
					r.Headers.Set("retry-after", FormatNumber(float64(ee.RetryAfter)))
				}
				return r
			}
		}
		return inner(err, ctx)
	}
	def.ReportRateLimits = reportRateLimits
	return def
}

func pluginTwin(t *testing.T, reportRateLimits bool, opts Options) (*Twin, *testServer) {
	t.Helper()
	opts.Clock = "2026-01-01T00:00:00.000Z"
	opts.Log = io.Discard
	twin, err := New(pluginDefinition(reportRateLimits), opts)
	if err != nil {
		t.Fatal(err)
	}
	server := serveTest(t, twin)
	return twin, server
}

func spec(t *testing.T, text string) *Plugin {
	t.Helper()
	doc, err := Parse([]byte(text), 16)
	if err != nil {
		t.Fatal(err)
	}
	p, err := PluginFromSpec(doc)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func addPlugins(t *testing.T, server *testServer, body string) string {
	t.Helper()
	got := send(t, server, "POST", "/__twin/plugins", body)
	if got.status != 201 {
		t.Fatalf("POST /__twin/plugins %s: %d %s", body, got.status, got.body)
	}
	return got.body
}

// journal is the journal's statuses and plugin notes, one line a request: "200", "503 p1 fault answered 503: ...".
func journal(twin *Twin) []string {
	twin.journalMu.Lock()
	defer twin.journalMu.Unlock()
	var out []string
	for _, e := range twin.requests() {
		line := FormatNumber(float64(e.status))
		for _, n := range e.notes {
			line += " " + n.Str("id") + " " + n.Str("name") + " " + n.Str("action")
		}
		out = append(out, line)
	}
	return out
}

func sameLines(t *testing.T, got, want []string) {
	t.Helper()
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("got\n  %s\nwant\n  %s", strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
}

func TestPluginOptionsAreCheckedInAjvWords(t *testing.T) {
	cases := []struct{ spec, want string }{
		{`{"name":"rate-limit","options":{"limit":"2","limits":{"a":"x","b":-1},"windowSeconds":0,"enforce":"yes","extra":1,"more":2}}`,
			`[twinverse] plugin rate-limit: options must NOT have additional properties (extra); options must NOT have additional properties (more); limits/a must be integer; limits/b must be >= 0; windowSeconds must be >= 1; enforce must be boolean`},
		{`{"name":"fault","options":{"fault":"503","nth":"2","operationId":5}}`, `{"fault":503,"nth":2,"operationId":"5"}`},
		{`{"name":"fault","options":{"fault":502,"operationId":{},"method":[1,true],"path":null}}`,
			`[twinverse] plugin fault: fault must be equal to one of the allowed values; operationId must be string; operationId must be array; operationId must match a schema in anyOf`},
		{`{"name":"latency","options":{}}`, `[twinverse] latency: give { ms } for a fixed delay, { min, max } (max >= min) for a uniform one, or { median, p99 } (p99 >= median > 0) for a long tail`},
		{`{"name":"latency","options":5}`, `[twinverse] plugin latency: options must be object`},
		{`{"name":"lag"}`, `[twinverse] lag: ms is how long a write stays out of lists, a number of milliseconds >= 0`},
		{`{"name":"lag","options":{"ms":true}}`, `{"ms":1}`},
		{`{"name":"expire-credentials","options":{"at":"nope"}}`, `[twinverse] expire-credentials: at "nope" is not an ISO-8601 instant`},
		{`{"name":"expire-credentials","options":{"at":"2026-01-01T00:10:00"}}`, `[twinverse] expire-credentials: at "2026-01-01T00:10:00" is not an ISO-8601 instant`},
		{`{"name":"expire-credentials","options":{}}`, "[twinverse] expire-credentials: give `at` (an instant) or `afterCalls` (a number of calls)"},
		{`{"name":"pagination","options":{"shortPage":0}}`, `[twinverse] plugin pagination: shortPage must be >= 1`},
		{`{"name":"pagination","options":{}}`, `[twinverse] pagination: give shortPage (items per page) and/or emptyBeforeLast: true`},
		{`{"name":"nope"}`, `[twinverse] no built-in plugin is named "nope"; built-in plugins: rate-limit, fault, latency, lag, expire-credentials, pagination`},
		{`{"nam":1}`, `[twinverse] a plugin is given as { "name": "<built-in plugin>", "options": {...} }; built-in plugins: rate-limit, fault, latency, lag, expire-credentials, pagination`},
		{`null`, `[twinverse] a plugin is given as { "name": "<built-in plugin>", "options": {...} }; built-in plugins: rate-limit, fault, latency, lag, expire-credentials, pagination`},
		{`{"name":"fault","options":{"probability":"0.5","nth":2.5,"every":null}}`, `[twinverse] plugin fault: nth must be integer; every must be >= 1`},
		{`{"name":"rate-limit","options":{"enforce":"false","limit":true,"windowSeconds":"2"}}`, `{"enforce":false,"limit":1,"windowSeconds":2}`},
		{`{"name":"fault","options":{"operationId":[1,{}]}}`, `[twinverse] plugin fault: operationId must be string; operationId/1 must be string; operationId must match a schema in anyOf`},
		{`{"name":"fault","options":null}`, `{}`},
		{`{"name":"fault","options":[]}`, `[twinverse] plugin fault: options must be object`},
		{`{"name":"rate-limit","options":{"limits":5}}`, `[twinverse] plugin rate-limit: limits must be object`},
		{`{"name":"rate-limit","options":{"limit":-1.5}}`, `[twinverse] plugin rate-limit: limit must be integer; limit must be >= 0`},
		{`{"name":"rate-limit","options":{"limit":"0x10","windowSeconds":" 5 "}}`, `{"limit":16,"windowSeconds":5}`},
		{`{"name":"rate-limit","options":{"b":1,"1":2,"limits":{"x/y~":"-3","2":true}}}`,
			`[twinverse] plugin rate-limit: options must NOT have additional properties (1); options must NOT have additional properties (b); limits/x~1y~0 must be >= 0`},
		{`{"name":"fault","options":{"fault":500.0,"probability":2,"retryAfterSeconds":"1.5"}}`, `[twinverse] plugin fault: retryAfterSeconds must be integer; probability must be <= 1`},
		{`{"name":"fault","options":{"probability":-0.1,"nth":0}}`, `[twinverse] plugin fault: nth must be >= 1; probability must be >= 0`},
		{`{"name":"latency","options":{"ms":"12.5","operationId":"getUser","method":"get"}}`, `{"ms":12.5,"operationId":"getUser","method":"get"}`},
		{`{"name":"expire-credentials","options":{"at":"2026-01-01T00:10:00Z","afterCalls":"3","revoked":1,"credential":7}}`, `{"at":"2026-01-01T00:10:00Z","afterCalls":3,"revoked":true,"credential":"7"}`},
		{`{"name":"pagination","options":{"emptyBeforeLast":"true","shortPage":"2"}}`, `{"emptyBeforeLast":true,"shortPage":2}`},
		{`{"name":"lag","options":{"ms":-1}}`, `[twinverse] plugin lag: ms must be >= 0`},
		{`{"name":"fault","options":{"fault":"drop","nth":"1e0"}}`, `{"fault":"drop","nth":1}`},
		{`{"name":"fault","options":{"fault":"500"}}`, `{"fault":500}`},
		{`{"name":"rate-limit","options":{"limit":""}}`, `[twinverse] plugin rate-limit: limit must be integer`},
		{`{"name":"rate-limit","options":{"limit":"  "}}`, `{"limit":0}`},
	}
	for _, c := range cases {
		doc, err := Parse([]byte(c.spec), 16)
		if err != nil {
			t.Fatal(err)
		}
		got := ""
		if p, err := PluginFromSpec(doc); err != nil {
			got = err.Error()
		} else {
			got = string(Marshal(p.options))
		}
		if got != c.want {
			t.Errorf("%s\n got  %s\n want %s", c.spec, got, c.want)
		}
	}
}

func TestParsePluginArgument(t *testing.T) {
	got, err := ParsePluginArgument("fault:fault=503,nth=2,operationId=getUser|listUsers,")
	if err != nil || string(Marshal(got)) != `{"name":"fault","options":{"fault":"503","nth":"2","operationId":["getUser","listUsers"]}}` {
		t.Fatalf("%s %v", Marshal(got), err)
	}
	if _, err := ParsePluginArgument("latency:ms"); err == nil || err.Error() != `[twinverse] --plugin latency:ms: "ms" is not key=value` {
		t.Fatalf("%v", err)
	}
}

func TestTheChainRunsRuntimePluginsFirstThenGivenThenTheTwinsOwn(t *testing.T) {
	given := spec(t, `{"name":"fault","options":{"fault":503,"operationId":"listItems"}}`)
	twin, server := pluginTwin(t, true, Options{Plugins: []*Plugin{given}})
	added := addPlugins(t, server, `[{"name":"fault","options":{"fault":"500","nth":1}},{"name":"rate-limit","options":{"limit":5,"operationId":"getItem"}}]`)
	want := `{"plugins":[{"id":"p3","name":"fault","options":{"fault":500,"nth":1},"origin":"runtime","inForce":true},{"id":"p4","name":"rate-limit","options":{"limit":5,"operationId":"getItem"},"origin":"runtime","inForce":true}]}`
	if added != want {
		t.Fatalf("added %s", added)
	}
	listed := send(t, server, "GET", "/__twin/plugins", "").body
	want = `{"plugins":[` +
		`{"id":"p3","name":"fault","options":{"fault":500,"nth":1},"origin":"runtime","inForce":true},` +
		`{"id":"p4","name":"rate-limit","options":{"limit":5,"operationId":"getItem"},"origin":"runtime","inForce":true},` +
		`{"id":"p2","name":"fault","options":{"fault":503,"operationId":"listItems"},"origin":"options","inForce":true},` +
		`{"id":"p1","name":"rate-limit","options":{"enforce":false},"origin":"twin","inForce":false}]}`
	if listed != want {
		t.Fatalf("listed %s", listed)
	}
	// The runtime fault answers first; then the one given at creation; the runtime rate-limit replaces the twin's.
	expect(t, send(t, server, "GET", "/v1/items", ""), 500, "")
	expect(t, send(t, server, "GET", "/v1/items", ""), 503, "")
	expect(t, send(t, server, "GET", "/v1/items/it1", ""), 200, "")
	sameLines(t, journal(twin), []string{"500 p3 fault answered 500: call 1 (nth=1)", "503 p2 fault answered 503: call 1 (every call)", "200"})
	// Removing the runtime ones brings the twin's own back into force; the given one stays.
	expect(t, send(t, server, "DELETE", "/__twin/plugins", ""), 204, "")
	listed = send(t, server, "GET", "/__twin/plugins", "").body
	if !strings.HasSuffix(listed, `{"id":"p1","name":"rate-limit","options":{"enforce":false},"origin":"twin","inForce":true}]}`) || strings.Contains(listed, `"p3"`) {
		t.Fatalf("listed %s", listed)
	}
	expect(t, send(t, server, "DELETE", "/__twin/plugins/p2", ""), 404, "")
	// Refused options install nothing.
	expect(t, send(t, server, "POST", "/__twin/plugins", `[{"name":"fault"},{"name":"lag"}]`), 400, `{"error":"[twinverse] lag: ms is how long a write stays out of lists, a number of milliseconds >= 0"}`)
	if got := addPlugins(t, server, `{"name":"fault","options":{"nth":9}}`); !strings.Contains(got, `"id":"p5"`) {
		t.Fatalf("ids go on from the last one: %s", got)
	}
}

func TestTargetsPickByOperationMethodAndPathShape(t *testing.T) {
	twin, server := pluginTwin(t, false, Options{})
	addPlugins(t, server, `[{"name":"fault","options":{"fault":503,"path":"/items/{itemId}","method":["get"]}},{"name":"fault","options":{"fault":500,"operationId":["createItem"]}}]`)
	expect(t, send(t, server, "GET", "/v1/items", ""), 200, "")
	expect(t, send(t, server, "GET", "/v1/items/it1", ""), 503, "")
	expect(t, send(t, server, "POST", "/v1/items", `{"name":"x"}`), 500, "")
	expect(t, send(t, server, "GET", "/v1/nowhere", ""), 404, "")
	sameLines(t, journal(twin), []string{"200", "503 p1 fault answered 503: call 1 (every call)", "500 p2 fault answered 500: call 1 (every call)", "404"})
}

func TestFaultSchedulesAndTheirSeededDraws(t *testing.T) {
	twin, server := pluginTwin(t, false, Options{})
	addPlugins(t, server, `{"name":"fault","options":{"fault":503,"probability":0.3}}`)
	var got []string
	for i := 0; i < 20; i++ {
		got = append(got, FormatNumber(float64(send(t, server, "GET", "/v1/items", "").status)))
	}
	// The TypeScript chain's draws for this plugin with randomSeed 1: calls 1, 2, 9 and 15 to 18 fail.
	want := "503,503,200,200,200,200,200,200,503,200,200,200,200,200,503,503,503,503,200,200"
	if strings.Join(got, ",") != want {
		t.Fatalf("got %s", strings.Join(got, ","))
	}
	// A reset keeps the plugin and replays its draws.
	expect(t, send(t, server, "POST", "/__twin/reset", ""), 200, `{"status":"reset","twin":"example","plugins":"kept"}`)
	expect(t, send(t, server, "GET", "/v1/items", ""), 503, "")
	if j := journal(twin); j[0] != "503 p1 fault answered 503: call 1 (probability=0.3)" {
		t.Fatalf("journal %q", j)
	}
	expect(t, send(t, server, "POST", "/__twin/reset?plugins=true", ""), 200, `{"status":"reset","twin":"example","plugins":"removed"}`)
	expect(t, send(t, server, "GET", "/v1/items", ""), 200, "")

	seven := uint32(7)
	_, other := pluginTwin(t, false, Options{RandomSeed: &seven, Plugins: []*Plugin{spec(t, `{"name":"fault","options":{"fault":503,"probability":0.5}}`)}})
	got = nil
	for i := 0; i < 12; i++ {
		got = append(got, FormatNumber(float64(send(t, other, "GET", "/v1/items", "").status)))
	}
	if strings.Join(got, ",") != "200,200,503,200,503,200,503,503,503,200,503,503" {
		t.Fatalf("randomSeed 7: %s", strings.Join(got, ","))
	}

	_, counted := pluginTwin(t, false, Options{})
	addPlugins(t, counted, `[{"name":"fault","options":{"fault":503,"every":2,"retryAfterSeconds":30}},{"name":"fault","options":{"fault":500,"nth":1}}]`)
	expect(t, send(t, counted, "GET", "/v1/items", ""), 500, `{"error":"server_error","message":"Injected server error (call 1 (nth=1))"}`)
	second := send(t, counted, "GET", "/v1/items", "")
	expect(t, second, 503, `{"error":"unavailable","message":"Injected unavailability (call 2 (every=2))"}`)
	if second.header.Get("Retry-After") != "30" {
		t.Fatalf("Retry-After %q", second.header.Get("Retry-After"))
	}
}

func TestADroppedConnectionAndARequestThatNeverAnswers(t *testing.T) {
	twin, server := pluginTwin(t, false, Options{})
	addPlugins(t, server, `{"name":"fault","options":{"fault":"drop","nth":1}}`)
	// A fresh connection: Go's client retries a GET on a reused one that closes without an answer.
	fresh := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	if _, err := fresh.Get(server.URL + "/v1/items"); err == nil {
		t.Fatal("a dropped connection is a network error")
	}
	expect(t, send(t, server, "GET", "/v1/items", ""), 200, "")
	sameLines(t, journal(twin), []string{"0 p1 fault dropped the connection: call 1 (nth=1)", "200"})

	expect(t, send(t, server, "POST", "/__twin/reset?plugins=true", ""), 200, "")
	addPlugins(t, server, `{"name":"fault","options":{"fault":"hang","nth":1}}`)
	ctx, cancel := context.WithCancel(context.Background())
	req, _ := http.NewRequestWithContext(ctx, "GET", server.URL+"/v1/items", nil)
	failed := make(chan error, 1)
	go func() {
		res, err := http.DefaultClient.Do(req)
		if err == nil {
			res.Body.Close()
		}
		failed <- err
	}()
	for deadline := time.Now().Add(5 * time.Second); len(journal(twin)) == 0; time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the hanging request was never journaled")
		}
	}
	// Others are served while it hangs.
	expect(t, send(t, server, "GET", "/v1/items/it1", ""), 200, "")
	select {
	case err := <-failed:
		t.Fatalf("the request answered: %v", err)
	default:
	}
	cancel()
	if err := <-failed; err == nil {
		t.Fatal("a request that never answers fails when the client gives up")
	}
	sameLines(t, journal(twin), []string{"0 p2 fault left the request unanswered: call 1 (nth=1)", "200"})
}

func TestLatencyWaitsForTheFixedClock(t *testing.T) {
	twin, server := pluginTwin(t, false, Options{})
	addPlugins(t, server, `{"name":"latency","options":{"ms":250,"operationId":"getItem"}}`)
	done := make(chan answer, 1)
	go func() { done <- send(t, server, "GET", "/v1/items/it1", "") }()
	waitPending(t, twin, 1)
	// The twin serves others, and the admin API, while the delayed request waits.
	expect(t, send(t, server, "GET", "/v1/items", ""), 200, "")
	expect(t, send(t, server, "POST", "/__twin/clock", `{"advanceMs":249}`), 200, "")
	select {
	case got := <-done:
		t.Fatalf("answered before the clock reached the delay: %d", got.status)
	case <-time.After(20 * time.Millisecond):
	}
	twin.Clock.Advance(1)
	expect(t, <-done, 200, `{"id":"it1","name":"first"}`)
	sameLines(t, journal(twin), []string{"200", "200 p1 latency delayed 250 ms"})

	// Long-tailed delays come from the seeded generator: the TypeScript plugin's draws for randomSeed 1.
	expect(t, send(t, server, "POST", "/__twin/reset?plugins=true", ""), 200, "")
	addPlugins(t, server, `{"name":"latency","options":{"median":50,"p99":2000}}`)
	delays := func() []string {
		for i := 0; i < 12; i++ {
			done := make(chan answer, 1)
			go func() { done <- send(t, server, "GET", "/v1/items", "") }()
			waitPending(t, twin, 1)
			twin.Clock.Advance(60_000)
			expect(t, <-done, 200, "")
		}
		var out []string
		for _, line := range journal(twin) {
			out = append(out, strings.TrimPrefix(line, "200 p2 latency delayed "))
		}
		return out
	}
	want := []string{"173 ms", "19 ms", "13 ms", "808 ms", "73 ms", "30 ms", "20 ms", "41 ms", "242 ms", "268 ms", "49 ms", "741 ms"}
	sameLines(t, delays(), want)
	expect(t, send(t, server, "POST", "/__twin/reset", ""), 200, "")
	sameLines(t, delays(), want)
}

func waitPending(t *testing.T, twin *Twin, n int) {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); twin.Clock.Pending() != n; time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("%d sleeping, want %d", twin.Clock.Pending(), n)
		}
	}
}

func TestTheWallClockWaitsForReal(t *testing.T) {
	twin, err := New(pluginDefinition(false), Options{Log: io.Discard, Plugins: []*Plugin{spec(t, `{"name":"latency","options":{"ms":30}}`)}})
	if err != nil {
		t.Fatal(err)
	}
	server := serveTest(t, twin)
	start := time.Now()
	expect(t, send(t, server, "GET", "/v1/items", ""), 200, "")
	if waited := time.Since(start); waited < 30*time.Millisecond {
		t.Fatalf("answered after %v", waited)
	}
}

func TestLagHidesWritesFromListsButNotFromReadsById(t *testing.T) {
	twin, server := pluginTwin(t, false, Options{})
	addPlugins(t, server, `{"name":"lag","options":{"ms":2000,"operationId":"listItems"}}`)
	created := send(t, server, "POST", "/v1/items", `{"name":"new"}`)
	id := created.body[strings.Index(created.body, `"id":"`)+6 : strings.Index(created.body, `","name"`)]
	expect(t, send(t, server, "GET", "/v1/items", ""), 200, `[{"id":"it1","name":"first"}]`)
	expect(t, send(t, server, "GET", "/v1/items/"+id, ""), 200, "")
	// A page that had a next link keeps one, going on after the last item of the page as it was.
	page := send(t, server, "GET", "/v1/items?limit=2", "", "Host", "api.example.test")
	expect(t, page, 200, `[{"id":"it1","name":"first"}]`)
	if links := strings.Join(page.header.Values("Link"), " | "); links != `<http://api.example.test/v1/items?limit=2>; rel="self"` {
		t.Fatalf("links %s", links)
	}
	twin.Clock.Advance(2000)
	expect(t, send(t, server, "GET", "/v1/items", ""), 200, `[{"id":"it1","name":"first"},{"id":"`+id+`","name":"new"}]`)
	sameLines(t, journal(twin)[1:3], []string{"200 p1 lag hid 1 item(s) written less than 2000 ms ago: " + id, "200"})
}

func TestPaginationQuirksLoseAndRepeatNothing(t *testing.T) {
	twin, server := pluginTwin(t, false, Options{})
	for i := 0; i < 3; i++ {
		send(t, server, "POST", "/v1/items", `{"name":"more"}`)
	}
	addPlugins(t, server, `{"name":"pagination","options":{"shortPage":1,"operationId":"listItems"}}`)
	all := follow(t, server, "/v1/items?limit=3")
	if len(all) != 4 || strings.Count(strings.Join(all, ""), "it1") != 1 {
		t.Fatalf("pages %q", all)
	}
	if j := journal(twin); j[3] != "200 p1 pagination cut the page from 3 to 1 item(s); its next link goes on after the last one sent" {
		t.Fatalf("journal %q", j)
	}

	expect(t, send(t, server, "POST", "/__twin/reset?plugins=true", ""), 200, "")
	send(t, server, "POST", "/v1/items", `{"name":"more"}`)
	addPlugins(t, server, `{"name":"pagination","options":{"emptyBeforeLast":true}}`)
	all = follow(t, server, "/v1/items?limit=1")
	if len(all) != 3 || all[0] != `[{"id":"it1","name":"first"}]` || all[1] != "[]" || !strings.Contains(all[2], `"name":"more"`) {
		t.Fatalf("pages %q", all)
	}
}

// follow reads a list page by page along its next links, as an SDK's collection does.
func follow(t *testing.T, server *testServer, path string) []string {
	t.Helper()
	var pages []string
	for url := server.URL + path; url != ""; {
		res, err := http.Get(url)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		pages = append(pages, string(body))
		url = ""
		for _, link := range res.Header.Values("Link") {
			if strings.HasSuffix(link, `rel="next"`) {
				url = link[1:strings.Index(link, ">")]
			}
		}
		if len(pages) > 10 {
			t.Fatalf("no end: %q", pages)
		}
	}
	return pages
}

func TestCredentialsExpireAfterCallsOrAtAnInstant(t *testing.T) {
	twin, server := pluginTwin(t, false, Options{})
	addPlugins(t, server, `{"name":"expire-credentials","options":{"credential":"token-1","afterCalls":2}}`)
	for i := 0; i < 2; i++ {
		expect(t, send(t, server, "GET", "/v1/items", "", "Authorization", "SSWS token-1"), 200, "")
	}
	expect(t, send(t, server, "GET", "/v1/items", "", "Authorization", "SSWS token-1"), 401, `{"error":"unauthorized","message":"The credential was expired"}`)
	expect(t, send(t, server, "GET", "/v1/items", "", "Authorization", "SSWS token-2"), 200, "")
	expect(t, send(t, server, "GET", "/v1/items", ""), 200, "")
	if j := journal(twin); j[2] != "401 p1 expire-credentials refused the credential as expired: call 3, after 2 allowed" {
		t.Fatalf("journal %q", j)
	}

	expect(t, send(t, server, "POST", "/__twin/reset?plugins=true", ""), 200, "")
	addPlugins(t, server, `{"name":"expire-credentials","options":{"at":"2026-01-01T00:10:00Z","revoked":true}}`)
	expect(t, send(t, server, "GET", "/v1/items", "", "Authorization", "Bearer any"), 200, "")
	twin.Clock.Advance(10 * 60_000)
	expect(t, send(t, server, "GET", "/v1/items", "", "Authorization", "Bearer any"), 401, `{"error":"unauthorized","message":"The credential was revoked"}`)
	if j := journal(twin); j[1] != "401 p2 expire-credentials refused the credential as revoked: the clock passed 2026-01-01T00:10:00Z" {
		t.Fatalf("journal %q", j)
	}
}

func TestRateLimitCountsOncePerRequestAndReportsTheVendorsWay(t *testing.T) {
	twin, server := pluginTwin(t, false, Options{})
	addPlugins(t, server, `{"name":"rate-limit","options":{"limit":2}}`)
	expect(t, send(t, server, "GET", "/v1/items", ""), 200, "")
	twin.Clock.Advance(1500)
	expect(t, send(t, server, "GET", "/v1/nowhere", ""), 404, "")
	refused := send(t, server, "GET", "/v1/items", "")
	expect(t, refused, 429, `{"error":"rate_limited","message":"API call exceeded rate limit due to too many requests (all: 2 per 60s)"}`)
	// The window opened at the first request's whole second and ends a minute later: 58.5 s, rounded up.
	if refused.header.Get("Retry-After") != "59" {
		t.Fatalf("Retry-After %q", refused.header.Get("Retry-After"))
	}
	if j := journal(twin); j[2] != "429 p1 rate-limit refused with 429: 3 requests to all within 60s, limit 2" {
		t.Fatalf("journal %q", j)
	}
	twin.Clock.Advance(58_500)
	expect(t, send(t, server, "GET", "/v1/items", ""), 200, "")

	_, reporting := pluginTwin(t, false, Options{})
	addPlugins(t, reporting, `{"name":"rate-limit","options":{"limits":{"all":1},"enforce":false}}`)
	send(t, reporting, "GET", "/v1/items", "")
	expect(t, send(t, reporting, "GET", "/v1/items", ""), 200, "")
}

func TestAHangingRequestEndsWhenTheServerShutsDown(t *testing.T) {
	twin, server := pluginTwin(t, false, Options{})
	addPlugins(t, server, `{"name":"fault","options":{"fault":"hang"}}`)
	failed := make(chan error, 1)
	go func() {
		res, err := http.Get(server.URL + "/v1/items")
		if err == nil {
			res.Body.Close()
		}
		failed <- err
	}()
	for deadline := time.Now().Add(5 * time.Second); len(journal(twin)) == 0; time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the hanging request was never journaled")
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	if err := server.server.Shutdown(ctx); err != nil {
		t.Fatalf("shutdown waited for the hanging request: %v", err)
	}
	if err := <-failed; err == nil {
		t.Fatal("the hanging request got an answer")
	}
}

func TestPluginsKeepCountUnderParallelReads(t *testing.T) {
	def := pluginDefinition(true)
	def.ReadOnly = func(ctx *Ctx) bool { return ctx.Request.Method == "GET" }
	twin, err := New(def, Options{Clock: "2026-01-01T00:00:00.000Z", Log: io.Discard})
	if err != nil {
		t.Fatal(err)
	}
	server := serveTest(t, twin)
	addPlugins(t, server, `[{"name":"fault","options":{"fault":503,"every":2,"method":"POST"}},{"name":"lag","options":{"ms":10}},{"name":"rate-limit","options":{"limit":65}}]`)
	done := make(chan int, 64)
	for i := 0; i < 64; i++ {
		go func(i int) {
			method, body := "GET", ""
			if i%4 == 0 {
				method, body = "POST", `{"name":"parallel"}`
			}
			req, _ := http.NewRequest(method, server.URL+"/v1/items", strings.NewReader(body))
			req.Header.Set("content-type", "application/json")
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				done <- 0
				return
			}
			res.Body.Close()
			done <- res.StatusCode
		}(i)
	}
	failed := 0
	for i := 0; i < 64; i++ {
		if <-done == 503 {
			failed++
		}
	}
	// Every second POST fails, whatever the interleaving; the rate-limit counted each request once.
	if failed != 8 {
		t.Fatalf("%d POSTs failed, want 8", failed)
	}
	expect(t, send(t, server, "GET", "/v1/items/it1", ""), 200, "")
	expect(t, send(t, server, "GET", "/v1/items/it1", ""), 429, "")
	if n := len(journal(twin)); n != 66 {
		t.Fatalf("%d journaled", n)
	}
}
