package web

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"time"
)

// The static files: one stylesheet and one script, both small (a citizen
// page's first load, HTML included, stays under 100 KB).
//
//go:embed static
var staticFS embed.FS

// staticFiles serves the embedded static files under versioned URLs
// (/static/style.css?v=HASH) so that browsers may keep them for a year and
// still see a new version at once.
type staticFiles struct {
	files map[string][]byte
	hash  map[string]string
}

func loadStatic() (*staticFiles, error) {
	sf := &staticFiles{files: map[string][]byte{}, hash: map[string]string{}}
	err := fs.WalkDir(staticFS, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := staticFS.ReadFile(p)
		if err != nil {
			return err
		}
		name := p[len("static/"):]
		h := sha256.Sum256(b)
		sf.files[name] = b
		sf.hash[name] = hex.EncodeToString(h[:6])
		return nil
	})
	return sf, err
}

// url is the versioned URL of a static file; it panics on a name that does
// not exist, which TestTemplates catches.
func (sf *staticFiles) url(name string) string {
	h, ok := sf.hash[name]
	if !ok {
		panic("web: no static file " + name)
	}
	return "/static/" + name + "?v=" + h
}

// serve answers GET /static/{name}.
func (sf *staticFiles) serve(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("name")
	b, ok := sf.files[name]
	if !ok {
		http.NotFound(w, r)
		return
	}
	if typ := mime.TypeByExtension(path.Ext(name)); typ != "" {
		w.Header().Set("Content-Type", typ)
	}
	if v := r.URL.Query().Get("v"); v != "" && v == sf.hash[name] {
		w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		w.Header().Set("Cache-Control", "public, max-age=300")
	}
	w.Header().Set("ETag", `"`+sf.hash[name]+`"`)
	http.ServeContent(w, r, name, time.Time{}, bytes.NewReader(b))
}
