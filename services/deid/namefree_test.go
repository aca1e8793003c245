package deid

import "testing"

// Names the surname gazetteer does not explain, role-labelled form fields,
// table rows and titles after a word.
func TestFreeNamesAfterCues(t *testing.T) {
	checkPositives(t, []posCase{
		{"其母卓玛拉姆不识字，由其子代签。", "NAME:卓玛拉姆"},
		{"由乡医旺堆次仁陪同来诊。", "NAME:旺堆次仁"},
		{"儿子洛桑在拉萨打工。", "NAME:洛桑"},
		{"其丈夫阿尔木呷接听电话。", "NAME:阿尔木呷"},
		{"由护工秦小妹陪同", "NAME:秦小妹"},
		{"儿媳龙阿妹陪护。", "NAME:龙阿妹"},
		{"二舅蒋德成（52岁）体健。", "NAME:蒋德成"},
		{"与贝海龙本人沟通病情。", "NAME:贝海龙"},
		{"陪诊：热合曼·阿卜杜克热木，电话见上", "NAME:热合曼·阿卜杜克热木"},
		{"联系人及电话：佘立和（长子）", "NAME:佘立和"},
	})
}

func TestRoleLabelledFields(t *testing.T) {
	checkPositives(t, []posCase{
		{"受理人：蒯建军", "NAME:蒯建军"},
		{"检验者：靳雨   审核者：黄志", "NAME:靳雨"},
		{"收费员：羿婷婷\n", "NAME:羿婷婷"},
		{"鉴定人：晏明、勾小虎", "NAME:勾小虎"},
		{"夜班：卜秀琴　白班：乔芳", "NAME:卜秀琴"},
		{"签约居民：揭凤英   性别：女", "NAME:揭凤英"},
	})
}

func TestRowAndTitleNames(t *testing.T) {
	checkPositives(t, []posCase{
		{"序号 姓名 性别 年龄\n3 化春花 女 77 无", "NAME:化春花"},
		{"08:40　阿依努尔　女　41岁　右眼红", "NAME:阿依努尔"},
		{"今日揭振华主治医师查房", "NAME:揭振华"},
		{"请营养科钱晓雨营养师会诊", "NAME:钱晓雨"},
		{"已告知邱医生，复测眼压", "NAME:邱"},
		{"复查OCT。--温晓阳", "NAME:温晓阳"},
	})
}

// Verbs, departments and contact words after a cue are not names.
func TestCueWordsThatAreNotNames(t *testing.T) {
	d := testDeid(t, Options{})
	for _, s := range []string{
		"家属考虑后决定手术。患者留言：已收到。",
		"会诊所见：患者镇静状态，双眼睑闭合不全。",
		"会诊医师：眼科\n请眼科会诊。",
		"告知家属：继续点药，避免揉眼。",
		"家长微信：见登记表",
		"科主任：\n主管医生已告知，眼科主任查房，班主任来电。",
		"其父不识字，儿子在外地工作，家属陪同。",
	} {
		if got := spanTexts(t, d, s); len(got) > 0 {
			t.Errorf("%q: unexpected spans %v", s, got)
		}
	}
}

func TestLatinNamesAgesAndPhones(t *testing.T) {
	checkPositives(t, []posCase{
		{"姓名：黄家明（WONG KA MING）　性别：男", "NAME:WONG KA MING"},
		{"患者 Maria Lopez（玛丽亚），女，30岁", "NAME:Maria Lopez"},
		{"医师：Dr. 鄧嘉樂", "NAME:鄧嘉樂"},
		{"3 白秀英 女 93 无 城关镇", "AGE:93"},
		{"手机(+86)139-1234-5678", "PHONE:(+86)139-1234-5678"},
	})
	d := testDeid(t, Options{})
	if got := spanTexts(t, d, "患者 IOL Master 测量，OCT 示黄斑水肿。"); len(got) > 0 {
		t.Errorf("unexpected spans %v", got)
	}
}
