package deid

import "testing"

// Names where a person stands in staff lists, forms, kinship clauses and
// tables, including names that are ordinary words or lack a gazetteer
// surname. All names here are invented.
func TestStaffAndKinNames(t *testing.T) {
	checkPositives(t, []posCase{
		{"参会：眼科孔德明、放射科伍立新、病理科甘毅", "NAME:伍立新"},
		{"核对/发药：于洋", "NAME:于洋"},
		{"姓名：王 建 国  性别：男", "NAME:王 建 国"},
		{"姓 名：王 建 国  性 别：男", "NAME:王 建 国"},
		{"主治：德吉   住院医师：米玛", "NAME:德吉"},
		{"上报：者文斌", "NAME:者文斌"},
		{"记录：院长孙传德    2025.4.7", "NAME:孙传德"},
		{"外科江河医师处理面部伤口。", "NAME:江河"},
		{"操作：盛晓燕   报告：郇立平   报告日期：2024年8月8日", "NAME:盛晓燕"},
		{"操作：盛晓燕   报告：郇立平   报告日期：2024年8月8日", "NAME:郇立平"},
		{"术者：吉明   助手：王芳   巡回：云丽娇", "NAME:云丽娇"},
		{"术者张华，麻醉牛小芳。", "NAME:牛小芳"},
		{"监护人：父 陈国强（身份证见附件）", "NAME:陈国强"},
		{"今日眼科古丽娜·阿不都医师会诊", "NAME:古丽娜·阿不都"},
		{"父亲格日乐图，手机13800000000", "NAME:格日乐图"},
		{"母亲萨仁其其格，电话见上", "NAME:萨仁其其格"},
		{"联系人：丈夫扎西多吉，手机13800000000", "NAME:扎西多吉"},
		{"15床 哈斯高娃，女，61岁，右眼术后", "NAME:哈斯高娃"},
		{"01 沙马阿各 男 71 铜矿村", "NAME:沙马阿各"},
		{"17:25  客服安然回复：您好", "NAME:安然"},
		{"联系助理田田：微信见上", "NAME:田田"},
		{"我老伴郑月华天天帮我点药", "NAME:郑月华"},
		{"由住院医师江月行腰椎穿刺术", "NAME:江月"},
		{"家属侯福来陪护，已加床档", "NAME:侯福来"},
		{"民警方天，警号051276", "NAME:方天"},
		{"兹证明 于海波 同学，男，16岁", "NAME:于海波"},
		{"Ⅰ助：胡晨   Ⅱ助：米雪   麻醉医师：邬思", "NAME:米雪"},
		{"科主任：笪志强   主治医师：刘明", "NAME:笪志强"},
		{"血糖控制可。\n眼科：柏雨　2023.2.21", "NAME:柏雨"},
		{"患者 Omar Khalid（奥马尔），男，40岁", "NAME:奥马尔"},
		{"处方已开。\n左建华\n", "NAME:左建华"},
	})
}

// Words standing after 患者/家属 or before a title that start a clause or
// name a role, drugs and clinical words: not names.
func TestStaffAndKinNamesKeepClinicalText(t *testing.T) {
	d := testDeid(t, Options{})
	for _, s := range []string{
		"患者职业为教师，患者汉语交流困难，患者家中电话见上。",
		"家属商议后暂不手术。患者为老年女性，视力下降。",
		"操作医师审核后执行，洗手护士清点器械。",
		"诊断：左眼屈光参差性弱视；转屈光手术中心。",
		"目前：伊奈利珠单抗300mg静滴。左眼眶周挫伤，眶周淤青。",
		"麻醉：局麻。报告：阴性。巡回：无。眼科：正常。",
		"患者：好的，点的。",
		"戴软镜史6年，常戴镜过夜。",
	} {
		if got := spanTexts(t, d, s); len(got) > 0 {
			t.Errorf("%q: unexpected spans %v", s, got)
		}
	}
}

// Address, organisation and record-number forms of the same pass.
func TestAddressOrgAndRecordForms(t *testing.T) {
	checkPositives(t, []posCase{
		{"现住址：石家庄市长安区建北街道建华北大街36号天山家园2期7栋2单元901", "ADDRESS:石家庄市长安区建北街道建华北大街36号天山家园2期7栋2单元901"},
		{"暂住：北京市西城区南礼士路62号院南侧家庭旅馆", "ADDRESS:北京市西城区南礼士路62号院南侧家庭旅馆"},
		{"现在贵阳市观山湖区林城东路中天未来方舟G5组团工地务工", "ADDRESS:贵阳市观山湖区林城东路中天未来方舟G5组团"},
		{"兹有我镇石门镇双龙村七组村民李某", "ADDRESS:石门镇双龙村七组"},
		{"夏季在巴音镇附近放牧", "ADDRESS:巴音镇附近"},
		{"目前住在石门乡。", "ADDRESS:石门乡"},
		{"教师 沛县新城区人民路锦绣城5号楼2单元601", "ADDRESS:沛县新城区人民路锦绣城5号楼2单元601"},
		{"建议去沛县人民医院就诊", "ORGANIZATION:沛县人民医院"},
		{"所在村：王庄村村民委员会", "ORGANIZATION:王庄村村民委员会"},
		{"附图为杭州亮视眼镜连锁出具的眼底照片", "ORGANIZATION:杭州亮视眼镜连锁"},
		{"门诊号 MZ 0331 2210 ，身份证见上", "RECORD_NUMBER:MZ 0331 2210"},
		{"张某 女 71 IDKS-0095531 身份证见上", "RECORD_NUMBER:KS-0095531"},
		{"报告通过微信（abc_1234）发送", "OTHER_ID:abc_1234"},
	})
	d := testDeid(t, Options{})
	for _, s := range []string{
		"爷爷用清水冲洗后送镇卫生院。",
		"在当地镇卫生院就诊，回老家镇上，在本镇，在乡镇医院。",
		"IDs 12345，IDH1 突变，QQ2 群。",
	} {
		if got := spanTexts(t, d, s); len(got) > 0 {
			t.Errorf("%q: unexpected spans %v", s, got)
		}
	}
}
