package deid

import (
	"bufio"
	"bytes"
	"strings"
	"sync"

	deidlists "bingli/models/deid"
)

// Employers named by brand alone (在华为上班, 美团骑手, 昆山富士康) and
// organisations ending in a legal or institutional suffix without a cue
// (…有限公司, …事务所, …派出所, …红十字会, 三元里派出所).

var (
	brandOnce    sync.Once
	brandMatcher *cueMatcher
)

// brands returns the matcher over models/deid/brands.tsv.
func brands() *cueMatcher {
	brandOnce.Do(func() {
		data, err := deidlists.FS.ReadFile("brands.tsv")
		if err != nil {
			panic("deid: embedded brands.tsv missing")
		}
		var words []string
		sc := bufio.NewScanner(bytes.NewReader(data))
		sc.Scan() // header
		for sc.Scan() {
			if name, _, _ := strings.Cut(sc.Text(), "\t"); name != "" {
				words = append(words, name)
			}
		}
		brandMatcher = newCueMatcher(words)
	})
	return brandMatcher
}

// brandTails may follow a brand and belong to the employer's name (美团外卖,
// 顺丰速运梅州分部, 腾讯科技（深圳）有限公司 is found by its suffix).
var brandTails = []string{"分公司", "分部", "分行", "支行", "分店", "门店", "营业部", "站点", "配送站", "外卖", "速运", "快递", "科技", "集团", "工厂", "园区"}

// findBrands tags well-known employer brands: a brand that does not form a
// word with the character before or after it (完美团队 is not 美团), with a
// place name before it (昆山富士康) and a branch after it (梅州分部).
func (o orgRecognizer) findBrands(d *doc, out []Span) []Span {
	words := generalWords()
	brands().each(d, func(_, i, e int) {
		if i > 0 && isHan(d.runes[i-1]) && words[d.slice(i-1, i+1)] || e < len(d.runes) && isHan(d.runes[e]) && words[d.slice(e-1, e+1)] {
			return
		}
		if i > 0 && isLetter(d.runes[i-1]) || isLetter(d.at(e)) && isLetter(d.runes[e-1]) {
			return // TCL inside a longer Latin word
		}
		med := medicalWords()
		for l := e - i + 1; l <= 8 && i+l <= len(d.runes); l++ {
			if med[d.slice(i, i+l)] {
				return // a drug or disease that starts like a brand
			}
		}
		s := i
		for l := 4; l >= 2; l-- {
			if i-l >= 0 && o.places.adminAt(d, i-l) == i {
				s = i - l
				break
			}
		}
		// a branch: up to 8 Chinese characters ending in a branch word
		last := e
		for j := e; j < len(d.runes) && j-e <= 8 && isHan(d.runes[j]); j++ {
			if t := hasWordAt(d, j, brandTails); t > 0 {
				last = t
			}
		}
		e = last
		out = append(out, Span{Start: s, End: e, Label: Organization, Score: 0.8, Recognizer: "organization"})
	})
	return out
}
