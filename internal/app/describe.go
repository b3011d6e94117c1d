package app

import (
	"fmt"
	"strings"

	"github.com/brug-chw/brug/internal/apperr"
)

// describe turns a service error into a message for the command line.
func describe(err error) error {
	ae, ok := apperr.As(err)
	if !ok {
		return err
	}
	var b strings.Builder
	b.WriteString(ae.Detail)
	for _, f := range ae.Fields {
		fmt.Fprintf(&b, "\n  --%s: %s", flagOf(f.Field), f.Message)
	}
	return usageError{b.String()}
}

func flagOf(field string) string {
	switch field {
	case "team_ids":
		return "team"
	case "fund_id":
		return "fund"
	}
	return strings.ReplaceAll(field, "_", "-")
}
