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
	negStrong = []string{"否认", "排除", "未见", "未诉", "不伴", "未发现", "未闻及", "未查见", "没有", "不存在", "已除外", "暂不考虑", "不考虑"}
	// Weak negation cues scope over their comma clause only.
	negWeak = []string{"无"}
	// negBreak ends the scope of a negation cue: what follows is asserted.
	negBreak = []string{"但", "出现", "诊断", "考虑", "可见", "发现", "有", "伴", "现", "患", "确诊", "目前", "后再", "再行", "后行"}
	// notNegation follow 无 without negating: 无痛性视力丧失 is a painless loss.
	notNegation = []string{"痛性", "症状性", "菌性", "诱因", "明显诱因"}
	// plannedPre before 排除 make it a plan to rule out (possible), not a
	// finding: 需排除, 以排除, 进一步排除.
	plannedPre = []string{"以", "需", "待", "进一步", "建议", "拟", "须", "应"}
	// plannedClause anywhere in the comma clause before 排除 make it a plan
	// too: 建议OCT检查排除X, 拟行FFA排除X.
	plannedClause = []string{"建议", "进一步", "拟", "需要", "请", "完善", "择期"}
	// sequelae: what a past illness left behind is present (脑梗死病史2年，
	// 遗留左侧肢体乏力).
	sequelaPre = []string{"遗留", "留有", "后遗", "残留"}
	// breakNegation before a mention in a later comma clause of a negation
	// say it is there (未见新生血管，轻度黄斑水肿); after it, that it changed
	// (视网膜出血较前吸收).
	severityPre   = []string{"轻度", "中度", "重度", "少量", "大量", "少许", "散在", "多发", "多量", "明显", "较多", "广泛"}
	changePost    = []string{"较前", "吸收", "加重", "减轻", "好转", "增多", "减少", "消退", "增大", "缩小", "同前"}
	symptomSuffix = []string{"下降", "模糊", "减退", "丧失", "疼痛", "痛", "眼红", "红肿", "肿胀", "发热", "异常", "缺损", "黑影", "不适", "发白", "突出", "障碍"}
	// resolvedPost after a diagnosis put it in the past: 黄斑裂孔已闭合.
	resolvedPost = []string{"已闭合", "已治愈", "已痊愈", "已愈", "现已好转", "已好转", "已消退", "已吸收"}
	negPost      = []string{"阴性", "(-)", "（-）", "已排除", "除外", "未见", "排除", "暂不考虑", "不考虑"}

	possiblePre  = []string{"疑似", "可能", "考虑", "待排", "待查", "可疑", "怀疑", "疑为", "拟诊", "不除外", "疑", "排查", "警惕", "鉴别"}
	possiblePost = []string{"可能性大", "可能", "待排", "待查", "?", "？", "不除外", "可疑"}

	historyPre  = []string{"既往", "曾患", "曾", "外院诊断", "外院诊为", "外院考虑", "年前", "确诊"}
	historyPost = []string{"病史", "史", "术后"}

	familyPre  = []string{"母亲", "父亲", "其母", "其父", "母", "父", "兄", "姐", "弟", "妹", "哥哥", "姐姐", "弟弟", "妹妹", "祖父", "祖母", "外公", "外婆", "子女", "儿子", "女儿", "家族史", "家族中", "家族", "家人", "亲属", "家中", "家里", "孩子"}
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

// sentence widens [s,e) to its sentence: to the nearest stops, within
// [lo,hi) (a section's bounds).
func sentence(rs []rune, s, e, lo, hi int) (int, int) {
	for s > lo && !isStop(rs[s-1]) {
		s--
	}
	for e < hi && !isStop(rs[e]) {
		e++
	}
	return s, e
}

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
		// 排除X后再行…, 需排除X: a plan to rule out, not a finding
		if c == "排除" && (hasSuffixAny(pre[:i], plannedPre) || containsAny(lastClause(pre[:i]), plannedClause) ||
			strings.HasPrefix(strings.TrimLeft(postClause(postSentence), " "), "后")) {
			return note.Possible
		}
		negated = !negationBroken(pre[i+len(c):], postClause(postSentence))
	}
	if !negated {
		clause := pre
		if k := strings.LastIndexAny(pre, "，,"); k >= 0 {
			clause = pre[k:]
		}
		if i, c := lastIndexAny(clause, negWeak); i >= 0 && !containsAny(clause[i+len(c):], negBreak) && hasPrefixAny(clause[i+len(c):]+string(rs[start:end]), notNegation) == "" {
			negated = true
		}
	}
	if p := strings.TrimLeft(post, " "); !negated && hasPrefixAny(p, negPost) != "" {
		switch {
		case strings.HasPrefix(p, "除外") && strings.HasSuffix(pre, "不"):
		case strings.HasPrefix(p, "排除") && !postNegationEnds(p[len("排除"):]):
			// X排除后再… is a plan; X排除 ends the item or clause
			if strings.HasPrefix(p[len("排除"):], "后") {
				return note.Possible
			}
		default:
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
	if containsAny(clause, possiblePre) || containsAny(withoutQualifiers(post), possiblePost) && !symptomWorkup(rs[start:end], post) {
		return note.Possible
	}
	if containsAny(clause, sequelaPre) {
		return note.Present
	}
	if containsAny(clause, historyPre[2:]) && !onsetClause(clause) || containsAny(pre, historyPre[:2]) || hasHistoryPost(post) ||
		enumerationEndsWith(postSentence, []string{"病史", "史"}) || containsAny(post, resolvedPost) || pastAfter(post) ||
		resolvedSince(clause, postSentence) {
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

func hasSuffixAny(s string, cues []string) bool {
	for _, c := range cues {
		if strings.HasSuffix(s, c) {
			return true
		}
	}
	return false
}

// postClause is s up to its first comma or stop.
func postClause(s string) string {
	if k := strings.IndexAny(s, "，,。；;\n"); k >= 0 {
		return s[:k]
	}
	return s
}

// withoutQualifiers drops bracketed qualifiers that say more than "?"
// (急性结膜炎（细菌性？）: the conjunctivitis is certain, its cause is not).
func withoutQualifiers(post string) string {
	var b strings.Builder
	depth, inner := 0, strings.Builder{}
	for _, r := range post {
		switch {
		case r == '(' || r == '（':
			depth++
			inner.Reset()
		case (r == ')' || r == '）') && depth > 0:
			depth--
			if q := strings.TrimSpace(inner.String()); q == "?" || q == "？" || q == "待排" || q == "可能" {
				b.WriteString(q)
			}
		case depth > 0:
			inner.WriteRune(r)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// onsetClause: "N年前" that dates the onset of a current complaint
// (半年前无明显诱因出现右眼视物模糊) does not make it history.
func onsetClause(clause string) bool {
	i, _ := lastIndexAny(clause, []string{"年前", "月前", "天前", "周前"})
	return i >= 0 && containsAny(clause[i:], []string{"出现", "发现", "突发", "开始", "感", "起病"})
}

// pastAfter: the diagnosis is followed by 后 (CRVO后) or by a bracketed
// time in the past (（2年前）).
func pastAfter(post string) bool {
	p := strings.TrimLeft(post, " ")
	if p == "后" || strings.HasPrefix(p, "后 ") || strings.HasPrefix(p, "后、") {
		return true
	}
	if strings.HasPrefix(p, "（") || strings.HasPrefix(p, "(") {
		if k := strings.IndexAny(p, ")）"); k > 0 && strings.Contains(p[:k], "前") {
			return true
		}
	}
	return false
}

// lastClause is s after its last comma.
func lastClause(s string) string {
	if k := strings.LastIndexAny(s, "，,"); k >= 0 {
		return s[k:]
	}
	return s
}

// negationBroken: a strong negation cue reaches the mention across a comma
// (between is the text from the cue to the mention), but the mention's own
// clause says it is there: a severity before it (未见新生血管，轻度黄斑水肿) or
// a change after it (，视网膜出血较前吸收).
func negationBroken(between, post string) bool {
	k := strings.LastIndexAny(between, "，,")
	if k < 0 {
		return false
	}
	own := between[k:]
	return containsAny(own, severityPre) || hasPrefixAny(strings.TrimLeft(post, " "), changePost) != ""
}

// postNegationEnds: what follows a post-posed 排除 ends it (弱视排除,
// 弱视排除；), rather than continuing a plan (排除后再行).
func postNegationEnds(rest string) bool {
	rest = strings.TrimLeft(rest, " ")
	return rest == "" || hasPrefixAny(rest, []string{"。", "；", ";", "，", ",", "、", "\n"}) != ""
}

// symptomWorkup: a symptom followed by 待查 (视力下降待查) is there; only its
// cause is unknown. A disease followed by 待查 (青光眼待查) is possible.
func symptomWorkup(mention []rune, post string) bool {
	return strings.HasPrefix(strings.TrimLeft(post, " "), "待查") && hasSuffixAny(string(mention), symptomSuffix)
}

// resolvedSince: an illness dated in the past whose next clause says it has
// resolved (1周前感冒，现已好转) is history.
func resolvedSince(clause, postSentence string) bool {
	if !containsAny(clause, []string{"年前", "月前", "周前", "天前", "日前"}) {
		return false
	}
	k := strings.IndexAny(postSentence, "，,")
	if k < 0 {
		return false
	}
	next := strings.TrimLeft(postSentence[k+len("，"):], " ")
	if strings.HasPrefix(postSentence[k:], ",") {
		next = strings.TrimLeft(postSentence[k+1:], " ")
	}
	for _, p := range []string{"现", "目前", "后", "均"} {
		next = strings.TrimPrefix(next, p)
	}
	return hasPrefixAny(next, resolvedPost) != ""
}
