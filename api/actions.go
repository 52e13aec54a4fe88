package api

// TokenAction is something a user can do to one of their tokens. The
// server and the app decide what is allowed with the same functions here.
type TokenAction string

const (
	ActionActivate TokenAction = "activate"
	ActionTest     TokenAction = "test"
	ActionResync   TokenAction = "resync"
	ActionEnable   TokenAction = "enable"
	ActionDisable  TokenAction = "disable"
	ActionRename   TokenAction = "rename"
	ActionDelete   TokenAction = "delete"
)

// ActionPrivilege is the privilege an action needs.
func ActionPrivilege(a TokenAction) Privilege {
	switch a {
	case ActionActivate:
		return PrivTokenEnroll
	case ActionTest:
		return PrivTokenTest
	case ActionResync:
		return PrivTokenSync
	case ActionEnable:
		return PrivTokenEnable
	case ActionDisable:
		return PrivTokenDisable
	case ActionRename:
		return PrivTokenModify
	case ActionDelete:
		return PrivTokenDelete
	}
	return ""
}

// Supports reports whether tokens of this type can do the action at all.
func (t TokenType) Supports(a TokenAction) bool {
	switch t {
	case TypeTOTP, TypeHOTP:
		return true
	case TypeFIDO2:
		return a != ActionResync // a key has no clock or counter to re-align
	case TypePush:
		return a != ActionResync // the phone confirms; there is no code to re-align
	case TypeSMS, TypeEmail:
		return a != ActionResync // each code is made and sent fresh; nothing drifts
	}
	return false
}

// Check says whether the token's type and status allow the action; it
// does not look at privileges or at the "last active token" rule. The
// error is not_supported or invalid_state, with a message for the user.
func (t Token) Check(a TokenAction) error {
	if !t.Type.Supports(a) {
		return &Error{Code: CodeNotSupported, Message: "This kind of token does not support that."}
	}
	ok := true
	switch a {
	case ActionActivate:
		ok = t.Status == StatusPending
	case ActionTest:
		ok = t.Status == StatusActive
	case ActionResync:
		ok = t.Status == StatusActive || t.Status == StatusDisabled
	case ActionEnable:
		ok = t.Status == StatusDisabled
	case ActionDisable:
		ok = t.Status == StatusActive
	case ActionRename:
		ok = t.Status != StatusObsolete
	case ActionDelete:
		if !t.Deletable {
			return &Error{Code: CodeNotSupported, Message: "Your organisation does not allow deleting this token yourself; ask the helpdesk."}
		}
	}
	if !ok {
		return &Error{Code: CodeInvalidState, Message: "The token is " + string(t.Status) + "; that is not possible now."}
	}
	return nil
}

// Allows reports whether a user with privs may do the action on the token
// as far as privileges, type and status go.
func (t Token) Allows(a TokenAction, privs []Privilege) bool {
	return Has(privs, ActionPrivilege(a)) && t.Check(a) == nil
}
