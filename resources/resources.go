// Package resources holds the files embedded in the desktop app: the app
// icon, the icons used on screens, and the user interface translations.
package resources

import (
	"embed"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

//go:embed icon.png
var iconPNG []byte

//go:embed icon.svg
var iconSVG []byte

//go:embed icons/authenticator.svg
var authenticatorSVG []byte

//go:embed icons/securitykey.svg
var securityKeySVG []byte

//go:embed icons/sms.svg
var smsSVG []byte

//go:embed icons/push.svg
var pushSVG []byte

//go:embed icons/lock.svg
var lockSVG []byte

//go:embed translation
var translations embed.FS

// Icon is the app icon (512×512 PNG), used for the window and packages.
var Icon = &fyne.StaticResource{StaticName: "icon.png", StaticContent: iconPNG}

// Logo is the app icon as a vector image, for showing it large on screens.
var Logo = &fyne.StaticResource{StaticName: "logo.svg", StaticContent: iconSVG}

// AuthenticatorIcon stands for an authenticator app token; it follows the
// theme's foreground colour.
var AuthenticatorIcon = theme.NewThemedResource(&fyne.StaticResource{
	StaticName:    "authenticator.svg",
	StaticContent: authenticatorSVG,
})

// SecurityKeyIcon stands for a FIDO2 security key; it follows the theme's
// foreground colour.
var SecurityKeyIcon = theme.NewThemedResource(&fyne.StaticResource{
	StaticName:    "securitykey.svg",
	StaticContent: securityKeySVG,
})

// TextMessageIcon stands for a token whose codes come by text message
// (SMS); it follows the theme's foreground colour.
var TextMessageIcon = theme.NewThemedResource(&fyne.StaticResource{
	StaticName:    "sms.svg",
	StaticContent: smsSVG,
})

// PushIcon stands for the push authenticator app, where the user
// confirms on the phone; it follows the theme's foreground colour.
var PushIcon = theme.NewThemedResource(&fyne.StaticResource{
	StaticName:    "push.svg",
	StaticContent: pushSVG,
})

// LockIcon marks what the organisation sets and the user cannot change;
// it follows the theme's foreground colour.
var LockIcon = theme.NewThemedResource(&fyne.StaticResource{
	StaticName:    "lock.svg",
	StaticContent: lockSVG,
})
