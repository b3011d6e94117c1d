package app

import (
	"context"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/brug-chw/brug/internal/config"
	"github.com/brug-chw/brug/internal/service"
)

// accessRegister prints the register of who may see what (the Belgian law
// of 30 July 2018) from the policy, the scoping rules and the accounts.
func accessRegister(ctx context.Context, cfg *config.Config, stdout, stderr io.Writer) error {
	d, err := Prepare(ctx, cfg)
	if err != nil {
		return err
	}
	defer d.Close()
	svc, err := NewService(cfg, d, NewLogger(cfg, stderr), Options{})
	if err != nil {
		return err
	}
	reg, err := svc.BuildAccessRegister(ctx, nil)
	if err != nil {
		return err
	}
	return WriteAccessRegister(stdout, reg)
}

// WriteAccessRegister renders the register as plain text.
func WriteAccessRegister(w io.Writer, reg service.AccessRegister) error {
	var b strings.Builder
	fmt.Fprintf(&b, "Brug access register (Belgian law of 30 July 2018, art. 9: persons with access to health data)\n")
	fmt.Fprintf(&b, "Generated %s UTC. Source: the authorization policy and the scoping rules in the code.\n\n", reg.GeneratedAt.Format("2006-01-02 15:04"))

	b.WriteString("WHO MAY READ OR CHANGE WHICH DATA\n")
	for _, r := range reg.Roles {
		client := "no client records"
		if r.ClientData {
			client = "READS CLIENT RECORDS"
		}
		fmt.Fprintf(&b, "\n%s — %s (%s)\n", r.Role, r.Description, client)
		tw := tabwriter.NewWriter(&b, 2, 4, 2, ' ', 0)
		for _, rule := range r.Rules {
			fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\n", rule.Access, rule.Data, rule.Scope, rule.Permission)
		}
		if err := tw.Flush(); err != nil {
			return err
		}
	}

	b.WriteString("\nACCOUNTS PER TEAM (enabled accounts)\n")
	for _, t := range reg.Teams {
		fmt.Fprintf(&b, "\n%s (%d)\n", t.Name, len(t.Accounts))
		for _, a := range t.Accounts {
			fmt.Fprintf(&b, "  %-12s %s <%s>\n", a.Role, a.Name, a.Email)
		}
	}
	fmt.Fprintf(&b, "\nProgramme-wide or without a team (%d)\n", len(reg.Programme))
	for _, a := range reg.Programme {
		fmt.Fprintf(&b, "  %-12s %s <%s>\n", a.Role, a.Name, a.Email)
	}
	fmt.Fprintf(&b, "\nLive emergency access (break-the-glass) (%d)\n", len(reg.Emergency))
	for _, g := range reg.Emergency {
		fmt.Fprintf(&b, "  %s <%s>: a client of %s, until %s UTC\n", g.UserName, g.UserEmail, g.TeamName, g.ExpiresAt.Format("2006-01-02 15:04"))
	}
	_, err := io.WriteString(w, b.String())
	return err
}
