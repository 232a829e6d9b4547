package web

import (
	"bytes"
	"fmt"
	"html/template"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"homthu/internal/homthu"
	"homthu/internal/news"
	"homthu/internal/store"
	"homthu/internal/upload"
)

// News ("Tin mới"): the public list with "Xem thêm", a post, the RSS and
// Atom feeds, the images of posts; the editors' list and form.

// NewsPage lists public posts.
type NewsPage struct {
	Base
	Posts      []PostRow
	Categories []Option
	Category   string
	More       string // the next page ("Xem thêm")
}

func (*NewsPage) templateName() string { return "news.html" }

// PostRow is a post in a list.
type PostRow struct {
	Slug, Title, Summary, Category, Unit, Date string
}

func postRow(p *news.Post) PostRow {
	return PostRow{Slug: p.Slug, Title: p.Title, Summary: p.Summary, Category: news.CategoryLabel(p.Category), Unit: p.UnitName,
		Date: p.PublishAt.In(homthu.VNTime).Format("02/01/2006")}
}

const newsPageSize = 10

// newsList answers GET /tin-tuc?chuyen-muc=&don-vi=&truoc=AT.ID.
func (s *Server) newsList(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	f := store.PostFilter{Category: q.Get("chuyen-muc"), Unit: q.Get("don-vi"), Limit: newsPageSize}
	if c := q.Get("truoc"); c != "" {
		at, id, ok := strings.Cut(c, ".")
		ms, err1 := strconv.ParseInt(at, 10, 64)
		n, err2 := strconv.ParseInt(id, 10, 64)
		if !ok || err1 != nil || err2 != nil {
			return homthu.Errorf(homthu.EINVALID, "Địa chỉ trang tin không đúng; xin mở lại trang Tin mới.")
		}
		f.BeforeAt, f.BeforeID = time.UnixMilli(ms), n
	}
	posts, more, err := s.app.PublicPosts(r.Context(), f)
	if err != nil {
		return err
	}
	p := &NewsPage{Base: Base{Title: "Tin mới"}, Category: f.Category}
	if l := news.CategoryLabel(f.Category); l != "" {
		p.Title = "Tin mới: " + l
	}
	for _, c := range news.Categories {
		p.Categories = append(p.Categories, Option{Value: c.Code, Label: c.Label, Selected: c.Code == f.Category})
	}
	for _, post := range posts {
		p.Posts = append(p.Posts, postRow(post))
	}
	if more && len(posts) > 0 {
		last := posts[len(posts)-1]
		v := r.URL.Query()
		v.Set("truoc", fmt.Sprintf("%d.%d", last.PublishAt.UnixMilli(), last.ID))
		p.More = "/tin-tuc?" + v.Encode()
	}
	s.publicCache(w)
	return s.renderOK(w, r, p)
}

// PostPage is one post.
type PostPage struct {
	Base
	Post     PostRow
	Body     template.HTML
	Category string
}

func (*PostPage) templateName() string { return "post.html" }

// newsPost answers GET /tin-tuc/{slug}.
func (s *Server) newsPost(w http.ResponseWriter, r *http.Request) error {
	post, err := s.app.PublicPost(r.Context(), r.PathValue("slug"))
	if err != nil {
		return err
	}
	body, err := news.HTML(post.Body)
	if err != nil {
		return err
	}
	p := &PostPage{Base: Base{Title: post.Title}, Post: postRow(post), Body: template.HTML(body), Category: post.Category}
	s.publicCache(w)
	return s.renderOK(w, r, p)
}

// feedURL is the public address of the site for the feeds, whose links
// leave the site: the configured one, else the request's own.
func (s *Server) feedURL(r *http.Request) string {
	if s.cfg.SiteURL != "" {
		return strings.TrimRight(s.cfg.SiteURL, "/")
	}
	return s.siteURL(r)
}

// newsFeed answers GET /tin-tuc/rss.xml and /tin-tuc/atom.xml: the 30
// newest public posts.
func (s *Server) newsFeed(atom bool) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		posts, _, err := s.app.PublicPosts(r.Context(), store.PostFilter{Limit: 30})
		if err != nil {
			return err
		}
		site := s.feedURL(r)
		f := &news.Feed{Title: "Tin mới — Hòm thư góp ý của Mặt trận Tổ quốc", SiteURL: site, Self: site + r.URL.Path, Posts: posts, Updated: s.now()}
		if len(posts) > 0 {
			f.Updated = posts[0].PublishAt
		}
		var buf bytes.Buffer
		if atom {
			err = f.WriteAtom(&buf)
			w.Header().Set("Content-Type", "application/atom+xml; charset=utf-8")
		} else {
			err = f.WriteRSS(&buf)
			w.Header().Set("Content-Type", "application/rss+xml; charset=utf-8")
		}
		if err != nil {
			return err
		}
		s.publicCache(w)
		_, err = w.Write(buf.Bytes())
		return err
	}
}

// newsImage answers GET /tin-tuc/anh/{sha}: an image an editor uploaded
// for a post (only those: other stored files are never served here).
func (s *Server) newsImage(w http.ResponseWriter, r *http.Request) error {
	typ, err := s.app.Store.PostImageType(r.Context(), r.PathValue("sha"))
	if err != nil {
		return err
	}
	f, err := s.app.Blobs.Open(r.PathValue("sha"))
	if err != nil {
		return homthu.Errorf(homthu.ENOTFOUND, "Không có ảnh này.")
	}
	defer f.Close()
	w.Header().Set("Content-Type", typ)
	w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	_, err = io.Copy(w, f)
	return err
}

// PostsAdminPage is the editors' list of posts.
type PostsAdminPage struct {
	Base
	Posts []PostAdminRow
}

func (*PostsAdminPage) templateName() string { return "posts_admin.html" }

// PostAdminRow is a post in the editors' list.
type PostAdminRow struct {
	ID                     int64
	Title, State, Category string
	Slug                   string
	Public                 bool
}

// postsAdmin answers GET /can-bo/tin-tuc.
func (s *Server) postsAdmin(w http.ResponseWriter, r *http.Request, sess *homthu.Session) error {
	posts, err := s.app.Posts(r.Context(), sess)
	if err != nil {
		return err
	}
	p := &PostsAdminPage{Base: staffBase("Tin tức", sess)}
	now := s.now()
	for _, post := range posts {
		p.Posts = append(p.Posts, PostAdminRow{ID: post.ID, Title: post.Title, State: post.State(now), Category: news.CategoryLabel(post.Category),
			Slug: post.Slug, Public: post.Public(now)})
	}
	return s.renderOK(w, r, p)
}

// PostFormPage writes or edits a post.
type PostFormPage struct {
	Base
	Post       *news.Post
	Categories []Option
	// PublishAt is the time of publication as the form shows it
	// ("2026-12-07T09:30", Vietnam time).
	PublishAt string
	Image     string // the Markdown of an image just uploaded
	Notice    string
	Error     string
	Preview   template.HTML
}

func (*PostFormPage) templateName() string { return "post_form.html" }

func (s *Server) postForm(sess *homthu.Session, p *news.Post) *PostFormPage {
	f := &PostFormPage{Base: staffBase("Viết tin", sess), Post: p}
	if p.ID != 0 {
		f.Title = "Sửa tin"
	}
	for _, c := range news.Categories {
		f.Categories = append(f.Categories, Option{Value: c.Code, Label: c.Label, Selected: c.Code == p.Category})
	}
	if !p.PublishAt.IsZero() {
		f.PublishAt = p.PublishAt.In(homthu.VNTime).Format("2006-01-02T15:04")
	}
	return f
}

// newPostForm answers GET /can-bo/tin-tuc/moi.
func (s *Server) newPostForm(w http.ResponseWriter, r *http.Request, sess *homthu.Session) error {
	return s.renderOK(w, r, s.postForm(sess, &news.Post{Draft: true, Category: news.Categories[0].Code}))
}

func postID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("post"), 10, 64)
	if err != nil || id <= 0 {
		return 0, homthu.Errorf(homthu.ENOTFOUND, "Không có tin này.")
	}
	return id, nil
}

// editPostForm answers GET /can-bo/tin-tuc/{post}.
func (s *Server) editPostForm(w http.ResponseWriter, r *http.Request, sess *homthu.Session) error {
	id, err := postID(r)
	if err != nil {
		return err
	}
	p, err := s.app.Post(r.Context(), sess, id)
	if err != nil {
		return err
	}
	f := s.postForm(sess, p)
	if r.URL.Query().Get("da-luu") != "" {
		f.Notice = "Đã lưu: " + p.State(s.now()) + "."
	}
	return s.renderOK(w, r, f)
}

// savePost answers POST /can-bo/tin-tuc (new) and POST /can-bo/tin-tuc/{post}:
// the form → saved (trang_thai: nhap, dang, hen) or, with xem_truoc, a preview.
func (s *Server) savePost(w http.ResponseWriter, r *http.Request, sess *homthu.Session) error {
	r.Body = http.MaxBytesReader(w, r.Body, 1<<20)
	if err := r.ParseForm(); err != nil {
		return homthu.Errorf(homthu.ETOOLARGE, "Nội dung tin quá dài.")
	}
	v := r.PostForm
	p := &news.Post{Title: v.Get("tieu_de"), Summary: v.Get("tom_tat"), Body: v.Get("noi_dung"), Category: v.Get("chuyen_muc"),
		Unit: v.Get("don_vi"), Slug: v.Get("duong_dan")}
	if r.PathValue("post") != "" {
		id, err := postID(r)
		if err != nil {
			return err
		}
		old, err := s.app.Post(r.Context(), sess, id)
		if err != nil {
			return err
		}
		p.ID, p.Author = id, old.Author
	}
	var formErr error
	switch v.Get("trang_thai") {
	case "nhap":
		p.Draft = true
	case "dang":
	case "hen":
		t, err := time.ParseInLocation("2006-01-02T15:04", v.Get("dang_luc"), homthu.VNTime)
		if err != nil {
			formErr = homthu.Errorf(homthu.EINVALID, "Xin ghi ngày giờ hẹn đăng.")
		}
		p.PublishAt = t
	default:
		formErr = homthu.Errorf(homthu.EINVALID, "Xin chọn lưu nháp, đăng ngay hay hẹn giờ đăng.")
	}
	if formErr == nil && v.Get("xem_truoc") != "" {
		f := s.postForm(sess, p)
		body, err := news.HTML(p.Body)
		if err != nil {
			return err
		}
		f.Preview = template.HTML(body)
		return s.renderOK(w, r, f)
	}
	if formErr == nil {
		formErr = s.app.SavePost(r.Context(), sess, p)
	}
	if formErr != nil {
		if homthu.ErrorCode(formErr) == homthu.EINTERNAL {
			return formErr
		}
		f := s.postForm(sess, p)
		f.Error = homthu.ErrorMessage(formErr)
		s.render(w, r, statusOf(formErr), f)
		return nil
	}
	http.Redirect(w, r, fmt.Sprintf("/can-bo/tin-tuc/%d?da-luu=1", p.ID), http.StatusSeeOther)
	return nil
}

// uploadPostImage answers POST /can-bo/tin-tuc/anh: an image → stored
// (metadata removed, downscaled) → the Markdown to paste into a post.
func (s *Server) uploadPostImage(w http.ResponseWriter, r *http.Request, sess *homthu.Session) error {
	r.Body = http.MaxBytesReader(w, r.Body, upload.MaxInput+64<<10)
	if err := r.ParseMultipartForm(upload.MaxInput); err != nil {
		return homthu.Errorf(homthu.ETOOLARGE, "Ảnh quá lớn.")
	}
	file, fh, err := r.FormFile("anh")
	if err != nil {
		return homthu.Errorf(homthu.EINVALID, "Xin chọn một ảnh.")
	}
	data, err := io.ReadAll(io.LimitReader(file, upload.MaxInput+1))
	file.Close()
	if err != nil {
		return homthu.Errorf(homthu.EINVALID, "Không đọc được ảnh.")
	}
	clean, err := upload.Sanitize(data, fh.Filename)
	if err != nil {
		return err
	}
	if clean.Type == upload.TypePDF {
		return homthu.Errorf(homthu.EINVALID, "Chỉ nhận ảnh JPEG, PNG hoặc WebP để chèn vào tin.")
	}
	sha, err := s.app.Blobs.Put(clean.Data)
	if err != nil {
		return err
	}
	if err := s.app.Store.AddPostImage(r.Context(), sha, clean.Type, sess.User.Username); err != nil {
		return err
	}
	f := s.postForm(sess, &news.Post{Draft: true, Category: news.Categories[0].Code})
	if id, err := strconv.ParseInt(r.FormValue("tin"), 10, 64); err == nil && id > 0 {
		if p, err := s.app.Post(r.Context(), sess, id); err == nil {
			f = s.postForm(sess, p)
		}
	}
	f.Image = fmt.Sprintf("![Mô tả ảnh](/tin-tuc/anh/%s)", sha)
	return s.renderOK(w, r, f)
}
