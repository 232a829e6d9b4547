package storetest

import (
	"context"
	"crypto/rand"
	"fmt"
	"testing"
	"time"

	"homthu/internal/homthu"
	"homthu/internal/store"
	"homthu/internal/translog"
)

// Tree is a small administrative tree for tests: one province with two
// communes, each with an area, and a second province.
//
//	37 Tỉnh Ninh Bình (formerly Tỉnh Hà Nam)
//	  14329 Phường Hoa Lư (formerly Phường Ninh Khánh)
//	    14329-001 Tổ dân phố Hòa Bình
//	  14330 Xã Gia Viễn
//	    14330-001 Thôn Đông
//	01 Thành phố Hà Nội
//	  00004 Phường Ba Đình
func Tree(t testing.TB, s *store.Store) {
	t.Helper()
	ctx := context.Background()
	rows := []homthu.UnitImport{
		{Unit: homthu.Unit{Code: "37", Kind: homthu.KindProvince, Name: "Ninh Bình", FullName: "Tỉnh Ninh Bình"},
			Formers: []homthu.Former{{Code: "35", FullName: "Tỉnh Hà Nam"}}},
		{Unit: homthu.Unit{Code: "14329", Parent: "37", Kind: homthu.KindCommune, Name: "Hoa Lư", FullName: "Phường Hoa Lư"},
			Formers: []homthu.Former{{Code: "14330", FullName: "Phường Ninh Khánh", Parent: "Thành phố Ninh Bình, Tỉnh Ninh Bình"}}},
		{Unit: homthu.Unit{Code: "14330", Parent: "37", Kind: homthu.KindCommune, Name: "Gia Viễn", FullName: "Xã Gia Viễn"},
			Formers: []homthu.Former{{Code: "14500", FullName: "Xã Gia Hòa", Parent: "Huyện Gia Viễn, Tỉnh Ninh Bình"}}},
		{Unit: homthu.Unit{Code: "01", Kind: homthu.KindProvince, Name: "Hà Nội", FullName: "Thành phố Hà Nội"}},
		{Unit: homthu.Unit{Code: "00004", Parent: "01", Kind: homthu.KindCommune, Name: "Ba Đình", FullName: "Phường Ba Đình"}},
	}
	if _, err := s.ImportUnits(ctx, rows); err != nil {
		t.Fatalf("ImportUnits: %v", err)
	}
	for _, a := range []struct{ parent, name string }{{"14329", "Tổ dân phố Hòa Bình"}, {"14330", "Thôn Đông"}} {
		if _, err := s.AddArea(ctx, a.parent, a.name); err != nil {
			t.Fatalf("AddArea(%s, %s): %v", a.parent, a.name, err)
		}
	}
}

// MustCreateItem stores an item about area addressed to unit and returns its id.
func MustCreateItem(t testing.TB, s *store.Store, area, unit, content string, anonymous bool, receiptHash []byte) string {
	t.Helper()
	b := make([]byte, 8)
	rand.Read(b)
	id := fmt.Sprintf("%x", b)
	now := time.Now()
	leaf, err := translog.Leaf{Kind: translog.KindItem, Unit: unit, Month: translog.Month(now),
		Commitment: translog.Commit(translog.KindItem, make([]byte, translog.SaltSize), translog.HashText([]byte(content)))}.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	it := &store.NewItem{
		ID: id, Unit: unit, ReceivedOn: now.In(homthu.VNTime).Format(time.DateOnly), ReceiptHash: receiptHash,
		CommitSalt: []byte("salt"), TextHash: []byte("hash"), Leaf: leaf,
		Sub: homthu.Submission{Area: area, To: homthu.ToCommune, Channel: homthu.ChannelOnline, Content: content, Anonymous: anonymous},
	}
	if !anonymous {
		it.ReceivedAt = now
		it.Identity = []byte("sealed")
	}
	if err := s.Batch(context.Background(), func(tx *store.Tx) error { return store.CreateItem(context.Background(), tx, it) }); err != nil {
		t.Fatalf("CreateItem: %v", err)
	}
	return id
}
