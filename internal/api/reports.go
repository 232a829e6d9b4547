package api

import (
	"net/http"
	"time"

	"homthu/internal/app"
	"homthu/internal/homthu"
)

// The digest in the API (issue 10): GET /api/v1/reports/digest returns
// exactly the figures the report page, its exports and its charts show
// (app.Digest), for a unit in the caller's scope and a range of days.

// Digest is the body of GET /api/v1/reports/digest.
type Digest struct {
	Unit        DigestUnit       `json:"unit"`
	From        string           `json:"from"`
	To          string           `json:"to"`
	GeneratedAt string           `json:"generated_at"`
	Total       DigestCounts     `json:"total"`
	Openings    DigestOpenings   `json:"openings"`
	Rows        []DigestRow      `json:"rows"`
	Months      []DigestMonth    `json:"months"`
	Categories  []DigestCategory `json:"categories"`
	Agencies    []DigestAgency   `json:"agencies"`
	Quotes      []DigestQuote    `json:"quotes"`
}

// DigestUnit names the digest's unit.
type DigestUnit struct {
	Code string `json:"code"`
	Name string `json:"name"`
	Kind string `json:"kind"`
}

// DigestCounts are a unit's figures. Maps have every known key, zeros
// included; by_kind's "unclassified" counts items not yet classified.
type DigestCounts struct {
	Received          int            `json:"received"`
	Spam              int            `json:"spam"`
	Answered          int            `json:"answered"`
	ByChannel         map[string]int `json:"by_channel"`
	ByKind            map[string]int `json:"by_kind"`
	ByStatus          map[string]int `json:"by_status"`
	ByCategory        map[string]int `json:"by_category"`
	Referrals         int            `json:"referrals"`
	ReferralsAnswered int            `json:"referrals_answered"`
	ReferralsOnTime   int            `json:"referrals_on_time"`
	ReferralsOverdue  int            `json:"referrals_overdue"`
}

// DigestOpenings counts area-months of mailbox openings (the compliance
// board's rules): opened = on_time + late, out of expected.
type DigestOpenings struct {
	Expected  int `json:"expected"`
	Opened    int `json:"opened"`
	OnTime    int `json:"on_time"`
	Late      int `json:"late"`
	Missed    int `json:"missed"`
	Overdue   int `json:"overdue"`
	Upcoming  int `json:"upcoming"`
	NoMailbox int `json:"no_mailbox"`
}

// DigestRow is one row of the roll-up: a child unit, or (own) what was
// addressed to the unit itself. The rows add up to total.
type DigestRow struct {
	Code     string         `json:"code"`
	Name     string         `json:"name"`
	Kind     string         `json:"kind"`
	Own      bool           `json:"own"`
	Counts   DigestCounts   `json:"counts"`
	Openings DigestOpenings `json:"openings"`
}

// DigestMonth is one month of the trend; openings is null for a month
// after this one (or beyond the last 24 months).
type DigestMonth struct {
	Month    string          `json:"month"`
	Received int             `json:"received"`
	Answered int             `json:"answered"`
	Spam     int             `json:"spam"`
	Openings *DigestOpenings `json:"openings"`
}

// DigestCategory is a standard of a catalogue with its count.
type DigestCategory struct {
	Code    string `json:"code"`
	Catalog string `json:"catalog"`
	Number  int    `json:"number"`
	Title   string `json:"title"`
	Count   int    `json:"count"`
}

// DigestAgency is a competent body with the referrals it received.
type DigestAgency struct {
	ID        string `json:"id"`
	Name      string `json:"name"`
	Referrals int    `json:"referrals"`
}

// DigestQuote is a quoted item: its text and place, never its sender.
type DigestQuote struct {
	Item       string `json:"item"`
	ReceivedOn string `json:"received_on"`
	Area       string `json:"area"`
	Channel    string `json:"channel"`
	Kind       string `json:"kind"`
	Status     string `json:"status"`
	Content    string `json:"content"`
	Note       string `json:"note"`
}

func digestCounts(c *homthu.DigestCounts) DigestCounts {
	out := DigestCounts{Received: c.Received, Spam: c.Spam, Answered: c.Answered, Referrals: c.Referrals,
		ReferralsAnswered: c.RefAnswered, ReferralsOnTime: c.RefOnTime, ReferralsOverdue: c.RefOverdue,
		ByChannel: map[string]int{}, ByKind: map[string]int{}, ByStatus: map[string]int{}, ByCategory: map[string]int{}}
	for _, ch := range homthu.Channels {
		out.ByChannel[string(ch)] = c.ByChannel[ch]
	}
	for _, k := range homthu.Kinds {
		out.ByKind[string(k)] = c.ByKind[k]
	}
	out.ByKind["unclassified"] = c.ByKind[""]
	for _, st := range homthu.Statuses {
		if st != homthu.StatusSpam {
			out.ByStatus[string(st)] = c.ByStatus[st]
		}
	}
	for code, n := range c.ByCategory {
		out.ByCategory[code] = n
	}
	return out
}

func digestOpenings(t homthu.Tally) DigestOpenings {
	return DigestOpenings{Expected: t.Expected(), Opened: t.Opened(), OnTime: t.OnTime, Late: t.Late, Missed: t.Missed,
		Overdue: t.Overdue, Upcoming: t.Upcoming, NoMailbox: t.NoMailbox}
}

// getDigest answers GET /api/v1/reports/digest?unit=&from=&to=.
func (a *API) getDigest(w http.ResponseWriter, r *http.Request) error {
	sess, err := a.session(r)
	if err != nil {
		return err
	}
	if !sess.User.Role.Can(homthu.ActReadReports) { // before reading the query: a refused role learns nothing from it
		return homthu.Errorf(homthu.EFORBIDDEN, "Vai trò %s không được xem báo cáo tổng hợp.", sess.User.Role.Label())
	}
	q := r.URL.Query()
	p, err := homthu.ParsePeriod(homthu.PeriodRange, "", q.Get("from"), q.Get("to"))
	if err != nil {
		return err
	}
	d, err := a.App.Digest(r.Context(), sess, app.DigestRequest{Unit: q.Get("unit"), Period: p})
	if err != nil {
		return err
	}
	out := Digest{Unit: DigestUnit{Code: d.Unit.Code, Name: d.Unit.FullName, Kind: string(d.Unit.Kind)}, From: p.From, To: p.To,
		GeneratedAt: d.Generated.UTC().Format(time.RFC3339), Total: digestCounts(d.Total), Openings: digestOpenings(d.Openings),
		Rows: []DigestRow{}, Months: []DigestMonth{}, Categories: []DigestCategory{}, Agencies: []DigestAgency{}, Quotes: []DigestQuote{}}
	for _, row := range d.Rows {
		out.Rows = append(out.Rows, DigestRow{Code: row.Code, Name: row.Name, Kind: string(row.Kind), Own: row.Own,
			Counts: digestCounts(row.Counts), Openings: digestOpenings(row.Openings)})
	}
	for _, m := range d.Months {
		dm := DigestMonth{Month: m.Month.String(), Received: m.Received, Answered: m.Answered, Spam: m.Spam}
		if m.OpeningsKnown {
			o := digestOpenings(m.Openings)
			dm.Openings = &o
		}
		out.Months = append(out.Months, dm)
	}
	for _, c := range d.Categories {
		out.Categories = append(out.Categories, DigestCategory{Code: c.Code, Catalog: c.Catalog, Number: c.Number, Title: c.Title, Count: c.N})
	}
	for _, ag := range d.Agencies {
		out.Agencies = append(out.Agencies, DigestAgency{ID: ag.Key, Name: ag.Label, Referrals: ag.N})
	}
	for _, qt := range d.Quotes {
		out.Quotes = append(out.Quotes, DigestQuote{Item: qt.Item, ReceivedOn: qt.ReceivedOn, Area: qt.AreaName, Channel: string(qt.Channel),
			Kind: string(qt.Kind), Status: string(qt.Status), Content: qt.Content, Note: qt.Note})
	}
	return writeJSON(w, http.StatusOK, out)
}
