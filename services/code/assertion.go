package code

import (
	"strings"

	"bingli/services/note"
)

// Assertion cues. A pre-cue stands before the diagnosis in its scope, a
// post-cue right after it (before the next comma or stop).
var (
	// Strong negation cues scope over the sentence (up to 。；) and over
	// enumerations with 、 and ，: 否认高血压、糖尿病史 negates both.
	negStrong = []string{"否认", "排除", "未见", "未诉", "不伴", "未发现", "未闻及", "未查见", "没有", "不存在", "已除外"}
	// Weak negation cues scope over their comma clause only.
	negWeak = []string{"无"}
	// negBreak ends the scope of a negation cue: what follows is asserted.
	negBreak = []string{"但", "出现", "诊断", "考虑", "可见", "发现", "有", "伴", "现", "患", "确诊", "目前"}
	negPost  = []string{"阴性", "(-)", "（-）", "已排除", "除外", "未见"}

	possiblePre  = []string{"疑似", "可能", "考虑", "待排", "待查", "可疑", "怀疑", "疑为", "拟诊", "不除外", "疑"}
	possiblePost = []string{"可能性大", "可能", "待排", "待查", "?", "？", "不除外", "可疑"}

	historyPre  = []string{"既往", "曾患", "曾", "外院诊断", "外院诊为", "外院考虑", "年前", "确诊"}
	historyPost = []string{"病史", "史", "术后"}

	familyPre  = []string{"母亲", "父亲", "其母", "其父", "母", "父", "兄", "姐", "弟", "妹", "哥哥", "姐姐", "弟弟", "妹妹", "祖父", "祖母", "外公", "外婆", "子女", "儿子", "女儿", "家族史", "家族中", "家族", "家人", "亲属"}
	familyPost = []string{"家族史"}
)

// stops end a sentence: the scope of every cue.
func isStop(r rune) bool {
	switch r {
	case '。', '；', ';', '\n', '\r':
		return true
	}
	return false
}

func isComma(r rune) bool { return r == '，' || r == ',' }

// assertionOf decides the assertion of the diagnosis rs[start:end] whose
// cue context is rs[ctxStart:ctxEnd] (a list item, or the sentence of a
// running-text mention) in a section of the given kind.
// Priority: negated > family > possible > history > present.
func assertionOf(rs []rune, start, end, ctxStart, ctxEnd int, kind sectionKind) note.Assertion {
	pre := string(rs[ctxStart:start])
	// Post context: up to the next comma or 、 (the item's own suffix).
	pe := end
	for pe < ctxEnd && !isComma(rs[pe]) && rs[pe] != '、' {
		pe++
	}
	post := string(rs[end:pe])
	// The full post context up to the stop: 否认高血压、糖尿病史 puts 史 after
	// the last item of the enumeration.
	postSentence := string(rs[end:ctxEnd])

	negated := false
	if i, c := lastIndexAny(pre, negStrong); i >= 0 && !containsAny(strings.ReplaceAll(pre[i+len(c):], "中有", ""), negBreak) {
		negated = true
	}
	if !negated {
		clause := pre
		if k := strings.LastIndexAny(pre, "，,"); k >= 0 {
			clause = pre[k:]
		}
		if i, c := lastIndexAny(clause, negWeak); i >= 0 && !containsAny(clause[i+len(c):], negBreak) {
			negated = true
		}
	}
	if !negated && hasPrefixAny(strings.TrimLeft(post, " "), negPost) != "" {
		if !strings.HasPrefix(strings.TrimLeft(post, " "), "除外") || !strings.HasSuffix(pre, "不") {
			negated = true
		}
	}
	if negated {
		return note.Negated
	}
	famPre := pre
	if i, _ := lastIndexAny(pre, []string{"本人", "患者"}); i >= 0 {
		famPre = pre[i:]
	}
	if containsAny(famPre, familyPre) || containsAny(post, familyPost) || enumerationEndsWith(postSentence, familyPost) {
		return note.Family
	}
	if kind == sectionFamily {
		return note.Family
	}
	clause := pre
	if k := strings.LastIndexAny(pre, "，,"); k >= 0 {
		clause = pre[k:]
	}
	if containsAny(clause, possiblePre) || containsAny(post, possiblePost) {
		return note.Possible
	}
	if containsAny(clause, historyPre[2:]) || containsAny(pre, historyPre[:2]) || hasHistoryPost(post) || enumerationEndsWith(postSentence, []string{"病史", "史"}) {
		return note.History
	}
	if kind == sectionHistory {
		return note.History
	}
	return note.Present
}

// hasHistoryPost: the diagnosis is directly followed by 史/病史/术后
// (possibly after 有 ... 病史N年).
func hasHistoryPost(post string) bool {
	p := strings.TrimLeft(post, " ")
	return hasPrefixAny(p, historyPost) != "" || strings.HasPrefix(p, "等病史") || strings.HasPrefix(p, "等史")
}

// enumerationEndsWith: the mention is followed only by further enumerated
// items before a cue such as 史 (否认高血压、糖尿病史: 高血压 gets 史).
func enumerationEndsWith(postSentence string, cues []string) bool {
	k := strings.IndexAny(postSentence, "，,")
	if k >= 0 {
		postSentence = postSentence[:k]
	}
	if !strings.Contains(postSentence, "、") {
		return false
	}
	for _, c := range cues {
		if strings.HasSuffix(postSentence, c) || strings.Contains(postSentence, c+"等") {
			return true
		}
		if i := strings.LastIndex(postSentence, c); i >= 0 {
			rest := postSentence[i+len(c):]
			if strings.TrimLeft(rest, "0123456789余多年月天") == "" {
				return true
			}
		}
	}
	return false
}

func lastIndexAny(s string, cues []string) (int, string) {
	best, bc := -1, ""
	for _, c := range cues {
		if i := strings.LastIndex(s, c); i > best || i == best && i >= 0 && len(c) > len(bc) {
			best, bc = i, c
		}
	}
	return best, bc
}

func containsAny(s string, cues []string) bool {
	for _, c := range cues {
		if strings.Contains(s, c) {
			return true
		}
	}
	return false
}

func hasPrefixAny(s string, cues []string) string {
	for _, c := range cues {
		if strings.HasPrefix(s, c) {
			return c
		}
	}
	return ""
}
