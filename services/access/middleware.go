package access

import (
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"strings"
)

// Authenticator is what the middleware needs of a key store.
type Authenticator interface {
	Authenticate(key string) (Principal, bool)
}

type ctxKey struct{}

// WithPrincipal returns ctx carrying p.
func WithPrincipal(ctx context.Context, p Principal) context.Context {
	return context.WithValue(ctx, ctxKey{}, p)
}

// PrincipalFrom returns the authenticated caller of a request's context.
func PrincipalFrom(ctx context.Context) (Principal, bool) {
	p, ok := ctx.Value(ctxKey{}).(Principal)
	return p, ok
}

// KeyFromRequest reads the API key from "Authorization: Bearer KEY" or
// "X-Bingli-Key: KEY".
func KeyFromRequest(r *http.Request) string {
	if h := r.Header.Get("Authorization"); h != "" {
		if scheme, key, ok := strings.Cut(h, " "); ok && strings.EqualFold(scheme, "Bearer") {
			return strings.TrimSpace(key)
		}
		return ""
	}
	return strings.TrimSpace(r.Header.Get("X-Bingli-Key"))
}

// Require wraps next so that only callers with a valid key of one of roles
// reach it: no or an unknown key is 401, a known key of another role 403,
// each with a JSON error body. next finds the caller with PrincipalFrom.
func Require(auth Authenticator, roles []Role, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		key := KeyFromRequest(r)
		if key == "" {
			w.Header().Set("WWW-Authenticate", `Bearer realm="bingli"`)
			writeError(w, http.StatusUnauthorized, "unauthenticated", "an API key is required: send 'Authorization: Bearer KEY' or 'X-Bingli-Key: KEY'")
			return
		}
		p, ok := auth.Authenticate(key)
		if !ok {
			w.Header().Set("WWW-Authenticate", `Bearer realm="bingli", error="invalid_token"`)
			writeError(w, http.StatusUnauthorized, "unauthenticated", "unknown or revoked API key")
			return
		}
		if !slices.Contains(roles, p.Role) {
			writeError(w, http.StatusForbidden, "forbidden", "role "+string(p.Role)+" may not use this endpoint (needs "+joinRoles(roles)+")")
			return
		}
		next.ServeHTTP(w, r.WithContext(WithPrincipal(r.Context(), p)))
	})
}

func joinRoles(roles []Role) string {
	s := make([]string, len(roles))
	for i, r := range roles {
		s[i] = string(r)
	}
	return strings.Join(s, " or ")
}

// ErrorBody is the JSON body of a 401 or 403.
type ErrorBody struct {
	Error   string `json:"error"`
	Message string `json:"message"`
}

func writeError(w http.ResponseWriter, code int, kind, msg string) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(ErrorBody{Error: kind, Message: msg})
}
