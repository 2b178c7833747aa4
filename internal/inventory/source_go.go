package inventory

import (
	"bytes"
	"fmt"
	"github.com/wvlint/wvlint/internal/facts"
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"path"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/wvlint/wvlint/internal/gopins"
	"github.com/wvlint/wvlint/internal/imageref"
	"github.com/wvlint/wvlint/internal/pos"
	"github.com/wvlint/wvlint/internal/version"
)

// ImplicitRunContainer explains the pin of weaviate.RunContainer called
// without testcontainers.WithImage (testcontainers-go modules/weaviate).
var ImplicitRunContainer = "weaviate.RunContainer without testcontainers.WithImage runs the default image of your testcontainers-go version (" + facts.TestcontainersDefaultsText() + ")"

// GoDeployment is the deployment of a Go pin, without its position.
func GoDeployment(p gopins.Pin) Deployment {
	d := Deployment{Kind: Go, Platform: Test, Nodes: 1, Image: p.Image, Env: map[string]EnvVar{}}
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
	name = strings.Map(func(r rune) rune {
		if r == '-' || r == '.' {
			return -1
		}
		return r
	}, name)
	pkg := types.NewPackage(p, name)
	pkg.MarkComplete()
	return pkg, nil
}

var goSource = &Source{
	Name:  "go",
	Doc:   "Go source: testcontainers-go Weaviate modules and generic containers, with the package's own constants",
	Reads: func(p string) bool { return strings.HasSuffix(p, ".go") },
	// The files that mention weaviate are read. gopins finds pins only in
	// calls of testcontainers-go and in literals that hold the Weaviate
	// image's path: a file with neither import path nor image path in its
	// bytes (code that uses the Weaviate client) can hold no pin, and is
	// not kept or parsed. (Not a Relevant: that must hold of a piece of a
	// large file, and the two texts may lie far apart.) Assemble
	// type-checks each package, reading the rest of it only when a
	// constant is missing.
	Extract: func(in *Input) Found {
		if !in.Raw.Test(mayPin) {
			return Found{}
		}
		return Found{Keep: in.Bytes()}
	},
	Assemble: assembleGo,
	Examples: []string{"internal/store/weaviate_test.go"},
}

// goPackage is the Go files of one package being checked.
type goPackage struct {
	fset  *token.FileSet
	files []*ast.File
	src   map[string]*pos.Lines
	have  map[string]bool
	// mayPin is set when a file imports testcontainers-go or writes the
	// Weaviate image's path: gopins finds pins only in calls of the
	// former and literals holding the latter, and reports unresolved
	// images only for the calls. A package with neither (code that uses
	// the Weaviate client, say) has nothing to find, and is not
	// type-checked: the costly part of a scan's Go.
	mayPin bool
}

func (g *goPackage) add(out *Found, name string, data []byte, pkg string) {
	if g.have[name] {
		return
	}
	g.have[name] = true
	f, err := parser.ParseFile(g.fset, name, data, parser.SkipObjectResolution)
	if f == nil || f.Name == nil || (pkg != "" && f.Name.Name != pkg) {
		if f == nil || f.Name == nil {
			out.errorf(name, 0, "invalid Go: %v", firstLine(err))
		}
		return
	}
	if err != nil && mentionsWeaviate(data) {
		out.notice(name, 0, fmt.Sprintf("Go syntax error (%v): scanned what could be parsed", firstLine(err)))
	}
	g.src[name] = pos.NewLines(data)
	g.files = append(g.files, f)
	g.mayPin = g.mayPin || importsTestcontainers(f) || containsFold(data, imageref.WeaviatePath)
}

func importsTestcontainers(f *ast.File) bool {
	for _, im := range f.Imports {
		if p, err := strconv.Unquote(im.Path.Value); err == nil && strings.HasPrefix(p, gopins.TCModule) {
			return true
		}
	}
	return false
}

// mayPin reports whether Go source may hold a pin: it names the
// testcontainers-go module (an import) or the Weaviate image's path.
func mayPin(data []byte) bool {
	return bytes.Contains(data, []byte(gopins.TCModule)) || containsFold(data, imageref.WeaviatePath)
}

func (g *goPackage) check() ([]gopins.Pin, []gopins.Unresolved) {
	info := &types.Info{Defs: map[*ast.Ident]types.Object{}, Uses: map[*ast.Ident]types.Object{}, Types: map[ast.Expr]types.TypeAndValue{}}
	conf := types.Config{Importer: softImporter{}, Error: func(error) {}, FakeImportC: true}
	_, _ = conf.Check(g.files[0].Name.Name, g.fset, g.files, info)
	return gopins.Find(g.files, info)
}

// assembleGo checks each package with Go pins. It starts from the files
// that mention Weaviate and reads the rest of the package only when an
// image depends on something they do not define.
func assembleGo(a *Assembly, kept []Kept) Found {
	var out Found
	goDirs := map[string]map[string][]byte{}
	for _, k := range kept {
		dir := filepath.Dir(k.Path)
		if goDirs[dir] == nil {
			goDirs[dir] = map[string][]byte{}
		}
		goDirs[dir][k.Path] = k.Value.([]byte)
	}
	dirs := make([]string, 0, len(goDirs))
	for d := range goDirs {
		dirs = append(dirs, d)
	}
	sort.Strings(dirs)
	// Type-checking is the costly part and each directory stands alone:
	// check them in parallel, then merge in directory order, so the
	// result does not depend on scheduling.
	found := make([]Found, len(dirs))
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(dirs)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				found[i] = assembleGoDir(a, dirs[i], goDirs[dirs[i]])
			}
		}()
	}
	for i := range dirs {
		next <- i
	}
	close(next)
	wg.Wait()
	for _, f := range found {
		out.merge(f)
	}
	return out
}

// assembleGoDir checks the packages of one directory.
func assembleGoDir(a *Assembly, dir string, files map[string][]byte) Found {
	var out Found
	byPkg := map[string]*goPackage{}
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		data := files[n]
		clause, err := parser.ParseFile(token.NewFileSet(), n, data, parser.PackageClauseOnly)
		if err != nil || clause.Name == nil {
			out.errorf(n, 0, "invalid Go: no package clause")
			continue
		}
		g := byPkg[clause.Name.Name]
		if g == nil {
			g = &goPackage{fset: token.NewFileSet(), src: map[string]*pos.Lines{}, have: map[string]bool{}}
			byPkg[clause.Name.Name] = g
		}
		g.add(&out, n, data, "")
	}
	pkgNames := make([]string, 0, len(byPkg))
	for p := range byPkg {
		pkgNames = append(pkgNames, p)
	}
	sort.Strings(pkgNames)
	for _, pkg := range pkgNames {
		g := byPkg[pkg]
		if len(g.files) == 0 || !g.mayPin {
			continue
		}
		pins, unresolved := g.check()
		if len(unresolved) > 0 {
			// Read the rest of the package: the constant may be there.
			if all, err := a.Load.ReadDir(dir); err == nil {
				sort.Strings(all)
				for _, n := range all {
					p := filepath.Join(dir, n)
					if strings.HasSuffix(n, ".go") && !g.have[p] {
						if data, err := a.Load.ReadFile(p); err == nil {
							g.add(&out, p, data, pkg)
						}
					}
				}
				pins, unresolved = g.check()
			}
		}
		goDeployments(&out, g, pins, unresolved)
	}
	return out
}

func goDeployments(out *Found, g *goPackage, pins []gopins.Pin, unresolved []gopins.Unresolved) {
	for i, p := range pins {
		d := GoDeployment(p)
		at := g.fset.Position(p.TagPos)
		end := g.fset.Position(p.TagEnd)
		lines := g.src[at.Filename]
		if lines == nil {
			continue
		}
		line, col := lines.Pos(at.Offset)
		_, endCol := lines.Pos(end.Offset)
		if end.Line != at.Line {
			endCol = col + 1
		}
		d.setSpan(pos.Span{File: at.Filename, Line: line, Col: col, EndCol: endCol}, string(lines.Bytes(at.Offset, end.Offset)))
		d.Evidence = goEvidence(d, p)
		d.ID = fmt.Sprintf("go:%s#%d", filepath.ToSlash(at.Filename), i)
		d.Cluster = d.ID
		d.Inputs = []string{at.Filename}
		if p.Use.IsValid() {
			u := g.fset.Position(p.Use)
			if ul := g.src[u.Filename]; ul != nil {
				l, c := ul.Pos(u.Offset)
				d.Related = append(d.Related, Related{File: u.Filename, Line: l, Column: c, Message: "the image is used by " + p.Via + " here"})
			}
		}
		out.Deployments = append(out.Deployments, d)
	}
	for _, u := range unresolved {
		at := g.fset.Position(u.Pos)
		out.notice(at.Filename, at.Line, fmt.Sprintf("the image passed to %s could not be resolved (wvlint reads the package's own constants only; run wvlint-vet for imported ones): its Weaviate version is not checked", u.Via))
	}
}

// goEvidence says which call or literal made a Go pin Weaviate's.
func goEvidence(d Deployment, p gopins.Pin) string {
	name := imageName(p.Image)
	switch {
	case p.Implicit:
		return fmt.Sprintf("%s:%d calls %s, which runs %s", d.File, d.Line, p.Via, name)
	case strings.Contains(p.Via, "."):
		return fmt.Sprintf("%s:%d passes %s to %s", d.File, d.Line, name, p.Via)
	}
	return fmt.Sprintf("%s:%d names %s (%s)", d.File, d.Line, name, p.Via)
}

func firstLine(err error) string {
	s := err.Error()
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	return s
}
