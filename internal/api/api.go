// Package api is homthu's JSON API under /api/v1, described by the OpenAPI 3
// document it serves at /api/v1/openapi.json. Every error, also for unknown
// routes, wrong methods and requests refused by cross-origin protection, is
// {"error":{"code":…, "message":…}} with a Vietnamese message.
package api

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"unicode/utf8"

	"homthu/internal/app"
	"homthu/internal/homthu"
)

// MaxBody is the largest JSON body accepted.
const MaxBody = 1 << 20

// API serves the JSON API.
type API struct {
	App *app.App
	Log *slog.Logger
}

type handlerFunc func(w http.ResponseWriter, r *http.Request) error

// route is one endpoint. act is the permission it needs ("" for public
// endpoints); the handler enforces it through the app, and the route ×
// role test walks this table to check that it does.
type route struct {
	method, pattern string
	act             homthu.Action
	h               handlerFunc
}

// Handler returns the API's handler, to be mounted at /api/.
func (a *API) Handler() http.Handler {
	mux := http.NewServeMux()
	byPattern := map[string][]route{}
	var order []string
	for _, rt := range a.routes() {
		if _, ok := byPattern[rt.pattern]; !ok {
			order = append(order, rt.pattern)
		}
		byPattern[rt.pattern] = append(byPattern[rt.pattern], rt)
	}
	for _, p := range order {
		rts := byPattern[p]
		mux.HandleFunc(p, func(w http.ResponseWriter, r *http.Request) {
			var allow []string
			for _, rt := range rts {
				if r.Method == rt.method || (rt.method == http.MethodGet && r.Method == http.MethodHead) {
					a.serve(w, r, rt.h)
					return
				}
				allow = append(allow, rt.method)
			}
			w.Header().Set("Allow", strings.Join(allow, ", "))
			WriteError(w, http.StatusMethodNotAllowed, homthu.EINVALID, "Phương thức "+r.Method+" không dùng được cho địa chỉ này; hãy dùng "+strings.Join(allow, ", ")+".")
		})
	}
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		WriteError(w, http.StatusNotFound, homthu.ENOTFOUND, "Không có địa chỉ API này: "+r.URL.Path)
	})
	return mux
}

func (a *API) serve(w http.ResponseWriter, r *http.Request, h handlerFunc) {
	w.Header().Set("Cache-Control", "no-store")
	if err := h(w, r); err != nil {
		a.writeErr(w, r, err)
	}
}

// StatusOf maps a domain error code to its HTTP status: the one mapping for
// the API and the pages.
func StatusOf(code string) int {
	switch code {
	case homthu.EINVALID:
		return http.StatusBadRequest
	case homthu.EUNAUTHORIZED:
		return http.StatusUnauthorized
	case homthu.EFORBIDDEN:
		return http.StatusForbidden
	case homthu.ENOTFOUND:
		return http.StatusNotFound
	case homthu.ECONFLICT:
		return http.StatusConflict
	case homthu.ETOOLARGE:
		return http.StatusRequestEntityTooLarge
	case homthu.ERATELIMITED:
		return http.StatusTooManyRequests
	}
	return http.StatusInternalServerError
}

func (a *API) writeErr(w http.ResponseWriter, r *http.Request, err error) {
	code := homthu.ErrorCode(err)
	if code == homthu.EINTERNAL && a.Log != nil {
		// The path is logged without query (no secrets travel in API URLs,
		// but a filter could carry search words).
		a.Log.Error("api", "method", r.Method, "path", r.URL.Path, "err", err)
	}
	if code == homthu.EUNAUTHORIZED {
		w.Header().Set("WWW-Authenticate", `Bearer realm="homthu"`)
	}
	WriteError(w, StatusOf(code), code, homthu.ErrorMessage(err))
}

// WriteError writes the API's error body.
func WriteError(w http.ResponseWriter, status int, code, message string) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(map[string]any{"error": map[string]string{"code": code, "message": message}})
}

func writeJSON(w http.ResponseWriter, status int, v any) error {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	return json.NewEncoder(w).Encode(v)
}

// decode reads a JSON body strictly: at most MaxBody bytes, valid UTF-8, one
// object with no unknown fields and nothing after it.
func decode(w http.ResponseWriter, r *http.Request, v any) error {
	// Any Content-Type is read as JSON (scripts often send curl's default);
	// cross-origin form posts are stopped by cross-origin protection.
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxBody))
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return homthu.Errorf(homthu.ETOOLARGE, "Nội dung gửi lên quá lớn: tối đa 1 MiB.")
	} else if err != nil {
		return homthu.Errorf(homthu.EINVALID, "Không đọc được nội dung gửi lên.")
	}
	return decodeJSON(body, v)
}

// decodeJSON is decode's parser, separate so that it can be fuzzed.
func decodeJSON(body []byte, v any) error {
	if !utf8.Valid(body) {
		return homthu.Errorf(homthu.EINVALID, "Nội dung gửi lên có ký tự không hợp lệ (không phải UTF-8).")
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var ute *json.UnmarshalTypeError
		switch {
		case errors.As(err, &ute):
			return homthu.Errorf(homthu.EINVALID, "Trường %q có kiểu dữ liệu không đúng.", ute.Field)
		case strings.HasPrefix(err.Error(), "json: unknown field "):
			return homthu.Errorf(homthu.EINVALID, "Có trường không được hỗ trợ: %s.", strings.TrimPrefix(err.Error(), "json: unknown field "))
		case errors.Is(err, io.EOF):
			return homthu.Errorf(homthu.EINVALID, "Nội dung gửi lên trống; cần một đối tượng JSON.")
		}
		return homthu.Errorf(homthu.EINVALID, "JSON không hợp lệ.")
	}
	if dec.More() {
		return homthu.Errorf(homthu.EINVALID, "JSON không hợp lệ: có dữ liệu thừa sau đối tượng.")
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return homthu.Errorf(homthu.EINVALID, "JSON không hợp lệ: có dữ liệu thừa sau đối tượng.")
	}
	return nil
}

//go:embed openapi.json
var openapi []byte

func (a *API) getOpenAPI(w http.ResponseWriter, r *http.Request) error {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "public, max-age=3600")
	_, err := w.Write(openapi)
	return err
}
