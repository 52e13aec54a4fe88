package server

import (
	"slices"

	"selfservice/api"
)

// Roles a user can have.
const (
	RoleEmployee = "employee"
	RoleHelpdesk = "helpdesk"
)

// rolePrivileges maps each role to its privileges, in catalogue order.
var rolePrivileges = map[string][]api.Privilege{
	// Employees manage their own identity: every privilege but those of
	// the helpdesk.
	RoleEmployee: slices.DeleteFunc(slices.Clone(api.AllPrivileges), func(p api.Privilege) bool {
		return p == api.PrivEmergencyIssue || p == api.PrivHardwareUnassign || p == api.PrivQuestionCheck
	}),
	// Helpdesk staff on shared workstations may look at their tokens and
	// prove they work, but not change them; they approve other users'
	// requests, check a caller's verification answers, and keep their own
	// profile and preferences (their language, their time zone), their
	// own sessions, and their consents and the copy of their data; IT
	// manages their accounts, so they do not delete their own.
	RoleHelpdesk: {
		api.PrivTokenTemplateView,
		api.PrivTokenSync,
		api.PrivTokenTest,
		api.PrivTokenView,
		api.PrivMyApprovalsList,
		api.PrivMyApprovalsView,
		api.PrivMyApprovalsApprove,
		api.PrivMyApprovalsDecline,
		api.PrivProfileView,
		api.PrivProfileUpdate,
		api.PrivSessionsView,
		api.PrivSessionsManage,
		api.PrivEmergencyIssue,
		api.PrivHardwareUnassign,
		api.PrivQuestionCheck,
		api.PrivPrivacyView,
		api.PrivPrivacyUpdate,
	},
}

// Roles lists the role names, sorted.
func Roles() []string {
	names := make([]string, 0, len(rolePrivileges))
	for name := range rolePrivileges {
		names = append(names, name)
	}
	slices.Sort(names)
	return names
}

// RolePrivileges returns the privileges of a role, and false for an
// unknown role.
func RolePrivileges(role string) ([]api.Privilege, bool) {
	privs, ok := rolePrivileges[role]
	return slices.Clone(privs), ok
}

// enrollmentPrivileges are the only ones a session may use while its user
// has no ACTIVE token yet (and so may only enroll one).
var enrollmentPrivileges = []api.Privilege{
	api.PrivTokenTemplateView,
	api.PrivTokenEnroll,
	api.PrivTokenView,
}

// sessionPrivileges returns what a session of a user with this role may
// use: everything the role has, or only enrolling while the enrollment is
// partial.
func sessionPrivileges(role string, partial bool) []api.Privilege {
	privs, _ := RolePrivileges(role)
	if !partial {
		return privs
	}
	return slices.DeleteFunc(privs, func(p api.Privilege) bool {
		return !slices.Contains(enrollmentPrivileges, p)
	})
}
