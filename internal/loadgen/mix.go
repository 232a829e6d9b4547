package loadgen

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"math/rand/v2"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"homthu/internal/homthu"
)

// A mixed run drives every kind of request real clients make, each client
// picking its next kind by weight: citizens submitting (JSON, the form, the
// form with a photo), following up with their receipt and replying; staff
// paging and searching the inbox; a leader opening the compliance board and
// a province digest; the public searching documents. Each kind is measured
// apart (throughput, p50/p95/p99, errors by status).

// Kinds lists the request kinds of a mixed run, in the order results print.
var Kinds = []string{"submit", "submit-form", "submit-file", "track", "reply", "inbox", "search", "board", "digest", "documents"}

// staffKinds need a staff account (MixConfig.Staff).
var staffKinds = map[string]bool{"inbox": true, "search": true, "board": true, "digest": true}

// DefaultMix is a campaign day: mostly citizens, some staff.
const DefaultMix = "submit=40,submit-form=10,submit-file=5,track=15,reply=5,inbox=10,search=5,board=3,digest=2,documents=5"

// MixConfig describes a mixed run.
type MixConfig struct {
	Config
	// Weights maps a kind of Kinds to its relative weight; 0 leaves it out.
	Weights map[string]int
	// Staff is "USERNAME:PASSWORD" of a Front account whose unit is Unit,
	// for the staff kinds; without it those kinds are refused.
	Staff string
	// Unit is the unit code the board and the digest are asked for (the
	// staff account's unit or one below it).
	Unit string
}

// KindResult is what a mixed run measured for one kind.
type KindResult struct {
	Kind      string
	OK        int
	Statuses  map[int]int
	FirstErr  error
	Latencies []time.Duration // of the OK answers, sorted
}

// Rate is OK answers a second over elapsed.
func (k *KindResult) Rate(elapsed time.Duration) float64 {
	if elapsed <= 0 {
		return 0
	}
	return float64(k.OK) / elapsed.Seconds()
}

// Quantile is as Result.Quantile, for this kind.
func (k *KindResult) Quantile(q float64) time.Duration {
	return (&Result{Latencies: k.Latencies}).Quantile(q)
}

// Errors is the number of answers of this kind that were not OK.
func (k *KindResult) Errors() int {
	n := 0
	for _, c := range k.Statuses {
		n += c
	}
	return n
}

// MixResult is what a mixed run measured.
type MixResult struct {
	Clients int
	Elapsed time.Duration
	Kinds   []*KindResult // in the order of Kinds, only those with weight
}

// ParseMix reads "kind=weight,…" into weights, refusing unknown kinds.
func ParseMix(s string) (map[string]int, error) {
	w := map[string]int{}
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		k, v, ok := strings.Cut(part, "=")
		n, err := strconv.Atoi(v)
		if !ok || err != nil || n < 0 || n > 1000 {
			return nil, fmt.Errorf("loadgen: mix %q: want KIND=WEIGHT, a weight from 0 to 1000", part)
		}
		if !slices.Contains(Kinds, k) {
			return nil, fmt.Errorf("loadgen: mix: unknown kind %q (kinds: %s)", k, strings.Join(Kinds, ", "))
		}
		w[k] = n
	}
	total := 0
	for _, n := range w {
		total += n
	}
	if total == 0 {
		return nil, errors.New("loadgen: mix: no kind has a weight")
	}
	return w, nil
}

// mixState is what the clients of a run share.
type mixState struct {
	base    *url.URL
	client  *http.Client // citizens: no cookies
	staff   *http.Client // the staff account's cookie jar (board)
	token   string       // the staff account's API token
	unit    string
	area    string
	bodies  [][]byte
	photo   []byte
	mu      sync.Mutex
	recs    []string // receipts created, a ring the follow-ups pick from
	nrec    atomic.Int64
	queries []string
}

const receiptRing = 4096

func (m *mixState) addReceipt(r string) {
	m.mu.Lock()
	if len(m.recs) < receiptRing {
		m.recs = append(m.recs, r)
	} else {
		m.recs[m.nrec.Load()%receiptRing] = r
	}
	m.nrec.Add(1)
	m.mu.Unlock()
}

func (m *mixState) receipt(rnd *rand.Rand) string {
	m.mu.Lock()
	defer m.mu.Unlock()
	if len(m.recs) == 0 {
		return ""
	}
	return m.recs[rnd.IntN(len(m.recs))]
}

// RunMix loads the server with a mix of request kinds and returns what it
// measured for each.
func RunMix(ctx context.Context, c MixConfig) (*MixResult, error) {
	if _, err := c.Config.check(); err != nil {
		return nil, err
	}
	if len(c.Weights) == 0 {
		w, err := ParseMix(DefaultMix)
		if err != nil {
			return nil, err
		}
		c.Weights = w
	}
	base, _ := url.Parse(c.URL)
	m := &mixState{base: base, client: NewClient(c.Clients, c.Timeout), unit: c.Unit, area: c.Area,
		bodies: Bodies(1024, c.Area, c.Seed), photo: testPhoto(), queries: searchWords}
	defer m.client.CloseIdleConnections()
	if m.unit == "" {
		m.unit = "37"
	}
	var deck []string // one entry per unit of weight: a client draws from it
	for _, k := range Kinds {
		for range c.Weights[k] {
			deck = append(deck, k)
		}
		if c.Weights[k] > 0 && staffKinds[k] && c.Staff == "" {
			return nil, fmt.Errorf("loadgen: kind %s needs a staff account (--staff USER:PASSWORD)", k)
		}
	}
	if c.Staff != "" {
		if err := m.login(ctx, c.Staff, c.Timeout); err != nil {
			return nil, err
		}
		defer m.staff.CloseIdleConnections()
	}
	// Follow-ups need receipts: seed a few before the clock starts.
	for i := range 16 {
		if st, rec, err := m.submitJSON(ctx, i); err != nil || st != http.StatusCreated {
			return nil, fmt.Errorf("loadgen: the first submissions failed (status %d): %v", st, err)
		} else {
			m.addReceipt(rec)
		}
	}

	start := time.Now()
	from := start.Add(c.Warmup)
	until := from.Add(c.Duration)
	var remaining atomic.Int64
	remaining.Store(int64(c.Requests))
	type perClient struct {
		kinds map[string]*KindResult
		last  time.Time
	}
	stats := make([]perClient, c.Clients)
	var wg sync.WaitGroup
	for i := range stats {
		st := &stats[i]
		st.kinds = map[string]*KindResult{}
		rnd := rand.New(rand.NewPCG(c.Seed, uint64(i)))
		wg.Go(func() {
			for n := i; ctx.Err() == nil; n += c.Clients {
				t0 := time.Now()
				if !t0.Before(until) {
					return
				}
				measured := !t0.Before(from)
				if measured && c.Requests > 0 && remaining.Add(-1) < 0 {
					return
				}
				kind := deck[rnd.IntN(len(deck))]
				status, err := m.do(ctx, kind, n, rnd)
				t1 := time.Now()
				if !measured {
					continue
				}
				st.last = t1
				kr := st.kinds[kind]
				if kr == nil {
					kr = &KindResult{Kind: kind, Statuses: map[int]int{}}
					st.kinds[kind] = kr
				}
				switch {
				case err != nil:
					if ctx.Err() != nil {
						return
					}
					kr.Statuses[status]++
					kr.FirstErr = firstErr(kr.FirstErr, err)
				case status >= 200 && status < 300:
					kr.OK++
					kr.Latencies = append(kr.Latencies, t1.Sub(t0))
				default:
					kr.Statuses[status]++
				}
			}
		})
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("loadgen: %w", err)
	}
	r := &MixResult{Clients: c.Clients}
	end := from
	for _, k := range Kinds {
		if c.Weights[k] == 0 {
			continue
		}
		kr := &KindResult{Kind: k, Statuses: map[int]int{}}
		for _, st := range stats {
			if o := st.kinds[k]; o != nil {
				kr.OK += o.OK
				for s, v := range o.Statuses {
					kr.Statuses[s] += v
				}
				kr.FirstErr = firstErr(kr.FirstErr, o.FirstErr)
				kr.Latencies = append(kr.Latencies, o.Latencies...)
			}
		}
		slices.Sort(kr.Latencies)
		r.Kinds = append(r.Kinds, kr)
	}
	for _, st := range stats {
		if st.last.After(end) {
			end = st.last
		}
	}
	r.Elapsed = end.Sub(from)
	return r, nil
}

// searchWords are what staff and the public type: with and without
// diacritics.
var searchWords = []string{"đất đai", "dat dai", "cán bộ", "can bo", "uống rượu", "quy định 124", "124-QĐ/TW", "tham nhũng", "lãng phí", "chủ tịch"}

// login gets an API token and a web session for the staff account.
func (m *mixState) login(ctx context.Context, staff string, timeout time.Duration) error {
	user, pass, ok := strings.Cut(staff, ":")
	if !ok || user == "" {
		return errors.New("loadgen: --staff: want USERNAME:PASSWORD")
	}
	body, _ := json.Marshal(map[string]string{"username": user, "password": pass})
	st, b, err := Post(ctx, m.client, m.base.JoinPath("/api/v1/session").String(), body, true)
	if err != nil || st != http.StatusOK {
		return fmt.Errorf("loadgen: staff login (API) = %d: %v %s", st, err, b)
	}
	var tok struct {
		Token string `json:"token"`
	}
	if err := json.Unmarshal(b, &tok); err != nil || tok.Token == "" {
		return fmt.Errorf("loadgen: staff login (API): no token in %s", b)
	}
	m.token = tok.Token
	jar, _ := cookiejar.New(nil)
	m.staff = NewClient(16, timeout)
	m.staff.Jar = jar
	m.staff.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	form := url.Values{"username": {user}, "password": {pass}}
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, m.base.JoinPath("/can-bo/dang-nhap").String(), strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	res, err := m.staff.Do(req)
	if err != nil {
		return fmt.Errorf("loadgen: staff login (web): %w", err)
	}
	io.Copy(io.Discard, res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther {
		return fmt.Errorf("loadgen: staff login (web) = %d, want 303", res.StatusCode)
	}
	return nil
}

func (m *mixState) submitJSON(ctx context.Context, n int) (int, string, error) {
	st, b, err := Post(ctx, m.client, m.base.JoinPath(FeedbackPath).String(), m.bodies[n%len(m.bodies)], true)
	if err != nil || st != http.StatusCreated {
		return st, "", err
	}
	rec, err := Receipt(b)
	return st, rec, err
}

// do sends one request of kind and returns its status.
func (m *mixState) do(ctx context.Context, kind string, n int, rnd *rand.Rand) (int, error) {
	switch kind {
	case "submit":
		st, rec, err := m.submitJSON(ctx, n)
		if err == nil && rec != "" {
			m.addReceipt(rec)
		}
		return st, err
	case "submit-form", "submit-file":
		return m.submitForm(ctx, n, kind == "submit-file")
	case "track":
		body, _ := json.Marshal(map[string]string{"receipt": m.receipt(rnd)})
		st, _, err := Post(ctx, m.client, m.base.JoinPath("/api/v1/track").String(), body, false)
		return st, err
	case "reply":
		body, _ := json.Marshal(map[string]string{"receipt": m.receipt(rnd), "body": fmt.Sprintf("Xin bổ sung thêm thông tin, lần %d.", n)})
		st, _, err := Post(ctx, m.client, m.base.JoinPath("/api/v1/track/messages").String(), body, false)
		return st, err
	case "inbox":
		statuses := []string{"", string(homthu.StatusReceived), string(homthu.StatusConsidering), string(homthu.StatusReferred)}
		return m.get(ctx, m.client, "/api/v1/items", url.Values{"status": {statuses[rnd.IntN(len(statuses))]}, "limit": {"20"}}, true)
	case "search":
		return m.get(ctx, m.client, "/api/v1/items", url.Values{"q": {m.queries[rnd.IntN(len(m.queries))]}, "limit": {"20"}}, true)
	case "board":
		return m.get(ctx, m.staff, "/can-bo/mo-hom-thu/tuan-thu", url.Values{"don-vi": {m.unit}}, false)
	case "digest":
		year := time.Now().Year() - rnd.IntN(2)
		return m.get(ctx, m.client, "/api/v1/reports/digest", url.Values{"unit": {m.unit},
			"from": {fmt.Sprintf("%d-01-01", year)}, "to": {fmt.Sprintf("%d-12-31", year)}}, true)
	case "documents":
		return m.get(ctx, m.client, "/api/v1/documents", url.Values{"q": {m.queries[rnd.IntN(len(m.queries))]}}, false)
	}
	return 0, fmt.Errorf("loadgen: unknown kind %q", kind)
}

func (m *mixState) get(ctx context.Context, c *http.Client, path string, q url.Values, auth bool) (int, error) {
	u := m.base.JoinPath(path)
	u.RawQuery = q.Encode()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return 0, err
	}
	if auth {
		req.Header.Set("Authorization", "Bearer "+m.token)
	}
	res, err := c.Do(req)
	if err != nil {
		return 0, err
	}
	defer res.Body.Close()
	_, err = io.Copy(io.Discard, res.Body)
	return res.StatusCode, err
}

// submitForm sends the citizens' form (POST /gui) as a browser without
// JavaScript does: multipart, with a photo when file is set. The answer is
// the receipt page (200).
func (m *mixState) submitForm(ctx context.Context, n int, file bool) (int, error) {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	mw.WriteField("area", m.area)
	mw.WriteField("key", fmt.Sprintf("loadgen-%d-%d", time.Now().UnixNano(), n))
	mw.WriteField("anonymous", "1")
	var text struct {
		Content string `json:"content"`
	}
	json.Unmarshal(m.bodies[n%len(m.bodies)], &text)
	mw.WriteField("content", text.Content)
	if file {
		w, _ := mw.CreateFormFile("files", "anh.png")
		w.Write(m.photo)
	}
	mw.Close()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, m.base.JoinPath("/gui").String(), &buf)
	if err != nil {
		return 0, err
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	res, err := m.client.Do(req)
	if err != nil {
		return 0, err
	}
	defer res.Body.Close()
	_, err = io.Copy(io.Discard, res.Body)
	return res.StatusCode, err
}

// testPhoto is a small PNG, as a phone's photo would be after the server's
// downscaling: a gradient, so that it compresses as a photo does, not to
// nothing.
func testPhoto() []byte {
	img := image.NewRGBA(image.Rect(0, 0, 320, 240))
	for y := range 240 {
		for x := range 320 {
			img.Set(x, y, color.RGBA{uint8(x), uint8(y), uint8(x ^ y), 255})
		}
	}
	var b bytes.Buffer
	png.Encode(&b, img)
	return b.Bytes()
}
