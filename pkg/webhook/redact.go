package webhook

import (
	"errors"
	"net/url"
)

// RedactURL returns rawURL fit for logs, errors and dead letters: without
// user info and with the query replaced by "REDACTED", since receivers often
// put access tokens in either. An unparsable URL is replaced entirely.
func RedactURL(rawURL string) string {
	u, err := url.Parse(rawURL)
	if err != nil {
		return "(unparsable url)"
	}
	u.User = nil
	if u.RawQuery != "" {
		u.RawQuery = "REDACTED"
	}
	u.ForceQuery = false
	u.Fragment, u.RawFragment = "", ""
	return u.String()
}

// redactError replaces the URL inside err (net/http reports the request URL,
// query and all, in a *url.Error) with its redacted form.
func redactError(err error, rawURL string) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		ue.URL = RedactURL(rawURL)
	}
	return err
}
