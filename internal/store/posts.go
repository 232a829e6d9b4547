package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"homthu/internal/homthu"
	"homthu/internal/news"
)

// The news of the public portal (internal/news).

const postCols = `p.id, p.slug, p.title, p.summary, p.body, p.category, COALESCE(p.unit, ''), COALESCE(u.full_name, ''),
    p.draft, p.publish_at, p.author, p.created, p.updated`

const postFrom = ` FROM posts p LEFT JOIN units u ON u.code = p.unit`

func scanPost(sc interface{ Scan(...any) error }) (*news.Post, error) {
	var p news.Post
	var pub sql.NullInt64
	var created, updated int64
	if err := sc.Scan(&p.ID, &p.Slug, &p.Title, &p.Summary, &p.Body, &p.Category, &p.Unit, &p.UnitName, &p.Draft, &pub,
		&p.Author, &created, &updated); err != nil {
		return nil, err
	}
	p.PublishAt, p.Created, p.Updated = fromMS(pub), time.UnixMilli(created), time.UnixMilli(updated)
	return &p, nil
}

// SavePost creates a post (ID 0) or updates one, giving it a unique slug:
// the one asked for, else one made from the title, with "-2", "-3"… when
// another post has it. A published post keeps its slug, so that its
// address never breaks.
func (s *Store) SavePost(ctx context.Context, p *news.Post) error {
	p.Normalize()
	if err := p.Validate(); err != nil {
		return err
	}
	now := s.now().UnixMilli()
	var unit any
	if p.Unit != "" {
		unit = p.Unit
	}
	err := s.Transact(ctx, func(tx *Tx) error {
		if p.ID != 0 {
			var oldSlug string
			var oldDraft bool
			var oldPub sql.NullInt64
			err := tx.QueryRow(ctx, `SELECT slug, draft, publish_at FROM posts WHERE id = ?`, p.ID).Scan(&oldSlug, &oldDraft, &oldPub)
			if errors.Is(err, sql.ErrNoRows) {
				return homthu.Errorf(homthu.ENOTFOUND, "Không có tin này.")
			} else if err != nil {
				return err
			}
			if !oldDraft && oldPub.Valid && oldPub.Int64 <= now {
				p.Slug = oldSlug
			}
		}
		base := p.Slug
		if base == "" {
			base = news.Slug(p.Title)
		}
		slug := base
		for i := 2; ; i++ {
			var other int64
			err := tx.QueryRow(ctx, `SELECT id FROM posts WHERE slug = ?`, slug).Scan(&other)
			if errors.Is(err, sql.ErrNoRows) || other == p.ID {
				break
			} else if err != nil {
				return err
			}
			suffix := "-" + strconv.Itoa(i)
			slug = strings.TrimRight(base[:min(len(base), news.MaxSlugLen-len(suffix))], "-") + suffix
		}
		p.Slug = slug
		if p.ID == 0 {
			return tx.QueryRow(ctx, `INSERT INTO posts (slug, title, summary, body, category, unit, draft, publish_at, author, created, updated)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, p.Slug, p.Title, p.Summary, p.Body, p.Category, unit, p.Draft, ms(p.PublishAt),
				p.Author, now, now).Scan(&p.ID)
		}
		_, err := tx.Exec(ctx, `UPDATE posts SET slug = ?, title = ?, summary = ?, body = ?, category = ?, unit = ?, draft = ?, publish_at = ?, updated = ?
WHERE id = ?`, p.Slug, p.Title, p.Summary, p.Body, p.Category, unit, p.Draft, ms(p.PublishAt), now, p.ID)
		return err
	})
	if err != nil && homthu.ErrorCode(err) == homthu.EINTERNAL {
		if strings.Contains(err.Error(), "FOREIGN KEY") || strings.Contains(err.Error(), "foreign key") {
			return homthu.Errorf(homthu.EINVALID, "Không có đơn vị có mã %q.", p.Unit)
		}
		return fmt.Errorf("store.SavePost: %w", err)
	}
	return err
}

// FindPost returns a post by id (any state), or ENOTFOUND.
func (s *Store) FindPost(ctx context.Context, id int64) (*news.Post, error) {
	p, err := scanPost(s.queryRow(ctx, `SELECT `+postCols+postFrom+` WHERE p.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, homthu.Errorf(homthu.ENOTFOUND, "Không có tin này.")
	} else if err != nil {
		return nil, fmt.Errorf("store.FindPost: %w", err)
	}
	return p, nil
}

// PublicPost returns the post with the slug if it is public at now, else
// ENOTFOUND (a draft or a scheduled post does not exist for the public).
func (s *Store) PublicPost(ctx context.Context, slug string, now time.Time) (*news.Post, error) {
	p, err := scanPost(s.queryRow(ctx, `SELECT `+postCols+postFrom+` WHERE p.slug = ? AND NOT p.draft AND p.publish_at <= ?`, slug, now.UnixMilli()))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, homthu.Errorf(homthu.ENOTFOUND, "Không có tin này, hoặc tin đã được gỡ.")
	} else if err != nil {
		return nil, fmt.Errorf("store.PublicPost: %w", err)
	}
	return p, nil
}

// PostFilter selects public posts.
type PostFilter struct {
	Category string
	Unit     string // the posts of this unit and of the whole site
	// Before is the keyset cursor of "Xem thêm": the publication time and
	// id of the last post shown.
	BeforeAt time.Time
	BeforeID int64
	Limit    int
}

// PublicPosts lists the posts public at now, newest first, from the
// cursor; more is set when there are more after them.
func (s *Store) PublicPosts(ctx context.Context, f PostFilter, now time.Time) (posts []*news.Post, more bool, err error) {
	if f.Limit <= 0 || f.Limit > 50 {
		f.Limit = 10
	}
	at, id := now.UnixMilli()+1, int64(0)
	if !f.BeforeAt.IsZero() {
		at, id = f.BeforeAt.UnixMilli(), f.BeforeID
	}
	rows, err := s.query(ctx, `SELECT `+postCols+postFrom+`
WHERE NOT p.draft AND p.publish_at <= ? AND (p.publish_at < ? OR (p.publish_at = ? AND p.id < ?))
    AND (? = '' OR p.category = ?) AND (? = '' OR p.unit IS NULL OR p.unit = ?)
ORDER BY p.publish_at DESC, p.id DESC LIMIT ?`, now.UnixMilli(), at, at, idOrMax(id), f.Category, f.Category, f.Unit, f.Unit, f.Limit+1)
	if err != nil {
		return nil, false, fmt.Errorf("store.PublicPosts: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		p, err := scanPost(rows)
		if err != nil {
			return nil, false, fmt.Errorf("store.PublicPosts: %w", err)
		}
		posts = append(posts, p)
	}
	if err := rows.Err(); err != nil {
		return nil, false, fmt.Errorf("store.PublicPosts: %w", err)
	}
	if len(posts) > f.Limit {
		return posts[:f.Limit], true, nil
	}
	return posts, false, nil
}

func idOrMax(id int64) int64 {
	if id == 0 {
		return 1<<62 - 1
	}
	return id
}

// AllPosts lists every post (drafts and scheduled ones too) for the
// editors, newest change first, at most limit.
func (s *Store) AllPosts(ctx context.Context, limit int) ([]*news.Post, error) {
	if limit <= 0 || limit > 500 {
		limit = 200
	}
	rows, err := s.query(ctx, `SELECT `+postCols+postFrom+` ORDER BY p.updated DESC, p.id DESC LIMIT ?`, limit)
	if err != nil {
		return nil, fmt.Errorf("store.AllPosts: %w", err)
	}
	defer rows.Close()
	var out []*news.Post
	for rows.Next() {
		p, err := scanPost(rows)
		if err != nil {
			return nil, fmt.Errorf("store.AllPosts: %w", err)
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// AddPostImage records an image uploaded for posts (stored in the blob
// store under sha256); recording it twice changes nothing.
func (s *Store) AddPostImage(ctx context.Context, sha256, typ, author string) error {
	if _, err := s.exec(ctx, `INSERT INTO post_images (sha256, type, author, created) VALUES (?, ?, ?, ?) ON CONFLICT (sha256) DO NOTHING`,
		sha256, typ, author, s.now().UnixMilli()); err != nil {
		return fmt.Errorf("store.AddPostImage: %w", err)
	}
	return nil
}

// PostImageType returns the MIME type of an image of posts, or ENOTFOUND
// for anything else.
func (s *Store) PostImageType(ctx context.Context, sha256 string) (string, error) {
	var typ string
	err := s.queryRow(ctx, `SELECT type FROM post_images WHERE sha256 = ?`, sha256).Scan(&typ)
	if errors.Is(err, sql.ErrNoRows) {
		return "", homthu.Errorf(homthu.ENOTFOUND, "Không có ảnh này.")
	} else if err != nil {
		return "", fmt.Errorf("store.PostImageType: %w", err)
	}
	return typ, nil
}
