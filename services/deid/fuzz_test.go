package deid

import (
	"testing"
	"time"
	"unicode/utf8"
)

// FuzzDetect: for any text, Detect returns (it must never loop) spans that
// lie inside the text, and Process keeps the text valid UTF-8.
func FuzzDetect(f *testing.F) {
	for _, s := range []string{
		"重庆市江北区金沙路338号阳光名苑30号楼2",
		"患者张三，男，45岁，身份证号110101199003074514，电话138 1234 5678。",
		"住址：浙江省杭州市西湖区文三路90号3栋2单元501室",
		"右眼视力0.8，眼压24mmHg，C/D 0.6，2023年3月5日复查。",
		"医师签名：王芳 2023.3.5",
		"（0571）88776655转123",
		"(中国)有限公司", "）有限公司", "在腾讯", "1.5月2日", "3/", "24.6.", "19-Feb-", "受理人：", "人：蒯", "警号（0412",
		"住址（香港）：香港九龍彌敦道1號2樓B室", "路东段七", "交叉口东5", "其父吉克阿木", "--温", "№", "号码",
		"今年", "去年1", "今年十", "6月下", "3月至", "正月", "正月初", "大年", "农历", "农历八", "2.2", "\n2.27 ", "25.1.", "眼科：", "科", "巡回：",
		"麻醉牛", "IDX", "ID", "微信（", "微信(ab", "村七", "村七组", "我镇", "郑月", "其其", "格日", "多吉", "侯春来", "Ab Cd（", "床 ", "2期", "G5组",
	} {
		f.Add(s)
	}
	d := testDeid(f, Options{})
	f.Fuzz(func(t *testing.T, s string) {
		if !utf8.ValidString(s) {
			return
		}
		n := utf8.RuneCountInString(s)
		done := make(chan []Span, 1)
		go func() {
			spans, err := d.Detect(s, "p")
			if err != nil {
				t.Errorf("Detect: %v", err)
			}
			done <- spans
		}()
		var spans []Span
		select {
		case spans = <-done:
		case <-time.After(5 * time.Second):
			t.Fatalf("Detect did not return within 5s on %q", s)
		}
		for _, sp := range spans {
			if sp.Start < 0 || sp.End > n || sp.Start >= sp.End {
				t.Fatalf("span %+v outside text of %d code points", sp, n)
			}
		}
	})
}
