package server

import (
	"context"
	"database/sql"
	"strconv"
	"strings"
	"sync"
)

// dbtx is where the store's queries run: the database, or a transaction.
// Queries are written with ? placeholders; the engine's form is made of
// them once (rebind).
type dbtx interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// conn is where a call runs: the transaction of Atomically, or the database.
func (s *SQLStore) conn() dbtx {
	return storeConn{s: s}
}

// storeConn runs the store's queries in its engine's form, prepared once
// when the engine wants that, inside the store's transaction if any.
type storeConn struct {
	s *SQLStore
}

// on is where a query that is not prepared runs.
func (c storeConn) on() dbtx {
	if c.s.tx != nil {
		return c.s.tx
	}
	return c.s.db
}

// stmt is query's prepared statement, bound to the transaction if any.
func (c storeConn) stmt(ctx context.Context, query string) (*sql.Stmt, error) {
	st, err := c.s.stmts.prepared(ctx, query)
	if err != nil || c.s.tx == nil {
		return st, err
	}
	return c.s.tx.StmtContext(ctx, st), nil
}

func (c storeConn) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	query = c.s.engine.rebind(query)
	if !c.s.engine.prepare {
		return c.on().ExecContext(ctx, query, args...)
	}
	st, err := c.stmt(ctx, query)
	if err != nil {
		return nil, err
	}
	return st.ExecContext(ctx, args...)
}

func (c storeConn) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	query = c.s.engine.rebind(query)
	if !c.s.engine.prepare {
		return c.on().QueryContext(ctx, query, args...)
	}
	st, err := c.stmt(ctx, query)
	if err != nil {
		return nil, err
	}
	return st.QueryContext(ctx, args...)
}

func (c storeConn) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	query = c.s.engine.rebind(query)
	if !c.s.engine.prepare {
		return c.on().QueryRowContext(ctx, query, args...)
	}
	st, err := c.stmt(ctx, query)
	if err != nil {
		// A *sql.Row cannot be made with an error; the query run directly
		// reports the same error on Scan.
		return c.on().QueryRowContext(ctx, query, args...)
	}
	return st.QueryRowContext(ctx, args...)
}

// stmtCache prepares each query once per database and keeps it: SQLite
// spends more time parsing a short query than running it. The queries
// are the store's own constant strings, so the cache stays small.
type stmtCache struct {
	db    *sql.DB
	stmts sync.Map // query → *sql.Stmt
}

// prepared returns the statement of query, preparing it the first time.
func (c *stmtCache) prepared(ctx context.Context, query string) (*sql.Stmt, error) {
	if st, ok := c.stmts.Load(query); ok {
		return st.(*sql.Stmt), nil
	}
	st, err := c.db.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	if prev, loaded := c.stmts.LoadOrStore(query, st); loaded {
		st.Close()
		return prev.(*sql.Stmt), nil
	}
	return st, nil
}

// close closes every statement; the database is closed after it.
func (c *stmtCache) close() {
	c.stmts.Range(func(_, st any) bool {
		st.(*sql.Stmt).Close()
		return true
	})
}

// numberedQueries caches the $n form of each query: the store's queries
// are its own constant strings, so it stays small.
var numberedQueries sync.Map // query → numbered query

// rebind writes query in the engine's placeholders: each ? outside a
// quoted string becomes $1, $2, … on an engine that numbers them.
func (e *engine) rebind(query string) string {
	if !e.numbered || !strings.Contains(query, "?") {
		return query
	}
	if q, ok := numberedQueries.Load(query); ok {
		return q.(string)
	}
	var b strings.Builder
	n := 0
	var quote rune // the quote we are inside, or 0
	for _, r := range query {
		switch {
		case quote != 0:
			if r == quote {
				quote = 0
			}
		case r == '\'' || r == '"':
			quote = r
		case r == '?':
			n++
			b.WriteString("$" + strconv.Itoa(n))
			continue
		}
		b.WriteRune(r)
	}
	numberedQueries.Store(query, b.String())
	return b.String()
}
