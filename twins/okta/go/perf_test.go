package main

import (
	"fmt"
	"io"
	"net/http"
	"runtime"
	"strings"
	"testing"
)

// discardWriter is a ResponseWriter that keeps nothing: the benchmark measures the twin, not a recorder.
type discardWriter struct {
	h      http.Header
	status int
}

func (w *discardWriter) Header() http.Header         { return w.h }
func (w *discardWriter) Write(b []byte) (int, error) { return len(b), nil }
func (w *discardWriter) WriteHeader(status int)      { w.status = status }

// BenchmarkGetUser is one GET of a user through the whole pipeline, as `wrk` sends it.
func BenchmarkGetUser(b *testing.B) {
	twin, err := newTwin(&config{host: "127.0.0.1", clock: "system"}, io.Discard)
	if err != nil {
		b.Fatal(err)
	}
	req, _ := http.NewRequest("GET", "http://127.0.0.1:4010/api/v1/users/"+adminID, nil)
	req.Header.Set("Authorization", "SSWS twin-okta-token")
	req.Header.Set("Accept", "application/json")
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		w := &discardWriter{h: http.Header{}}
		twin.ServeHTTP(w, req)
	}
}

// BenchmarkMemoryPerUser reports the live heap a created user keeps (bytes/user), after 2,000 users made first:
// `go test ./okta/go/ -run '^$' -bench MemoryPerUser -benchtime 10000x`.
func BenchmarkMemoryPerUser(b *testing.B) {
	twin, err := newTwin(&config{host: "127.0.0.1", clock: "system"}, io.Discard)
	if err != nil {
		b.Fatal(err)
	}
	made := 0
	create := func() {
		made++
		body := fmt.Sprintf(`{"profile":{"firstName":"Bench","lastName":"User%d","email":"bench.user%d@example.com","login":"bench.user%d@example.com"}}`, made, made, made)
		req, _ := http.NewRequest("POST", "http://127.0.0.1:4010/api/v1/users?activate=false", strings.NewReader(body))
		req.Header.Set("Authorization", "SSWS twin-okta-token")
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Accept", "application/json")
		w := &discardWriter{h: http.Header{}}
		twin.ServeHTTP(w, req)
		if w.status != 200 {
			b.Fatalf("create %d: status %d", made, w.status)
		}
	}
	for i := 0; i < 2000; i++ {
		create()
	}
	heap := func() uint64 {
		var m runtime.MemStats
		runtime.GC()
		runtime.GC()
		runtime.ReadMemStats(&m)
		return m.HeapAlloc
	}
	before := heap()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		create()
	}
	b.StopTimer()
	after := heap()
	runtime.KeepAlive(twin)
	b.ReportMetric(float64(after-before)/float64(b.N), "bytes/user")
}
