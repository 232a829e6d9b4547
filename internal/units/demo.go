package units

import (
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"slices"
	"strings"

	"homthu/internal/homthu"
)

// DemoAreas returns n made-up but realistic names of residential areas (khu
// dân cư) of a commune, for the demo database: no official list goes below
// the commune. The names depend only on the commune's code, full name and
// province, so a demo loaded twice is the same.
//
// A phường is divided into tổ dân phố ("Tổ dân phố 1" … "Tổ dân phố n"; in
// the South, where wards have khu phố, "Khu phố 1" …), a đặc khu into
// numbered khu dân cư, and a xã into thôn and xóm in the North and Centre
// ("Thôn Đông", "Thôn Trung", "Xóm 3"), bản in the north-western mountains and
// ấp in the South. The names are in NFC, distinct, and each starts with a
// residential-area word (homthu.IsAreaName).
func DemoAreas(commune homthu.Unit, n int) []string {
	if n <= 0 {
		return nil
	}
	region := regionOf(commune)
	full := strings.ToLower(commune.FullName)
	switch {
	case strings.HasPrefix(full, "phường"), strings.HasPrefix(full, "thị trấn"):
		if region == south {
			return numbered("Khu phố", 1, n)
		}
		return numbered("Tổ dân phố", 1, n)
	case strings.HasPrefix(full, "đặc khu"):
		return numbered("Khu dân cư số", 1, n)
	}

	h := fnv.New64a()
	h.Write([]byte(commune.Code))
	rng := rand.New(rand.NewPCG(h.Sum64(), 0x686f6d746875)) // "homthu"
	pool, number := villageWords(region)

	// Most communes keep old village names and have a few numbered hamlets
	// too; the share of numbered ones (0 to 40 %) is drawn per commune.
	named := min(n-n*rng.IntN(5)/10, len(pool))
	pick := rng.Perm(len(pool))[:named]
	slices.Sort(pick) // in the pool's order: Đông, Đoài, Nam, Bắc…
	out := make([]string, 0, n)
	for _, i := range pick {
		out = append(out, pool[i])
	}
	for k := 1; len(out) < n; k++ {
		out = append(out, fmt.Sprintf("%s %d", number, k))
	}
	return out
}

// region is a part of the country, as far as the names of its hamlets go.
type region int

const (
	northCentre region = iota // thôn, xóm
	northWest                 // bản
	south                     // ấp
)

// regionOf tells the region from the province code (the 2025 codes): Điện
// Biên, Lai Châu and Sơn La call their villages bản; from Đồng Nai and Hồ Chí
// Minh City southwards hamlets are ấp.
func regionOf(u homthu.Unit) region {
	p := u.Parent
	if len(u.Path) > 0 {
		p = u.Path[0]
	}
	switch p {
	case "11", "12", "14":
		return northWest
	case "75", "79", "80", "82", "86", "91", "92", "96":
		return south
	}
	return northCentre
}

// villageWords returns the named hamlets of a region and the word for
// numbered ones.
func villageWords(r region) (named []string, number string) {
	switch r {
	case northWest:
		return []string{
			"Bản Mòng", "Bản Hua Pàng", "Bản Nà Sản", "Bản Pá Ban", "Bản Co Mạ",
			"Bản Huổi Hẹ", "Bản Nậm Cang", "Bản Phiêng Lanh", "Bản Lướt", "Bản Tà Sa",
			"Bản Nà Tấu", "Bản Pom Lót", "Bản Hua Nà", "Bản Noong Luông",
		}, "Bản Mới"
	case south:
		return []string{
			"Ấp Bình An", "Ấp Tân Thạnh", "Ấp Long Hòa", "Ấp Mỹ Phước", "Ấp Phú Hữu",
			"Ấp Thạnh Lợi", "Ấp An Thới", "Ấp Vĩnh Lộc", "Ấp Hòa Hưng", "Ấp Tân Quới",
			"Ấp Rạch Gốc", "Ấp Cây Dương", "Ấp Bàu Sen", "Ấp Kênh Xáng", "Ấp Giồng Trôm",
		}, "Ấp"
	}
	return []string{
		"Thôn Đông", "Thôn Đoài", "Thôn Nam", "Thôn Bắc", "Thôn Trung", "Thôn Thượng",
		"Thôn Hạ", "Thôn Tiền", "Thôn Hậu", "Thôn An Bình", "Thôn Phú Lộc", "Thôn Yên Thịnh",
		"Thôn Đại Đồng", "Thôn Tân Tiến", "Thôn Quyết Thắng", "Thôn Đồng Tâm", "Thôn Văn Phong",
		"Thôn Khánh Hội", "Thôn Phúc Lai", "Thôn Vĩnh Ninh", "Xóm Chùa", "Xóm Đình", "Xóm Chợ",
	}, "Xóm"
}

// numbered returns "prefix from" … "prefix from+n-1".
func numbered(prefix string, from, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("%s %d", prefix, from+i)
	}
	return out
}
