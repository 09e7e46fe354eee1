package tenancy_test

import "github.com/igny8/igny8-go/store"

// mapped turns a raw driver error into the errs error services return.
func mapped(err error) error { return store.MapError(err) }
