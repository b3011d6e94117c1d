package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/brug-chw/brug/internal/service"
)

// demoContacts are requests from the public form: new ones (one waiting
// longer than 3 working days), one whose area is unknown, a collaboration
// offer and a question, in several languages.
var demoContacts = []struct {
	in      service.ContactInput
	ageDays int
}{
	{service.ContactInput{Kind: "want_chw", Name: "Samira Benali", Phone: "0486 12 77 31", Municipality: "Gent", Language: "nl",
		Message: "Ik ben net verhuisd en heb nog geen huisarts. Mijn zoon heeft astma."}, 0},
	{service.ContactInput{Kind: "want_chw", Name: "Piotr Nowak", Phone: "0477 52 18 90", Email: "piotr.nowak@example.org", Municipality: "Gent",
		Language: "en", Message: "I need help to get my health insurance in order; I do not understand the letters."}, 8},
	{service.ContactInput{Kind: "want_chw", Name: "Aïcha Diallo", Phone: "0465 33 40 12", Neighbourhood: "Outremeuse", Municipality: "Liège",
		Language: "fr", Message: "J'ai mal aux dents depuis des semaines mais le dentiste est trop cher."}, 1},
	{service.ContactInput{Kind: "want_chw", Name: "Yusuf Kaya", Email: "yusuf.kaya@example.org", Municipality: "Aalst", Language: "nl",
		Message: "Mijn moeder spreekt weinig Nederlands en moet naar een specialist."}, 2},
	{service.ContactInput{Kind: "collaboration", Name: "Els Vermeulen", Organisation: "Wijkgezondheidscentrum Rabot", Phone: "09 225 40 40",
		Email: "info@wgc-rabot.example", Municipality: "Gent", Language: "nl", Message: "Wij willen graag kennismaken en samenwerken rond toeleiding."}, 3},
	{service.ContactInput{Kind: "question", Name: "Jean Dupont", Email: "jean.dupont@example.org", Municipality: "Seraing", Language: "fr",
		Message: "Est-ce que les CHW peuvent aussi venir à domicile le samedi ?"}, 0},
}

// SeedContacts adds demo contact requests when there are none.
func SeedContacts(ctx context.Context, svc *service.Service) (int, error) {
	if n, err := svc.Store.CountContactRequests(ctx); err != nil || n > 0 {
		return 0, err
	}
	now := svc.Store.Now()
	for i, d := range demoContacts {
		in := d.in
		in.Consent, in.ConsentVersion, in.PageLanguage = true, service.ConsentVersion, in.Language
		r, err := svc.SubmitContact(ctx, in)
		if err != nil {
			return i, fmt.Errorf("demo contact %d: %w", i, err)
		}
		if err := svc.Store.BackdateContact(ctx, r.ID, now.Add(-time.Duration(d.ageDays)*24*time.Hour)); err != nil {
			return i, err
		}
	}
	return len(demoContacts), nil
}
