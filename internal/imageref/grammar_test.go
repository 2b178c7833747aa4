package imageref

import (
	// go-digest accepts the algorithms whose hashes the binary links:
	// wvlint links both (fingerprints, TLS), and so does this test.
	_ "crypto/sha256"
	_ "crypto/sha512"
	"strings"
	"testing"

	"github.com/distribution/reference"
)

// viaDistribution is what Parse answered when it called
// github.com/distribution/reference: grammar.go must answer the same.
func viaDistribution(raw string) (Ref, error) {
	n, err := reference.ParseNormalizedNamed(raw)
	if err != nil {
		return Ref{}, err
	}
	r := Ref{Raw: raw, Name: n.Name(), Path: reference.Path(n)}
	if t, ok := n.(reference.Tagged); ok {
		r.Tag = t.Tag()
	}
	if d, ok := n.(reference.Digested); ok {
		r.Digest = d.Digest().String()
	}
	return r, nil
}

func sameAsDistribution(t *testing.T, raw string) {
	t.Helper()
	want, werr := viaDistribution(raw)
	n, err := parseNormalizedNamed(raw)
	got := Ref{Raw: raw, Name: n.name(), Path: n.path, Tag: n.tag, Digest: n.digest}
	switch {
	case (err == nil) != (werr == nil):
		t.Errorf("%q: error %v, distribution/reference says %v", raw, err, werr)
	case err != nil && err.Error() != werr.Error():
		t.Errorf("%q: error %q, distribution/reference says %q", raw, err, werr)
	case err == nil && got != want:
		t.Errorf("%q: %+v, distribution/reference says %+v", raw, got, want)
	}
}

var grammarCases = []string{
	"", "a", "A", "weaviate", "semitechnologies/weaviate", "semitechnologies/weaviate:1.27.5",
	"cr.weaviate.io/semitechnologies/weaviate:1.28.2", "registry.local:5000/mirror/semitechnologies/weaviate:v1.25.0",
	"localhost/weaviate", "localhost:5000/weaviate:1", "localhost:5000", "index.docker.io/semitechnologies/weaviate",
	"index.docker.io/weaviate", "docker.io/weaviate", "docker.io/library/weaviate", "Docker.io/weaviate",
	"UPPER/weaviate", "upper/Weaviate", "SemiTechnologies/Weaviate:1.2.3", "semitechnologies/weaviate: 1.2.3",
	"[::1]:5000/weaviate:1.0", "[::1]/weaviate", "[fe80::1%eth0]/x", "[]/x", "[::1/x", "host:/x", "host:12a/x",
	"-host.com/x", "host-.com/x", "ho-st.com/x", "host..com/x", ".host/x", "my_host.com/foo", "my_host/foo",
	"a/b/c/d/e:tag", "a//b", "a/", "/a", "a/b/", "a__b", "a___b", "a._b", "a-b", "a--b", "a-", "-a", "a.", "a..b",
	"a:", "a:-tag", "a:_tag", "a:.tag", "a:t@g", "a:" + strings.Repeat("t", 128), "a:" + strings.Repeat("t", 129),
	"a@sha256:" + sha, "a:1@sha256:" + sha, "a@sha256:" + strings.ToUpper(sha), "a@sha256:" + sha[:63],
	"a@sha256:" + sha + "0", "a@sha384:" + sha + sha[:32], "a@sha512:" + sha + sha, "a@md5:" + sha,
	"a@md5:" + strings.ToUpper(sha), "a@MD5:" + sha, "a@s-h.a+2_5:" + sha, "a@s--h:" + sha, "a@1sha:" + sha,
	"a@sha256:" + sha[:31], "a@sha256", "a@:" + sha, "a@sha256:" + sha + "@x", "a@b@sha256:" + sha,
	sha, strings.ToUpper(sha), sha + "0", "weaviate:" + sha, strings.Repeat("a", 256), strings.Repeat("a/", 120) + "b",
	strings.Repeat("a", 248) + "/b", "library/" + strings.Repeat("a", 247), "héllo/x", "x/Ä", "x/\xff", "\xff",
	"a:1.2.3\n", " a", "a b", "a\tb", "a:b:c", "host:5000:6000/x", "host:5000/x:y:z", "a.b:c/d", "a.b:1/d",
}

func TestGrammarAsDistribution(t *testing.T) {
	for _, raw := range grammarCases {
		sameAsDistribution(t, raw)
	}
}

// FuzzGrammar compares grammar.go with distribution/reference on any text.
func FuzzGrammar(f *testing.F) {
	for _, raw := range grammarCases {
		f.Add(raw)
	}
	f.Fuzz(sameAsDistribution)
}
