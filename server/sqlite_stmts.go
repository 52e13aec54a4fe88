package server

import (
	"context"
	"database/sql"
	"sync"
)

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

// cachedConn runs queries through the cache, inside tx when it is set.
type cachedConn struct {
	cache *stmtCache
	tx    *sql.Tx
}

// stmt is query's prepared statement, bound to the transaction if any.
func (c cachedConn) stmt(ctx context.Context, query string) (*sql.Stmt, error) {
	st, err := c.cache.prepared(ctx, query)
	if err != nil || c.tx == nil {
		return st, err
	}
	return c.tx.StmtContext(ctx, st), nil
}

func (c cachedConn) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	st, err := c.stmt(ctx, query)
	if err != nil {
		return nil, err
	}
	return st.ExecContext(ctx, args...)
}

func (c cachedConn) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	st, err := c.stmt(ctx, query)
	if err != nil {
		return nil, err
	}
	return st.QueryContext(ctx, args...)
}

func (c cachedConn) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	st, err := c.stmt(ctx, query)
	if err != nil {
		// A *sql.Row cannot be made with an error; the query through the
		// database reports the same error on Scan.
		if c.tx != nil {
			return c.tx.QueryRowContext(ctx, query, args...)
		}
		return c.cache.db.QueryRowContext(ctx, query, args...)
	}
	return st.QueryRowContext(ctx, args...)
}
