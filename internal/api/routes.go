package api

import (
	"net/http"

	"homthu/internal/homthu"
)

// routes lists every route of the API with the permission it needs.
func (a *API) routes() []route {
	return []route{
		{http.MethodGet, "/api/v1/openapi.json", "", a.getOpenAPI},
		{http.MethodGet, "/api/v1/units", "", a.getUnits},
		{http.MethodPost, "/api/v1/feedback", "", a.postFeedback},
		{http.MethodPost, "/api/v1/track", "", a.postTrack},
		{http.MethodPost, "/api/v1/track/messages", "", a.postTrackMessage},
		{http.MethodPost, "/api/v1/track/proof", "", a.postTrackProof},
		{http.MethodPost, "/api/v1/session", "", a.postSession},
		{http.MethodDelete, "/api/v1/session", homthu.ActSession, a.deleteSession},
		{http.MethodGet, "/api/v1/items", homthu.ActReadItems, a.getItems},
		{http.MethodGet, "/api/v1/items/{id}", homthu.ActReadItems, a.getItem},
		{http.MethodPost, "/api/v1/items/{id}/messages", homthu.ActMessage, a.postItemMessage},
		{http.MethodPost, "/api/v1/items/{id}/identity", homthu.ActRevealIdentity, a.postItemIdentity},
		{http.MethodGet, "/api/v1/audit", homthu.ActReadAudit, a.getAudit},

		// Catalogues of standards (public: they are posted).
		{http.MethodGet, "/api/v1/catalogs", "", a.getCatalogs},
		{http.MethodGet, "/api/v1/standards", "", a.getStandards},
		{http.MethodGet, "/api/v1/standards/{code}", "", a.getStandard},

		// Notifications (platform): the caller's own notices.
		{http.MethodGet, "/api/v1/notifications", homthu.ActSession, a.getNotifications},
		{http.MethodPost, "/api/v1/notifications/read", homthu.ActSession, a.postNotificationsRead},
		{http.MethodPost, "/api/v1/notifications/{notice}/read", homthu.ActSession, a.postNotificationRead},
		// The paper mailbox (issue 8): mailboxes and the opening flow, idempotent by Idempotency-Key.
		{http.MethodGet, "/api/v1/mailboxes", homthu.ActReadOpenings, a.getMailboxes},
		{http.MethodPost, "/api/v1/mailboxes", homthu.ActManageMailboxes, a.postMailbox},
		{http.MethodPost, "/api/v1/openings", homthu.ActRecordOpening, a.postOpening},
		{http.MethodGet, "/api/v1/openings/{opening}", homthu.ActReadOpenings, a.getOpening},
		{http.MethodPost, "/api/v1/openings/{opening}/letters", homthu.ActRecordOpening, a.postLetter},
		{http.MethodDelete, "/api/v1/openings/{opening}/letters/{seq}", homthu.ActRecordOpening, a.deleteLetter},
		{http.MethodPost, "/api/v1/openings/{opening}/seal", homthu.ActRecordOpening, a.postSeal},

		// Agency handlers (issue 9): the referrals to the caller's own body.
		{http.MethodGet, "/api/v1/referrals", homthu.ActHandleReferral, a.getReferrals},
		{http.MethodGet, "/api/v1/referrals/{referral}", homthu.ActHandleReferral, a.getReferral},
		{http.MethodPost, "/api/v1/referrals/{referral}/acknowledge", homthu.ActHandleReferral, a.postAcknowledge},
		{http.MethodPost, "/api/v1/referrals/{referral}/extension", homthu.ActHandleReferral, a.postExtension},
		{http.MethodPost, "/api/v1/referrals/{referral}/answer", homthu.ActHandleReferral, a.postAnswer},
		// The submitter rates the result with the receipt.
		{http.MethodPost, "/api/v1/track/rating", "", a.postTrackRating},

		// Reports (issue 10): the digest of a unit in scope over a range of days.
		{http.MethodGet, "/api/v1/reports/digest", homthu.ActReadReports, a.getDigest},

		// Document search (public).
		{http.MethodGet, "/api/v1/documents", "", a.getDocuments},
	}
}
