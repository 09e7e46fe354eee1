// Package passwd hashes and verifies passwords: argon2id in PHC format for
// every new hash, and the Django formats (pbkdf2_sha256, argon2) so users of
// the original system can sign in and be upgraded on their next login.
// Hashing is CPU- and memory-heavy, so a Hasher bounds how many run at once.
package passwd
