package system

import (
	"context"
	"fmt"
	"strings"

	"github.com/igny8/igny8-go/errs"
	"github.com/igny8/igny8-go/store"
	"github.com/igny8/igny8-go/tenancy"
)

// moduleDefaults is whether each module is on for an account that never
// switched it: linker and optimizer are inactive by default in the original
// (domain reference §9), the rest are on.
var moduleDefaults = map[string]bool{
	ModulePlanner:    true,
	ModuleWriter:     true,
	ModuleAutomation: true,
	ModuleLinker:     false,
	ModuleOptimizer:  false,
	ModulePublisher:  true,
}

// ModuleNames lists the modules an account can switch.
func ModuleNames() []string {
	return []string{ModulePlanner, ModuleWriter, ModuleAutomation, ModuleLinker, ModuleOptimizer, ModulePublisher}
}

// ModuleDefault reports whether module is on for an account that never
// switched it (false for an unknown module).
func ModuleDefault(module string) bool { return moduleDefaults[module] }

func checkModule(module string) error {
	if _, ok := moduleDefaults[module]; !ok {
		return errs.Field("module", fmt.Sprintf("unknown module %q; expected one of %s", module, strings.Join(ModuleNames(), ", ")))
	}
	return nil
}

// ModuleEnabled reports whether module is on for t's account: its switch,
// else the module's default. An unknown module is errs.Invalid naming
// "module".
func (s *Service) ModuleEnabled(ctx context.Context, t tenancy.Tenant, module string) (bool, error) {
	if err := requireRead(t); err != nil {
		return false, err
	}
	if err := checkModule(module); err != nil {
		return false, err
	}
	var rows []ModuleSetting
	q, err := tenancy.ScopeAccount(s.db.NewSelect().Model(&rows), t)
	if err != nil {
		return false, err
	}
	if err := q.Where("?TableAlias.module = ?", module).Scan(ctx); err != nil {
		return false, fmt.Errorf("system: module %s: %w", module, err)
	}
	if len(rows) == 0 {
		return moduleDefaults[module], nil
	}
	return rows[0].Enabled, nil
}

// Modules returns every module and whether it is on for t's account.
func (s *Service) Modules(ctx context.Context, t tenancy.Tenant) (map[string]bool, error) {
	if err := requireRead(t); err != nil {
		return nil, err
	}
	var rows []ModuleSetting
	q, err := tenancy.ScopeAccount(s.db.NewSelect().Model(&rows), t)
	if err != nil {
		return nil, err
	}
	if err := q.Scan(ctx); err != nil {
		return nil, fmt.Errorf("system: modules: %w", err)
	}
	out := make(map[string]bool, len(moduleDefaults))
	for m, on := range moduleDefaults {
		out[m] = on
	}
	for _, r := range rows {
		if _, known := out[r.Module]; known {
			out[r.Module] = r.Enabled
		}
	}
	return out, nil
}

// SetModule switches module on or off for t's account (admin).
func (s *Service) SetModule(ctx context.Context, t tenancy.Tenant, module string, enabled bool) error {
	if err := requireAdmin(t); err != nil {
		return err
	}
	if err := checkModule(module); err != nil {
		return err
	}
	row := ModuleSetting{Module: module, Enabled: enabled}
	row.AccountID = t.AccountID
	_, err := s.db.NewInsert().Model(&row).
		On("CONFLICT (account_id, module) DO UPDATE").
		Set("enabled = EXCLUDED.enabled").
		Set("updated_at = EXCLUDED.updated_at").
		Exec(ctx)
	if err != nil {
		return fmt.Errorf("system: set module %s: %w", module, store.MapError(err))
	}
	return nil
}
