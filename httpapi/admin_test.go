package httpapi_test

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/igny8/igny8-go/igny8test"
	"github.com/igny8/igny8-go/tenancy"
)

func TestCatalogueCSVAdmin(t *testing.T) {
	env := igny8test.NewSQLite(t)
	ops := env.NewAccount()
	_, err := env.App.DB().NewUpdate().Model((*tenancy.User)(nil)).Set("role = 'developer'").Where("id = ?", ops.Owner.ID).Exec(env.Ctx())
	require.NoError(t, err)
	dev := env.Login(ops.Owner.Email, igny8test.Password)
	tenantAdmin := env.Login(env.NewAccount().Owner.Email, igny8test.Password)

	industries := "industry,sector,description\nHealthcare,Dental Care,Teeth\nHealthcare,Nutrition,Food\n"
	dev.Header.Set("Content-Type", "text/csv")
	res := dev.Do(http.MethodPost, "/api/v1/admin/industries/csv/", industries)
	require.Equal(t, http.StatusOK, res.Status, "%s", res.Body)
	var rep tenancy.CSVReport
	require.NoError(t, res.Data(&rep))
	assert.Positive(t, rep.Created)

	// Keywords as a multipart upload; a bad row is reported with its line.
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	fw, err := mw.CreateFormFile("file", "keywords.csv")
	require.NoError(t, err)
	_, _ = fw.Write([]byte("keyword,industry,sector,volume,difficulty,intent\nteeth whitening,healthcare,dental-care,500,30,commercial\nbad one,healthcare,dental-care,10,101,commercial\n"))
	require.NoError(t, mw.Close())
	dev.Header.Set("Content-Type", mw.FormDataContentType())
	res = dev.Do(http.MethodPost, "/api/v1/admin/seed-keywords/csv/", buf.Bytes())
	require.Equal(t, http.StatusOK, res.Status, "%s", res.Body)
	rep = tenancy.CSVReport{}
	require.NoError(t, res.Data(&rep))
	assert.Equal(t, 1, rep.Created)
	require.Len(t, rep.Rejected, 1)
	assert.Equal(t, 3, rep.Rejected[0].Line)

	dev.Header.Del("Content-Type")
	res = dev.Get("/api/v1/admin/seed-keywords/csv/")
	require.Equal(t, http.StatusOK, res.Status)
	assert.Equal(t, "text/csv; charset=utf-8", res.Header.Get("Content-Type"))
	lines := strings.Split(strings.TrimSpace(string(res.Body)), "\n")
	require.Len(t, lines, 2)
	assert.Contains(t, lines[1], "teeth whitening")

	// A tenant's own admin may not touch the global catalogue.
	tenantAdmin.Header.Set("Content-Type", "text/csv")
	require.Equal(t, http.StatusForbidden, tenantAdmin.Do(http.MethodPost, "/api/v1/admin/industries/csv/", industries).Status)
	tenantAdmin.Header.Del("Content-Type")
	require.Equal(t, http.StatusForbidden, tenantAdmin.Get("/api/v1/admin/seed-keywords/csv/").Status)
	res = dev.Do(http.MethodPost, "/api/v1/admin/industries/csv/", nil)
	require.Equal(t, http.StatusBadRequest, res.Status, "no content type: %s", res.Body)
}
