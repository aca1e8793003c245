package synth

import (
	"fmt"
	"strconv"

	"bingli/services/note"
)

// Sections shared by the note templates. Each writes through c.b so every
// identifier, diagnosis and measurement lands in gold at its exact offset.

// header writes the identifying block at the top of a note.
func (c *noteCtx) header(title string) {
	b := c.b
	if c.chance(70) {
		b.id(LabelOrganization, c.a.hospital)
		b.add(c.pick("", " ", "\n"))
	}
	b.add(title, c.nl)
	switch c.r.IntN(3) {
	case 0: // one or two table-like lines
		b.add("姓名：")
		b.id(LabelName, c.id.name)
		b.add("  性别：", c.sex(), "  年龄：")
		c.writeAge()
		b.add("  ", c.pick("病案号：", "病历号：", "ID号："))
		b.id(LabelRecordNumber, c.id.recordNo)
		b.add(c.nl)
		if c.chance(60) {
			b.add("门诊号：")
			b.id(LabelRecordNumber, c.id.clinicNo)
			b.add("  ")
		}
		b.add(c.pick("就诊日期：", "日期：", "就诊时间："))
		c.writeDate(c.date)
		if c.chance(30) {
			b.add(fmt.Sprintf(" %02d:%02d", 8+c.r.IntN(9), c.r.IntN(60)))
		}
		b.add(c.nl)
	case 1: // one field per line
		b.add("姓名：")
		b.id(LabelName, c.id.name)
		b.add(c.nl, "性别：", c.sex(), c.nl, "年龄：")
		c.writeAge()
		b.add(c.nl, "病案号：")
		b.id(LabelRecordNumber, c.id.recordNo)
		b.add(c.nl, "科室：眼科", c.clinic(), c.nl)
		b.add("就诊日期：")
		c.writeDate(c.date)
		b.add(c.nl)
	default: // a short line; the name comes in the narrative
		b.add("就诊日期：")
		c.writeDate(c.date)
		b.add("  病案号：")
		b.id(LabelRecordNumber, c.id.recordNo)
		b.add(c.nl, "患者")
		b.id(LabelName, c.id.name)
		b.add("，", c.sex(), "，")
		c.writeAge()
		b.add("。", c.nl)
	}
}

// clinic is the eye department's sub-clinic for the condition.
func (c *noteCtx) clinic() string {
	if c.chance(30) {
		return "门诊"
	}
	switch c.k.cond {
	case condPOAG, condPACG:
		return "青光眼专科"
	case condCataract, condComplCataract:
		return "白内障专科"
	case condDR:
		return "眼底病专科"
	case condMyopia, condHighMyopia:
		return "屈光专科"
	}
	return "角膜病专科"
}

// contactLine writes some of the patient's contact identifiers.
func (c *noteCtx) contactLine() {
	b := c.b
	wrote := false
	sep := func() {
		if wrote {
			b.add(c.pick("  ", "，", "；", " "))
		}
		wrote = true
	}
	if c.chance(50) {
		sep()
		b.add(c.pick("身份证号：", "身份证：", "身份证号码："))
		b.id(LabelIDNumber, formatResidentID(c.r, c.id.idNumber, c.id.dob))
	}
	if c.chance(70) {
		sep()
		b.add(c.pick("联系电话：", "电话：", "手机：", "手机号码："))
		b.id(LabelPhone, formatMobile(c.r, c.id.mobile))
	}
	if c.id.landline != "" && c.chance(30) {
		sep()
		b.add(c.pick("家庭电话：", "座机："))
		b.id(LabelPhone, formatLandline(c.r, c.id.landline))
	}
	if c.chance(40) {
		sep()
		b.add(c.pick("住址：", "家庭住址：", "现住址："))
		b.id(LabelAddress, formatAddress(c.r, c.id.addr))
	}
	if c.id.employer != "" && c.chance(25) {
		sep()
		b.add(c.pick("工作单位：", "单位："))
		b.id(LabelOrganization, c.id.employer)
	}
	if c.chance(6) {
		sep()
		b.add(c.pick("电子邮箱：", "邮箱：", "Email："))
		b.id(LabelEmail, c.id.email)
	}
	if c.chance(5) {
		sep()
		if c.chance(60) {
			b.add(c.pick("微信：", "微信号："))
			b.id(LabelOtherID, c.id.wechat)
		} else {
			b.add("QQ：")
			b.id(LabelOtherID, c.id.qq)
		}
	}
	if c.chance(20) {
		sep()
		c.relativeLine()
	}
	if c.age >= 18 && c.chance(2) {
		sep()
		b.add(c.pick("车牌号：", "车牌："))
		b.id(LabelOtherID, c.id.plate)
	}
	if wrote {
		b.add(c.nl)
	}
}

func (c *noteCtx) relativeLine() {
	b := c.b
	b.add(c.pick("联系人：", "陪诊家属：", "紧急联系人："), c.id.contact.relation)
	b.id(LabelName, c.id.contact.name)
	b.add(c.pick(" 电话：", "，电话", " 联系电话："))
	b.id(LabelPhone, formatMobile(c.r, c.id.contact.mobile))
}

// diagnosisItems are the diagnoses of the current state, in list order.
type dxItem struct {
	d   disease
	eye note.Eye
	a   note.Assertion
}

func (c *noteCtx) diagnoses() []dxItem {
	k := c.k
	var out []dxItem
	add := func(d disease, e note.Eye) { out = append(out, dxItem{d, e, note.Present}) }
	switch k.cond {
	case condMyopia:
		add(dxMyopia, note.EyeBoth)
		if c.chance(30) {
			add(dxAstigmatism, note.EyeBoth)
		}
	case condHighMyopia:
		if k.re.sphere < -10 && c.chance(50) {
			add(dxPathMyopia, note.EyeBoth)
		} else {
			add(dxHighMyopia, note.EyeBoth)
		}
	case condPOAG:
		add(dxPOAG, k.eyes)
	case condPACG:
		if k.proliferative && !k.operated {
			add(dxAcuteACG, k.eyes)
		} else {
			add(dxPACG, k.eyes)
		}
	case condCataract, condComplCataract:
		d := []disease{dxARC, dxARC, dxSenileCat, dxNuclearCat}[c.r.IntN(4)]
		if k.cond == condComplCataract {
			d = dxComplCat
		}
		r, l := k.re.pseudophakic, k.le.pseudophakic
		switch {
		case !r && !l:
			add(d, note.EyeBoth)
		case r && l:
			add(dxPseudophakia, note.EyeBoth)
		case r:
			add(d, note.EyeLeft)
			add(dxPseudophakia, note.EyeRight)
		default:
			add(d, note.EyeRight)
			add(dxPseudophakia, note.EyeLeft)
		}
		if k.cond == condComplCataract {
			add(dxHighMyopia, note.EyeBoth)
		}
	case condDR:
		if k.proliferative {
			add(dxPDR, note.EyeBoth)
		} else {
			add([]disease{dxNPDR, dxDR}[c.r.IntN(2)], note.EyeBoth)
		}
		if k.proliferative && !k.operated && (c.typ == TypeAdmission || c.typ == TypeOperation) {
			add(dxVH, c.opEye)
		}
		if k.dme {
			add(dxDME, note.EyeBoth)
		}
		add(dxT2DM, note.EyeNone)
	case condDryEye:
		add([]disease{dxDryEye, dxDryEye2}[c.r.IntN(2)], note.EyeBoth)
	case condKeratitis:
		switch {
		case k.hsk:
			add(dxHSK, k.eyes)
		case c.first:
			add([]disease{dxBactKeratitis, dxKeratitis, dxCornealUlcer}[c.r.IntN(3)], k.eyes)
		default:
			add(dxKeratitis, k.eyes)
		}
	}
	if k.diabetic && k.cond != condDR && c.chance(60) {
		add(dxT2DM, note.EyeNone)
	}
	if k.hyperten && c.chance(50) {
		add(dxHTN, note.EyeNone)
	}
	return out
}

// diagnosisList writes "诊断：1.双眼年龄相关性白内障 2.高血压" in one of
// several layouts. A first visit may mark the main diagnosis as suspected.
func (c *noteCtx) diagnosisList(label string) {
	b := c.b
	items := c.diagnoses()
	suspect := c.first && (c.k.cond == condPOAG || c.k.cond == condPACG) && c.chance(35)
	b.add(label)
	layout := c.r.IntN(3)
	if layout == 1 && c.nl == "\n" {
		b.add("\n")
	}
	for i, it := range items {
		switch layout {
		case 0:
			if i > 0 {
				b.add(" ")
			}
			b.add(strconv.Itoa(i+1), ".")
		case 1:
			if i > 0 {
				b.add(c.nl)
			}
			b.add(strconv.Itoa(i+1), c.pick(".", "、", "．"))
		default:
			if i > 0 {
				b.add("；")
			}
		}
		if it.eye != note.EyeNone {
			b.add(eyeWord(it.eye))
		}
		a := it.a
		if i == 0 && suspect {
			a = note.Possible
		}
		b.diag(it.d, it.eye, a)
		if i == 0 && suspect {
			b.add(c.pick("？", "?", "（待排）"))
		}
	}
	b.add(c.nl)
}

// pastHistory writes 既往史 with negated, historical and present conditions.
func (c *noteCtx) pastHistory() {
	b := c.b
	k := c.k
	b.add(c.pick("既往史：", "既往史：", "既往："))
	switch {
	case k.diabetic:
		b.add("有")
		b.diag(dxT2DM, note.EyeNone, note.History)
		b.add(fmt.Sprintf("病史%d年，", k.years+2+c.r.IntN(10)), c.pick("口服二甲双胍控制血糖", "皮下注射胰岛素治疗", "血糖控制欠佳", "口服阿卡波糖片，血糖控制尚可"), "；")
	case !k.hyperten && c.chance(50):
		b.add("否认")
		b.diag(dxHTN, note.EyeNone, note.Negated)
		b.add("、")
		b.diag(dxDM, note.EyeNone, note.Negated)
		b.add("病史；")
	default:
		b.add("否认")
		b.diag(dxDM, note.EyeNone, note.Negated)
		b.add("史；")
	}
	if k.hyperten {
		b.add("有")
		b.diag(dxHTN, note.EyeNone, note.History)
		b.add(fmt.Sprintf("病史%d年，", 2+c.r.IntN(20)), c.pick("口服氨氯地平片，血压控制可", "规律服用硝苯地平缓释片", "未规律服药"), "；")
	} else if k.diabetic {
		b.add("否认")
		b.diag(dxHTN, note.EyeNone, note.Negated)
		b.add("病史；")
	}
	if c.chance(40) {
		b.add("否认")
		b.diag(dxCHD, note.EyeNone, note.Negated)
		b.add("病史；")
	}
	if c.chance(45) {
		b.add("否认")
		b.diag(dxHepatitis, note.EyeNone, note.Negated)
		b.add("、")
		b.diag(dxTB, note.EyeNone, note.Negated)
		b.add("等传染病史；")
	}
	if k.cond == condKeratitis && c.chance(40) {
		b.add("有长期配戴角膜接触镜史；")
	}
	b.add(c.pick("否认外伤史及手术史；", "否认眼部外伤及手术史；", "否认手术外伤史；"))
	b.add(c.pick("否认药物过敏史。", "否认药物及食物过敏史。", "对青霉素过敏。", "否认过敏史。"), c.nl)
}

// familyHistory writes 家族史 with family or negated conditions.
func (c *noteCtx) familyHistory() {
	b := c.b
	k := c.k
	b.add("家族史：")
	switch {
	case k.famGlauc:
		b.add(c.pick("母亲", "父亲", "其兄", "其姐"), c.pick("有", "患"))
		b.diag(dxGlaucoma, note.EyeNone, note.Family)
		b.add(c.pick("病史。", "。", "，具体不详。"))
	case k.famMyopia:
		b.add(c.pick("父母均有", "父亲", "母亲"), c.pick("", "患"))
		b.diag(dxHighMyopia, note.EyeNone, note.Family)
		b.add("。")
	case (k.cond == condPOAG || k.cond == condPACG) && c.chance(60):
		b.add("否认")
		b.diag(dxGlaucoma, note.EyeNone, note.Negated)
		b.add("家族史。")
	case k.cond == condDR && c.chance(50):
		b.add("母亲有")
		b.diag(dxDM, note.EyeNone, note.Family)
		b.add("病史。")
	default:
		b.add(c.pick("否认家族遗传病史。", "无特殊。", "否认家族中类似疾病史。"))
	}
	b.add(c.nl)
}

// slitLamp writes anterior-segment and fundus findings (no disease names).
func (c *noteCtx) slitLamp() {
	b := c.b
	k := c.k
	b.add(c.pick("裂隙灯检查：", "专科检查：", "眼前节："))
	switch k.cond {
	case condKeratitis:
		ew := eyeWord(k.eyes)
		b.add(ew, c.pick("混合充血", "睫状充血(++)", "结膜充血明显"), fmt.Sprintf("，角膜%s可见约%d mm×%d mm灰白色浸润灶", c.pick("中央", "颞下方", "鼻侧", "旁中央"), 2+c.r.IntN(4), 2+c.r.IntN(4)),
			"，荧光素染色", c.pick("(+)", "阳性"), "，", c.pick("前房积脓约1mm", "前房Tyndall(+)", "前房深，房水清"), "；",
			eyeWord(other(k.eyes)), "结膜无充血，角膜透明。")
	case condDryEye:
		b.add("双眼睑缘充血，睑板腺开口阻塞，挤压见牙膏样分泌物，结膜轻度充血，角膜下方点状荧光素着染，", fmt.Sprintf("Schirmer试验 右眼%dmm/5min 左眼%dmm/5min，BUT %ds。", 2+c.r.IntN(6), 2+c.r.IntN(6), 2+c.r.IntN(5)))
	case condPACG:
		b.add(eyeWord(k.eyes), c.pick("角膜雾状水肿，", "角膜透明，"), "前房浅，周边前房深度<1/4CT（Van Herick法），瞳孔", c.pick("中度散大，对光反射迟钝", "圆，直径约3mm"), "，晶状体", c.pick("轻度混浊", "皮质轻度混浊"), "。")
	case condCataract, condComplCataract:
		b.add("双眼结膜无充血，角膜透明，前房中深，瞳孔圆，对光反射存在，")
		for _, e := range []note.Eye{note.EyeRight, note.EyeLeft} {
			b.add(eyeWord(e))
			if k.eye(e).pseudophakic {
				b.add("人工晶体位正，后囊膜透明，")
			} else {
				b.add("晶状体", c.pick("皮质及核混浊", "核性混浊", "皮质楔形混浊", "后囊下混浊"), fmt.Sprintf("（C%dN%d），", 1+c.r.IntN(4), 1+c.r.IntN(4)))
			}
		}
		b.add("眼底窥不清。")
	default:
		b.add(c.pick("双眼结膜无充血，角膜透明，KP(-)，前房中深，房水清，瞳孔圆，直径约3mm，对光反射灵敏，晶状体透明。",
			"双眼前节(-)，晶状体透明。", "双眼角膜清，前房深度正常，Tyndall(-)，瞳孔等大等圆，晶状体透明。"))
	}
	if c.chance(4) {
		b.add("双侧瞳孔等大，未见")
		b.diag(dxHorner, note.EyeNone, note.Negated)
		b.add("表现。")
	}
	b.add(c.nl)
	b.add(c.pick("眼底：", "散瞳查眼底：", "眼底检查："))
	switch k.cond {
	case condPOAG, condPACG:
		for i, e := range []note.Eye{note.EyeRight, note.EyeLeft} {
			if i > 0 {
				b.add("，")
			}
			b.add(eyeWord(e), "视盘边界清，", c.pick("C/D ", "C/D=", "杯盘比约", "C/D约"))
			c.num(c.cdText(e), "", KindCupDisc, "", e)
			if k.affects(e) && k.eye(e).cd >= 0.6 {
				b.add(c.pick("，盂沿变窄", "，下方盂沿切迹", "，视网膜神经纤维层缺损"))
			}
		}
		b.add("。")
	case condDR:
		b.add("双眼视网膜可见散在出血点、微动脉瘤及硬性渗出")
		if k.proliferative {
			b.add("，视盘表面可见新生血管")
		}
		if k.dme {
			b.add("，黄斑区视网膜增厚")
		}
		b.add("。")
	case condMyopia, condHighMyopia, condComplCataract:
		b.add("双眼视盘界清，", c.pick("颞侧可见近视弧", "豹纹状眼底", "视盘周围萎缩弧"), "，C/D约")
		c.num(c.cdText(note.EyeRight), "", KindCupDisc, "", note.EyeBoth)
		if k.cond == condHighMyopia || k.cond == condComplCataract {
			b.add(c.pick("，后极部可见漆裂纹", "，黄斑区色素紊乱", "，周边视网膜格子样变性区"))
		}
		b.add("。")
	case condCataract:
		b.add("小瞳下窥不清。")
	default:
		b.add("双眼视盘界清色可，C/D ")
		c.num(c.cdText(note.EyeRight), "", KindCupDisc, "", note.EyeBoth)
		b.add("，黄斑中心凹反光可见。")
	}
	if k.diabetic && k.cond != condDR && c.chance(50) {
		b.add("未见")
		b.diag(dxDR, note.EyeNone, note.Negated)
		b.add("征象。")
	}
	b.add(c.nl)
}

// exam writes the measured part of the examination.
func (c *noteCtx) exam() {
	b := c.b
	k := c.k
	c.vaLine()
	b.add(c.pick("，", "；", c.nl))
	if k.cond != condKeratitis && c.chance(60) {
		c.bcvaLine()
		b.add(c.pick("；", c.nl))
	}
	c.iopLine()
	if c.chance(40) {
		b.add(c.pick("（非接触眼压计）", "（Goldmann压平眼压计）", "(NCT)"))
	}
	b.add("。", c.nl)
	c.slitLamp()
	aux := false
	auxStart := func() {
		if !aux {
			b.add(c.pick("辅助检查：", "检查：", "特殊检查："))
			aux = true
		} else {
			b.add("；")
		}
	}
	switch k.cond {
	case condMyopia, condHighMyopia, condComplCataract:
		auxStart()
		c.refractionLine()
		auxStart()
		c.axialLine()
	case condCataract, condPACG:
		if c.chance(60) {
			auxStart()
			c.axialLine()
		}
		if k.cond == condPACG && c.chance(50) {
			auxStart()
			b.add("UBM示", eyeWord(k.eyes), "房角", c.pick("关闭", "窄，部分关闭"))
		}
	case condPOAG:
		if c.chance(60) {
			auxStart()
			b.add(c.pick("Humphrey视野：", "视野检查："), eyeWord(k.eyes), c.pick("上方弓形暗点", "鼻侧阶梯", "旁中心暗点", "管状视野"))
		}
		if c.chance(40) {
			auxStart()
			b.add("OCT示", eyeWord(k.eyes), "视网膜神经纤维层", c.pick("变薄", "颞下方变薄"))
		}
	case condDR:
		if k.dme || c.chance(50) {
			auxStart()
			c.cmtLine()
		}
		if c.chance(60) {
			auxStart()
			c.hba1c()
		}
		if c.first && c.chance(50) {
			auxStart()
			b.add("FFA示双眼", c.pick("可见大量微血管瘤及无灌注区", "散在微血管瘤，黄斑区荧光素渗漏"))
		}
	}
	if aux {
		b.add("。", c.nl)
	}
}

// signature writes the doctor's signature line, sometimes with a date.
func (c *noteCtx) signature() {
	b := c.b
	b.add(c.pick("医师签名：", "主治医师：", "记录者：", "医生：", "签名："))
	b.id(LabelName, c.doctor.name)
	if c.chance(30) {
		b.add(c.pick("  上级医师：", " 审核："))
		b.id(LabelName, c.a.doctors[c.r.IntN(len(c.a.doctors))].name)
	}
	if c.chance(35) {
		b.add(c.pick("  ", " 日期：", "\u3000"))
		c.writeDate(c.date)
	}
}
