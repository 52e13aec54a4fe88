package client

import (
	"crypto/tls"
	"crypto/x509"
	"net/http"
	"net/url"
	"os"

	"selfservice/api"
)

// newHTTPClient builds the HTTP client under resty: the system's trusted
// CAs plus those of caBundle (a PEM file, optional), TLS 1.2 or newer,
// the proxy at proxy (else the environment's), and no redirects (an API
// answer never redirects; following one could send the session token
// elsewhere).
func newHTTPClient(caBundle, proxy string) (*http.Client, error) {
	tlsConfig := &tls.Config{MinVersion: tls.VersionTLS12}
	if caBundle != "" {
		pool, err := certPool(caBundle)
		if err != nil {
			return nil, err
		}
		tlsConfig.RootCAs = pool
	}

	transport := http.DefaultTransport.(*http.Transport).Clone()
	transport.TLSClientConfig = tlsConfig
	if proxy != "" {
		u, err := ParseProxyURL(proxy)
		if err != nil {
			return nil, err
		}
		transport.Proxy = http.ProxyURL(u)
	}
	return &http.Client{
		Transport: transport,
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		},
	}, nil
}

// certPool returns the system's trusted CAs plus the certificates of the
// PEM file at path.
func certPool(path string) (*x509.CertPool, error) {
	pem, err := os.ReadFile(path)
	if err != nil {
		return nil, &api.Error{
			Code:    api.CodeInvalidRequest,
			Message: "The CA bundle " + path + " cannot be read. Check the file name in the settings, or ask IT for the file.",
			Cause:   err,
		}
	}
	pool, err := x509.SystemCertPool()
	if err != nil {
		pool = x509.NewCertPool()
	}
	if !pool.AppendCertsFromPEM(pem) {
		return nil, &api.Error{
			Code:    api.CodeInvalidRequest,
			Message: "The CA bundle " + path + " contains no PEM certificates. Ask IT for the right file.",
		}
	}
	return pool, nil
}

// ParseProxyURL checks a proxy address: http://, https:// or socks5://
// with a host (and usually a port). It fails with an invalid_request
// *api.Error saying what is wrong, which never repeats a password the
// address holds.
func ParseProxyURL(proxy string) (*url.URL, error) {
	u, err := url.Parse(proxy)
	if err != nil || u.Host == "" || u.Hostname() == "" {
		return nil, &api.Error{
			Code:    api.CodeInvalidRequest,
			Message: "The proxy address cannot be used. Write it as http://proxy.example.com:3128.",
		}
	}
	switch u.Scheme {
	case "http", "https", "socks5", "socks5h":
		return u, nil
	}
	return nil, &api.Error{
		Code:    api.CodeInvalidRequest,
		Message: "The proxy address " + u.Redacted() + " must start with http://, https:// or socks5://.",
	}
}
