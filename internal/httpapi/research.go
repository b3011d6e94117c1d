package httpapi

import (
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/brug-chw/brug/internal/model"
	"github.com/brug-chw/brug/internal/research"
	"github.com/brug-chw/brug/internal/service"
)

// Headers of a released research extract. The key is shown only here,
// once: the server keeps its SHA-256 fingerprint, never the key itself.
const (
	HeaderExtractKey         = "Brug-Extract-Key"
	HeaderExtractID          = "Brug-Extract-Id"
	HeaderExtractRows        = "Brug-Extract-Rows"
	HeaderExtractGeneralised = "Brug-Extract-Generalised"
	HeaderExtractSuppressed  = "Brug-Extract-Suppressed"
)

type researchExtractRequest struct{}

type researchExtractDTO struct {
	ID             string         `json:"id"`
	RequestedBy    userRef        `json:"requested_by"`
	RequestedAt    time.Time      `json:"requested_at"`
	KeyFingerprint string         `json:"key_fingerprint"`
	Eligible       int            `json:"eligible"`
	Rows           int            `json:"rows"`
	Generalised    int            `json:"generalised"`
	Suppressed     int            `json:"suppressed"`
	Params         map[string]any `json:"params"`
}

type researchColumnDTO struct {
	Name            string   `json:"name"`
	Type            string   `json:"type"`
	Description     string   `json:"description"`
	Values          []string `json:"values,omitempty"`
	QuasiIdentifier bool     `json:"quasi_identifier"`
}

// createResearchExtract releases a new extract as CSV; the key of its
// pseudonyms is in the Brug-Extract-Key header, shown this once.
func (s *Server) createResearchExtract(c echo.Context) error {
	var in researchExtractRequest
	if err := bindJSON(c, &in); err != nil {
		return err
	}

	res, err := s.svc.ResearchExtract(c.Request().Context(), principal(c))
	if err != nil {
		return err
	}

	h := c.Response().Header()
	h.Set(echo.HeaderContentType, "text/csv; charset=utf-8")
	h.Set(echo.HeaderContentDisposition, `attachment; filename="brug-research-`+res.Extract.RequestedAt.In(service.Brussels).Format("2006-01-02")+`-`+res.Extract.ID[len(res.Extract.ID)-8:]+`.csv"`)
	h.Set("Cache-Control", "no-store")
	h.Set(HeaderExtractKey, hex.EncodeToString(res.Key))
	h.Set(HeaderExtractID, res.Extract.ID)
	h.Set(HeaderExtractRows, strconv.Itoa(res.Extract.Rows))
	h.Set(HeaderExtractGeneralised, strconv.Itoa(res.Extract.Generalised))
	h.Set(HeaderExtractSuppressed, strconv.Itoa(res.Extract.Suppressed))
	c.Response().WriteHeader(http.StatusCreated)

	w := csv.NewWriter(c.Response())
	header := make([]string, len(res.Columns))
	for i, col := range res.Columns {
		header[i] = col.Name
	}
	_ = w.Write(header)
	for _, r := range res.Rows {
		_ = w.Write(r)
	}
	w.Flush()
	return w.Error()
}

// listResearchExtracts lists past extracts: who, when, how many rows, the
// key's fingerprint — never a key.
func (s *Server) listResearchExtracts(c echo.Context) error {
	list, names, err := s.svc.ResearchExtracts(c.Request().Context(), principal(c))
	if err != nil {
		return err
	}

	items := make([]researchExtractDTO, 0, len(list))
	for _, e := range list {
		items = append(items, toResearchExtractDTO(e, names[e.RequestedBy]))
	}
	return c.JSON(http.StatusOK, map[string]any{"items": items})
}

func toResearchExtractDTO(e model.ResearchExtract, name string) researchExtractDTO {
	d := researchExtractDTO{
		ID:             e.ID,
		RequestedBy:    userRef{ID: e.RequestedBy, Name: name},
		RequestedAt:    e.RequestedAt,
		KeyFingerprint: e.KeyFingerprint,
		Eligible:       e.Eligible,
		Rows:           e.Rows,
		Generalised:    e.Generalised,
		Suppressed:     e.Suppressed,
		Params:         map[string]any{},
	}
	_ = json.Unmarshal([]byte(e.Params), &d.Params)
	return d
}

// researchDictionary describes the extract's columns, the quasi-identifiers
// and the anonymisation rules.
func (s *Server) researchDictionary(c echo.Context) error {
	cols, err := s.svc.ResearchColumns(c.Request().Context())
	if err != nil {
		return err
	}

	out := make([]researchColumnDTO, 0, len(cols))
	for _, col := range cols {
		out = append(out, researchColumnDTO{
			Name:            col.Name,
			Type:            col.Type,
			Description:     col.Description,
			Values:          col.Values,
			QuasiIdentifier: col.Quasi,
		})
	}
	return c.JSON(http.StatusOK, map[string]any{
		"k":                 research.K,
		"quasi_identifiers": research.QuasiIdentifiers,
		"generalisation":    research.Generalisation,
		"key":               "Brug-Extract-Key header of the extract's response: 32 random bytes in hex, shown once; the server keeps only its SHA-256 (key_fingerprint).",
		"columns":           out,
	})
}
