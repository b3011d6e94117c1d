package httpapi

import (
	"encoding/csv"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"
	"github.com/xuri/excelize/v2"

	"github.com/brug-chw/brug/internal/apperr"
	"github.com/brug-chw/brug/internal/report"
	"github.com/brug-chw/brug/internal/service"
)

// reportQuery is what a report route accepts beyond the shared parameters.
type reportQuery struct {
	formats       []string // json is shown on screen, the others download
	defaultPeriod string   // used when neither period nor from/to is given; "" is the last year
}

var tableReport = reportQuery{formats: []string{"json", "csv", "xlsx"}}

// reportParams reads a table report's parameters; every bad one is named.
func (s *Server) reportParams(c echo.Context) (service.ReportParams, error) {
	var f apperr.Fields
	prm := s.parseReportParams(c, tableReport, &f)
	return prm, f.Err()
}

// parseReportParams reads from, to (YYYY-MM-DD; to is inclusive) or a
// named period, group_by, team_id, fund_id and format, adding every bad one
// to f.
func (s *Server) parseReportParams(c echo.Context, rq reportQuery, f *apperr.Fields) service.ReportParams {
	now := s.svc.Now()
	prm := service.ReportParams{GroupBy: c.QueryParam("group_by"), TeamID: c.QueryParam("team_id"), FundID: c.QueryParam("fund_id")}
	if prm.GroupBy == "" {
		prm.GroupBy = "team"
	}
	if !slices.Contains(service.GroupBys, prm.GroupBy) {
		f.OneOf("group_by", service.GroupBys)
	}
	day := func(name string, def time.Time) time.Time {
		v := c.QueryParam(name)
		if v == "" {
			return def
		}
		t, err := time.Parse("2006-01-02", v)
		if err != nil {
			f.AddP(name, "date", "Must be a date, YYYY-MM-DD.", map[string]any{"example": "2026-09-14"})
			return def
		}
		return t
	}
	// Days are Brussels days: a period starts at local midnight, whatever
	// the offset that day.
	local := now.In(service.Brussels)
	today := time.Date(local.Year(), local.Month(), local.Day(), 0, 0, 0, 0, time.UTC)
	from, to := day("from", today.AddDate(-1, 0, 1)), day("to", today)
	period := c.QueryParam("period")
	if period == "" && c.QueryParam("from") == "" && c.QueryParam("to") == "" {
		period = rq.defaultPeriod
	}
	if v := period; v != "" {
		pf, pt, ok := parsePeriod(v)
		switch {
		case !ok:
			f.AddP("period", "period", "Must be a year (2026), a quarter (2026-Q3), a month (2026-09), an ISO week (2026-W37) or a day (2026-09-14).", map[string]any{"example": "2026-Q3"})
		case c.QueryParam("from") != "" || c.QueryParam("to") != "":
			f.Add("period", "exclusive", "Give either a period or from and to, not both.")
		default:
			from, to = pf, pt
		}
	}
	prm.From = time.Date(from.Year(), from.Month(), from.Day(), 0, 0, 0, 0, service.Brussels)
	prm.To = time.Date(to.Year(), to.Month(), to.Day()+1, 0, 0, 0, 0, service.Brussels) // inclusive end day
	fm := c.QueryParam("format")
	if fm != "" && !slices.Contains(rq.formats, fm) {
		last := len(rq.formats) - 1
		f.AddP("format", apperr.CodeOneOf, "Must be "+strings.Join(rq.formats[:last], ", ")+" or "+rq.formats[last]+".", apperr.Options(rq.formats...))
	}
	// Anything but JSON leaves Brug as a file (CSV may be asked by Accept).
	prm.Download = fm != "" && fm != "json" && slices.Contains(rq.formats, fm) || slices.Contains(rq.formats, "csv") && wantsCSV(c)
	if !prm.From.Before(prm.To) {
		f.AddP("from", apperr.CodeRange, "Must be before to.", map[string]any{"reason": "order"})
	}
	if prm.To.Sub(prm.From) > 5*366*24*time.Hour {
		f.AddP("to", apperr.CodeRange, "A report covers at most 5 years.", map[string]any{"reason": "max_years", "max": 5})
	}
	for name, v := range map[string]string{"team_id": prm.TeamID, "fund_id": prm.FundID} {
		if v != "" && uuid.Validate(v) != nil {
			f.Add(name, "uuid", "Must be a UUID.")
		}
	}
	return prm
}

func wantsCSV(c echo.Context) bool {
	return c.QueryParam("format") == "csv" || strings.Contains(c.Request().Header.Get("Accept"), "text/csv")
}

// download writes the tables as CSV or XLSX when asked, and audits it;
// it reports whether it wrote anything.
func (s *Server) download(c echo.Context, name, groupBy string, tables []report.Table) (bool, error) {
	switch {
	case c.QueryParam("format") == "xlsx":
		s.svc.AuditExport(c.Request().Context(), principal(c), name, groupBy+" xlsx")
		return true, writeXLSX(c, "brug-"+name+".xlsx", tables)
	case wantsCSV(c):
		s.svc.AuditExport(c.Request().Context(), principal(c), name, groupBy+" csv")
		return true, writeCSV(c, "brug-"+name+".csv", tables)
	}
	return false, nil
}

// writeXLSX writes one sheet per table; a hidden cell reads "suppressed".
func writeXLSX(c echo.Context, filename string, tables []report.Table) error {
	f := excelize.NewFile()
	defer f.Close()
	for i, t := range tables {
		sheet := t.Name
		if len(sheet) > 31 {
			sheet = sheet[:31]
		}
		if i == 0 {
			_ = f.SetSheetName("Sheet1", sheet)
		} else if _, err := f.NewSheet(sheet); err != nil {
			return err
		}
		set := func(col, row int, v any) {
			name, _ := excelize.CoordinatesToCellName(col, row)
			_ = f.SetCellValue(sheet, name, v)
		}
		val := func(x report.Cell) any {
			if x.Suppressed {
				return "suppressed"
			}
			return x.Value
		}
		set(1, 1, "group")
		for j, col := range t.Columns {
			set(j+2, 1, col)
		}
		set(len(t.Columns)+2, 1, "total")
		for i, r := range t.Rows {
			set(1, i+2, r.Label)
			for j, x := range r.Cells {
				set(j+2, i+2, val(x))
			}
			set(len(t.Columns)+2, i+2, val(r.Total))
		}
		last := len(t.Rows) + 2
		set(1, last, "total")
		for j, x := range t.Totals {
			set(j+2, last, val(x))
		}
		set(len(t.Columns)+2, last, val(t.Grand))
	}
	h := c.Response().Header()
	h.Set(echo.HeaderContentType, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	h.Set(echo.HeaderContentDisposition, `attachment; filename="`+filename+`"`)
	c.Response().WriteHeader(http.StatusOK)
	return f.Write(c.Response())
}

func (s *Server) barrierReport(c echo.Context) error {
	prm, err := s.reportParams(c)
	if err != nil {
		return err
	}
	rep, err := s.svc.BarrierReport(c.Request().Context(), principal(c), prm)
	if err != nil {
		return err
	}
	if done, err := s.download(c, "barriers", prm.GroupBy, rep.Tables); done {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{
		"report": "barriers", "from": prm.From.Format("2006-01-02"), "to": prm.To.AddDate(0, 0, -1).Format("2006-01-02"),
		"group_by": prm.GroupBy, "threshold": rep.Threshold, "exact": rep.Exact, "tables": rep.Tables, "top": rep.Top,
	})
}

// writeCSV writes tables as one sheet: table, group, then a column per
// category and the total; a suppressed cell is written as "<5"-style text.
func writeCSV(c echo.Context, filename string, tables []report.Table) error {
	h := c.Response().Header()
	h.Set(echo.HeaderContentType, "text/csv; charset=utf-8")
	h.Set(echo.HeaderContentDisposition, `attachment; filename="`+filename+`"`)
	c.Response().WriteHeader(http.StatusOK)
	w := csv.NewWriter(c.Response())
	cell := func(x report.Cell) string {
		if x.Suppressed {
			return "suppressed"
		}
		return strconv.FormatInt(x.Value, 10)
	}
	for _, t := range tables {
		_ = w.Write(append(append([]string{"table", "group"}, t.Columns...), "total"))
		for _, r := range t.Rows {
			rec := []string{t.Name, r.Label}
			for _, x := range r.Cells {
				rec = append(rec, cell(x))
			}
			_ = w.Write(append(rec, cell(r.Total)))
		}
		rec := []string{t.Name, "total"}
		for _, x := range t.Totals {
			rec = append(rec, cell(x))
		}
		_ = w.Write(append(rec, cell(t.Grand)))
	}
	w.Flush()
	return w.Error()
}

func (s *Server) activityReport(c echo.Context) error {
	prm, err := s.reportParams(c)
	if err != nil {
		return err
	}
	rep, err := s.svc.Activity(c.Request().Context(), principal(c), prm)
	if err != nil {
		return err
	}
	if done, err := s.download(c, "activity", prm.GroupBy, rep.Tables); done {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{
		"report": "activity", "from": prm.From.Format("2006-01-02"), "to": prm.To.AddDate(0, 0, -1).Format("2006-01-02"),
		"group_by": prm.GroupBy, "threshold": rep.Threshold, "exact": rep.Exact, "tables": rep.Tables, "median_days_referral_to_appointment": rep.MedianDays,
	})
}

// parsePeriod reads a named period as its first and last day.
func parsePeriod(v string) (time.Time, time.Time, bool) {
	var y, n int
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }
	switch {
	case len(v) == 4:
		if _, err := fmt.Sscanf(v, "%4d", &y); err == nil {
			return day(y, 1, 1), day(y, 12, 31), true
		}
	case len(v) == 7 && v[5] == 'Q':
		if _, err := fmt.Sscanf(v, "%4d-Q%1d", &y, &n); err == nil && n >= 1 && n <= 4 {
			first := day(y, time.Month(3*n-2), 1)
			return first, first.AddDate(0, 3, -1), true
		}
	case len(v) == 8 && v[5] == 'W':
		if _, err := fmt.Sscanf(v, "%4d-W%2d", &y, &n); err == nil && n >= 1 && n <= 53 {
			// ISO week 1 holds 4 January.
			jan4 := day(y, 1, 4)
			monday := jan4.AddDate(0, 0, -((int(jan4.Weekday())+6)%7)+7*(n-1))
			if wy, _ := monday.ISOWeek(); wy == y {
				return monday, monday.AddDate(0, 0, 6), true
			}
		}
	case len(v) == 7:
		if t, err := time.Parse("2006-01", v); err == nil {
			return t, t.AddDate(0, 1, -1), true
		}
	case len(v) == 10:
		if t, err := time.Parse("2006-01-02", v); err == nil {
			return t, t, true
		}
	}
	return time.Time{}, time.Time{}, false
}
