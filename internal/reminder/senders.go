package reminder

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	mail "github.com/wneessen/go-mail"
)

// Outgoing is one message to one person.
type Outgoing struct {
	To        string // E.164 phone or e-mail address
	Reference string // the dedupe key, so a gateway can drop a repeat
	Message   Message
}

// Sender delivers on one channel.
type Sender interface {
	Send(ctx context.Context, o Outgoing) error
}

// PermanentError is a refusal that retrying will not fix (a 4xx).
type PermanentError struct{ Err error }

func (e PermanentError) Error() string { return e.Err.Error() }
func (e PermanentError) Unwrap() error { return e.Err }

// FailureReason names why a failed message did not go, for the outbox:
// refused (the gateway or mail server would not take it: a wrong number or
// address, a blocked sender) or unreachable (it kept failing to answer until
// the worker gave up).
func FailureReason(lastError string) string {
	if strings.Contains(lastError, "refused") {
		return "refused"
	}
	return "unreachable"
}

// IsPermanent reports whether err should not be retried.
func IsPermanent(err error) bool {
	var p PermanentError
	return errors.As(err, &p)
}

// SMSGateway posts {"to","body","reference"} with a bearer token; any 2xx
// means accepted, 5xx and timeouts are retried, other answers are not.
type SMSGateway struct {
	URL    string
	Token  string
	Client *http.Client
}

// Send delivers one SMS.
func (g SMSGateway) Send(ctx context.Context, o Outgoing) error {
	body, _ := json.Marshal(map[string]string{"to": o.To, "body": o.Message.SMS, "reference": o.Reference})
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, g.URL, bytes.NewReader(body))
	if err != nil {
		return PermanentError{err}
	}
	req.Header.Set("Content-Type", "application/json")
	if g.Token != "" {
		req.Header.Set("Authorization", "Bearer "+g.Token)
	}
	c := g.Client
	if c == nil {
		c = &http.Client{Timeout: 10 * time.Second}
	}
	res, err := c.Do(req)
	if err != nil {
		return fmt.Errorf("sms gateway: %w", err)
	}
	defer res.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(res.Body, 64<<10))
	switch {
	case res.StatusCode >= 200 && res.StatusCode < 300:
		return nil
	case res.StatusCode >= 500 || res.StatusCode == http.StatusTooManyRequests || res.StatusCode == http.StatusRequestTimeout:
		return fmt.Errorf("sms gateway answered %d", res.StatusCode)
	default:
		return PermanentError{fmt.Errorf("sms gateway refused: %d", res.StatusCode)}
	}
}

// SMTP sends e-mail with a plain-text and an HTML part, using STARTTLS when
// the server offers it.
type SMTP struct {
	Host     string
	Port     int
	User     string
	Password string
	From     string
	TLS      bool // smtps:// (implicit TLS)
}

// SMTPFromURL reads smtp://user:pass@host:port?from=brug@example.org.
func SMTPFromURL(raw string) (SMTP, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return SMTP{}, err
	}
	s := SMTP{Host: u.Hostname(), TLS: u.Scheme == "smtps", From: u.Query().Get("from")}
	s.Port = 587
	if s.TLS {
		s.Port = 465
	}
	if p := u.Port(); p != "" {
		if s.Port, err = strconv.Atoi(p); err != nil {
			return SMTP{}, err
		}
	}
	if u.User != nil {
		s.User = u.User.Username()
		s.Password, _ = u.User.Password()
	}
	if s.From == "" {
		s.From = "brug@" + s.Host
	}
	return s, nil
}

// Send delivers one e-mail.
func (s SMTP) Send(ctx context.Context, o Outgoing) error {
	m := mail.NewMsg()
	if err := m.From(s.From); err != nil {
		return PermanentError{err}
	}
	if err := m.To(o.To); err != nil {
		return PermanentError{err}
	}
	m.Subject(o.Message.Subject)
	m.SetMessageID()
	m.SetGenHeader("X-Brug-Reference", o.Reference)
	m.SetBodyString(mail.TypeTextPlain, o.Message.Text)
	m.AddAlternativeString(mail.TypeTextHTML, o.Message.HTML)
	opts := []mail.Option{mail.WithPort(s.Port), mail.WithTimeout(15 * time.Second)}
	if s.TLS {
		opts = append(opts, mail.WithSSL())
	} else {
		opts = append(opts, mail.WithTLSPolicy(mail.TLSOpportunistic))
	}
	if s.User != "" {
		opts = append(opts, mail.WithSMTPAuth(mail.SMTPAuthPlain), mail.WithUsername(s.User), mail.WithPassword(s.Password))
	}
	c, err := mail.NewClient(s.Host, opts...)
	if err != nil {
		return PermanentError{err}
	}
	if err := c.DialAndSendWithContext(ctx, m); err != nil {
		return fmt.Errorf("smtp: %w", err)
	}
	return nil
}
