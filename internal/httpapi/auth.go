package httpapi

import (
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/brug-chw/brug/internal/auth"
	"github.com/brug-chw/brug/internal/service"
)

const refreshCookie = "brug_refresh"

// sessionHintCookie tells the web app, without a request, that a refresh
// cookie exists: it holds no secret ("1"), so page scripts may read it; the
// refresh token itself stays in the HttpOnly cookie.
const sessionHintCookie = "brug_session"

// deviceCookie vouches that this browser signed in to the account before,
// so it is throttled apart from guesses made elsewhere (auth.DeviceSigner).
const deviceCookie = "brug_device"

type loginRequest struct {
	Email    string `json:"email" validate:"required,email,max=254"`
	Password string `json:"password" validate:"required,max=1024"`
	// ReturnRefreshToken: a client without cookies (a script, an app)
	// asks for the refresh token in the body; a browser never needs it.
	ReturnRefreshToken bool `json:"return_refresh_token"`
}

func (r *loginRequest) normalize() { r.Email = strings.TrimSpace(r.Email) }

type refreshRequest struct {
	RefreshToken       string `json:"refresh_token" validate:"max=256"`
	ReturnRefreshToken bool   `json:"return_refresh_token"`
}

type tokenResponse struct {
	AccessToken  string  `json:"access_token"`
	TokenType    string  `json:"token_type"`
	ExpiresIn    int     `json:"expires_in"`
	RefreshToken string  `json:"refresh_token,omitempty"`
	User         userDTO `json:"user"`
	// RecoveryCodes come once, when a second factor was just set up.
	RecoveryCodes []string `json:"recovery_codes,omitempty"`
}

func (s *Server) login(c echo.Context) error {
	var req loginRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	device := ""
	if ck, err := c.Cookie(deviceCookie); err == nil {
		device = ck.Value
	}
	sess, err := s.svc.Login(c.Request().Context(), req.Email, req.Password, device)
	if err != nil {
		return err
	}
	if sess.Challenge != nil {
		// The password was right; a code is still due (202: no session yet).
		return c.JSON(http.StatusAccepted, challengeResponse{
			SecondFactor: sess.Challenge.Purpose, Challenge: sess.Challenge.Token,
			ExpiresIn: int(sess.Challenge.ExpiresIn.Seconds()),
		})
	}
	return s.writeSignIn(c, sess, req.ReturnRefreshToken, nil)
}

// writeSignIn answers a completed sign-in: the device cookie (HttpOnly,
// only sent to sign-in, a year long) and the session.
func (s *Server) writeSignIn(c echo.Context, sess service.Session, inBody bool, recovery []string) error {
	c.SetCookie(&http.Cookie{
		Name: deviceCookie, Value: sess.DeviceToken, Path: "/api/v1/auth/login", MaxAge: int(auth.DeviceTTL.Seconds()),
		Expires: time.Now().Add(auth.DeviceTTL), HttpOnly: true, Secure: s.secure, SameSite: http.SameSiteStrictMode,
	})
	return s.writeSessionWith(c, sess, inBody, recovery)
}

// presentedRefreshToken reads the refresh token from the body, or else from
// the web app's cookie, and tells whether the answer carries the rotated
// token in the body: when it came in the body, or the client asked.
func presentedRefreshToken(c echo.Context) (string, bool, error) {
	var req refreshRequest
	if err := bindJSON(c, &req); err != nil {
		return "", false, err
	}
	if req.RefreshToken != "" {
		return req.RefreshToken, true, nil
	}
	if ck, err := c.Cookie(refreshCookie); err == nil {
		return ck.Value, req.ReturnRefreshToken, nil
	}
	return "", req.ReturnRefreshToken, nil
}

func (s *Server) refresh(c echo.Context) error {
	token, inBody, err := presentedRefreshToken(c)
	if err != nil {
		return err
	}
	sess, err := s.svc.Refresh(c.Request().Context(), token)
	if err != nil {
		s.clearRefreshCookie(c)
		return err
	}
	// A client that presented its token in the body keeps its own copy:
	// it gets the rotated one there too.
	return s.writeSession(c, sess, inBody)
}

func (s *Server) logout(c echo.Context) error {
	token, _, err := presentedRefreshToken(c)
	if err != nil {
		return err
	}
	// A bearer token also identifies the session, for API clients that
	// kept no refresh token.
	sid := ""
	if h := c.Request().Header.Get(echo.HeaderAuthorization); len(h) > 7 {
		if claims, err := s.svc.Tokens.Verify(h[7:]); err == nil {
			sid = claims.SessionID
		}
	}
	if err := s.svc.Logout(c.Request().Context(), token, sid); err != nil {
		return err
	}
	s.clearRefreshCookie(c)
	return c.NoContent(http.StatusNoContent)
}

// writeSession answers a sign-in or refresh. The refresh token goes only
// into the HttpOnly cookie, out of reach of page scripts, unless the client
// asked for it in the body (return_refresh_token).
func (s *Server) writeSession(c echo.Context, sess service.Session, inBody bool) error {
	return s.writeSessionWith(c, sess, inBody, nil)
}

func (s *Server) writeSessionWith(c echo.Context, sess service.Session, inBody bool, recovery []string) error {
	view, err := s.svc.User(c.Request().Context(), nil, sess.User.ID)
	if err != nil {
		return err
	}
	c.SetCookie(&http.Cookie{
		Name:     refreshCookie,
		Value:    sess.RefreshToken,
		Path:     "/api/v1/auth",
		Expires:  sess.RefreshUntil,
		MaxAge:   int(time.Until(sess.RefreshUntil).Seconds()),
		HttpOnly: true,
		Secure:   s.secure,
		SameSite: http.SameSiteStrictMode,
	})
	c.SetCookie(&http.Cookie{
		Name: sessionHintCookie, Value: "1", Path: "/", Expires: sess.RefreshUntil,
		MaxAge: int(time.Until(sess.RefreshUntil).Seconds()), Secure: s.secure, SameSite: http.SameSiteStrictMode,
	})
	u := toUserDTO(view)
	refresh := ""
	if inBody {
		refresh = sess.RefreshToken
	}
	u.Permissions = s.svc.Authz.Permissions(view.Role, view.AllReports)
	return c.JSON(http.StatusOK, tokenResponse{
		AccessToken:   sess.AccessToken,
		TokenType:     "Bearer",
		ExpiresIn:     int(sess.ExpiresIn.Seconds()),
		RefreshToken:  refresh,
		User:          u,
		RecoveryCodes: recovery,
	})
}

func (s *Server) clearRefreshCookie(c echo.Context) {
	c.SetCookie(&http.Cookie{
		Name: refreshCookie, Value: "", Path: "/api/v1/auth", MaxAge: -1,
		Expires: time.Unix(0, 0), HttpOnly: true, Secure: s.secure, SameSite: http.SameSiteStrictMode,
	})
	c.SetCookie(&http.Cookie{
		Name: sessionHintCookie, Value: "", Path: "/", MaxAge: -1,
		Expires: time.Unix(0, 0), Secure: s.secure, SameSite: http.SameSiteStrictMode,
	})
}
