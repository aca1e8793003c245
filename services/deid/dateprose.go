package deid

import "strings"

// Short dates in running text, where follow-up notes and village doctors'
// logs write the day without a year: M/D in prose and brackets (已注药3次
// （1/15、2/19、3/24）, 7/31回访), zero-padded MM-DD (06-11 谢秋生), M.D right
// before what happened that day (4.25行睫状体光凝, 1.22电话回访), a month
// before an event (2月筛查发现, 已预约3月县医院手术) and the rest of a series
// once one of it is a date (① 3.5 ② 3-20 ③ 4/18, 2025.05.28初戴 → 06.25 →
// 08.20). Each form has its look-alikes, kept out: Snellen fractions after
// 视力/VA/OD/OS (6/12), simple fractions (1/2, 2/3 片), ranges (10-12
// mmHg), decimals (钾4.22), durations (视物模糊3月, 3月前, 3月来). Recognised
// and replaced by the tag (no year to shift them by).

// fractionCues before M/D make it a fraction, not a date: Snellen acuities
// (视力 6/12), perimetry reliability (固视丢失 1/15), scores (CAS 4/7,
// 评分), ratios and strengths (信号强度 7/10).
var fractionCues = []string{"视力", "VA", "VOD", "VOS", "OD", "OS", "OU", "矫正", "Snellen", "远视", "近视", "小孔",
	"固视丢失", "丢失", "假阳性", "假阴性", "评分", "CAS", "分级", "得分", "强度", "比值", "比例", "杯盘比", "C/D", "占", "约"}

// fractionUnits after M/D make it a fraction (1/2片, 2/3象限).
const fractionUnits = "片量个处象视周圈瓶支粒次倍格杯碗斤升张份条根"

// dayEvents follow a day written M.D directly (4.25行…, 1.22电话回访).
var dayEvents = []string{"上午", "下午", "晚上", "行", "玻璃体", "注射", "注药", "电话", "回访", "复验", "复查", "复诊", "随访", "入院", "出院", "手术", "就诊", "来院", "门诊", "住院", "抽血", "筛查", "初戴", "再拨", "激光"}

// monthEvents follow a month that names when something happened (2月筛查发现,
// 3月县医院手术); 来, 前, 后, 余 and 内 make it a duration and are not here.
var monthEvents = []string{"复查", "复诊", "筛查", "抽", "就诊", "住院", "手术", "去", "到", "回", "在", "因", "县", "镇", "市", "旗", "省", "未", "开始", "起", "发现", "出现", "行", "做", "打", "注射", "随访", "体检", "年度", "门诊", "再", "照", "查"}

// dateListSeps may stand between the days of a series; the days of one
// series share their separator (3/5、4/18) unless circled numbers or arrows
// mark the items (① 3.5 ② 3-20), so a date in a CSV row does not make the
// next column's 7.2 a day.
const dateListSeps = " 、→~＞>①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳()"

func proseDates(d *doc, out []Span) []Span {
	rs := d.runes
	for i := 0; i < len(rs); i++ {
		if !isDigit(rs[i]) || i > 0 && (isAlnum(rs[i-1]) || strings.ContainsRune("./-:", rs[i-1])) {
			continue
		}
		if e := proseShortDateAt(d, i); e > 0 {
			out = append(out, Span{Start: i, End: e, Label: Date, Score: 0.8, Recognizer: "date"})
			i = e - 1
			continue
		}
		if e := dayOfMonthAt(rs, i); e > 0 {
			out = append(out, Span{Start: i, End: e, Label: Date, Score: 0.8, Recognizer: "date"})
			i = e - 1
			continue
		}
		if e := eventMonthAt(rs, i); e > 0 {
			out = append(out, Span{Start: i, End: e, Label: Date, Score: 0.8, Recognizer: "date"})
			i = e - 1
		}
	}
	return out
}

// proseShortDateAt matches a short date in running text at i (see the file
// comment) and returns its end, or 0.
func proseShortDateAt(d *doc, i int) int {
	rs := d.runes
	md, ok := monthDayAt(rs, i)
	e := md.end
	if !ok || e < len(rs) && (isAlnum(rs[e]) || strings.ContainsRune("./-:%", rs[e])) {
		return 0
	}
	switch md.sep {
	case '/':
		if d.cueBefore(i, 6, fractionCues) || md.m < md.d && md.d <= 4 || e < len(rs) && strings.ContainsRune(fractionUnits, rs[e]) || cellStart(rs, i) {
			return 0
		}
		return e
	case '-':
		// zero-padded: 06-11, 10-05 (ranges are not padded)
		if md.mn == 2 && md.dn == 2 && (rs[i] == '0' || rs[i+3] == '0') {
			return e
		}
	case '.':
		if (i == 0 || strings.ContainsRune("，,、；;（(：: \n)）", rs[i-1])) && (hasRunesAt(rs, e, dayEvents) || hasRunesAt(rs, skipSpaces(rs, e), []string{"上午", "下午", "晚上"})) {
			return e
		}
	}
	return 0
}

// cellStart reports whether rs[i] opens a table cell ('|' and spaces
// before it): table cells are dates by their column (tableColumns).
func cellStart(rs []rune, i int) bool {
	k := i - 1
	for k >= 0 && rs[k] == ' ' {
		k--
	}
	return k >= 0 && rs[k] == '|'
}

// eventMonthAt matches a month before an event at a clause start (2月筛查发现)
// and returns its end, or 0. Not after 、: a list of months is monthListAt's,
// and 出院后1周、1月门诊复查 counts durations.
func eventMonthAt(rs []rune, i int) int {
	if i > 0 && !strings.ContainsRune("，,；;（(：: \n。于在从自到至", rs[i-1]) && !(i >= 2 && rs[i-2] == '预' && rs[i-1] == '约') {
		return 0 // (预约3月: booked for March; 约3月 alone is about three months)
	}
	return numberUnitBefore(rs, i, 12, '月', monthEvents)
}

// numberUnitBefore matches a number from 1 to max and its unit at i (3月,
// 15号) followed by one of words, and returns the end after the unit, or 0.
func numberUnitBefore(rs []rune, i, max int, unit rune, words []string) int {
	v, n := digitsAt(rs, i, 3)
	e := i + n
	if n == 0 || n > 2 || v < 1 || v > max || e >= len(rs) || rs[e] != unit || !hasRunesAt(rs, e+1, words) {
		return 0
	}
	return e + 1
}

// dayNumberFollowers follow a day of the month written N号 (15号上午, 改到15号吗,
// 9号来拆线); a building, bed or line number (3号楼, 15号床) is not followed
// by them.
var dayNumberFollowers = []string{"上午", "下午", "晚上", "早上", "中午", "来", "去", "复查", "复诊", "手术", "拆线", "吗", "前", "之前", "之后", "那天", "当天", "以后", "再"}

// dayOfMonthAt matches a day of the month written N号 at i and returns its
// end, or 0.
func dayOfMonthAt(rs []rune, i int) int {
	if i > 0 && (isHan(rs[i-1]) && !strings.ContainsRune("到在于是改约等从至", rs[i-1]) || isAlnum(rs[i-1])) {
		return 0
	}
	return numberUnitBefore(rs, i, 31, '号', dayNumberFollowers)
}

// dateSeries extends each date found over the days that follow it in a
// series (① 3.5 ② 3-20 ③ 4/18; 2025.05.28初戴 → 06.25 → 08.20): after up to
// four separators (spaces, 、, arrows, circled numbers), a short date.
func dateSeries(d *doc, out []Span) []Span {
	rs := d.runes
	n := len(out)
	for k := 0; k < n; k++ {
		if out[k].Label != Date {
			continue
		}
		e := out[k].End
		for {
			j := e
			for j < len(rs) && j-e < 4 && strings.ContainsRune(dateListSeps, rs[j]) {
				j++
			}
			if j < len(rs) && !isDigit(rs[j]) {
				// a word between the days of an arrowed series: 2025.05.28初戴 → 06.25
				a := j
				for a < len(rs) && a-e < 8 && (isHan(rs[a]) || rs[a] == ' ') {
					a++
				}
				if a < len(rs) && (rs[a] == '→' || rs[a] == '>' || rs[a] == '＞') {
					j = a
					for j < len(rs) && j-a < 4 && strings.ContainsRune(dateListSeps, rs[j]) {
						j++
					}
				}
			}
			if j == e || j >= len(rs) || !isDigit(rs[j]) {
				break
			}
			de := shortNumericDateAt(rs, j)
			if de == 0 {
				de = seriesDayAt(rs, j)
			}
			if de == 0 || !marked(rs[e:j]) && dateSep(rs[out[k].Start:e]) != dateSep(rs[j:de]) {
				break
			}
			out = append(out, Span{Start: j, End: de, Label: Date, Score: 0.8, Recognizer: "date"})
			e = de
		}
	}
	return out
}

// seriesDayAt matches MM.DD with a unit-free end inside a series (06.25): the
// same as shortNumericDateAt but allowing what follows to be a Chinese
// character (06.25初戴).
func seriesDayAt(rs []rune, i int) int {
	md, ok := monthDayAt(rs, i)
	if e := md.end; !ok || md.sep != '.' || md.mn != 2 || md.dn != 2 || e < len(rs) && (isAlnum(rs[e]) || rs[e] == '.') {
		return 0
	}
	return md.end
}

// marked reports whether a gap between two days holds an item mark (a
// circled number or an arrow).
func marked(gap []rune) bool {
	for _, r := range gap {
		if r >= '①' && r <= '⑳' || r == '→' || r == '>' || r == '＞' {
			return true
		}
	}
	return false
}

// dateSep returns the last separator of a date written in digits (., /, -),
// or 0 for 年月日 forms.
func dateSep(rs []rune) rune {
	for k := len(rs) - 1; k >= 0; k-- {
		if rs[k] == '.' || rs[k] == '/' || rs[k] == '-' {
			return rs[k]
		}
	}
	return 0
}
