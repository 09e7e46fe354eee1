package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/igny8/igny8-go/ai/aitest"
)

// api is a tiny JSON client of the running server.
type api struct {
	t     *testing.T
	base  string
	token string
}

func (c *api) do(method, path, contentType string, body io.Reader) (int, map[string]any) {
	c.t.Helper()
	req, err := http.NewRequest(method, c.base+path, body)
	require.NoError(c.t, err)
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	res, err := http.DefaultClient.Do(req)
	require.NoError(c.t, err)
	defer res.Body.Close()
	var out map[string]any
	raw, _ := io.ReadAll(res.Body)
	_ = json.Unmarshal(raw, &out)
	return res.StatusCode, out
}

func (c *api) json(method, path string, body any) (int, map[string]any) {
	c.t.Helper()
	raw, err := json.Marshal(body)
	require.NoError(c.t, err)
	return c.do(method, path, "application/json", bytes.NewReader(raw))
}

func num(v any) int64 { f, _ := v.(float64); return int64(f) }

// The planner journey of the issue, through the embedded default server
// (SQLite, in-process worker) with an OpenAI-compatible endpoint: import
// keywords from CSV, auto-cluster them, wait for the task, see the
// clusters with their counts and the keywords mapped, generate ideas, and
// find each job charged exactly once in the credits ledger.
func TestPlannerJourneyThroughTheServer(t *testing.T) {
	t.Chdir(t.TempDir())
	fake := aitest.New(t)
	var logs syncBuffer
	addr, stop := startServerEnv(t, &logs, map[string]string{
		"IGNY8_OPENAI_BASE_URL": fake.URL(), "IGNY8_OPENAI_API_KEY": fake.APIKey(), "IGNY8_OPENAI_MODEL": "gpt-4o-mini",
	})
	defer stop()
	c := &api{t: t, base: "http://" + addr + "/api/v1"}

	status, body := c.json("POST", "/auth/register/", map[string]any{"email": "owner@journey.example", "password": "a long journey password", "account_name": "Journey"})
	require.Equal(t, http.StatusCreated, status, "%v", body)
	c.token = body["data"].(map[string]any)["access"].(string)
	status, body = c.json("POST", "/auth/sites/", map[string]any{"name": "Run Blog", "domain": "run.example", "sectors": []map[string]any{{"name": "Training"}}})
	require.Equal(t, http.StatusCreated, status, "%v", body)
	data := body["data"].(map[string]any)
	siteID := num(data["id"])
	sectorID := num(data["sectors"].([]any)[0].(map[string]any)["id"])

	csv := "keyword,volume,difficulty,intent\nbest running shoes,12000,60,commercial\ntrail running shoes,5400,45,commercial\nmarathon training plan,9900,40,informational\ncouch to 5k plan,6600,20,informational\nbest running shoes,1,1,\n"
	status, body = c.do("POST", fmt.Sprintf("/planner/keywords/import_csv/?site_id=%d&sector_id=%d", siteID, sectorID), "text/csv", strings.NewReader(csv))
	require.Equal(t, http.StatusOK, status, "%v", body)
	report := body["data"].(map[string]any)
	require.EqualValues(t, 4, report["created"])
	require.Len(t, report["rejected"], 1)

	status, body = c.json("GET", "/planner/keywords/?ordering=keyword", nil)
	require.Equal(t, http.StatusOK, status)
	var ids []int64
	for _, k := range body["results"].([]any) {
		ids = append(ids, num(k.(map[string]any)["id"]))
	}
	require.Len(t, ids, 4)

	status, body = c.json("GET", "/billing/credits/balance/", nil)
	require.Equal(t, http.StatusOK, status)
	before := num(body["data"].(map[string]any)["total"])

	fake.ReplyWithUsage(`{"clusters": [
		{"name": "Running shoes", "description": "Shoes", "keywords": ["Best running shoes", "trail running shoes"]},
		{"name": "Training plans", "description": "Plans", "keywords": ["marathon training plan", "couch to 5k plan"]}]}`, 900, 300)
	status, body = c.json("POST", "/planner/keywords/auto_cluster/", map[string]any{"ids": ids})
	require.Equal(t, http.StatusAccepted, status, "%v", body)
	task := waitFor(t, c, num(body["data"].(map[string]any)["id"]))
	require.Equal(t, "completed", task["status"], "%v", task)

	status, body = c.json("GET", "/planner/clusters/?ordering=name", nil)
	require.Equal(t, http.StatusOK, status)
	clusters := body["results"].([]any)
	require.Len(t, clusters, 2)
	shoes, plans := clusters[0].(map[string]any), clusters[1].(map[string]any)
	require.Equal(t, "Running shoes", shoes["name"])
	require.EqualValues(t, 2, shoes["keywords_count"])
	require.EqualValues(t, 17400, shoes["volume"])
	require.Equal(t, "mapped", shoes["status"])
	require.EqualValues(t, 16500, plans["volume"])
	status, body = c.json("GET", "/planner/keywords/?status=mapped", nil)
	require.Equal(t, http.StatusOK, status)
	require.EqualValues(t, 4, body["count"])

	fake.ReplyWithUsage(fmt.Sprintf(`{"ideas": [
		{"cluster_id": %d, "title": "Best running shoes of 2026", "description": "Tested", "outline": {"sections": [{"h2": "How we test"}]}, "content_type": "post", "content_structure": "listicle", "target_keywords": ["best running shoes"], "estimated_word_count": 1800},
		{"cluster_id": %d, "title": "Your first marathon", "description": "16 weeks", "outline": {"sections": [{"h2": "Base"}]}, "content_type": "post", "content_structure": "guide", "target_keywords": ["marathon training plan"], "estimated_word_count": 2400}]}`,
		num(shoes["id"]), num(plans["id"])), 1000, 1000)
	status, body = c.json("POST", "/planner/clusters/auto_generate_ideas/", map[string]any{"ids": []int64{num(shoes["id"]), num(plans["id"])}})
	require.Equal(t, http.StatusAccepted, status, "%v", body)
	task = waitFor(t, c, num(body["data"].(map[string]any)["id"]))
	require.Equal(t, "completed", task["status"], "%v", task)
	status, body = c.json("GET", "/planner/ideas/", nil)
	require.Equal(t, http.StatusOK, status)
	require.EqualValues(t, 2, body["count"])

	// Each job charged once: auto_cluster (900+300)/150 = 8, generate_ideas
	// (1000+1000)/200 = 10.
	status, body = c.json("GET", "/billing/credits/usage/", nil)
	require.Equal(t, http.StatusOK, status)
	require.EqualValues(t, 2, body["count"])
	status, body = c.json("GET", "/billing/credits/balance/", nil)
	require.Equal(t, http.StatusOK, status)
	require.Equal(t, before-18, num(body["data"].(map[string]any)["total"]))
}

// waitFor polls a task until it finishes.
func waitFor(t *testing.T, c *api, id int64) map[string]any {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		status, body := c.json("GET", fmt.Sprintf("/system/tasks/%d/", id), nil)
		require.Equal(t, http.StatusOK, status, "%v", body)
		task := body["data"].(map[string]any)
		if s := task["status"]; s == "completed" || s == "failed" {
			return task
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("task %d did not finish", id)
	return nil
}
