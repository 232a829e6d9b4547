package homthu

import (
	"context"
	"time"
)

// Role is what a staff account may do. Roles are combined with the account's
// unit: a role acts on its unit and everything below it, never elsewhere.
type Role string

// The roles.
const (
	RoleAdmin     Role = "admin"     // administrator: units, users, catalogues, settings
	RoleFront     Role = "front"     // Front staff (cán bộ MTTQ) of a commune or province
	RoleAgency    Role = "agency"    // handler at a party committee, managing agency or UBKT
	RoleCommittee Role = "committee" // area working committee (Ban công tác Mặt trận khu dân cư)
	RoleLeader    Role = "leader"    // leader: dashboards and reports
	RoleEditor    Role = "editor"    // editor of the public portal
)

// Roles lists every role.
var Roles = []Role{RoleAdmin, RoleFront, RoleAgency, RoleCommittee, RoleLeader, RoleEditor}

// Valid reports whether r is a known role.
func (r Role) Valid() bool {
	for _, v := range Roles {
		if r == v {
			return true
		}
	}
	return false
}

// Label is the Vietnamese name of the role.
func (r Role) Label() string {
	switch r {
	case RoleAdmin:
		return "Quản trị hệ thống"
	case RoleFront:
		return "Cán bộ Mặt trận"
	case RoleAgency:
		return "Cán bộ cơ quan có thẩm quyền"
	case RoleCommittee:
		return "Ban công tác Mặt trận khu dân cư"
	case RoleLeader:
		return "Lãnh đạo"
	case RoleEditor:
		return "Biên tập viên"
	}
	return string(r)
}

// User is a staff account.
type User struct {
	ID       int64
	Username string
	Role     Role
	Unit     string
	UnitName string
	Disabled bool
	Created  time.Time
}

// Action is something a user may try to do.
type Action string

// The actions checked by Can.
const (
	ActReadItems   Action = "items.read"    // list and open items in scope
	ActMessage     Action = "items.message" // write to the submitter
	ActManageUnits Action = "units.manage"
	ActManageUsers Action = "users.manage"
)

// permissions is the role × action table. The unit scope is the second half
// of every check: see Can.
var permissions = map[Role][]Action{
	RoleAdmin:     {ActReadItems, ActManageUnits, ActManageUsers},
	RoleFront:     {ActReadItems, ActMessage},
	RoleLeader:    {ActReadItems},
	RoleAgency:    {},
	RoleCommittee: {},
	RoleEditor:    {},
}

// Can reports whether a user with role r may perform a.
func (r Role) Can(a Action) bool {
	for _, v := range permissions[r] {
		if v == a {
			return true
		}
	}
	return false
}

// Session is a logged-in staff user.
type Session struct {
	User      *User
	ExpiresAt time.Time
}

// UserService manages staff accounts and their sessions.
type UserService interface {
	CreateUser(ctx context.Context, u *User, passwordHash string) error
	FindUserByName(ctx context.Context, username string) (*User, string, error)
}
