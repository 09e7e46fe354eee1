package httpapi

import (
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"github.com/igny8/igny8-go/errs"
	"github.com/igny8/igny8-go/tenancy"
)

// maxCSVBytes bounds an uploaded catalogue file; the import streams it, so
// the bound is about abuse, not memory.
const maxCSVBytes = 200 << 20

// requireOperator admits the platform's own people only: developers, and
// admin-level users of the system account. The catalogue is global, so an
// ordinary tenant admin must not change it.
func requireOperator(c *call) error {
	if c.who == nil || c.who.user == nil {
		return errs.E(errs.Forbidden, "only platform operators may manage the catalogue")
	}
	role := c.who.user.Role
	if role == tenancy.RoleDeveloper || (c.who.account.IsSystemAccount() && role.IsAdminOrDeveloper()) {
		return nil
	}
	return errs.E(errs.Forbidden, "only platform operators may manage the catalogue")
}

// csvUpload returns the uploaded CSV: the raw body for text/csv, or the
// "file" part of a multipart form, streamed either way.
func csvUpload(c *call) (io.Reader, error) {
	body := http.MaxBytesReader(c.w, c.r.Body, maxCSVBytes)
	mediaType, params, err := mime.ParseMediaType(c.r.Header.Get("Content-Type"))
	if err != nil {
		return nil, errs.Field("content_type", "must be text/csv or multipart/form-data")
	}
	switch {
	case mediaType == "text/csv" || mediaType == "application/csv" || mediaType == "text/plain":
		return body, nil
	case mediaType == "multipart/form-data":
		mr, err := multipartReader(body, params["boundary"])
		if err != nil {
			return nil, err
		}
		return mr, nil
	}
	return nil, errs.Field("content_type", "must be text/csv or multipart/form-data")
}

func (a *api) importIndustriesCSV(c *call) (any, error) {
	if err := requireOperator(c); err != nil {
		return nil, err
	}
	r, err := csvUpload(c)
	if err != nil {
		return nil, err
	}
	return csvAnswer(a.tenancy.ImportIndustriesCSV(c.r.Context(), r))
}

func (a *api) importSeedKeywordsCSV(c *call) (any, error) {
	if err := requireOperator(c); err != nil {
		return nil, err
	}
	r, err := csvUpload(c)
	if err != nil {
		return nil, err
	}
	return csvAnswer(a.tenancy.ImportSeedKeywordsCSV(c.r.Context(), r))
}

// csvAnswer reports what an import did; when the file broke off half way,
// the error names the line and the report says what was committed before.
func csvAnswer(rep *tenancy.CSVReport, err error) (any, error) {
	if err != nil {
		if e := errs.As(err); e != nil && rep != nil {
			e.Message += summary(rep)
		}
		return nil, err
	}
	return rep, nil
}

func summary(rep *tenancy.CSVReport) string {
	var b strings.Builder
	b.WriteString(" (committed before the error: ")
	b.WriteString(strconv.Itoa(rep.Created) + " created, " + strconv.Itoa(rep.Updated) + " updated)")
	return b.String()
}

func (a *api) exportIndustriesCSV(c *call) (any, error) {
	if err := requireOperator(c); err != nil {
		return nil, err
	}
	startCSV(c.w, "industries.csv")
	return nil, a.streamErr(c, a.tenancy.ExportIndustriesCSV(c.r.Context(), c.w))
}

func (a *api) exportSeedKeywordsCSV(c *call) (any, error) {
	if err := requireOperator(c); err != nil {
		return nil, err
	}
	startCSV(c.w, "seed-keywords.csv")
	return nil, a.streamErr(c, a.tenancy.ExportSeedKeywordsCSV(c.r.Context(), c.w))
}

func startCSV(w http.ResponseWriter, name string) {
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	w.WriteHeader(http.StatusOK)
}

// streamErr handles an error after the CSV started: the status line is out,
// so it can only be logged (the client sees a truncated file).
func (a *api) streamErr(c *call, err error) error {
	if err != nil {
		a.log.ErrorContext(c.r.Context(), "csv export broke off", "error", err)
	}
	return nil
}
