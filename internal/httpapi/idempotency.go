package httpapi

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/brug-chw/brug/internal/apperr"
)

// IdempotencyHeader names the key a client sends to make a write safe to
// repeat (a phone on a bad network sends the same visit twice).
const IdempotencyHeader = "Idempotency-Key"

// idempotent makes a signed-in write with an Idempotency-Key run once per
// caller and key: the same key with the same request answers the stored
// outcome, with another request 422, and while the first one still runs
// 409. Outcomes of our own failures (5xx) are not kept, so a retry works.
func (s *Server) idempotent(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		key := c.Request().Header.Get(IdempotencyHeader)
		p := principal(c)
		if key == "" || p == nil {
			return next(c)
		}
		if len(key) > 200 {
			return apperr.ValidationP(IdempotencyHeader, apperr.CodeMax, "Must be at most 200 characters.", apperr.Max(200))
		}
		req := c.Request()
		body, err := io.ReadAll(req.Body)
		if err != nil {
			var maxErr *http.MaxBytesError
			if errors.As(err, &maxErr) {
				return apperr.New(apperr.KindTooLarge, "The request body is too large.")
			}
			return apperr.Wrap(apperr.KindMalformed, "The request body could not be read.", err)
		}
		req.Body = io.NopCloser(bytes.NewReader(body))
		sum := sha256.Sum256(append([]byte(req.Method+" "+req.URL.RequestURI()+"\n"), body...))
		hash := hex.EncodeToString(sum[:])

		ctx := req.Context()
		prev, err := s.svc.Store.ReserveIdempotencyKey(ctx, p.UserID, key, hash)
		if err != nil {
			return err
		}
		if prev != nil {
			switch {
			case prev.RequestHash != hash:
				return apperr.Validation(IdempotencyHeader, "reused", "This key was already used for a different request.")
			case prev.Status == 0:
				return apperr.New(apperr.KindConflict, "A request with this Idempotency-Key is still being processed.")
			}
			c.Response().Header().Set("Idempotent-Replayed", "true")
			return c.Blob(prev.Status, prev.ContentType, []byte(prev.Body))
		}

		rec := &recordingWriter{ResponseWriter: c.Response().Writer}
		c.Response().Writer = rec
		if err := next(c); err != nil {
			c.Error(err)
		}
		status := c.Response().Status
		if status >= 500 || !c.Response().Committed {
			if err := s.svc.Store.ReleaseIdempotencyKey(ctx, p.UserID, key); err != nil {
				s.log.Error("release idempotency key", "err", err)
			}
			return nil
		}
		ct := c.Response().Header().Get(echo.HeaderContentType)
		if err := s.svc.Store.CompleteIdempotencyKey(ctx, p.UserID, key, status, ct, rec.buf.String()); err != nil {
			s.log.Error("store idempotency outcome", "err", err)
		}
		return nil
	}
}

// recordingWriter keeps a copy of what the handler wrote.
type recordingWriter struct {
	http.ResponseWriter
	buf bytes.Buffer
}

func (w *recordingWriter) Write(b []byte) (int, error) {
	w.buf.Write(b)
	return w.ResponseWriter.Write(b)
}

func (w *recordingWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
