package cli

import (
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"strings"

	"homthu/internal/app"
)

// proxies is the list of trusted reverse proxies.
type proxies = []netip.Prefix

func parseProxies(s string) (proxies, error) {
	var out proxies
	for _, f := range strings.Split(s, ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		if !strings.Contains(f, "/") {
			a, err := netip.ParseAddr(f)
			if err != nil {
				return nil, fmt.Errorf("--trusted-proxies: %q không phải địa chỉ IP hoặc CIDR", f)
			}
			f = netip.PrefixFrom(a, a.BitLen()).String()
		}
		p, err := netip.ParsePrefix(f)
		if err != nil {
			return nil, fmt.Errorf("--trusted-proxies: %q không phải địa chỉ IP hoặc CIDR", f)
		}
		out = append(out, p.Masked())
	}
	return out, nil
}

func trusted(ps proxies, a netip.Addr) bool {
	for _, p := range ps {
		if p.Contains(a.Unmap()) {
			return true
		}
	}
	return false
}

// client returns the client's address: the peer, or — when the peer is a
// trusted proxy — the right-most X-Forwarded-For hop that is not itself a
// trusted proxy. It also reports whether the client reached us over TLS.
func clientAddr(ps proxies, r *http.Request) (string, bool) {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	addr, err := netip.ParseAddr(host)
	if err != nil {
		return host, r.TLS != nil
	}
	if !trusted(ps, addr) {
		return addr.Unmap().String(), r.TLS != nil
	}
	tls := r.TLS != nil || strings.EqualFold(strings.TrimSpace(r.Header.Get("X-Forwarded-Proto")), "https")
	hops := strings.Split(strings.Join(r.Header.Values("X-Forwarded-For"), ","), ",")
	for i := len(hops) - 1; i >= 0; i-- {
		a, err := netip.ParseAddr(strings.TrimSpace(hops[i]))
		if err != nil {
			break
		}
		if !trusted(ps, a) {
			return a.Unmap().String(), tls
		}
		addr = a
	}
	return addr.Unmap().String(), tls
}

// withClient puts the client address in the request context, for the rate
// limits (it is never logged or stored), and sends HSTS when the client
// came over TLS, directly or through a trusted proxy.
func withClient(ps proxies, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		addr, tls := clientAddr(ps, r)
		if tls {
			w.Header().Set("Strict-Transport-Security", "max-age=31536000")
		}
		next.ServeHTTP(w, r.WithContext(app.WithClient(r.Context(), addr)))
	})
}
