package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"

	"selfservice/api"
)

// How approval requests are named on screen: their action, status,
// people and history.

// operationName says what an operation does, as a short phrase.
func operationName(op api.Operation) string {
	switch op {
	case api.OpTokenEnroll:
		return lang.L("Add a sign-in method")
	case api.OpTokenDisable:
		return lang.L("Disable a sign-in method")
	case api.OpTokenDelete:
		return lang.L("Delete a sign-in method")
	case api.OpTokenAddress:
		return lang.L("Move a sign-in method to a new address")
	case api.OpContactUpdate:
		return lang.L("Change contact details")
	case api.OpPasswordUpdate:
		return lang.L("Change the password")
	case api.OpQuestionReveal:
		return lang.L("Show an answer to a verification question")
	case api.OpAccountDelete:
		return lang.L("Delete my account")
	case api.OpInvitationCreate:
		return lang.L("Invite someone")
	}
	return string(op)
}

// requestTitle is a request's action with its target:
// "Add a sign-in method: Authenticator app (HOTP)".
func requestTitle(r api.ApprovalRequest) string {
	target := r.TargetLabel
	if target == "" {
		target = r.Target
	}
	if target == "" {
		return operationName(r.Operation)
	}
	return lang.L("{{.Action}}: {{.Target}}", map[string]any{"Action": operationName(r.Operation), "Target": target})
}

// requestSubject is the name the requester gave what the request adds,
// in quotes, or "".
func requestSubject(r api.ApprovalRequest) string {
	if d := r.Parameters["description"]; d != "" {
		return "“" + d + "”"
	}
	return ""
}

// parameterValue is how a request parameter's value is shown: a template
// by its name, never its id.
func parameterValue(r api.ApprovalRequest, key string) string {
	v := r.Parameters[key]
	switch {
	case v == "":
		return lang.L("(none)")
	case key == "template_id" && r.TargetLabel != "":
		return r.TargetLabel
	case key == "remove" && v == "true":
		return lang.L("Yes")
	case key == "channel":
		return channelName(v)
	}
	return v
}

// hiddenParameter reports whether a request parameter is an internal id
// that people do not know things by: the title names its target already.
func hiddenParameter(key string) bool {
	return key == "token_id"
}

// channelName is how a delivery channel is called on screen.
func channelName(channel string) string {
	switch channel {
	case api.ChannelSMS:
		return lang.L("Text message")
	case api.ChannelEmail:
		return lang.L("Email")
	}
	return channel
}

// requestStatusName is how a request's status is called on screen. An
// approved request that waits for its requester says so.
func requestStatusName(r api.ApprovalRequest) string {
	switch {
	case r.AwaitsRequester():
		return lang.L("Approved, to finish")
	case r.Status == api.RequestInApproval:
		return lang.L("Waiting for approval")
	case r.Status == api.RequestApproved:
		return lang.L("Approved")
	case r.Status == api.RequestRejected:
		return lang.L("Declined")
	case r.Status == api.RequestRevoked:
		return lang.L("Revoked")
	case r.Status == api.RequestExpired:
		return lang.L("Expired")
	}
	return string(r.Status)
}

// requestStatusColor colours a request's status badge.
func requestStatusColor(r api.ApprovalRequest) fyne.ThemeColorName {
	switch {
	case r.AwaitsRequester(), r.Status == api.RequestInApproval:
		return theme.ColorNameWarning
	case r.Status == api.RequestApproved:
		return theme.ColorNameSuccess
	case r.Status == api.RequestRejected:
		return theme.ColorNameError
	}
	return theme.ColorNamePlaceHolder
}

// decisionName is how an approver's decision is called on screen; ""
// is a decision not given yet.
func decisionName(d api.DecisionValue) string {
	switch d {
	case api.DecisionApproved:
		return lang.L("Approved")
	case api.DecisionDeclined:
		return lang.L("Declined")
	}
	return lang.L("Not decided")
}

// decisionColor colours an approver's decision badge.
func decisionColor(d api.DecisionValue) fyne.ThemeColorName {
	switch d {
	case api.DecisionApproved:
		return theme.ColorNameSuccess
	case api.DecisionDeclined:
		return theme.ColorNameError
	}
	return theme.ColorNamePlaceHolder
}

// eventName says what happened in a history entry.
func eventName(e api.RequestEvent) string {
	switch e {
	case api.EventCreated:
		return lang.L("Requested")
	case api.EventApproved:
		return lang.L("Approved")
	case api.EventDeclined:
		return lang.L("Declined")
	case api.EventRevoked:
		return lang.L("Revoked")
	case api.EventExpired:
		return lang.L("Expired")
	case api.EventExecuted:
		return lang.L("Carried out")
	}
	return string(e)
}

// personName is how a person taking part in a request is named.
func personName(p api.Person) string {
	if p.DisplayName != "" {
		return p.DisplayName
	}
	return p.Username
}

// personFullName names a person with their username, so that nobody is
// mistaken for someone of the same name: "Demo Employee (demo)".
func personFullName(p api.Person) string {
	return displayAndUsername(p.DisplayName, p.Username)
}

// displayAndUsername is "Display Name (username)", or the username alone
// when there is no display name.
func displayAndUsername(displayName, username string) string {
	if displayName == "" || displayName == username {
		return username
	}
	return lang.L("{{.Name}} ({{.Username}})", map[string]any{"Name": displayName, "Username": username})
}

// parameterName is how a request parameter is called on screen.
func parameterName(key string) string {
	switch key {
	case "template_id":
		return lang.L("Kind of token")
	case "description":
		return lang.L("Name")
	case "address":
		return lang.L("New address")
	case "value":
		return lang.L("New value")
	case "remove":
		return lang.L("Remove")
	case "serial":
		return lang.L("Serial number")
	case "channel":
		return lang.L("Sent by")
	}
	return key
}
