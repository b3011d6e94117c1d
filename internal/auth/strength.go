package auth

import (
	"bufio"
	"bytes"
	"compress/gzip"
	_ "embed"
	"strings"
	"sync"
	"unicode"

	"github.com/trustelem/zxcvbn"
)

// commonPasswords is the list of the most common passwords, shipped in the
// repository (see its first line for where it comes from).
//
//go:embed common-passwords.txt.gz
var commonPasswordsGz []byte

var (
	commonOnce sync.Once
	commonPws  map[string]struct{}
)

// localCommon are guesses an attacker of a Belgian programme tries first.
var localCommon = []string{"wachtwoord", "motdepasse", "passwort", "azerty", "azertyuiop", "brug", "brugbrug", "welkom", "bienvenue",
	"willkommen", "belgie", "belgique", "belgien", "brussel", "bruxelles", "antwerpen", "gent", "liege", "luik", "mutualiteit", "mutualite",
	"ziekenfonds", "gezondheid", "sante"}

func commonSet() map[string]struct{} {
	commonOnce.Do(func() {
		commonPws = map[string]struct{}{}
		zr, err := gzip.NewReader(bytes.NewReader(commonPasswordsGz))
		if err != nil {
			panic("auth: the common-password list is damaged: " + err.Error())
		}
		sc := bufio.NewScanner(zr)
		for sc.Scan() {
			if w := strings.TrimSpace(sc.Text()); w != "" && !strings.HasPrefix(w, "#") {
				commonPws[strings.ToLower(w)] = struct{}{}
			}
		}
		for _, w := range localCommon {
			commonPws[w] = struct{}{}
		}
	})
	return commonPws
}

// Reasons PasswordProblem gives.
const (
	PasswordCommon   = "common"   // on the common-password list, or one of them with digits or signs added
	PasswordPersonal = "personal" // holds the account's e-mail address or name
	PasswordWeak     = "weak"     // a strength estimator scores it below 3 of 4
)

// MinPasswordScore is the zxcvbn score (0-4) a password must reach.
const MinPasswordScore = 3

// PasswordProblem says why a password people could guess is refused, or ""
// for one that will do. personal holds what an attacker knows of the
// account (its e-mail address, its name). The length is the caller's rule.
func PasswordProblem(password string, personal ...string) string {
	lower := strings.ToLower(password)
	set := commonSet()
	if _, ok := set[lower]; ok {
		return PasswordCommon
	}
	// "password1234", "Welkom2026!": a common word with digits or signs around it.
	if base := strings.TrimFunc(lower, func(r rune) bool { return !unicode.IsLetter(r) }); len([]rune(base)) >= 4 {
		if _, ok := set[base]; ok {
			return PasswordCommon
		}
	}
	var inputs []string
	for _, p := range personal {
		p = strings.ToLower(strings.TrimSpace(p))
		if p == "" {
			continue
		}
		inputs = append(inputs, p)
		for _, part := range strings.FieldsFunc(p, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
			if len([]rune(part)) >= 3 && part != "example" && part != "org" && part != "com" {
				inputs = append(inputs, part)
			}
		}
	}
	for _, in := range inputs {
		if len([]rune(in)) >= 3 && strings.Contains(lower, in) {
			return PasswordPersonal
		}
	}
	if zxcvbn.PasswordStrength(password, inputs).Score < MinPasswordScore {
		return PasswordWeak
	}
	return ""
}
