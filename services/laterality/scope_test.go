package laterality

import (
	"strings"
	"testing"
)

func TestMentionScope(t *testing.T) {
	for _, tc := range []struct {
		mention                     string
		ocular, systemic, binocular bool
	}{
		{"白内障", true, false, false},
		{"高血压视网膜病变", true, false, false},
		{"糖尿病性白内障", true, false, false},
		{"甲状腺相关眼病", true, false, false},
		{"中心暗点", true, false, false},
		{"POAG", true, false, false},
		{"子痫前期", false, true, false},
		{"发热", false, true, false},
		{"脑梗死", false, true, false},
		{"慢性肾功能不全", false, true, false},
		{"出血", false, false, false}, // a local sign: the text decides
		{"水肿", false, false, false},
		{"复视", true, false, true},
		{"视物重影", true, false, true},
		{"视物模糊", true, false, false},
	} {
		if got := Ocular(tc.mention); got != tc.ocular {
			t.Errorf("Ocular(%q) = %v, want %v", tc.mention, got, tc.ocular)
		}
		if got := Systemic(tc.mention); got != tc.systemic {
			t.Errorf("Systemic(%q) = %v, want %v", tc.mention, got, tc.systemic)
		}
		if got := Binocular(tc.mention); got != tc.binocular {
			t.Errorf("Binocular(%q) = %v, want %v", tc.mention, got, tc.binocular)
		}
	}
}

func TestSiteBeforeAfter(t *testing.T) {
	for _, tc := range []struct {
		text, mention string
		want          bool
	}{
		{"伴颌下淋巴结肿大", "肿大", true},
		{"颈部的皮疹", "皮疹", true},
		{"右眼结膜充血", "充血", false},
		{"黄斑中心暗点", "暗点", false},
		{"左上睑肿胀", "肿胀", false},
	} {
		i := strings.Index(tc.text, tc.mention)
		if got := SiteBefore([]rune(tc.text), len([]rune(tc.text[:i]))); got != tc.want {
			t.Errorf("SiteBefore(%q, %q) = %v, want %v", tc.text, tc.mention, got, tc.want)
		}
	}
	for _, tc := range []struct {
		text string
		want bool
	}{
		{"左侧肢体无力", true},
		{"右侧颈部包块", true},
		{"右侧眼睑下垂", false},
		{"双侧视盘水肿", false},
	} {
		if got := SiteAfter([]rune(tc.text), 2); got != tc.want {
			t.Errorf("SiteAfter(%q) = %v, want %v", tc.text, got, tc.want)
		}
	}
}

func TestHeaderAbove(t *testing.T) {
	for _, tc := range []struct {
		name, text string
		want       string
	}{
		{"header line above", "专科检查：\n右眼：\n  结膜⟨充血⟩\n", "right"},
		{"two rows down", "OS:\n  角膜透明\n  前房⟨积血⟩\n", "left"},
		{"blank line between", "右眼：\n\n  ⟨充血⟩\n", ""},
		{"section title between", "右眼：视力0.5\n诊断：\n⟨白内障⟩\n", ""},
		{"first line", "⟨充血⟩", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			i := strings.Index(tc.text, "⟨")
			text := strings.NewReplacer("⟨", "", "⟩", "").Replace(tc.text)
			if got := HeaderAbove([]rune(text), len([]rune(tc.text[:i]))); string(got) != tc.want {
				t.Errorf("HeaderAbove = %q, want %q", got, tc.want)
			}
		})
	}
}
