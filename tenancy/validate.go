package tenancy

import (
	"net/mail"
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/igny8/igny8-go/errs"
)

const (
	maxNameLen        = 255
	minPasswordLen    = 8
	maxPasswordLength = 256
)

// normalizeEmail trims and lower-cases an email and checks that it is a bare
// address ("a@b.example", not "A <a@b.example>").
func normalizeEmail(v *errs.Validation, field, raw string) string {
	email := strings.ToLower(strings.TrimSpace(raw))
	if email == "" {
		v.Add(field, "is required")
		return ""
	}
	addr, err := mail.ParseAddress(email)
	if err != nil || addr.Address != email || addr.Name != "" || len(email) > 254 {
		v.Add(field, "is not a valid email address")
		return email
	}
	_, domain, _ := strings.Cut(email, "@")
	if !strings.Contains(domain, ".") || strings.HasPrefix(domain, ".") || strings.HasSuffix(domain, ".") {
		v.Add(field, "is not a valid email address")
	}
	return email
}

// requireName trims a display name and checks its length.
func requireName(v *errs.Validation, field, raw string) string {
	name := strings.TrimSpace(raw)
	switch {
	case name == "":
		v.Add(field, "is required")
	case utf8.RuneCountInString(name) > maxNameLen:
		v.Add(field, "must be at most 255 characters")
	case strings.ContainsFunc(name, unicode.IsControl):
		v.Add(field, "must not contain control characters")
	}
	return name
}

// checkPassword applies the password policy: 8 to 256 characters, not
// silently truncated, not only whitespace.
func checkPassword(v *errs.Validation, field, pw string) {
	n := utf8.RuneCountInString(pw)
	switch {
	case n < minPasswordLen:
		v.Add(field, "must be at least 8 characters")
	case n > maxPasswordLength:
		v.Add(field, "must be at most 256 characters")
	case strings.TrimSpace(pw) == "":
		v.Add(field, "must not be only whitespace")
	}
}

// Slugify turns a name into a URL slug: lower-case ASCII letters and digits
// separated by single hyphens, accents folded ("Café Déjà" → "cafe-deja").
func Slugify(name string) string {
	var b strings.Builder
	dash := false
	for _, r := range norm.NFKD.String(name) {
		switch {
		case unicode.Is(unicode.Mn, r): // combining accent
			continue
		case r < utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(unicode.ToLower(r))
		default:
			dash = true
		}
		if b.Len() >= 50 {
			break
		}
	}
	return strings.Trim(b.String(), "-")
}

// checkSlug validates a caller-chosen slug.
func checkSlug(v *errs.Validation, field, slug string) {
	if slug == "" || Slugify(slug) != slug {
		v.Add(field, "must be lower-case letters, digits and single hyphens")
	}
}

// normalizeDomain accepts "example.com" or "https://example.com/" and
// returns "https://example.com".
func normalizeDomain(v *errs.Validation, field, raw string) string {
	d := strings.TrimSpace(raw)
	if d == "" {
		return ""
	}
	if !strings.Contains(d, "://") {
		d = "https://" + d
	}
	u, err := url.Parse(d)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Hostname() == "" ||
		u.User != nil || u.RawQuery != "" || u.Fragment != "" || strings.ContainsAny(u.Host, " \t") {
		v.Add(field, "must be a domain such as example.com or an http(s) URL")
		return raw
	}
	return strings.TrimRight(u.Scheme+"://"+strings.ToLower(u.Host)+u.EscapedPath(), "/")
}
