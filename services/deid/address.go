package deid

import (
	"bufio"
	"bytes"
	"strings"
	"unicode/utf8"

	deidlists "bingli/models/deid"
)

// addressRecognizer finds postal addresses: administrative names from the
// gazetteer (河北省石家庄市长安区, 朝阳区), then streets, communities and
// house numbers (幸福路12号, 阳光小区3栋2单元501室). A span needs a cue
// (住址, 家住, ...) or at least two components, so a lone place name inside a
// drug or hospital name (云南白药) is left alone.
type addressRecognizer struct {
	admin  map[string]bool  // full and short administrative names
	prefix map[uint64]uint8 // first two code points -> longest name length
}

func (addressRecognizer) Name() string      { return "address" }
func (addressRecognizer) Labels() []string  { return []string{Address} }
func (addressRecognizer) Context() []string { return nil }

var adminSuffixes = []string{"维吾尔自治区", "壮族自治区", "回族自治区", "特别行政区", "自治区", "自治州", "自治县", "自治旗", "地区", "林区", "省", "市", "区", "县", "旗", "盟"}

var addressCues = []string{"家庭住址", "联系地址", "通讯地址", "现住址", "户籍地", "出生地", "居住地", "住址", "地址", "家住", "现住", "现居", "住在", "住于", "居住于", "籍贯", "户籍",
	"出生于", "生于", "原籍", "祖籍", "迁居", "移居", "定居", "住"}

var addressCueMatcher = newCueMatcher(addressCues)

// streetSuffixes end a named street or community component.
var streetSuffixes = []string{"街道", "大道", "胡同", "小区", "花园", "公寓", "大厦", "广场", "新村", "家园", "社区", "村委会", "居委会", "华庭", "公馆", "山庄", "名邸", "家属院", "宿舍", "大院", "新城", "镇", "乡", "村", "路", "街", "巷", "弄", "里", "苑", "园", "庄", "屯", "湾", "府", "城", "组", "段"}

// letterUnits follow a building letter (B座, A栋, C区).
var letterUnits = []string{"号楼", "座", "栋", "幢", "区", "单元"}

// unitSuffixes follow a number inside an address.
var unitSuffixes = []string{"号院", "号楼", "单元", "号", "栋", "幢", "座", "室", "层", "楼", "组", "弄", "排", "户", "#"}

func newAddressRecognizer() addressRecognizer {
	a := addressRecognizer{admin: map[string]bool{}, prefix: map[uint64]uint8{}}
	data, err := deidlists.FS.ReadFile("admin_divisions.tsv")
	if err != nil {
		panic("deid: embedded admin_divisions.tsv missing")
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Scan() // header
	for sc.Scan() {
		name, _, _ := strings.Cut(sc.Text(), "\t")
		if name == "" || strings.Contains(name, "直辖") || name == "市辖区" || name == "县" {
			continue
		}
		a.add(name)
		for _, suf := range adminSuffixes {
			if short, ok := strings.CutSuffix(name, suf); ok {
				if utf8.RuneCountInString(short) >= 2 {
					a.add(short)
				}
				break
			}
		}
	}
	return a
}

func (a addressRecognizer) add(name string) {
	rs := []rune(name)
	if len(rs) < 2 {
		return
	}
	// two-character district names (东区, 城区, 郊区) are too generic
	if len(rs) == 2 && (rs[1] == '区' || rs[1] == '县') {
		return
	}
	a.admin[name] = true
	k := uint64(rs[0])<<32 | uint64(rs[1])
	if uint8(len(rs)) > a.prefix[k] {
		a.prefix[k] = uint8(len(rs))
	}
}

// adminAt returns the end of the longest administrative name starting at i.
func (a addressRecognizer) adminAt(d *doc, i int) int {
	if i+1 >= len(d.runes) {
		return 0
	}
	max := int(a.prefix[uint64(d.runes[i])<<32|uint64(d.runes[i+1])])
	for l := max; l >= 2; l-- {
		if i+l <= len(d.runes) && a.admin[d.slice(i, i+l)] {
			return i + l
		}
	}
	return 0
}

// hasSuffixAt reports the end of the first of words found at i.
func hasWordAt(d *doc, i int, words []string) int {
	s := d.slice(i, i+6)
	for _, w := range words {
		if strings.HasPrefix(s, w) {
			return i + utf8.RuneCountInString(w)
		}
	}
	return 0
}

// streetAt parses a Han run of 1..10 code points ending in a street suffix.
func streetAt(d *doc, i int) int {
	for j := i; j < len(d.runes) && j-i < 10 && isHan(d.runes[j]); j++ {
		if j > i || d.runes[j] == '村' {
			if e := hasWordAt(d, j, streetSuffixes); e > 0 && e-i >= 2 {
				return e
			}
		}
		// function words end a street name, except as its first character
		// (和平路, 为民路, 于家村)
		if j > i && strings.ContainsRune("，。；的在于患是有无及和与为", d.runes[j]) {
			return 0
		}
	}
	return 0
}

// numberUnitAt parses "12号", "3栋", "2单元", "501室", "3-2-501", "12号院",
// and lettered buildings "B座", "A栋".
func numberUnitAt(d *doc, i int) int {
	if r := d.at(i); r >= 'A' && r <= 'Z' && !isAlnum(d.at(i-1)) {
		k := i + 1
		for k < len(d.runes) && k-i <= 3 && isDigit(d.runes[k]) {
			k++ // E5区, A12栋
		}
		if e := hasWordAt(d, k, letterUnits); e > 0 {
			return e
		}
		return 0
	}
	j := i
	for j < len(d.runes) && (isDigit(d.runes[j]) || d.runes[j] == '-' && j > i && j+1 < len(d.runes) && isDigit(d.runes[j+1])) {
		j++
	}
	if j == i {
		return 0
	}
	if e := hasWordAt(d, j, unitSuffixes); e > 0 {
		return e
	}
	if strings.ContainsRune(d.slice(i, j), '-') {
		return j // 3-2-501
	}
	return 0
}

// extend consumes address components from i; it returns the end and count.
// cue says a cue word (住址, 家住) precedes i, so the first component may be
// a named estate without a usual suffix (龙湖春森彼岸5号楼).
func (a addressRecognizer) extend(d *doc, i int, cue bool) (int, int) {
	n := 0
	for i < len(d.runes) {
		// an administrative name unless a longer street name starts here
		// (新华路 is a street, not the 新华 district followed by 路)
		if e := a.adminAt(d, i); e > 0 {
			if hasWordAt(d, e, streetSuffixes) > 0 {
				if st := streetAt(d, i); st > e {
					e = st
				}
			}
			i, n = e, n+1
			continue
		}
		if e := numberUnitAt(d, i); e > 0 {
			i, n = e, n+1
			// a bare room number after 单元/号楼/栋: "3单元401"
			if u := d.at(e - 1); numberUnitAt(d, e) == 0 && (u == '元' || u == '楼' || u == '栋' || u == '幢' || u == '座' || u == '院') {
				v, k := digitsAt(d.runes, e, 6)
				_ = v
				if k >= 2 && k <= 5 && !isAlnum(d.at(e+k)) && d.at(e+k) != '.' {
					i = e + k
				}
			}
			continue
		}
		if e := streetAt(d, i); e > 0 {
			i, n = e, n+1
			continue
		}
		// inside an address, a named estate or building without a usual
		// suffix (万科华庭, 保利天悦, 碧桂园城市花园) followed by its number
		// 34号附2号: an annex number
		if n > 0 && d.at(i) == '附' {
			if e := numberUnitAt(d, i+1); e > 0 {
				i, n = e, n+1
				continue
			}
		}
		if n > 0 || cue {
			if e := estateAt(d, i); e > 0 {
				i, n = e, n+1
				continue
			}
		}
		// a building after the house number, with a bare room number:
		// …华夏路10号富力中心2306
		if n > 0 && isDigit(d.at(i-1)) || n > 0 && strings.ContainsRune("号室栋座楼元", d.at(i-1)) {
			if e := buildingRoomAt(d, i); e > 0 {
				i, n = e, n+1
				continue
			}
		}
		break
	}
	return i, n
}

// estateAt returns the end of a run of 2..8 Han characters at i that is
// directly followed by a number-unit (2幢, 13-3-2303, 5单元), or 0.
// buildingRoomAt matches a building name (2–8 Chinese characters ending in
// a building word) and an optional bare room number of 2–5 digits.
func buildingRoomAt(d *doc, i int) int {
	j := i
	for j < len(d.runes) && j-i < 8 && isHan(d.runes[j]) && !strings.ContainsRune("，。；的在于患是有无及与为", d.runes[j]) {
		j++
	}
	end := 0
	for k := i + 2; k <= j; k++ {
		if hasAnySuffix(d.slice(i, k), buildingWords) {
			end = k
		}
	}
	if end == 0 {
		return 0
	}
	if v, k := digitsAt(d.runes, end, 6); k >= 2 && k <= 5 && !isAlnum(d.at(end+k)) && d.at(end+k) != '.' {
		_ = v
		return end + k
	}
	return end
}

var buildingWords = []string{"中心", "大厦", "广场", "大楼", "公寓", "写字楼", "商厦", "商城", "花园", "名城", "国际", "家园", "小区", "苑", "府"}

func hasAnySuffix(s string, sufs []string) bool {
	for _, x := range sufs {
		if strings.HasSuffix(s, x) {
			return true
		}
	}
	return false
}

func estateAt(d *doc, i int) int {
	j := i
	for j < len(d.runes) && j-i <= 8 && isHan(d.runes[j]) {
		if strings.ContainsRune("，。；的在于患是有无及与为", d.runes[j]) {
			return 0
		}
		j++
	}
	if j-i < 2 || j-i > 8 || numberUnitAt(d, j) == 0 {
		return 0
	}
	return j
}

func (a addressRecognizer) find(d *doc, out []Span) []Span {
	// cue-introduced addresses
	addressCueMatcher.each(d, func(_, ci, ce int) {
		if d.at(ci) == '生' && strings.ContainsRune("发产滋寄衍派再新", d.at(ci-1)) {
			return // 发生于, 产生于: not a birthplace
		}
		if ce-ci == 1 && strings.ContainsRune("院址在于所宿房", d.at(ce)) {
			return // 住院, 住址 (its own cue), 住宿: the bare cue 住 opens an address only
		}
		s := d.skipSep(ce, 3)
		if e, n := a.extend(d, s, true); n > 0 {
			out = append(out, Span{Start: s, End: e, Label: Address, Score: 0.9, Recognizer: "address"})
		}
	})
	// gazetteer- and street-anchored addresses
	rs := d.runes
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		if isHan(r) {
			if a.adminAt(d, i) == 0 {
				continue
			}
			e, n := a.extend(d, i, false)
			if n >= 2 {
				out = append(out, Span{Start: i, End: e, Label: Address, Score: 0.85, Recognizer: "address"})
				i = e - 1
			}
			continue
		}
		// 幸福路12号 / 阳光小区3栋: a number-unit right after a street
		if isDigit(r) && i > 0 && isHan(rs[i-1]) && numberUnitAt(d, i) > 0 {
			s := i
			for s > 0 && i-s < 10 && isHan(rs[s-1]) && !strings.ContainsRune("，。；的在于住到从往家是为", rs[s-1]) {
				s--
			}
			for ; s < i; s++ {
				if e := streetAt(d, s); e == i {
					break
				}
			}
			if s == i {
				continue
			}
			// e may end before i when the components stop short of the
			// number; never move the scan backwards.
			if e, n := a.extend(d, s, false); n >= 2 && e > i {
				out = append(out, Span{Start: s, End: e, Label: Address, Score: 0.8, Recognizer: "address"})
				i = e - 1
			}
		}
	}
	return out
}
