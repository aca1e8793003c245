package deid

import "testing"

func TestWeekdayBelongsToTheDate(t *testing.T) {
	checkPositives(t, []posCase{
		{"复诊：2025年4月2日 周三 上午", "DATE:2025年4月2日 周三"},
		{"下次复查 2025-04-16（星期三）", "DATE:2025-04-16（星期三）"},
		{"3月5日周三上午复查", "DATE:3月5日周三"},
		{"  白内障术前检查   04-09 周三", "DATE:04-09 周三"},
	})
	for _, c := range []struct {
		in   string
		off  int
		want string
	}{
		{"2025年4月2日 周三", 3, "2025年4月5日 周六"},
		{"2025-04-16(星期三)", 4, "2025-04-20(星期日)"},
		{"2025-04-16 礼拜三", 4, "2025-04-20 礼拜日"},
		{"2025-04-20 星期天", 1, "2025-04-21 星期一"},
		{"2025-04-19 星期六", 1, "2025-04-20 星期日"},
	} {
		got, ok := shiftDate(c.in, c.off, 2025)
		if !ok || got != c.want {
			t.Errorf("shiftDate(%q, %d) = %q, %v; want %q", c.in, c.off, got, ok, c.want)
		}
	}
	// without a year the weekday cannot be recomputed: not shifted (tagged)
	if got, ok := shiftDate("3月5日周三", 3, 2025); ok {
		t.Errorf("shiftDate(3月5日周三) = %q, want the tag", got)
	}
	// not weekdays: 周三次 (three times a week), 周期
	d := testDeid(t, Options{})
	for _, s := range []string{"2025年4月2日起每周三次", "2025年4月2日周期性眼痛"} {
		for _, g := range spanTexts(t, d, s) {
			if g != "DATE:2025年4月2日" {
				t.Errorf("%q: span %s, want the date alone", s, g)
			}
		}
	}
}
