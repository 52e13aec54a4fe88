package client

import (
	"crypto/tls"
	"crypto/x509"
	"net/http"
	"os"

	"selfservice/api"
)

// newHTTPClient builds the HTTP client under resty: the system's trusted
// CAs plus those of caBundle (a PEM file, optional), TLS 1.2 or newer,
// the proxy from the environment, and no redirects (an API answer never
// redirects; following one could send the session token elsewhere).
func newHTTPClient(caBundle string) (*http.Client, error) {
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
