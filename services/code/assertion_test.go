package code

import (
	"strings"
	"testing"

	"bingli/services/note"
)

// TestAssertion: the diagnosis is the text between [ and ].
func TestAssertion(t *testing.T) {
	tests := []struct {
		text string
		kind sectionKind
		want note.Assertion
	}{
		{"诊断为[青光眼]", sectionText, note.Present},
		{"否认[糖尿病]史", sectionHistory, note.Negated},
		{"否认高血压、[糖尿病]史", sectionHistory, note.Negated},
		{"否认[高血压]、糖尿病史", sectionHistory, note.Negated},
		{"否认高血压，有[糖尿病]病史10年", sectionHistory, note.History},
		{"无[糖尿病]", sectionText, note.Negated},
		{"无明显诱因出现视物模糊，诊断为[白内障]", sectionText, note.Present},
		{"未见[糖尿病视网膜病变]征象", sectionSkip, note.Negated},
		{"排除[视网膜脱离]", sectionText, note.Negated},
		{"不伴[高血压]", sectionText, note.Negated},
		{"未发现[青光眼]", sectionText, note.Negated},
		{"[乙肝]阴性", sectionText, note.Negated},
		{"考虑[青光眼]可能", sectionText, note.Possible},
		{"疑似[青光眼]", sectionText, note.Possible},
		{"[青光眼]待排", sectionText, note.Possible},
		{"[青光眼]待查", sectionText, note.Possible},
		{"[青光眼]？", sectionList, note.Possible},
		{"[青光眼]?", sectionList, note.Possible},
		{"可疑[视网膜脱离]", sectionText, note.Possible},
		{"[视网膜脱离]不除外", sectionText, note.Possible},
		{"既往[角膜炎]", sectionText, note.History},
		{"曾患[角膜炎]", sectionText, note.History},
		{"有[高血压]病史8年", sectionText, note.History},
		{"[白内障]术后3年", sectionText, note.History},
		{"外院诊断为[白内障]，未治疗", sectionText, note.History},
		{"[高血压]10年，规律服药", sectionHistory, note.History},
		{"母亲患[青光眼]", sectionText, note.Family},
		{"父亲有[高度近视]", sectionText, note.Family},
		{"家族中有[青光眼]患者", sectionText, note.Family},
		{"[青光眼]家族史", sectionText, note.Family},
		{"否认[青光眼]家族史", sectionFamily, note.Negated},
		{"其姐患[糖尿病]", sectionFamily, note.Family},
		{"[糖尿病]", sectionFamily, note.Family},
		// Scope ends at 。 and ；.
		{"否认高血压。[糖尿病]10年", sectionText, note.Present},
		{"否认高血压；[糖尿病]病史", sectionHistory, note.History},
		// A weak 无 covers its comma clause only.
		{"无眼痛，[青光眼]", sectionText, note.Present},
		// Negation wins over history and family.
		{"否认家族中有[青光眼]", sectionText, note.Negated},
		// 无诱因 negates the cause, not what follows
		{"3天前无诱因左眼[眼红]", sectionText, note.Present},
		// post-posed 排除 / 暂不考虑 conclude; 排除…后 plans
		{"3.[视神经炎]排除", sectionList, note.Negated},
		{"[真菌性角膜炎]暂不考虑", sectionList, note.Negated},
		{"暂不考虑[急性闭角型青光眼]", sectionText, note.Negated},
		{"[青光眼]排除后再行手术", sectionText, note.Possible},
		// a plan anywhere in the clause before 排除
		{"建议FFA检查排除[视网膜静脉阻塞]", sectionText, note.Possible},
		{"经FFA检查排除[视网膜静脉阻塞]", sectionText, note.Negated},
		// a negation across a comma ends at a severity or a change
		{"未见渗出，少量[视网膜出血]", sectionSkip, note.Present},
		{"未见渗出，[黄斑水肿]较前减轻", sectionSkip, note.Present},
		{"未见渗出，[黄斑水肿]", sectionSkip, note.Negated},
		// a symptom under work-up is there; a disease under work-up is not sure
		{"[视力下降]待查", sectionList, note.Present},
		{"[视神经炎]待查", sectionList, note.Possible},
		// a sequela is present, in 既往史 too
		{"脑梗死后遗留[言语障碍]", sectionHistory, note.Present},
		// an illness dated in the past and since resolved is history
		{"2周前[上呼吸道感染]，现已痊愈", sectionText, note.History},
		{"2周前出现[眼红]，现仍未缓解", sectionText, note.Present},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			rs, start, end, cs, ce := bracketed(tt.text)
			if got := assertionOf(rs, start, end, cs, ce, tt.kind); got != tt.want {
				t.Errorf("assertion %s, want %s", got, tt.want)
			}
		})
	}
}

// bracketed reads a test text whose mention is marked [like this]: the
// plain runes, the mention's code-point span and its sentence.
func bracketed(text string) (rs []rune, start, end, cs, ce int) {
	rs = []rune(strings.NewReplacer("[", "", "]", "").Replace(text))
	start = len([]rune(text[:strings.Index(text, "[")]))
	end = len([]rune(text[:strings.Index(text, "]")])) - 1
	cs, ce = sentence(rs, start, end, 0, len(rs))
	return rs, start, end, cs, ce
}
