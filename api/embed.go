// Package api embeds the OpenAPI contract served at /api/openapi.yaml.
package api

import _ "embed"

// OpenAPI is api/openapi.yaml.
//
//go:embed openapi.yaml
var OpenAPI []byte
