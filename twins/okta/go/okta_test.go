package main

import (
	"bytes"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"os"
	"strings"
	"testing"

	e "twinverse/twins/goengine"
)

const host = "dev-123.okta.test"

type client struct {
	t      *testing.T
	server *testServer
	twin   *e.Twin
}

func newClient(t *testing.T) *client {
	t.Helper()
	twin, err := newTwin(&config{host: "127.0.0.1", clock: "2026-01-01T00:00:00.000Z"}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	server := serveTwin(t, twin)
	return &client{t: t, server: server, twin: twin}
}

// testServer is a twin on its own server, on a free loopback port.
type testServer struct{ URL string }

func serveTwin(t *testing.T, twin *e.Twin) *testServer {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	server := e.NewServer(twin)
	go func() { _ = server.Serve(ln) }()
	t.Cleanup(func() { _ = server.Close() })
	return &testServer{URL: "http://" + ln.Addr().String()}
}

type reply struct {
	status int
	header http.Header
	text   string
}

func (r reply) json(t *testing.T) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(r.text), &m); err != nil {
		t.Fatalf("not a JSON object: %s", r.text)
	}
	return m
}

func (r reply) list(t *testing.T) []map[string]any {
	t.Helper()
	var l []map[string]any
	if err := json.Unmarshal([]byte(r.text), &l); err != nil {
		t.Fatalf("not a JSON array: %s", r.text)
	}
	return l
}

func (c *client) do(method, path string, body any, headers ...string) reply {
	c.t.Helper()
	var reader io.Reader
	if body != nil {
		if s, isText := body.(string); isText {
			reader = strings.NewReader(s)
		} else {
			data, _ := json.Marshal(body)
			reader = bytes.NewReader(data)
		}
	}
	req, _ := http.NewRequest(method, c.server.URL+path, reader)
	req.Host = host
	req.Header.Set("Authorization", "SSWS twin-okta-token")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(headers); i += 2 {
		if headers[i] == "Host" {
			req.Host = headers[i+1]
			continue
		}
		if headers[i+1] == "" {
			req.Header.Del(headers[i])
		} else {
			req.Header.Set(headers[i], headers[i+1])
		}
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer res.Body.Close()
	data, _ := io.ReadAll(res.Body)
	return reply{res.StatusCode, res.Header, string(data)}
}

func (c *client) expectError(r reply, status int, code string) map[string]any {
	c.t.Helper()
	if r.status != status {
		c.t.Fatalf("status %d, want %d: %s", r.status, status, r.text)
	}
	m := r.json(c.t)
	if m["errorCode"] != code {
		c.t.Fatalf("errorCode %v, want %s: %s", m["errorCode"], code, r.text)
	}
	return m
}

func user(login string) map[string]any {
	return map[string]any{"profile": map[string]any{"firstName": "Test", "lastName": "User", "email": login, "login": login}}
}

func withPassword(u map[string]any) map[string]any {
	u["credentials"] = map[string]any{"password": map[string]any{"value": "Tr0ub4dor-Horse9"}}
	return u
}

func TestEmbeddedCopiesMatchTheirSources(t *testing.T) {
	document, err := os.ReadFile("../../../openapi/okta.yaml")
	if err != nil {
		t.Fatal(err)
	}
	converted, err := e.YAMLToJSON(document)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(converted, oktaDocument) {
		t.Fatal("openapi.json is not openapi/okta.yaml: run `go generate ./okta/go` from twins/")
	}
	seed, err := os.ReadFile("../seed.json")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(seed, oktaSeed) {
		t.Fatal("seed.json is not twins/okta/seed.json: run `go generate ./okta/go` from twins/")
	}
}

func TestCreatedUsersGetTheTypeScriptTwinsIds(t *testing.T) {
	c := newClient(t)
	r := c.do("POST", "/api/v1/users", withPassword(user("alice@example.com")))
	m := r.json(t)
	if r.status != 200 || m["id"] != "00udcaecD1EptccU5o7q" || m["status"] != "ACTIVE" {
		t.Fatalf("%d %s", r.status, r.text)
	}
	if r.header.Get("X-Okta-Request-Id") != "twin-1" || r.header.Get("X-Rate-Limit-Remaining") != "599" || r.header.Get("Date") != "Thu, 01 Jan 2026 00:00:00 GMT" {
		t.Fatalf("headers %v", r.header)
	}
	dup := c.expectError(c.do("POST", "/api/v1/users", user("ALICE@example.com")), 400, "E0000001")
	if dup["errorId"] != "oaeS5cGp9zZIOLLS8RtKCOU2-" || dup["errorSummary"] != "Api validation failed: login" {
		t.Fatalf("%v", dup)
	}
}

func TestUserLifecycle(t *testing.T) {
	c := newClient(t)
	staged := c.do("POST", "/api/v1/users?activate=false", user("bob@example.com")).json(t)
	id := staged["id"].(string)
	if staged["status"] != "STAGED" {
		t.Fatalf("%v", staged)
	}
	steps := []struct {
		method, path string
		status       int
		code, state  string
	}{
		{"POST", "/lifecycle/suspend", 400, "E0000001", "STAGED"},
		{"POST", "/lifecycle/activate?sendEmail=false", 200, "", "PROVISIONED"},
		{"POST", "/lifecycle/activate", 403, "E0000016", "PROVISIONED"},
		{"POST", "/lifecycle/reactivate?sendEmail=false", 200, "", "PROVISIONED"},
		{"POST", "/lifecycle/expire_password", 403, "E0000038", "PROVISIONED"},
		{"POST", "/lifecycle/deactivate", 200, "", "DEPROVISIONED"},
		{"POST", "/lifecycle/deactivate", 404, "E0000007", "DEPROVISIONED"},
		{"POST", "/lifecycle/activate?sendEmail=true", 200, "", "PROVISIONED"},
	}
	for _, s := range steps {
		r := c.do(s.method, "/api/v1/users/"+id+s.path, nil)
		if s.code != "" {
			c.expectError(r, s.status, s.code)
		} else if r.status != s.status {
			t.Fatalf("%s: %d %s", s.path, r.status, r.text)
		}
		got := c.do("GET", "/api/v1/users/"+id, nil).json(t)
		if got["status"] != s.state {
			t.Fatalf("after %s: %v, want %s", s.path, got["status"], s.state)
		}
	}

	alice := c.do("POST", "/api/v1/users", withPassword(user("alice@example.com"))).json(t)
	aid := alice["id"].(string)
	for _, s := range []struct{ path, state string }{
		{"/lifecycle/suspend", "SUSPENDED"},
		{"/lifecycle/unsuspend", "ACTIVE"},
		{"/lifecycle/unlock", "ACTIVE"},
		{"/lifecycle/expire_password", "PASSWORD_EXPIRED"},
		{"/lifecycle/reset_password?sendEmail=false", "RECOVERY"},
	} {
		if r := c.do("POST", "/api/v1/users/"+aid+s.path, nil); r.status != 200 {
			t.Fatalf("%s: %d %s", s.path, r.status, r.text)
		}
		if got := c.do("GET", "/api/v1/users/"+aid, nil).json(t); got["status"] != s.state {
			t.Fatalf("after %s: %v", s.path, got["status"])
		}
	}
	temp := c.do("POST", "/api/v1/users/"+aid+"/lifecycle/expire_password_with_temp_password", nil).json(t)
	if len(temp["tempPassword"].(string)) != 8 {
		t.Fatalf("%v", temp)
	}
	if r := c.do("DELETE", "/api/v1/users/"+aid, nil); r.status != 204 {
		t.Fatal(r.text)
	}
	if r := c.do("DELETE", "/api/v1/users/"+aid, nil); r.status != 204 {
		t.Fatal(r.text)
	}
	c.expectError(c.do("GET", "/api/v1/users/"+aid, nil), 404, "E0000007")
}

func TestListingUsersPagesWithLinks(t *testing.T) {
	c := newClient(t)
	for _, login := range []string{"a@example.com", "b@example.com", "c@example.com"} {
		c.do("POST", "/api/v1/users?activate=false", user(login))
	}
	first := c.do("GET", "/api/v1/users?limit=2", nil)
	page := first.list(t)
	links := first.header.Values("Link")
	if len(page) != 2 || len(links) != 2 {
		t.Fatalf("%d users, links %v", len(page), links)
	}
	next := "<http://" + host + "/api/v1/users?limit=2&after=" + page[1]["id"].(string) + `>; rel="next"`
	if links[1] != next {
		t.Fatalf("next link %s, want %s", links[1], next)
	}
	second := c.do("GET", "/api/v1/users?limit=2&after="+page[1]["id"].(string), nil)
	if len(second.list(t)) != 2 || len(second.header.Values("Link")) != 1 {
		t.Fatalf("second page %s %v", second.text, second.header.Values("Link"))
	}
	if got := c.do("GET", "/api/v1/users?q=b", nil).list(t); len(got) != 1 {
		t.Fatalf("q: %v", got)
	}
	if got := c.do("GET", "/api/v1/users?filter=status+eq+%22STAGED%22", nil).list(t); len(got) != 3 {
		t.Fatalf("filter: %v", got)
	}
	sorted := c.do("GET", "/api/v1/users?search=profile.lastName+eq+%22User%22&sortBy=profile.login&sortOrder=desc", nil).list(t)
	if len(sorted) != 3 || sorted[0]["profile"].(map[string]any)["login"] != "c@example.com" {
		t.Fatalf("search: %v", sorted)
	}
	c.expectError(c.do("GET", "/api/v1/users?search=profile.lastName+eq", nil), 400, "E0000031")
	c.expectError(c.do("GET", "/api/v1/users?limit=abc", nil), 400, "E0000001")
}

func TestGroupsAndMembers(t *testing.T) {
	c := newClient(t)
	u := c.do("POST", "/api/v1/users", withPassword(user("m@example.com"))).json(t)["id"].(string)
	g := c.do("POST", "/api/v1/groups", map[string]any{"profile": map[string]any{"name": "Engineering"}}).json(t)
	gid := g["id"].(string)
	if g["profile"].(map[string]any)["description"] != nil {
		t.Fatalf("%v", g)
	}
	c.expectError(c.do("POST", "/api/v1/groups", map[string]any{"profile": map[string]any{"name": "engineering"}}), 400, "E0000001")
	if r := c.do("PUT", "/api/v1/groups/"+gid+"/users/"+u, nil); r.status != 204 {
		t.Fatal(r.text)
	}
	if members := c.do("GET", "/api/v1/groups/"+gid+"/users", nil).list(t); len(members) != 1 {
		t.Fatalf("%v", members)
	}
	stats := c.do("GET", "/api/v1/groups/"+gid+"?expand=stats", nil).json(t)
	if stats["_embedded"].(map[string]any)["stats"].(map[string]any)["usersCount"] != 1.0 {
		t.Fatalf("%v", stats)
	}
	c.expectError(c.do("PUT", "/api/v1/groups/"+everyoneGroup+"/users/"+u, nil), 403, "E0000006")
	c.expectError(c.do("DELETE", "/api/v1/groups/"+everyoneGroup, nil), 403, "E0000006")
	if r := c.do("DELETE", "/api/v1/groups/"+gid+"/users/"+u, nil); r.status != 204 {
		t.Fatal(r.text)
	}
	if got := c.do("GET", "/api/v1/groups?q=eng", nil).list(t); len(got) != 1 {
		t.Fatalf("%v", got)
	}
	if r := c.do("DELETE", "/api/v1/groups/"+gid, nil); r.status != 204 {
		t.Fatal(r.text)
	}
	c.expectError(c.do("GET", "/api/v1/groups/"+gid, nil), 404, "E0000007")
}

func TestApplicationsAndAssignments(t *testing.T) {
	c := newClient(t)
	u := c.do("POST", "/api/v1/users", withPassword(user("a@example.com"))).json(t)["id"].(string)
	g := c.do("POST", "/api/v1/groups", map[string]any{"profile": map[string]any{"name": "Ops"}}).json(t)["id"].(string)
	member := c.do("POST", "/api/v1/users", withPassword(user("b@example.com"))).json(t)["id"].(string)
	c.do("PUT", "/api/v1/groups/"+g+"/users/"+member, nil)
	c.expectError(c.do("POST", "/api/v1/apps", map[string]any{"label": "Wiki", "signOnMode": "BOOKMARK", "settings": map[string]any{"app": map[string]any{}}}), 400, "E0000001")
	app := c.do("POST", "/api/v1/apps", map[string]any{
		"label": "Portal", "signOnMode": "OPENID_CONNECT",
		"settings": map[string]any{"oauthClient": map[string]any{"application_type": "web", "redirect_uris": []string{"https://portal.example.com/cb"}}},
	}).json(t)
	id := app["id"].(string)
	client := app["credentials"].(map[string]any)["oauthClient"].(map[string]any)
	if len(client["client_secret"].(string)) != 64 || app["status"] != "ACTIVE" {
		t.Fatalf("%v", app)
	}
	if got := c.do("GET", "/api/v1/apps/"+id, nil).json(t)["credentials"].(map[string]any)["oauthClient"].(map[string]any); got["client_secret"] != nil {
		t.Fatal("the secret shows only on create and replace")
	}
	if r := c.do("POST", "/api/v1/apps/"+id+"/users", map[string]any{"id": u}); r.status != 200 {
		t.Fatal(r.text)
	}
	if r := c.do("PUT", "/api/v1/apps/"+id+"/groups/"+g, map[string]any{}); r.status != 200 {
		t.Fatal(r.text)
	}
	users := c.do("GET", "/api/v1/apps/"+id+"/users", nil).list(t)
	if len(users) != 2 || users[0]["scope"] != "USER" || users[1]["scope"] != "GROUP" {
		t.Fatalf("%v", users)
	}
	c.expectError(c.do("DELETE", "/api/v1/apps/"+id+"/users/"+member, nil), 403, "E0000006")
	c.expectError(c.do("DELETE", "/api/v1/apps/"+id, nil), 403, "E0000056")
	c.do("POST", "/api/v1/apps/"+id+"/lifecycle/deactivate", nil)
	if r := c.do("DELETE", "/api/v1/apps/"+id, nil); r.status != 204 {
		t.Fatal(r.text)
	}
	c.expectError(c.do("GET", "/api/v1/apps/"+id, nil), 404, "E0000007")
}

func TestRefusalsSpeakOkta(t *testing.T) {
	c := newClient(t)
	c.expectError(c.do("GET", "/api/v1/users", nil, "Authorization", ""), 403, "E0000005")
	c.expectError(c.do("GET", "/api/v1/users", nil, "Authorization", "SSWS wrong"), 401, "E0000011")
	c.expectError(c.do("GET", "/api/v1/users", nil, "Authorization", "Bearer a.b.c"), 401, "E0000011")
	c.expectError(c.do("GET", "/api/v1/nothing", nil), 404, "E0000007")
	c.expectError(c.do("PATCH", "/api/v1/users", nil), 405, "E0000022")
	c.expectError(c.do("POST", "/api/v1/users", `{"profile":`), 400, "E0000003")
	c.expectError(c.do("POST", "/api/v1/users", strings.Repeat("[", 70)+strings.Repeat("]", 70)), 400, "E0000003")
	// An operation of the document without a handler answers as the TypeScript engine answers one.
	partial := handlers()
	delete(partial, "listGroups")
	twin, err := e.New(newOktaTwin(oktaDocument, oktaSeed, partial), e.Options{Clock: "2026-01-01T00:00:00.000Z", Log: io.Discard})
	if err != nil {
		t.Fatal(err)
	}
	server := serveTwin(t, twin)
	notEmulated := c.expectError((&client{t: t, server: server, twin: twin}).do("GET", "/api/v1/groups", nil), 404, "E0000007")
	if notEmulated["errorSummary"] != "Not found: Resource not found: GET /api/v1/groups (not emulated by the twinverse Okta twin)" {
		t.Fatalf("%v", notEmulated)
	}
}

func TestStateExportImportsBack(t *testing.T) {
	c := newClient(t)
	c.do("POST", "/api/v1/users", withPassword(user("a@example.com")))
	c.do("POST", "/api/v1/groups", map[string]any{"profile": map[string]any{"name": "Ops"}})
	exported := c.do("GET", "/__twin/state", nil, "Host", "127.0.0.1").text
	other := newClient(t)
	if r := other.do("PUT", "/__twin/state", exported, "Host", "127.0.0.1"); r.status != 200 {
		t.Fatal(r.text)
	}
	if again := other.do("GET", "/__twin/state", nil, "Host", "127.0.0.1").text; again != exported {
		t.Fatal("an imported state exports as it was")
	}
	var doc map[string]any
	_ = json.Unmarshal([]byte(exported), &doc)
	doc["state"].(map[string]any)["users"] = []any{}
	bad, _ := json.Marshal(doc)
	if r := other.do("PUT", "/__twin/state", string(bad), "Host", "127.0.0.1"); r.status != 400 || !strings.Contains(r.text, `\"users\" is array, not object`) {
		t.Fatalf("%d %s", r.status, r.text)
	}
}

func TestFlags(t *testing.T) {
	if _, err := parseFlags([]string{"--host", "0.0.0.0"}, io.Discard); err == nil || !strings.Contains(err.Error(), "--admin-token") {
		t.Fatalf("%v", err)
	}
	if _, err := parseFlags([]string{"--port", "70000"}, io.Discard); err == nil {
		t.Fatal("port range")
	}
	for _, args := range [][]string{
		{"okta", "--port", "0", "--strict", "--clock", "2026-01-01T00:00:00.000Z", "--body-limit", "1024"},
		{"--port", "0", "--strict", "okta", "--clock", "2026-01-01T00:00:00.000Z", "--body-limit", "1024"},
		{"-p", "0", "--strict", "okta", "-H", "127.0.0.1", "--clock", "2026-01-01T00:00:00.000Z", "--body-limit", "1024"},
	} {
		c, err := parseFlags(args, io.Discard)
		if err != nil || !c.strict || c.bodyLimit != 1024 || c.port != 0 || c.clock != "2026-01-01T00:00:00.000Z" {
			t.Fatalf("%v: %+v %v", args, c, err)
		}
	}
	if _, err := parseFlags([]string{"jira"}, io.Discard); err == nil {
		t.Fatal("another service is refused")
	}
}
