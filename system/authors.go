package system

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/uptrace/bun"

	"github.com/igny8/igny8-go/errs"
	"github.com/igny8/igny8-go/store"
	"github.com/igny8/igny8-go/tenancy"
)

// Author profiles and content strategies (domain reference §2.4, §3.6
// author-profiles/ and strategies/): an account's writing personas and
// content strategies, which the writer puts into its prompts. Reads take any
// usable Tenant; writes need owner, admin or developer (never an API key).
// Names are unique within an account.

// Limits of author profiles and strategies.
const (
	// MaxAuthorNameLen bounds names and an author's tone, in characters.
	MaxAuthorNameLen = 255
	// MaxAuthorTextLen bounds the free-text fields (description,
	// structure_template, prompt_guidance), in characters.
	MaxAuthorTextLen = 20000
	// MaxLanguageLen bounds a language tag such as "en" or "pt-BR".
	MaxLanguageLen = 35
	// DefaultLanguage is the language of an author profile that names none.
	DefaultLanguage = "en"
	// MinTargetWordCount and MaxTargetWordCount bound a strategy's length.
	MinTargetWordCount = 100
	MaxTargetWordCount = 20000
	// MaxAuthorProfiles and MaxStrategies bound how many one account keeps,
	// so that the tables cannot be filled by one tenant. Concurrent creates
	// may overshoot by a few on PostgreSQL; it is a guard, not a plan limit.
	MaxAuthorProfiles = 100
	MaxStrategies     = 100
)

// AuthorProfile is a writing persona of an account.
type AuthorProfile struct {
	bun.BaseModel `bun:"table:igny8_author_profiles,alias:author_profile"`

	ID int64 `bun:"id,pk,autoincrement" json:"id"`
	tenancy.AccountScoped
	Name        string `bun:"name,notnull" json:"name"`
	Description string `bun:"description,notnull" json:"description"`
	// Tone is a short description of the voice, e.g. "friendly, expert".
	Tone string `bun:"tone,notnull" json:"tone"`
	// Language is a language tag, DefaultLanguage unless set.
	Language string `bun:"language,notnull" json:"language"`
	// StructureTemplate is how the author structures an article.
	StructureTemplate string `bun:"structure_template,notnull" json:"structure_template"`
	IsActive          bool   `bun:"is_active,notnull" json:"is_active"`
}

// AuthorInput creates an author profile. Name is required; an empty
// Language is DefaultLanguage and a nil IsActive is true.
type AuthorInput struct {
	Name              string `json:"name"`
	Description       string `json:"description"`
	Tone              string `json:"tone"`
	Language          string `json:"language"`
	StructureTemplate string `json:"structure_template"`
	IsActive          *bool  `json:"is_active"`
}

// AuthorUpdate changes an author profile; nil fields stay as they are. An
// empty Language sets DefaultLanguage.
type AuthorUpdate struct {
	Name              *string `json:"name"`
	Description       *string `json:"description"`
	Tone              *string `json:"tone"`
	Language          *string `json:"language"`
	StructureTemplate *string `json:"structure_template"`
	IsActive          *bool   `json:"is_active"`
}

// Strategy is a content strategy of an account.
type Strategy struct {
	bun.BaseModel `bun:"table:igny8_strategies,alias:strategy"`

	ID int64 `bun:"id,pk,autoincrement" json:"id"`
	tenancy.AccountScoped
	Name        string `bun:"name,notnull" json:"name"`
	Description string `bun:"description,notnull" json:"description"`
	// PromptGuidance is the text the writer adds to its prompts.
	PromptGuidance string `bun:"prompt_guidance,notnull" json:"prompt_guidance"`
	// TargetWordCount is the length to aim for (MinTargetWordCount to
	// MaxTargetWordCount); nil sets none.
	TargetWordCount *int `bun:"target_word_count" json:"target_word_count"`
	IsActive        bool `bun:"is_active,notnull" json:"is_active"`
}

// StrategyInput creates a strategy. Name is required; a nil
// TargetWordCount sets no length and a nil IsActive is true.
type StrategyInput struct {
	Name            string `json:"name"`
	Description     string `json:"description"`
	PromptGuidance  string `json:"prompt_guidance"`
	TargetWordCount *int   `json:"target_word_count"`
	IsActive        *bool  `json:"is_active"`
}

// StrategyUpdate changes a strategy; nil fields stay as they are. A
// TargetWordCount of 0 clears the length (JSON null cannot be told apart
// from an absent field).
type StrategyUpdate struct {
	Name            *string `json:"name"`
	Description     *string `json:"description"`
	PromptGuidance  *string `json:"prompt_guidance"`
	TargetWordCount *int    `json:"target_word_count"`
	IsActive        *bool   `json:"is_active"`
}

// AuthorListSpec is the list of author profiles: search by name and
// description, order by id, name or created_at (default name), filter by
// is_active.
func AuthorListSpec() store.ListSpec { return namedListSpec() }

// StrategyListSpec is the list of strategies, with the same search,
// ordering and filters as AuthorListSpec.
func StrategyListSpec() store.ListSpec { return namedListSpec() }

func namedListSpec() store.ListSpec {
	return store.ListSpec{
		Search:          []string{"?TableAlias.name", "?TableAlias.description"},
		Ordering:        map[string]string{"id": "?TableAlias.id", "name": "?TableAlias.name", "created_at": "?TableAlias.created_at"},
		DefaultOrdering: []string{"name"},
		Filters: []store.Filter{
			{Param: "is_active", Column: "?TableAlias.is_active", Kind: store.Bool},
		},
	}
}

// AuthorsPage is one page of t's account's author profiles; lq comes from
// store.ParseList with AuthorListSpec.
func (s *Service) AuthorsPage(ctx context.Context, t tenancy.Tenant, lq store.ListQuery) (store.Page[AuthorProfile], error) {
	return listScoped[AuthorProfile](ctx, s.db, t, lq, "author profiles")
}

// GetAuthor returns an author profile of t's account; any other id is
// errs.NotFound.
func (s *Service) GetAuthor(ctx context.Context, t tenancy.Tenant, id int64) (*AuthorProfile, error) {
	if err := requireRead(t); err != nil {
		return nil, err
	}
	return getScoped[AuthorProfile](ctx, s.db, t, id, false, "author profile")
}

// CreateAuthor adds an author profile to t's account (admin). Problems are
// errs.Invalid naming the field; a name already in use is errs.Conflict
// naming "name".
func (s *Service) CreateAuthor(ctx context.Context, t tenancy.Tenant, in AuthorInput) (*AuthorProfile, error) {
	if err := requireAdmin(t); err != nil {
		return nil, err
	}
	var v errs.Validation
	row := &AuthorProfile{
		Name:              checkName(&v, "name", in.Name),
		Description:       checkLongText(&v, "description", in.Description),
		Tone:              checkLine(&v, "tone", in.Tone),
		Language:          checkLanguage(&v, "language", in.Language),
		StructureTemplate: checkLongText(&v, "structure_template", in.StructureTemplate),
		IsActive:          in.IsActive == nil || *in.IsActive,
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	row.AccountID = t.AccountID
	if err := s.insertScoped(ctx, t, row, MaxAuthorProfiles, "author profiles"); err != nil {
		return nil, err
	}
	return row, nil
}

// UpdateAuthor changes an author profile of t's account (admin), with the
// checks of CreateAuthor.
func (s *Service) UpdateAuthor(ctx context.Context, t tenancy.Tenant, id int64, in AuthorUpdate) (*AuthorProfile, error) {
	if err := requireAdmin(t); err != nil {
		return nil, err
	}
	return updateScoped(ctx, s, t, id, "author profile", func(v *errs.Validation, row *AuthorProfile) []string {
		var cols []string
		if in.Name != nil {
			row.Name = checkName(v, "name", *in.Name)
			cols = append(cols, "name")
		}
		if in.Description != nil {
			row.Description = checkLongText(v, "description", *in.Description)
			cols = append(cols, "description")
		}
		if in.Tone != nil {
			row.Tone = checkLine(v, "tone", *in.Tone)
			cols = append(cols, "tone")
		}
		if in.Language != nil {
			row.Language = checkLanguage(v, "language", *in.Language)
			cols = append(cols, "language")
		}
		if in.StructureTemplate != nil {
			row.StructureTemplate = checkLongText(v, "structure_template", *in.StructureTemplate)
			cols = append(cols, "structure_template")
		}
		if in.IsActive != nil {
			row.IsActive = *in.IsActive
			cols = append(cols, "is_active")
		}
		return cols
	})
}

// DeleteAuthor deletes an author profile of t's account (admin).
func (s *Service) DeleteAuthor(ctx context.Context, t tenancy.Tenant, id int64) error {
	if err := requireAdmin(t); err != nil {
		return err
	}
	return deleteScoped[AuthorProfile](ctx, s.db, t, id, "author profile")
}

// StrategiesPage is one page of t's account's strategies; lq comes from
// store.ParseList with StrategyListSpec.
func (s *Service) StrategiesPage(ctx context.Context, t tenancy.Tenant, lq store.ListQuery) (store.Page[Strategy], error) {
	return listScoped[Strategy](ctx, s.db, t, lq, "strategies")
}

// GetStrategy returns a strategy of t's account; any other id is
// errs.NotFound.
func (s *Service) GetStrategy(ctx context.Context, t tenancy.Tenant, id int64) (*Strategy, error) {
	if err := requireRead(t); err != nil {
		return nil, err
	}
	return getScoped[Strategy](ctx, s.db, t, id, false, "strategy")
}

// CreateStrategy adds a strategy to t's account (admin). Problems are
// errs.Invalid naming the field; a name already in use is errs.Conflict
// naming "name".
func (s *Service) CreateStrategy(ctx context.Context, t tenancy.Tenant, in StrategyInput) (*Strategy, error) {
	if err := requireAdmin(t); err != nil {
		return nil, err
	}
	var v errs.Validation
	row := &Strategy{
		Name:           checkName(&v, "name", in.Name),
		Description:    checkLongText(&v, "description", in.Description),
		PromptGuidance: checkLongText(&v, "prompt_guidance", in.PromptGuidance),
		IsActive:       in.IsActive == nil || *in.IsActive,
	}
	if in.TargetWordCount != nil {
		checkWordCount(&v, "target_word_count", *in.TargetWordCount)
		n := *in.TargetWordCount
		row.TargetWordCount = &n
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	row.AccountID = t.AccountID
	if err := s.insertScoped(ctx, t, row, MaxStrategies, "strategies"); err != nil {
		return nil, err
	}
	return row, nil
}

// UpdateStrategy changes a strategy of t's account (admin), with the checks
// of CreateStrategy; a TargetWordCount of 0 clears the length.
func (s *Service) UpdateStrategy(ctx context.Context, t tenancy.Tenant, id int64, in StrategyUpdate) (*Strategy, error) {
	if err := requireAdmin(t); err != nil {
		return nil, err
	}
	return updateScoped(ctx, s, t, id, "strategy", func(v *errs.Validation, row *Strategy) []string {
		var cols []string
		if in.Name != nil {
			row.Name = checkName(v, "name", *in.Name)
			cols = append(cols, "name")
		}
		if in.Description != nil {
			row.Description = checkLongText(v, "description", *in.Description)
			cols = append(cols, "description")
		}
		if in.PromptGuidance != nil {
			row.PromptGuidance = checkLongText(v, "prompt_guidance", *in.PromptGuidance)
			cols = append(cols, "prompt_guidance")
		}
		if in.TargetWordCount != nil {
			if n := *in.TargetWordCount; n == 0 {
				row.TargetWordCount = nil
			} else {
				checkWordCount(v, "target_word_count", n)
				row.TargetWordCount = &n
			}
			cols = append(cols, "target_word_count")
		}
		if in.IsActive != nil {
			row.IsActive = *in.IsActive
			cols = append(cols, "is_active")
		}
		return cols
	})
}

// DeleteStrategy deletes a strategy of t's account (admin).
func (s *Service) DeleteStrategy(ctx context.Context, t tenancy.Tenant, id int64) error {
	if err := requireAdmin(t); err != nil {
		return err
	}
	return deleteScoped[Strategy](ctx, s.db, t, id, "strategy")
}

// listScoped is one page of the account table of T, in t's account.
func listScoped[T any](ctx context.Context, db *bun.DB, t tenancy.Tenant, lq store.ListQuery, what string) (store.Page[T], error) {
	if err := requireRead(t); err != nil {
		return store.Page[T]{}, err
	}
	q, err := tenancy.ScopeAccount(db.NewSelect().Model((*T)(nil)), t)
	if err != nil {
		return store.Page[T]{}, err
	}
	p, err := store.ListPage[T](ctx, q, lq)
	if err != nil {
		return p, fmt.Errorf("system: list %s: %w", what, err)
	}
	return p, nil
}

// getScoped loads row id of the account table of T in t's account, locked
// for update when lock is set; any other id is errs.NotFound.
func getScoped[T any](ctx context.Context, idb bun.IDB, t tenancy.Tenant, id int64, lock bool, what string) (*T, error) {
	row := new(T)
	q, err := tenancy.ScopeAccount(idb.NewSelect().Model(row), t)
	if err != nil {
		return nil, err
	}
	q = q.Where("?TableAlias.id = ?", id)
	if lock {
		q = store.ForUpdate(q)
	}
	if err := q.Scan(ctx); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, errs.NotFoundf("%s %d not found", what, id)
		}
		return nil, fmt.Errorf("system: load %s %d: %w", what, id, err)
	}
	return row, nil
}

// insertScoped inserts row (its AccountID already t's) unless t's account
// already keeps limit rows of its table.
func (s *Service) insertScoped(ctx context.Context, t tenancy.Tenant, row any, limit int, what string) error {
	err := s.inTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		q, err := tenancy.ScopeAccount(tx.NewSelect().Model(row), t)
		if err != nil {
			return err
		}
		n, err := q.Count(ctx)
		if err != nil {
			return err
		}
		if n >= int64(limit) {
			return errs.E(errs.Invalid, "an account may keep at most %d %s", limit, what)
		}
		_, err = tx.NewInsert().Model(row).Exec(ctx)
		return err
	})
	if err != nil && errs.As(err) == nil {
		return fmt.Errorf("system: create %s: %w", what, err)
	}
	return err
}

// updateScoped loads row id of T in t's account, lets apply change it and
// name the changed columns, and saves those columns.
func updateScoped[T any](ctx context.Context, s *Service, t tenancy.Tenant, id int64, what string,
	apply func(v *errs.Validation, row *T) []string,
) (*T, error) {
	var row *T
	err := s.inTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		var err error
		if row, err = getScoped[T](ctx, tx, t, id, true, what); err != nil {
			return err
		}
		var v errs.Validation
		cols := apply(&v, row)
		if err := v.Err(); err != nil {
			return err
		}
		if len(cols) == 0 {
			return nil
		}
		q, err := tenancy.ScopeAccount(tx.NewUpdate().Model(row).Column(append(cols, "updated_at")...).WherePK(), t)
		if err != nil {
			return err
		}
		_, err = q.Exec(ctx)
		return err
	})
	if err != nil {
		if errs.As(err) == nil {
			return nil, fmt.Errorf("system: update %s %d: %w", what, id, err)
		}
		return nil, err
	}
	return row, nil
}

// deleteScoped deletes row id of the account table of T in t's account.
func deleteScoped[T any](ctx context.Context, db *bun.DB, t tenancy.Tenant, id int64, what string) error {
	q, err := tenancy.ScopeAccount(db.NewDelete().Model((*T)(nil)), t)
	if err != nil {
		return err
	}
	res, err := q.Where("?TableAlias.id = ?", id).Exec(ctx)
	if err != nil {
		return fmt.Errorf("system: delete %s %d: %w", what, id, store.MapError(err))
	}
	n, err := res.RowsAffected()
	if err != nil {
		return fmt.Errorf("system: delete %s %d: %w", what, id, err)
	}
	if n == 0 {
		return errs.NotFoundf("%s %d not found", what, id)
	}
	return nil
}

// checkName trims a required one-line name and checks it.
func checkName(v *errs.Validation, field, raw string) string {
	name := strings.TrimSpace(raw)
	if name == "" {
		v.Add(field, "is required")
		return name
	}
	return checkLine(v, field, name)
}

// checkLine trims an optional one-line text: at most MaxAuthorNameLen
// characters and no control characters.
func checkLine(v *errs.Validation, field, raw string) string {
	s := strings.TrimSpace(raw)
	if checkText(v, field, s, MaxAuthorNameLen) && strings.ContainsFunc(s, unicode.IsControl) {
		v.Add(field, "must not contain control characters")
	}
	return s
}

// checkLongText checks a multi-line text: at most MaxAuthorTextLen
// characters and no control characters but newlines and tabs.
func checkLongText(v *errs.Validation, field, s string) string {
	if checkText(v, field, s, MaxAuthorTextLen) && strings.ContainsFunc(s, badTextRune) {
		v.Add(field, "must not contain control characters other than newlines and tabs")
	}
	return s
}

func badTextRune(r rune) bool {
	return unicode.IsControl(r) && r != '\n' && r != '\r' && r != '\t'
}

var languagePattern = regexp.MustCompile(`^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$`)

// checkLanguage checks a language tag such as "en" or "pt-BR"; empty is
// DefaultLanguage.
func checkLanguage(v *errs.Validation, field, raw string) string {
	lang := strings.TrimSpace(raw)
	switch {
	case lang == "":
		return DefaultLanguage
	case utf8.RuneCountInString(lang) > MaxLanguageLen || !languagePattern.MatchString(lang):
		v.Add(field, fmt.Sprintf("must be a language code such as en or pt-BR (at most %d characters)", MaxLanguageLen))
	}
	return lang
}

func checkWordCount(v *errs.Validation, field string, n int) {
	v.Check(n >= MinTargetWordCount && n <= MaxTargetWordCount, field,
		fmt.Sprintf("must be between %d and %d", MinTargetWordCount, MaxTargetWordCount))
}
