package deid

import "strings"

// Festival and solar-term dates: a named festival pins a calendar day of the
// patient's history (去年国庆节后出现视物模糊, 春节回老家, 除夕夜被烟花炸伤), as
// does a year's end or start (2023年底) and a lunar month (去年腊月). They
// are recognised and replaced by the tag (a festival cannot be shifted by
// days). The span takes a relative or written year before the name (今年,
// 去年, 2023年, 23年) and the name's 节; 前, 后, 期间 after it stay outside.
//
// Names that are also given names or words (国庆, 谷雨, 白露, 小满, 五一路,
// 吃元宵) count only with a year before them or a date word after them
// (期间, 假期, 前后, 当天, 那天, 夜, 节, 前, 后 but not 前来 or 后来).

// festivals always name a date.
var festivals = []string{
	"春节", "元旦", "元宵节", "清明节", "端午节", "端午", "中秋节", "中秋", "国庆节", "重阳节",
	"七夕节", "中元节", "腊八节", "除夕", "大年夜", "小年夜", "平安夜", "圣诞节", "圣诞",
	"劳动节", "妇女节", "儿童节", "教师节", "情人节", "冬至", "春节假期",
	"三八节", "母亲节", "父亲节", "建军节", "万圣节", "感恩节", "双十一", "双十二",
	"开斋节", "古尔邦节", "泼水节", "火把节", "那达慕", "跨年夜", "藏历新年", "三月三",
}

// ambiguousFestivals name a date only in a date context.
var ambiguousFestivals = []string{
	"国庆", "五一", "元宵", "清明", "七夕", "重阳", "小年", "腊八", "十一",
	"立春", "雨水", "惊蛰", "春分", "谷雨", "立夏", "小满", "芒种", "夏至", "小暑", "大暑",
	"立秋", "处暑", "白露", "秋分", "寒露", "霜降", "立冬", "小雪", "大雪", "小寒", "大寒",
}

// festivalSuffixes after an ambiguous name make it a date (longest first
// where one is a prefix of another): date words, and what people do on a
// festival (清明上坟, 五一去赣州, 重阳回老家).
var festivalSuffixes = append(holidaySuffixes, "前后", "当天", "那天", "当日", "当晚", "左右", "节", "夜", "前", "后",
	"上坟", "扫墓", "祭祖", "放假", "回老家", "走亲戚", "吃月饼")

// holidaySuffixes make even 十一 a date (十一假期, 十一期间; not 十一天).
var holidaySuffixes = []string{"小长假", "长假", "假期", "黄金周", "期间"}

// lunarMonths name a month of the lunar calendar (去年腊月, 冬月).
var lunarMonths = []string{"正月", "腊月", "冬月"}

// yearParts after a written year make it a date of the year's start or end.
var yearParts = []string{"年底", "年初", "年末", "年中", "年尾"}

func festivalDates(d *doc, out []Span) []Span {
	rs := d.runes
	for i := 0; i < len(rs); i++ {
		if !festivalStarts[rs[i]] {
			continue
		}
		s := yearBefore(rs, i)
		if e := longestAt(rs, i, yearParts); e > 0 && i > 0 && isDigit(rs[i-1]) && longestAt(rs, i+1, festivals) == 0 {
			// 2023年底, 23年初: the digits are a year (written years only)
			if ys := writtenYearStart(rs, i); ys >= 0 {
				out = append(out, Span{Start: ys, End: e, Label: Date, Score: 0.9, Recognizer: "date"})
				i = e - 1
				continue
			}
		}
		e := longestAt(rs, i, festivals)
		fixed := e > 0 // an unambiguous festival name
		if e == 0 {
			e = longestAt(rs, i, lunarMonths)
			if e > 0 && strings.ContainsRune("初二十廿", d.at(e)) {
				e = 0 // 正月初四, 腊月二十三: monthDates takes the day
			}
		}
		if e == 0 {
			if ae := longestAt(rs, i, ambiguousFestivals); ae > 0 && (s < i || festivalSuffixAt(rs, ae) || bracketAfterDate(rs, i, ae)) {
				if rs[i] != '十' || s < i || hasRunesAt(rs, ae, holidaySuffixes) {
					e = ae
				}
			}
		}
		if e == 0 || i > 0 && isHan(rs[i-1]) && s == i && !festivalBoundary(rs[i-1]) && !(fixed && festivalAfterWord(rs, i, e)) {
			continue
		}
		if d.at(e) == '节' {
			e++
		}
		out = append(out, Span{Start: s, End: e, Label: Date, Score: 0.9, Recognizer: "date"})
		i = e - 1
	}
	return out
}

// festivalBoundary reports whether a festival name may follow r directly
// when no year precedes it: after punctuation, digits (3月8日妇女节), and
// words that introduce a time (于, 在, 自, 从, 至, 到, 今, 诉, 称, 因为, 是)
// and a lunar day (腊月二十三小年).
func festivalBoundary(r rune) bool {
	return strings.ContainsRune("于在自从至到今诉述称说讲为因是日号起逢每过等值近和及或与的"+cnDigits+"十廿初", r)
}

// festivalAfterWord reports whether an unambiguous festival name at
// [i, e) after a Chinese character still names the day (自述元旦聚餐, 女儿称春节后,
// 今冬至今): not where the name runs on into a word (冬至今 is 冬 + 至今).
func festivalAfterWord(rs []rune, i, e int) bool {
	return !(rs[e-1] == '至' && e < len(rs) && strings.ContainsRune("今此", rs[e]))
}

// bracketAfterDate reports whether the festival name at [i, e) stands in
// brackets right after a date (腊月二十三（小年）, 10月1日（国庆）).
func bracketAfterDate(rs []rune, i, e int) bool {
	return i >= 2 && rs[i-1] == '(' && e < len(rs) && rs[e] == ')' &&
		(strings.ContainsRune("日号月初", rs[i-2]) || cnNumeral(rs[i-2]) || isDigit(rs[i-2]))
}

// festivalSuffixAt reports whether a date word follows at i (not 前来, 后来).
func festivalSuffixAt(rs []rune, i int) bool {
	if hasRunesAt(rs, i, []string{"前来", "前往", "后来"}) {
		return false
	}
	return longestAt(rs, i, festivalSuffixes) > 0
}

// yearBefore returns where a relative (今年) or written (2023年, 23年) year
// ending just before i starts, or i when there is none.
func yearBefore(rs []rune, i int) int {
	if i >= 2 && hasRunesAt(rs, i-2, relYears) {
		return i - 2
	}
	if i >= 1 && rs[i-1] == '年' {
		if s := writtenYearStart(rs, i-1); s >= 0 {
			return s
		}
	}
	return i
}

// writtenYearStart returns where the digits of a year ending at 年 (index y)
// start: four digits, or two (23年) not after a word that makes them a
// duration (病史23年, 约10年); -1 when there are none.
func writtenYearStart(rs []rune, y int) int {
	n := 0
	for y-n-1 >= 0 && isDigit(rs[y-n-1]) {
		n++
	}
	s := y - n
	switch {
	case n == 4:
		return s
	case n == 2 && (s == 0 || !strings.ContainsRune("约近已余第共达病史患有龄.", rs[s-1])):
		return s
	}
	return -1
}

// longestAt returns the end of the longest of words at i, or 0.
func longestAt(rs []rune, i int, words []string) int {
	best := 0
	for _, w := range words {
		if n := runesAt(rs, i, w); n > best {
			best = n
		}
	}
	if best == 0 {
		return 0
	}
	return i + best
}

// festivalStarts are the first characters of every word the festival
// recognizer looks for at a position: any other character is skipped at
// once.
var festivalStarts = func() map[rune]bool {
	m := map[rune]bool{}
	for _, list := range [][]string{festivals, ambiguousFestivals, lunarMonths, yearParts} {
		for _, w := range list {
			for _, r := range w {
				m[r] = true
				break
			}
		}
	}
	return m
}()
