package app

import (
	"context"
	"time"

	"homthu/internal/homthu"
	"homthu/internal/news"
	"homthu/internal/store"
)

// News: the public list, a post, the feeds; the editors' writing.

// PublicPosts lists the posts public now, newest first, from a cursor.
func (a *App) PublicPosts(ctx context.Context, f store.PostFilter) ([]*news.Post, bool, error) {
	return a.Store.PublicPosts(ctx, f, a.now())
}

// PublicPost returns a public post by its slug.
func (a *App) PublicPost(ctx context.Context, slug string) (*news.Post, error) {
	return a.Store.PublicPost(ctx, slug, a.now())
}

// Posts lists every post for an editor.
func (a *App) Posts(ctx context.Context, s *homthu.Session) ([]*news.Post, error) {
	if err := need(s, homthu.ActManageNews); err != nil {
		return nil, err
	}
	return a.Store.AllPosts(ctx, 200)
}

// Post returns any post for an editor.
func (a *App) Post(ctx context.Context, s *homthu.Session, id int64) (*news.Post, error) {
	if err := need(s, homthu.ActManageNews); err != nil {
		return nil, err
	}
	return a.Store.FindPost(ctx, id)
}

// SavePost creates or updates a post for an editor. A post that is not a
// draft and has no time of publication is published now.
func (a *App) SavePost(ctx context.Context, s *homthu.Session, p *news.Post) error {
	if err := need(s, homthu.ActManageNews); err != nil {
		return err
	}
	if !p.Draft && p.PublishAt.IsZero() {
		p.PublishAt = a.now().Truncate(time.Second)
	}
	if p.Author == "" {
		p.Author = s.User.Username
	}
	return a.Store.SavePost(ctx, p)
}
