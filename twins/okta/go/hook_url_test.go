package main

import "testing"

// The hrefs Node's URL gives for these addresses (the TypeScript twin stores a hook's URI as new URL(uri).href).
func TestHookURLReadsAddressesAsTheURLStandard(t *testing.T) {
	cases := []struct{ in, href, hostname string }{
		{"https://example.com/a b", "https://example.com/a%20b", "example.com"},
		{"https://EXAMPLE.com", "https://example.com/", "example.com"},
		{"https://example.com:8443/x?y=1#z", "https://example.com:8443/x?y=1#z", "example.com"},
		{"https://user:pw@example.com", "https://user:pw@example.com/", "example.com"},
		{"http://[::1]:1234/x", "http://[::1]:1234/x", "[::1]"},
		{"https://例え.jp/", "https://xn--r8jz45g.jp/", "xn--r8jz45g.jp"},
		{" https://example.com ", "https://example.com/", "example.com"},
		{"https:example.com", "https://example.com/", "example.com"},
		{"https://example.com/%zz", "https://example.com/%zz", "example.com"},
		{"https://example.com/ä?q=ü", "https://example.com/%C3%A4?q=%C3%BC", "example.com"},
		{"http://127.1:80/", "http://127.0.0.1/", "127.0.0.1"},
		{"HTTP://LOCALHOST:80", "http://localhost/", "localhost"},
		{`https://example.com\path`, "https://example.com/path", "example.com"},
		{"https://bücher.de/a/./b/../c", "https://xn--bcher-kva.de/a/c", "xn--bcher-kva.de"},
		{"https://0x7f.1/", "https://127.0.0.1/", "127.0.0.1"},
		{"https://münchen.de:0443/", "https://xn--mnchen-3ya.de/", "xn--mnchen-3ya.de"},
	}
	for _, c := range cases {
		if href, _, hostname, valid := hookURL(c.in); !valid || href != c.href || hostname != c.hostname {
			t.Errorf("%q: %q %q %v, want %q %q", c.in, href, hostname, valid, c.href, c.hostname)
		}
	}
	for _, bad := range []string{"https://", "https://exa mple.com", "nowhere", "https://[::1", "https://example.com:99999/", "https://256.0.0.1.2.3/"} {
		if _, _, _, valid := hookURL(bad); valid {
			t.Errorf("%q is not a URL", bad)
		}
	}
}
