package api

import "strings"

// MaskAddress hides most of an SMS or email address, for showing where a
// code went to someone who may not own it: "+49 •••• ••12" keeps the
// country calling code (up to 2 digits) and the last 2 digits;
// "d•••@example.com" keeps the first letter and the domain. channel is
// ChannelSMS or ChannelEmail.
func MaskAddress(channel, address string) string {
	if channel == ChannelEmail {
		local, domain, ok := strings.Cut(address, "@")
		if !ok || local == "" {
			return "•••"
		}
		first := []rune(local)[0]
		return string(first) + "•••@" + domain
	}
	digits := strings.TrimPrefix(address, "+")
	if len(digits) < 6 {
		return "•••"
	}
	return "+" + digits[:2] + " •••• ••" + digits[len(digits)-2:]
}
