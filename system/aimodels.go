package system

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/uptrace/bun"

	"github.com/igny8/igny8-go/errs"
)

// checkKind validates a model kind; "" is allowed only where it means "every
// kind".
func checkKind(kind string, allowAll bool) error {
	if kind == KindText || kind == KindImage || (allowAll && kind == "") {
		return nil
	}
	return errs.Field("kind", fmt.Sprintf("must be %q or %q", KindText, KindImage))
}

// ListModels returns the active models of kind (KindText, KindImage, or ""
// for both), the default first, then by name. The registry is global data.
func (s *Service) ListModels(ctx context.Context, kind string) ([]Model, error) {
	if err := checkKind(kind, true); err != nil {
		return nil, err
	}
	out := []Model{}
	q := s.db.NewSelect().Model(&out).Where("?TableAlias.is_active = ?", true)
	if kind != "" {
		q = q.Where("?TableAlias.kind = ?", kind)
	}
	if err := q.OrderExpr("?TableAlias.kind, ?TableAlias.is_default DESC, ?TableAlias.name").Scan(ctx); err != nil {
		return nil, fmt.Errorf("system: list models: %w", err)
	}
	return out, nil
}

// DefaultModel returns the registry's default model of kind; errs.NotFound
// when the kind has none.
func (s *Service) DefaultModel(ctx context.Context, kind string) (Model, error) {
	if err := checkKind(kind, false); err != nil {
		return Model{}, err
	}
	var m Model
	err := s.db.NewSelect().Model(&m).
		Where("?TableAlias.kind = ?", kind).
		Where("?TableAlias.is_default = ?", true).
		Where("?TableAlias.is_active = ?", true).
		Limit(1).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return Model{}, errs.NotFoundf("no default %s model", kind)
	}
	if err != nil {
		return Model{}, fmt.Errorf("system: default %s model: %w", kind, err)
	}
	return m, nil
}

// activeModels is the active part of the registry: names by kind, and the
// default of each kind.
type activeModels struct {
	names    map[string]string // name → kind
	defaults map[string]string // kind → name
}

func (a activeModels) is(name, kind string) bool { return name != "" && a.names[name] == kind }

func loadActiveModels(ctx context.Context, idb bun.IDB) (activeModels, error) {
	var rows []Model
	err := idb.NewSelect().Model(&rows).Column("name", "kind", "is_default").
		Where("?TableAlias.is_active = ?", true).Scan(ctx)
	if err != nil {
		return activeModels{}, err
	}
	a := activeModels{names: make(map[string]string, len(rows)), defaults: map[string]string{}}
	for _, m := range rows {
		a.names[m.Name] = m.Kind
		if m.IsDefault {
			a.defaults[m.Kind] = m.Name
		}
	}
	return a, nil
}

// check records a problem when name is not an active model of kind.
func (a activeModels) check(v *errs.Validation, field, name, kind string) {
	if !a.is(name, kind) {
		if name == "" {
			v.Add(field, "is required")
			return
		}
		v.Add(field, fmt.Sprintf("%q is not an active %s model", name, kind))
	}
}
