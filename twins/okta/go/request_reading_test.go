package main

import (
	"io"
	"net/http"
	"strings"
	"testing"
)

// rawAuthorization sends GET /api/v1/users?limit=1 with the Authorization header lines given, as their bytes.
func (c *client) rawAuthorization(values ...string) int {
	c.t.Helper()
	req, _ := http.NewRequest("GET", c.server.URL+"/api/v1/users?limit=1", nil)
	req.Host = host
	req.Header["Authorization"] = values
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer res.Body.Close()
	_, _ = io.ReadAll(res.Body)
	return res.StatusCode
}

func TestAuthorizationIsReadAsNodeReadsIt(t *testing.T) {
	c := newClient(t)
	cases := []struct {
		name   string
		values []string
		status int
	}{
		{"the first of two Authorization headers counts", []string{"SSWS twin-okta-token", "SSWS other"}, 200},
		{"the second is discarded", []string{"SSWS other", "SSWS twin-okta-token"}, 401},
		// Byte A0 is U+00A0 in Latin-1, white space that trimming removes.
		{"a trailing byte A0 is a no-break space", []string{"SSWS twin-okta-token\xa0"}, 200},
		// Bytes C2 A0 are two characters, Â and a no-break space: Â stays in the token.
		{"bytes C2 A0 are two Latin-1 characters", []string{"SSWS twin-okta-token\xc2\xa0"}, 401},
	}
	for _, tc := range cases {
		if got := c.rawAuthorization(tc.values...); got != tc.status {
			t.Errorf("%s: %d, want %d", tc.name, got, tc.status)
		}
	}
}

func TestProfileNumbersAreJavaScriptNumbers(t *testing.T) {
	c := newClient(t)
	schema := map[string]any{"definitions": map[string]any{"custom": map[string]any{"id": "#custom", "type": "object", "required": []any{}, "properties": map[string]any{
		"num": map[string]any{"title": "n", "type": "number"},
		"int": map[string]any{"title": "i", "type": "integer"},
	}}}}
	if r := c.do("POST", "/api/v1/meta/schemas/user/default", schema); r.status != 200 {
		t.Fatalf("schema: %d %s", r.status, r.text)
	}
	created := c.do("POST", "/api/v1/users?activate=false", `{"profile":{"firstName":"N","lastName":"N","email":"a@example.com","login":"a@example.com","int":12345678901234567890}}`)
	if created.status != 200 || !strings.Contains(created.text, `"int":12345678901234567000`) {
		t.Fatalf("an integer beyond int64 is a JavaScript number: %d %s", created.status, created.text)
	}
	refused := c.expectError(c.do("POST", "/api/v1/users?activate=false", `{"profile":{"firstName":"N","lastName":"N","email":"b@example.com","login":"b@example.com","num":1e400}}`), 400, "E0000001")
	causes, _ := refused["errorCauses"].([]any)
	if len(causes) != 1 || causes[0].(map[string]any)["errorSummary"] != "Invalid value data type for property 'num'" {
		t.Fatalf("1e400 is Infinity, not a number a profile takes: %v", refused)
	}
}

func TestLimitCoercesAsAjvDoes(t *testing.T) {
	c := newClient(t)
	for _, limit := range []string{"%205", "0x10", "0b11", "0o7"} {
		if r := c.do("GET", "/api/v1/groups?limit="+limit, nil); r.status != 200 {
			t.Errorf("limit=%s: %d %s", limit, r.status, r.text)
		}
	}
	for _, tc := range []struct{ limit, summary string }{
		{"Infinity", `Api validation failed: limit: must match format "int32"`},
		{"1e309", `Api validation failed: limit: must match format "int32"`},
		{"%09%0A", "Api validation failed: limit: must be >= 1"},
		{"1_0", "Api validation failed: limit: must be integer"},
	} {
		got := c.expectError(c.do("GET", "/api/v1/groups?limit="+tc.limit, nil), 400, "E0000001")
		if got["errorSummary"] != tc.summary {
			t.Errorf("limit=%s: %v, want %s", tc.limit, got["errorSummary"], tc.summary)
		}
	}
}
