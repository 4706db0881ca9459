// The Go baseline of the Go section of `npm run bench`: net/http serving the twin's own answers without any of its
// work, as bare-servers.ts does in Node. GET /api/v1/users/{id} returns the twin's body for the admin user; POST
// /api/v1/users decodes the body and returns the twin's create answer with the new profile and a fresh id. The
// fixture comes in BENCH_FIXTURE (JSON); the URL is printed once listening on 127.0.0.1.
package main

import (
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"strings"
	"sync/atomic"
	"time"
)

type fixture struct {
	User          json.RawMessage `json:"user"`
	Created       map[string]any  `json:"created"`
	CreatedStatus int             `json:"createdStatus"`
}

func main() {
	var f fixture
	if err := json.Unmarshal([]byte(os.Getenv("BENCH_FIXTURE")), &f); err != nil {
		fmt.Fprintln(os.Stderr, "BENCH_FIXTURE:", err)
		os.Exit(1)
	}
	var seq atomic.Int64
	handler := func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		switch {
		case r.Method == "GET" && strings.HasPrefix(r.URL.Path, "/api/v1/users/"):
			_, _ = w.Write(f.User)
		case r.Method == "POST" && r.URL.Path == "/api/v1/users":
			var sent struct {
				Profile map[string]any `json:"profile"`
			}
			if err := json.NewDecoder(r.Body).Decode(&sent); err != nil {
				w.WriteHeader(400)
				return
			}
			now := time.Now().UTC().Format("2006-01-02T15:04:05.000Z")
			created := make(map[string]any, len(f.Created))
			for k, v := range f.Created {
				created[k] = v
			}
			profile := map[string]any{}
			if base, ok := f.Created["profile"].(map[string]any); ok {
				for k, v := range base {
					profile[k] = v
				}
			}
			for k, v := range sent.Profile {
				profile[k] = v
			}
			created["id"] = fmt.Sprintf("00ubench%012d", seq.Add(1))
			created["created"], created["lastUpdated"], created["profile"] = now, now, profile
			w.WriteHeader(f.CreatedStatus)
			_ = json.NewEncoder(w).Encode(created)
		default:
			w.WriteHeader(404)
		}
	}
	listener, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Printf("http://%s\n", listener.Addr())
	_ = http.Serve(listener, http.HandlerFunc(handler))
}
