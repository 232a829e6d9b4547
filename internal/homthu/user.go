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
	case RoleCitizen:
		return "Người phản ánh"
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
	HasTOTP  bool // a second factor (RFC 6238) is enrolled
	// Email is where the account also gets its notices by mail; "" for
	// in-app only. It is a work address of the staff member, set by them
	// (or by `homthu user add --email`).
	Email string
	// FullName and Position are the person behind the account, which the
	// conflict-of-interest check compares with an item's subject.
	FullName string
	Position string
	// Agency is the agency a handler account (RoleAgency) works for; 0 for
	// every other role.
	Agency int64
}

// Action is something a user may try to do.
type Action string

// The actions checked by Can.
const (
	// ActSession is what every logged-in account may do: see its own
	// session, log out.
	ActSession     Action = "session"
	ActReadItems   Action = "items.read"    // list and open items in scope
	ActMessage     Action = "items.message" // write to the submitter
	ActManageUnits Action = "units.manage"
	ActManageUsers Action = "users.manage"
	// ActRevealIdentity decrypts a named submitter's identity. It always
	// needs an enrolled second factor, a fresh code and a reason (step-up),
	// and is audited.
	ActRevealIdentity Action = "identity.reveal"
	ActReadAudit      Action = "audit.read"
	// ActManageCatalogs loads new versions of the catalogues of standards
	// and retires their items (internal/catalog). Catalogues are the same
	// for every unit, so this is an administrator's alone.
	ActManageCatalogs Action = "catalogs.manage"
	// ActManageDocuments imports documents into the document search and
	// corrects their fields (the editors of the public portal).
	ActManageDocuments Action = "documents.manage"
	// ActManageNews writes, schedules and publishes the portal's news.
	ActManageNews Action = "news.manage"
	// ActEditorialInbox reads the messages sent to the editorial board
	// ("Gửi ban biên tập"), answers them by mail and marks them done.
	ActEditorialInbox Action = "editorial.inbox"

	// The Front's records (issue 10): coordination programmes, activities
	// (conferences, trainings, briefings, supervision) and pilot units, in
	// the account's unit scope.
	ActReadRecords   Action = "records.read"
	ActManageRecords Action = "records.manage"

	// The paper mailbox (issue 8). Scope is the account's unit, as for
	// items: a committee account at an area records that area's openings.
	ActManageMailboxes Action = "mailboxes.manage" // register mailboxes, change their place, state, schedule
	ActReadOpenings    Action = "openings.read"    // mailboxes, openings, minutes and logbooks in scope
	ActRecordOpening   Action = "openings.record"  // start an opening, register letters, seal the minutes
	ActCorrectOpening  Action = "openings.correct" // add a correction to sealed minutes
	ActReadCompliance  Action = "compliance.read"  // the compliance board of openings
	// ActSystemStatus sees the state of the background machinery — the mail
	// queue, the jobs, the working-day calendar — and retries what failed.
	// It shows no item and no address.
	ActSystemStatus Action = "system.status"
	// ActManageWorkdays loads years of the working-day calendar (holidays and
	// swapped days), which deadlines in working days follow: an
	// administrator's alone, and audited.
	ActManageWorkdays Action = "workdays.manage"

	// Processing (issue 9). Step (workflow.go) checks these with the
	// state machine; pages and the API never check a role themselves.
	ActTriage         Action = "items.triage"     // classify, redirect, mark spam, escalate, assign, link duplicates
	ActRefer          Action = "items.refer"      // refer to an agency, recall, decide on more time
	ActConclude       Action = "items.conclude"   // tell the submitter the result and close; reopen
	ActHandover       Action = "items.handover"   // give every open item of a staff member to a colleague
	ActHandleReferral Action = "referrals.handle" // an agency handler: acknowledge, ask for more time, answer
	ActManageAgencies Action = "agencies.manage"  // agencies, their heads and handler accounts
	ActRate           Action = "items.rate"       // the submitter, with the receipt: rate the answer, reopen

	// Reports (issue 10): the digest of a unit in scope, its exports and
	// dashboards; Front staff choose the items it quotes.
	ActReadReports Action = "reports.read"
	ActQuoteItems  Action = "reports.quote"
)

// permissions is the role × action table. The unit scope is the second half
// of every check: see Can.
//
// The paper mailbox: administrators and Front staff register mailboxes;
// the area's working committee records openings of its own area's boxes,
// and so may Front staff (a commune officer entering paper minutes); only
// Front staff correct sealed minutes, with a new linked record (nobody
// edits them); leaders read minutes, logbooks and the board.
var permissions = map[Role][]Action{
	RoleAdmin: {ActReadItems, ActManageUnits, ActManageUsers, ActReadAudit, ActManageCatalogs,
		ActManageMailboxes, ActReadOpenings, ActReadCompliance, ActSystemStatus, ActManageWorkdays, ActHandover, ActManageAgencies, ActEditorialInbox,
		ActReadRecords, ActManageRecords},
	RoleFront: {ActReadItems, ActMessage, ActRevealIdentity,
		ActManageMailboxes, ActReadOpenings, ActRecordOpening, ActCorrectOpening, ActReadCompliance,
		ActTriage, ActRefer, ActConclude, ActHandover, ActReadRecords, ActManageRecords, ActReadReports, ActQuoteItems},
	RoleLeader: {ActReadItems, ActReadAudit, ActReadOpenings, ActReadCompliance, ActReadRecords, ActReadReports},
	// An agency handler sees only the referrals addressed to their agency
	// (never the Front's inbox), and never a submitter's identity.
	RoleAgency:    {ActHandleReferral},
	RoleCommittee: {ActReadOpenings, ActRecordOpening},
	RoleEditor:    {ActManageDocuments, ActManageNews, ActEditorialInbox},
	// The submitter, with the receipt (workflow.go).
	RoleCitizen: {ActRate},
}

// Can reports whether a user with role r may perform a.
func (r Role) Can(a Action) bool {
	if a == ActSession {
		return r.Valid()
	}
	if !r.Valid() && r != RoleCitizen {
		return false
	}
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

// AuditRecord is one entry of the audit log: a look at an item, a
// decryption of a submitter's identity, a login. The log is append-only and
// hash-chained; it is readable by the leaders of the unit concerned.
type AuditRecord struct {
	ID        int64
	At        time.Time
	Actor     int64
	ActorName string
	Unit      string // the actor's unit
	Action    string // e.g. "item.open", "identity.reveal"
	Item      string
	Reason    string
}

// Audit actions.
const (
	AuditItemOpen       = "item.open"
	AuditIdentityReveal = "identity.reveal"
	AuditAttachment     = "item.attachment"
	AuditRetentionErase = "retention.erase"
	AuditPasswordReset  = "user.password_reset"
	AuditUserDisable    = "user.disable"
	AuditUserEnable     = "user.enable"
	AuditCatalogLoad    = "catalog.load"   // Reason: the catalogue and its new version
	AuditCatalogRetire  = "catalog.retire" // Reason: the item, the version, why
	AuditWorkdaysLoad   = "workdays.load"  // Reason: the years of the working-day calendar loaded
)

// ActionLabel is the Vietnamese description of an audit action.
func (r *AuditRecord) ActionLabel() string {
	switch r.Action {
	case AuditItemOpen:
		return "Mở xem thư, đơn"
	case AuditIdentityReveal:
		return "Xem danh tính người phản ánh"
	case AuditAttachment:
		return "Tải tệp đính kèm"
	case AuditPasswordReset:
		return "Đặt lại mật khẩu tài khoản"
	case AuditUserDisable:
		return "Khóa tài khoản"
	case AuditUserEnable:
		return "Mở khóa tài khoản"
	case AuditCatalogLoad:
		return "Nạp phiên bản mới của danh mục biểu hiện, điều cấm"
	case AuditCatalogRetire:
		return "Bãi bỏ một mục của danh mục biểu hiện, điều cấm"
	case AuditRetentionErase:
		return "Xóa danh tính và tệp đính kèm khi hết thời hạn lưu trữ"
	case AuditWorkdaysLoad:
		return "Nạp lịch ngày làm việc"
	}
	return r.Action
}
