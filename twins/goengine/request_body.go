package goengine

import (
	"bytes"
	"io"
	"time"
	"unsafe"
)

// Reading a request's body as llhttp frames it and the TypeScript transport reads it: a Content-Length's bytes, or
// chunks; nothing without either (RFC 9112 §6.3). A body over the twin's limit is not read past the limit: the twin
// refuses it and the connection closes.

// nodeMaxChunkExtensions is how many bytes of chunk extensions Node takes in one request (413 past it).
const nodeMaxChunkExtensions = 16 * 1024

// readBody reads the body the head announces into the request.
func (c *conn) readBody(h *head, req *Request, start time.Time) error {
	limit := c.server.twin.bodyLimit
	switch {
	case h.chunked:
		_ = c.nc.SetReadDeadline(start.Add(requestTimeout))
		data, tooLarge, err := c.readChunks(limit, true)
		if err != nil {
			return err
		}
		req.BodyTooLarge = tooLarge
		if !tooLarge && len(data) > 0 {
			req.Body, req.HasBody = decodeUTF8(unsafe.String(&data[0], len(data))), true
		}
	case h.length > limit:
		req.BodyTooLarge = true
	case h.length > 0:
		_ = c.nc.SetReadDeadline(start.Add(requestTimeout))
		data, err := readFull(c.br, h.length)
		if err != nil {
			return endedInside(err)
		}
		// data is the body's alone and never written again: the string shares it.
		req.Body, req.HasBody = decodeUTF8(unsafe.String(&data[0], len(data))), true
	}
	return nil
}

// upFront is the most of a body read into a buffer of its declared size: a longer one grows its buffer as its bytes
// arrive, so a length a client declares and does not send costs no memory.
const upFront = 64 * 1024

// readFull reads n bytes of a body.
func readFull(r io.Reader, n int64) ([]byte, error) {
	if n <= upFront {
		data := make([]byte, n)
		_, err := io.ReadFull(r, data)
		return data, err
	}
	var b bytes.Buffer
	b.Grow(upFront)
	if _, err := io.CopyN(&b, r, n); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// skipBody reads past the body the head announces (Node reads past the body of a request it answered without it).
func (c *conn) skipBody(h *head, start time.Time) error {
	_ = c.nc.SetReadDeadline(start.Add(requestTimeout))
	if h.chunked {
		_, _, err := c.readChunks(-1, false)
		return err
	}
	if h.length > 0 {
		if _, err := io.CopyN(io.Discard, c.br, h.length); err != nil {
			return endedInside(err)
		}
	}
	return nil
}

// readChunks reads a chunked body as llhttp's strict parser does: a size in hexadecimal, optional extensions
// (`;name` or `;name=value`, a value a token or a quoted string), CRLF, the data, CRLF; a size of 0 ends it, then
// trailer lines up to an empty one. keep keeps the data, up to limit bytes (a negative limit is none): past it,
// tooLarge, and nothing more is read.
func (c *conn) readChunks(limit int64, keep bool) (data []byte, tooLarge bool, err error) {
	extensions := 0
	var body bytes.Buffer
	for {
		line, err := c.readLine(0)
		if err != nil {
			return nil, false, insideBody(err)
		}
		size, ext, ok := chunkSize(line[:len(line)-2])
		if !ok {
			return nil, false, badRequest
		}
		if extensions += ext; extensions > nodeMaxChunkExtensions {
			return nil, false, extensionsTooLong
		}
		if size == 0 {
			return body.Bytes(), false, c.readTrailers()
		}
		if limit >= 0 && uint64(body.Len())+size > uint64(limit) {
			return nil, true, nil
		}
		// The data goes where it is kept as it arrives: a size a client declares and does not send costs nothing.
		into := io.Discard
		if keep {
			into = &body
		}
		if _, err := io.CopyN(into, c.br, int64(size)); err != nil {
			return nil, false, endedInside(err)
		}
		if err := c.expectCRLF(); err != nil {
			return nil, false, err
		}
	}
}

// chunkSize reads a chunk-size line (without its CRLF): the size, and how many bytes of extensions follow it.
func chunkSize(line []byte) (size uint64, extensions int, ok bool) {
	i := 0
	for ; i < len(line); i++ {
		d, isHex := hexDigit(line[i])
		if !isHex {
			break
		}
		if size > (1<<64-1)>>4 {
			return 0, 0, false
		}
		size = size<<4 | uint64(d)
	}
	if i == 0 {
		return 0, 0, false
	}
	rest := line[i:]
	if len(rest) > 0 && !chunkExtensions(rest) {
		return 0, 0, false
	}
	return size, len(rest), true
}

// chunkExtensions checks `;name[=value]...` (value a token or a quoted string), with white space around the parts.
func chunkExtensions(s []byte) bool {
	for len(s) > 0 {
		s = trimWhite(s)
		if len(s) == 0 || s[0] != ';' {
			return false
		}
		s = trimWhite(s[1:])
		n := 0
		for n < len(s) && tokenByte(s[n]) {
			n++
		}
		if n == 0 {
			return false
		}
		s = trimWhite(s[n:])
		if len(s) == 0 || s[0] != '=' {
			continue
		}
		s = trimWhite(s[1:])
		if len(s) > 0 && s[0] == '"' {
			end := quotedEnd(s)
			if end < 0 {
				return false
			}
			s = s[end:]
			continue
		}
		n = 0
		for n < len(s) && tokenByte(s[n]) {
			n++
		}
		if n == 0 {
			return false
		}
		s = s[n:]
	}
	return true
}

// quotedEnd is the length of the quoted string s starts with (its closing quote included), or -1.
func quotedEnd(s []byte) int {
	for i := 1; i < len(s); i++ {
		switch s[i] {
		case '"':
			return i + 1
		case '\\':
			i++
		}
	}
	return -1
}

func hexDigit(c byte) (byte, bool) {
	switch {
	case c >= '0' && c <= '9':
		return c - '0', true
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10, true
	case c >= 'A' && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

// readTrailers reads the trailer lines after the last chunk, each checked as a header line and counted against
// Node's header limit afresh, up to the empty one.
func (c *conn) readTrailers() error {
	used, counted := 0, 0
	for {
		line, err := c.readLine(used)
		if err != nil {
			return insideBody(err)
		}
		if len(line) == 2 {
			return nil
		}
		n, err := checkHeaderLine(line[:len(line)-2])
		if err != nil {
			return err
		}
		if counted += n; counted >= nodeMaxHeaderSize {
			return headerTooLong
		}
		used += len(line)
	}
}

// expectCRLF reads the CRLF that ends a chunk's data.
func (c *conn) expectCRLF() error {
	for _, want := range []byte("\r\n") {
		got, err := c.br.ReadByte()
		if err != nil {
			return endedInside(err)
		}
		if got != want {
			return badRequest
		}
	}
	return nil
}

// insideBody is a line's read error inside a body: a connection that ends there ends inside the request.
func insideBody(err error) error {
	if err == errClosed {
		return badRequest
	}
	return err
}
