package main

import (
	"bytes"
	"fmt"
	"io"
	"net"
	"runtime"
	"testing"
	"time"

	e "twinverse/twins/goengine"
)

// replayConn is a client connection in memory for benchmarks: each read gives the next request the client sends,
// until it has sent count of them; what the server writes is checked to start with want and otherwise dropped.
type replayConn struct {
	request func(i int) []byte
	count   int
	sent    int
	pending []byte
	want    []byte
	wrong   int
}

func (c *replayConn) Read(b []byte) (int, error) {
	if len(c.pending) == 0 {
		if c.sent == c.count {
			return 0, io.EOF
		}
		c.pending = c.request(c.sent)
		c.sent++
	}
	n := copy(b, c.pending)
	c.pending = c.pending[n:]
	return n, nil
}

func (c *replayConn) Write(b []byte) (int, error) {
	if !bytes.HasPrefix(b, c.want) {
		c.wrong++
	}
	return len(b), nil
}

func (c *replayConn) Close() error { return nil }
func (c *replayConn) LocalAddr() net.Addr {
	return &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 4010}
}
func (c *replayConn) RemoteAddr() net.Addr {
	return &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 50000}
}
func (c *replayConn) SetDeadline(t time.Time) error      { return nil }
func (c *replayConn) SetReadDeadline(t time.Time) error  { return nil }
func (c *replayConn) SetWriteDeadline(t time.Time) error { return nil }

// BenchmarkGetUser is one GET of a user as `wrk` sends it, through the twin's server and the whole pipeline, on a
// connection kept alive.
func BenchmarkGetUser(b *testing.B) {
	twin, err := newTwin(&config{host: "127.0.0.1", clock: "system"}, io.Discard)
	if err != nil {
		b.Fatal(err)
	}
	request := []byte("GET /api/v1/users/" + adminID + " HTTP/1.1\r\nHost: 127.0.0.1:4010\r\nAuthorization: SSWS twin-okta-token\r\nAccept: application/json\r\n\r\n")
	conn := &replayConn{request: func(int) []byte { return request }, count: b.N, want: []byte("HTTP/1.1 200 OK\r\n")}
	b.ReportAllocs()
	b.ResetTimer()
	e.NewServer(twin).ServeConn(conn)
	if conn.wrong > 0 {
		b.Fatalf("%d answers were not 200", conn.wrong)
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
	create := func(count int) {
		conn := &replayConn{count: count, want: []byte("HTTP/1.1 200 OK\r\n"), request: func(int) []byte {
			made++
			body := fmt.Sprintf(`{"profile":{"firstName":"Bench","lastName":"User%d","email":"bench.user%d@example.com","login":"bench.user%d@example.com"}}`, made, made, made)
			return []byte(fmt.Sprintf("POST /api/v1/users?activate=false HTTP/1.1\r\nHost: 127.0.0.1:4010\r\nAuthorization: SSWS twin-okta-token\r\nContent-Type: application/json\r\nAccept: application/json\r\nContent-Length: %d\r\n\r\n%s", len(body), body))
		}}
		e.NewServer(twin).ServeConn(conn)
		if conn.wrong > 0 {
			b.Fatalf("%d creates were not 200", conn.wrong)
		}
	}
	create(2000)
	heap := func() uint64 {
		var m runtime.MemStats
		runtime.GC()
		runtime.GC()
		runtime.ReadMemStats(&m)
		return m.HeapAlloc
	}
	before := heap()
	b.ResetTimer()
	create(b.N)
	b.StopTimer()
	after := heap()
	runtime.KeepAlive(twin)
	b.ReportMetric(float64(after-before)/float64(b.N), "bytes/user")
}
