package httpapi

import (
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/brug-chw/brug/internal/service"
)

const refreshCookie = "brug_refresh"

type loginRequest struct {
	Email    string `json:"email" validate:"required,email,max=254"`
	Password string `json:"password" validate:"required,max=1024"`
}

func (r *loginRequest) normalize() { r.Email = strings.TrimSpace(r.Email) }

type refreshRequest struct {
	RefreshToken string `json:"refresh_token" validate:"max=256"`
}

type tokenResponse struct {
	AccessToken  string  `json:"access_token"`
	TokenType    string  `json:"token_type"`
	ExpiresIn    int     `json:"expires_in"`
	RefreshToken string  `json:"refresh_token"`
	User         userDTO `json:"user"`
}

func (s *Server) login(c echo.Context) error {
	var req loginRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	sess, err := s.svc.Login(c.Request().Context(), req.Email, req.Password)
	if err != nil {
		return err
	}
	return s.writeSession(c, sess)
}

// presentedRefreshToken reads the refresh token from the body, or else from
// the web app's cookie.
func presentedRefreshToken(c echo.Context) (string, error) {
	var req refreshRequest
	if err := bindJSON(c, &req); err != nil {
		return "", err
	}
	if req.RefreshToken != "" {
		return req.RefreshToken, nil
	}
	if ck, err := c.Cookie(refreshCookie); err == nil {
		return ck.Value, nil
	}
	return "", nil
}

func (s *Server) refresh(c echo.Context) error {
	token, err := presentedRefreshToken(c)
	if err != nil {
		return err
	}
	sess, err := s.svc.Refresh(c.Request().Context(), token)
	if err != nil {
		s.clearRefreshCookie(c)
		return err
	}
	return s.writeSession(c, sess)
}

func (s *Server) logout(c echo.Context) error {
	token, err := presentedRefreshToken(c)
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

func (s *Server) writeSession(c echo.Context, sess service.Session) error {
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
	u := toUserDTO(view)
	u.Permissions = s.svc.Authz.Permissions(view.Role, view.AllReports)
	return c.JSON(http.StatusOK, tokenResponse{
		AccessToken:  sess.AccessToken,
		TokenType:    "Bearer",
		ExpiresIn:    int(sess.ExpiresIn.Seconds()),
		RefreshToken: sess.RefreshToken,
		User:         u,
	})
}

func (s *Server) clearRefreshCookie(c echo.Context) {
	c.SetCookie(&http.Cookie{
		Name: refreshCookie, Value: "", Path: "/api/v1/auth", MaxAge: -1,
		Expires: time.Unix(0, 0), HttpOnly: true, Secure: s.secure, SameSite: http.SameSiteStrictMode,
	})
}
