package server

import (
	"fmt"
	"log/slog"
	"net/http"
	"path"
	"slices"
	"strings"
	"time"

	"github.com/go-webauthn/webauthn/webauthn"

	"selfservice/api"
)

// Server serves the Selfservice API from a Store.
type Server struct {
	store     Store
	cfg       Config
	log       *slog.Logger
	rp        *webauthn.WebAuthn // the relying party of FIDO2 security keys
	routes    []route
	mux       *http.ServeMux
	methods   []string      // every method some route uses
	dummyHash string        // checked for unknown users, so they take as long as known ones
	outbox    outboxWorker  // delivers the outbox; see RunOutbox
	limits    *limiter      // of anonymous calls; see limitAnonymous
	hashes    chan struct{} // a slot per password check running; see checkPassword
}

// New returns a server for store; zero Config fields take their defaults.
// It panics when cfg fails Config.Validate, which programs call first to
// report a wrong setting to the user.
func New(store Store, cfg Config) *Server {
	cfg = cfg.withDefaults()
	if cfg.Secrets == nil {
		panic("server.New: Config.Secrets is nil (check the config with Config.Validate first)")
	}
	rp, err := newRelyingParty(cfg)
	if err != nil {
		panic(fmt.Sprintf("server.New: invalid config (check it with Config.Validate first): %v", err))
	}
	s := &Server{
		store:     store,
		cfg:       cfg,
		log:       cfg.Logger,
		rp:        rp,
		mux:       http.NewServeMux(),
		dummyHash: hashPassword("no such user: this hash only spends the same time"),
		limits:    newLimiter(cfg.SourceRate, cfg.AnonymousRate, cfg.SourceBurst),
		hashes:    make(chan struct{}, cfg.MaxHashes),
	}
	s.routes = s.routeTable()
	for _, rt := range s.routes {
		s.mux.Handle(rt.Method+" "+api.BasePath+rt.Path, s.endpoint(rt))
		if !slices.Contains(s.methods, rt.Method) {
			s.methods = append(s.methods, rt.Method)
		}
	}
	s.mux.HandleFunc("GET /reset/{token}", s.serveResetPage)
	s.mux.HandleFunc("POST /reset/{token}", s.serveResetPage)
	s.mux.HandleFunc("GET /activate/{token}", s.serveActivatePage)
	s.mux.HandleFunc("POST /activate/{token}", s.serveActivatePage)
	s.mux.HandleFunc("GET /invite/{token}", s.serveInvitationPage)
	s.mux.HandleFunc("POST /invite/{token}", s.serveInvitationPage)
	// Allow headers list the methods in the usual order, whatever the routes'.
	order := []string{http.MethodGet, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete}
	slices.SortFunc(s.methods, func(a, b string) int { return slices.Index(order, a) - slices.Index(order, b) })
	return s
}

// Handler serves every route under /api/v1, answering unknown routes
// and methods with the error envelope, recovering from panics, and
// logging one line per request.
func (s *Server) Handler() http.Handler {
	return http.HandlerFunc(s.serveLogged)
}

func (s *Server) now() time.Time {
	return s.cfg.Now().UTC()
}

// serveLogged logs each request (method, route pattern, status,
// duration; never the path, which may hold a login id, nor any body) and
// turns a panic into a 500.
func (s *Server) serveLogged(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	rec := &statusRecorder{ResponseWriter: w}
	defer func() {
		if v := recover(); v != nil {
			if v == http.ErrAbortHandler {
				panic(v)
			}
			s.log.ErrorContext(r.Context(), "handler panicked", "method", r.Method, "route", routeOf(r), "panic", v)
			if rec.status == 0 {
				s.writeError(rec, r, errInternal())
			}
		}
		s.log.InfoContext(r.Context(), "request",
			"method", r.Method,
			"route", routeOf(r),
			"status", rec.status,
			"duration", time.Since(start))
	}()
	s.dispatch(rec, r)
}

// dispatch sends a request to its route, or answers 404 or 405.
func (s *Server) dispatch(w http.ResponseWriter, r *http.Request) {
	if !isCanonical(r.URL.Path) {
		// The mux would redirect to the cleaned path, without the error
		// envelope; no API call has such a path.
		s.writeError(w, r, errRouteNotFound())
		return
	}
	if _, pattern := s.mux.Handler(r); pattern != "" {
		s.mux.ServeHTTP(w, r) // sets r.Pattern, which serveLogged logs
		return
	}
	var allow []string
	for _, m := range s.methods {
		probe := &http.Request{Method: m, URL: r.URL, Host: r.Host, Header: http.Header{}}
		if _, pattern := s.mux.Handler(probe); pattern != "" {
			allow = append(allow, m)
		}
	}
	if len(allow) == 0 {
		s.writeError(w, r, errRouteNotFound())
		return
	}
	w.Header().Set("Allow", strings.Join(allow, ", "))
	s.writeError(w, r, errMethodNotAllowed())
}

// isCanonical reports whether p has no empty, "." or ".." segments.
func isCanonical(p string) bool {
	clean := path.Clean(p)
	if strings.HasSuffix(p, "/") && clean != "/" {
		clean += "/"
	}
	return clean == p
}

// routeOf is the route pattern of a request without its method, e.g.
// /api/v1/tokens/{id}, or "-" when no route matched.
func routeOf(r *http.Request) string {
	if r.Pattern == "" {
		return "-"
	}
	_, path, _ := strings.Cut(r.Pattern, " ")
	return path
}

// statusRecorder remembers the status a handler sent.
type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (w *statusRecorder) WriteHeader(status int) {
	if w.status == 0 {
		w.status = status
	}
	w.ResponseWriter.WriteHeader(status)
}

func (w *statusRecorder) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

func (w *statusRecorder) Unwrap() http.ResponseWriter {
	return w.ResponseWriter
}

// RPID is the WebAuthn relying party ID the server uses.
func (s *Server) RPID() string { return s.cfg.RPID }

// RPOrigins are the origins the server accepts in security key answers.
func (s *Server) RPOrigins() []string { return slices.Clone(s.cfg.RPOrigins) }
