// Package gopins finds Weaviate images pinned in Go source: the image of
// testcontainers-go's weaviate.Run and testcontainers.Run, the
// testcontainers.WithImage option, testcontainers.ContainerRequest{Image:},
// and any string literal holding a tagged Weaviate image. Constants and
// package-level variables are followed to the literal that holds the tag,
// so the position is the text a user edits.
//
// It works with full type information (the go/analysis analyzer) and with
// the partial information of a package checked without its imports (inside
// wvlint, which runs no go command): then only the package's own constants
// resolve.
package gopins

import (
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"
	"strconv"
	"strings"

	"github.com/wvlint/wvlint/internal/imageref"
)

// Import paths of testcontainers-go.
const (
	TCModule   = "github.com/testcontainers/testcontainers-go"
	TCWeaviate = "github.com/testcontainers/testcontainers-go/modules/weaviate"
)

// Pin is one Weaviate image written in Go.
type Pin struct {
	Image string // the image reference, constants resolved
	Via   string // how it is used: "weaviate.Run", "string literal", ...
	// TagPos..TagEnd is the tag text (or the whole expression when the
	// tag's own text cannot be located, e.g. a constant of another package).
	TagPos, TagEnd token.Pos
	Exact          bool      // TagPos..TagEnd is exactly the tag
	Use            token.Pos // where the image is used, when that is elsewhere
	// Implicit is set for weaviate.RunContainer without WithImage: the
	// module's default image runs.
	Implicit bool
}

// Unresolved is an image expression whose value could not be worked out.
type Unresolved struct {
	Pos token.Pos
	Via string
}

// piece is part of a resolved string and where its text is written.
type piece struct {
	text string
	pos  token.Pos // of the first byte of text; NoPos when unknown
}

type finder struct {
	info  *types.Info
	decls map[types.Object]ast.Expr // package-level consts and vars: their initializers
}

// Find lists the pins in files. info may be partial.
func Find(files []*ast.File, info *types.Info) ([]Pin, []Unresolved) {
	f := &finder{info: info, decls: map[types.Object]ast.Expr{}}
	for _, file := range files {
		for _, d := range file.Decls {
			gd, ok := d.(*ast.GenDecl)
			if !ok || (gd.Tok != token.CONST && gd.Tok != token.VAR) {
				continue
			}
			f.collect(gd)
		}
	}
	// Local constants and variables too: img := "..." inside a test.
	for _, file := range files {
		ast.Inspect(file, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.DeclStmt:
				if gd, ok := n.Decl.(*ast.GenDecl); ok {
					f.collect(gd)
				}
			case *ast.AssignStmt:
				if n.Tok == token.DEFINE && len(n.Lhs) == len(n.Rhs) {
					for i, l := range n.Lhs {
						if id, ok := l.(*ast.Ident); ok {
							if obj := info.Defs[id]; obj != nil {
								f.decls[obj] = n.Rhs[i]
							}
						}
					}
				}
			}
			return true
		})
	}
	var pins []Pin
	var unresolved []Unresolved
	seen := map[token.Pos]bool{}
	add := func(p Pin) {
		if !seen[p.TagPos] {
			seen[p.TagPos] = true
			pins = append(pins, p)
		}
	}
	use := func(expr ast.Expr, via string) {
		ps, ok := f.resolve(expr, 0)
		if !ok {
			unresolved = append(unresolved, Unresolved{Pos: expr.Pos(), Via: via})
			return
		}
		if p, ok := pin(ps, expr, via); ok {
			add(p)
		}
	}
	for _, file := range files {
		ast.Inspect(file, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.CallExpr:
				pkg, name := f.callee(n.Fun)
				switch {
				case (pkg == TCWeaviate || pkg == TCModule) && name == "Run" && len(n.Args) >= 2:
					use(n.Args[1], short(pkg)+".Run")
				case pkg == TCModule && name == "WithImage" && len(n.Args) == 1:
					use(n.Args[0], "testcontainers.WithImage")
				case pkg == TCWeaviate && name == "RunContainer":
					if !f.hasWithImage(n.Args) {
						add(Pin{Image: "semitechnologies/weaviate", Via: "weaviate.RunContainer", TagPos: n.Fun.Pos(), TagEnd: n.Fun.End(), Implicit: true})
					}
				}
			case *ast.CompositeLit:
				if pkg, name := f.typeName(n.Type); pkg == TCModule && name == "ContainerRequest" {
					for _, el := range n.Elts {
						if kv, ok := el.(*ast.KeyValueExpr); ok {
							if k, ok := kv.Key.(*ast.Ident); ok && k.Name == "Image" {
								use(kv.Value, "testcontainers.ContainerRequest")
							}
						}
					}
				}
			}
			return true
		})
	}
	// Any literal that is a whole, tagged Weaviate image is a pin too.
	for _, file := range files {
		ast.Inspect(file, func(n ast.Node) bool {
			lit, ok := n.(*ast.BasicLit)
			if !ok || lit.Kind != token.STRING || !imageref.LooksWeaviate(lit.Value) {
				return true
			}
			ps, ok := f.resolve(lit, 0)
			if !ok {
				return true
			}
			if r, err := imageref.Parse(ps[0].text); err == nil && r.IsWeaviate() && (r.Tag != "" || r.Digest != "") {
				if p, ok := pin(ps, lit, "string literal"); ok {
					add(p)
				}
			}
			return true
		})
	}
	return pins, unresolved
}

func short(pkg string) string {
	if pkg == TCWeaviate {
		return "weaviate"
	}
	return "testcontainers"
}

func (f *finder) collect(gd *ast.GenDecl) {
	for _, s := range gd.Specs {
		vs, ok := s.(*ast.ValueSpec)
		if !ok {
			continue
		}
		for i, name := range vs.Names {
			if i < len(vs.Values) {
				if obj := f.info.Defs[name]; obj != nil {
					f.decls[obj] = vs.Values[i]
				}
			}
		}
	}
}

// callee names the package path and function of a call's target.
func (f *finder) callee(fun ast.Expr) (pkg, name string) {
	sel, ok := fun.(*ast.SelectorExpr)
	if !ok {
		return "", ""
	}
	return f.qualified(sel)
}

func (f *finder) typeName(t ast.Expr) (pkg, name string) {
	switch t := t.(type) {
	case *ast.SelectorExpr:
		return f.qualified(t)
	case *ast.StarExpr:
		return f.typeName(t.X)
	}
	return "", ""
}

func (f *finder) qualified(sel *ast.SelectorExpr) (pkg, name string) {
	id, ok := sel.X.(*ast.Ident)
	if !ok {
		return "", ""
	}
	if pn, ok := f.info.Uses[id].(*types.PkgName); ok {
		return pn.Imported().Path(), sel.Sel.Name
	}
	return "", ""
}

func (f *finder) hasWithImage(args []ast.Expr) bool {
	for _, a := range args {
		if c, ok := a.(*ast.CallExpr); ok {
			if pkg, name := f.callee(c.Fun); pkg == TCModule && name == "WithImage" {
				return true
			}
		}
	}
	return false
}

// resolve works out a string expression, keeping where each part is written.
func (f *finder) resolve(e ast.Expr, depth int) ([]piece, bool) {
	if depth > 20 {
		return nil, false
	}
	switch e := e.(type) {
	case *ast.BasicLit:
		if e.Kind != token.STRING {
			return nil, false
		}
		s, err := strconv.Unquote(e.Value)
		if err != nil {
			return nil, false
		}
		p := e.Pos() + 1
		if e.Value[0] == '"' && e.Value[1:len(e.Value)-1] != s {
			p = token.NoPos // escapes: offsets inside the value are not source offsets
		}
		return []piece{{s, p}}, true
	case *ast.ParenExpr:
		return f.resolve(e.X, depth+1)
	case *ast.BinaryExpr:
		if e.Op != token.ADD {
			break
		}
		x, ok1 := f.resolve(e.X, depth+1)
		y, ok2 := f.resolve(e.Y, depth+1)
		if ok1 && ok2 {
			return append(x, y...), true
		}
	case *ast.Ident:
		if obj := f.info.Uses[e]; obj != nil {
			if init, ok := f.decls[obj]; ok {
				return f.resolve(init, depth+1)
			}
		}
	}
	// A constant defined elsewhere (another package): its value, without
	// a position of its own.
	if tv, ok := f.info.Types[e]; ok && tv.Value != nil && tv.Value.Kind() == constant.String {
		return []piece{{constant.StringVal(tv.Value), token.NoPos}}, true
	}
	return nil, false
}

// pin places a resolved image: the tag's own text when it is written in
// one piece, else the expression at the use site.
func pin(ps []piece, at ast.Expr, via string) (Pin, bool) {
	var b strings.Builder
	for _, p := range ps {
		b.WriteString(p.text)
	}
	image := b.String()
	ref, err := imageref.Parse(image)
	if err != nil {
		if !imageref.LooksWeaviate(image) {
			return Pin{}, false
		}
		return Pin{Image: image, Via: via, TagPos: at.Pos(), TagEnd: at.End()}, true
	}
	if !ref.IsWeaviate() {
		return Pin{}, false
	}
	p := Pin{Image: image, Via: via, TagPos: at.Pos(), TagEnd: at.End()}
	if ref.Tag == "" {
		return p, true
	}
	// Byte offset of the tag in image.
	off := len(string([]rune(image)[:ref.TagOffset]))
	for _, pc := range ps {
		if off < len(pc.text) {
			if pc.pos.IsValid() && off+len(ref.Tag) <= len(pc.text) {
				p.TagPos = pc.pos + token.Pos(off)
				p.TagEnd = p.TagPos + token.Pos(len(ref.Tag))
				p.Exact = true
				if p.TagPos < at.Pos() || p.TagPos >= at.End() {
					p.Use = at.Pos()
				}
			}
			break
		}
		off -= len(pc.text)
	}
	return p, true
}
