package httpapi

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"net/http"
	"os"
	"syscall"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/brug-chw/brug/internal/apperr"
	"github.com/brug-chw/brug/internal/model"
	"github.com/brug-chw/brug/internal/service"
)

// IdempotencyHeader names the key a client sends to make a write safe to
// repeat (a phone on a bad network sends the same visit twice).
const IdempotencyHeader = "Idempotency-Key"

// maxIdempotencyKey is the longest key accepted.
const maxIdempotencyKey = 255

// crashAfterCommitEnv is a TEST-ONLY hook: when a write sent with exactly
// this Idempotency-Key has committed, the process kills itself (SIGKILL)
// before it answers, as a crash or kill -9 at the worst moment would. The
// crash test (internal/app) sets it on a child `brug serve`; nothing else
// should.
const crashAfterCommitEnv = "BRUG_TEST_CRASH_AFTER_COMMIT"

// idempotent makes a write with an Idempotency-Key run once per caller and
// key. The guarantee, under concurrency, replicas and kill -9 alike:
//
// The request runs in ONE database transaction that also holds the key's
// row (store.RunIdempotent); the answer is kept in that row and committed
// with the work, and it is sent only after the commit. So
//   - a repeat (same caller, key and request) gets the stored answer, with
//     Idempotent-Replayed: true, and nothing is done again;
//   - two requests at once with one key: the second waits for the first's
//     commit (row lock) and replays its answer; after IdempotencyLockWait
//     (PostgreSQL) it answers 409 idempotency_in_progress with Retry-After;
//   - a crash after the commit: the retry replays; before it: nothing was
//     written, the retry does the work;
//   - our own failure (5xx, a failed commit) rolls the work back and keeps
//     no answer, so the retry does the work; 408/425/429 keep the writes
//     (e.g. an audited refusal) but free the key;
//   - the same key with another request (method, path, body) is 422
//     idempotency_key_reused; a key used more than 24 hours ago with the same
//     request is 422 idempotency_key_expired (not done a second time).
//
// The key is per caller: the signed-in user, or on public writes the client
// address. A malformed key (not 1–255 printable ASCII characters) is 422
// naming the header.
func (s *Server) idempotent(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		req := c.Request()
		values := req.Header.Values(IdempotencyHeader)
		if len(values) == 0 {
			return next(c)
		}
		key := values[0]
		if err := checkIdempotencyKey(values); err != nil {
			return err
		}
		caller := "anon:" + c.RealIP()
		if p := principal(c); p != nil {
			caller = "user:" + p.UserID
		}
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

		res := c.Response()
		real := res.Writer
		buf := &bufferedWriter{header: real.Header().Clone()}
		res.Writer = buf
		// reset forgets whatever the handler wrote: the answer is decided
		// after the transaction.
		reset := func() {
			res.Writer = real
			res.Status, res.Size, res.Committed = 0, 0, false
			c.SetRequest(req)
		}
		var failed error
		prev, err := s.svc.RunIdempotent(req.Context(), caller, key, hash, func(ctx context.Context) service.IdempotencyOutcome {
			c.SetRequest(req.WithContext(ctx))
			if err := next(c); err != nil {
				if !clientError(err) {
					// Our failure: roll back first, then answer (the
					// error handler may ask the database if it is up).
					failed = err
					return service.IdempotencyOutcome{}
				}
				c.Error(err)
			}
			status := res.Status
			switch {
			case !res.Committed:
				failed = errors.New("the handler wrote no answer")
				return service.IdempotencyOutcome{}
			case status >= 500:
				return service.IdempotencyOutcome{}
			case status == http.StatusRequestTimeout || status == http.StatusTooEarly || status == http.StatusTooManyRequests:
				return service.IdempotencyOutcome{Commit: true}
			}
			return service.IdempotencyOutcome{Commit: true, Keep: true, Status: status,
				ContentType: buf.header.Get(echo.HeaderContentType), Body: buf.body.Bytes()}
		})
		switch {
		case errors.Is(err, service.ErrIdempotencyBusy):
			reset()
			return &apperr.Error{Kind: apperr.KindConflict, Detail: "A request with this Idempotency-Key is still being processed; try again shortly.",
				RetryAfter: time.Second, Extra: map[string]any{"code": "idempotency_in_progress"}}
		case err != nil:
			reset()
			return err
		case failed != nil:
			reset()
			return failed
		case prev != nil:
			reset()
			return s.replay(c, prev, hash)
		}
		if s.crashAfterCommit != "" && key == s.crashAfterCommit {
			_ = syscall.Kill(os.Getpid(), syscall.SIGKILL)
		}
		// Committed: now the answer may leave.
		res.Writer = real
		for k := range real.Header() {
			if _, ok := buf.header[k]; !ok {
				real.Header().Del(k)
			}
		}
		for k, v := range buf.header {
			real.Header()[k] = v
		}
		c.SetRequest(req)
		if buf.status == 0 {
			buf.status = res.Status
		}
		real.WriteHeader(buf.status)
		_, _ = real.Write(buf.body.Bytes())
		return nil
	}
}

// replay answers a key that was already used.
func (s *Server) replay(c echo.Context, prev *model.IdempotencyKey, hash string) error {
	switch {
	case prev.RequestHash != hash:
		return &apperr.Error{Kind: apperr.KindValidation, Detail: "This Idempotency-Key was already used for a different request; send a new key.",
			Fields: []apperr.FieldError{{Field: IdempotencyHeader, Code: "reused", Message: "This key was already used for a different request."}},
			Extra:  map[string]any{"code": "idempotency_key_reused"}}
	case !prev.ExpiresAt.After(s.svc.Now()):
		return &apperr.Error{Kind: apperr.KindValidation, Detail: "This Idempotency-Key was used more than 24 hours ago; its answer is no longer kept. Send a new key if you mean to do it again.",
			Fields: []apperr.FieldError{{Field: IdempotencyHeader, Code: "expired", Message: "This key has expired."}},
			Extra:  map[string]any{"code": "idempotency_key_expired"}}
	case prev.State != "done":
		return &apperr.Error{Kind: apperr.KindConflict, Detail: "A request with this Idempotency-Key is still being processed; try again shortly.",
			RetryAfter: time.Second, Extra: map[string]any{"code": "idempotency_in_progress"}}
	}
	c.Response().Header().Set("Idempotent-Replayed", "true")
	return c.Blob(prev.Status, prev.ContentType, []byte(prev.Body))
}

// checkIdempotencyKey accepts one key of 1–255 printable ASCII characters.
func checkIdempotencyKey(values []string) error {
	if len(values) > 1 {
		return apperr.Validation(IdempotencyHeader, "invalid", "Send one Idempotency-Key.")
	}
	key := values[0]
	if len(key) < 1 || len(key) > maxIdempotencyKey {
		return apperr.ValidationP(IdempotencyHeader, apperr.CodeLength, "Must be 1 to 255 characters.", apperr.Between(1, maxIdempotencyKey))
	}
	for i := 0; i < len(key); i++ {
		if key[i] < 0x20 || key[i] > 0x7e {
			return apperr.Validation(IdempotencyHeader, "characters", "Use printable ASCII characters only (letters, digits, - and the like).")
		}
	}
	return nil
}

// clientError: an error the request's transaction may answer and commit
// (a refusal of the client's request, below 500).
func clientError(err error) bool {
	var ae *apperr.Error
	if errors.As(err, &ae) {
		return ae.Status() < 500
	}
	var he *echo.HTTPError
	if errors.As(err, &he) {
		return he.Code < 500
	}
	return false
}

// bufferedWriter holds the handler's answer until the transaction commits.
type bufferedWriter struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (w *bufferedWriter) Header() http.Header { return w.header }

func (w *bufferedWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
}

func (w *bufferedWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.body.Write(b)
}

// Flush does nothing: nothing leaves before the commit.
func (w *bufferedWriter) Flush() {}
