package inventory

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"github.com/wvlint/wvlint/internal/gopins"
	"github.com/wvlint/wvlint/internal/imageref"
	"github.com/wvlint/wvlint/internal/pos"
	"github.com/wvlint/wvlint/internal/version"
)

// ImplicitRunContainer explains the pin of weaviate.RunContainer called
// without testcontainers.WithImage (testcontainers-go modules/weaviate).
const ImplicitRunContainer = "weaviate.RunContainer without testcontainers.WithImage runs the default image of your testcontainers-go version (1.23.9 in v0.29, 1.24.6 in v0.30-v0.31, 1.25.5 in v0.32-v0.35, 1.29.0 in v0.36-v0.44)"

// GoDeployment is the deployment of a Go pin, without its position.
func GoDeployment(p gopins.Pin) Deployment {
	d := Deployment{Source: Go, Platform: Test, Nodes: 1, Image: p.Image, Env: map[string]EnvVar{}}
	if p.Implicit {
		d.Tag = version.Tag{Kind: version.Floating, Reason: ImplicitRunContainer}
		d.Reason = d.Tag.Reason
		return d
	}
	ref, err := imageref.Parse(p.Image)
	switch {
	case err != nil:
		d.Tag = version.Tag{Raw: p.Image, Kind: version.Invalid, Reason: err.Error()}
	case ref.Tag == "" && ref.Digest != "":
		d.Tag = version.Tag{Kind: version.Digest, Reason: "pinned by digest only: the version cannot be read from " + ref.Digest}
	default:
		d.Tag = version.Parse(ref.Tag)
	}
	d.Version, d.Reason = d.Tag.String(), d.Tag.Reason
	return d
}

// softImporter stands in for every import: wvlint runs no go command, so
// imported packages are empty. Their names still resolve, which is enough
// to recognise testcontainers-go calls; their constants do not.
type softImporter struct{}

func (softImporter) Import(p string) (*types.Package, error) {
	name := path.Base(p)
	if strings.HasPrefix(name, "v") && len(name) > 1 && strings.Trim(name[1:], "0123456789") == "" {
		name = path.Base(path.Dir(p))
	}
	name = strings.NewReplacer("-", "", ".", "").Replace(name)
	pkg := types.NewPackage(p, name)
	pkg.MarkComplete()
	return pkg, nil
}

func (s *scanner) goFile(name string) {
	s.mu.Lock()
	if s.goDirs == nil {
		s.goDirs = map[string]bool{}
	}
	s.goDirs[filepath.Dir(name)] = true
	s.mu.Unlock()
}

// assembleGo type-checks each directory with Go pins, package by package,
// with the package's own files only.
func (s *scanner) assembleGo() {
	dirs := make([]string, 0, len(s.goDirs))
	for d := range s.goDirs {
		dirs = append(dirs, d)
	}
	sort.Strings(dirs)
	for _, dir := range dirs {
		names, err := s.fs.ReadDir(dir)
		if err != nil {
			continue
		}
		fset := token.NewFileSet()
		byPkg := map[string][]*ast.File{}
		src := map[string]*pos.Lines{}
		for _, n := range names {
			if !strings.HasSuffix(n, ".go") {
				continue
			}
			p := filepath.Join(dir, n)
			data, err := s.fs.ReadFile(p)
			if err != nil {
				continue
			}
			f, err := parser.ParseFile(fset, p, data, parser.SkipObjectResolution)
			if f == nil || f.Name == nil {
				if mentionsWeaviate(data) {
					s.errorf(p, 0, "invalid Go: %v", err)
				}
				continue
			}
			if err != nil && mentionsWeaviate(data) {
				s.notice(p, fmt.Sprintf("Go syntax error (%v): scanned what could be parsed", firstLine(err)))
			}
			src[p] = pos.NewLines(data)
			byPkg[f.Name.Name] = append(byPkg[f.Name.Name], f)
		}
		for _, files := range byPkg {
			info := &types.Info{Defs: map[*ast.Ident]types.Object{}, Uses: map[*ast.Ident]types.Object{}, Types: map[ast.Expr]types.TypeAndValue{}}
			conf := types.Config{Importer: softImporter{}, Error: func(error) {}, FakeImportC: true}
			_, _ = conf.Check(files[0].Name.Name, fset, files, info)
			pins, unresolved := gopins.Find(files, info)
			for i, p := range pins {
				d := GoDeployment(p)
				at := fset.Position(p.TagPos)
				end := fset.Position(p.TagEnd)
				lines := src[at.Filename]
				if lines == nil {
					continue
				}
				line, col := lines.Pos(at.Offset)
				_, endCol := lines.Pos(end.Offset)
				if end.Line != at.Line {
					endCol = col + 1
				}
				d.setSpan(pos.Span{File: at.Filename, Line: line, Col: col, EndCol: endCol}, string(sourceBytes(lines, at.Offset, end.Offset)))
				d.ID = fmt.Sprintf("go:%s#%d", filepath.ToSlash(at.Filename), i)
				d.Cluster = d.ID
				d.Inputs = []string{at.Filename}
				if p.Use.IsValid() {
					u := fset.Position(p.Use)
					if ul := src[u.Filename]; ul != nil {
						l, c := ul.Pos(u.Offset)
						d.Related = append(d.Related, Related{File: u.Filename, Line: l, Column: c, Message: "the image is used by " + p.Via + " here"})
					}
				}
				s.add(d)
			}
			for _, u := range unresolved {
				at := fset.Position(u.Pos)
				s.notice(at.Filename, fmt.Sprintf("line %d: the image passed to %s could not be resolved (wvlint reads the package's own constants only; run wvlint-vet for imported ones): its Weaviate version is not checked", at.Line, u.Via))
			}
		}
	}
}

func sourceBytes(l *pos.Lines, from, to int) []byte {
	return l.Bytes(from, to)
}

func firstLine(err error) string {
	s := err.Error()
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	return s
}

func (s *scanner) notice(file, msg string) {
	s.mu.Lock()
	s.res.Notices = append(s.res.Notices, FileError{File: file, Message: msg})
	s.mu.Unlock()
}
