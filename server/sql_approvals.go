package server

import (
	"context"

	"selfservice/api"
)

// UsersWithRole implements Store.
func (s *SQLStore) UsersWithRole(ctx context.Context, role string) ([]UserRecord, error) {
	return s.queryUsers(ctx, `SELECT `+userColumns+` FROM users WHERE role = ? ORDER BY username`, role)
}

// queryUsers runs a query for rows of userColumns.
func (s *SQLStore) queryUsers(ctx context.Context, query string, args ...any) ([]UserRecord, error) {
	rows, err := s.conn().QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []UserRecord
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

// SetApprovalPolicy implements Store.
func (s *SQLStore) SetApprovalPolicy(ctx context.Context, p ApprovalPolicyRecord) error {
	return s.inTx(ctx, func(tx dbtx) error {
		// Deleting the old policy deletes its approvers too (ON DELETE CASCADE).
		_, err := tx.ExecContext(ctx, `DELETE FROM approval_policies WHERE operation = ? AND template_id = ?`, p.Operation, p.TemplateID)
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO approval_policies (operation, template_id, mode, approver_group, required)
			VALUES (?, ?, ?, ?, ?)`, p.Operation, p.TemplateID, p.Mode, p.Group, p.Required)
		if err != nil {
			return err
		}
		for _, id := range p.ApproverIDs {
			_, err := tx.ExecContext(ctx, `INSERT INTO approval_policy_approvers (operation, template_id, user_id) VALUES (?, ?, ?)`,
				p.Operation, p.TemplateID, id)
			if err != nil {
				return err
			}
		}
		return nil
	})
}

// ApprovalPolicy implements Store.
func (s *SQLStore) ApprovalPolicy(ctx context.Context, op api.Operation, templateID string) (ApprovalPolicyRecord, error) {
	p := ApprovalPolicyRecord{Operation: op, TemplateID: templateID}
	err := s.conn().QueryRowContext(ctx, `SELECT mode, approver_group, required FROM approval_policies
		WHERE operation = ? AND template_id = ?`, op, templateID).Scan(&p.Mode, &p.Group, &p.Required)
	if err != nil {
		return ApprovalPolicyRecord{}, notFound(err)
	}
	p.ApproverIDs, err = s.queryStrings(ctx, `SELECT user_id FROM approval_policy_approvers
		WHERE operation = ? AND template_id = ? ORDER BY user_id`, op, templateID)
	return p, err
}

// ApprovalPolicies implements Store.
func (s *SQLStore) ApprovalPolicies(ctx context.Context) ([]ApprovalPolicyRecord, error) {
	rows, err := s.conn().QueryContext(ctx, `SELECT operation, template_id FROM approval_policies ORDER BY operation, template_id`)
	if err != nil {
		return nil, err
	}
	type key struct {
		op       api.Operation
		template string
	}
	var keys []key
	for rows.Next() {
		var k key
		if err := rows.Scan(&k.op, &k.template); err != nil {
			rows.Close()
			return nil, err
		}
		keys = append(keys, k)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	var out []ApprovalPolicyRecord
	for _, k := range keys {
		p, err := s.ApprovalPolicy(ctx, k.op, k.template)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, nil
}

// queryStrings runs a query of one text column.
func (s *SQLStore) queryStrings(ctx context.Context, query string, args ...any) ([]string, error) {
	rows, err := s.conn().QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var v string
		if err := rows.Scan(&v); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

const approvalColumns = `id_hash, user_id, operation, target, params_hash, status, token_id, failures, created_at, expires_at`

func scanApproval(row scanner) (ApprovalRecord, error) {
	var a ApprovalRecord
	var created, expires int64
	err := row.Scan(&a.IDHash, &a.UserID, &a.Operation, &a.Target, &a.ParamsHash, &a.Status, &a.TokenID, &a.Failures,
		&created, &expires)
	a.CreatedAt, a.ExpiresAt = fromMillis(created), fromMillis(expires)
	return a, notFound(err)
}

// CreateApproval implements Store.
func (s *SQLStore) CreateApproval(ctx context.Context, a ApprovalRecord) error {
	_, err := s.conn().ExecContext(ctx, `INSERT INTO approvals (`+approvalColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		a.IDHash, a.UserID, a.Operation, a.Target, a.ParamsHash, a.Status, a.TokenID, a.Failures,
		toMillis(a.CreatedAt), toMillis(a.ExpiresAt))
	return err
}

// Approval implements Store.
func (s *SQLStore) Approval(ctx context.Context, idHash string) (ApprovalRecord, error) {
	return scanApproval(s.conn().QueryRowContext(ctx, `SELECT `+approvalColumns+` FROM approvals WHERE id_hash = ?`, idHash))
}

// UpdateApproval implements Store.
func (s *SQLStore) UpdateApproval(ctx context.Context, idHash string, change func(a *ApprovalRecord) error) (ApprovalRecord, error) {
	var a ApprovalRecord
	err := s.inTx(ctx, func(tx dbtx) error {
		var err error
		a, err = scanApproval(tx.QueryRowContext(ctx, `SELECT `+approvalColumns+` FROM approvals WHERE id_hash = ?`, idHash))
		if err != nil {
			return err
		}
		if err := change(&a); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE approvals SET status = ?, token_id = ?, failures = ? WHERE id_hash = ?`,
			a.Status, a.TokenID, a.Failures, idHash)
		return err
	})
	return a, err
}
