package goengine

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// nodeRequests are the raw requests measured against Node's http server (what llhttp takes and what it refuses), on
// the test twin's paths: the fuzz targets' seeds.
func nodeRequests() []string {
	const item = "/v1/items/it1"
	get := func(target, version, headers string) string {
		return "GET " + target + " " + version + "\r\nHost: twin.test\r\n" + headers + "\r\n"
	}
	post := func(headers, body string) string {
		return "POST /v1/items HTTP/1.1\r\nHost: twin.test\r\nContent-Type: application/json\r\n" + headers + "\r\n" + body
	}
	const body = `{"name":"new"}`
	return []string{
		get(item, "HTTP/1.1", "Authorization: SSWS token\r\n"),
		get("/v1/items?limit=1", "HTTP/1.1", ""),
		post("Content-Length: 14\r\n", body),
		"HEAD " + item + " HTTP/1.1\r\nHost: twin.test\r\n\r\n",
		"DELETE " + item + " HTTP/1.1\r\nHost: twin.test\r\n\r\n",
		"OPTIONS * HTTP/1.1\r\nHost: twin.test\r\n\r\n",
		"M-SEARCH " + item + " HTTP/1.1\r\nHost: twin.test\r\n\r\n",
		"get " + item + " HTTP/1.1\r\nHost: twin.test\r\n\r\n",
		"FETCH " + item + " HTTP/1.1\r\nHost: twin.test\r\n\r\n",
		"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n",
		"CONNECT twin.test:443 HTTP/1.1\r\nHost: twin.test\r\n\r\n",
		"GET  " + item + " HTTP/1.1\r\nHost: twin.test\r\n\r\n",
		"GET\t" + item + " HTTP/1.1\r\nHost: twin.test\r\n\r\n",
		"\r\n" + get(item, "HTTP/1.1", ""),
		" " + get(item, "HTTP/1.1", ""),
		get("/v1/items/%ZZ", "HTTP/1.1", ""),
		get("/v1/items/a b", "HTTP/1.1", ""),
		get("http://other.example"+item, "HTTP/1.1", ""),
		get("https://other.example/v1/items?limit=1", "HTTP/1.1", ""),
		get("twin.test:80", "HTTP/1.1", ""),
		get(item+"#frag", "HTTP/1.1", ""),
		get("/v1/items?", "HTTP/1.1", ""),
		get(item+"\x01", "HTTP/1.1", ""),
		get("/v1/items/\xe9", "HTTP/1.1", ""),
		get("/v1/items/a{b}|^\\\"<>`", "HTTP/1.1", ""),
		get("/v1/./items/../items/%2e/it1", "HTTP/1.1", ""),
		get("", "HTTP/1.1", ""),
		get("v1/items", "HTTP/1.1", ""),
		get(item, "HTTP/1.0", ""),
		get(item, "HTTP/1.0", "Connection: keep-alive\r\n") + get(item, "HTTP/1.0", ""),
		"GET " + item + " HTTP/1.0\r\n\r\n",
		get(item, "HTTP/2.0", ""),
		get(item, "HTTP/1.2", ""),
		get(item, "HTTP/0.9", ""),
		get(item, "http/1.1", ""),
		get(item, "HTTP/1.1 ", ""),
		"GET " + item + "\r\nHost: twin.test\r\n\r\n",
		get(item, "HTTP/1.1", "NoColon\r\n"),
		"GET " + item + " HTTP/1.1\r\nHost : twin.test\r\n\r\n",
		get(item, "HTTP/1.1", ": x\r\n"),
		get(item, "HTTP/1.1", "X(y): 1\r\n"),
		get(item, "HTTP/1.1", "X-A: 1\r\n  continued\r\n"),
		"GET " + item + " HTTP/1.1\nHost: twin.test\r\n\r\n",
		"GET " + item + " HTTP/1.1\r\nHost: twin.test\r\nX-A: 1\nX-B: 2\r\n\r\n",
		"GET " + item + " HTTP/1.1\r\nHost: twin.test\r\n\n",
		"GET " + item + " HTTP/1.1\r\nHost: twin.test\r\nX-A: 1\rX-B: 2\r\n\r\n",
		get(item, "HTTP/1.1", "X-A: a\x00b\r\n"),
		get(item, "HTTP/1.1", "X-A: a\x7fb\r\n"),
		get(item, "HTTP/1.1", "X-A: \t a\tb \x80\xe9\xff \t\r\n"),
		"GET /x HTTP/1.1\r\nHost: t\r\nX-P: " + strings.Repeat("a", 16373) + "\r\n\r\n",
		"GET /x HTTP/1.1\r\nHost: t\r\nX-P: " + strings.Repeat("a", 16374) + "\r\n\r\n",
		"GET /x HTTP/1.1\r\nHost: t\r\nX-P: " + strings.Repeat(" ", 50) + strings.Repeat("a", 16373) + "\r\n\r\n",
		"GET /x HTTP/1.1\r\nHost: t\r\nX-P: " + strings.Repeat("a", 16363) + strings.Repeat(" ", 10) + "\r\n\r\n",
		get(item, "HTTP/1.1", strings.Repeat("a: b\r\n", 999)+"Authorization: SSWS token\r\n"),
		get(item, "HTTP/1.1", "Authorization: SSWS nope\r\nAuthorization: SSWS token\r\nHost: other.example\r\n"),
		"GET " + item + " HTTP/1.1\r\nHost:twin.test\r\n\r\n",
		"GET " + item + " HTTP/1.1\r\n\r\n",
		"GET " + item + " HTTP/1.1\r\nHost: a b/c\r\n\r\n",
		post("Content-Length: 14\r\nContent-Length: 14\r\n", body),
		post("Content-Length: abc\r\n", body),
		post("Content-Length: 9999999999999999999\r\n", body),
		post("Content-Length: 99999999999999999999\r\n", body),
		post("Content-Length:  14 \r\n", body),
		post("Content-Length: 14, 14\r\n", body),
		post("Content-Length: 14\r\n", body+"garbage\r\n\r\n"),
		post("Content-Length: 50\r\n", body),
		post("Content-Length: 14\r\nTransfer-Encoding: chunked\r\n", "e\r\n"+body+"\r\n0\r\n\r\n"),
		post("Transfer-Encoding: chunked\r\n", "00E;a=b;c=\"d\"\r\n"+body+"\r\n0\r\nX-T: 1\r\n\r\n"),
		post("Transfer-Encoding: chunked\r\n", "ffffffffffffffffff\r\n"+body+"\r\n0\r\n\r\n"),
		post("Transfer-Encoding: chunked\r\n", "e\r\n"+body+"0\r\n\r\n"),
		post("Transfer-Encoding: chunked\r\n", "e \r\n"+body+"\r\n0\r\n\r\n"),
		post("Transfer-Encoding: chunked\r\n", "e\n"+body+"\r\n0\r\n\r\n"),
		post("Transfer-Encoding: chunked\r\n", "e;a="+strings.Repeat("a", 20480)+"\r\n"+body+"\r\n0\r\n\r\n"),
		post("Transfer-Encoding: chunked\r\n", "e\r\n"+body+"\r\n0\r\nX-T: "+strings.Repeat("a", 17000)+"\r\n\r\n"),
		post("Transfer-Encoding: gzip\r\n", body),
		post("Transfer-Encoding: chunked, gzip\r\n", "e\r\n"+body+"\r\n0\r\n\r\n"),
		post("Transfer-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n", "e\r\n"+body+"\r\n0\r\n\r\n"),
		post("Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n", "e\r\n"+body+"\r\n0\r\n\r\n"),
		"POST /v1/items HTTP/1.0\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\ne\r\n" + body + "\r\n0\r\n\r\n",
		post("Expect: 100-continue\r\nContent-Length: 14\r\n", body),
		get(item, "HTTP/1.1", "Expect: 100-continue\r\n"),
		get(item, "HTTP/1.1", "Expect: something-else\r\n"),
		get(item, "HTTP/1.0", "Expect: 100-continue\r\n"),
		get(item, "HTTP/1.1", "TE: chunked\r\nConnection: Close\r\n"),
		get(item, "HTTP/1.1", "Connection: Upgrade\r\nUpgrade: websocket\r\n") + get(item, "HTTP/1.1", ""),
		get(item, "HTTP/1.1", "") + get("/v1/items/nope", "HTTP/1.1", ""),
		get(item, "HTTP/1.1", "") + "garbage\r\n\r\n",
		get(item, "HTTP/1.1", "Connection: close\r\n") + get(item, "HTTP/1.1", ""),
		get(item, "HTTP/1.0", "") + get(item, "HTTP/1.1", ""),
		post("Content-Length: 257\r\n", strings.Repeat("x", 257)),
		post("Transfer-Encoding: chunked\r\n", "101\r\n"+strings.Repeat("x", 257)+"\r\n0\r\n\r\n"),
		"GET /__twin/requests HTTP/1.1\r\nHost: twin.test\r\n\r\n",
	}
}

// nodeMethodList is Node 20's http.METHODS.
var nodeMethodList = []string{"ACL", "BIND", "CHECKOUT", "CONNECT", "COPY", "DELETE", "GET", "HEAD", "LINK", "LOCK",
	"M-SEARCH", "MERGE", "MKACTIVITY", "MKCALENDAR", "MKCOL", "MOVE", "NOTIFY", "OPTIONS", "PATCH", "POST", "PROPFIND",
	"PROPPATCH", "PURGE", "PUT", "QUERY", "REBIND", "REPORT", "SEARCH", "SOURCE", "SUBSCRIBE", "TRACE", "UNBIND",
	"UNLINK", "UNLOCK", "UNSUBSCRIBE"}

func FuzzReadHead(f *testing.F) {
	for _, request := range nodeRequests() {
		f.Add([]byte(request))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		rest := bytes.NewReader(data)
		c := &conn{br: bufio.NewReader(rest)}
		h, err := c.readHead()
		if err != nil {
			if err != badRequest && err != headerTooLong && err != errClosed {
				t.Fatalf("readHead(%q): %v", data, err)
			}
			return
		}
		read := data[:len(data)-rest.Len()-c.br.Buffered()]
		// The pipelining check takes the head and every start of it: a request cut anywhere by the network is not
		// refused for being cut.
		for end := 0; end <= len(read); end++ {
			if !requestPrefix(read[:end]) {
				t.Fatalf("readHead takes %q, the pipelining check refuses its start %q", read, read[:end])
			}
		}
		if !slices.Contains(nodeMethodList, h.method) {
			t.Fatalf("readHead takes the method %q", h.method)
		}
		if n := nodeCounted(read); n >= nodeMaxHeaderSize {
			t.Fatalf("readHead takes a head Node counts %d bytes of: %q", n, read)
		}
	})
}

// nodeCounted is what Node counts of a head against its 16 KiB: the target, and each header's name and value, the
// value from its first character that is not white space.
func nodeCounted(head []byte) int {
	lines := strings.Split(strings.TrimLeft(string(head), "\r\n"), "\r\n")
	parts := strings.FieldsFunc(lines[0], func(r rune) bool { return r == ' ' })
	n := len(parts[1])
	for _, line := range lines[1:] {
		if name, value, ok := strings.Cut(line, ":"); ok {
			n += len(name) + len(strings.TrimLeft(value, " \t"))
		}
	}
	return n
}

func FuzzServeConn(f *testing.F) {
	for _, request := range nodeRequests() {
		f.Add([]byte(request))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var log lockedBuffer
		twin := fuzzTwin(t, &log)
		got := serveBytes(t, twin, data)
		methods := requestMethods(data)
		br := bufio.NewReader(bytes.NewReader(got))
		answers, interim := 0, false
		for {
			if _, err := br.Peek(1); err != nil {
				break
			}
			method := "GET"
			if answers < len(methods) {
				method = methods[answers]
			}
			res, err := http.ReadResponse(br, &http.Request{Method: method})
			if err != nil {
				t.Fatalf("answer %d to %q does not parse: %v\nthe server wrote %q", answers+1, data, err, got)
			}
			if _, err := io.ReadAll(res.Body); err != nil {
				t.Fatalf("answer %d to %q: its body does not parse: %v\nthe server wrote %q", answers+1, data, err, got)
			}
			if res.Proto != "HTTP/1.1" {
				t.Fatalf("answer %d to %q is %s\nthe server wrote %q", answers+1, data, res.Proto, got)
			}
			if interim = res.StatusCode == 100; !interim {
				answers++
			}
		}
		if interim || answers > len(methods)+1 {
			t.Fatalf("%d answers to %d requests in %q\nthe server wrote %q", answers, len(methods), data, got)
		}
		if log.String() != "" {
			t.Fatalf("serving %q, the twin logged %s", data, log.String())
		}
	})
}

// fuzzTwin is the test twin with a handler that never fails on purpose, the admin API closed to the fuzzer (a
// latency plugin would slow every input down) and a body limit of 256 bytes; its log is the given writer.
func fuzzTwin(t *testing.T, log io.Writer) *Twin {
	def := testDefinition()
	def.Handlers["createItem"] = func(ctx *Ctx) (*Result, error) {
		id := "it" + ctx.IDs.Token(5, "")
		item := NewObject("id", id, "name", ctx.Body.(*Object).Str("name"))
		ctx.Set(ctx.State.Obj("items"), id, item)
		return OK(item), nil
	}
	twin, err := New(def, Options{Clock: "2026-01-01T00:00:00.000Z", Log: log, BodyLimit: 256, AdminToken: "a token the fuzzer does not guess 9f3c1e7a"})
	if err != nil {
		t.Fatal(err)
	}
	return twin
}

// lockedBuffer is a log the server's goroutines may write while the test reads it.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// serveBytes serves data as one client's bytes, the client's side then ending its writes, and gives back all the
// server wrote until it closed the connection. A net.Pipe cannot end one direction alone, so the connection is two.
func serveBytes(t *testing.T, twin *Twin, data []byte) []byte {
	t.Helper()
	toServer, fromClient := net.Pipe()
	toClient, fromServer := net.Pipe()
	deadline := time.Now().Add(10 * time.Second)
	_ = toServer.SetDeadline(deadline)
	_ = fromServer.SetDeadline(deadline)
	done := make(chan struct{})
	go func() {
		NewServer(twin).ServeConn(splitConn{Conn: fromClient, out: toClient})
		close(done)
	}()
	go func() {
		_, _ = toServer.Write(data)
		_ = toServer.Close()
	}()
	got, err := io.ReadAll(fromServer)
	_ = fromServer.Close()
	if err != nil {
		t.Fatalf("serving %q, the server had not closed the connection after 10 s (%v); it wrote %q", data, err, got)
	}
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatalf("serving %q, the connection closed but ServeConn did not return", data)
	}
	return got
}

// splitConn reads from one pipe and writes to another.
type splitConn struct {
	net.Conn
	out net.Conn
}

func (c splitConn) Write(b []byte) (int, error) { return c.out.Write(b) }

func (c splitConn) SetWriteDeadline(t time.Time) error { return c.out.SetWriteDeadline(t) }

func (c splitConn) SetDeadline(t time.Time) error {
	return errors.Join(c.Conn.SetDeadline(t), c.out.SetDeadline(t))
}

func (c splitConn) Close() error { return errors.Join(c.Conn.Close(), c.out.Close()) }

// requestMethods are the methods of the requests the server reads from data, in order, up to the first it refuses.
func requestMethods(data []byte) []string {
	nc, other := net.Pipe()
	defer nc.Close()
	defer other.Close()
	c := &conn{nc: nc, br: bufio.NewReader(bytes.NewReader(data))}
	var methods []string
	for {
		h, err := c.readHead()
		if err != nil {
			return methods
		}
		methods = append(methods, h.method)
		if c.skipBody(h, time.Now()) != nil {
			return methods
		}
	}
}

// testTwinOf is a twin of def with the fixed clock and no log.
func testTwinOf(t *testing.T, def *Definition, plugins ...*Plugin) *Twin {
	t.Helper()
	twin, err := New(def, Options{Clock: "2026-01-01T00:00:00.000Z", Log: io.Discard, Plugins: plugins})
	if err != nil {
		t.Fatal(err)
	}
	return twin
}

// readAnswer reads the answer to a request of the method from the connection, within a bound.
func readAnswer(t *testing.T, nc net.Conn, br *bufio.Reader, method string) (int, string) {
	t.Helper()
	_ = nc.SetReadDeadline(time.Now().Add(10 * time.Second))
	res, err := http.ReadResponse(br, &http.Request{Method: method})
	if err != nil {
		t.Fatal(err)
	}
	body, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return res.StatusCode, string(body)
}

// waitFor waits for ch to close, within a bound.
func waitFor(t *testing.T, ch chan struct{}, what string) {
	t.Helper()
	select {
	case <-ch:
	case <-time.After(10 * time.Second):
		t.Fatalf("waited 10 s for %s", what)
	}
}

// expectClosed says the server closed the connection without another byte, within a bound.
func expectClosed(t *testing.T, nc net.Conn, br *bufio.Reader) {
	t.Helper()
	expectClosedWithin(t, nc, br, 10*time.Second)
}

func expectClosedWithin(t *testing.T, nc net.Conn, br *bufio.Reader, bound time.Duration) {
	t.Helper()
	_ = nc.SetReadDeadline(time.Now().Add(bound))
	if rest, err := io.ReadAll(br); err != nil || len(rest) > 0 {
		t.Fatalf("the connection was not closed without a word: %q, %v", rest, err)
	}
}

func TestShutdownWaitsForTheRequestInProgressAndClosesIdleConnectionsAtOnce(t *testing.T) {
	entered, release := make(chan struct{}), make(chan struct{})
	def := testDefinition()
	def.Handlers["getItem"] = func(ctx *Ctx) (*Result, error) {
		if ctx.Params["id"] == "slow" {
			close(entered)
			<-release
		}
		return OK(NewObject("id", ctx.Params["id"], "name", "item")), nil
	}
	server := serveTest(t, testTwinOf(t, def))
	dial := func() (net.Conn, *bufio.Reader) {
		nc, err := net.Dial("tcp", server.addr)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = nc.Close() })
		return nc, bufio.NewReader(nc)
	}
	idle, idleReader := dial()
	if _, err := io.WriteString(idle, "GET /v1/items/it1 HTTP/1.1\r\nHost: twin.test\r\n\r\n"); err != nil {
		t.Fatal(err)
	}
	if status, _ := readAnswer(t, idle, idleReader, "GET"); status != 200 {
		t.Fatalf("the idle connection's request: %d", status)
	}
	busy, busyReader := dial()
	if _, err := io.WriteString(busy, "GET /v1/items/slow HTTP/1.1\r\nHost: twin.test\r\n\r\n"); err != nil {
		t.Fatal(err)
	}
	waitFor(t, entered, "the request to reach its handler")
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	shut := make(chan error, 1)
	go func() { shut <- server.server.Shutdown(ctx) }()
	// At once: well before the keep-alive timeout would close it.
	expectClosedWithin(t, idle, idleReader, keepAliveTimeout/2)
	select {
	case err := <-shut:
		t.Fatalf("Shutdown returned (%v) with a request in progress", err)
	default:
	}
	close(release)
	if status, body := readAnswer(t, busy, busyReader, "GET"); status != 200 || body != `{"id":"slow","name":"item"}` {
		t.Fatalf("the request in progress was answered %d %s", status, body)
	}
	expectClosed(t, busy, busyReader)
	select {
	case err := <-shut:
		if err != nil {
			t.Fatalf("Shutdown: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Shutdown did not return once the request was answered")
	}
	if _, err := net.Dial("tcp", server.addr); err == nil {
		t.Fatal("the server still accepts connections")
	}
}

func TestCloseAndShutdownEndAHangingFault(t *testing.T) {
	for name, stop := range map[string]func(*Server) error{
		"Close": (*Server).Close,
		"Shutdown": func(s *Server) error {
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			return s.Shutdown(ctx)
		},
	} {
		t.Run(name, func(t *testing.T) {
			twin := testTwinOf(t, testDefinition(), spec(t, `{"name":"fault","options":{"fault":"hang"}}`))
			server := NewServer(twin)
			client, end := net.Pipe()
			defer client.Close()
			done := make(chan struct{})
			go func() {
				server.ServeConn(end)
				close(done)
			}()
			_ = client.SetDeadline(time.Now().Add(10 * time.Second))
			if _, err := io.WriteString(client, "GET /v1/items/it1 HTTP/1.1\r\nHost: twin.test\r\n\r\n"); err != nil {
				t.Fatal(err)
			}
			// The fault is journaled as the twin gives the connection its hang.
			for deadline := time.Now().Add(10 * time.Second); len(journal(twin)) == 0; runtime.Gosched() {
				if time.Now().After(deadline) {
					t.Fatal("the request never reached the twin")
				}
			}
			if err := stop(server); err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			expectClosed(t, client, bufio.NewReader(client))
			waitFor(t, done, "ServeConn to return")
			if got := journal(twin); len(got) != 1 || got[0] != "0 p1 fault left the request unanswered: call 1 (every call)" {
				t.Fatalf("journal %q", got)
			}
		})
	}
}

// deadlineConn is a server's end of a net.Pipe that tells the test each read deadline the server sets, once set.
type deadlineConn struct {
	net.Conn
	set chan time.Time
}

func (c deadlineConn) SetReadDeadline(t time.Time) error {
	err := c.Conn.SetReadDeadline(t)
	c.set <- t
	return err
}

// serveWithDeadlines serves a connection whose read deadlines the test sees (and can make pass at once).
func serveWithDeadlines(t *testing.T) (client net.Conn, end deadlineConn, done chan struct{}) {
	t.Helper()
	client, pipeEnd := net.Pipe()
	t.Cleanup(func() { _ = client.Close() })
	_ = client.SetDeadline(time.Now().Add(10 * time.Second))
	end = deadlineConn{Conn: pipeEnd, set: make(chan time.Time, 16)}
	done = make(chan struct{})
	server := NewServer(testTwinOf(t, testDefinition()))
	go func() {
		server.ServeConn(end)
		close(done)
	}()
	return client, end, done
}

// within says a deadline the server set between two moments is d after the moment it was set.
func within(t *testing.T, what string, deadline, before, after time.Time, d time.Duration) {
	t.Helper()
	if deadline.Before(before.Add(d)) || deadline.After(after.Add(d)) {
		t.Fatalf("%s: deadline %s after the test's clock, want %s", what, deadline.Sub(before), d)
	}
}

// The keep-alive and head timeouts are seconds long: the test makes the server's deadline pass at once instead of
// waiting for it, after checking it is the one Node's server keeps.
func TestAConnectionIdleForTheKeepAliveTimeoutIsClosed(t *testing.T) {
	client, end, done := serveWithDeadlines(t)
	br := bufio.NewReader(client)
	if _, err := io.WriteString(client, "GET /v1/items/it1 HTTP/1.1\r\nHost: twin.test\r\n\r\n"); err != nil {
		t.Fatal(err)
	}
	<-end.set
	<-end.set
	before := time.Now()
	if status, _ := readAnswer(t, client, br, "GET"); status != 200 {
		t.Fatalf("answered %d", status)
	}
	idle := <-end.set
	within(t, "the wait for the next request", idle, before, time.Now(), keepAliveTimeout)
	_ = end.Conn.SetReadDeadline(time.Now())
	expectClosed(t, client, br)
	waitFor(t, done, "ServeConn to return")
}

func TestAHeadNotInWithinTheHeadersTimeoutIsAnswered408(t *testing.T) {
	client, end, done := serveWithDeadlines(t)
	before := time.Now()
	if _, err := io.WriteString(client, "GET /v1/items HTTP/1.1\r\nHost: twin"); err != nil {
		t.Fatal(err)
	}
	within(t, "the wait for a first request", <-end.set, before, time.Now(), keepAliveTimeout)
	within(t, "the head's read", <-end.set, before, time.Now(), headersTimeout)
	_ = end.Conn.SetReadDeadline(time.Now())
	// Node's answer when headersTimeout passes (measured with a short headersTimeout on Node 20).
	got, err := io.ReadAll(client)
	if err != nil || string(got) != "HTTP/1.1 408 Request Timeout\r\nConnection: close\r\n\r\n" {
		t.Fatalf("answered %q, %v", got, err)
	}
	waitFor(t, done, "ServeConn to return")
}

func TestPipelinedRequestsAreAnsweredInOrderOnOneConnection(t *testing.T) {
	const stream = "GET /v1/items/it1 HTTP/1.1\r\nHost: twin.test\r\n\r\n" +
		"HEAD /v1/items/it1 HTTP/1.1\r\nHost: twin.test\r\n\r\n" +
		"POST /v1/items HTTP/1.1\r\nHost: twin.test\r\nContent-Type: application/json\r\nContent-Length: 17\r\n\r\n{\"name\":\"second\"}" +
		"GET /v1/items/itU6W5A HTTP/1.1\r\nHost: twin.test\r\n\r\n" +
		"POST /v1/items HTTP/1.1\r\nHost: twin.test\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n{\"nam\r\nb\r\ne\":\"third\"}\r\n0\r\n\r\n" +
		"GET /v1/items/nope HTTP/1.1\r\nHost: twin.test\r\n\r\n"
	want := []struct {
		method string
		status int
		body   string
	}{
		{"GET", 200, `{"id":"it1","name":"first"}`},
		{"HEAD", 200, ""},
		{"POST", 200, `{"id":"itU6W5A","name":"second"}`},
		{"GET", 200, `{"id":"itU6W5A","name":"second"}`},
		{"POST", 200, `{"id":"it8akX0","name":"third"}`},
		{"GET", 404, `{"error":"refused"}`},
	}
	// The stream comes in two writes cut at every byte: the server reads a request while part of the next waits.
	for cut := 0; cut <= len(stream); cut++ {
		client, end := net.Pipe()
		done := make(chan struct{})
		go func() {
			NewServer(testTwinOf(t, testDefinition())).ServeConn(end)
			close(done)
		}()
		_ = client.SetDeadline(time.Now().Add(10 * time.Second))
		go func() {
			_, _ = io.WriteString(client, stream[:cut])
			_, _ = io.WriteString(client, stream[cut:])
		}()
		br := bufio.NewReader(client)
		for i, w := range want {
			if status, body := readAnswer(t, client, br, w.method); status != w.status || body != w.body {
				t.Fatalf("cut at %d: answer %d is %d %s, want %d %s", cut, i+1, status, body, w.status, w.body)
			}
		}
		// The connection is still open: one more request is answered on it.
		if _, err := io.WriteString(client, "GET /v1/items/it1 HTTP/1.1\r\nHost: twin.test\r\n\r\n"); err != nil {
			t.Fatalf("cut at %d: %v", cut, err)
		}
		if status, _ := readAnswer(t, client, br, "GET"); status != 200 {
			t.Fatalf("cut at %d: a request after the pipelined ones: %d", cut, status)
		}
		_ = client.Close()
		waitFor(t, done, "ServeConn to return")
	}
}

// A body's declared length costs memory only as its bytes arrive: a client that declares the twin's whole limit
// and sends a few bytes does not make the server hold the limit.
func TestADeclaredLengthIsNotAllocatedBeforeItsBytesArrive(t *testing.T) {
	twin, _ := newTestTwin(t, Options{})
	for _, text := range []string{
		"POST /v1/items HTTP/1.1\r\nHost: t\r\nContent-Length: 10000000\r\n\r\n{\"name\":",
		"POST /v1/items HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n989680\r\n{\"name\":",
	} {
		c := &conn{server: NewServer(twin), nc: &net.TCPConn{}, br: bufio.NewReader(strings.NewReader(text))}
		h, err := c.readHead()
		if err != nil {
			t.Fatal(err)
		}
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		err = c.readBody(h, c.request(h), time.Now())
		runtime.ReadMemStats(&after)
		if err != badRequest {
			t.Fatalf("a body cut short: %v, want Node's 400", err)
		}
		if grown := after.TotalAlloc - before.TotalAlloc; grown > 1<<20 {
			t.Fatalf("reading %d bytes of a body declared 10 MB allocated %d bytes", len(text), grown)
		}
	}
}

// A body over the limit is refused before it is read; the client, still sending it, must be able to finish and get
// the refusal: the server reads on what it sends instead of closing with unread bytes, which would reset the
// connection (a client such as Node's fetch then fails on its write and never sees the answer).
func TestARefusedBodyStillSendingGetsItsAnswer(t *testing.T) {
	_, server := newTestTwin(t, Options{BodyLimit: 1024})
	for i := 0; i < 5; i++ {
		conn, err := net.Dial("tcp", server.addr)
		if err != nil {
			t.Fatal(err)
		}
		// The client sends its whole body before it reads, as clients that write a request before reading do.
		body := bytes.Repeat([]byte("x"), 8<<20)
		_ = conn.SetDeadline(time.Now().Add(10 * time.Second))
		_, _ = io.WriteString(conn, "POST /v1/items HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\nContent-Length: "+strconv.Itoa(len(body))+"\r\n\r\n")
		if _, err := conn.Write(body); err != nil {
			t.Fatalf("attempt %d: the body could not be sent: %v", i, err)
		}
		res, err := http.ReadResponse(bufio.NewReader(conn), nil)
		if err != nil {
			t.Fatalf("attempt %d: no answer: %v", i, err)
		}
		if res.StatusCode != 413 || !res.Close {
			t.Fatalf("attempt %d: %d %v", i, res.StatusCode, res.Header)
		}
		_ = conn.Close()
	}
}
