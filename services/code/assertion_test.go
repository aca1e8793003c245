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
