package server

import "testing"

// BenchmarkPasswordCheck measures the production-cost argon2id check that
// every sign-in pays (and that unknown usernames pay too, against a dummy
// hash). It is the floor of the sign-in endpoint's latency and the limit
// of how fast one core can test guessed passwords.
func BenchmarkPasswordCheck(b *testing.B) {
	saved := passwordCost
	passwordCost = productionCost
	encoded := hashPassword("correct horse battery staple")
	passwordCost = saved

	b.ReportAllocs()
	for b.Loop() {
		ok, err := checkPassword(encoded, "correct horse battery staple")
		if err != nil || !ok {
			b.Fatalf("checkPassword = %v, %v; want true", ok, err)
		}
	}
}
