package imageref

import (
	"errors"
	"fmt"
	"strings"
)

// The reference grammar of github.com/distribution/reference v0.6.0 (its
// regexp.go and normalize.go; Docker's and containerd's), written as code:
// that package compiles a dozen regular expressions when the program
// starts (1.4 ms, and 0.5 ms more for go-digest's), which every wvlint run
// paid, a pre-commit hook too. FuzzGrammar checks this against the package
// itself (a test dependency only): the same names, tags, digests and error
// texts for every input.
//
//	reference    := name [ ":" tag ] [ "@" digest ]
//	name         := [ domain "/" ] remote-name
//	domain       := host [ ":" port-number ]
//	host         := domain-name | "[" ipv6-chars "]"
//	domain-name  := component ( "." component )*
//	component    := /([a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])/
//	remote-name  := path-component ( "/" path-component )*
//	path-component := /[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*/
//	tag          := /[\w][\w.-]{0,127}/
//	digest       := /[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*[:][[:xdigit:]]{32,}/

// The package's errors, by their texts.
var (
	errReferenceInvalidFormat = errors.New("invalid reference format")
	errNameContainsUppercase  = errors.New("repository name must be lowercase")
	errNameEmpty              = errors.New("repository name must have at least one component")
	errNameTooLong            = errors.New("repository name must not be more than 255 characters") // maxPathLen
	errDigestInvalidFormat    = errors.New("invalid checksum digest format")
	errDigestInvalidLength    = errors.New("invalid checksum digest length")
	errDigestUnsupported      = errors.New("unsupported digest algorithm")
)

const maxPathLen = 255

// named is a parsed, normalized reference: docker.io/library/ added as
// Docker does.
type named struct {
	domain, path, tag, digest string
}

// name is the repository name with its domain.
func (n named) name() string {
	if n.domain == "" {
		return n.path
	}
	return n.domain + "/" + n.path
}

// parseNormalizedNamed is reference.ParseNormalizedNamed.
func parseNormalizedNamed(s string) (named, error) {
	if isIdentifier(s) {
		return named{}, fmt.Errorf("invalid repository name (%s), cannot specify 64-byte hexadecimal strings", s)
	}
	domain, remainder := splitDockerDomain(s)
	remote := remainder
	if tagSep := strings.IndexRune(remainder, ':'); tagSep > -1 {
		remote = remainder[:tagSep]
	}
	if strings.ToLower(remote) != remote {
		return named{}, fmt.Errorf("invalid reference format: repository name (%s) must be lowercase", remote)
	}
	return parseReference(domain + "/" + remainder)
}

// splitDockerDomain is the package's: the first component is a domain
// when it looks like one (a dot, a colon, localhost, an upper-case letter).
func splitDockerDomain(name string) (domain, remoteName string) {
	maybeDomain, maybeRemoteName, ok := strings.Cut(name, "/")
	if !ok {
		return "docker.io", "library/" + name
	}
	switch {
	case maybeDomain == "localhost":
		domain, remoteName = maybeDomain, maybeRemoteName
	case maybeDomain == "index.docker.io":
		domain, remoteName = "docker.io", maybeRemoteName
	case strings.ContainsAny(maybeDomain, ".:"):
		domain, remoteName = maybeDomain, maybeRemoteName
	case strings.ToLower(maybeDomain) != maybeDomain:
		domain, remoteName = maybeDomain, maybeRemoteName
	default:
		domain, remoteName = "docker.io", name
	}
	if domain == "docker.io" && !strings.ContainsRune(remoteName, '/') {
		remoteName = "library/" + remoteName
	}
	return domain, remoteName
}

// parseReference is reference.Parse for a string that has a domain (all
// that parseNormalizedNamed passes: the name is never empty).
func parseReference(s string) (named, error) {
	name, tag, digest, ok := matchReference(s)
	if !ok {
		if s == "" {
			return named{}, errNameEmpty
		}
		if _, _, _, ok := matchReference(strings.ToLower(s)); ok {
			return named{}, errNameContainsUppercase
		}
		return named{}, errReferenceInvalidFormat
	}
	n := named{tag: tag}
	n.domain, n.path = splitName(name)
	if len(n.path) > maxPathLen {
		return named{}, errNameTooLong
	}
	if digest != "" {
		if err := validateDigest(digest); err != nil {
			return named{}, err
		}
		n.digest = digest
	}
	if n.name() == "" {
		return named{}, errNameEmpty
	}
	return n, nil
}

// matchReference is the anchored reference pattern: the name, the tag and
// the digest it captures. A name with a domain is tried first, as the
// pattern's optional group is.
func matchReference(s string) (name, tag, digest string, ok bool) {
	for _, withDomain := range []bool{true, false} {
		end := 0
		if withDomain {
			slash := strings.IndexByte(s, '/')
			if slash < 0 || !isDomain(s[:slash]) {
				continue
			}
			end = slash + 1
		}
		n := end + remoteNameLen(s[end:])
		if !isRemoteName(s[end:n]) {
			continue
		}
		if tag, digest, ok := matchTagDigest(s[n:]); ok {
			return s[:n], tag, digest, true
		}
	}
	return "", "", "", false
}

// matchTagDigest matches [ ":" tag ] [ "@" digest ] to the end of s.
func matchTagDigest(s string) (tag, digest string, ok bool) {
	if rest, found := strings.CutPrefix(s, ":"); found {
		at := strings.IndexByte(rest, '@')
		if at < 0 {
			at = len(rest)
		}
		if !isTag(rest[:at]) {
			return "", "", false
		}
		tag, s = rest[:at], rest[at:]
	}
	if s == "" {
		return tag, "", true
	}
	if rest, found := strings.CutPrefix(s, "@"); found && isDigestPattern(rest) {
		return tag, rest, true
	}
	return "", "", false
}

// splitName is the anchored name pattern's captures: the domain when the
// name has one, and the path.
func splitName(name string) (domain, path string) {
	if slash := strings.IndexByte(name, '/'); slash >= 0 && isDomain(name[:slash]) && isRemoteName(name[slash+1:]) {
		return name[:slash], name[slash+1:]
	}
	return "", name
}

// remoteNameLen is the length of the longest prefix of s made of the
// remote name's characters: where a tag or digest may begin.
func remoteNameLen(s string) int {
	for i := 0; i < len(s); i++ {
		if c := s[i]; !isLowerAlnum(c) && c != '.' && c != '_' && c != '-' && c != '/' {
			return i
		}
	}
	return len(s)
}

func isRemoteName(s string) bool { return everyPart(s, "/", isPathComponent) }

// everyPart reports whether ok holds of every sep-separated part of s
// (an empty part included).
func everyPart(s, sep string, ok func(string) bool) bool {
	for {
		part, rest, more := strings.Cut(s, sep)
		if !ok(part) {
			return false
		}
		if !more {
			return true
		}
		s = rest
	}
}

// isPathComponent: lower-case alphanumeric runs joined by ".", "_", "__"
// or one or more "-".
func isPathComponent(s string) bool {
	i := 0
	for {
		start := i
		for i < len(s) && isLowerAlnum(s[i]) {
			i++
		}
		if i == start {
			return false
		}
		if i == len(s) {
			return true
		}
		switch s[i] {
		case '.':
			i++
		case '_':
			i++
			if i < len(s) && s[i] == '_' {
				i++
			}
		case '-':
			for i < len(s) && s[i] == '-' {
				i++
			}
		default:
			return false
		}
	}
}

// isDomain: a host name or a bracketed IPv6 address, and an optional port.
func isDomain(s string) bool {
	host, port := s, ""
	if strings.HasPrefix(s, "[") {
		end := strings.IndexByte(s, ']')
		if end < 0 {
			return false
		}
		host, port = s[:end+1], s[end+1:]
		if !isIPv6(host[1:end]) {
			return false
		}
	} else {
		if colon := strings.IndexByte(s, ':'); colon >= 0 {
			host, port = s[:colon], s[colon:]
		}
		if !isDomainName(host) {
			return false
		}
	}
	if port == "" {
		return true
	}
	digits, ok := strings.CutPrefix(port, ":")
	return ok && digits != "" && strings.Trim(digits, "0123456789") == ""
}

func isIPv6(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !isHex(c) && c != ':' {
			return false
		}
	}
	return true
}

func isDomainName(s string) bool { return everyPart(s, ".", isDomainComponent) }

// isDomainComponent: alphanumerics, with hyphens inside only.
func isDomainComponent(s string) bool {
	if s == "" || !isAlnum(s[0]) || !isAlnum(s[len(s)-1]) {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isAlnum(s[i]) && s[i] != '-' {
			return false
		}
	}
	return true
}

// isTag: a word character, then up to 127 word characters, dots and
// hyphens.
func isTag(s string) bool {
	if s == "" || len(s) > 128 || !isWord(s[0]) {
		return false
	}
	for i := 1; i < len(s); i++ {
		if !isWord(s[i]) && s[i] != '.' && s[i] != '-' {
			return false
		}
	}
	return true
}

// isDigestPattern is the reference grammar's digest: an algorithm of
// letter-led alphanumeric parts joined by [-_+.], a colon, and at least 32
// hexadecimal digits.
func isDigestPattern(s string) bool {
	alg, hex, ok := strings.Cut(s, ":")
	if !ok || len(hex) < 32 {
		return false
	}
	for i := 0; i < len(hex); i++ {
		if !isHex(hex[i]) {
			return false
		}
	}
	for {
		if alg == "" || !isLetter(alg[0]) {
			return false
		}
		i := 1
		for i < len(alg) && isAlnum(alg[i]) {
			i++
		}
		if i == len(alg) {
			return true
		}
		if c := alg[i]; c != '-' && c != '_' && c != '+' && c != '.' {
			return false
		}
		alg = alg[i+1:]
	}
}

// validateDigest is go-digest's Digest.Validate, in a binary that links
// crypto/sha256 and crypto/sha512 (wvlint does): sha256, sha384 and
// sha512 are the algorithms available, lower-case hex of their size.
func validateDigest(s string) error {
	i := strings.Index(s, ":")
	if i <= 0 || i+1 == len(s) {
		return errDigestInvalidFormat
	}
	alg, encoded := s[:i], s[i+1:]
	size := map[string]int{"sha256": 32, "sha384": 48, "sha512": 64}[alg]
	if size == 0 {
		if !isDigestAnchored(s) {
			return errDigestInvalidFormat
		}
		return errDigestUnsupported
	}
	if len(encoded) != 2*size {
		return errDigestInvalidLength
	}
	for j := 0; j < len(encoded); j++ {
		if !isLowerHex(encoded[j]) {
			return errDigestInvalidFormat
		}
	}
	return nil
}

// isDigestAnchored is go-digest's DigestRegexpAnchored:
// ^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$.
func isDigestAnchored(s string) bool {
	alg, enc, ok := strings.Cut(s, ":")
	if !ok || enc == "" {
		return false
	}
	for i := 0; i < len(enc); i++ {
		if c := enc[i]; !isAlnum(c) && c != '=' && c != '_' && c != '-' {
			return false
		}
	}
	for {
		i := 0
		for i < len(alg) && isLowerAlnum(alg[i]) {
			i++
		}
		if i == 0 {
			return false
		}
		if i == len(alg) {
			return true
		}
		if c := alg[i]; c != '.' && c != '+' && c != '_' && c != '-' {
			return false
		}
		alg = alg[i+1:]
	}
}

// isIdentifier: 64 lower-case hexadecimal digits (an image ID).
func isIdentifier(s string) bool {
	if len(s) != 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isLowerHex(s[i]) {
			return false
		}
	}
	return true
}

func isLowerAlnum(c byte) bool { return c >= 'a' && c <= 'z' || c >= '0' && c <= '9' }
func isLetter(c byte) bool     { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }
func isAlnum(c byte) bool      { return isLetter(c) || c >= '0' && c <= '9' }
func isWord(c byte) bool       { return isAlnum(c) || c == '_' }
func isLowerHex(c byte) bool   { return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' }
func isHex(c byte) bool        { return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F' }
