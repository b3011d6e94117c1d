package mask_test

import (
	"testing"

	"github.com/brug-chw/brug/internal/mask"
)

func TestMaskDestination(t *testing.T) {
	for _, c := range []struct{ channel, to, want string }{
		{"sms", "+32470123123", "+32 4•• •• •1 23"},
		{"sms", "+3292345678", "+32 9 ••• •6 78"},
		{"email", "amina@example.org", "a•••@example.org"},
		{"email", "", ""},
	} {
		if got := mask.Destination(c.channel, c.to); got != c.want {
			t.Errorf("%s %q: got %q, want %q", c.channel, c.to, got, c.want)
		}
	}
}
