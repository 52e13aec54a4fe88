package server

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"selfservice/api"
)

// The admin's side of hardware tokens: importing their seeds from a CSV
// file and taking a device back from its holder.

// ErrNotAssigned is returned when unassigning a device nobody holds.
var ErrNotAssigned = errors.New("not assigned")

// minHardwareSecret is the shortest secret accepted, in bytes: 128 bits,
// the minimum of RFC 4226.
const minHardwareSecret = 16

// defaultHardwarePeriod is the time step of a TOTP device whose period
// the file leaves out.
const defaultHardwarePeriod = 30

// hardwareColumns are the columns of an import file; period is optional.
var hardwareColumns = []string{"serial", "secret", "type", "digits", "period"}

// ImportHardwareTokens imports the hardware tokens of a CSV file with the
// header serial,secret,type,digits and optionally period (seconds, TOTP
// only; 30 when left out). It imports all of them or, on the first bad or
// already imported line, none, and returns how many it imported. Errors
// name the line, never the secret.
func ImportHardwareTokens(ctx context.Context, store Store, r io.Reader, now time.Time) (int, error) {
	rows, err := readHardwareCSV(r, now)
	if err != nil {
		return 0, err
	}
	err = store.Atomically(ctx, func(tx Store) error {
		for _, row := range rows {
			err := tx.AddHardwareToken(ctx, row.rec)
			if errors.Is(err, ErrConflict) {
				return fmt.Errorf("line %d: serial %s is imported already", row.line, row.rec.Serial)
			}
			if err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	return len(rows), nil
}

type hardwareRow struct {
	line int
	rec  HardwareTokenRecord
}

// readHardwareCSV reads and checks every line of an import file.
func readHardwareCSV(r io.Reader, now time.Time) ([]hardwareRow, error) {
	cr := csv.NewReader(r)
	cr.TrimLeadingSpace = true
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, errors.New("the file is empty: it needs the header serial,secret,type,digits")
	}
	if err != nil {
		return nil, fmt.Errorf("line 1: %w", err)
	}
	col, err := hardwareHeader(header)
	if err != nil {
		return nil, err
	}
	var rows []hardwareRow
	seen := map[string]int{}
	for {
		fields, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		var parseErr *csv.ParseError
		if errors.As(err, &parseErr) {
			return nil, fmt.Errorf("line %d: %w", parseErr.Line, parseErr.Err)
		}
		if err != nil {
			return nil, err
		}
		line, _ := cr.FieldPos(0)
		rec, err := hardwareRecord(fields, col, now)
		if err != nil {
			return nil, fmt.Errorf("line %d: %w", line, err)
		}
		if first, dup := seen[rec.Serial]; dup {
			return nil, fmt.Errorf("line %d: serial %s is on line %d already", line, rec.Serial, first)
		}
		seen[rec.Serial] = line
		rows = append(rows, hardwareRow{line: line, rec: rec})
	}
	if len(rows) == 0 {
		return nil, errors.New("the file has no tokens, only the header")
	}
	return rows, nil
}

// hardwareHeader maps the column names to their positions.
func hardwareHeader(header []string) (map[string]int, error) {
	col := map[string]int{}
	for i, name := range header {
		name = strings.ToLower(strings.TrimSpace(name))
		if !slices.Contains(hardwareColumns, name) {
			return nil, fmt.Errorf("line 1: unknown column %q; the columns are serial,secret,type,digits and optionally period", name)
		}
		col[name] = i
	}
	for _, name := range hardwareColumns[:4] {
		if _, ok := col[name]; !ok {
			return nil, fmt.Errorf("line 1: the column %q is missing; the header is serial,secret,type,digits and optionally period", name)
		}
	}
	return col, nil
}

// hardwareRecord checks one line.
func hardwareRecord(fields []string, col map[string]int, now time.Time) (HardwareTokenRecord, error) {
	field := func(name string) string {
		if i, ok := col[name]; ok && i < len(fields) {
			return strings.TrimSpace(fields[i])
		}
		return ""
	}
	rec := HardwareTokenRecord{Serial: api.NormalizeSerial(field("serial")), Algorithm: "SHA1", ImportedAt: now}
	if !api.ValidSerial(rec.Serial) {
		return rec, fmt.Errorf("the serial must be 1 to %d letters, digits, '-', '_' or '.'", api.MaxSerialLen)
	}
	secret, err := decodeHardwareSecret(field("secret"))
	if err != nil {
		return rec, err
	}
	rec.Secret = secret
	switch api.TokenType(strings.ToLower(field("type"))) {
	case api.TypeHOTP:
		rec.Type = api.TypeHOTP
	case api.TypeTOTP:
		rec.Type = api.TypeTOTP
	default:
		return rec, errors.New("the type must be hotp or totp")
	}
	rec.Digits, err = strconv.Atoi(field("digits"))
	if err != nil || (rec.Digits != 6 && rec.Digits != 8) {
		return rec, errors.New("digits must be 6 or 8")
	}
	return rec, hardwarePeriod(&rec, field("period"))
}

// decodeHardwareSecret reads a base32 secret, with or without padding, spaces or
// lower case; the error never shows it.
func decodeHardwareSecret(s string) ([]byte, error) {
	s = strings.TrimRight(strings.ToUpper(strings.ReplaceAll(s, " ", "")), "=")
	secret, err := base32NoPad.DecodeString(s)
	if err != nil || s == "" {
		return nil, errors.New("the secret is not base32 (letters A-Z and digits 2-7)")
	}
	if len(secret) < minHardwareSecret {
		return nil, fmt.Errorf("the secret is too short: it needs at least %d bytes (%d base32 characters)", minHardwareSecret, base32NoPad.EncodedLen(minHardwareSecret))
	}
	return secret, nil
}

// hardwarePeriod sets the period: seconds for TOTP, none for HOTP.
func hardwarePeriod(rec *HardwareTokenRecord, period string) error {
	if rec.Type == api.TypeHOTP {
		if period != "" && period != "0" {
			return errors.New("an hotp token has no period; leave it empty")
		}
		return nil
	}
	if period == "" {
		rec.Period = defaultHardwarePeriod
		return nil
	}
	p, err := strconv.Atoi(period)
	if err != nil || p < 10 || p > 300 {
		return errors.New("the period must be 10 to 300 seconds")
	}
	rec.Period = p
	return nil
}

// UnassignHardwareToken takes the hardware token serial back from its
// holder: it deletes their token, so that the serial can be claimed
// again, and keeps the device's counter for the next claim. Unless force,
// it refuses to delete the holder's last ACTIVE token
// (api.ErrLastActiveToken). It returns the device as it was, with its
// holder; ErrNotFound for an unknown serial, ErrNotAssigned when nobody
// holds it.
func UnassignHardwareToken(ctx context.Context, store Store, serial string, force bool) (HardwareTokenRecord, error) {
	var was HardwareTokenRecord
	err := store.Atomically(ctx, func(tx Store) error {
		var err error
		if was, err = tx.HardwareToken(ctx, api.NormalizeSerial(serial)); err != nil {
			return err
		}
		if !was.Assigned() {
			return ErrNotAssigned
		}
		var counter int64
		err = tx.DeleteToken(ctx, was.UserID, was.TokenID, func(t TokenRecord, active int) error {
			if !force && t.Status == api.StatusActive && active <= 1 {
				return errLastActiveToken()
			}
			counter = t.Counter
			return nil
		})
		if err != nil {
			return err
		}
		_, err = tx.UpdateHardwareToken(ctx, was.Serial, func(h *HardwareTokenRecord) error {
			h.Counter = max(h.Counter, counter)
			h.Failures = Failures{}
			return nil
		})
		return err
	})
	return was, err
}
