// Package outbound is the policy for the requests Readout makes on its own
// initiative: crawling configured sources and delivering webhooks. It
// checks URLs (http and https only, on a set of host:port destinations)
// and builds the clients webhooks use: they follow no redirect and, unless
// a subscriber is allowed to, refuse loopback, link-local and private
// addresses at dial time, after DNS, so a name cannot rebind around the check.
package outbound
