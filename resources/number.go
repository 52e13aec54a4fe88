package resources

import (
	"golang.org/x/text/language"
	"golang.org/x/text/message"
	"golang.org/x/text/number"
)

// Numbers shown to the user are written the way their language writes
// them: 1,234.5 in English, 1.234,5 in German, 1 234,5 in French and
// Czech. Number is the one place that does it; the counts in translated
// texts ({{.Count}} and the like) go through it too.

// Number writes n, an integer or a floating-point number, in the
// language in use, with at most decimals digits after the decimal
// separator.
func Number(n any, decimals int) string {
	tag := language.English
	if t := current.Load(); t != nil {
		tag = t.tag
	}
	return message.NewPrinter(tag).Sprint(number.Decimal(n, number.MaxFractionDigits(decimals)))
}

// localNumbers is data with each integer written by Number, so that a
// text shows "1.000 Byte" in German; data that is not a map of values
// is returned as it is.
func localNumbers(data any) any {
	values, ok := data.(map[string]any)
	if !ok {
		return data
	}
	out := make(map[string]any, len(values))
	for k, v := range values {
		switch v.(type) {
		case int, int8, int16, int32, int64, uint, uint8, uint16, uint32, uint64:
			v = Number(v, 0)
		}
		out[k] = v
	}
	return out
}
