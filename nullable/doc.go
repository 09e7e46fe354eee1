// Package nullable carries the three states a field of a partial update
// (PATCH) can be in: absent (leave it alone), null (clear it) or a value.
// A plain pointer cannot tell absent from null, which is why "clear the
// cluster of these keywords" needs this type.
package nullable
