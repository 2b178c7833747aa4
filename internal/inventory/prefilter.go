package inventory

import "bytes"

// mentionsWeaviate is the byte pre-filter run before any parsing: does b
// hold "weaviate" with its first letter in either case? It anchors on the
// 'v', which is about ten times rarer in source and YAML than the 'e' a
// plain search starts from: most files are read only for this check.
func mentionsWeaviate(b []byte) bool { return indexWeaviate(b) >= 0 }

// MentionsWeaviate reports whether data contains "weaviate" in any case of
// its first letter; file systems use it on oversized files.
func MentionsWeaviate(b []byte) bool { return mentionsWeaviate(b) }

// indexWeaviate is the offset of the first "weaviate" or "Weaviate" in b,
// or -1.
func indexWeaviate(b []byte) int {
	for i := 3; i+4 < len(b); {
		j := bytes.IndexByte(b[i:len(b)-4], 'v')
		if j < 0 {
			return -1
		}
		i += j
		if b[i+1] == 'i' && b[i+2] == 'a' && b[i+3] == 't' && b[i+4] == 'e' && b[i-1] == 'a' && b[i-2] == 'e' && b[i-3]|0x20 == 'w' {
			return i - 3
		}
		i++
	}
	return -1
}

// mentionsServer reports whether a document mentions weaviate other than
// as the registry host of another image of the semitechnologies
// organisation: cr.weaviate.io/semitechnologies/transformers-inference,
// the module images a rendered chart deploys beside the server, hold
// nothing any source reads (the server's own image,
// cr.weaviate.io/semitechnologies/weaviate, names it a second time).
func mentionsServer(b []byte) bool {
	const host, org = "cr.", ".io/semitechnologies/"
	for i := 0; ; {
		j := indexWeaviate(b[i:])
		if j < 0 {
			return false
		}
		i += j
		moduleHost := i >= len(host) && string(b[i-len(host):i]) == host && bytes.HasPrefix(b[i+len("weaviate"):], []byte(org))
		if !moduleHost {
			return true
		}
		i += len("weaviate")
	}
}

// looksK8sObject reports whether a YAML document's text sets apiVersion
// and kind at its top level, as a Kubernetes object does.
func looksK8sObject(doc []byte) bool {
	top := func(key string) bool {
		return bytes.HasPrefix(doc, []byte(key)) || bytes.Contains(doc, []byte("\n"+key))
	}
	return top("apiVersion:") && top("kind:")
}

// containsFold reports whether data, lower-cased as LooksWeaviate
// lower-cases a literal, holds word (lower-case): any literal it would
// accept is in it.
func containsFold(data []byte, word string) bool {
	if word == "" {
		return true
	}
	for i := 0; i+len(word) <= len(data); i++ {
		if lowerASCII(data[i]) == word[0] && bytes.EqualFold(data[i:i+len(word)], []byte(word)) {
			return true
		}
	}
	return false
}

func lowerASCII(b byte) byte {
	if 'A' <= b && b <= 'Z' {
		return b + 'a' - 'A'
	}
	return b
}

// relevantOverlap is how much the pieces of a gated read overlap: more
// than the longest text a Relevant looks for ("weaviate", "module ").
const relevantOverlap = 64
