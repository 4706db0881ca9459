package main

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
)

const adminID = "00uadmintwin00000001"

// send is c.do for other goroutines: it reports a failure instead of stopping the test.
func (c *client) send(method, path, body string) (int, http.Header, string, error) {
	var reader io.Reader
	if body != "" {
		reader = strings.NewReader(body)
	}
	req, _ := http.NewRequest(method, c.server.URL+path, reader)
	req.Host = host
	if strings.HasPrefix(path, "/__twin/") {
		// The admin API answers only requests addressed to the twin itself.
		req.Host = "127.0.0.1"
	}
	req.Header.Set("Authorization", "SSWS twin-okta-token")
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, nil, "", err
	}
	defer res.Body.Close()
	data, err := io.ReadAll(res.Body)
	return res.StatusCode, res.Header, string(data), err
}

// Reads the twin declares read-only share its lock and run in parallel beside writes and admin calls. Under
// `go test -race` this fails on any write that reads make without a lock of its own (request and error ids,
// the journal, rate-limit counts, memos).
func TestParallelReadsAndWrites(t *testing.T) {
	c := newClient(t)
	group := c.do("POST", "/api/v1/groups", map[string]any{"profile": map[string]any{"name": "Readers"}}).json(t)["id"].(string)
	reads := []struct {
		path   string
		status int
	}{
		{"/api/v1/users/" + adminID, 200},
		{"/api/v1/users/admin@twin.test", 200},
		{"/api/v1/users?limit=3", 200},
		{"/api/v1/users?search=status+eq+%22ACTIVE%22", 200},
		{"/api/v1/users/" + adminID + "/groups", 200},
		{"/api/v1/groups/" + group + "/users", 200},
		{"/api/v1/groups?q=Read", 200},
		{"/api/v1/apps", 200},
		{"/api/v1/users/nobody", 404},
		{"/api/v1/users?limit=zero", 400},
	}
	var mu sync.Mutex
	ids := map[string]bool{}
	sent := 0
	check := func(method, path string, status int, header http.Header, text string, err error, want int) {
		mu.Lock()
		defer mu.Unlock()
		sent++
		if err != nil || status != want {
			t.Errorf("%s %s: %d %v, want %d: %s", method, path, status, err, want, text)
			return
		}
		id := header.Get("X-Okta-Request-Id")
		if ids[id] {
			t.Errorf("request id %s given twice", id)
		}
		ids[id] = true
	}
	var wg sync.WaitGroup
	for r := 0; r < 4; r++ {
		wg.Add(1)
		go func(r int) {
			defer wg.Done()
			for i := 0; i < 40; i++ {
				read := reads[(r+i)%len(reads)]
				status, header, text, err := c.send("GET", read.path, "")
				check("GET", read.path, status, header, text, err, read.status)
			}
		}(r)
	}
	for w := 0; w < 2; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := 0; i < 15; i++ {
				login := "parallel" + string(rune('a'+w)) + string(rune('a'+i)) + "@example.com"
				body, _ := json.Marshal(user(login))
				status, header, text, err := c.send("POST", "/api/v1/users?activate=true", string(body))
				check("POST", "/api/v1/users", status, header, text, err, 200)
				var created map[string]any
				if json.Unmarshal([]byte(text), &created) != nil {
					continue
				}
				id, _ := created["id"].(string)
				status, header, text, err = c.send("PUT", "/api/v1/groups/"+group+"/users/"+id, "")
				check("PUT", "membership", status, header, text, err, 204)
				status, header, text, err = c.send("POST", "/api/v1/users/"+id, `{"profile":{"nickName":"n`+id+`"}}`)
				check("POST", "update", status, header, text, err, 200)
			}
		}(w)
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 0; i < 10; i++ {
			for _, path := range []string{"/__twin/requests", "/__twin/state"} {
				if status, _, text, err := c.send("GET", path, ""); err != nil || status != 200 {
					t.Errorf("GET %s: %d %v: %s", path, status, err, text)
				}
			}
		}
	}()
	wg.Wait()
	members := c.do("GET", "/api/v1/groups/"+group+"/users?limit=200", nil).list(t)
	if len(members) != 30 {
		t.Fatalf("%d members, want 30", len(members))
	}
	var journal struct{ Requests []map[string]any }
	if err := json.Unmarshal([]byte(c.do("GET", "/__twin/requests", nil, "Host", "127.0.0.1").text), &journal); err != nil {
		t.Fatal(err)
	}
	// The journal has every request once (the admin API's are not journaled), numbered without a gap: those sent
	// in parallel, the group's creation and the listing of its members.
	if want := sent + 2; len(journal.Requests) != want {
		t.Fatalf("the journal has %d requests, want %d", len(journal.Requests), want)
	}
	for i, entry := range journal.Requests {
		if entry["seq"] != float64(i+1) {
			t.Fatalf("entry %d has seq %v", i, entry["seq"])
		}
	}
}

// Every operation in readOnlyOperations, called the ways its handler branches, leaves the state and the id
// generator as they were (but for the request and error ids, which have their own lock): the handlers write
// nothing, not even past ctx.Set, where the engine could not notice.
func TestReadOnlyOperationsLeaveTheStateAlone(t *testing.T) {
	c := newClient(t)
	u := c.do("POST", "/api/v1/users?activate=true", withPassword(user("reader@example.com"))).json(t)["id"].(string)
	g := c.do("POST", "/api/v1/groups", map[string]any{"profile": map[string]any{"name": "Readers"}}).json(t)["id"].(string)
	c.do("PUT", "/api/v1/groups/"+g+"/users/"+u, nil)
	app := c.do("POST", "/api/v1/apps", map[string]any{"name": "bookmark", "label": "Bookmark", "signOnMode": "BOOKMARK", "settings": map[string]any{"app": map[string]any{"requestIntegration": false, "url": "https://example.com/b"}}}).json(t)["id"].(string)
	c.do("POST", "/api/v1/apps/"+app+"/users", map[string]any{"id": u, "scope": "USER"})
	calls := map[string][]string{
		"getUser":              {"/api/v1/users/" + u, "/api/v1/users/reader@example.com", "/api/v1/users/reader", "/api/v1/users/me", "/api/v1/users/nobody"},
		"listUsers":            {"/api/v1/users", "/api/v1/users?limit=1&after=" + u, "/api/v1/users?q=read", "/api/v1/users?filter=status+eq+%22ACTIVE%22", "/api/v1/users?search=profile.login+sw+%22r%22&sortBy=profile.login&sortOrder=desc", "/api/v1/users?fields=id,profile:(login)", "/api/v1/users?filter=bad"},
		"listUserGroups":       {"/api/v1/users/" + u + "/groups", "/api/v1/users/nobody/groups"},
		"getGroup":             {"/api/v1/groups/" + g, "/api/v1/groups/" + g + "?expand=stats,app", "/api/v1/groups/nope"},
		"listGroups":           {"/api/v1/groups", "/api/v1/groups?q=Read", "/api/v1/groups?limit=1", "/api/v1/groups?expand=stats", "/api/v1/groups?search=profile.name+sw+%22R%22", "/api/v1/groups?filter=type+eq+%22OKTA_GROUP%22"},
		"listGroupUsers":       {"/api/v1/groups/" + g + "/users", "/api/v1/groups/" + g + "/users?limit=1", "/api/v1/groups/nope/users"},
		"getApplication":       {"/api/v1/apps/" + app, "/api/v1/apps/" + app + "?expand=user/" + u, "/api/v1/apps/nope"},
		"listApplications":     {"/api/v1/apps", "/api/v1/apps?q=book", "/api/v1/apps?limit=1", "/api/v1/apps?filter=status+eq+%22ACTIVE%22", "/api/v1/apps?expand=user/" + u},
		"listApplicationUsers": {"/api/v1/apps/" + app + "/users", "/api/v1/apps/" + app + "/users?q=read&expand=user", "/api/v1/apps/nope/users"},
		"getApplicationUser":   {"/api/v1/apps/" + app + "/users/" + u, "/api/v1/apps/" + app + "/users/" + u + "?expand=user", "/api/v1/apps/" + app + "/users/nobody"},
	}
	for id := range readOnlyOperations {
		if len(calls[id]) == 0 {
			t.Fatalf("readOnlyOperations lists %s, which this test does not call", id)
		}
	}
	before := exportWithoutRequestIDs(t, c)
	for id, paths := range calls {
		for _, path := range paths {
			r := c.do("GET", path, nil)
			if r.status >= 500 {
				t.Fatalf("%s %s: %d %s", id, path, r.status, r.text)
			}
			if after := exportWithoutRequestIDs(t, c); after != before {
				t.Fatalf("%s (GET %s) changed the state:\n%s\nwas\n%s", id, path, after, before)
			}
		}
	}
}

// exportWithoutRequestIDs is GET /__twin/state without the request and error id counters every answer moves.
func exportWithoutRequestIDs(t *testing.T, c *client) string {
	t.Helper()
	var doc map[string]any
	if err := json.Unmarshal([]byte(c.do("GET", "/__twin/state", nil, "Host", "127.0.0.1").text), &doc); err != nil {
		t.Fatal(err)
	}
	seq := doc["ids"].(map[string]any)["seq"].(map[string]any)
	delete(seq, "requestId")
	delete(seq, "errorId")
	out, _ := json.Marshal(doc)
	return string(out)
}
