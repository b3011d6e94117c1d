// Package migrations holds the goose SQL migrations, one folder per engine
// with the same version numbers, embedded into the binary.
package migrations

import "embed"

// FS holds sqlite/*.sql and postgres/*.sql.
//
//go:embed sqlite/*.sql postgres/*.sql
var FS embed.FS
