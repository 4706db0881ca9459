package goengine

import (
	"errors"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const testDocument = `
openapi: 3.0.3
info: { title: example, version: "1" }
servers:
  - url: https://api.example.test/v1
paths:
  /items:
    get:
      operationId: listItems
      parameters:
        - { name: limit, in: query, schema: { type: integer, minimum: 1, default: 20 } }
        - { name: after, in: query, schema: { type: string } }
      responses:
        "200": { description: ok, content: { application/json: { schema: { type: array, items: { $ref: '#/components/schemas/Item' } } } } }
    post:
      operationId: createItem
      requestBody:
        required: true
        content:
          application/json:
            schema: { $ref: '#/components/schemas/NewItem' }
      responses:
        "200": { description: ok, content: { application/json: { schema: { $ref: '#/components/schemas/Item' } } } }
        "400": { description: bad, content: { application/json: { schema: { type: object } } } }
  /items/mine:
    get:
      operationId: listMine
      responses: { "200": { description: ok } }
  /items/{id}:
    get:
      operationId: getItem
      parameters:
        - { name: id, in: path, required: true, schema: { type: string } }
      responses:
        "200": { description: ok, content: { application/json: { schema: { $ref: '#/components/schemas/Item' } } } }
    delete:
      operationId: deleteItem
      parameters:
        - { name: id, in: path, required: true, schema: { type: string } }
      responses: { "204": { description: gone } }
components:
  schemas:
    NewItem:
      type: object
      required: [name]
      additionalProperties: false
      properties:
        name: { type: string, minLength: 1 }
        color: { type: string, enum: [red, blue] }
        tags: { type: array, items: { type: string } }
    Item:
      type: object
      required: [id, name]
      properties:
        id: { type: string }
        name: { type: string }
`

const testSeed = `{"items":{"it1":{"id":"it1","name":"first"}},"counters":{}}`

// refusal is the test twin's own error (as OktaError is Okta's).
type refusal struct{ status int }

func (r *refusal) Error() string { return "refused" }
func (r *refusal) TwinRefusal()  {}

func testDefinition() *Definition {
	return &Definition{
		Name:    "example",
		OpenAPI: []byte(testDocument),
		Seed:    []byte(testSeed),
		Handlers: map[string]Handler{
			"listItems": func(ctx *Ctx) (*Result, error) {
				var items []*Object
				for _, k := range ctx.State.Obj("items").Keys() {
					items = append(items, ctx.State.Obj("items").Obj(k))
				}
				limit, _ := ctx.Query["limit"].(float64)
				after, hasAfter := ctx.Query["after"].(string)
				page := CursorPage(ctx, items, int(limit), after, hasAfter, nil)
				r := OK(toAny(page.Items))
				r.Headers["link"] = page.Links
				return r, nil
			},
			"createItem": func(ctx *Ctx) (*Result, error) {
				b := ctx.Body.(*Object)
				id := "it" + ctx.IDs.Token(5, "")
				item := NewObject("id", id, "name", b.Str("name"))
				ctx.Set(ctx.State.Obj("items"), id, item)
				switch b.Str("name") {
				case "panic":
					panic("a bug in a handler")
				case "refuse":
					return nil, &refusal{status: 400}
				case "drift":
					return OK(NewObject("id", id)), nil
				}
				return OK(item), nil
			},
			"getItem": func(ctx *Ctx) (*Result, error) {
				item := ctx.State.Obj("items").Obj(ctx.Params["id"])
				if item == nil {
					return nil, &refusal{status: 404}
				}
				return OK(item), nil
			},
		},
		RenderError: func(err error, ctx *Ctx) *Result {
			var ee *EngineError
			if errors.As(err, &ee) {
				status := map[string]int{"route_not_found": 404, "not_implemented": 501, "method_not_allowed": 405, "invalid_request": 400, "malformed_body": 400, "payload_too_large": 413, "response_drift": 500, "internal": 500}[ee.Kind]
				causes := []any{}
				for _, d := range ee.Diagnostics {
					causes = append(causes, d.In+" "+d.Name+": "+d.Message)
				}
				return &Result{Status: status, Headers: Headers{}, Body: NewObject("error", ee.Kind, "causes", causes)}
			}
			var r *refusal
			if errors.As(err, &r) {
				return &Result{Status: r.status, Headers: Headers{}, Body: NewObject("error", "refused")}
			}
			return &Result{Status: 500, Headers: Headers{}, Body: NewObject("error", "unknown")}
		},
	}
}

func toAny(items []*Object) []any {
	out := make([]any, len(items))
	for i, o := range items {
		out[i] = o
	}
	return out
}

func newTestTwin(t *testing.T, opts Options) (*Twin, *testServer) {
	t.Helper()
	opts.Clock = "2026-01-01T00:00:00.000Z"
	opts.Log = io.Discard
	twin, err := New(testDefinition(), opts)
	if err != nil {
		t.Fatal(err)
	}
	server := serveTest(t, twin)
	return twin, server
}

// testServer is a twin on its own server, on a free loopback port.
type testServer struct {
	URL    string
	addr   string
	server *Server
}

func serveTest(t *testing.T, twin *Twin) *testServer {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	server := NewServer(twin)
	go func() { _ = server.Serve(ln) }()
	t.Cleanup(func() { _ = server.Close() })
	return &testServer{URL: "http://" + ln.Addr().String(), addr: ln.Addr().String(), server: server}
}

type answer struct {
	status int
	header http.Header
	body   string
}

func send(t *testing.T, server *testServer, method, path, body string, headers ...string) answer {
	t.Helper()
	var reader io.Reader
	if body != "" {
		reader = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, server.URL+path, reader)
	if err != nil {
		t.Fatal(err)
	}
	if body != "" {
		req.Header.Set("content-type", "application/json")
	}
	for i := 0; i+1 < len(headers); i += 2 {
		if headers[i] == "Host" {
			req.Host = headers[i+1]
			continue
		}
		req.Header.Set(headers[i], headers[i+1])
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	data, _ := io.ReadAll(res.Body)
	return answer{res.StatusCode, res.Header, string(data)}
}

func expect(t *testing.T, got answer, status int, body string) {
	t.Helper()
	if got.status != status || (body != "" && got.body != body) {
		t.Fatalf("got %d %s\nwant %d %s", got.status, got.body, status, body)
	}
}

func TestRoutingRefusesWhatTheDocumentDoesNotDescribe(t *testing.T) {
	_, server := newTestTwin(t, Options{})
	expect(t, send(t, server, "GET", "/v1/nothing", ""), 404, `{"error":"route_not_found","causes":[]}`)
	expect(t, send(t, server, "GET", "/items", ""), 404, "")
	expect(t, send(t, server, "GET", "/v1/items/mine", ""), 501, `{"error":"not_implemented","causes":[]}`)
	got := send(t, server, "PUT", "/v1/items/it1", "")
	expect(t, got, 405, "")
	if allow := got.header.Get("Allow"); allow != "GET, DELETE, HEAD" {
		t.Fatalf("Allow %q", allow)
	}
	expect(t, send(t, server, "GET", "/v1//items/it1", ""), 200, `{"id":"it1","name":"first"}`)
}

func TestValidationSpeaksAjvWords(t *testing.T) {
	_, server := newTestTwin(t, Options{})
	expect(t, send(t, server, "GET", "/v1/items?limit=abc", ""), 400, `{"error":"invalid_request","causes":["query limit: must be integer"]}`)
	expect(t, send(t, server, "GET", "/v1/items?limit=0", ""), 400, `{"error":"invalid_request","causes":["query limit: must be >= 1"]}`)
	expect(t, send(t, server, "POST", "/v1/items", `{"color":"green","extra":1,"tags":[1]}`), 400,
		`{"error":"invalid_request","causes":["body name: is required","body body: must NOT have additional properties","body color: must be equal to one of the allowed values: red, blue","body tags.0: must be string"]}`)
	expect(t, send(t, server, "POST", "/v1/items", ""), 400, `{"error":"invalid_request","causes":["body body: is required"]}`)
	expect(t, send(t, server, "POST", "/v1/items", `{"name":`), 400, `{"error":"malformed_body","causes":[]}`)
	expect(t, send(t, server, "POST", "/v1/items", strings.Repeat("[", 65)+strings.Repeat("]", 65)), 400, `{"error":"malformed_body","causes":[]}`)
}

func TestPagesCarryLinkHeaders(t *testing.T) {
	_, server := newTestTwin(t, Options{})
	for i := 0; i < 2; i++ {
		send(t, server, "POST", "/v1/items", `{"name":"more"}`)
	}
	got := send(t, server, "GET", "/v1/items?limit=2", "", "Host", "api.example.test")
	links := got.header.Values("Link")
	want := []string{`<http://api.example.test/v1/items?limit=2>; rel="self"`, `<http://api.example.test/v1/items?limit=2&after=itU6W5A>; rel="next"`}
	if strings.Join(links, "\n") != strings.Join(want, "\n") {
		t.Fatalf("links %q", links)
	}
}

func TestIdsFollowTheTypeScriptGenerator(t *testing.T) {
	// The TypeScript twin's first Okta user id with the default seed is 00udcaecD1EptccU5o7q.
	ids := NewIDs(NameSeed("okta"))
	if got := ids.Token(17, ""); got != "dcaecD1EptccU5o7q" {
		t.Fatalf("token %s", got)
	}
	if n := ids.Sequence("errorId", 1); n != 1 {
		t.Fatalf("sequence %v", n)
	}
	saved := ids.Save()
	if got := string(Marshal(saved)); got != `{"rng":`+FormatNumber(float64(ids.rng))+`,"seq":{"errorId":2},"draws":17}` {
		t.Fatalf("save %s", got)
	}
	behind := NewIDs(NameSeed("okta"))
	behind.AdvanceTo(saved)
	if behind.Token(3, "") != ids.Token(3, "") {
		t.Fatal("an id source moved to a saved position draws what the saved one draws")
	}
}

func TestAFailedWriteChangesNothing(t *testing.T) {
	twin, server := newTestTwin(t, Options{Strict: true})
	before := string(Marshal(twin.Store.State))
	expect(t, send(t, server, "POST", "/v1/items", `{"name":"panic"}`), 500, `{"error":"internal","causes":[]}`)
	expect(t, send(t, server, "POST", "/v1/items", `{"name":"drift"}`), 500, "")
	if after := string(Marshal(twin.Store.State)); after != before {
		t.Fatalf("state changed:\n%s\n%s", before, after)
	}
	// The twin's own refusal keeps what its handler wrote (vendors change state on some refusals).
	expect(t, send(t, server, "POST", "/v1/items", `{"name":"refuse"}`), 400, `{"error":"refused"}`)
	if twin.Store.State.Obj("items").Len() != 2 {
		t.Fatal("a twin refusal keeps its writes")
	}
}

func TestBodyLimit(t *testing.T) {
	_, server := newTestTwin(t, Options{BodyLimit: 16})
	expect(t, send(t, server, "POST", "/v1/items", `{"name":"a long enough name"}`), 413, `{"error":"payload_too_large","causes":[]}`)
	expect(t, send(t, server, "PUT", "/__twin/state", `{"twinverse":1,"twin":"example"}`), 413, "")
}

func TestAdminAPI(t *testing.T) {
	twin, server := newTestTwin(t, Options{})
	expect(t, send(t, server, "GET", "/__twin/health", ""), 200, `{"status":"ok","twin":"example"}`)
	send(t, server, "POST", "/v1/items", `{"name":"second"}`)
	state := send(t, server, "GET", "/__twin/state", "")
	expect(t, state, 200, "")
	expect(t, send(t, server, "POST", "/__twin/reset", ""), 200, `{"status":"reset","twin":"example","plugins":"kept"}`)
	if twin.Store.State.Obj("items").Len() != 1 {
		t.Fatal("reset returns to the seed")
	}
	expect(t, send(t, server, "PUT", "/__twin/state", state.body), 200, `{"status":"imported","twin":"example"}`)
	if twin.Store.State.Obj("items").Len() != 2 {
		t.Fatal("import loads the export")
	}
	expect(t, send(t, server, "PUT", "/__twin/state", `{"twinverse":1,"twin":"example","state":{"items":[]}}`), 400,
		`{"error":"[twinverse] this state export does not have the example twin's shape, so none of it was imported: \"items\" is array, not object; \"counters\" is missing"}`)
	expect(t, send(t, server, "GET", "/__twin/state", "", "Host", "evil.example"), 403, "")
	expect(t, send(t, server, "POST", "/__twin/reset", "", "Origin", "http://evil.example"), 403, "")
	send(t, server, "GET", "/v1/items/it1", "")
	got := send(t, server, "GET", "/__twin/requests", "")
	if !strings.Contains(got.body, `"operationId":"getItem"`) {
		t.Fatalf("journal %s", got.body)
	}
	expect(t, send(t, server, "POST", "/__twin/plugins", `{"name":"latency"}`), 400, "")
	expect(t, send(t, server, "POST", "/__twin/plugins", `{"name":"rate-limit","options":{"limit":1}}`), 201,
		`{"plugins":[{"id":"p1","name":"rate-limit","options":{"limit":1},"origin":"runtime","inForce":true}]}`)
	expect(t, send(t, server, "DELETE", "/__twin/plugins", ""), 204, "")
	expect(t, send(t, server, "GET", "/__twin/nope", ""), 404, "")
}

func TestAdminToken(t *testing.T) {
	_, server := newTestTwin(t, Options{AdminToken: "s3cret-token"})
	expect(t, send(t, server, "GET", "/__twin/health", ""), 401, "")
	expect(t, send(t, server, "GET", "/__twin/health", "", "Authorization", "Bearer s3cret-token"), 200, "")
}

func TestDataFileKeepsTheStateAcrossRestarts(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.json")
	twin, server := newTestTwin(t, Options{})
	if err := twin.UseData(path); err != nil {
		t.Fatal(err)
	}
	send(t, server, "POST", "/v1/items", `{"name":"kept"}`)
	_ = server.server.Close()
	again, err := New(testDefinition(), Options{Clock: "2026-01-01T00:00:00.000Z", Log: io.Discard})
	if err != nil {
		t.Fatal(err)
	}
	if err := again.UseData(path); err != nil {
		t.Fatal(err)
	}
	if again.Store.State.Obj("items").Len() != 2 {
		t.Fatalf("the saved item is back: %s", Marshal(again.Store.State))
	}
	// A change log a TypeScript twin left is replayed.
	log := `{"twin":"example","changes":[{"path":["items","it9"],"value":{"id":"it9","name":"logged"}}],"ids":{"rng":1,"seq":{}}}` + "\n"
	if err := os.WriteFile(path+".log", []byte(log), 0o644); err != nil {
		t.Fatal(err)
	}
	third, _ := New(testDefinition(), Options{Clock: "2026-01-01T00:00:00.000Z", Log: io.Discard})
	if err := third.UseData(path); err != nil {
		t.Fatal(err)
	}
	if third.Store.State.Obj("items").Obj("it9") == nil {
		t.Fatal("the change log is replayed")
	}
}

func TestJSONIsWrittenAsJavaScriptWritesIt(t *testing.T) {
	v, err := Parse([]byte(`{"b":1,"2":true,"a":[1e21,1e-7,0.5,-0,"<&>\u2028\u0001é"],"1":null}`), 8)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"1":null,"2":true,"b":1,"a":[1e+21,1e-7,0.5,0,"<&>` + "\u2028" + `\u0001é"]}`
	if got := string(Marshal(v)); got != want {
		t.Fatalf("got  %s\nwant %s", got, want)
	}
	if _, err := Parse([]byte(`[[[1]]]`), 2); !errors.Is(err, ErrTooDeep) {
		t.Fatal("depth is bounded")
	}
	for _, bad := range []string{`{"a":}`, `[1,]`, `01`, `"\x"`, `{"a":1} x`} {
		if _, err := Parse([]byte(bad), 8); err == nil {
			t.Fatalf("%s parsed", bad)
		}
	}
}

func TestSearchParamsFollowURLSearchParams(t *testing.T) {
	sp := ParseSearch("q=a+b%20c&x=%zz&q=2")
	if got := sp.GetAll("q"); strings.Join(got, "|") != "a b c|2" {
		t.Fatalf("%q", got)
	}
	sp.Set("after", "id~*")
	if got := sp.Encode(); got != "q=a+b+c&x=%25zz&q=2&after=id%7E*" {
		t.Fatalf("%s", got)
	}
}

func TestRouterPrefersLiterals(t *testing.T) {
	spec, err := LoadSpec([]byte(testDocument))
	if err != nil {
		t.Fatal(err)
	}
	if m := spec.Router.Match("/items/mine"); m == nil || m.Template != "/items/mine" {
		t.Fatal("literal segment first")
	}
	if m := spec.Router.Match("/items/a%2Fb"); m == nil || m.Params["id"] != "a/b" {
		t.Fatal("parameters are decoded")
	}
	if spec.Router.Match("/items/") != nil {
		t.Fatal("an empty segment is no parameter")
	}
}
