package goengine

import (
	"bufio"
	"io"
	"net"
	"strings"
	"testing"
)

func TestHeadersReadAsNodeReadsThem(t *testing.T) {
	h, err := readHeadOf("GET /v1/items HTTP/1.1\r\nHost: api.example.test\r\n" +
		"Authorization: SSWS first\r\nAuthorization: SSWS second\r\n" +
		"Content-Type: application/json\r\nContent-Type: text/plain\r\n" +
		"User-Agent: caf\xe9/1\r\nUser-Agent: other\r\n" +
		"Cookie: a=1\r\nCookie: b=2\r\n" +
		"Accept: text/plain\r\nAccept: application/json\r\n" +
		"X-Space: token\xa0\r\nX-Utf8: \xc2\xa0\r\nX-Tabs:\t padded \t\r\n\r\n")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"authorization": "SSWS first",
		"content-type":  "application/json",
		"user-agent":    "café/1",
		"cookie":        "a=1; b=2",
		"accept":        "text/plain, application/json",
		"x-space":       "token\u00a0",
		"x-utf8":        "\u00c2\u00a0",
		"x-tabs":        "padded",
		"host":          "api.example.test",
	}
	if len(h.headers) != len(want) {
		t.Errorf("headers %q", h.headers)
	}
	for name, value := range want {
		if got := h.headers[name]; got != value {
			t.Errorf("%s: %q, want %q", name, got, value)
		}
	}
}

// readHeadOf reads a request head from text as the server reads it from a connection.
func readHeadOf(text string) (*head, error) {
	c := &conn{br: bufio.NewReader(strings.NewReader(text))}
	return c.readHead()
}

// rawExchange sends bytes on a new connection and reads everything the server answers until it closes.
func rawExchange(t *testing.T, server *testServer, text string) string {
	t.Helper()
	conn, err := net.Dial("tcp", server.addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := io.WriteString(conn, text); err != nil {
		t.Fatal(err)
	}
	answer, _ := io.ReadAll(bufio.NewReader(conn))
	return string(answer)
}

func TestRequestsNodeCannotParseAreRefusedAsNodeRefusesThem(t *testing.T) {
	_, server := newTestTwin(t, Options{})
	const bare400 = "HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n"
	const bare431 = "HTTP/1.1 431 Request Header Fields Too Large\r\nConnection: close\r\n\r\n"
	target := "/v1/items/it1"
	// Node counts the target and each header's name and value against its 16 KiB: Host and X-Pad here.
	pad := func(size int) string {
		return strings.Repeat("p", size-len(target)-len("Host")-len("api.example.test")-len("X-Pad"))
	}
	cases := map[string]struct{ request, answer string }{
		"a lower-case method":              {"get /v1/items/it1 HTTP/1.1\r\nHost: api.example.test\r\n\r\n", bare400},
		"a method Node does not know":      {"FETCH /v1/items/it1 HTTP/1.1\r\nHost: api.example.test\r\n\r\n", bare400},
		"a raw non-ASCII byte in the path": {"GET /v1/items/\xc3\xa9 HTTP/1.1\r\nHost: api.example.test\r\n\r\n", bare400},
		"a malformed chunk":                {"POST /v1/items HTTP/1.1\r\nHost: api.example.test\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n9\r\n{\"name\":\"x\r\n13\r\n\"}\r\n0\r\n\r\n", bare400},
		"a header block of Node's limit":   {"GET " + target + " HTTP/1.1\r\nHost: api.example.test\r\nX-Pad: " + pad(16384) + "\r\n\r\n", bare431},
	}
	for name, c := range cases {
		if got := rawExchange(t, server, c.request); got != c.answer {
			t.Errorf("%s: answered %q, want %q", name, got, c.answer)
		}
	}
	below := rawExchange(t, server, "GET "+target+" HTTP/1.1\r\nHost: api.example.test\r\nX-Pad: "+pad(16383-len("Connection")-len("close"))+"\r\nConnection: close\r\n\r\n")
	if !strings.HasPrefix(below, "HTTP/1.1 200 OK\r\n") {
		t.Errorf("a header block a byte under Node's limit: %q", below[:min(len(below), 80)])
	}
	// None of the refused requests reached the twin: the journal holds the one served.
	if got := send(t, server, "GET", "/__twin/requests", ""); strings.Count(got.body, `"seq"`) != 1 {
		t.Fatalf("journal %s", got.body)
	}
}

func TestBodiesAndQueriesDecodeAsTheWHATWGDecoder(t *testing.T) {
	cases := map[string]string{
		"bad\xe2\x82":                  "bad\ufffd",
		"bad\xe2\x82\"":                "bad\ufffd\"",
		"\xf0\x9f\x8e\x89\xed\xa0\x80": "🎉\ufffd\ufffd\ufffd",
		"\xf0\x9f\x8e":                 "\ufffd",
		"\xf4\x90\x80\x80":             "\ufffd\ufffd\ufffd\ufffd",
		"\xc0\xaf":                     "\ufffd\ufffd",
		"\xe0\x80\x80":                 "\ufffd\ufffd\ufffd",
		"ok \xf1\x80\x80x":             "ok \ufffdx",
		"valid é 🎉":                    "valid é 🎉",
	}
	for in, want := range cases {
		if got := decodeUTF8(in); got != want {
			t.Errorf("decodeUTF8(%q) = %q, want %q", in, got, want)
		}
	}
	if got, _ := ParseSearch("q=%F0%9F%8E%89%ED%A0%80").Get("q"); got != "🎉\ufffd\ufffd\ufffd" {
		t.Errorf("query value %q", got)
	}
	_, server := newTestTwin(t, Options{})
	expect(t, send(t, server, "POST", "/v1/items", "{\"name\":\"bad\xe2\x82\"}"), 200, "{\"id\":\"itU6W5A\",\"name\":\"bad\ufffd\"}")
	if got := send(t, server, "GET", "/__twin/requests", ""); !strings.Contains(got.body, "\"requestBody\":\"{\\\"name\\\":\\\"bad\ufffd\\\"}\"") {
		t.Fatalf("journal %s", got.body)
	}
}

func TestLoneSurrogatesSurviveAsInJavaScript(t *testing.T) {
	v, err := Parse([]byte(`["\ud800lonely","\udfff","\ud83c\udf89","\ud800\u0041"]`), 4)
	if err != nil {
		t.Fatal(err)
	}
	if got := string(Marshal(v)); got != `["\ud800lonely","\udfff","🎉","\ud800A"]` {
		t.Fatalf("written back as %s", got)
	}
	items := v.([]any)
	if n := CodePoints(items[0].(string)); n != 7 {
		t.Fatalf("a lone surrogate and six letters are %d code points", n)
	}
	// A high surrogate and a low one put together make the character they encode, as in a JavaScript string.
	joined := items[0].(string)[:3] + items[1].(string)
	if got := string(Marshal(joined)); got != `"`+"\U000103ff"+`"` {
		t.Fatalf("a joined pair is written %s", got)
	}
	if n := CodePoints(joined); n != 1 {
		t.Fatalf("a joined pair is %d code points", n)
	}
	_, server := newTestTwin(t, Options{})
	expect(t, send(t, server, "POST", "/v1/items", `{"name":"\ud800lonely"}`), 200, `{"id":"itU6W5A","name":"\ud800lonely"}`)
	if got := send(t, server, "GET", "/__twin/state", ""); !strings.Contains(got.body, `"name":"\ud800lonely"`) {
		t.Fatalf("state %s", got.body)
	}
}

func TestQueryNumbersCoerceAsAjvDoes(t *testing.T) {
	_, server := newTestTwin(t, Options{})
	for _, limit := range []string{"%205", "5%20", "0x5", "0b101", "0o5", "%2B5", "5e0", "5.", "%C2%A05"} {
		got := send(t, server, "GET", "/v1/items?limit="+limit, "")
		expect(t, got, 200, "")
	}
	expect(t, send(t, server, "GET", "/v1/items?limit=%09%0A", ""), 400, `{"error":"invalid_request","causes":["query limit: must be >= 1"]}`)
	for _, limit := range []string{"1_0", "-0x5", "0x", "infinity", "1.5", "NaN", ""} {
		expect(t, send(t, server, "GET", "/v1/items?limit="+limit, ""), 400, `{"error":"invalid_request","causes":["query limit: must be integer"]}`)
	}
}
