package ui

import (
	"context"
	"time"

	"fyne.io/fyne/v2/lang"

	"selfservice/api"
)

// Locks on the second sign-in step: too many wrong codes lock the method
// for a while, or stop the sign-in. The screen then disables what cannot
// work and counts down to when it can; it never says that the sign-in
// took too long.

// lock takes the lock the server reported for the method tokenID.
func (s *secondFactorScreen) lock(tokenID string, lock api.Lock, message string) {
	if lock.Scope == api.LockSignIn {
		s.signInLock = &lock
	} else {
		s.locks[tokenID] = lock.Until
	}
	s.code.SetText("")
	s.emergency.SetText("")
	s.codeErr.set("")
	s.emergencyErr.set("")
	s.showLock()
	s.setBusy(false)
	if !s.isLocked() {
		s.message.show(bannerError, message, "", nil) // nothing to wait for
	}
}

// isLocked reports whether the chosen method cannot be used now.
func (s *secondFactorScreen) isLocked() bool {
	if s.signInLock != nil {
		return true
	}
	until, ok := s.locks[s.tokenID()]
	return ok && s.ui.now().Before(until)
}

// showLock shows the lock of the sign-in or of the chosen method with its
// countdown, updated every second until it ends; without one it clears
// what an earlier lock showed.
func (s *secondFactorScreen) showLock() {
	if s.stopClock != nil {
		s.stopClock()
		s.stopClock = nil
	}
	if !s.isLocked() {
		if s.lockShown {
			s.lockShown = false
			s.message.hide()
		}
		return
	}
	s.lockShown = true
	s.tickLock()
	if s.ctx != nil {
		ctx, cancel := context.WithCancel(s.ctx)
		s.stopClock = cancel
		s.ui.every(ctx, time.Second, s.tickLock)
	}
}

// tickLock shows the time left of the lock shown; once it is over, a
// method lock lifts and a stopped sign-in offers to sign in again.
func (s *secondFactorScreen) tickLock() {
	now := s.ui.now()
	if l := s.signInLock; l != nil {
		if left := l.Until.Sub(now); left > 0 {
			s.message.show(bannerWarning, lang.L("Too many wrong codes, so this sign-in was stopped. You can sign in again in {{.Time}}.", map[string]any{"Time": clockDuration(left)}), "", nil)
			return
		}
		if s.stopClock != nil {
			s.stopClock()
			s.stopClock = nil
		}
		s.message.show(bannerWarning, lang.L("Too many wrong codes, so this sign-in was stopped. Sign in again with your password."), lang.L("Sign in again"), s.onBack)
		return
	}
	id := s.tokenID()
	if left := s.locks[id].Sub(now); left > 0 {
		s.message.show(bannerWarning, lang.L("Too many wrong codes for this method. Try it again in {{.Time}}, or choose another method.", map[string]any{"Time": clockDuration(left)}), "", nil)
		return
	}
	delete(s.locks, id)
	s.showLock()
	s.setBusy(s.busy)
}
