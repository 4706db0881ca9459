package main

import (
	"bufio"
	"fmt"
	"io"
	"math/rand"
	"net"
	"net/http"
	"regexp"
	"sort"
	"strings"
	"testing"

	e "twinverse/twins/goengine"
)

// cacheTwins are two twins on one fixed clock: one that keeps getUser's answers (as served) and one that makes
// every answer anew.
func cacheTwins(t *testing.T) (cached, fresh *e.Twin) {
	t.Helper()
	cached, err := newTwin(&config{host: "127.0.0.1", clock: "2026-01-01T00:00:00.000Z"}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	def := newOktaTwin(oktaDocument, oktaSeed, handlers())
	def.AnswerKey = nil
	fresh, err = e.New(def, e.Options{Clock: "2026-01-01T00:00:00.000Z", Log: io.Discard})
	if err != nil {
		t.Fatal(err)
	}
	return cached, fresh
}

// answer is a response as the wire carries it: status, every header but Date, body. The twin's server serves it on
// one end of a pipe.
func answer(twin *e.Twin, method, path, host, body string, headers ...string) string {
	var reader io.Reader
	if body != "" {
		reader = strings.NewReader(body)
	}
	req, _ := http.NewRequest(method, "http://"+host+path, reader)
	req.Header.Set("Authorization", "SSWS twin-okta-token")
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	req.Close = true
	client, server := net.Pipe()
	defer client.Close()
	go e.NewServer(twin).ServeConn(server)
	go func() { _ = req.Write(client) }()
	res, err := http.ReadResponse(bufio.NewReader(client), req)
	if err != nil {
		return "no answer: " + err.Error()
	}
	defer res.Body.Close()
	text, _ := io.ReadAll(res.Body)
	res.Header.Del("Date")
	var names []string
	for k := range res.Header {
		names = append(names, k)
	}
	sort.Strings(names)
	var b strings.Builder
	fmt.Fprintf(&b, "%d\n", res.StatusCode)
	for _, k := range names {
		fmt.Fprintf(&b, "%s: %s\n", k, strings.Join(res.Header[k], ", "))
	}
	b.Write(text)
	return b.String()
}

// The cache never changes an answer: the same requests (reads of users by id, login, me and shortname, of groups,
// apps and app users with and without expand, from other hosts, with okta-response trimming, between writes of every
// kind, memberships and assignments, imports, resets and clock moves) get byte for byte the answers of a twin that
// makes every answer anew.
func TestCachedAnswersAreTheFreshOnes(t *testing.T) {
	cached, fresh := cacheTwins(t)
	r := rand.New(rand.NewSource(23))
	type step struct{ method, path, host, body string }
	ids := []string{adminID, "admin@twin.test", "ADMIN@TWIN.TEST", "admin", "me", "nobody"}
	hosts := []string{"127.0.0.1:4010", "dev-123.okta.test", "bad_host!"}
	trims := []string{"", "application/json", `application/json; okta-response="omitCredentials,omitCredentialsLinks,omitTransitioningToStatus"`, "application/json; okta-response=omitCredentialsLinks"}
	created := 0
	groups := []string{"00geveryonetwin00001", "00gnone"}
	groupID := regexp.MustCompile(`"id":"(00g[^"]+)"`)
	const app = "0oatwinservice000001"
	for i := 0; i < 900; i++ {
		host := hosts[r.Intn(len(hosts))]
		var s step
		var headers []string
		switch n := r.Intn(26); {
		case n < 10:
			id := ids[r.Intn(len(ids))]
			s = step{"GET", "/api/v1/users/" + id, host, ""}
			if ct := trims[r.Intn(len(trims))]; ct != "" {
				headers = []string{"Content-Type", ct}
			}
		case n == 10:
			created++
			login := fmt.Sprintf("user%d@x.test", created)
			s = step{"POST", "/api/v1/users?activate=" + []string{"true", "false"}[r.Intn(2)], host, `{"profile":{"firstName":"F","lastName":"L` + fmt.Sprint(created) + `","email":"` + login + `","login":"` + login + `"},"credentials":{"password":{"value":"Abcd1234!x` + fmt.Sprint(created) + `"}}}`}
			ids = append(ids, login, fmt.Sprintf("user%d", created))
		case n == 11:
			s = step{"POST", "/api/v1/users/" + ids[r.Intn(len(ids))], host, `{"profile":{"nickName":"n` + fmt.Sprint(i) + `"}}`}
		case n == 12:
			op := []string{"suspend", "unsuspend", "deactivate", "activate?sendEmail=false", "reactivate", "unlock", "expire_password", "reset_factors"}[r.Intn(8)]
			s = step{"POST", "/api/v1/users/" + ids[r.Intn(len(ids))] + "/lifecycle/" + op, host, ""}
		case n == 13:
			s = step{"DELETE", "/api/v1/users/" + ids[r.Intn(len(ids))], host, ""}
		case n == 14:
			// An import of the other twin's state with the admin renamed.
			export := answer(fresh, "GET", "/__twin/state", "127.0.0.1", "")
			export = export[strings.Index(export, "{"):]
			export = strings.Replace(export, `"firstName":"`, `"firstName":"Imported`+fmt.Sprint(i), 1)
			s = step{"PUT", "/__twin/state", "127.0.0.1", export}
		case n == 15:
			s = step{"POST", "/__twin/reset", "127.0.0.1", ""}
		case n == 16:
			s = step{"POST", "/__twin/clock", "127.0.0.1", `{"advanceMs":61000}`}
		case n == 17:
			s = step{"POST", "/api/v1/groups", host, `{"profile":{"name":"G` + fmt.Sprint(i) + `"}}`}
		case n == 18:
			s = step{"GET", "/api/v1/groups/" + groups[r.Intn(len(groups))] + []string{"", "?expand=stats", "?expand=app", "?expand=stats,app"}[r.Intn(4)], host, ""}
		case n == 19:
			s = step{[]string{"PUT", "DELETE"}[r.Intn(2)], "/api/v1/groups/" + groups[r.Intn(len(groups))] + "/users/" + adminID, host, ""}
		case n == 20:
			s = step{"GET", "/api/v1/apps/" + app + []string{"", "?expand=user/" + adminID}[r.Intn(2)], host, ""}
		case n == 21:
			s = step{"GET", "/api/v1/apps/" + app + "/users/" + adminID + []string{"", "?expand=user"}[r.Intn(2)], host, ""}
		case n == 22:
			s = step{"POST", "/api/v1/apps/" + app + "/users", host, `{"id":"` + adminID + `","scope":"USER"}`}
		case n == 23:
			s = step{"DELETE", "/api/v1/apps/" + app + "/users/" + adminID, host, ""}
		default:
			s = step{"GET", "/api/v1/users?limit=3", host, ""}
		}
		got := answer(cached, s.method, s.path, s.host, s.body, headers...)
		want := answer(fresh, s.method, s.path, s.host, s.body, headers...)
		if m := groupID.FindStringSubmatch(got); m != nil && s.method == "POST" && s.path == "/api/v1/groups" {
			groups = append(groups, m[1])
		}
		if got != want {
			t.Fatalf("step %d: %s %s (Host %s, %v):\ncached %s\n fresh %s", i, s.method, s.path, s.host, headers, got, want)
		}
	}
}

// The named cases: a read after a write through another operation, after an import, after a reset, from another
// host, and with and without trimming, each gets the answer as it is now.
func TestCachedAnswersFollowTheState(t *testing.T) {
	cached, _ := cacheTwins(t)
	get := func(host string, headers ...string) string {
		return answer(cached, "GET", "/api/v1/users/"+adminID, host, "", headers...)
	}
	first := get("127.0.0.1:4010")
	if again := get("127.0.0.1:4010"); again[strings.Index(again, "{"):] != first[strings.Index(first, "{"):] {
		t.Fatalf("a second read has another body:\n%s\n%s", first, again)
	}
	answer(cached, "POST", "/api/v1/users/"+adminID, "127.0.0.1:4010", `{"profile":{"nickName":"Changed"}}`)
	if got := get("127.0.0.1:4010"); !strings.Contains(got, `"nickName":"Changed"`) {
		t.Fatalf("a read after an update does not show it: %s", got)
	}
	export := answer(cached, "GET", "/__twin/state", "127.0.0.1", "")
	export = strings.Replace(export[strings.Index(export, "{"):], `"nickName":"Changed"`, `"nickName":"Imported"`, 1)
	if res := answer(cached, "PUT", "/__twin/state", "127.0.0.1", export); !strings.HasPrefix(res, "200") {
		t.Fatalf("import: %s", res)
	}
	if got := get("127.0.0.1:4010"); !strings.Contains(got, `"nickName":"Imported"`) {
		t.Fatalf("a read after an import does not show it: %s", got)
	}
	answer(cached, "POST", "/__twin/reset", "127.0.0.1", "")
	if got := get("127.0.0.1:4010"); strings.Contains(got, "nickName\":\"Imported") || !strings.Contains(got, `"status":"ACTIVE"`) {
		t.Fatalf("a read after a reset shows the old state: %s", got)
	}
	if got := get("dev-123.okta.test"); !strings.Contains(got, `"href":"http://dev-123.okta.test/api/v1/users/`+adminID+`"`) || strings.Contains(got, "127.0.0.1") {
		t.Fatalf("a read from another host has the first host's links: %s", got)
	}
	trimmed := get("127.0.0.1:4010", "Content-Type", `application/json; okta-response="omitCredentials,omitCredentialsLinks"`)
	if strings.Contains(trimmed, `"credentials"`) || strings.Contains(trimmed, "resetPassword") {
		t.Fatalf("a trimmed read has what it asked to leave out: %s", trimmed)
	}
	if full := get("127.0.0.1:4010"); !strings.Contains(full, `"credentials"`) || !strings.Contains(full, "resetPassword") {
		t.Fatalf("a read after a trimmed one is trimmed: %s", full)
	}
	answer(cached, "POST", "/api/v1/users/"+adminID+"/lifecycle/suspend", "127.0.0.1:4010", "")
	if got := get("127.0.0.1:4010"); !strings.Contains(got, `"status":"SUSPENDED"`) && !strings.Contains(got, "401") {
		t.Fatalf("a read after a lifecycle change does not show it: %s", got)
	}
}

// Reads of one resource that ask for more (expand) or from another path (login, id) are kept apart.
func TestCachedAnswersAreKeyedByPathAndQuery(t *testing.T) {
	cached, _ := cacheTwins(t)
	if got := answer(cached, "POST", "/api/v1/apps/0oatwinservice000001/users", "127.0.0.1:4010", `{"id":"`+adminID+`","scope":"USER"}`); !strings.HasPrefix(got, "200") {
		t.Fatalf("assigning the admin to the app: %s", got)
	}
	body := func(path string) string {
		got := answer(cached, "GET", path, "127.0.0.1:4010", "")
		return got[strings.Index(got, "{"):]
	}
	for _, read := range []struct{ plain, more, shows string }{
		{"/api/v1/groups/00geveryonetwin00001", "/api/v1/groups/00geveryonetwin00001?expand=stats", `"stats"`},
		{"/api/v1/apps/0oatwinservice000001/users/" + adminID, "/api/v1/apps/0oatwinservice000001/users/" + adminID + "?expand=user", `"_embedded"`},
	} {
		plain := body(read.plain)
		if more := body(read.more); more == plain || !strings.Contains(more, read.shows) {
			t.Fatalf("%s after %s answered without %s:\n%s", read.more, read.plain, read.shows, more)
		}
		if again := body(read.plain); again != plain {
			t.Fatalf("%s after %s answered with the expanded body:\n%s", read.plain, read.more, again)
		}
	}
}

// The cache is used: the same read twice runs the handler once.
func TestReadsAreAnsweredFromTheCache(t *testing.T) {
	cached, _ := cacheTwins(t)
	for i := 0; i < 3; i++ {
		answer(cached, "GET", "/api/v1/users/"+adminID, "127.0.0.1:4010", "")
	}
	if n := cached.KeptAnswers(); n != 1 {
		t.Fatalf("%d answers kept after three reads of one user, want 1", n)
	}
	answer(cached, "POST", "/api/v1/users/"+adminID, "127.0.0.1:4010", `{"profile":{"nickName":"x"}}`)
	answer(cached, "GET", "/api/v1/users/"+adminID, "127.0.0.1:4010", "")
	if n := cached.KeptAnswers(); n != 1 {
		t.Fatalf("%d answers kept after a write and a read, want 1 (the older one dropped)", n)
	}
}
