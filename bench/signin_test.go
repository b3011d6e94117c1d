package bench

import (
	"net/http"
	"testing"
	"time"

	"github.com/brug-chw/brug/internal/auth"
	"github.com/brug-chw/brug/internal/demo"
	"github.com/brug-chw/brug/internal/testutil"
)

// BenchmarkSignIn measures a sign-in with production password hashing
// (argon2id, auth.DefaultPasswordParams), with the password alone and with
// a TOTP code after it (two requests: the password answers 202 with a
// challenge, the code opens the session). Reported per step. Run with
// -benchtime 30x.
func BenchmarkSignIn(b *testing.B) {
	for _, engine := range engines() {
		b.Run(engine, func(b *testing.B) {
			api := testutil.NewAPI(b, engine)
			api.Svc.Hasher = auth.NewHasher(auth.DefaultPasswordParams, 4)
			// The first sign-ins rehash the demo passwords at production cost.
			for _, who := range []string{"chw.gent1@example.org", "coordinator.gent@example.org"} {
				api.Login(who, demo.Password)
			}
			coord := api.Bearer("coordinator.gent@example.org")
			secret := api.Do(http.MethodPost, "/api/v1/me/second-factor/enrolment", map[string]any{}, coord).JSON(b)["secret"].(string)
			if r := api.Do(http.MethodPost, "/api/v1/me/second-factor/enrolment/confirm", map[string]any{"code": auth.CodeAt(secret, api.Clock.Now())}, coord); r.Status != 200 {
				b.Fatalf("enrol: %d %s", r.Status, r.Body)
			}
			b.Run("password", func(b *testing.B) {
				for b.Loop() {
					if r := api.Login("chw.gent1@example.org", demo.Password); r.Status != 200 {
						b.Fatalf("%d %s", r.Status, r.Body)
					}
				}
			})
			b.Run("password+totp", func(b *testing.B) {
				var pw, code time.Duration
				for b.Loop() {
					api.Clock.Advance(auth.TOTPPeriod) // a new code every time, as a person would type
					t0 := time.Now()
					r := api.Login("coordinator.gent@example.org", demo.Password)
					if r.Status != 202 {
						b.Fatalf("%d %s", r.Status, r.Body)
					}
					t1 := time.Now()
					ch := r.JSON(b)["challenge"].(string)
					if r := api.Do(http.MethodPost, "/api/v1/auth/second-factor", map[string]any{"challenge": ch, "code": auth.CodeAt(secret, api.Clock.Now())}, nil); r.Status != 200 {
						b.Fatalf("%d %s", r.Status, r.Body)
					}
					pw += t1.Sub(t0)
					code += time.Since(t1)
				}
				b.ReportMetric(float64(pw.Microseconds())/float64(b.N)/1000, "ms/password-step")
				b.ReportMetric(float64(code.Microseconds())/float64(b.N)/1000, "ms/code-step")
			})
		})
	}
}
