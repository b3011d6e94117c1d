// Package auth owns who the caller is and what their role may do:
// argon2id password hashing with bounded concurrency, access JWTs, refresh
// token material, login throttling, and the casbin enforcer that answers
// "may this role do this action in this team". Which rows a caller sees is
// decided by the scoped store queries, not here: both always apply.
package auth
