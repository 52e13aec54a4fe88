package api

// Privilege names a permission of the signed-in user. The names are those
// of the product's privilege catalogue ("[SELF SERVICE] token enroll" →
// "token_enroll"). The server decides who has which; the app shows only
// what the user may use, and the server checks every one again.
type Privilege string

const (
	PrivPasswordUpdate     Privilege = "password_update"
	PrivInfoUpdate         Privilege = "info_update"
	PrivInfoView           Privilege = "info_frontend_view"
	PrivTokenTemplateView  Privilege = "token_template_frontend_view"
	PrivTokenEnroll        Privilege = "token_enroll"
	PrivTokenSync          Privilege = "token_sync"
	PrivTokenTest          Privilege = "token_test"
	PrivTokenEnable        Privilege = "token_enable"
	PrivTokenDelete        Privilege = "token_delete"
	PrivTokenView          Privilege = "token_frontend_view"
	PrivTokenModify        Privilege = "token_modify"
	PrivTokenDisable       Privilege = "token_disable"
	PrivQuestionView       Privilege = "question_magic_frontend_view"
	PrivQuestionUpdate     Privilege = "question_magic_update"
	PrivInvitationRecall   Privilege = "invitation_sponsorship_recall"
	PrivInvitationView     Privilege = "invitation_sponsorship_view"
	PrivInvitationCreate   Privilege = "invitation_sponsorship_create"
	PrivInvitationDelete   Privilege = "invitation_sponsorship_delete"
	PrivMyApprovalsList    Privilege = "my_approvals_list"
	PrivMyApprovalsView    Privilege = "my_approvals_view"
	PrivMyApprovalsApprove Privilege = "my_approvals_approve"
	PrivMyApprovalsDecline Privilege = "my_approvals_decline"
	PrivMyRequestsView     Privilege = "my_requests_view"
	PrivMyRequestsList     Privilege = "my_requests_list"
	PrivVaultLink          Privilege = "vault_link"
	PrivDocumentsView      Privilege = "documents_view"
	PrivDocumentsUpdate    Privilege = "documents_update"
	// PrivProfileView shows the user their profile and preferences;
	// PrivProfileUpdate lets them change what the organisation leaves
	// to them.
	PrivProfileView   Privilege = "profile_view"
	PrivProfileUpdate Privilege = "profile_update"
	// PrivSessionsView shows the user their sessions and sign-in
	// activity; PrivSessionsManage lets them sign sessions out and report
	// a sign-in that was not theirs.
	PrivSessionsView   Privilege = "sessions_view"
	PrivSessionsManage Privilege = "sessions_manage"
	// PrivEmergencyIssue lets helpdesk staff issue an emergency access
	// code to another user.
	PrivEmergencyIssue Privilege = "emergency_code_issue"
	// PrivHardwareUnassign lets helpdesk staff list another user's
	// hardware tokens and take one back from them.
	PrivHardwareUnassign Privilege = "hardware_token_unassign"
	// PrivQuestionCheck lets helpdesk staff check the answer a caller
	// gives to one of their verification questions, without seeing it.
	PrivQuestionCheck Privilege = "question_magic_check"
	// PrivPrivacyView shows the user the Privacy and data area: their
	// consents and the copy of their data; PrivPrivacyUpdate lets them
	// grant and decline consents; PrivAccountDelete lets them delete
	// their own account.
	PrivPrivacyView   Privilege = "privacy_view"
	PrivPrivacyUpdate Privilege = "privacy_update"
	PrivAccountDelete Privilege = "account_delete"
)

// AllPrivileges lists every privilege, in catalogue order.
var AllPrivileges = []Privilege{
	PrivPasswordUpdate, PrivInfoUpdate, PrivInfoView,
	PrivTokenTemplateView, PrivTokenEnroll, PrivTokenSync, PrivTokenTest,
	PrivTokenEnable, PrivTokenDelete, PrivTokenView, PrivTokenModify, PrivTokenDisable,
	PrivQuestionView, PrivQuestionUpdate,
	PrivInvitationRecall, PrivInvitationView, PrivInvitationCreate, PrivInvitationDelete,
	PrivMyApprovalsList, PrivMyApprovalsView, PrivMyApprovalsApprove, PrivMyApprovalsDecline,
	PrivMyRequestsView, PrivMyRequestsList,
	PrivVaultLink, PrivDocumentsView, PrivDocumentsUpdate,
	PrivProfileView, PrivProfileUpdate,
	PrivSessionsView, PrivSessionsManage,
	PrivEmergencyIssue, PrivHardwareUnassign, PrivQuestionCheck,
	PrivPrivacyView, PrivPrivacyUpdate, PrivAccountDelete,
}

// Has reports whether p is in list.
func Has(list []Privilege, p Privilege) bool {
	for _, q := range list {
		if q == p {
			return true
		}
	}
	return false
}
