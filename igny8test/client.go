package igny8test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"strings"
)

// Client calls the App's HTTP API like the SPA or the WordPress plugin does.
type Client struct {
	env  *Env
	http *http.Client
	// Token is sent as "Authorization: Bearer <Token>" when set.
	Token string
	// APIKey is sent as X-IGNY8-API-KEY when set.
	APIKey string
	// Header is added to every request.
	Header http.Header
}

// Response is one answer with its envelope decoded.
type Response struct {
	Status int
	Header http.Header
	Body   []byte
	// Envelope is the decoded JSON body (nil when it is not JSON).
	Envelope map[string]any
}

// Client returns an anonymous client of the Env's server, with a cookie
// jar so browser sessions work.
func (e *Env) Client() *Client {
	jar, _ := cookiejar.New(nil)
	return &Client{env: e, http: &http.Client{Jar: jar}, Header: http.Header{}}
}

// Do sends method path (under the server root, e.g. "/api/v1/auth/me/")
// with body encoded as JSON (a string or []byte is sent as is).
func (c *Client) Do(method, path string, body any) *Response {
	c.env.T.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	case []byte:
		rd = bytes.NewReader(b)
	default:
		raw, err := json.Marshal(b)
		if err != nil {
			c.env.T.Fatalf("igny8test: encode body: %v", err)
		}
		rd = bytes.NewReader(raw)
	}
	req, err := http.NewRequestWithContext(c.env.Ctx(), method, c.env.Server().URL+path, rd)
	if err != nil {
		c.env.T.Fatalf("igny8test: request: %v", err)
	}
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for k, v := range c.Header {
		req.Header[k] = v
	}
	if c.Token != "" {
		req.Header.Set("Authorization", "Bearer "+c.Token)
	}
	if c.APIKey != "" {
		req.Header.Set("X-IGNY8-API-KEY", c.APIKey)
	}
	res, err := c.http.Do(req)
	if err != nil {
		c.env.T.Fatalf("igny8test: %s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	raw, err := io.ReadAll(res.Body)
	if err != nil {
		c.env.T.Fatalf("igny8test: read body: %v", err)
	}
	out := &Response{Status: res.StatusCode, Header: res.Header, Body: raw}
	_ = json.Unmarshal(raw, &out.Envelope)
	return out
}

// Get, Post, Patch and Delete are Do with that method.
func (c *Client) Get(path string) *Response { return c.Do(http.MethodGet, path, nil) }

// Post sends body as JSON.
func (c *Client) Post(path string, body any) *Response { return c.Do(http.MethodPost, path, body) }

// Patch sends body as JSON.
func (c *Client) Patch(path string, body any) *Response { return c.Do(http.MethodPatch, path, body) }

// Delete sends no body.
func (c *Client) Delete(path string) *Response { return c.Do(http.MethodDelete, path, nil) }

// Data decodes the envelope's data (or, for lists, results) into v.
func (r *Response) Data(v any) error {
	var env struct {
		Data    json.RawMessage `json:"data"`
		Results json.RawMessage `json:"results"`
	}
	if err := json.Unmarshal(r.Body, &env); err != nil {
		return err
	}
	if env.Results != nil {
		return json.Unmarshal(env.Results, v)
	}
	return json.Unmarshal(env.Data, v)
}

// Login signs in through the API and returns a client carrying the access
// token (and the session cookie).
func (e *Env) Login(email, password string) *Client {
	e.T.Helper()
	c := e.Client()
	res := c.Post("/api/v1/auth/login/", map[string]string{"email": email, "password": password})
	if res.Status != http.StatusOK {
		e.T.Fatalf("igny8test: login %s: %d %s", email, res.Status, res.Body)
	}
	var data struct {
		Access string `json:"access"`
	}
	if err := res.Data(&data); err != nil || data.Access == "" {
		e.T.Fatalf("igny8test: login answer without token: %s", res.Body)
	}
	c.Token = data.Access
	return c
}
