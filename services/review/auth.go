package review

import (
	"bingli/services/access"

	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"net/http"
	"sync"
	"time"
)

const (
	keyHeader   = "X-Bingli-Key"
	csrfHeader  = "X-CSRF-Token"
	cookieName  = "bingli_review"
	defaultTTL  = 8 * time.Hour
	maxSessions = 10000
)

// HashKey is how an annotator's API key is stored in the accounts map given
// to NewServer: the hex SHA-256 of the key.
func HashKey(key string) string {
	h := sha256.Sum256([]byte(key))
	return hex.EncodeToString(h[:])
}

type session struct {
	annotator string
	csrf      string
	expires   time.Time
}

// auth checks API keys and keeps login sessions (server side, with expiry).
type auth struct {
	accounts map[string][]byte    // annotator -> sha256(key)
	keys     access.Authenticator // the shared key store (annotator and admin roles), or nil
	admins   map[string]bool      // names whose shared key has the admin role
	ttl      time.Duration
	now      func() time.Time

	mu       sync.Mutex
	sessions map[string]*session // sha256(cookie token) -> session
}

func newAuth(accounts map[string]string) *auth {
	a := &auth{accounts: map[string][]byte{}, admins: map[string]bool{}, ttl: defaultTTL, now: time.Now, sessions: map[string]*session{}}
	for name, hexHash := range accounts {
		if b, err := hex.DecodeString(hexHash); err == nil && len(b) == sha256.Size {
			a.accounts[name] = b
		}
	}
	return a
}

// annotatorForKey returns the annotator whose key hashes to the stored hash.
// Every account is compared, in constant time, so timing says nothing.
func (a *auth) annotatorForKey(key string) (string, bool) {
	if key == "" {
		return "", false
	}
	if a.keys != nil {
		if p, ok := a.keys.Authenticate(key); ok {
			switch p.Role {
			case access.Annotator:
				return p.Name, true
			case access.Admin:
				a.mu.Lock()
				a.admins[p.Name] = true
				a.mu.Unlock()
				return p.Name, true
			}
			return "", false // a dataset builder never sees notes
		}
	}
	h := sha256.Sum256([]byte(key))
	found := ""
	for name, want := range a.accounts {
		if subtle.ConstantTimeCompare(h[:], want) == 1 {
			found = name
		}
	}
	return found, found != ""
}

func randomToken() string {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic("review: crypto/rand: " + err.Error())
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

func tokenKey(token string) string { h := sha256.Sum256([]byte(token)); return string(h[:]) }

// login starts a session and returns its cookie token.
func (a *auth) login(annotator string) (token string, s *session) {
	a.mu.Lock()
	defer a.mu.Unlock()
	now := a.now()
	if len(a.sessions) >= maxSessions {
		for k, s := range a.sessions {
			if now.After(s.expires) {
				delete(a.sessions, k)
			}
		}
	}
	token = randomToken()
	s = &session{annotator: annotator, csrf: randomToken(), expires: now.Add(a.ttl)}
	a.sessions[tokenKey(token)] = s
	return token, s
}

func (a *auth) lookup(token string) (*session, bool) {
	if token == "" {
		return nil, false
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	k := tokenKey(token)
	s, ok := a.sessions[k]
	if !ok {
		return nil, false
	}
	if !a.now().Before(s.expires) {
		delete(a.sessions, k)
		return nil, false
	}
	return s, true
}

func (a *auth) logout(token string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	delete(a.sessions, tokenKey(token))
}

// principal is who is making a request and how they proved it.
type principal struct {
	annotator string
	sess      *session // nil when authenticated by API key
}

// identify authenticates r by X-Bingli-Key or by session cookie.
func (a *auth) identify(r *http.Request) (principal, bool) {
	if key := r.Header.Get(keyHeader); key != "" {
		name, ok := a.annotatorForKey(key)
		return principal{annotator: name}, ok
	}
	c, err := r.Cookie(cookieName)
	if err != nil {
		return principal{}, false
	}
	s, ok := a.lookup(c.Value)
	if !ok {
		return principal{}, false
	}
	return principal{annotator: s.annotator, sess: s}, true
}

// csrfOK checks the double-submitted token of a state-changing request made
// with a session cookie. Requests authenticated by X-Bingli-Key need none: a
// browser cannot send that header cross-site.
func (p principal) csrfOK(r *http.Request) bool {
	if p.sess == nil {
		return true
	}
	got := r.Header.Get(csrfHeader)
	if got == "" {
		got = r.PostFormValue("csrf")
	}
	return got != "" && subtle.ConstantTimeCompare([]byte(got), []byte(p.sess.csrf)) == 1
}

func setSessionCookie(w http.ResponseWriter, r *http.Request, token string, maxAge int) {
	http.SetCookie(w, &http.Cookie{
		Name:     cookieName,
		Value:    token,
		Path:     "/review/",
		MaxAge:   maxAge,
		HttpOnly: true,
		Secure:   r.TLS != nil,
		SameSite: http.SameSiteStrictMode,
	})
}

// isAdmin reports whether name authenticated with a shared admin key.
func (a *auth) isAdmin(name string) bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.admins[name]
}
