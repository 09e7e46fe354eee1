// Package igny8test starts a whole igny8 App in-process for tests, ours and
// embedders': New gives an App on a fresh, migrated PostgreSQL schema
// (IGNY8_TEST_DATABASE_URL, default the local "test" database) that is
// dropped when the test ends; NewSQLite gives the same on a SQLite file in a
// temporary directory. Seed builders create an account with its owner,
// sites, sectors and users in one call each.
package igny8test
