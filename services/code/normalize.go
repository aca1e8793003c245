package code

import "strings"

// Cue words trimmed off the ends of a diagnosis item before lookup. They are
// not part of the diagnosis span (laterality goes into Eye, assertion cues
// into Assertion), following the span convention of the gold files.
var (
	leadingCues = []string{
		"右眼", "左眼", "双眼", "双侧", "右侧", "左侧", "od", "os", "ou",
		"考虑为", "考虑", "疑似", "疑为", "可疑", "怀疑", "诊断为", "诊断", "拟诊",
		"否认", "排除", "既往", "曾患", "患有", "合并", "伴有", "伴",
		"右", "左", "双", "疑",
	}
	trailingCues = []string{
		"可能性大", "可能", "待排除", "待排", "待查", "不除外", "?", "？",
		"术后", "病史", "史", "(双)", "(右)", "(左)", "(双眼)", "(右眼)", "(左眼)",
		"(od)", "(os)", "(ou)", "(待排)", "(待查)", "(可能)", "(?)",
	}
)

// trimCues narrows [start,end) of runes rs past leading and trailing cue
// words and spaces. Matching is on folded runes so full-width forms count.
func trimCues(rs []rune, start, end int) (int, int) {
	for changed := true; changed && start < end; {
		changed = false
		for start < end && isSpaceOrSep(rs[start]) {
			start++
			changed = true
		}
		for end > start && isSpaceOrSep(rs[end-1]) {
			end--
			changed = true
		}
		for _, c := range leadingCues {
			if n := hasFoldedPrefix(rs[start:end], c); n > 0 && n < end-start {
				// A one-rune cue (右/左/双/疑) only before a Han character,
				// and never when the rest would be a single rune.
				if n == 1 && (end-start-n < 2) {
					continue
				}
				start += n
				changed = true
				break
			}
		}
		for _, c := range trailingCues {
			if n := hasFoldedSuffix(rs[start:end], c); n > 0 && n < end-start {
				end -= n
				changed = true
				break
			}
		}
	}
	return start, end
}

func isSpaceOrSep(r rune) bool {
	switch r {
	case ' ', '\t', '\u3000', '\u00a0', ':', '：', '.', '．', '-', '—':
		return true
	}
	return false
}

// trimEye narrows [start,end) past spaces and two-character eye words only.
func trimEye(rs []rune, start, end int) (int, int) {
	for start < end && isSpaceOrSep(rs[start]) {
		start++
	}
	for end > start && isSpaceOrSep(rs[end-1]) {
		end--
	}
	for _, w := range eyeWords {
		if n := hasFoldedPrefix(rs[start:end], w.w); n > 0 && n < end-start {
			start += n
			break
		}
	}
	for start < end && isSpaceOrSep(rs[start]) {
		start++
	}
	return start, end
}

// hasFoldedPrefix reports the length in runes of cue if rs starts with it.
func hasFoldedPrefix(rs []rune, cue string) int {
	n := 0
	for _, c := range cue {
		if n >= len(rs) || foldRune(rs[n]) != c {
			return 0
		}
		n++
	}
	// An ASCII cue (od/os/ou) must not run into more letters.
	if n < len(rs) && isASCIIAlnum(rs[n-1]) && isASCIIAlnum(rs[n]) {
		return 0
	}
	return n
}

func hasFoldedSuffix(rs []rune, cue string) int {
	cr := []rune(cue)
	if len(cr) > len(rs) {
		return 0
	}
	off := len(rs) - len(cr)
	for i, c := range cr {
		if foldRune(rs[off+i]) != c {
			return 0
		}
	}
	return len(cr)
}

// lookupKeys are the keys to try for a cleaned span, most literal first:
// the span itself, then without bracketed qualifiers, then without stage
// words.
func lookupKeys(span string) []string {
	k := fold(span)
	keys := []string{k}
	base, _ := stripBrackets(k)
	if base != k && base != "" {
		keys = append(keys, base)
	}
	last := keys[len(keys)-1]
	for _, w := range stageWords {
		if strings.HasSuffix(last, w) && len(last) > len(w) {
			keys = append(keys, strings.TrimSuffix(last, w))
			break
		}
	}
	return keys
}

// stageWords are disease-stage suffixes dropped for lookup only.
var stageWords = []string{"术后", "急性发作期", "急性发作", "初发期", "膨胀期", "晚期", "早期", "中期", "进展期", "复发", "(初发期)", "(未成熟期)"}
