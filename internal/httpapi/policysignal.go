package httpapi

import (
	"bytes"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/go-pdf/fpdf"
	"github.com/labstack/echo/v4"

	"github.com/brug-chw/brug/internal/apperr"
	"github.com/brug-chw/brug/internal/model"
	"github.com/brug-chw/brug/internal/service"
)

// signalTexts are the fixed words of the policy signal document.
var signalTexts = map[string]map[string]string{
	"nl": {"title": "Beleidssignaal", "period": "Periode", "region": "Regio", "total": "Gesignaleerde drempels", "count": "aantal",
		"words": "Wat de gezondheidsbemiddelaars vaststelden", "none": "Geen gesignaleerde drempels in deze periode.", "hidden": "verborgen",
		"privacy": "Aantallen over minder dan %d personen zijn verborgen, de andere afgerond op %d. Geen namen of gegevens van cliënten."},
	"fr": {"title": "Signal politique", "period": "Période", "region": "Région", "total": "Obstacles signalés", "count": "nombre",
		"words": "Ce que les agents de santé communautaires ont constaté", "none": "Aucun obstacle signalé pendant cette période.", "hidden": "masqué",
		"privacy": "Les nombres portant sur moins de %d personnes sont masqués, les autres arrondis à %d. Aucun nom ni donnée de personne."},
	"de": {"title": "Politisches Signal", "period": "Zeitraum", "region": "Region", "total": "Gemeldete Hürden", "count": "Anzahl",
		"words": "Was die Gesundheitsvermittler festgestellt haben", "none": "Keine gemeldeten Hürden in diesem Zeitraum.", "hidden": "verborgen",
		"privacy": "Zahlen über weniger als %d Personen sind verborgen, die übrigen auf %d gerundet. Keine Namen oder Daten von Personen."},
	"en": {"title": "Policy signal", "period": "Period", "region": "Region", "total": "Barriers signalled", "count": "count",
		"words": "What the community health workers found", "none": "No barriers signalled in this period.", "hidden": "hidden",
		"privacy": "Counts about fewer than %d people are hidden, the others rounded to %d. No names or personal data."},
}

// policySignal answers the quarterly policy signal as JSON or, with
// format=pdf, as a printable document (a download: always suppressed).
// Without a period it covers the last full quarter.
func (s *Server) policySignal(c echo.Context) error {
	var fields apperr.Fields
	prm := s.parseReportParams(c, reportQuery{formats: []string{"json", "pdf"}, defaultPeriod: s.lastQuarter()}, &fields)
	lang := c.QueryParam("lang")
	if lang == "" {
		lang = principal(c).Language
	}
	if !slices.Contains(model.Languages, lang) {
		fields.AddP("lang", apperr.CodeOneOf, "Must be nl, fr, de or en.", apperr.Options("nl", "fr", "de", "en"))
	}
	if err := fields.Err(); err != nil {
		return err
	}
	format := c.QueryParam("format")
	rep, err := s.svc.PolicySignalReport(c.Request().Context(), principal(c), prm, lang)
	if err != nil {
		return err
	}
	if format == "pdf" {
		s.svc.AuditExport(c.Request().Context(), principal(c), "policy_signal", prm.From.Format("2006-01-02")+" pdf")
		b, err := signalPDF(rep)
		if err != nil {
			return err
		}
		h := c.Response().Header()
		h.Set(echo.HeaderContentDisposition, `attachment; filename="brug-policy-signal-`+prm.From.Format("2006-01-02")+`.pdf"`)
		return c.Blob(http.StatusOK, "application/pdf", b)
	}
	return c.JSON(http.StatusOK, map[string]any{
		"report": "policy_signal", "from": prm.From.Format("2006-01-02"), "to": prm.To.AddDate(0, 0, -1).Format("2006-01-02"),
		"language": lang, "threshold": rep.Threshold, "exact": rep.Exact, "regions": rep.Regions,
	})
}

// lastQuarter names the last full quarter in Brussels (2026-Q3).
func (s *Server) lastQuarter() string {
	now := s.svc.Now().In(service.Brussels)
	q, y := (int(now.Month())-1)/3, now.Year()
	if q == 0 {
		q, y = 4, y-1
	}
	return fmt.Sprintf("%d-Q%d", y, q)
}

// signalPDF lays the policy signal out on A4 pages.
func signalPDF(rep service.PolicySignal) ([]byte, error) {
	tx := signalTexts[rep.Language]
	pdf := fpdf.New("P", "mm", "A4", "")
	pdf.SetTitle(tx["title"], true)
	pdf.SetCreator("Brug", true)
	pdf.SetCreationDate(time.Unix(0, 0).UTC())    // the same figures give the same file
	tr := pdf.UnicodeTranslatorFromDescriptor("") // cp1252: the accents of nl, fr and de
	pdf.SetMargins(18, 18, 18)
	pdf.SetAutoPageBreak(true, 18)
	pdf.AddPage()
	pdf.SetFont("Helvetica", "B", 18)
	pdf.CellFormat(0, 10, tr(tx["title"]), "", 1, "L", false, 0, "")
	pdf.SetFont("Helvetica", "", 10)
	to := rep.Params.To.AddDate(0, 0, -1)
	pdf.CellFormat(0, 6, tr(tx["period"]+": "+rep.Params.From.Format("02/01/2006")+" – "+to.Format("02/01/2006")), "", 1, "L", false, 0, "")
	pdf.MultiCell(0, 5, tr(fmt.Sprintf(tx["privacy"], rep.Threshold, rep.Threshold)), "", "L", false)
	pdf.Ln(4)
	num := func(suppressed bool, v int64) string {
		if suppressed {
			return tx["hidden"]
		}
		return strconv.FormatInt(v, 10)
	}
	if len(rep.Regions) == 0 {
		pdf.MultiCell(0, 6, tr(tx["none"]), "", "L", false)
	}
	for _, r := range rep.Regions {
		pdf.SetFont("Helvetica", "B", 14)
		pdf.CellFormat(0, 9, tr(tx["region"]+": "+r.Name), "", 1, "L", false, 0, "")
		pdf.SetFont("Helvetica", "", 10)
		pdf.CellFormat(0, 6, tr(tx["total"]+": "+num(r.Total.Suppressed, r.Total.Value)), "", 1, "L", false, 0, "")
		for _, cat := range r.Categories {
			pdf.SetFont("Helvetica", "B", 11)
			pdf.CellFormat(0, 7, tr(cat.Label+" — "+tx["count"]+": "+num(cat.Count.Suppressed, cat.Count.Value)), "", 1, "L", false, 0, "")
			if len(cat.Descriptions) > 0 {
				pdf.SetFont("Helvetica", "I", 9)
				pdf.CellFormat(0, 5, tr(tx["words"]+":"), "", 1, "L", false, 0, "")
				pdf.SetFont("Helvetica", "", 10)
				for _, d := range cat.Descriptions {
					pdf.MultiCell(0, 5, tr("• "+d), "", "L", false)
				}
			}
			pdf.Ln(1)
		}
		pdf.Ln(3)
	}
	var buf bytes.Buffer
	if err := pdf.Output(&buf); err != nil {
		return nil, fmt.Errorf("policy signal pdf: %w", err)
	}
	return buf.Bytes(), nil
}
