package webhook

import (
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/readout/readout/pkg/model"
	"github.com/readout/readout/pkg/outbound"
)

// Config errors.
var (
	ErrNoName     = errors.New("webhook: subscriber has no name")
	ErrDupName    = errors.New("webhook: duplicate subscriber name")
	ErrBadURL     = errors.New("webhook: subscriber url must be absolute http(s)")
	ErrNoSecret   = errors.New("webhook: subscriber has no secret")
	ErrTwoSecrets = errors.New("webhook: set only one of secret, secret_env, secret_file")
)

// Config is the subscriber list, as read from YAML.
type Config struct {
	Subscribers []SubscriberConfig `yaml:"subscribers"`
}

// SubscriberConfig is one receiver. The secret comes from exactly one of
// Secret (development only), SecretEnv (an environment variable's name) or
// SecretFile (a path, relative to the config file; a trailing newline is dropped).
// AllowPrivate lets deliveries reach a loopback, link-local or private
// address (a receiver on the same host or network); without it they are
// refused, the URL's address when it names one and every address its name
// resolves to when dialled.
type SubscriberConfig struct {
	Name         string `yaml:"name"`
	URL          string `yaml:"url"`
	Secret       string `yaml:"secret,omitempty"`
	SecretEnv    string `yaml:"secret_env,omitempty"`
	SecretFile   string `yaml:"secret_file,omitempty"`
	AllowPrivate bool   `yaml:"allow_private,omitempty"`
	Filter       Filter `yaml:"filter,omitempty"`
}

// Filter selects events. Each non-empty list must match; an empty filter matches all.
type Filter struct {
	Countries    []string `yaml:"countries,omitempty"`    // ISO alpha-2 of any participant
	Participants []string `yaml:"participants,omitempty"` // Wikidata ids of any participant
	Topics       []string `yaml:"topics,omitempty"`       // Readout topic ids
	Statuses     []string `yaml:"statuses,omitempty"`     // model.StatusHeld, model.StatusAnnounced
}

// Match reports whether ev passes the filter.
func (f Filter) Match(ev *model.LeaderCall) bool {
	if len(f.Statuses) > 0 && !slices.Contains(f.Statuses, ev.Status) {
		return false
	}
	if len(f.Countries) > 0 && !slices.ContainsFunc(ev.Participants, func(p model.Participant) bool {
		return slices.ContainsFunc(f.Countries, func(c string) bool { return strings.EqualFold(c, p.Country) })
	}) {
		return false
	}
	if len(f.Participants) > 0 && !slices.ContainsFunc(ev.Participants, func(p model.Participant) bool {
		return slices.Contains(f.Participants, p.WikidataID)
	}) {
		return false
	}
	if len(f.Topics) > 0 && !slices.ContainsFunc(ev.Topics, func(t model.Topic) bool {
		return slices.Contains(f.Topics, t.ID)
	}) {
		return false
	}
	return true
}

// Subscriber is a validated subscriber with its secret resolved. Log it
// with String: the URL may carry a token and Secret is the signing key.
type Subscriber struct {
	Name   string
	URL    string
	Secret []byte
	Filter Filter
	// AllowPrivate lets deliveries reach loopback, link-local and private
	// addresses (see outbound.Private).
	AllowPrivate bool
}

// String names the subscriber and its redacted URL, never the secret.
func (s Subscriber) String() string { return s.Name + " " + RedactURL(s.URL) }

// LoadConfig reads a YAML subscriber list and resolves secrets, reading
// environment variables through getenv (os.Getenv when nil).
func LoadConfig(path string, getenv func(string) string) ([]Subscriber, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("webhook: read config: %w", err)
	}
	var cfg Config
	if err := yaml.Unmarshal(raw, &cfg); err != nil {
		return nil, fmt.Errorf("webhook: parse %s: %w", path, err)
	}
	return cfg.Resolve(filepath.Dir(path), getenv)
}

// Resolve validates the config and resolves secrets; secret files are
// relative to dir.
func (c Config) Resolve(dir string, getenv func(string) string) ([]Subscriber, error) {
	if getenv == nil {
		getenv = os.Getenv
	}
	seen := map[string]bool{}
	out := make([]Subscriber, 0, len(c.Subscribers))
	for i, sc := range c.Subscribers {
		if strings.TrimSpace(sc.Name) == "" {
			return nil, fmt.Errorf("subscriber %d: %w", i, ErrNoName)
		}
		if seen[sc.Name] {
			return nil, fmt.Errorf("%w: %s", ErrDupName, sc.Name)
		}
		seen[sc.Name] = true
		u, err := url.Parse(sc.URL)
		if err != nil || outbound.CheckScheme(u) != nil {
			return nil, fmt.Errorf("subscriber %s: %w: %q", sc.Name, ErrBadURL, RedactURL(sc.URL))
		}
		if err := outbound.CheckLiteral(u); err != nil && !sc.AllowPrivate {
			return nil, fmt.Errorf("subscriber %s: %w (set allow_private: true to deliver there)", sc.Name, err)
		}
		secret, err := sc.secret(dir, getenv)
		if err != nil {
			return nil, fmt.Errorf("subscriber %s: %w", sc.Name, err)
		}
		out = append(out, Subscriber{Name: sc.Name, URL: sc.URL, Secret: []byte(secret), Filter: sc.Filter, AllowPrivate: sc.AllowPrivate})
	}
	return out, nil
}

func (sc SubscriberConfig) secret(dir string, getenv func(string) string) (string, error) {
	n := 0
	for _, s := range []string{sc.Secret, sc.SecretEnv, sc.SecretFile} {
		if s != "" {
			n++
		}
	}
	if n > 1 {
		return "", ErrTwoSecrets
	}
	var secret string
	switch {
	case sc.Secret != "":
		secret = sc.Secret
	case sc.SecretEnv != "":
		secret = getenv(sc.SecretEnv)
		if secret == "" {
			return "", fmt.Errorf("%w: env %s is empty", ErrNoSecret, sc.SecretEnv)
		}
	case sc.SecretFile != "":
		p := sc.SecretFile
		if !filepath.IsAbs(p) {
			p = filepath.Join(dir, p)
		}
		raw, err := os.ReadFile(p)
		if err != nil {
			return "", fmt.Errorf("%w: %v", ErrNoSecret, err)
		}
		secret = strings.TrimRight(string(raw), "\r\n")
	}
	if secret == "" {
		return "", ErrNoSecret
	}
	return secret, nil
}
