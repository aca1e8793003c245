package synth

import (
	"fmt"

	"bingli/services/note"
)

// The five note templates.

func (c *noteCtx) complaint() {
	b := c.b
	k := c.k
	b.add(c.pick("主诉：", "主诉："))
	n := k.years
	switch k.cond {
	case condMyopia:
		if c.chance(50) {
			b.add("发现双眼")
			b.diag(dxMyopia, note.EyeBoth, note.Present)
			b.add(fmt.Sprintf("%d年，要求复查", n))
		} else {
			b.add(fmt.Sprintf("双眼视远模糊%d年", n))
		}
	case condHighMyopia:
		b.add(fmt.Sprintf("双眼视物模糊%d余年，", n+3), c.pick("戴镜矫正不满意", "要求屈光手术", "近来眼前黑影飘动"))
	case condPOAG:
		b.add(c.pick(fmt.Sprintf("体检发现眼压高%d月", 1+c.r.IntN(10)), fmt.Sprintf("%s视物模糊伴眼胀%d月", eyeWord(k.eyes), 1+c.r.IntN(12))))
	case condPACG:
		if k.proliferative {
			b.add(fmt.Sprintf("%s胀痛伴同侧头痛、恶心、视物模糊%d天", eyeWord(k.eyes), 1+c.r.IntN(4)))
		} else {
			b.add(fmt.Sprintf("%s反复胀痛、虹视%d月", eyeWord(k.eyes), 1+c.r.IntN(12)))
		}
	case condCataract, condComplCataract:
		b.add(fmt.Sprintf("双眼渐进性视物模糊%d年", n), c.pick("", "，加重3月", "，右眼为甚", "，左眼为甚"))
	case condDR:
		if c.chance(50) {
			b.add("发现")
			b.diag(dxDM, note.EyeNone, note.Present)
			b.add(fmt.Sprintf("%d年，双眼视物模糊%d月", n+5, 1+c.r.IntN(12)))
		} else {
			b.add(fmt.Sprintf("血糖升高%d年，双眼视力下降%d月", n+5, 1+c.r.IntN(12)))
		}
	case condDryEye:
		b.add(fmt.Sprintf("双眼干涩、异物感%d月", 1+c.r.IntN(24)), c.pick("", "，视疲劳", "，晨起分泌物多"))
	case condKeratitis:
		b.add(fmt.Sprintf("%s红痛、畏光、流泪伴视力下降%d天", eyeWord(k.eyes), 2+c.r.IntN(10)))
	}
	b.add("。", c.nl)
}

func (c *noteCtx) presentIllness() {
	b := c.b
	k := c.k
	b.add("现病史：患者")
	switch k.cond {
	case condMyopia, condHighMyopia:
		b.add(fmt.Sprintf("%d年前", k.years), c.pick("学校体检发现视力下降", "无明显诱因出现视远模糊"), "，于")
		if c.chance(50) {
			b.id(LabelOrganization, c.a.external(c.r))
		} else {
			b.add("当地眼镜店")
		}
		b.add("验光配镜，近年度数逐年增加，", c.pick("无眼红眼痛。", "无视物变形，无眼前闪光感。"))
	case condPOAG:
		b.add("于")
		c.writeDate(c.date.AddDate(0, -1-c.r.IntN(10), -c.r.IntN(28)))
		b.add(c.pick("单位体检", "外院"), "测眼压偏高，", c.pick("无明显眼痛，", "偶有眼胀，"), "考虑")
		b.diag(dxPOAG, k.eyes, note.Possible)
		b.add("可能，", c.pick("未予治疗", "予噻吗洛尔滴眼液治疗"), "，今为进一步诊治来我院。")
	case condPACG:
		b.add(c.pick("情绪激动后", "夜间", "暗处久留后"), "出现", eyeWord(k.eyes), "胀痛，伴视物模糊、虹视，", c.pick("休息后可缓解。", "伴恶心呕吐。"), "曾于")
		b.id(LabelOrganization, c.a.external(c.r))
		b.add("就诊，疑似")
		b.diag(dxPACG, k.eyes, note.Possible)
		b.add("，予", c.pick("毛果芸香碱滴眼液", "甘露醇静滴"), "治疗后转诊我院。")
	case condCataract, condComplCataract:
		b.add(fmt.Sprintf("%d年前", k.years), "无明显诱因出现双眼视物模糊，呈渐进性加重，无眼红眼痛，无视物变形，")
		d := dxARC
		if k.cond == condComplCataract {
			d = dxComplCat
		}
		if c.chance(50) {
			b.add("未予诊治。")
		} else {
			b.add("外院诊断为“双眼")
			b.diag(d, note.EyeBoth, note.History)
			b.add("”，未治疗。")
		}
		if k.cond == condComplCataract {
			b.add("既往")
			b.diag(dxHighMyopia, note.EyeBoth, note.History)
			b.add("病史20余年。")
		}
	case condDR:
		b.add(fmt.Sprintf("%d年前确诊", k.years+5))
		b.diag(dxT2DM, note.EyeNone, note.History)
		b.add("，", c.pick("血糖控制欠佳", "规律使用胰岛素"), fmt.Sprintf("，%d月前出现双眼视物模糊，", 1+c.r.IntN(10)), c.pick("视物变形，", "无眼痛，"), "于")
		c.writeDate(c.date.AddDate(0, 0, -20-c.r.IntN(60)))
		b.add("在")
		b.id(LabelOrganization, c.a.external(c.r))
		b.add("就诊，考虑")
		b.diag(dxDR, note.EyeBoth, note.Possible)
		b.add("，建议上级医院就诊。")
	case condDryEye:
		b.add("长期使用电脑，近", c.pick("半年", "1年", "数月"), "出现双眼干涩、烧灼感，", c.pick("自行使用人工泪液，症状无缓解。", "午后加重。"))
	case condKeratitis:
		b.add(c.pick("3天前被树枝划伤", "配戴隐形眼镜后出现", "感冒后出现"), eyeWord(k.eyes), "红痛、畏光流泪，视力下降，", c.pick("自用氯霉素滴眼液无好转。", "未予处理。"))
		if k.hsk {
			b.add("既往")
			b.diag(dxHSK, k.eyes, note.History)
			b.add("反复发作2次。")
		}
	}
	b.add(c.nl)
}

// plan writes treatment and follow-up.
func (c *noteCtx) plan(label string, surgeryNext bool) {
	b := c.b
	k := c.k
	eye := eyeWord(k.eyes)
	b.add(label)
	var items []string
	switch k.cond {
	case condMyopia:
		items = append(items, c.pick("验光配镜", "更换眼镜"))
		if c.age < 16 {
			items = append(items, c.pick("0.01%阿托品滴眼液 每晚一次 双眼", "验配角膜塑形镜"), "每日户外活动2小时以上，减少近距离用眼")
		}
	case condHighMyopia:
		items = append(items, "定期散瞳查眼底", c.pick("避免剧烈运动", "如有眼前闪光感、黑影遮挡及时就诊"))
	case condPOAG:
		items = append(items, c.pick("曲伏前列素滴眼液 每晚一次 ", "拉坦前列素滴眼液 每晚1次 ", "贝美前列素滴眼液 qn ")+eye,
			c.pick("马来酸噻吗洛尔滴眼液 每日两次 ", "布林佐胺滴眼液 bid ", "酒石酸溴莫尼定滴眼液 每日2次 ")+eye,
			"定期复查视野及OCT")
	case condPACG:
		if !k.operated {
			items = append(items, "毛果芸香碱滴眼液 每日四次 "+eye, c.pick("醋甲唑胺片 25mg 口服 每日两次", "布林佐胺滴眼液 每日两次 "+eye))
			if !surgeryNext {
				items = append(items, c.pick(eye+"激光周边虹膜切开术", eye+"YAG激光虹膜周切"))
			}
		} else {
			items = append(items, "监测眼压")
		}
	case condCataract, condComplCataract:
		if k.operated {
			items = append(items, c.pick("妥布霉素地塞米松滴眼液 每日四次 ", "普拉洛芬滴眼液 每日四次 ", "左氧氟沙星滴眼液 每日四次 ")+eyeWord(c.opEye), "避免揉眼")
		}
	case condDR:
		if k.dme {
			items = append(items, c.pick("玻璃体腔注射雷珠单抗注射液0.5mg/0.05ml ", "玻璃体腔注射阿柏西普2mg ", "玻璃体腔注射康柏西普 ")+c.pick("右眼", "左眼", "双眼"))
			k.injections++
		}
		if k.proliferative {
			items = append(items, c.pick("全视网膜激光光凝术（PRP）", "分次行PRP治疗"))
		}
		items = append(items, c.pick("内分泌科就诊，控制血糖、血压、血脂", "羟苯磺酸钙胶囊 0.5g 口服 每日三次"))
	case condDryEye:
		items = append(items, c.pick("玻璃酸钠滴眼液 每日四次 双眼", "聚乙二醇滴眼液 qid OU"), c.pick("0.05%环孢素滴眼液 每日两次 双眼", "地夸磷索钠滴眼液 每日六次 双眼", "热敷及睑板腺按摩"))
	case condKeratitis:
		if k.hsk {
			items = append(items, "更昔洛韦眼用凝胶 每日四次 "+eye, "阿昔洛韦片 0.4g 口服 每日五次")
		} else {
			items = append(items, c.pick("左氧氟沙星滴眼液 每1小时一次 ", "加替沙星滴眼液 q2h ")+eye, "氧氟沙星眼膏 每晚一次 "+eye)
			if c.first {
				items = append(items, "角膜刮片及细菌、真菌培养")
			}
		}
	}
	if surgeryNext {
		items = append(items, c.pick("建议择期行", "拟行")+surgeryName(k, eyeWord(k.worse)), "完善术前检查")
	}
	for i, it := range items {
		if len(items) > 1 {
			b.add(fmt.Sprintf("%d.", i+1))
		}
		b.add(it, c.pick("；", "；", " "))
	}
	b.add(c.pick("嘱按时用药，", "嘱注意用眼卫生，", "告知病情及注意事项，", "嘱勿揉眼，", ""))
	if c.chance(20) {
		b.add("预约")
		c.writeDate(c.date.AddDate(0, 0, 7+c.r.IntN(90)))
		b.add("复查。")
	} else {
		b.add(c.followUpAdvice(), c.pick("", "不适随诊。", "如有不适及时就诊。"))
	}
	b.add(c.nl)
}

// followUpAdvice is the usual interval to the next visit for the condition.
func (c *noteCtx) followUpAdvice() string {
	switch c.k.cond {
	case condMyopia, condHighMyopia:
		return c.pick("3个月后复查。", "半年后复查眼轴。", "6个月后复查视力及眼轴。")
	case condPOAG, condPACG:
		return c.pick("1个月后复查眼压。", "2周后复查。", "3个月后复查视野。")
	case condCataract, condComplCataract:
		return c.pick("1周后复查。", "1个月后复查。", "3个月后门诊随访。")
	case condDR:
		return c.pick("1个月后复查OCT。", "1个月后再次注射。", "4周后复诊。")
	case condDryEye:
		return c.pick("2周后复诊。", "1个月后复查。")
	}
	return c.pick("3天后复诊。", "1周后复查。", "隔日复诊。")
}

// personalHistory writes 个人史, with the birthplace as an address.
func (c *noteCtx) personalHistory() {
	b := c.b
	bp := c.id.birthplace
	b.add("个人史：生于")
	if bp.province == bp.city || c.chance(40) {
		b.id(LabelAddress, bp.city)
	} else {
		b.id(LabelAddress, bp.province+bp.city)
	}
	b.add("，", c.pick("久居本地", "长期在本地生活", "现居住地见上"), "，", c.pick("无烟酒嗜好", "吸烟20余年，每日约10支", "偶有饮酒", "无疫区接触史"), "。", c.nl)
}

// medicationUse writes what the patient has been using since the last visit.
func (c *noteCtx) medicationUse() {
	b := c.b
	k := c.k
	b.add("用药情况：")
	switch k.cond {
	case condPOAG, condPACG:
		b.add(c.pick("规律使用降眼压药物，", "目前使用曲伏前列素滴眼液及布林佐胺滴眼液，", "自行停药1周，"), c.pick("依从性可。", "未诉明显不良反应。", "诉用药后眼红。"))
	case condDR:
		b.add(fmt.Sprintf("已行玻璃体腔注药%d次，", k.injections), c.pick("血糖控制尚可。", "空腹血糖7-9mmol/L。", "胰岛素剂量已调整。"))
	case condDryEye:
		b.add(c.pick("人工泪液每日4-6次，", "规律使用环孢素滴眼液，"), c.pick("症状部分缓解。", "仍有干涩感。"))
	case condMyopia, condHighMyopia:
		b.add(c.pick("坚持配戴框架眼镜，", "每晚配戴角膜塑形镜，", "使用低浓度阿托品滴眼液，"), c.pick("户外活动较少。", "无畏光不适。"))
	case condKeratitis:
		b.add("遵医嘱频点抗生素滴眼液，", c.pick("未再配戴隐形眼镜。", "症状逐日减轻。"))
	default:
		if k.operated {
			b.add("术后按时使用抗炎滴眼液，", c.pick("无不适。", "已逐步减量。"))
		} else {
			b.add("未用药。")
		}
	}
	b.add(c.nl)
}

func (c *noteCtx) outpatient(surgeryNext bool) {
	b := c.b
	c.header(c.pick("眼科门诊病历", "门诊病历", "眼科初诊记录"))
	c.contactLine()
	c.complaint()
	c.presentIllness()
	c.pastHistory()
	if c.chance(50) {
		c.personalHistory()
	}
	if c.chance(70) {
		c.familyHistory()
	}
	b.add(c.pick("专科检查：", "查体：", "眼科检查："), c.nl)
	c.exam()
	c.diagnosisList(c.pick("初步诊断：", "诊断：", "印象："))
	c.plan(c.pick("处理：", "处置：", "治疗意见："), surgeryNext)
	c.signature()
}

func (c *noteCtx) followUp(surgeryNext bool) {
	b := c.b
	k := c.k
	c.header(c.pick("复诊记录", "眼科复诊记录", "门诊复诊"))
	if c.chance(30) {
		c.contactLine()
	}
	b.add(c.pick("患者复诊，", "病史同前，", "复诊："))
	switch {
	case k.operated && c.chance(70):
		b.add(fmt.Sprintf("%s术后", eyeWord(c.opEye)), c.pick("视物清晰，无眼红眼痛。", "偶有异物感。", "恢复良好。"))
	case k.cond == condPOAG || k.cond == condPACG:
		b.add("规律用药，", c.pick("无眼胀头痛。", "偶有眼胀。", "自觉视力无明显变化。"))
	case k.cond == condDR:
		b.add(c.pick("自觉视物较前清晰。", "视物模糊同前。", "血糖控制尚可。"))
	case k.cond == condKeratitis:
		b.add(c.pick("眼红痛较前减轻。", "畏光流泪好转，视力有所提高。"))
	default:
		b.add(c.pick("无特殊不适。", "症状较前好转。", "自觉症状同前。"))
	}
	if k.operated && c.chance(50) {
		b.add("患者于")
		c.writeDate(k.opDate)
		b.add("在我院行", surgeryName(k, eyeWord(c.opEye)), "。")
	}
	b.add(c.nl)
	if c.chance(85) {
		c.medicationUse()
	}
	if c.chance(45) {
		c.pastHistory()
	}
	b.add(c.pick("查：", "检查：", "眼科检查："), c.nl)
	c.exam()
	c.assessment()
	c.diagnosisList(c.pick("诊断：", "诊断：", "目前诊断："))
	c.plan(c.pick("处理：", "处理意见：", "医嘱："), surgeryNext)
	c.signature()
}

func (c *noteCtx) admission() {
	b := c.b
	id := c.id
	c.header(c.pick("入院记录", "眼科入院记录"))
	b.add("住院号：")
	b.id(LabelRecordNumber, c.inpNo)
	b.add(fmt.Sprintf("  床号：%d床", c.bed), c.nl)
	b.add("民族：", id.ethnicity, "  婚姻：", map[bool]string{true: "已婚", false: "未婚"}[id.married], "  职业：", id.occupation, c.nl)
	if c.chance(60) {
		b.add("出生日期：")
		b.id(LabelDateOfBirth, formatDate(c.r, id.dob))
		b.add("  ")
	}
	b.add("出生地：")
	bp := id.birthplace
	if bp.province == bp.city {
		b.id(LabelAddress, bp.city)
	} else {
		b.id(LabelAddress, bp.province+bp.city)
	}
	b.add(c.nl, "身份证号：")
	b.id(LabelIDNumber, formatResidentID(c.r, id.idNumber, id.dob))
	b.add(c.nl, "住址：")
	b.id(LabelAddress, formatAddress(c.r, id.addr))
	b.add(c.nl)
	if id.employer != "" && c.chance(60) {
		b.add("工作单位：")
		b.id(LabelOrganization, id.employer)
		b.add(c.nl)
	}
	b.add("联系电话：")
	b.id(LabelPhone, formatMobile(c.r, id.mobile))
	b.add("  ")
	c.relativeLine()
	b.add(c.nl, "入院日期：")
	c.writeDate(c.date)
	b.add("  病史陈述者：", c.pick("患者本人，可靠", "患者及家属"), c.nl)
	c.complaint()
	c.presentIllness()
	c.pastHistory()
	c.personalHistory()
	c.familyHistory()
	b.add(fmt.Sprintf("体格检查：T %.1f℃ P %d次/分 R %d次/分 BP %d/%dmmHg，神志清，心肺听诊未及异常。", 36.2+float64(c.r.IntN(8))/10, 62+c.r.IntN(30), 16+c.r.IntN(5), 110+c.r.IntN(50), 65+c.r.IntN(30)), c.nl)
	b.add("专科检查：", c.nl)
	c.exam()
	c.diagnosisList("初步诊断：")
	b.add("诊疗计划：完善血常规、凝血功能、心电图等术前检查，", c.pick("拟于", "定于"))
	c.writeDate(c.date.AddDate(0, 0, 1))
	b.add("在", c.pick("表面麻醉", "局部麻醉", "球后阻滞麻醉"), "下行", surgeryName(c.k, eyeWord(c.opEye)), "。", c.nl)
	c.signature()
}

func (c *noteCtx) operation() {
	b := c.b
	c.header("手术记录")
	b.add("住院号：")
	b.id(LabelRecordNumber, c.inpNo)
	b.add(c.nl, "手术日期：")
	c.writeDate(c.date)
	b.add(c.nl)
	c.diagnosisList("术前诊断：")
	b.add("手术名称：", surgeryName(c.k, eyeWord(c.opEye)), c.nl)
	b.add("术者：")
	b.id(LabelName, c.doctor.name)
	b.add("  助手：")
	b.id(LabelName, c.a.doctors[c.r.IntN(len(c.a.doctors))].name)
	b.add("  麻醉方式：", c.pick("表面麻醉", "球后阻滞麻醉", "局部浸润麻醉"), c.nl)
	b.add("手术经过：常规消毒铺巾，开睑器开睑，")
	switch c.k.cond {
	case condCataract, condComplCataract, condPACG:
		b.add("于颞侧透明角膜做2.2mm主切口及侧切口，前房注入黏弹剂，连续环形撕囊直径约5.5mm，水分离，超声乳化吸除晶状体核，I/A吸除残余皮质，囊袋内植入", c.pick("+21.5D", "+19.0D", "+22.0D", "+16.5D"), "人工晶体一枚，位正，吸除黏弹剂，水密切口。")
	case condPOAG:
		b.add("做以穹窿部为基底的结膜瓣，制作4mm×3mm板层巩膜瓣，丝裂霉素C棉片放置2分钟后冲洗，切除小梁组织约1.5mm×2mm，周边虹膜切除，10-0尼龙线缝合巩膜瓣及结膜瓣。")
	case condHighMyopia:
		b.add("颞侧3.0mm透明角膜切口，注入黏弹剂，植入ICL晶体，调位至睫状沟，冲洗黏弹剂，前房成形。")
	default:
		b.add("行标准三切口23G玻璃体切割，清除玻璃体积血，剥除增殖膜，行眼内激光光凝，气液交换后硅油填充。")
	}
	b.add("术毕结膜囊涂妥布霉素地塞米松眼膏，包眼。", c.nl, "术中情况：手术顺利，患者无不适，", c.pick("出血约1ml", "无出血"), "，安返病房。", c.nl)
	c.signature()
}

func (c *noteCtx) discharge() {
	b := c.b
	c.header(c.pick("出院小结", "出院记录"))
	b.add("住院号：")
	b.id(LabelRecordNumber, c.inpNo)
	b.add(c.nl, "入院日期：")
	c.writeDate(c.admit)
	b.add("  出院日期：")
	c.writeDate(c.date)
	b.add(fmt.Sprintf("  住院天数：%d天", int(c.date.Sub(c.admit).Hours()/24)+1), c.nl)
	b.add("入院情况：患者因“")
	c.b.add(eyeWord(c.opEye), "视物模糊")
	b.add("”入院。", c.nl)
	b.add("诊疗经过：入院后完善相关检查，于")
	c.writeDate(c.opDate)
	b.add("在", c.pick("表面麻醉", "局部麻醉"), "下行", surgeryName(c.k, eyeWord(c.opEye)), "，手术顺利，术后予抗炎、预防感染治疗。", c.nl)
	b.add("出院情况：", eyeWord(c.opEye), "切口闭合好，")
	c.vaLine()
	b.add("，")
	c.iopLine()
	b.add("。", c.nl)
	c.diagnosisList("出院诊断：")
	b.add("出院医嘱：", c.pick("妥布霉素地塞米松滴眼液 每日四次 ", "左氧氟沙星滴眼液 每日四次 ", "普拉洛芬滴眼液 tid ")+eyeWord(c.opEye), "；避免揉眼、脏水入眼；", c.pick("1周后门诊复查", "术后1周、1个月复查"))
	if c.chance(40) {
		b.add("（")
		c.writeDate(c.date.AddDate(0, 0, 7))
		b.add("）")
	}
	b.add("。", c.nl)
	c.signature()
}

// assessment writes the doctor's short reading of the course since the last visit.
func (c *noteCtx) assessment() {
	b := c.b
	b.add(c.pick("病情评估：", "分析：", "评估："))
	switch c.k.cond {
	case condPOAG, condPACG:
		b.add(c.pick("目前眼压控制尚可，视野较前无明显进展，继续当前方案。", "眼压仍偏高，需加强降眼压治疗，必要时手术。", "视神经损害稳定，依从性良好。"))
	case condDR:
		b.add(c.pick("黄斑水肿较前减轻，继续抗VEGF治疗。", "视网膜出血较前吸收，继续随访。", "血糖控制不佳，病变有进展风险，已告知。"))
	case condMyopia, condHighMyopia:
		b.add(c.pick("近视度数较前加深，眼轴增长偏快，需加强近视防控。", "屈光度稳定，眼底无新发病灶。"))
	case condCataract, condComplCataract:
		if c.k.operated {
			b.add(c.pick("术后恢复良好，人工晶体位正。", "术眼视力提高，前房反应轻。"))
		} else {
			b.add(c.pick("晶状体混浊逐渐加重，影响日常生活，具备手术指征。", "视力下降尚不影响生活，暂观察。"))
		}
	case condDryEye:
		b.add(c.pick("症状及体征较前改善，继续治疗。", "睑板腺功能障碍明显，加强物理治疗。"))
	default:
		b.add(c.pick("角膜浸润灶较前缩小，治疗有效。", "病灶趋于稳定，继续原方案。"))
	}
	b.add(c.nl)
}
