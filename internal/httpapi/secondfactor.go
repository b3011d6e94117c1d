package httpapi

import (
	"encoding/base64"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/brug-chw/brug/internal/service"
)

// The second factor: the sign-in steps after a right password (a challenge
// and a code), setting one up, recovery codes, and an admin's reset. Like
// every /api/ answer they carry Cache-Control: no-store (securityHeaders),
// so secrets and recovery codes stay out of caches.

type challengeResponse struct {
	SecondFactor string `json:"second_factor"` // verify | enrol
	Challenge    string `json:"challenge"`
	ExpiresIn    int    `json:"expires_in"`
}

type codeRequest struct {
	Challenge          string `json:"challenge" validate:"required,max=512"`
	Code               string `json:"code" validate:"required,max=32"`
	ReturnRefreshToken bool   `json:"return_refresh_token"`
}

func (r *codeRequest) normalize() { r.Code = strings.TrimSpace(r.Code) }

type challengeRequest struct {
	Challenge string `json:"challenge" validate:"required,max=512"`
}

type myCodeRequest struct {
	Code string `json:"code" validate:"required,max=32"`
}

func (r *myCodeRequest) normalize() { r.Code = strings.TrimSpace(r.Code) }

type enrolmentDTO struct {
	Secret     string `json:"secret"`
	OTPAuthURI string `json:"otpauth_uri"`
	QRCode     string `json:"qr_code"` // a data: URI of a PNG image
}

func toEnrolmentDTO(e service.EnrolmentView) enrolmentDTO {
	return enrolmentDTO{Secret: e.Secret, OTPAuthURI: e.URI, QRCode: "data:image/png;base64," + base64.StdEncoding.EncodeToString(e.QRPNG)}
}

type recoveryCodesDTO struct {
	RecoveryCodes []string `json:"recovery_codes"`
}

type secondFactorDTO struct {
	Enabled           bool       `json:"enabled"`
	EnabledAt         *time.Time `json:"enabled_at"`
	Required          bool       `json:"required"`
	RecoveryCodesLeft int        `json:"recovery_codes_left"`
}

func (s *Server) verifySecondFactor(c echo.Context) error {
	var req codeRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	sess, err := s.svc.VerifySecondFactor(c.Request().Context(), req.Challenge, req.Code)
	if err != nil {
		return err
	}
	return s.writeSignIn(c, sess, req.ReturnRefreshToken, nil)
}

func (s *Server) startEnrolmentWithChallenge(c echo.Context) error {
	var req challengeRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	e, err := s.svc.StartEnrolmentWithChallenge(c.Request().Context(), req.Challenge)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, toEnrolmentDTO(e))
}

func (s *Server) confirmEnrolmentWithChallenge(c echo.Context) error {
	var req codeRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	sess, codes, err := s.svc.ConfirmEnrolmentWithChallenge(c.Request().Context(), req.Challenge, req.Code)
	if err != nil {
		return err
	}
	return s.writeSignIn(c, sess, req.ReturnRefreshToken, codes)
}

func (s *Server) getMySecondFactor(c echo.Context) error {
	st, err := s.svc.MySecondFactor(c.Request().Context(), principal(c))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, secondFactorDTO{Enabled: st.Enabled, EnabledAt: st.EnabledAt, Required: st.Required, RecoveryCodesLeft: st.RecoveryCodes})
}

func (s *Server) startMyEnrolment(c echo.Context) error {
	e, err := s.svc.StartEnrolment(c.Request().Context(), principal(c))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, toEnrolmentDTO(e))
}

func (s *Server) confirmMyEnrolment(c echo.Context) error {
	var req myCodeRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	codes, err := s.svc.ConfirmEnrolment(c.Request().Context(), principal(c), req.Code)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, recoveryCodesDTO{RecoveryCodes: codes})
}

func (s *Server) newMyRecoveryCodes(c echo.Context) error {
	var req myCodeRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	codes, err := s.svc.NewRecoveryCodes(c.Request().Context(), principal(c), req.Code)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, recoveryCodesDTO{RecoveryCodes: codes})
}

func (s *Server) resetSecondFactor(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	if err := s.svc.ResetSecondFactor(c.Request().Context(), principal(c), id); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}
