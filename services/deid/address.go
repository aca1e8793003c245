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
	admin2 map[string]bool  // two-character county names (临县), only after a city
	local  map[string]bool  // city- and county-level names (full and short) that are no province's
}

// placeVerbs before a city or county name tie it to the person: where they
// live, work, come from or go.
var placeVerbs = []string{"来自", "前往", "返回", "老家", "回到", "在", "到", "赴", "去", "回", "从", "住", "居", "于"}

func placeVerbBefore(d *doc, i int) bool {
	for _, v := range placeVerbs {
		n := utf8.RuneCountInString(v)
		if i >= n && d.slice(i-n, i) == v {
			return true
		}
	}
	return false
}

// ethnicNames end the base of an autonomous prefecture's name (玉树藏族自治州 → 玉树, 玉树州).
var ethnicNames = []string{"藏族", "彝族", "回族", "蒙古族", "朝鲜族", "土家族", "苗族", "布依族", "侗族", "哈尼族", "傣族", "景颇族", "傈僳族", "白族", "壮族", "哈萨克", "柯尔克孜", "蒙古", "羌族", "黎族", "瑶族", "纳西族", "仡佬族", "羌族"}

func (addressRecognizer) Name() string      { return "address" }
func (addressRecognizer) Labels() []string  { return []string{Address} }
func (addressRecognizer) Context() []string { return nil }

var adminSuffixes = []string{"维吾尔自治区", "壮族自治区", "回族自治区", "特别行政区", "自治区", "自治州", "自治县", "自治旗", "地区", "林区", "省", "市", "区", "县", "旗", "盟"}

var addressCues = []string{"家庭住址", "联系地址", "通讯地址", "户籍地址", "户口地址", "单位地址", "工作地址", "暂住地址", "居住地址", "现住址", "参保地", "户籍地", "出生地", "居住地", "住址", "地址", "家住", "现住", "现居", "暂住", "住在", "住于", "居住于", "籍贯", "户籍",
	"出生于", "生于", "原籍", "祖籍", "迁居", "移居", "定居", "住"}

var addressCueMatcher = newCueMatcher(addressCues)

// streetSuffixes end a named street or community component.
var streetSuffixes = []string{"经济技术开发区", "开发区", "高新区", "产业基地", "工业园区", "园区", "工业园", "科技园", "产业园", "嘎查", "巷子", "街道", "大道", "胡同", "小区", "花园", "公寓", "大厦", "广场", "新村", "家园", "社区", "村委会", "居委会", "华庭", "公馆", "山庄", "名邸", "家属院", "家属区", "宿舍楼", "宿舍", "大院", "新城", "校区", "镇", "乡", "村", "路", "街", "巷", "弄", "里", "苑", "园", "庄", "屯", "湾", "府", "城", "组", "队", "段", "桥"}

// townAt reports whether a town or township name (…镇, …乡, …街道) of at
// most six characters starts at i and a village or street part follows it.
func townAt(d *doc, i int) bool {
	for j := i + 1; j <= i+6 && j < len(d.runes) && isHan(d.runes[j]); j++ {
		if e := hasWordAt(d, j, []string{"街道", "镇", "乡"}); e > 0 {
			return streetAt(d, e) > 0 || numberUnitAt(d, e) > 0
		}
	}
	return false
}

// bareTownAt returns the end of a town or township name at i (two to four
// characters before 镇/乡) that ends its phrase: punctuation or a word of
// vicinity follows (那拉提镇附近). Generic heads (当地镇, 附近乡) are not names.
func bareTownAt(d *doc, i int) int {
	if strings.ContainsRune("，。；的在于患是有无及和与为镇乡村", d.at(i)) {
		return 0
	}
	for j := i + 2; j <= i+4 && j < len(d.runes); j++ {
		if !isHan(d.runes[j-1]) || strings.ContainsRune("，。；的在于患是有无及和与为镇乡村", d.runes[j-1]) {
			return 0
		}
		if r := d.at(j); r != '镇' && r != '乡' {
			continue
		}
		if w := d.slice(i, j); generalWords()[w] && !nameLikeWords()[w] {
			return 0
		}
		e := j + 1
		if !isHan(d.at(e)) && e < len(d.runes) || e == len(d.runes) {
			return e
		}
		if t := hasWordAt(d, e, []string{"附近", "一带", "周边", "境内"}); t > 0 {
			return t
		}
		return 0
	}
	return 0
}

// placeVerbEnd reports whether r ends one of placeVerbs (a cheap gate).
func placeVerbEnd(r rune) bool {
	switch r {
	case '在', '到', '赴', '去', '回', '从', '住', '居', '于', '往', '自', '家':
		return true
	}
	return false
}

// townCueEnd and townCueStart gate the townCues look-ups.
func townCueEnd(r rune) bool   { return r == '镇' || r == '乡' || r == '道' || r == '有' }
func townCueStart(r rune) bool { return r == '我' || r == '本' || r == '兹' }

// townCues may stand right before a town's name (兹有我镇石岩头镇双凤村…).
var townCues = []string{"我镇", "本镇", "我乡", "本乡", "我街道", "本街道", "兹有"}

// partSuffixes may follow a matched street part directly and belong to it
// (西街村, 刘寨村东队, 花园路).
var partSuffixes = []string{"街道", "村委会", "居委会", "镇", "乡", "村", "组", "队", "社区", "大街", "大道", "中路", "东路", "西路", "南路", "北路", "路", "街", "巷"}

// addressTails end an address without being one of its parts: a corner of
// an intersection, a side of a building, a flat's position on its floor.
var addressTails = []string{"交汇处", "交叉口", "东南角", "东北角", "西南角", "西北角", "东侧", "西侧", "南侧", "北侧", "附近", "东单元", "西单元", "中单元", "东门", "西门", "南门", "北门", "东户", "西户", "中户", "东区", "西区", "南区", "北区", "对面", "旁"}

// letterUnits follow a building letter (B座, A栋, C区).
var letterUnits = []string{"号楼", "组团", "座", "栋", "幢", "区", "单元", "室", "期"}

// unitSuffixes follow a number inside an address.
var unitSuffixes = []string{"号院", "号楼", "組团", "组团", "號", "单元", "号", "栋", "幢", "座", "室", "层", "楼", "樓", "组", "社", "委", "弄", "巷", "区", "排", "户", "房", "门", "舍", "期", "#"}

// roomAfter are the last characters of units a bare room number may follow
// (3单元401, 32号601, 11层1103, 3舍208).
const roomAfter = "元楼樓栋幢座院门号號层舍区"

// chineseNumberUnitAt parses a house number in Chinese numerals (七号, 十二号).
func chineseNumberUnitAt(d *doc, i int) int {
	j := i
	for j < len(d.runes) && j-i < 4 && strings.ContainsRune("一二三四五六七八九十百零", d.runes[j]) {
		j++
	}
	if j > i && (d.at(j) == '号' || d.at(j) == '號') {
		return j + 1
	}
	// a village group or team (双凤村七组, 三队, 二社) after a village
	if j > i && strings.ContainsRune("组队社", d.at(j)) && d.at(i-1) == '村' && !isHan(d.at(j+1)) || j > i && strings.ContainsRune("组队社", d.at(j)) && d.at(i-1) == '村' && hasWordAt(d, j+1, villageFollowers) > 0 {
		return j + 1
	}
	return 0
}

// villageFollowers may follow a village group in prose (七组村民, 三队人).
var villageFollowers = []string{"村民", "居民", "人", "的", "农民", "家"}

func newAddressRecognizer() addressRecognizer {
	a := addressRecognizer{admin: map[string]bool{}, prefix: map[uint64]uint8{}, admin2: map[string]bool{}, local: map[string]bool{}}
	provinces := map[string]bool{}
	data, err := deidlists.FS.ReadFile("admin_divisions.tsv")
	if err != nil {
		panic("deid: embedded admin_divisions.tsv missing")
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Scan() // header
	for sc.Scan() {
		name, level, _ := strings.Cut(sc.Text(), "\t")
		if name == "" || strings.Contains(name, "直辖") || name == "市辖区" || name == "县" {
			continue
		}
		a.add(name)
		a.addLocal(name, level, provinces)
		if rs := []rune(name); len(rs) == 2 && (rs[1] == '县' || rs[1] == '区' || rs[1] == '旗') {
			a.admin2[name] = true
		}
		if strings.HasSuffix(name, "自治州") {
			base := name
			for _, eth := range ethnicNames {
				if k := strings.Index(base, eth); k > 0 {
					base = base[:k]
				}
			}
			if utf8.RuneCountInString(base) >= 2 && base != name {
				a.add(base)
				a.add(base + "州")
			}
		}
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

// addLocal records a city or county name and its short form as local
// places; province names and their short forms (吉林, 北京) never are.
func (a addressRecognizer) addLocal(name, level string, provinces map[string]bool) {
	short := name
	for _, suf := range adminSuffixes {
		if sh, ok := strings.CutSuffix(name, suf); ok {
			short = sh
			break
		}
	}
	if level == "province" {
		provinces[name], provinces[short] = true, true
		delete(a.local, name)
		delete(a.local, short)
		return
	}
	for _, n := range []string{name, short} {
		if utf8.RuneCountInString(n) >= 2 && !provinces[n] {
			a.local[n] = true
		}
	}
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
			// 弥敦道688号, 京开道交叉口: 道 names a road only before a number or a corner
			if d.runes[j] == '道' && j-i >= 2 && (isDigit(d.at(j+1)) || d.slice(j+1, j+4) == "交叉口") {
				return j + 1
			}
		}
		// function words end a street name, except as its first character
		// (和平路, 为民路, 于家村)
		if j > i && strings.ContainsRune("，。；的在于患是有无及和与为送把被将给让用", d.runes[j]) && !(d.runes[j] == '和' && hasWordAt(d, j+1, streetSuffixes) > 0) {
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
	if strings.ContainsRune("甲乙丙丁", d.at(i)) && isDigit(d.at(i+1)) {
		j++ // 甲2号院, 乙118号
	}
	k0 := j
	for j < len(d.runes) && (isDigit(d.runes[j]) || d.runes[j] == '-' && j > i && j+1 < len(d.runes) && isDigit(d.runes[j+1])) {
		j++
	}
	if j == k0 {
		return 0
	}
	// a room with a letter after the last unit (6栋2B)
	if r := d.at(j); r >= 'A' && r <= 'Z' && !isAlnum(d.at(j+1)) && strings.ContainsRune("栋幢座楼元", d.at(i-1)) {
		return j + 1
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
					for k := 0; k < 2; k++ {
						if e2 := hasWordAt(d, e, partSuffixes); e2 > 0 {
							e = e2
						}
					}
				} else if p := hasWordAt(d, e, partSuffixes); p > 0 && hasWordAt(d, e-1, adminSuffixes) == 0 {
					e = p // a village or street named like a district (金湾村)
				}
			}
			// a short name of a former county-level city (蓬莱市, 九台县)
			if u := d.at(e); (u == '市' || u == '县') && hasWordAt(d, e-1, adminSuffixes) == 0 && !isHan(d.at(e+1)) {
				e++
			}
			// inside an address, an estate named like a place (红旗委23组)
			if n > 0 {
				if es := estateAt(d, i); es > e {
					e = es
				}
			}
			i, n = e, n+1
			// a former county-level city or county after its province or
			// city (山东省蓬莱市, 吉林省九台县)
			if strings.ContainsRune("省市", d.at(e-1)) && a.adminAt(d, e) == 0 {
				for l := 2; l <= 3; l++ {
					if u := d.at(e + l); (u == '市' || u == '县') && isHan(d.at(e)) && !strings.ContainsFunc(d.slice(e, e+l), func(r rune) bool { return !isHan(r) || strings.ContainsRune(hardStop+"人第本该我各全", r) }) {
						i, n = e+l+1, n+1
						break
					}
				}
			}
			continue
		}
		if e := numberUnitAt(d, i); e > 0 {
			i, n = e, n+1
			// a bare room number after 单元/号楼/栋: "3单元401"
			if u := d.at(e - 1); numberUnitAt(d, e) == 0 && (strings.ContainsRune("元楼栋幢座院门", u) || n > 1 && strings.ContainsRune(roomAfter, u)) {
				v, k := digitsAt(d.runes, e, 6)
				_ = v
				if k >= 2 && k <= 5 && !isAlnum(d.at(e+k)) && d.at(e+k) != '.' {
					i = e + k
				}
			}
			continue
		}
		if e := streetAt(d, i); e > 0 {
			// a single-character part right after (西街村, 刘寨村东队), not a
			// word starting there (七组村民)
			for k := 0; k < 2; k++ {
				if e2 := hasWordAt(d, e, partSuffixes); e2 > 0 && !(e2 == e+1 && strings.ContainsRune("民里口医委", d.at(e2))) {
					e = e2
				}
			}
			// a bare room number after a building (大都会东方广场2702)
			if hasAnySuffix(d.slice(i, e), buildingWords) && numberUnitAt(d, e) == 0 {
				if _, k := digitsAt(d.runes, e, 6); k >= 2 && k <= 5 && !isAlnum(d.at(e+k)) && d.at(e+k) != '.' {
					e += k
				}
			}
			i, n = e, n+1
			continue
		}
		if n > 0 {
			// 168号之二, 168号之1
			if d.at(i) == '之' && d.at(i-1) == '号' && (isDigit(d.at(i+1)) || strings.ContainsRune("一二三四五六七八九十", d.at(i+1))) {
				i, n = i+2, n+1
				continue
			}
			// an intersection: 花园路与农业路交叉口
			if d.at(i) == '与' || d.at(i) == '和' {
				if e := streetAt(d, i+1); e > 0 {
					i, n = e, n+1
					continue
				}
			}
			if e := hasWordAt(d, i, addressTails); e > 0 {
				i, n = e, n+1
				continue
			}
			// a section in parentheses before the number: 兴华大街（二段）3号院
			if d.at(i) == '(' {
				if k := strings.IndexRune(d.slice(i, i+7), ')'); k > 0 && numberUnitAt(d, i+runeLen(d.slice(i, i+7)[:k])+1) > 0 {
					i = i + runeLen(d.slice(i, i+7)[:k]) + 1
					continue
				}
			}
			if strings.ContainsRune("东西南北", d.at(i)) {
				// 秦岭大道西6号
				if e := numberUnitAt(d, i+1); e > 0 {
					i, n = e, n+1
					continue
				}
				// 交叉口东50米
				if _, k := digitsAt(d.runes, i+1, 5); k > 0 && d.at(i+1+k) == '米' {
					i, n = i+k+2, n+1
					continue
				}
			}
			// 文明路东段七号
			if e := chineseNumberUnitAt(d, i); e > 0 {
				i, n = e, n+1
				continue
			}
			// a two-character county after its city (吕梁市临县)
			if strings.ContainsRune("县区旗", d.at(i+1)) && isHan(d.at(i)) && a.admin2[d.slice(i, i+2)] {
				i, n = i+2, n+1
				continue
			}
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
		if n > 0 && isDigit(d.at(i-1)) || n > 0 && strings.ContainsRune("号室栋座楼元", d.at(i-1)) || n > 0 && hasWordBefore(d, i, addressTails) > 0 {
			// …62号院南侧家庭旅馆: lodgings after a side of a building
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

var buildingWords = []string{"中心", "宿舍楼", "大厦", "广场", "大楼", "公寓", "写字楼", "商厦", "商城", "花园", "名城", "国际", "家园", "小区", "校区", "家属区", "宿舍", "大学", "苑", "府", "城",
	"旅馆", "宾馆", "酒店", "招待所", "旅社", "客栈", "民宿"}

func hasAnySuffix(s string, sufs []string) bool {
	for _, x := range sufs {
		if strings.HasSuffix(s, x) {
			return true
		}
	}
	return false
}

func estateAt(d *doc, i int) int {
	if e := estateRun(d, i, false); e > 0 {
		return e
	}
	return estateRun(d, i, true) // 建外SOHO东区9号楼
}

func estateRun(d *doc, i int, latin bool) int {
	j := i
	for j < len(d.runes) && j-i <= 8 && (isHan(d.runes[j]) || latin && j > i && d.runes[j] >= 'A' && d.runes[j] <= 'Z') {
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
	out = a.findIn(d, out)
	out = hamlets(d, out)
	// addresses written with spaces between their parts (黑龙江省 哈尔滨市 南岗区
	// 学府路 74 号, and OCR's stray spaces): read again without single spaces;
	// a span that crosses one is new
	return rereadCompact(d, out, func(rs []rune, i int) bool {
		// a space after the end of an address part (省 市 区 县 镇 村 组 路 号
		// …) or between a number and its unit (74 号, 2 单元)
		return strings.ContainsRune(addressPartEnds, rs[i-1]) || isDigit(rs[i-1]) && strings.ContainsRune("号栋幢单楼室层弄", rs[i+1])
	}, a.findIn)
}

// addressPartEnds end the parts of an address.
const addressPartEnds = "省市区县旗盟州镇乡村组社屯队嘎查街道路巷弄号栋幢楼层室元苑园城"

func (a addressRecognizer) findIn(d *doc, out []Span) []Span {
	// cue-introduced addresses
	addressCueMatcher.each(d, func(_, ci, ce int) {
		if d.at(ci) == '生' && strings.ContainsRune("发产滋寄衍派再新", d.at(ci-1)) {
			return // 发生于, 产生于: not a birthplace
		}
		if hasWordAt(d, ce, addressCues) > 0 || hasWordAt(d, ci, addressCues) > ce {
			return // 户籍地址: the longer cue is its own match
		}
		if ce-ci == 1 && strings.ContainsRune("院址在于所宿房", d.at(ce)) {
			return // 住院, 住址 (its own cue), 住宿: the bare cue 住 opens an address only
		}
		s := d.skipSep(ce, 3)
		if d.at(s) == '(' { // 住址（香港）：
			if k := strings.IndexRune(d.slice(s, s+8), ')'); k > 0 {
				s = d.skipSep(s+runeLen(d.slice(s, s+8)[:k])+1, 3)
			}
		}
		if e, n := a.extend(d, s, true); n > 0 {
			out = append(out, Span{Start: s, End: e, Label: Address, Score: 0.9, Recognizer: "address"})
		}
	})
	// gazetteer- and street-anchored addresses
	rs := d.runes
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		if isHan(r) {
			ad := a.adminAt(d, i)
			if r2 := d.at(i + 1); ad == 0 && (r2 == '县' || r2 == '区' || r2 == '旗') && a.admin2[d.slice(i, i+2)] && (i == 0 || !isHan(rs[i-1]) || placeVerbBefore(d, i)) {
				// a two-character county before street parts (滑县新区人民路锦绣城5号楼)
				if e, n := a.extend(d, i+2, false); n >= 2 {
					out = append(out, Span{Start: i, End: e, Label: Address, Score: 0.85, Recognizer: "address"})
					i = e - 1
					continue
				}
			}
			if ad == 0 && i > 0 && placeVerbEnd(rs[i-1]) && placeVerbBefore(d, i) {
				// a town alone where the person is (在那拉提镇附近, 到石门乡，)
				if e := bareTownAt(d, i); e > 0 {
					out = append(out, Span{Start: i, End: e, Label: Address, Score: 0.8, Recognizer: "address"})
					i = e - 1
					continue
				}
			}
			if ad == 0 {
				// a town and its village without a city (杨桥镇刘寨村东队), at a field's start
				if i > 0 && (!isHan(rs[i-1]) || townCueEnd(rs[i-1]) && hasWordBefore(d, i, townCues) > 0) && !(townCueStart(rs[i]) && hasWordAt(d, i, townCues) > 0) {
					if townAt(d, i) {
						if e, n := a.extend(d, i, false); n >= 2 {
							out = append(out, Span{Start: i, End: e, Label: Address, Score: 0.8, Recognizer: "address"})
							i = e - 1
						}
					}
				}
				continue
			}
			e, n := a.extend(d, i, false)
			if n >= 2 {
				out = append(out, Span{Start: i, End: e, Label: Address, Score: 0.85, Recognizer: "address"})
				i = e - 1
			} else if ae := a.adminAt(d, i); n == 1 && a.local[d.slice(i, ae)] && placeVerbBefore(d, i) {
				// a city or county where the person lives, works or comes from (在成都打工, 回老家会理)
				out = append(out, Span{Start: i, End: e, Label: Address, Score: 0.8, Recognizer: "address"})
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
