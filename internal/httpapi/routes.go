package httpapi

import (
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/brug-chw/brug/internal/auth"
)

// Route is one entry of the route table. Perm "" means public; every other
// route requires a signed-in caller whose role holds Perm.
type Route struct {
	Method  string
	Path    string
	Perm    string
	handler echo.HandlerFunc
}

// Public is the Perm of routes that need no sign-in.
const Public = ""

// SignedIn is the Perm of client-record routes: any signed-in caller may
// ask, and the scoped store query answers 404 for a record outside their
// scope, so a manager cannot even learn that a client id exists.
const SignedIn = "signed_in"

// Routes lists every route. The authorization matrix test and the OpenAPI
// test both read this table, so a route cannot be added without both.
func (s *Server) Routes() []Route {
	return []Route{
		{http.MethodGet, "/healthz", Public, s.healthz},
		{http.MethodGet, "/readyz", Public, s.readyz},
		{http.MethodGet, "/metrics", Public, s.metricsHandler},
		{http.MethodGet, "/api/openapi.yaml", Public, s.openAPI},

		{http.MethodPost, "/api/v1/auth/login", Public, s.login},
		{http.MethodPost, "/api/v1/auth/refresh", Public, s.refresh},
		{http.MethodPost, "/api/v1/auth/logout", Public, s.logout},
		{http.MethodPost, "/api/v1/auth/second-factor", Public, s.verifySecondFactor},
		{http.MethodPost, "/api/v1/auth/second-factor/enrolment", Public, s.startEnrolmentWithChallenge},
		{http.MethodPost, "/api/v1/auth/second-factor/enrolment/confirm", Public, s.confirmEnrolmentWithChallenge},

		{http.MethodGet, "/api/v1/me", auth.PermMeRead, s.getMe},
		{http.MethodPatch, "/api/v1/me", auth.PermMeUpdate, s.patchMe},
		{http.MethodGet, "/api/v1/me/sessions", auth.PermMeRead, s.listSessions},
		{http.MethodDelete, "/api/v1/me/sessions/:id", auth.PermMeUpdate, s.endSession},
		{http.MethodGet, "/api/v1/me/second-factor", auth.PermMeRead, s.getMySecondFactor},
		{http.MethodPost, "/api/v1/me/second-factor/enrolment", auth.PermMeUpdate, s.startMyEnrolment},
		{http.MethodPost, "/api/v1/me/second-factor/enrolment/confirm", auth.PermMeUpdate, s.confirmMyEnrolment},
		{http.MethodPost, "/api/v1/me/second-factor/recovery-codes", auth.PermMeUpdate, s.newMyRecoveryCodes},
		{http.MethodGet, "/api/v1/me/progress", auth.PermReportsReadOwn, s.myProgress},
		{http.MethodGet, "/api/v1/me/progress/history", auth.PermReportsReadOwn, s.myProgressHistory},
		{http.MethodGet, "/api/v1/me/summary", auth.PermReportsReadOwn, s.mySummary},
		{http.MethodGet, "/api/v1/targets", auth.PermTargetsManage, s.listTargets},
		{http.MethodPut, "/api/v1/targets", auth.PermTargetsManage, s.putTargets},

		{http.MethodGet, "/api/v1/users", auth.PermUsersManage, s.listUsers},
		{http.MethodPost, "/api/v1/users", auth.PermUsersManage, s.createUser},
		{http.MethodGet, "/api/v1/users/:id", auth.PermUsersManage, s.getUser},
		{http.MethodPatch, "/api/v1/users/:id", auth.PermUsersManage, s.patchUser},
		{http.MethodPut, "/api/v1/users/:id/intake-duty", auth.PermUsersManage, s.putIntakeDuty},
		{http.MethodPost, "/api/v1/users/:id/invitation", auth.PermUsersManage, s.sendInvitation},
		{http.MethodPost, "/api/v1/users/:id/second-factor/reset", auth.PermUsersManage, s.resetSecondFactor},
		{http.MethodPost, "/api/v1/public/invitations/:token", Public, s.acceptInvitation},
		{http.MethodGet, "/api/v1/notices", auth.PermMeRead, s.listNotices},
		{http.MethodPost, "/api/v1/notices/:id/read", auth.PermMeRead, s.readNotice},
		{http.MethodGet, "/api/v1/access-register", auth.PermAccessRegisterRead, s.accessRegister},

		{http.MethodGet, "/api/v1/audit", auth.PermAuditRead, s.searchAudit},

		{http.MethodGet, "/api/v1/teams", auth.PermTeamsRead, s.listTeams},
		{http.MethodGet, "/api/v1/teams/:id/board", auth.PermClientsReadTeam, s.teamBoard},
		{http.MethodGet, "/api/v1/teams/:id/coaching", auth.PermClientsReadTeam, s.teamCoaching},
		{http.MethodPatch, "/api/v1/teams/:id", auth.PermTeamsConfigure, s.patchTeam},
		{http.MethodGet, "/api/v1/teams/:id/alert-settings", auth.PermTeamsConfigure, s.teamAlertSettings},
		{http.MethodPut, "/api/v1/teams/:id/alert-settings", auth.PermTeamsConfigure, s.putTeamAlertSettings},

		{http.MethodGet, "/api/v1/clients", auth.PermClientsReadOwn, s.listClients},
		{http.MethodPost, "/api/v1/clients", auth.PermClientsWriteOwn, s.createClient},
		{http.MethodGet, "/api/v1/clients/:id", SignedIn, s.getClient},
		{http.MethodPatch, "/api/v1/clients/:id", SignedIn, s.patchClient},
		{http.MethodPut, "/api/v1/clients/:id/assignment", auth.PermClientsAssign, s.putAssignment},
		{http.MethodGet, "/api/v1/clients/:id/assignments", SignedIn, s.listAssignments},
		{http.MethodGet, "/api/v1/clients/:id/audit", auth.PermAuditReadTeam, s.clientAudit},
		{http.MethodGet, "/api/v1/clients/:id/duplicates", auth.PermClientsMerge, s.clientDuplicates},
		{http.MethodPost, "/api/v1/clients/:id/merge", auth.PermClientsMerge, s.mergeClient},
		{http.MethodGet, "/api/v1/clients/:id/merges", auth.PermClientsMerge, s.clientMerges},
		{http.MethodPost, "/api/v1/client-merges/:id/undo", auth.PermClientsMerge, s.undoMerge},
		{http.MethodGet, "/api/v1/clients/:id/export", auth.PermClientsExport, s.exportClient},
		{http.MethodPost, "/api/v1/clients/:id/erasure", auth.PermClientsErase, s.eraseClient},
		{http.MethodPut, "/api/v1/clients/:id/legal-hold", auth.PermClientsErase, s.putLegalHold},
		{http.MethodDelete, "/api/v1/clients/:id/legal-hold", auth.PermClientsErase, s.deleteLegalHold},
		{http.MethodGet, "/api/v1/clients/:id/timeline", SignedIn, s.timeline},
		{http.MethodGet, "/api/v1/clients/:id/visits", SignedIn, s.listVisits},
		{http.MethodPost, "/api/v1/clients/:id/visits", SignedIn, s.createVisit},
		{http.MethodPatch, "/api/v1/clients/:id/visits/:visit_id", SignedIn, s.patchVisit},
		{http.MethodDelete, "/api/v1/clients/:id/visits/:visit_id", SignedIn, s.deleteVisit},
		{http.MethodGet, "/api/v1/clients/:id/barriers", SignedIn, s.listBarriers},
		{http.MethodPost, "/api/v1/clients/:id/barriers", SignedIn, s.createBarrier},
		{http.MethodPatch, "/api/v1/clients/:id/barriers/:barrier_id", SignedIn, s.patchBarrier},
		{http.MethodGet, "/api/v1/clients/:id/consents", SignedIn, s.listConsents},
		{http.MethodPost, "/api/v1/clients/:id/consents", SignedIn, s.giveConsent},
		{http.MethodDelete, "/api/v1/clients/:id/consents/:purpose", SignedIn, s.withdrawConsent},
		{http.MethodPost, "/api/v1/clients/:id/emergency-access", auth.PermClientsEmergency, s.grantEmergencyAccess},
		{http.MethodGet, "/api/v1/emergency-access", auth.PermClientsEmergency, s.listEmergencyAccess},
		{http.MethodPost, "/api/v1/client-lookup", auth.PermClientsEmergency, s.lookupClient},

		{http.MethodGet, "/api/v1/providers", auth.PermProvidersRead, s.listProviders},
		{http.MethodPost, "/api/v1/providers", auth.PermProvidersManage, s.createProvider},
		{http.MethodPatch, "/api/v1/providers/:id", auth.PermProvidersManage, s.patchProvider},
		{http.MethodPost, "/api/v1/providers/import", auth.PermProvidersManage, s.importProviders},

		{http.MethodGet, "/api/v1/referrals", auth.PermClientsReadOwn, s.listReferrals},
		{http.MethodPost, "/api/v1/referrals", auth.PermClientsWriteOwn, s.createReferral},
		{http.MethodGet, "/api/v1/referrals/:id", SignedIn, s.getReferral},
		{http.MethodPatch, "/api/v1/referrals/:id", SignedIn, s.patchReferral},
		{http.MethodPost, "/api/v1/referrals/:id/transitions", SignedIn, s.transitionReferral},
		{http.MethodPost, "/api/v1/referrals/:id/link", SignedIn, s.referralLink},

		{http.MethodGet, "/api/v1/appointments", auth.PermClientsReadOwn, s.listAppointments},
		{http.MethodPost, "/api/v1/appointments", auth.PermClientsWriteOwn, s.createAppointment},
		{http.MethodGet, "/api/v1/appointments/:id", SignedIn, s.getAppointment},
		{http.MethodPatch, "/api/v1/appointments/:id", SignedIn, s.patchAppointment},

		{http.MethodGet, "/api/v1/today", auth.PermClientsReadOwn, s.today},
		{http.MethodGet, "/api/v1/tasks", auth.PermClientsReadOwn, s.listTasks},
		{http.MethodPost, "/api/v1/tasks", auth.PermClientsWriteOwn, s.createTask},
		{http.MethodPatch, "/api/v1/tasks/:id", SignedIn, s.patchTask},

		{http.MethodPost, "/api/v1/calendar/token", auth.PermClientsReadOwn, s.newCalendarToken},
		{http.MethodDelete, "/api/v1/calendar/token", auth.PermClientsReadOwn, s.revokeCalendarToken},
		{http.MethodGet, "/api/v1/calendar/:file", Public, s.calendarFeed},

		{http.MethodGet, "/api/v1/reports/barriers", SignedIn, s.barrierReport},
		{http.MethodGet, "/api/v1/reports/activity", SignedIn, s.activityReport},
		{http.MethodGet, "/api/v1/reports/policy-signal", SignedIn, s.policySignal},
		{http.MethodGet, "/api/v1/reports/targets", SignedIn, s.targetsReport},

		{http.MethodGet, "/api/v1/reminders", auth.PermClientsReadOwn, s.listReminders},
		{http.MethodPost, "/api/v1/reminders/:id/retry", SignedIn, s.retryReminder},
		{http.MethodGet, "/api/v1/public/replies/:token", Public, s.publicReply},
		{http.MethodPost, "/api/v1/public/replies/:token", Public, s.answerReply},

		{http.MethodGet, "/api/v1/public/referral-links/:token", Public, s.publicLink},
		{http.MethodPost, "/api/v1/public/referral-links/:token", Public, s.answerLink},
		{http.MethodPost, "/api/v1/public/contact", Public, s.submitContact},
		{http.MethodGet, "/api/v1/public/areas", Public, s.publicAreas},
		{http.MethodGet, "/api/v1/public/contact-withdrawals/:token", Public, s.contactWithdrawal},
		{http.MethodPost, "/api/v1/public/contact-withdrawals/:token", Public, s.withdrawContactAPI},

		{http.MethodGet, "/api/v1/contact-requests", auth.PermIntakeTriage, s.listContactRequests},
		{http.MethodGet, "/api/v1/contact-requests/summary", auth.PermIntakeTriage, s.contactSummary},
		{http.MethodGet, "/api/v1/contact-requests/:id", auth.PermIntakeTriage, s.getContactRequest},
		{http.MethodPost, "/api/v1/contact-requests/:id/convert", auth.PermIntakeTriage, s.convertContact},
		{http.MethodPost, "/api/v1/contact-requests/:id/partner", auth.PermIntakeTriage, s.partnerContact},
		{http.MethodPost, "/api/v1/contact-requests/:id/close", auth.PermIntakeTriage, s.closeContact},

		{http.MethodGet, "/api/v1/group-sessions", auth.PermGroupsReadTeam, s.listGroupSessions},
		{http.MethodPost, "/api/v1/group-sessions", auth.PermGroupsWriteTeam, s.createGroupSession},
		{http.MethodGet, "/api/v1/group-sessions/:id", auth.PermGroupsReadTeam, s.getGroupSession},
		{http.MethodPatch, "/api/v1/group-sessions/:id", auth.PermGroupsWriteTeam, s.patchGroupSession},
		{http.MethodPost, "/api/v1/group-sessions/:id/participants", auth.PermGroupsWriteTeam, s.addGroupParticipant},

		{http.MethodPost, "/api/v1/research/extracts", auth.PermResearchExtract, s.createResearchExtract},
		{http.MethodGet, "/api/v1/research/extracts", auth.PermResearchExtract, s.listResearchExtracts},
		{http.MethodGet, "/api/v1/research/dictionary", auth.PermResearchExtract, s.researchDictionary},

		{http.MethodGet, "/api/v1/funds", auth.PermReferenceRead, s.listFunds},
		{http.MethodGet, "/api/v1/reference/taxonomy", auth.PermReferenceRead, s.taxonomy},
	}
}

func (s *Server) routes() {
	for _, r := range s.Routes() {
		h := r.handler
		if strings.HasPrefix(r.Path, "/api/") {
			next := h
			h = func(c echo.Context) error {
				if err := checkQueryTexts(c); err != nil {
					return err
				}
				return next(c)
			}
		}
		if checksQuery(r.Method, r.Path) {
			h = knownQuery(QueryParams[r.Path])(h)
		}
		unsafe := r.Method != http.MethodGet && r.Method != http.MethodHead && strings.HasPrefix(r.Path, "/api/v1/") && !neverReplayed[r.Method+" "+r.Path]
		if r.Perm == Public {
			// Public writes (the contact form, a provider's answer) key
			// by the client address.
			if unsafe {
				s.E.Add(r.Method, r.Path, h, s.idempotent)
			} else {
				s.E.Add(r.Method, r.Path, h)
			}
			continue
		}
		mw := []echo.MiddlewareFunc{s.authenticate}
		if r.Perm != SignedIn {
			mw = append(mw, s.require(r.Perm))
		}
		// Scope before validation: a body error must not reveal that a
		// record outside the caller's scope exists.
		for prefix, kind := range scopedRecords {
			if strings.HasPrefix(r.Path, prefix) && !unscopedRoutes[r.Path] && !selfScoped[r.Method+" "+r.Path] {
				mw = append(mw, s.inScope(kind))
			}
		}
		if unsafe {
			mw = append(mw, s.idempotent)
		}
		s.E.Add(r.Method, r.Path, h, mw...)
	}
	s.siteRoutes()
	// Unknown API paths are a problem response, never the SPA.
	s.E.Any("/api/*", s.apiFallback)
	s.E.GET("/*", s.serveSPA)
	s.E.HEAD("/*", s.serveSPA)
}

// neverReplayed are the writes whose answer must not be kept for an
// Idempotency-Key replay: a research extract's rows are never stored on the
// server, and its key is shown once (a retry makes a new extract); sign-in,
// token rotation and sign-out answer with tokens and cookies, which must
// never rest in the database (a retry signs in again).
var neverReplayed = map[string]bool{
	"POST /api/v1/research/extracts": true,
	"POST /api/v1/auth/login":        true,
	"POST /api/v1/auth/refresh":      true,
	"POST /api/v1/auth/logout":       true,
	// Second-factor answers carry tokens, secrets or recovery codes: never
	// kept in the database in clear.
	"POST /api/v1/auth/second-factor":                   true,
	"POST /api/v1/auth/second-factor/enrolment":         true,
	"POST /api/v1/auth/second-factor/enrolment/confirm": true,
	"POST /api/v1/me/second-factor/enrolment":           true,
	"POST /api/v1/me/second-factor/enrolment/confirm":   true,
	"POST /api/v1/me/second-factor/recovery-codes":      true,
}

// scopedRecords maps the record routes to the kind of record their :id names.
var scopedRecords = map[string]string{
	"/api/v1/clients/:id":          "client",
	"/api/v1/referrals/:id":        "referral",
	"/api/v1/appointments/:id":     "appointment",
	"/api/v1/tasks/:id":            "task",
	"/api/v1/reminders/:id":        "reminder",
	"/api/v1/contact-requests/:id": "contact",
	"/api/v1/group-sessions/:id":   "group_session",
}

// unscopedRoutes are record routes that must reach records outside the
// caller's scope: break-the-glass is asked for precisely those.
var unscopedRoutes = map[string]bool{
	"/api/v1/clients/:id/emergency-access": true,
}

// selfScoped are record reads whose service call reads the record in the
// caller's scope itself (404 outside it) and resolves a merged record's id
// on a miss: the scope middleware would read the record a second time.
var selfScoped = map[string]bool{
	"GET /api/v1/clients/:id": true,
}

// apiFallback answers 405 (with Allow) when the path exists for other
// methods, and 404 otherwise.
func (s *Server) apiFallback(c echo.Context) error {
	var allow []string
	for _, r := range s.Routes() {
		if pathMatches(r.Path, c.Request().URL.Path) {
			allow = append(allow, r.Method)
		}
	}
	if len(allow) == 0 {
		return echo.ErrNotFound
	}
	c.Response().Header().Set("Allow", strings.Join(allow, ", "))
	return echo.ErrMethodNotAllowed
}

// pathMatches compares a route pattern ("/api/v1/users/:id") with a path.
func pathMatches(pattern, path string) bool {
	pp, ps := strings.Split(pattern, "/"), strings.Split(strings.TrimSuffix(path, "/"), "/")
	if len(pp) != len(ps) {
		return false
	}
	for i := range pp {
		if !strings.HasPrefix(pp[i], ":") && pp[i] != ps[i] {
			return false
		}
	}
	return true
}
