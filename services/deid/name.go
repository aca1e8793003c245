package deid

import (
	"bufio"
	"bytes"
	"strings"
	"unicode/utf8"

	deidlists "bingli/models/deid"
)

// nameRecognizer finds person names (patients, relatives, clinicians):
//
//   - after a cue (患者、姓名、家属、其子、主治医师、医师：、签名、护士 ...),
//     including lists (术者：王明、李华);
//   - without a cue: a surname+given name followed by 男/女 or "，65岁";
//     before a title (王明医师, 张主任); alone in a signature line;
//   - every further occurrence of a name already found in the note.
//
// Candidates are a single or compound surname from the embedded gazetteer
// plus one or two given-name characters. Clinical words that begin with a
// surname (张力, 高血压, 霍纳综合征, 王氏..., 马凡综合征) are refused by a
// stoplist and by characters that never occur in given names.
type nameRecognizer struct {
	single   map[rune]int // surname -> frequency rank (0 = most common)
	compound map[string]bool
}

func (nameRecognizer) Name() string      { return "name" }
func (nameRecognizer) Labels() []string  { return []string{Name} }
func (nameRecognizer) Context() []string { return nil }

// commonRank: surnames ranked below this may start a name without a cue.
const commonRank = 400

// notSurname are list entries that are far more often ordinary words.
const notSurname = "有是自主中上所及行可能同从对其但由将来日月年如若本次只要业部院术无不第那过见经相应前后左右双单多全平正长立力信疗药理合加好开化回通位首生清德性天光书先学样点眼西东南北外内小大低"

// hardStop characters end a name: function words, clinical words, titles.
const hardStop = "，。；;,.:：、!！?？()（）[]【】\"'“”‘’ \t\n\r/\\-_0123456789" +
	"眼诉因于男女岁在以来行术诊查病症痛的了是有无及和与为被已曾自今昨入出主双左右视经患至到从向由等医护签记日月年号时住门急科院或并伴再复后前" +
	"之其某氏等性侧部位处给予用服滴注次天周分秒型级度量值率剂片液针素酸钠钾糖脂膜体征史检治疗访计划审核录书写陪同代述者属亲夫妻子母父儿姐妹兄弟孙诊断" +
	"我你他她它们"

// clinicalChars are refused as given-name characters in rules without a cue.
const clinicalChars = "血压力障斑炎瘤癌肿镜球晶角结网黄白绿蓝紫黑灰常规见显程重轻微好转稳定正常异水房前中外内上下高低多少全半变形状态情况意识精神食睡眠便肢颅脑心肺肝肾脾胃肠骨关节皮肤黏膜淋巴腺"

// clinicalWords begin with a surname character but are not names.
var clinicalWords = map[string]bool{}

func init() {
	for _, w := range strings.Fields(`张力 高血压 高眼压 高度 高血糖 高血脂 高龄 白内障 白细胞 白天 黄斑 黄斑区 黄斑部 黄疸 王氏 霍纳 霍纳综合征 马凡 马凡综合征 马方 石斑 金属 金黄 金霉素 钱币 毛细 毛囊 毛发 周边 周围 周期 周后 方案 方法 方向 常规 常见 康复 康柏西普 安静 安全 安眠 齐全 包括 包扎 甘露醇 甘油 花粉 沙眼 雷珠单抗 阿托品 阿司匹林 林可霉素 于是 何时 全身 全麻 程度 程序 时间 温度 施行 文化 万古霉素 钟表 计划 计数 随访 复查 查体 查房 查看 关注 关于 关系 关节 谷丙 贝伐 向上 向下 卡替洛尔 卡波姆 毕业 单纯 曲安奈德 曲伏前列素 艾司 艾滋 尤其 应用 那么 苗条 易感 易于 明确 明显 宁可 原因 原发 原则 容易 解除 解剖 解释 房水 房角 房颤 水肿 严重 严格 陆续 牛奶 司机 冷敷 冷冻 雷诺 印象 门诊病历 申请科室 葛根 柏拉图 季节 简单 简易 简称 连续 连接 苗头 盛行 贾第 符合 华法林 鲍曼 罗红霉素 罗氏 强的松 强化 龙胆 龙眼 杜仲 路径 游离 曾经 管理 舒张 舒适 柴胡 包含 祝愿 景深 党员 米索 巴氏 巴比妥 伊曲康唑 左氧氟沙星 左眼 右眼 双眼 甲状腺 甲钴胺 谢谢 任何 任意 申请 戴镜 戴眼镜 闻及 燕麦 秦皮 苏醒 苏州 章节 殷红 史料 牛黄 熊胆 卫生 冯氏 武汉 师傅 夏季 夏天 秋季 冬季 春季 温和 温水 田间 丁香 袁氏 骆驼 江湖 洪水 万一 于今 余下 余同前 叶黄素 蒲公英 魏氏 孔径 孙辈 麻醉 麻黄 车前 车祸 安排 成人 成功 成分 成年 晏 龚氏 石膏 石头 欧洲 司空见惯 乐观 单眼 单侧 和平 平素 平时 平扫 宫颈 宫内 郝 柯氏 霍乱 霍奇金 雷尼替丁 雷米普利 钟摆 闫 边缘 边界 尹 韦格纳 焦虑 焦点 焦距 房间 黎明 向日葵 景观 钱氏 时有 胡乱 林氏 祁 苗 芦荟 符号 米粒 苏木 陶土 卢戈 盖子 盛 晋 门诊 游泳 乔 索拉非尼 索他洛尔 伍德 洪亮 施氏 凌晨 梅毒 梅干 梅尼埃 席汉 秦 谷物 吉非替尼 吉西他滨 汤药 汤剂 姜黄 沈 花生 巩膜 蓝光 蓝色 黄色 白色 红色 青光眼 青霉素 金刚烷胺 牛痘 宋 龙 谭 傅 莫西沙星 莫 干眼 干燥 干扰素 从 利多卡因 利福平 利巴韦林 支架 支气管 丰富 和 敬 伏 晁 卓 相关 相对 相比 项目 邹 匡 冷 荆 屠 段 段落 单个 单一 单发 单独 单身 单亲 单核 单药 单用 单抗 单孔 单纯疱疹 单位 单元 晨起 晨僵 爱人 谈话 段时间 庞大 齐 连同 连 狄 井 原 强 国 国内 国外 习惯 危险 危害 慕 玉米 银屑 银杏 宿 鲜红 鲜血 戈 浦 普通 普遍 普拉洛芬 芮 全部 全天 全程 阳性 阳光 保持 保护 保守 宝宝 暴露 福 怀疑 怀孕 回声 回忆 双侧 春 德 东莨菪碱 南瓜 北 西药 西医 中医 中药 中央 中心 上述 上方 下方 左侧 右侧 元 文字 可见 可能 可疑 能 余 乐 和缓 包块 米 田 周 吴茱萸 家庭 接班 交班 值班 带教 实习 进修 责任 主管 管床 床位 仰卧 俯卧 侧卧 余窥 余未 余无 余同 余均 余可 余正常 余项 余部 屈光 屈光度 屈光手术 安返 车间 兰老 红十字 红十字会 当天 每天`) {
		if runeLen(w) >= 2 { // single characters are surnames, never stop words
			clinicalWords[w] = true
		}
	}
}

// nameCues precede a person's name.
var nameCues = []string{
	"病史陈述者", "医师签名", "医生签名", "护士签名", "副主任医师", "主任医师", "主治医师", "主治医生", "住院医师", "主管医师", "经治医师", "上级医师",
	"检查医师", "报告医师", "会诊医师", "麻醉医师", "责任护士", "主管护士", "签署人", "委托人", "授权人", "监护人", "联系人", "陪同人", "代诉人", "陈述者",
	"记录者", "记录人", "审核者", "审核人", "检查者", "报告人", "操作者", "书写者", "验光师", "麻醉师", "护士长",
	"主诊医师", "值班医师", "其孙女", "主诊", "其孙", "之孙", "其母", "其父", "其兄", "其弟", "其姐", "其妹", "儿媳", "女婿", "孙子", "孙女", "患者", "患儿", "病人", "姓名", "家属", "其子", "其女", "之子", "之女", "其妻", "其夫", "丈夫", "妻子", "儿子", "女儿", "母亲", "父亲", "配偶", "陪同",
	"爱人", "老伴", "次女", "长女", "长子", "次子", "舅舅", "大舅", "二舅", "小舅", "舅妈", "姑姑", "姑父", "姑妈", "叔叔", "伯父", "叔父", "婶婶", "姨妈", "姨父",
	"表哥", "表姐", "表弟", "表妹", "堂哥", "堂姐", "堂弟", "堂妹", "继父", "继母", "岳父", "岳母", "嫂子", "弟媳", "姐夫", "妹夫", "外孙女", "外孙", "侄子", "侄女", "外甥女", "外甥", "外婆", "外公", "奶奶", "爷爷", "姥姥", "姥爷", "哥哥", "姐姐", "弟弟", "妹妹", "代诉",
	"医师", "医生", "签名", "签字", "护士", "审核", "复核", "术者", "主刀", "助手", "一助", "二助", "Ⅰ助", "Ⅱ助", "Ⅲ助", "录入", "技师", "记录", "老师", "患方",
	"筛查人员", "参加人员", "见证人", "经办人", "经办", "编码员", "一线", "二线", "三线", "交警", "民警", "司机", "经纪人", "社工", "同事",
	"同伴", "家长", "护工", "客服", "助理", "Dr.", "村医", "乡医", "病友", "实习生", "进修生", "保姆", "律师", "翻译", "邻居", "朋友", "同学", "汇报人", "主持人", "讨论人", "收件人", "户名", "开户名",
	"发件人", "发药", "配药", "调配", "核对", "上报", "上报人", "执行", "执行人", "随访人", "接诊", "审方", "负责人", "主治", "之妻", "之夫",
	"经治", "乳名", "小名", "昵称", "外号", "院长", "村长", "书记", "队长", "组长", "站长", "所长", "乡长", "镇长", "校长", "会计", "网格员", "村干部", "驻村",
}

// fieldStops are values of a name field that are not names (姓名：不详).
var fieldStops = map[string]bool{"同上": true, "不详": true, "本人": true, "患者": true, "家属": true, "拒签": true, "未签": true,
	"签字": true, "盖章": true, "见上": true, "同前": true, "患者本人": true, "无": true, "略": true}

// kinship characters after 之 (之子, 之女, 之妻, 之母 ...).
const kinship = "子女妻夫母父孙兄弟姐妹"

var titles = []string{"副主任医师", "主任医师", "主治医师", "住院医师", "进修医师", "实习医师", "副主任", "副教授", "护士长", "营养师", "治疗师", "康复师", "验光师", "药师",
	"医师", "医生", "护士", "主任", "教授", "大夫", "老师", "先生", "女士", "院长", "同志", "阿姨", "师傅", "同学"}

var (
	nameCueMatcher = newCueMatcher(nameCues)
	titleMatcher   = newCueMatcher(titles)
)

func newNameRecognizer() nameRecognizer {
	n := nameRecognizer{single: map[rune]int{}, compound: map[string]bool{}}
	data, err := deidlists.FS.ReadFile("surnames.tsv")
	if err != nil {
		panic("deid: embedded surnames.tsv missing")
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Scan()
	rank := 0
	for sc.Scan() {
		f := strings.Split(sc.Text(), "\t")
		if len(f) < 2 {
			continue
		}
		rs := []rune(f[0])
		switch {
		case len(rs) == 2:
			n.compound[f[0]] = true
		case len(rs) == 1 && !strings.ContainsRune(notSurname, rs[0]):
			if _, ok := n.single[rs[0]]; !ok {
				n.single[rs[0]] = rank
			}
			rank++
		}
	}
	return n
}

// cueOnlySurnames are real surnames left out of the gazetteer use because
// they are more often ordinary words (单眼, 单侧): they start a name only
// right after a cue (姓名：单庆德, 其妻单晨雨).
const cueOnlySurnames = "单左"

// bodyParts follow 左 in ordinary text (左上肢, 左耳): never a given name
// after a cue-only surname.
const bodyParts = "上下中内外眼耳鼻口唇舌牙齿手足脚腿膝臂肘腕肩腰腹胸背颈面额颞枕顶头脸颊眉睑肋髋臀乳肺肾心肝脾"

// patientCues are followed by running text (患者左眼…) as often as by a name:
// after them a cue-only surname starts a name only when the demographics
// follow (患者左强力，男，40岁).
var patientCues = map[string]bool{"患者": true, "患儿": true, "病人": true, "患方": true}

// softStops are hardStop characters that are also common first characters
// of two-character given names (子涵, 天佑, 素芬): allowed there when
// another given-name character follows.
const softStops = "子天素"

// surnameAt returns the surname length at i (0, 1 or 2) and whether it is common.
func (nr nameRecognizer) surnameAt(d *doc, i int) (int, bool) {
	if i+1 < len(d.runes) && nr.compound[d.slice(i, i+2)] {
		return 2, true
	}
	if r, ok := nr.single[d.at(i)]; ok {
		return 1, r < commonRank
	}
	return 0, false
}

// givenMonth reports whether 月 at j ends a given name (武新月, 明月) rather
// than starting a word (月经, 月余, 月后).
func givenMonth(d *doc, j int) bool {
	return d.at(j) == '月' && !strings.ContainsRune("经份余后前内底初末中", d.at(j+1)) && !isDigit(d.at(j-1))
}

// givenChar reports whether r may be a given-name character.
func givenChar(r rune, strict bool) bool {
	return isHan(r) && !strings.ContainsRune(hardStop, r) && !(strict && strings.ContainsRune(clinicalChars, r))
}

// candidate returns the end of a name starting at i, or 0. strict (no cue)
// also refuses clinical characters and rare surnames.
func (nr nameRecognizer) candidate(d *doc, i int, strict bool) int {
	sl, common := nr.surnameAt(d, i)
	cueOnly := false
	if sl == 0 && !strict && strings.ContainsRune(cueOnlySurnames, d.at(i)) {
		sl, cueOnly = 1, true
	}
	if sl == 0 || strict && !common {
		return 0
	}
	j := i + sl
	g := 0
	for g < 2 && j < len(d.runes) {
		r := d.runes[j]
		if !givenChar(r, strict) || cueOnly && strings.ContainsRune(bodyParts, r) {
			soft := g == 0 && strings.ContainsRune(softStops, r) && givenChar(d.at(j+1), true)
			// after a cue a one-character given name may be 子 (其夫周子 电话)
			lastZi := !strict && g == 0 && r == '子' && !isHan(d.at(j+1))
			// after a cue, 天/素 may end a two-character name (交警蓝天，), and
			// 来 ends one (家属侯春来陪护, 张福来，) where a name ends
			if !strict && g == 0 && strings.ContainsRune(softStops, r) && !isHan(d.at(j+1)) && !generalWords()[d.slice(i, j+1)] ||
				g == 1 && r == '来' && (!isHan(d.at(j+1)) || !strict && hasWordAt(d, j+1, nameFollowers) > hasWordAt(d, j+1, []string{"在", "称", "诉", "说", "已", "也", "均", "来", "到"})) {
				lastZi = true
			}
			// 妹 after 小/阿 ends a given name (葛小妹, 杨阿妹)
			mei := g == 1 && r == '妹' && strings.ContainsRune("小阿", d.runes[j-1])
			// 月 may start a given name (郑月娥, 其夫冷月，, 住院医师冷月行…) but not a word (月经, 满月后)
			month := g == 0 && givenMonth(d, j) && (givenChar(d.at(j+1), true) || !strict && (!isHan(d.at(j+1)) || d.at(j+1) == '行' || hasWordAt(d, j+1, nameFollowers) > 0))
			if !soft && !lastZi && !mei && !month && !(g > 0 && givenMonth(d, j)) {
				break
			}
		}
		j++
		g++
	}
	if g == 0 {
		return 0
	}
	// refuse a candidate lying inside a clinical word (张力, 高血压, 黄斑区)
	for l := 6; l >= j-i && l >= 2; l-- {
		if clinicalWords[d.slice(i, i+l)] {
			return 0
		}
	}
	return j
}

// demographicsAt reports whether sex or age follows a name ending at e:
// 张伟，男 / 张伟 女 / 张伟男性 / 张伟，65岁.
func demographicsAt(d *doc, e int) bool {
	k := e
	if d.at(k) == ',' || d.at(k) == '，' {
		k++
	}
	for n := 0; n < 3 && (d.at(k) == ' ' || d.at(k) == '\t'); n++ {
		k++ // table columns: 吐尔洪江　男　60岁
	}
	if r := d.at(k); r == '男' || r == '女' {
		return !isHan(d.at(k+1)) || d.at(k+1) == '性'
	}
	return k > e && isDigit(d.at(k)) && (d.at(k+1) == '岁' || d.at(k+2) == '岁')
}

// boundaryBefore reports whether a name may start at i without a cue.
func boundaryBefore(d *doc, i int) bool {
	if i == 0 {
		return true
	}
	r := d.runes[i-1]
	return !isHan(r) && !isAlnum(r) || strings.ContainsRune("由经请与和及被向给找据同", r)
}

func (nr nameRecognizer) find(d *doc, out []Span) []Span {
	out = nr.findIn(d, out)
	// letter-spaced text (姓 名：王 建 国, as OCR and some forms write it): read
	// again without single spaces where three Chinese characters stand one
	// space apart; a name that crosses a space is new
	return rereadCompact(d, out, func(rs []rune, i int) bool {
		return isHan(rs[i-1]) && isHan(rs[i+1]) && (i+3 < len(rs) && rs[i+2] == ' ' && isHan(rs[i+3]) || i >= 3 && rs[i-2] == ' ' && isHan(rs[i-3]))
	}, nr.findIn)
}

func (nr nameRecognizer) findIn(d *doc, out []Span) []Span {
	start := len(out)
	// 1. cues
	nameCueMatcher.each(d, func(w, _, ce int) {
		i := d.skipSep(ce, 3)
		if d.at(i) == '(' { // 见证人（护士）：区伟明
			if k := strings.IndexRune(d.slice(i, i+8), ')'); k > 0 {
				i = d.skipSep(i+utf8.RuneCountInString(d.slice(i, i+8)[:k])+1, 3)
			}
		}
		// 联系人及电话：, 联系人姓名： (a longer form label)
		if k := hasWordAt(d, i, cueLabelTails); k > 0 {
			i = d.skipSep(k, 3)
		}
		field := strings.ContainsAny(d.slice(ce, i), ":：")
		for n := 0; n < 4; n++ {
			// a kinship word between the cue and the name: 联系人：孙子 骆振兴
			if k := hasWordAt(d, i, kinWords); k > 0 && (d.at(k) == ' ' || d.at(k) == '：' || d.at(k) == ':') {
				i = d.skipSep(k, 3)
			}
			e := nr.candidate(d, i, false)
			if pe := nr.paddedName(d, i); pe > 0 {
				e = pe // 手术医师：李  明 (a two-character name padded to three)
			}
			if field && hasWordAt(d, i, nameCues) == 0 {
				if fe := nr.fieldValue(d, i); fe > e {
					e = fe // 医师：温和, 二线：东方煜, 经办：舒畅
				}
			}
			if !patientCues[nameCues[w]] && (e == 0 || !nameEndAt(d, e)) {
				// a name without a gazetteer surname, or longer than the
				// gazetteer reading, that ends where a name ends (其父吉克阿木不识字,
				// 村医边巴次仁陪同, 儿子平措在外地工作)
				if fe := freeNameAt(d, i); fe > e && (e == 0 || !wordStartsIn(d, e, fe)) {
					e = fe
				}
			}
			if e == 0 {
				// a name without a gazetteer surname, with sex or age after it (扎西顿珠，男，28岁)
				if fe := plainName(d, i); fe > 0 && demographicsAt(d, fe) {
					e = fe
				} else {
					break
				}
			}
			if patientCues[nameCues[w]] && strings.ContainsRune(cueOnlySurnames, d.at(i)) && !demographicsAt(d, e) {
				break
			}
			if nameLikeWords()[d.slice(i, i+2)] && strings.ContainsRune("省市县区州", d.at(i+2)) {
				break // 见证人：甘肃省红十字会 (a province, not 甘肃省)
			}
			// 家属商议后, 患者考虑后, 患者镇静状态: a verb or adjective starts the clause
			// (社工甘露协助, 其女揭晓兰（…）: a name all the same when it ends
			// where a name ends)
			if !field && e-i == 3 && (verbWords()[d.slice(i, i+2)] && hasWordAt(d, i+2, nameFollowers) > 0 || hasWordAt(d, i+2, nameFollowers) > i+3) {
				e = i + 2 // 客服宁静回复: a two-character follower after a two-character name
			}
			if proseCues[nameCues[w]] && !field && (!demographicsAt(d, e) && proseNotName(d, i, e) || prepClause(d, i, e)) {
				break // 患者职业为…, 患者汉语交流, 患者留固定电话, 家属商议后
			}
			if n > 0 && (nameInWord(d, i, e) && !nameEndAt(d, e) || hasWordAt(d, i, notNameHeads) > 0) {
				break // 儿子钟汉文 香港居住, 父亲：储建，身份证号…: not a second name
			}
			rare := true
			if r, ok := nr.single[d.at(i)]; ok && r < commonRank || nr.compound[d.slice(i, i+2)] {
				rare = false
			}
			if (!field || rare) && verbWords()[d.slice(i, i+2)] && !demographicsAt(d, e) &&
				!(e-i == 2 && hasWordAt(d, e, nameFollowers) > 0) && !(e-i >= 3 && nameEndAt(d, e)) {
				break
			}
			out = append(out, Span{Start: i, End: e, Label: Name, Score: 0.9, Recognizer: "name"})
			// lists: 王明、李华 / 王明 李华 / 王明主任医师、李华副主任医师
			k := e
			if t := hasWordAt(d, k, listTitles); t > 0 {
				k = t
			}
			if r := d.at(k); r == '、' || r == '/' || r == ',' || r == '，' && field || r == ' ' && isHan(d.at(k+1)) {
				i = d.skipSep(k+1, 3)
				continue
			}
			break
		}
	})
	out = nr.fieldLabels(d, out)
	out = nr.staffNames(d, out)
	out = nr.bedNames(d, out)
	out = dottedNames(d, out)
	out = latinNames(d, out)
	rs := d.runes
	for i := 0; i < len(rs); i++ {
		if !isHan(rs[i]) || !boundaryBefore(d, i) {
			continue
		}
		e := nr.candidate(d, i, true)
		if e > 0 && !demographicsAt(d, e) && lineHead(d, i) {
			// 01 沙马伍各 男 71: a longer name than the gazetteer reading
			if pe := plainName(d, i); pe > e && demographicsAt(d, pe) && !isHan(d.at(pe)) {
				e = pe
			}
		}
		if e == 0 && lineHead(d, i) {
			// a name heading its line (after a row number or a time) with sex or age, without a gazetteer surname (扎西顿珠，男，28岁)
			if pe := plainName(d, i); pe > 0 && demographicsAt(d, pe) && !isHan(d.at(pe)) {
				e = pe // the sex or age set off (not 外科治疗女性患者)
			}
		}
		if e == 0 && strings.ContainsRune(cueOnlySurnames, rs[i]) {
			// 单丽娜 女 52, 余晓峰，女，36岁; 左国华 alone on its line (a signature)
			if e = nr.candidate(d, i, false); e > 0 && !demographicsAt(d, e) && !(e-i == 3 && lineStartAt(d, i) && lineEndAt(d, e)) {
				e = 0
			}
		}
		if e == 0 {
			continue
		}
		k := e
		if d.at(k) == ',' || d.at(k) == '，' || d.at(k) == ' ' {
			k++
		}
		switch {
		// 2. demographics: 张伟，男 / 张伟 女 / 张伟，65岁 / 张伟之子
		case demographicsAt(d, e),
			// the subject of 诉 at the start of a clause: 党红军诉单位…
			d.at(e) == '诉' && e-i >= 2,
			// a relative named by kinship: 陶素芬之子, 王明之妻
			k == e && d.at(e) == '之' && strings.ContainsRune(kinship, d.at(e+1)),
			// the person themself: 与石海燕本人沟通
			e-i >= 2 && d.slice(e, e+2) == "本人":
			out = append(out, Span{Start: i, End: e, Label: Name, Score: 0.85, Recognizer: "name"})
			i = e - 1
		// 3a. a name heading its line: "郭宏伟 右眼LASIK术后"
		case e-i >= 2 && (i == 0 || rs[i-1] == '\n') && d.at(e) == ' ' && d.at(e+1) != ' ':
			out = append(out, Span{Start: i, End: e, Label: Name, Score: 0.7, Recognizer: "name"})
			i = e - 1
		// 3. signature lines: the name alone between line/space boundaries
		case e-i >= 2 && (e == len(rs) || rs[e] == '\n' || rs[e] == '\r' || rs[e] == ' ' && (e+1 == len(rs) || rs[e+1] == ' ' || rs[e+1] == '\n' || isDigit(rs[e+1])) || isDigit(rs[e]) && (i == 0 || rs[i-1] == ' ' || rs[i-1] == '\n')) &&
			(i == 0 || rs[i-1] == '\n' || rs[i-1] == ' ' || rs[i-1] == '\t' || i >= 2 && rs[i-1] == '-' && rs[i-2] == '-'):
			out = append(out, Span{Start: i, End: e, Label: Name, Score: 0.7, Recognizer: "name"})
			i = e - 1
		}
	}
	// 4. titles: 王明医师, 张主任
	titleMatcher.each(d, func(_, ti, te int) {
		{
			for _, l := range []int{4, 3, 2, 1} {
				s := ti - l
				if s < 0 || l == 4 && !nr.compound[d.slice(s, s+2)] {
					continue
				}
				if l == 1 {
					if generalWords()[d.slice(s, te)] {
						continue // 班主任: a word, not surname + title
					}
					sl, common := nr.surnameAt(d, s)
					// 张主任 / 已告知郑医生 / 眼科 单主任; not 主管医生, 眼科主任
					ok := !strings.ContainsRune("科室部班院组处", d.at(s)) && sl == 1 && (common && boundaryLoose(d, s) || boundaryBefore(d, s) && !isHan(d.at(s-1))) ||
						sl == 0 && strings.ContainsRune(cueOnlySurnames, d.at(s)) && s > 0 && d.at(s-1) == ' '
					if ok {
						out = append(out, Span{Start: s, End: ti, Label: Name, Score: 0.75, Recognizer: "name"})
					}
					continue
				}
				if l == 2 && (verbWords()[d.slice(s, ti)] || d.at(s+1) == '老') {
					continue // 操作医师, 洗手护士: a role; 兰老先生: a courtesy, not a given name
				}
				if l <= 3 && d.at(s-1) == '科' && deptName(d, nr, s, ti) {
					// 外科江山医师: a name between a department and a title
					out = append(out, Span{Start: s, End: ti, Label: Name, Score: 0.8, Recognizer: "name"})
					break
				}
				if l >= 2 && d.at(ti-1) == ' ' && d.at(ti-2) != ' ' && s > 0 && nr.candidate(d, s-1, true) == ti-1 && boundaryBefore(d, s-1) && !nameInWord(d, s-1, ti-1) {
					// 兹证明 于海洋 同学: a name set off by a space before its title
					out = append(out, Span{Start: s - 1, End: ti - 1, Label: Name, Score: 0.8, Recognizer: "name"})
					break
				}
				if nr.candidate(d, s, l == 3) == ti && boundaryBefore(d, s) ||
					l <= 3 && nr.candidate(d, s, false) == ti && boundaryLoose(d, s) && !nameInWord(d, s, ti) {
					// 今日揭海燕主治医师查房 (a rare surname after a word)
					out = append(out, Span{Start: s, End: ti, Label: Name, Score: 0.8, Recognizer: "name"})
					break
				}
			}
		}
	})
	// 5. propagate: every other occurrence of a name found above
	seen := map[string]bool{}
	for _, s := range out[start:] {
		if s.End-s.Start >= 2 && s.Score >= 0.8 {
			seen[d.slice(s.Start, s.End)] = true
		}
	}
	return propagateNames(d, seen, 0.85, "name", out)
}

// propagateNames marks every occurrence in the note of the names found.
func propagateNames(d *doc, names map[string]bool, score float64, rec string, out []Span) []Span {
	for nm := range names {
		eachOccurrence(d, nm, func(i, e int) {
			out = append(out, Span{Start: i, End: e, Label: Name, Score: score, Recognizer: rec})
		})
	}
	return out
}

// eachOccurrence calls fn with the code-point span of every occurrence of s
// in the note.
func eachOccurrence(d *doc, s string, fn func(i, e int)) {
	off := 0
	for {
		k := strings.Index(d.norm[off:], s)
		if k < 0 {
			return
		}
		b := off + k
		off = b + len(s)
		fn(int(d.rOff[b]), int(d.rOff[off]))
	}
}

// kinWords may stand between a contact cue and the name (联系人：孙子 骆振兴).
var kinWords = []string{"外孙女", "外孙", "孙女", "孙子", "儿子", "女儿", "儿媳", "女婿", "丈夫", "妻子", "母亲", "父亲", "爱人", "老伴", "配偶", "侄子", "侄女", "哥哥", "姐姐", "弟弟", "妹妹", "本人", "父", "母"}

// listTitles may follow each name of a list (王明主任医师、李华副主任医师).
var listTitles = []string{"副主任医师", "主任医师", "主治医师", "住院医师", "进修医师", "实习医师", "副主任", "主任", "医师", "医生", "护士长", "护士", "教授", "副教授", "技师"}

// fieldValue returns the end of a person's name filling a form field at i
// (after 医师：, 记录：, 经办：): a run of Chinese characters that starts
// with a surname (any in the gazetteer, including those kept out of free
// text) and ends at the field's end, 2–4 long (a middle-dot name may be
// longer). Words that fill such fields but are not names (不详, 同上) are
// refused.
func (nr nameRecognizer) fieldValue(d *doc, i int) int {
	j := i
	dot := false
	for j < len(d.runes) && j-i < 16 && (isHan(d.runes[j]) || isNameDot(d.runes[j]) && j > i) {
		dot = dot || isNameDot(d.runes[j])
		j++
	}
	if r := d.at(j); j < len(d.runes) && !strings.ContainsRune(" \t\n\r，。；;,、(（）)0123456789/", r) {
		return 0
	}
	n := j - i
	if n < 2 || n > 4 && !dot || fieldStops[d.slice(i, j)] || strings.ContainsRune(particles, d.at(j-1)) || hasWordAt(d, i, notNameHeads) > 0 {
		return 0 // 患者：点的 (an answer in a dialogue), 身份证号：…
	}
	if dot {
		return j
	}
	if nr.compound[d.slice(i, i+2)] {
		return j
	}
	if r, ok := nr.single[d.at(i)]; ok && (r < commonRank || !verbWords()[d.slice(i, i+2)]) || strings.ContainsRune(cueOnlySurnames, d.at(i)) {
		return j // (告知家属：继续点药: a rare surname starting a verb)
	}
	// a surname kept out of free text (平, 眼, 学 …) only when the value is
	// not a word (会诊医师：眼科 names a department)
	if w := d.slice(i, j); strings.ContainsRune(notSurname, d.at(i)) && !generalWords()[w] && !medicalWords()[w] && !clinicalWords[w] {
		return j
	}
	// a rare surname the gazetteer lacks (经办人：俄玉珍): any value that is
	// not a word
	if w := d.slice(i, j); !generalWords()[w] && !medicalWords()[w] && !clinicalWords[w] && !verbWords()[d.slice(i, i+2)] {
		return j // (告知家属：继续点药 starts with a verb)
	}
	return 0
}

func isNameDot(r rune) bool { return r == '·' || r == '・' || r == '•' }

// plainName returns the end of a 2–4 character run at i that is not a
// dictionary or clinical word (for names without a gazetteer surname, such
// as Tibetan names, accepted only where sex or age follows).
func plainName(d *doc, i int) int {
	j := i
	for j < len(d.runes) && j-i < 4 && isHan(d.runes[j]) && !strings.ContainsRune("男女", d.runes[j]) {
		j++
	}
	w := d.slice(i, j)
	if j-i < 2 || generalWords()[w] || medicalWords()[w] || clinicalWords[w] || fieldStops[w] || nameCueMatcherHas(w) {
		return 0
	}
	return j
}

func nameCueMatcherHas(w string) bool {
	for _, c := range nameCues {
		if c == w {
			return true
		}
	}
	return false
}

// bedNames finds the name after a bed number (3床毛小平, 23床 宁德贵).
func (nr nameRecognizer) bedNames(d *doc, out []Span) []Span {
	for i := 1; i < len(d.runes); i++ {
		if d.runes[i] != '床' || !isDigit(d.runes[i-1]) {
			continue
		}
		s := i + 1
		for s < len(d.runes) && s-i <= 2 && d.runes[s] == ' ' {
			s++
		}
		e := nr.candidate(d, s, false)
		if pe := plainName(d, s); pe > e && demographicsAt(d, pe) {
			e = pe // 15床 哈斯图雅，女 (not the gazetteer reading 哈斯图)
		}
		if e-s >= 2 && !strings.HasPrefix(d.slice(s, e), "号") {
			out = append(out, Span{Start: s, End: e, Label: Name, Score: 0.85, Recognizer: "name"})
		}
	}
	return out
}

// dottedNames finds transliterated names with a middle dot (阿依古丽·买买提,
// 艾克拜尔·吐尔逊): Chinese characters on both sides of the dot.
func dottedNames(d *doc, out []Span) []Span {
	for i := 1; i < len(d.runes)-1; i++ {
		if !isNameDot(d.runes[i]) || !isHan(d.runes[i-1]) || !isHan(d.runes[i+1]) {
			continue
		}
		words := generalWords()
		s := i
		for s > 0 && i-s < 4 && isHan(d.runes[s-1]) && !strings.ContainsRune(hardStop+"科", d.runes[s-1]) &&
			!(i-s >= 2 && words[d.slice(s-2, s)] && !nameLikeWords()[d.slice(s-2, s)]) {
			s--
		}
		e := i + 1
		for e < len(d.runes) && e-i <= 7 && (isHan(d.runes[e]) && !strings.ContainsRune(hardStop, d.runes[e]) || isNameDot(d.runes[e])) &&
			!(e-i > 2 && words[d.slice(e, e+2)] && !nameLikeWords()[d.slice(e, e+2)]) {
			e++ // 努尔兰·别克波拉提 (波拉 is a place word in the dictionary)
		}
		if i-s >= 1 && e-i >= 2 {
			out = append(out, Span{Start: s, End: e, Label: Name, Score: 0.85, Recognizer: "name"})
			i = e
		}
	}
	return out
}

// paddedName matches a two-character name padded with one or two spaces to
// the width of three (李  明, 张 三), as forms align them, or a three-character
// name with a space between each character (王 建 国), ending at a field
// boundary. It returns the end, or 0.
func (nr nameRecognizer) paddedName(d *doc, i int) int {
	if sl, _ := nr.surnameAt(d, i); sl != 1 && !strings.ContainsRune(cueOnlySurnames, d.at(i)) {
		return 0
	}
	if sl, _ := nr.surnameAt(d, i); sl == 1 && d.at(i+1) == '\n' && givenChar(d.at(i+2), false) {
		// a line break inside the name (医师：吕\n航, 赵\n淑芬: OCR and
		// wrapped columns)
		e := i + 3
		if givenChar(d.at(e), false) {
			e++
		}
		if r := d.at(e); !isHan(r) && !isAlnum(r) && r != ':' && r != '：' { // not a label (记录单\n姓名：)
			return e
		}
		return 0
	}
	j := i + 1
	for j < len(d.runes) && j-i <= 2 && d.runes[j] == ' ' {
		j++
	}
	if j == i+1 || !givenChar(d.at(j), false) {
		return 0
	}
	// a second given-name character after one space (王 建 国: each character
	// spaced, as OCR and some forms write them)
	if d.at(j+1) == ' ' && givenChar(d.at(j+2), false) && !isHan(d.at(j+3)) && !isAlnum(d.at(j+3)) {
		return j + 3
	}
	if r := d.at(j + 1); isHan(r) || isAlnum(r) {
		return 0
	}
	return j + 1
}

var latinCueMatcher = newCueMatcher(latinNameCues)

// latinWords reads up to three capitalised Latin words at i separated by
// single spaces (Zhang Wei, CHAN KA LOK) and returns their end and count.
func latinWords(d *doc, i int) (int, int) {
	j, words := i, 0
	for words < 3 && j < len(d.runes) && d.runes[j] >= 'A' && d.runes[j] <= 'Z' {
		e := j + 1
		for e < len(d.runes) && isLetter(d.runes[e]) {
			e++
		}
		words++
		j = e
		if d.at(j) == ' ' && d.at(j+1) >= 'A' && d.at(j+1) <= 'Z' {
			j++
			continue
		}
		if words == 1 && d.at(j) == ',' && d.at(j+1) == ' ' && d.at(j+2) >= 'A' && d.at(j+2) <= 'Z' {
			j += 2 // ZHAO, XIAOHUI: family name first, as exports write it
			continue
		}
		break
	}
	return j, words
}

// titleCase reports whether every word of s is capitalised and otherwise
// lower case (Ahmed Hassan, not IOL Master).
func titleCase(s string) bool {
	for _, w := range strings.Fields(s) {
		for k, r := range w {
			if k > 0 && (r < 'a' || r > 'z') {
				return false
			}
		}
	}
	return s != ""
}

// latinNameCues precede a name written in Latin letters (pinyin).
var latinNameCues = []string{"Patient Name", "Patient name", "Name", "NAME", "name", "姓名拼音", "拼音", "英文名", "Pinyin", "姓名", "患者", "Dr.", "Mr.", "Ms.", "Mrs.",
	"Patient", "Operator", "Technician", "Physician", "Doctor", "Surgeon", "Nurse", "Reviewed by", "Reviewer", "Examiner", "Signed by", "Attending", "Referring"}

// latinNames finds pinyin names after a cue: Name: Zhang Wei, 拼音：WANG XIAOMING,
// 患者 Ahmed Hassan, and a romanised name in parentheses right after a
// name already found: 陈家乐（CHAN KA LOK）.
func latinNames(d *doc, out []Span) []Span {
	if !strings.ContainsFunc(d.norm, func(r rune) bool { return r >= 'A' && r <= 'Z' }) {
		return out // no capital letter: no romanised name
	}
	for _, s := range out {
		if s.Label != Name || d.at(s.End) != '(' {
			continue
		}
		i := s.End + 1
		j, words := latinWords(d, i)
		if words >= 2 && d.at(j) == ')' {
			out = append(out, Span{Start: i, End: j, Label: Name, Score: 0.85, Recognizer: "name"})
		}
	}
	n := len(out)
	latinCueMatcher.each(d, func(w, _, ce int) {
		cue := latinNameCues[w]
		i := d.skipSep(ce, 3)
		if i == ce {
			return // a cue must be followed by a separator
		}
		j, words := latinWords(d, i)
		if cue == "患者" && !titleCase(d.slice(i, j)) {
			return // 患者 IOL Master: a device, not Ahmed Hassan
		}
		if words >= 2 || words == 1 && j-i >= 4 && cue != "患者" && cue != "姓名" {
			out = append(out, Span{Start: i, End: j, Label: Name, Score: 0.85, Recognizer: "name"})
		}
	})
	// a transliteration in parentheses after a romanised name:
	// 患者 Ahmed Hassan（艾哈迈德）
	for _, s := range out[n:] {
		if d.at(s.End) != '(' || !isLetter(d.at(s.End-1)) {
			continue
		}
		j := s.End + 1
		for j < len(d.runes) && j-s.End <= 10 && (isHan(d.runes[j]) || isNameDot(d.runes[j])) {
			j++
		}
		if j-s.End-1 >= 2 && d.at(j) == ')' {
			out = append(out, Span{Start: s.End + 1, End: j, Label: Name, Score: 0.85, Recognizer: "name"})
		}
	}
	return out
}
