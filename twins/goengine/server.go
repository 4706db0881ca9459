package goengine

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

// The twin's HTTP/1.1 server. It reads a request as Node's http server reads it for the TypeScript twin (the same
// refusals, header values, framing and keep-alive) and answers in the bytes Node writes, so a client cannot tell the
// two backends apart by their transport. One goroutine a connection, one read buffer, one write an answer.

// Node's server timeouts as the TypeScript twin runs it: a connection idle this long between requests is closed
// (keepAliveTimeout, also announced in Keep-Alive), a head not in within headersTimeout or a request within
// requestTimeout is answered 408.
const (
	keepAliveTimeout = 5 * time.Second
	headersTimeout   = 60 * time.Second
	requestTimeout   = 300 * time.Second
	// writeTimeout bounds an answer's write to a client that does not read (Node would buffer it); drainTimeout how
	// long the rest of a refused body is read before the connection closes (drain).
	writeTimeout = 60 * time.Second
	drainTimeout = 2 * time.Second
)

// keepAliveLines are the lines Node adds to an answer that keeps the connection open.
var keepAliveLines = "Connection: keep-alive\r\nKeep-Alive: timeout=" + strconv.Itoa(int(keepAliveTimeout/time.Second)) + "\r\n"

// ErrServerClosed is what Serve returns once Shutdown or Close has been called.
var ErrServerClosed = errors.New("[twinverse] server closed")

// Server serves a twin over HTTP/1.1.
type Server struct {
	twin *Twin

	mu        sync.Mutex
	listeners map[net.Listener]struct{}
	conns     map[*conn]struct{}
	// closing is closed when the server starts shutting down: idle connections end, hanging faults let go.
	closing chan struct{}
}

// NewServer is a server of the twin, to Serve on listeners.
func NewServer(t *Twin) *Server {
	return &Server{twin: t, listeners: map[net.Listener]struct{}{}, conns: map[*conn]struct{}{}, closing: make(chan struct{})}
}

// Serve accepts connections on the listener until it fails or the server shuts down (ErrServerClosed).
func (s *Server) Serve(ln net.Listener) error {
	s.mu.Lock()
	if s.isClosing() {
		s.mu.Unlock()
		return ErrServerClosed
	}
	s.listeners[ln] = struct{}{}
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		delete(s.listeners, ln)
		s.mu.Unlock()
	}()
	var backoff time.Duration
	for {
		nc, err := ln.Accept()
		if err != nil {
			if s.isClosing() {
				return ErrServerClosed
			}
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() || errors.Is(err, syscall.EMFILE) || errors.Is(err, syscall.ENFILE) {
				// Out of file descriptors or a transient failure: wait a little and accept again.
				backoff = min(max(2*backoff, 5*time.Millisecond), time.Second)
				time.Sleep(backoff)
				continue
			}
			return err
		}
		backoff = 0
		go s.ServeConn(nc)
	}
}

// ServeConn serves one connection the caller has (accepted, or an end of net.Pipe) until it ends.
func (s *Server) ServeConn(nc net.Conn) {
	c := &conn{server: s, nc: nc, br: bufio.NewReaderSize(nc, 4096), local: localTextOf(nc.LocalAddr())}
	if !s.track(c) {
		_ = nc.Close()
		return
	}
	c.serve()
}

func (s *Server) isClosing() bool {
	select {
	case <-s.closing:
		return true
	default:
		return false
	}
}

func (s *Server) track(c *conn) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.isClosing() {
		return false
	}
	s.conns[c] = struct{}{}
	return true
}

func (s *Server) forget(c *conn) {
	s.mu.Lock()
	delete(s.conns, c)
	s.mu.Unlock()
}

// Shutdown stops accepting, closes idle connections, lets the requests being served finish (a hanging fault lets go
// at once, as closing the TypeScript twin's server ends it) and waits for them until ctx ends; then it closes the rest.
func (s *Server) Shutdown(ctx context.Context) error {
	s.beginClosing()
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	for {
		if s.closeConns(false) == 0 {
			return nil
		}
		select {
		case <-ctx.Done():
			s.closeConns(true)
			return ctx.Err()
		case <-tick.C:
		}
	}
}

// Close stops accepting and closes every connection at once.
func (s *Server) Close() error {
	s.beginClosing()
	s.closeConns(true)
	return nil
}

func (s *Server) beginClosing() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.isClosing() {
		close(s.closing)
	}
	for ln := range s.listeners {
		_ = ln.Close()
	}
}

// closeConns closes the idle connections (all of them with all) and says how many are left open.
func (s *Server) closeConns(all bool) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	left := 0
	for c := range s.conns {
		if all || !c.busy.Load() {
			_ = c.nc.Close()
			continue
		}
		left++
	}
	return left
}

// conn is one client connection.
type conn struct {
	server *Server
	nc     net.Conn
	br     *bufio.Reader
	local  localText
	// busy is set from a request's first byte to its answer's last (Shutdown waits for those).
	busy atomic.Bool
	// head and line are the reused buffers of request heads, out and body those of answers.
	head, line []byte
	out, body  []byte
}

func (c *conn) serve() {
	defer c.server.forget(c)
	defer c.nc.Close()
	defer func() {
		// A bug in the server must not take the twin down with it: the connection ends, the twin goes on.
		if p := recover(); p != nil {
			fmt.Fprintf(c.server.twin.log, "[twinverse] %s twin: connection from %s ended by an internal error: %v\n", c.server.twin.def.Name, c.nc.RemoteAddr(), p)
		}
	}()
	for c.serveOne() {
	}
}

// serveOne waits for a request, serves it and says whether the connection goes on.
func (c *conn) serveOne() bool {
	if c.br.Buffered() == 0 {
		c.busy.Store(false)
		if c.server.isClosing() {
			return false
		}
		_ = c.nc.SetReadDeadline(time.Now().Add(keepAliveTimeout))
		if _, err := c.br.Peek(1); err != nil {
			return false
		}
	}
	c.busy.Store(true)
	start := time.Now()
	_ = c.nc.SetReadDeadline(start.Add(headersTimeout))
	h, err := c.readHead()
	if err != nil {
		return c.refuse(err)
	}
	if h.method == "CONNECT" {
		// Node hands CONNECT to its 'connect' event; with no listener it closes the connection without a word.
		return false
	}
	t := c.server.twin
	if h.http11() {
		if _, ok := h.headers["host"]; !ok {
			// Node's requireHostHeader (RFC 9112 §3.2): 400 and Connection: close, before any handler runs.
			c.answer(h, &Result{Status: 400, Headers: Headers{}, NoBody: true}, true, "Connection: close")
			return false
		}
		if expect, ok := h.headers["expect"]; ok {
			if !continueExpected(expect) {
				// Node's default for an expectation it cannot meet: 417, and the body is read past.
				if err := c.skipBody(h, start); err != nil {
					return c.refuse(err)
				}
				return c.answer(h, &Result{Status: 417, Headers: Headers{}, NoBody: true}, !h.keepAlive, "")
			}
			if !c.write([]byte("HTTP/1.1 100 Continue\r\n\r\n")) {
				return false
			}
		}
	}
	req := c.request(h)
	if err := c.readBody(h, req, start); err != nil {
		return c.refuse(err)
	}
	res := t.Handle(req)
	if res.Fault != "" {
		return c.fault(res.Fault)
	}
	if req.BodyTooLarge {
		// The rest of the body is not read: the connection closes after the refusal, as the TypeScript transport says.
		c.answer(h, res, true, "connection: close")
		c.drain()
		return false
	}
	if h.upgrade {
		// Node gives an upgrade request no 'upgrade' listener takes to the twin, then reads nothing more on the
		// connection: it stays open until the client ends it.
		if c.answer(h, res, !h.keepAlive, "") {
			c.hold()
		}
		return false
	}
	if c.br.Buffered() > 0 && (!h.keepAlive || !requestPrefix(c.buffered())) {
		// What came with this request after it is not a request Node's parser takes (or comes after a request that
		// ends the connection): the parser fails on it before the twin's answer is written, so Node answers its
		// bare 400 instead, though the twin has served the request.
		return c.refuse(badRequest)
	}
	return c.answer(h, res, !h.keepAlive, "")
}

// continueExpected is Node's test of an Expect header for 100-continue (/(?:^|\W)100-continue(?:$|\W)/i).
func continueExpected(expect string) bool { return hasWord(strings.ToLower(expect), "100-continue") }

// buffered is what the client has sent beyond the request being served.
func (c *conn) buffered() []byte {
	b, _ := c.br.Peek(c.br.Buffered())
	return b
}

// request is the pipeline's request for a head: the target's WHATWG path and query, the headers Node gives, and the
// base URL the twin's links start with (the Host header when it is a valid host, else the address the connection
// came in on).
func (c *conn) request(h *head) *Request {
	t := c.server.twin
	path, query := targetParts(h.target)
	origin, valid := "", false
	if host, ok := h.headers["host"]; ok {
		origin, valid = t.origin(host)
	}
	if !valid {
		shown := c.local.host
		if strings.Contains(shown, ":") {
			shown = "[" + shown + "]"
		}
		origin = "http://" + shown + ":" + c.local.port
	}
	return &Request{Method: h.method, Path: path, RawQuery: query, Headers: h.headers, BaseURL: origin, LocalAddress: c.local.host}
}

// refuse answers a request Node's parser refuses with Node's bare answer, and ends the connection. A connection that
// failed or closed gets nothing.
func (c *conn) refuse(err error) bool {
	if r, ok := err.(refused); ok {
		status := int(r)
		c.write([]byte("HTTP/1.1 " + strconv.Itoa(status) + " " + nodeStatusText(status) + "\r\nConnection: close\r\n\r\n"))
	}
	return false
}

// fault plays a plugin's transport fault: drop closes the connection with no answer (a network error for the
// client); hang leaves it open without a word until the client gives up or the server shuts down.
func (c *conn) fault(kind string) bool {
	if kind == "hang" {
		c.hold()
	}
	return false
}

// drain ends a connection whose request was not read to its end: the server stops writing and reads what the client
// still sends, for a while. Closing with unread bytes would make the kernel reset the connection, and a client still
// sending its body could lose the answer before reading it (Node reads on until the socket is destroyed).
func (c *conn) drain() {
	if half, ok := c.nc.(interface{ CloseWrite() error }); ok {
		_ = half.CloseWrite()
	}
	_ = c.nc.SetReadDeadline(time.Now().Add(drainTimeout))
	_, _ = io.Copy(io.Discard, c.br)
}

// hold keeps the connection open without reading a request or writing a byte, until the client ends it or the
// server shuts down.
func (c *conn) hold() {
	gone := make(chan struct{})
	go func() {
		_ = c.nc.SetReadDeadline(time.Time{})
		_, _ = io.Copy(io.Discard, c.br)
		close(gone)
	}()
	select {
	case <-gone:
	case <-c.server.closing:
	}
}

// write sends bytes with the write deadline; false when the client is gone.
func (c *conn) write(b []byte) bool {
	_ = c.nc.SetWriteDeadline(time.Now().Add(writeTimeout))
	_, err := c.nc.Write(b)
	return err == nil
}
