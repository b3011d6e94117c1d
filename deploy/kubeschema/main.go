// Command kubeschema turns Kubernetes OpenAPI v3 documents into the JSON
// schemas kubeconform reads, one file per kind, strict (an object with
// listed properties allows no others, as kubeconform's "-strict" schemas).
// kubeconform downloads its schemas from the web; this makes them offline
// from the OpenAPI documents of the Go module k8s.io/client-go
// (openapi/openapitest/testdata: core v1, apps v1, batch v1, …), so
// `make kubeconform` needs only the Go module proxy.
//
//	go run ./deploy/kubeschema -o DIR api__v1_openapi.json apis__apps__v1_openapi.json …
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

func main() {
	out := flag.String("o", "", "folder to write the schemas to")
	flag.Parse()
	if *out == "" || flag.NArg() == 0 {
		fmt.Fprintln(os.Stderr, "usage: kubeschema -o DIR OPENAPI.json…")
		os.Exit(2)
	}
	if err := run(*out, flag.Args()); err != nil {
		fmt.Fprintln(os.Stderr, "kubeschema:", err)
		os.Exit(1)
	}
}

func run(out string, docs []string) error {
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	n := 0
	for _, path := range docs {
		raw, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		var doc struct {
			Components struct {
				Schemas map[string]any `json:"schemas"`
			} `json:"components"`
		}
		if err := json.Unmarshal(raw, &doc); err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		schemas := doc.Components.Schemas
		for _, s := range schemas {
			strict(s)
		}
		for name, s := range schemas {
			gvks, _ := s.(map[string]any)["x-kubernetes-group-version-kind"].([]any)
			for _, g := range gvks {
				gvk := g.(map[string]any)
				group, _ := gvk["group"].(string)
				version, _ := gvk["version"].(string)
				kind, _ := gvk["kind"].(string)
				suffix := "-" + version
				if group != "" {
					suffix = "-" + strings.Split(group, ".")[0] + "-" + version
				}
				file := filepath.Join(out, strings.ToLower(kind)+suffix+".json")
				used := map[string]any{}
				reach(schemas, name, used)
				body, err := json.Marshal(map[string]any{
					"$schema":    "http://json-schema.org/draft-07/schema#",
					"$ref":       "#/components/schemas/" + name,
					"components": map[string]any{"schemas": used},
				})
				if err != nil {
					return err
				}
				if err := os.WriteFile(file, body, 0o644); err != nil {
					return err
				}
				n++
			}
		}
	}
	if n == 0 {
		return fmt.Errorf("no kinds found in %v", docs)
	}
	fmt.Printf("kubeschema: %d kind schemas in %s\n", n, out)
	return nil
}

// strict forbids properties an object schema does not list, everywhere.
func strict(v any) {
	switch v := v.(type) {
	case map[string]any:
		if _, ok := v["properties"]; ok {
			if _, set := v["additionalProperties"]; !set {
				v["additionalProperties"] = false
			}
		}
		for _, c := range v {
			strict(c)
		}
	case []any:
		for _, c := range v {
			strict(c)
		}
	}
}

// reach adds the schema name and every schema it refers to into used.
func reach(schemas map[string]any, name string, used map[string]any) {
	if _, ok := used[name]; ok {
		return
	}
	s, ok := schemas[name]
	if !ok {
		return
	}
	used[name] = s
	var walk func(v any)
	walk = func(v any) {
		switch v := v.(type) {
		case map[string]any:
			if ref, ok := v["$ref"].(string); ok {
				reach(schemas, strings.TrimPrefix(ref, "#/components/schemas/"), used)
			}
			for _, c := range v {
				walk(c)
			}
		case []any:
			for _, c := range v {
				walk(c)
			}
		}
	}
	walk(s)
}
