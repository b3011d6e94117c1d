package httpapi

import (
	"net/http/httptest"
	"net/netip"
	"testing"

	"github.com/brug-chw/brug/internal/config"
)

// X-Forwarded-For is believed only from the configured proxy ranges: not
// from any of the loopback, link-local or private peers Echo trusts by
// default.
func TestForwardedForTrustsOnlyConfiguredProxies(t *testing.T) {
	t.Parallel()
	const forged = "203.0.113.66"
	cfg := &config.Config{TrustedProxies: []netip.Prefix{netip.MustParsePrefix("10.9.9.9/32"), netip.MustParsePrefix("2001:db8:1::/64")}}
	extract := ipExtractor(cfg)
	untrusted := []string{
		"127.0.0.1", "127.8.8.8", "::1", // loopback
		"169.254.10.10", "fe80::1", // link-local
		"10.0.0.1", "10.9.9.10", "172.16.5.5", "172.31.255.1", "192.168.1.20", "fc00::5", "fd12:3456::1", // private
		"198.51.100.7", "2001:db8:2::1", // public
	}
	for _, peer := range untrusted {
		req := httptest.NewRequest("GET", "/", nil)
		req.RemoteAddr = netip.AddrPortFrom(netip.MustParseAddr(peer), 40000).String()
		req.Header.Set("X-Forwarded-For", forged)
		if got := extract(req); got != peer {
			t.Errorf("from untrusted peer %s: address %s, want the peer (the forged header was believed)", peer, got)
		}
	}
	for _, proxy := range []string{"10.9.9.9", "2001:db8:1::7"} {
		req := httptest.NewRequest("GET", "/", nil)
		req.RemoteAddr = netip.AddrPortFrom(netip.MustParseAddr(proxy), 40000).String()
		req.Header.Set("X-Forwarded-For", "198.51.100.23")
		if got := extract(req); got != "198.51.100.23" {
			t.Errorf("through trusted proxy %s: address %s, want the client it forwarded", proxy, got)
		}
		// A client cannot prepend its own entries to get past the proxy:
		// the right-most untrusted address counts.
		req.Header.Set("X-Forwarded-For", forged+", 198.51.100.23")
		if got := extract(req); got != "198.51.100.23" {
			t.Errorf("through trusted proxy %s with a forged prefix: address %s", proxy, got)
		}
		// A private hop between the proxy and Brug is not trusted either.
		req.Header.Set("X-Forwarded-For", forged+", 192.168.0.9")
		if got := extract(req); got != "192.168.0.9" {
			t.Errorf("through trusted proxy %s with a private hop: address %s, want 192.168.0.9", proxy, got)
		}
	}
	// Without trusted proxies the header is never read.
	req := httptest.NewRequest("GET", "/", nil)
	req.RemoteAddr = "127.0.0.1:5000"
	req.Header.Set("X-Forwarded-For", forged)
	if got := ipExtractor(&config.Config{})(req); got != "127.0.0.1" {
		t.Errorf("no trusted proxies: %s", got)
	}
}
