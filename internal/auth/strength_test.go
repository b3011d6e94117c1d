package auth

import "testing"

func TestPasswordProblem(t *testing.T) {
	const email, name = "lotte.peeters@example.org", "Lotte Peeters"
	cases := []struct{ pw, want string }{
		{"aaaaaaaaaaaa", PasswordWeak},
		{"password1234", PasswordCommon},
		{"            ", PasswordWeak},
		{"lotte.peeters@example.org", PasswordPersonal},
		{"LottePeeters2026!", PasswordPersonal},
		{"Wachtwoord2026!", PasswordCommon},
		{"azertyuiop123", PasswordCommon},
		{"qwertyuiopasdf", PasswordWeak},
		{"123456789012", PasswordWeak},
		{"correct horse battery staple", ""},
		{"Zeebrugge kaai 47, regen!", ""},
		{"grenadine-fietsbel-oktober", ""},
	}
	for _, tc := range cases {
		if got := PasswordProblem(tc.pw, email, name); got != tc.want {
			t.Errorf("%q: %q, want %q", tc.pw, got, tc.want)
		}
	}
}
