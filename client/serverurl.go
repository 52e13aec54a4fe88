package client

import (
	"net"
	"net/url"
	"strings"

	"selfservice/api"
)

// serverAddress is a checked server URL.
type serverAddress struct {
	origin  string // scheme://host[:port], shown in messages
	apiRoot string // origin + optional path prefix + api.BasePath
}

// parseServerURL checks a server address typed by a user or set by IT:
// absolute http(s), no credentials, query or fragment; http:// only for
// loopback hosts. A trailing slash and a trailing api.BasePath are
// tolerated.
func parseServerURL(raw string) (serverAddress, error) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return serverAddress{}, urlError(api.CodeInvalidRequest, "Enter the server address, for example https://selfservice.example.com.")
	}
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || u.Hostname() == "" || u.Opaque != "" {
		return serverAddress{}, urlError(api.CodeInvalidRequest, "The server address is not valid. Enter it as https://host, for example https://selfservice.example.com.")
	}
	switch {
	case u.Scheme != "http" && u.Scheme != "https":
		return serverAddress{}, urlError(api.CodeInvalidRequest, "The server address must start with https://.")
	case u.User != nil:
		return serverAddress{}, urlError(api.CodeInvalidRequest, "Remove the user name and password from the server address; you sign in on the next fields.")
	case u.RawQuery != "" || u.ForceQuery || u.Fragment != "" || strings.Contains(raw, "#"):
		return serverAddress{}, urlError(api.CodeInvalidRequest, "Remove everything after '?' or '#' from the server address.")
	case u.Scheme == "http" && !isLoopback(u.Hostname()):
		return serverAddress{}, urlError(api.CodeInsecureURL, "The server address must start with https:// so that your password and session stay private. Use https://"+u.Host+".")
	}

	origin := u.Scheme + "://" + u.Host
	prefix := strings.TrimRight(u.EscapedPath(), "/")
	prefix = strings.TrimSuffix(prefix, api.BasePath)
	return serverAddress{origin: origin, apiRoot: origin + prefix + api.BasePath}, nil
}

// isLoopback reports whether host names this computer: "localhost",
// 127.0.0.0/8 or ::1.
func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func urlError(code, msg string) *api.Error {
	return &api.Error{
		Code:    code,
		Message: msg,
		Details: map[string]any{"fields": map[string]string{"server_url": msg}},
	}
}
