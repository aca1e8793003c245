package deid

import "testing"

func TestMonthDatesAndSpacedShortDates(t *testing.T) {
	checkPositives(t, []posCase{
		{"自诉去年10月在风湿科查抗体", "DATE:去年10月"},
		{"建议今年9月前更换镜片", "DATE:今年9月"},
		{"患者于今年三月起视物模糊", "DATE:今年三月"},
		{"今年8月初开始出现眼红", "DATE:今年8月初"},
		{"其诉患者6月份起搬家", "DATE:6月份"},
		{"下次复查：6月下旬", "DATE:6月下旬"},
		{"已于12月初停药", "DATE:12月初"},
		{"2024年3月至7月在外院住院", "DATE:7月"},
		{"2024年3月至7月在外院住院", "DATE:2024年3月"},
		{"患儿2月13日（正月初四）下午受伤", "DATE:正月初四"},
		{"农历腊月二十三发病", "DATE:农历腊月二十三"},
		{"大年三十晚上摔伤", "DATE:大年三十"},
		{"农历八月十五前后", "DATE:农历八月十五"},
		{"医师 许文彬  25.1.8", "DATE:25.1.8"},
		{"2.27 奉建华 右眼复查", "DATE:2.27"},
		{"门诊  3.21  蓝海 男 23 右眼", "DATE:3.21"},
		{"4.11复诊，眼压稳定", "DATE:4.11"},
		{"2025-05-08 17:25  客服回复", "DATE:2025-05-08"}, // not 2025-05-08 17 (the hour is no record number)
		{"2024年3月中旬复查", "DATE:2024年3月中旬"},             // the part of the month belongs to the date
		{"2023年3月份行手术", "DATE:2023年3月份"},
		{"于2024.3.5日就诊", "DATE:2024.3.5日"},
	})
	d := testDeid(t, Options{})
	for _, c := range []struct{ text, not string }{
		{"2003年3月份行手术", "DATE:3月份"}, // the year-month date is shifted, 份 left as it is
		{"2024年6月下旬复查", "DATE:6月下旬"},
	} {
		if got := spanTexts(t, d, c.text); contains(got, c.not) {
			t.Errorf("%q: unexpected %s in %v", c.text, c.not, got)
		}
	}
	for _, s := range []string{
		"术后3月复查，3个月后再评估，第3月随访。",
		"视力 1.2 0.8，眼压 15.3 mmHg，剂量 1.5 mg，2.5 级。",
		"钾 4.12 mmol/L，钠 3.15mmol/L",
		"前3.5月余出现，1月-3月龄患儿多见。",
	} {
		if got := spanTexts(t, d, s); len(got) > 0 {
			t.Errorf("%q: unexpected spans %v", s, got)
		}
	}
}

func TestMonthLists(t *testing.T) {
	checkPositives(t, []posCase{
		{"已行玻璃体腔注药3次（3月、4月、5月各1次）", "DATE:4月"},
		{"已行玻璃体腔注药3次（3月、4月、5月各1次）", "DATE:5月"},
		{"2024年随访：3月、6月、9月各1次", "DATE:6月"},
	})
	checkNoLabel(t, Date, "术后1月、3月、6月复查", "疗程3月、6月后评估", "每3月、6月复查一次", "戴镜后第1天、1周、1月、3月复查")
}
