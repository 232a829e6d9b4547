package storetest

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"homthu/internal/backup"
	"homthu/internal/homthu"
	"homthu/internal/store"
	"homthu/internal/upload"
)

// testKDF keeps argon2id cheap in tests; the CLI test runs the default.
var testKDF = backup.KDFParams{Time: 1, Memory: 1 << 10, Threads: 1}

// coreTables must hold rows after fillForBackup, so that a round trip that
// loses a table cannot pass.
var coreTables = []string{"units", "unit_formers", "items", "attachments", "messages", "users", "sessions",
	"audit", "idempotency", "settings", "rate_limits", "log_pending",
	"mailboxes", "openings", "opening_participants", "opening_letters", "opening_pages", "opening_corrections"}

// fillForBackup fills s with every kind of row, including text and bytes
// that an encoder could get wrong, and returns the data directory holding
// the attachments and key files.
func fillForBackup(t *testing.T, s *store.Store) string {
	t.Helper()
	ctx := context.Background()
	data := t.TempDir()
	blobs := &upload.Blobs{Dir: filepath.Join(data, "blobs")}
	var atts []homthu.Attachment
	for i, content := range []string{"ảnh chụp hiện trường", "biên bản\x00họp"} {
		h, err := blobs.Put([]byte(content))
		if err != nil {
			t.Fatal(err)
		}
		atts = append(atts, homthu.Attachment{SHA256: h, Name: fmt.Sprintf("tệp-%d.jpg", i), Type: "image/jpeg", Size: int64(len(content))})
	}
	for _, k := range append(backup.KeyFiles(), "identity.key.0123456789abcdef.retired") {
		if err := os.WriteFile(filepath.Join(data, k), []byte("khóa "+k+"\n"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(data, "demo-accounts.txt"), []byte("không phải khóa"), 0o600); err != nil {
		t.Fatal(err)
	}
	Tree(t, s)
	tricky := "Trích \"ngoặc\" và \\ gạch, dòng\nmới\ttab\r, ký tự \x01 điều khiển, emoji 🇻🇳, <b>&amp;</b>, ' OR 1=1; --"
	a := MustCreateItem(t, s, "14329-001", "14329", tricky, false, []byte("receipt-a"))
	b := MustCreateItem(t, s, "14330-001", "14330", "Đường làng xuống cấp", true, []byte("receipt-b"))
	c := mustCreateItemWith(t, s, "00004", "00004", "Thư có đính kèm", atts, []byte{})
	if err := s.SetStatus(ctx, b, homthu.StatusClosed); err != nil {
		t.Fatal(err)
	}
	for i, m := range []struct {
		item, from, body string
		author           int64
	}{{a, "citizen", "Bổ sung: " + tricky, 0}, {b, "citizen", "Xin trả lời sớm", 0}, {c, "front", "Đã chuyển", 0}} {
		if err := s.AddMessage(ctx, m.item, homthu.Message{From: m.from, Body: m.body, At: time.Now().Add(time.Duration(i) * time.Minute)}, m.author); err != nil {
			t.Fatal(err)
		}
	}
	for _, u := range []*homthu.User{
		{Username: "mttq.hoalu", Role: homthu.RoleFront, Unit: "14329"},
		{Username: "lanhdao.ninhbinh", Role: homthu.RoleLeader, Unit: "37"},
	} {
		if err := s.CreateUser(ctx, u, "$argon2id$v=19$m=65536,t=3,p=4$c2FsdA$aGFzaA"); err != nil {
			t.Fatal(err)
		}
		if err := s.CreateSession(ctx, []byte("token-"+u.Username), u.ID, time.Now(), time.Now().Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.SetTOTP(ctx, "mttq.hoalu", []byte{0, 1, 2, 0xff}); err != nil {
		t.Fatal(err)
	}
	for i, r := range []homthu.AuditRecord{
		{Actor: 1, ActorName: "mttq.hoalu", Unit: "14329", Action: homthu.AuditItemOpen, Item: a},
		{Actor: 1, ActorName: "mttq.hoalu", Unit: "14329", Action: homthu.AuditIdentityReveal, Item: a, Reason: "xác minh; \"lý do\"\n"},
		{ActorName: "hệ thống", Unit: "14330", Action: "retention.erase", Item: b},
	} {
		r.At = time.Now().Add(time.Duration(i) * time.Second)
		if err := s.Audit(ctx, &r); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Transact(ctx, func(tx *store.Tx) error {
		return store.PutIdempotency(ctx, tx, []byte("key"), []byte("body"), []byte(`{"id":"x"}`), time.Now())
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SetSettingOnce(ctx, "key_fingerprint_receipt", "0011223344556677"); err != nil {
		t.Fatal(err)
	}
	// A rate-limit counter (as SharedLimiter leaves them).
	if _, err := s.DB().ExecContext(ctx, rebind(s, `INSERT INTO rate_limits (key, win, count) VALUES (?, ?, ?)`), []byte{0xde, 0xad}, 42, 7); err != nil {
		t.Fatal(err)
	}
	// Sealed minutes (whose rows the database refuses to change, but a
	// restore inserts), a correction, and a draft with a page.
	box := mustMailbox(t, s, "14329-001", "2024-03-15", 10)
	sealed := mustStart(t, s, box.ID, time.Date(2026, 11, 10, 9, 0, 0, 0, homthu.VNTime), "")
	mustLetter(t, s, sealed, "k1", tricky, true)
	mustSeal(t, s, sealed, 1)
	if _, err := s.AddCorrection(ctx, &store.NewCorrection{C: homthu.Correction{Opening: sealed, Kind: homthu.CorrectOther, Body: "Bổ sung",
		Reason: "Sót", By: "mttq.hoalu", At: time.Now(), Record: "r"}, Salt: []byte("s"), Leaf: []byte("leaf")}); err != nil {
		t.Fatal(err)
	}
	draft := mustStart(t, s, mustMailbox(t, s, "14330-001", "2024-01-01", 0).ID, time.Date(2026, 11, 12, 9, 0, 0, 0, homthu.VNTime), "k")
	mustLetter(t, s, draft, "k2", "Thư nháp", false, homthu.Attachment{SHA256: sha256Hex("trang"), Name: "trang.jpg", Type: "image/jpeg", Size: 5})

	// A gap at the end of log_pending: the counter must survive the round
	// trip, or a restored database hands out the deleted id again.
	MustCreateItem(t, s, "14329-001", "14329", "thư sẽ được đưa vào cây", true, nil)
	if _, err := s.DB().ExecContext(ctx, `DELETE FROM log_pending WHERE id = (SELECT MAX(id) FROM log_pending)`); err != nil {
		t.Fatal(err)
	}
	fillProcessing(t, s, a)
	return data
}

// mustCreateItemWith stores a named item with attachments and a given
// sealed identity.
func mustCreateItemWith(t *testing.T, s *store.Store, area, unit, content string, atts []homthu.Attachment, identity []byte) string {
	t.Helper()
	id := fmt.Sprintf("item%012d", time.Now().UnixNano()%1e12)
	it := &store.NewItem{
		ID: id, Unit: unit, ReceivedOn: time.Now().In(homthu.VNTime).Format(time.DateOnly), ReceivedAt: time.Now(),
		Identity: identity, CommitSalt: []byte("salt"), TextHash: []byte("hash"), Leaf: []byte("leaf"),
		Sub: homthu.Submission{Area: area, To: homthu.ToCommune, Channel: homthu.ChannelOnline, Content: content, Attachments: atts},
	}
	if err := s.Batch(context.Background(), func(tx *store.Tx) error { return store.CreateItem(context.Background(), tx, it) }); err != nil {
		t.Fatalf("CreateItem: %v", err)
	}
	return id
}

// tableRows reads every table of s through a snapshot and returns its rows
// as canonical JSON objects (column → value, booleans as 1 and 0, as
// SQLite keeps them), sorted, by table.
func tableRows(t *testing.T, s *store.Store) map[string][]string {
	t.Helper()
	ctx := context.Background()
	sn, err := s.Snapshot(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer sn.Close()
	out := map[string][]string{}
	for _, tb := range sn.Tables {
		var buf bytes.Buffer
		n, err := sn.WriteTable(ctx, tb.Name, &buf)
		if err != nil {
			t.Fatal(err)
		}
		dec := json.NewDecoder(&buf)
		dec.UseNumber()
		rows := []string{}
		for {
			var vals []any
			if err := dec.Decode(&vals); err != nil {
				break
			}
			obj := map[string]any{}
			for i, v := range vals {
				if b, ok := v.(bool); ok {
					v = json.Number(map[bool]string{false: "0", true: "1"}[b])
				}
				obj[tb.Columns[i]] = v
			}
			j, _ := json.Marshal(obj)
			rows = append(rows, string(j))
		}
		if int64(len(rows)) != n {
			t.Fatalf("table %s: decoded %d of %d rows", tb.Name, len(rows), n)
		}
		sort.Strings(rows)
		out[tb.Name] = rows
	}
	return out
}

// restoreInto verifies archive and restores it into a fresh store on
// engine with a fresh data directory, and returns both.
func restoreInto(t *testing.T, engine string, archive []byte, passphrase string) (*store.Store, string) {
	t.Helper()
	ctx := context.Background()
	m, err := backup.Verify(bytes.NewReader(archive), passphrase)
	if err != nil {
		t.Fatalf("Verify: %v", err)
	}
	dst := Open(t, engine)
	data := t.TempDir()
	if err := backup.Restore(ctx, bytes.NewReader(archive), passphrase, m, dst, data); err != nil {
		t.Fatalf("Restore: %v", err)
	}
	return dst, data
}

func TestBackupRoundTrip(t *testing.T) {
	for _, from := range Engines() {
		for _, to := range Engines() {
			t.Run(from+"→"+to, func(t *testing.T) {
				ctx := context.Background()
				src := Open(t, from)
				srcData := fillForBackup(t, src)
				var archive bytes.Buffer
				m, err := backup.Create(ctx, &archive, src, backup.Options{Data: srcData})
				if err != nil {
					t.Fatalf("Create: %v", err)
				}
				if m.Engine != from || m.Blobs.Count != 2 || len(m.Keys) != 0 {
					t.Errorf("manifest: engine %s, %d blobs, %d keys; want %s, 2, 0 (keys only with --encrypt)", m.Engine, m.Blobs.Count, len(m.Keys), from)
				}
				dst, dstData := restoreInto(t, to, archive.Bytes(), "")

				want, got := tableRows(t, src), tableRows(t, dst)
				for _, name := range append(coreTables, processingTables...) {
					if len(want[name]) == 0 {
						t.Errorf("source table %s is empty; the fixture must fill it", name)
					}
				}
				if !reflect.DeepEqual(sortedNames(want), sortedNames(got)) {
					t.Fatalf("tables after restore = %v, want %v", sortedNames(got), sortedNames(want))
				}
				for name, rows := range want {
					if !reflect.DeepEqual(got[name], rows) {
						t.Errorf("table %s after restore:\n got %v\nwant %v", name, got[name], rows)
					}
				}
				for _, tb := range m.Tables {
					var n int64
					if err := dst.DB().QueryRowContext(ctx, "SELECT COUNT(*) FROM "+tb.Name).Scan(&n); err != nil || n != tb.Rows {
						t.Errorf("%s: %d rows restored (%v), manifest says %d", tb.Name, n, err, tb.Rows)
					}
				}

				// The restored database works: the audit chain verifies and
				// grows, and ids continue after the restored ones.
				if n, err := dst.VerifyAudit(ctx); n != 3 || err != nil {
					t.Errorf("VerifyAudit after restore = %d, %v; want 3, nil", n, err)
				}
				if err := dst.Audit(ctx, &homthu.AuditRecord{ActorName: "sau khôi phục", Unit: "37", Action: homthu.AuditItemOpen}); err != nil {
					t.Fatalf("Audit after restore: %v", err)
				}
				if n, err := dst.VerifyAudit(ctx); n != 4 || err != nil {
					t.Errorf("VerifyAudit after a new record = %d, %v; want 4, nil", n, err)
				}
				u := &homthu.User{Username: "moi", Role: homthu.RoleAgency, Unit: "37"}
				if err := dst.CreateUser(ctx, u, "x"); err != nil || u.ID != 4 {
					t.Errorf("CreateUser after restore: id %d, %v; want id 4", u.ID, err)
				}
				// The full-text index is not in the backup: the restore
				// rebuilt it.
				if items, _, err := dst.ListItems(ctx, homthu.ItemFilter{Scope: "37", Query: "duong lang"}); err != nil || len(items) != 1 {
					t.Errorf("search after restore = %d items, %v; want 1", len(items), err)
				}
				// Outbox ids continue after the restored rows (on SQLite the
				// outbox has no AUTOINCREMENT since migration 0006, so only
				// "after the restored ones" is promised, not "after the deleted").
				var before, top int64
				if err := dst.DB().QueryRowContext(ctx, `SELECT COALESCE(MAX(id), 0) FROM log_pending`).Scan(&before); err != nil {
					t.Fatal(err)
				}
				MustCreateItem(t, dst, "14329-001", "14329", "thư sau khôi phục", true, nil)
				if err := dst.DB().QueryRowContext(ctx, `SELECT MAX(id) FROM log_pending`).Scan(&top); err != nil || top <= before {
					t.Errorf("new log_pending id = %d (%v); want one after the restored %d", top, err, before)
				}
				for _, h := range []string{sha256Hex("ảnh chụp hiện trường"), sha256Hex("biên bản\x00họp")} {
					b := &upload.Blobs{Dir: filepath.Join(dstData, "blobs")}
					if ok, err := b.Has(h); !ok || err != nil {
						t.Errorf("blob %s not restored (%v)", h, err)
					}
				}
			})
		}
	}
}

// rebind turns ? placeholders into PostgreSQL's $n for raw statements.
func rebind(s *store.Store, q string) string {
	if s.Engine() != "postgres" {
		return q
	}
	for n := 1; strings.Contains(q, "?"); n++ {
		q = strings.Replace(q, "?", fmt.Sprintf("$%d", n), 1)
	}
	return q
}

func sortedNames(m map[string][]string) []string {
	var names []string
	for n := range m {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

func sha256Hex(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

// TestSnapshotIsolation: what commits after a snapshot began is not in it.
func TestSnapshotIsolation(t *testing.T) {
	for _, engine := range Engines() {
		t.Run(engine, func(t *testing.T) {
			ctx := context.Background()
			s := Open(t, engine)
			Tree(t, s)
			MustCreateItem(t, s, "14329-001", "14329", "trước", false, []byte("r1"))
			sn, err := s.Snapshot(ctx)
			if err != nil {
				t.Fatal(err)
			}
			defer sn.Close()
			id := MustCreateItem(t, s, "14329-001", "14329", "sau", false, []byte("r2"))
			if err := s.AddMessage(ctx, id, homthu.Message{From: "citizen", Body: "sau", At: time.Now()}, 0); err != nil {
				t.Fatal(err)
			}
			for _, tt := range []struct {
				table string
				want  int64
			}{{"items", 1}, {"messages", 0}, {"log_pending", 1}} {
				n, err := sn.WriteTable(ctx, tt.table, &bytes.Buffer{})
				if err != nil || n != tt.want {
					t.Errorf("snapshot %s = %d rows (%v), want %d", tt.table, n, err, tt.want)
				}
			}
		})
	}
}

// TestBackupUnderWrites backs up while writers commit items, each with two
// attachments, a message and an audit record in one transaction. The
// restored database must hold whole items only, an audit chain that
// verifies, and exactly the rows the manifest counts.
func TestBackupUnderWrites(t *testing.T) {
	for _, engine := range Engines() {
		t.Run(engine, func(t *testing.T) {
			ctx := context.Background()
			s := Open(t, engine)
			data := fillForBackup(t, s)
			var written atomic.Int64
			stop := make(chan struct{})
			var wg sync.WaitGroup
			var werr error
			var once sync.Once
			for w := range 4 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for i := 0; ; i++ {
						select {
						case <-stop:
							return
						default:
						}
						if err := writeWholeItem(ctx, s, fmt.Sprintf("w%d-%06d", w, i)); err != nil {
							once.Do(func() { werr = err })
							return
						}
						written.Add(1)
					}
				}()
			}
			for written.Load() < 20 {
				time.Sleep(time.Millisecond)
			}
			var archive bytes.Buffer
			m, err := backup.Create(ctx, &archive, s, backup.Options{Data: data, Passphrase: "cụm mật khẩu thử", KDF: testKDF})
			after := written.Load()
			for written.Load() < after+5 && werr == nil {
				time.Sleep(time.Millisecond)
			}
			close(stop)
			wg.Wait()
			if werr != nil {
				t.Fatalf("writer: %v", werr)
			}
			if err != nil {
				t.Fatalf("Create: %v", err)
			}
			dst, _ := restoreInto(t, engine, archive.Bytes(), "cụm mật khẩu thử")
			for _, tb := range m.Tables {
				var n int64
				if err := dst.DB().QueryRowContext(ctx, "SELECT COUNT(*) FROM "+tb.Name).Scan(&n); err != nil || n != tb.Rows {
					t.Errorf("%s: %d rows restored (%v), manifest says %d", tb.Name, n, err, tb.Rows)
				}
			}
			var items, total int64
			if err := dst.DB().QueryRowContext(ctx, `SELECT COUNT(*) FROM items WHERE id LIKE 'w%'`).Scan(&items); err != nil {
				t.Fatal(err)
			}
			if err := s.DB().QueryRowContext(ctx, `SELECT COUNT(*) FROM items WHERE id LIKE 'w%'`).Scan(&total); err != nil {
				t.Fatal(err)
			}
			if items < 20 || items >= total {
				t.Errorf("backup holds %d of %d written items; want at least the 20 written before and not those after", items, total)
			}
			var broken int64
			err = dst.DB().QueryRowContext(ctx, `SELECT COUNT(*) FROM items i WHERE i.id LIKE 'w%' AND (
    (SELECT COUNT(*) FROM attachments a WHERE a.item = i.id) <> 2 OR
    (SELECT COUNT(*) FROM messages m WHERE m.item = i.id) <> 1 OR
    (SELECT COUNT(*) FROM audit u WHERE u.item = i.id) <> 1)`).Scan(&broken)
			if err != nil || broken != 0 {
				t.Errorf("%d restored items lack an attachment, message or audit record (%v)", broken, err)
			}
			if n, err := dst.VerifyAudit(ctx); err != nil || int64(n) != 3+items {
				t.Errorf("VerifyAudit after restore = %d, %v; want %d, nil", n, err, 3+items)
			}
			t.Logf("%d items written in all, %d in the backup", total, items)
		})
	}
}

// writeWholeItem commits an item with two attachments, a message and an
// audit record, all in one transaction.
func writeWholeItem(ctx context.Context, s *store.Store, id string) error {
	it := &store.NewItem{
		ID: id, Unit: "14329", ReceivedOn: time.Now().In(homthu.VNTime).Format(time.DateOnly),
		CommitSalt: []byte("salt"), TextHash: []byte("hash"), Leaf: []byte("leaf"),
		Sub: homthu.Submission{Area: "14329-001", To: homthu.ToCommune, Channel: homthu.ChannelOnline, Content: "thư " + id, Anonymous: true,
			Attachments: []homthu.Attachment{{SHA256: sha256Hex("a"), Name: "a.jpg", Type: "image/jpeg", Size: 1}, {SHA256: sha256Hex("b"), Name: "b.png", Type: "image/png", Size: 1}}},
	}
	return s.Transact(ctx, func(tx *store.Tx) error {
		if err := store.CreateItem(ctx, tx, it); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO messages (item, sender, body, at) VALUES (?, 'front', ?, ?)`, id, "đã nhận", time.Now().UnixMilli()); err != nil {
			return err
		}
		return store.AppendAudit(ctx, tx, &homthu.AuditRecord{Actor: 1, ActorName: "mttq.hoalu", Unit: "14329", Action: homthu.AuditItemOpen, Item: id})
	})
}

// TestBackupEncrypted: an encrypted archive with keys restores with the
// passphrase; a wrong passphrase, a flipped byte anywhere or a truncation
// is refused with its own error, and a Restore that fails late (a damaged
// last chunk) leaves the database and the data directory as they were.
func TestBackupEncrypted(t *testing.T) {
	for _, engine := range Engines() {
		t.Run(engine, func(t *testing.T) {
			ctx := context.Background()
			src := Open(t, engine)
			srcData := fillForBackup(t, src)
			const pass = "một cụm mật khẩu đủ dài"
			var buf bytes.Buffer
			m, err := backup.Create(ctx, &buf, src, backup.Options{Data: srcData, Passphrase: pass, WithKeys: true, KDF: testKDF})
			if err != nil {
				t.Fatalf("Create: %v", err)
			}
			archive := buf.Bytes()
			if len(m.Keys) != 4 {
				t.Errorf("manifest keys = %v, want the 3 key files and the retired identity key", m.Keys)
			}
			for _, secret := range []string{"biên bản", "mttq.hoalu", "khóa receipt.key"} {
				if bytes.Contains(archive, []byte(secret)) {
					t.Errorf("encrypted archive contains %q in clear", secret)
				}
			}
			dst, dstData := restoreInto(t, engine, archive, pass)
			if !reflect.DeepEqual(tableRows(t, src), tableRows(t, dst)) {
				t.Error("encrypted round trip changed the tables")
			}
			for _, k := range append(backup.KeyFiles(), "identity.key.0123456789abcdef.retired") {
				got, err := os.ReadFile(filepath.Join(dstData, k))
				if err != nil || string(got) != "khóa "+k+"\n" {
					t.Errorf("key file %s after restore = %q, %v", k, got, err)
				}
			}

			if _, err := backup.Verify(bytes.NewReader(archive), "sai mật khẩu"); !errors.Is(err, backup.ErrPassphrase) {
				t.Errorf("Verify(wrong passphrase) = %v, want ErrPassphrase", err)
			}
			if _, err := backup.Verify(bytes.NewReader(archive), ""); err == nil || homthu.ErrorCode(err) != homthu.EINVALID {
				t.Errorf("Verify(no passphrase) = %v, want a request for the passphrase", err)
			}
			header := 100 // magic, argon2id parameters, salt, nonce prefix, check
			for _, at := range []int{header - 1, header, header + 1, len(archive) / 2, len(archive) - 17, len(archive) - 1} {
				bad := bytes.Clone(archive)
				bad[at] ^= 0x20
				if _, err := backup.Verify(bytes.NewReader(bad), pass); !errors.Is(err, backup.ErrDamaged) && !errors.Is(err, backup.ErrPassphrase) {
					t.Errorf("Verify(byte %d of %d flipped) = %v, want ErrDamaged", at, len(archive), err)
				} else if at >= header && !errors.Is(err, backup.ErrDamaged) {
					t.Errorf("Verify(payload byte %d flipped) = %v, want ErrDamaged", at, err)
				}
			}
			for _, n := range []int{0, 10, header, header + 16, len(archive) / 2, len(archive) - 1} {
				if _, err := backup.Verify(bytes.NewReader(archive[:n]), pass); !errors.Is(err, backup.ErrDamaged) && !errors.Is(err, backup.ErrNotBackup) {
					t.Errorf("Verify(first %d of %d bytes) = %v, want ErrDamaged", n, len(archive), err)
				}
			}

			// Restore without Verify, on an archive whose last chunk is
			// damaged: every table loads, then the end fails; nothing stays.
			bad := bytes.Clone(archive)
			bad[len(bad)-1] ^= 1
			target := Open(t, engine)
			data := t.TempDir()
			err = backup.Restore(ctx, bytes.NewReader(bad), pass, m, target, data)
			if !errors.Is(err, backup.ErrDamaged) {
				t.Fatalf("Restore(damaged last chunk) = %v, want ErrDamaged", err)
			}
			for _, tb := range m.Tables {
				var n int64
				if err := target.DB().QueryRowContext(ctx, "SELECT COUNT(*) FROM "+tb.Name).Scan(&n); err != nil || n != 0 {
					t.Errorf("after a failed restore %s has %d rows (%v), want 0", tb.Name, n, err)
				}
			}
			left, _ := filepath.Glob(filepath.Join(data, "*"))
			blobs, _ := filepath.Glob(filepath.Join(data, "blobs", "*", "*"))
			if len(blobs) != 0 || len(left) > 1 {
				t.Errorf("after a failed restore the data directory holds %v %v; want nothing but an empty blobs/", left, blobs)
			}
		})
	}
}

// TestBackupPlainDamage: an unencrypted archive is checked too, by gzip's
// CRC and the manifest's hashes.
func TestBackupPlainDamage(t *testing.T) {
	ctx := context.Background()
	src := Open(t, "sqlite")
	data := fillForBackup(t, src)
	var buf bytes.Buffer
	if _, err := backup.Create(ctx, &buf, src, backup.Options{Data: data}); err != nil {
		t.Fatal(err)
	}
	archive := buf.Bytes()
	for _, at := range []int{20, len(archive) / 3, len(archive) / 2, len(archive) - 5} {
		bad := bytes.Clone(archive)
		bad[at] ^= 0x01
		if _, err := backup.Verify(bytes.NewReader(bad), ""); !errors.Is(err, backup.ErrDamaged) {
			t.Errorf("Verify(byte %d of %d flipped) = %v, want ErrDamaged", at, len(archive), err)
		}
	}
	for _, n := range []int{len(archive) / 2, len(archive) - 8, len(archive) - 1} {
		if _, err := backup.Verify(bytes.NewReader(archive[:n]), ""); !errors.Is(err, backup.ErrDamaged) {
			t.Errorf("Verify(first %d of %d bytes) = %v, want ErrDamaged", n, len(archive), err)
		}
	}
	if _, err := backup.Verify(strings.NewReader("PK\x03\x04 not a backup"), ""); !errors.Is(err, backup.ErrNotBackup) {
		t.Errorf("Verify(zip file) = %v, want ErrNotBackup", err)
	}
	if _, err := backup.Create(ctx, &bytes.Buffer{}, src, backup.Options{Data: data, WithKeys: true}); homthu.ErrorCode(err) != homthu.EINVALID {
		t.Errorf("Create(WithKeys, no passphrase) = %v, want EINVALID", err)
	}
}

// TestRestoreRefusesNonEmpty: a restore never mixes a backup into data.
func TestRestoreRefusesNonEmpty(t *testing.T) {
	for _, engine := range Engines() {
		t.Run(engine, func(t *testing.T) {
			ctx := context.Background()
			src := Open(t, engine)
			data := fillForBackup(t, src)
			var buf bytes.Buffer
			m, err := backup.Create(ctx, &buf, src, backup.Options{Data: data})
			if err != nil {
				t.Fatal(err)
			}
			target := Open(t, engine)
			if _, err := target.SetSettingOnce(ctx, "x", "y"); err != nil {
				t.Fatal(err)
			}
			err = backup.Restore(ctx, bytes.NewReader(buf.Bytes()), "", m, target, t.TempDir())
			if homthu.ErrorCode(err) != homthu.ECONFLICT || !strings.Contains(homthu.ErrorMessage(err), "settings") {
				t.Errorf("Restore into a database with a setting = %v, want ECONFLICT naming the table", err)
			}
		})
	}
}
