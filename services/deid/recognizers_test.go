package deid

import (
	"strings"
	"testing"
	"time"
)

// mustDetect returns the spans of s, failing the test on an error.
func mustDetect(t testing.TB, d *Deidentifier, s string) []Span {
	t.Helper()
	spans, err := d.Detect(s, "p")
	if err != nil {
		t.Fatalf("Detect: %v", err)
	}
	return spans
}

// spanTexts returns "LABEL:text" for each detected span.
func spanTexts(t testing.TB, d *Deidentifier, s string) []string {
	rs := []rune(s)
	var out []string
	for _, x := range mustDetect(t, d, s) {
		out = append(out, x.Label+":"+string(rs[x.Start:x.End]))
	}
	return out
}

func contains(list []string, want string) bool {
	for _, s := range list {
		if s == want {
			return true
		}
	}
	return false
}

type posCase struct{ text, want string }

// checkNoLabel asserts that no span of label is found in any of texts
// (clinical look-alikes of an identifier).
func checkNoLabel(t *testing.T, label string, texts ...string) {
	t.Helper()
	d := testDeid(t, Options{})
	for _, s := range texts {
		for _, g := range spanTexts(t, d, s) {
			if strings.HasPrefix(g, label+":") {
				t.Errorf("%q: unexpected %s", s, g)
			}
		}
	}
}

func checkPositives(t *testing.T, cases []posCase) {
	t.Helper()
	d := testDeid(t, Options{})
	for _, c := range cases {
		if got := spanTexts(t, d, c.text); !contains(got, c.want) {
			t.Errorf("%q: want %s, got %v", c.text, c.want, got)
		}
	}
}

func TestIDNumberRecognizer(t *testing.T) {
	checkPositives(t, []posCase{
		{"身份证号：110105197107108631", "ID_NUMBER:110105197107108631"},
		{"证件 42011119690712511X 已核对", "ID_NUMBER:42011119690712511X"},
		{"身份证 23010319830524182x。", "ID_NUMBER:23010319830524182x"},
		{"号码 440305 19970105 2817", "ID_NUMBER:440305 19970105 2817"},
		{"ID 4403-0519-9701-052817 ", "ID_NUMBER:4403-0519-9701-052817"},
		{"身份证１１０１０５１９７１０７１０８６３１", "ID_NUMBER:１１０１０５１９７１０７１０８６３１"},
		{"旧证 110105460312481，", "ID_NUMBER:110105460312481"},
		{"护照号码：E12345678", "ID_NUMBER:E12345678"},
		{"港澳通行证 C12345678", "ID_NUMBER:C12345678"},
		{"医保卡号：D12345678901", "OTHER_ID:D12345678901"},
		{"退费账户 6222174724781390", "OTHER_ID:6222174724781390"},
		{"银行卡号 6222 8272 6322 2221", "OTHER_ID:6222 8272 6322 2221"},
	})
	if !ValidID18("110105197107108631") || ValidID18("110105197107108632") || ValidID18("990105197107108631") {
		t.Error("ValidID18: check digit / province validation wrong")
	}
	if !ValidID15("110105460312481") || ValidID15("110105461312481") {
		t.Error("ValidID15: birth date validation wrong")
	}
}

func TestPhoneRecognizer(t *testing.T) {
	checkPositives(t, []posCase{
		{"电话13812345678", "PHONE:13812345678"},
		{"手机 138 1234 5678。", "PHONE:138 1234 5678"},
		{"手机 138-1234-5678", "PHONE:138-1234-5678"},
		{"联系电话 023 - 7555 1036", "PHONE:023 - 7555 1036"},
		{"电话0771 - 3237 465。", "PHONE:0771 - 3237 465"},
		{"手机 138 - 1234 - 5678", "PHONE:138 - 1234 - 5678"},
		{"tel +86 135 7788 2046", "PHONE:+86 135 7788 2046"},
		{"联系 +86-186-1234-9876", "PHONE:+86-186-1234-9876"},
		{"手机１５０ １２３４ ５６７８", "PHONE:１５０ １２３４ ５６７８"},
		{"电话（010）6512 3456转123", "PHONE:（010）6512 3456转123"},
		{"电话(0731)84562210", "PHONE:(0731)84562210"},
		{"总机 010-65123456", "PHONE:010-65123456"},
		{"座机０２１－６４３７ ８８９９", "PHONE:０２１－６４３７ ８８９９"},
		{"0755-26543210转8012", "PHONE:0755-26543210转8012"},
		{"办公室 021-5432 1098 转 306", "PHONE:021-5432 1098 转 306"},
		{"联系电话：87654321", "PHONE:87654321"},
		{"客服 400-820-1234", "PHONE:400-820-1234"},
	})
}

func TestRecordNumberRecognizer(t *testing.T) {
	checkPositives(t, []posCase{
		{"住院号：ZY20221118003", "RECORD_NUMBER:ZY20221118003"},
		{"门诊号 2307210045", "RECORD_NUMBER:2307210045"},
		{"门诊号[23112900156]", "RECORD_NUMBER:23112900156"},
		{"病案号：00812345", "RECORD_NUMBER:00812345"},
		{"ID号：0003456721", "RECORD_NUMBER:0003456721"},
		{"检查号：FFA230602017", "RECORD_NUMBER:FFA230602017"},
		{"床号：12 ", "RECORD_NUMBER:12"},
		{"登记号：0012876543", "RECORD_NUMBER:0012876543"},
		{"ZY20230456\n入院记录", "RECORD_NUMBER:ZY20230456"},
		{"病理号：B2023-12876", "RECORD_NUMBER:B2023-12876"},
	})
}

func TestDateRecognizer(t *testing.T) {
	checkPositives(t, []posCase{
		{"于2023年3月5日手术", "DATE:2023年3月5日"},
		{"二〇二三年三月五日 签字", "DATE:二〇二三年三月五日"},
		{"3-21 08:00  体温36.5℃", "DATE:3-21"},
		{"落款：二〇二二年十二月二十三日", "DATE:二〇二二年十二月二十三日"},
		{"23年3月5日门诊复查", "DATE:23年3月5日"},
		{"外院报告日期 5/3/2023", "DATE:5/3/2023"},
		{"于2023年03月05号手术", "DATE:2023年03月05号"},
		{"2023-03-05复查", "DATE:2023-03-05"},
		{"2023.3.5复查", "DATE:2023.3.5"},
		{"2023/8/21注射", "DATE:2023/8/21"},
		{"随访 23/3/5", "DATE:23/3/5"},
		{"嘱3月5日复诊", "DATE:3月5日"},
		{"2023年3月复诊", "DATE:2023年3月"},
		{"2019年行手术", "DATE:2019年"},
		{"检查日期：20230703", "DATE:20230703"},
		{"出生日期：1962年8月15日", "DATE_OF_BIRTH:1962年8月15日"},
		{"出生日期：1947-02-11", "DATE_OF_BIRTH:1947-02-11"},
		{"2023年 3 月 5 日", "DATE:2023年 3 月 5 日"},
	})
}

func TestOtherRecognizers(t *testing.T) {
	checkPositives(t, []posCase{
		{"女，92岁，", "AGE:92岁"},
		{"九十二岁老人，", "AGE:九十二岁"},
		{"患者年逾九旬，", "AGE:九旬"},
		{"一百零一岁", "AGE:一百零一岁"},
		{"享年90", "AGE:90"},
		{"年龄：93", "AGE:93"},
		{"95 周岁", "AGE:95 周岁"},
		{"邮箱 zhang.wei@163.com。", "EMAIL:zhang.wei@163.com"},
		{"见 https://example.cn/p?id=1 。", "URL:https://example.cn/p?id=1"},
		{"微信号：dingyq_1984", "OTHER_ID:dingyq_1984"},
		{"QQ：284736152", "OTHER_ID:284736152"},
		{"车牌京A12345", "OTHER_ID:京A12345"},
		{"车牌号沪A·D12345", "OTHER_ID:沪A·D12345"},
		{"工作单位：江城机械制造有限公司，", "ORGANIZATION:江城机械制造有限公司"},
		{"就读于湖南师范大学。", "ORGANIZATION:湖南师范大学"},
	})
}

func TestAddressRecognizer(t *testing.T) {
	checkPositives(t, []posCase{
		{"住址：北京市朝阳区幸福路12号3栋2单元501室。", "ADDRESS:北京市朝阳区幸福路12号3栋2单元501室"},
		{"地址：天河区珠江新城华夏路10号富力中心2306", "ADDRESS:天河区珠江新城华夏路10号富力中心2306"},
		{"联系地址：高新区天府大道北段1700号环球中心E5区", "ADDRESS:高新区天府大道北段1700号环球中心E5区"},
		{"患者系本地居民，住友谊路街道", "ADDRESS:友谊路街道"},
		{"曾于闵行区人民医院就诊", "ORGANIZATION:闵行区人民医院"},
		{"家庭住址：广州市海珠区江南大道中路168号之二802房", "ADDRESS:广州市海珠区江南大道中路168号之二802房"},
		{"患者在武汉市东西湖区金银湖街道金山大道与三店西路交汇处工地受伤", "ADDRESS:武汉市东西湖区金银湖街道金山大道与三店西路交汇处"},
		{"户口地址：北京市海淀区清河毛纺路甲2号院8号楼    邮编", "ADDRESS:北京市海淀区清河毛纺路甲2号院8号楼"},
		{"1 刘玉兰 女 67 杨桥镇刘寨村东队 1595582", "ADDRESS:杨桥镇刘寨村东队"},
		{"单位地址：郑州市金水区花园路与农业路交叉口东南角", "ADDRESS:郑州市金水区花园路与农业路交叉口东南角"},
		{"住昌平区回龙观龙泽苑东区12号楼3门402。", "ADDRESS:昌平区回龙观龙泽苑东区12号楼3门402"},
		{"现住址：哈尔滨市南岗区学府路74号黑龙江大学家属区12栋3单元5楼东户", "ADDRESS:哈尔滨市南岗区学府路74号黑龙江大学家属区12栋3单元5楼东户"},
		{"现住址：重庆市渝中区解放碑街道八一路177号大都会东方广场2702", "ADDRESS:重庆市渝中区解放碑街道八一路177号大都会东方广场2702"},
		{"籍贯山西省吕梁市临县", "ADDRESS:山西省吕梁市临县"},
		{"出生地青海省玉树州称多县）", "ADDRESS:青海省玉树州称多县"},
		{"筛查地点：临泉县杨桥镇刘寨村村委会    眼底", "ADDRESS:临泉县杨桥镇刘寨村村委会"},
		{"户籍地址莱芜区口镇街道西街村，现住", "ADDRESS:莱芜区口镇街道西街村"},
		{"开户行：中国工商银行北京海淀支行  户名", "ORGANIZATION:中国工商银行北京海淀支行"},
		{"上海浦东发展银行柜员", "ORGANIZATION:上海浦东发展银行"},
		{"凉山州会理市鹿厂镇来，在成都打工", "ADDRESS:成都"},
		{"去郑州出差", "ADDRESS:郑州"},
		{"家住湖北省武汉市洪山区珞喻路1037号", "ADDRESS:湖北省武汉市洪山区珞喻路1037号"},
		{"来自浙江省杭州市西湖区文三路259号，", "ADDRESS:浙江省杭州市西湖区文三路259号"},
		{"现住四川省成都市武侯区人民南路四段27号", "ADDRESS:四川省成都市武侯区人民南路四段27号"},
		{"住在阳光小区3栋2单元501室", "ADDRESS:阳光小区3栋2单元501室"},
		{"籍贯：山西省太原市", "ADDRESS:山西省太原市"},
		{"患者住朝阳区建国路88号", "ADDRESS:朝阳区建国路88号"},
		{"邮编：210008", "ADDRESS:210008"},
	})
}

func TestNameRecognizer(t *testing.T) {
	checkPositives(t, []posCase{
		{"患者张建国，男，67岁", "NAME:张建国"},
		{"姓名：欧阳志远 性别：男", "NAME:欧阳志远"},
		{"医师：王明  2023-03-05", "NAME:王明"},
		{"医师签名：李华", "NAME:李华"},
		{"记录者 李华\n", "NAME:李华"},
		{"家属：其子王志强，电话", "NAME:王志强"},
		{"之女马秀兰要求", "NAME:马秀兰"},
		{"其妻潘玉兰陪同", "NAME:潘玉兰"},
		{"主治医师：孙立新", "NAME:孙立新"},
		{"护士：廖佳", "NAME:廖佳"},
		{"术者：金鑫  助手：石磊", "NAME:石磊"},
		{"术者：王明、李华", "NAME:李华"},
		{"黄志刚 男 58岁", "NAME:黄志刚"},
		{"高建华，男，49岁。", "NAME:高建华"},
		{"肖红梅，女，66岁", "NAME:肖红梅"},
		{"由王明医师接诊", "NAME:王明"},
		{"请张主任会诊", "NAME:张"},
		{"\n    赵丽\n", "NAME:赵丽"},
		{"签名：司马云", "NAME:司马云"},
	})
}

// clinicalSentences are clinical text without identifiers (numbers,
// eponyms, drugs, laterality, ordinary sentences) that no recognizer may
// touch; tests add their own to them.
var clinicalSentences = []string{
	"视力 OD 0.8 OS 1.0，矫正视力 20/40，眼压 24mmHg，C/D 0.6。",
	"右眼眼压 18 mmHg，左眼眼压 21mmHg，中央角膜厚度 532μm。",
	"予阿托品 0.01% 滴眼液每晚1次，雷珠单抗0.5mg/0.05ml玻璃体腔注射。",
	"HbA1c 7.2%，空腹血糖 9.8mmol/L，血压 168/102mmHg，心率 78次/分。",
	"眼轴长度 OD 24.5mm OS 24.3mm，角膜曲率 K1 43.25D K2 44.00D，IOL +21.5D。",
	"术后3个月复查，每2周随访1次，连续3次。",
	"诊断：霍纳综合征；马凡综合征；Vogt-小柳原田综合征；高血压病。",
	"予王氏保赤丸口服，云南白药胶囊止血，甘露醇250ml静滴。",
	"查体：双眼结膜无充血，左眼角膜透明，右眼前房深。OD、OS 均正常。",
	"张力性气胸已排除。高眼压症，黄斑区水肿，白内障，青光眼。",
	"电脑验光 OD -1.25DS/-0.50DC×180，OS -1.00DS/-0.75DC×175。",
	"角膜内皮计数 OD 2856/mm² OS 2790/mm²，MD -8.5dB，PSD 6.2dB。",
	"白细胞 6.5×10^9/L，血红蛋白 132g/L，血小板 210×10^9/L。",
	"复方托吡卡胺滴眼液散瞳，左氧氟沙星滴眼液 4次/日。",
	"主诉：右眼视物模糊半年。\n现病史：患者半年前无明显诱因出现右眼视物模糊。",
	"患者自诉既往体健，否认糖尿病史。患者于今日来诊。患者双眼视力下降。",
	"患者平素体健，患者全身情况可，患者高血压病史10年。",
}

// TestClinicalContentSurvives: clinical numbers, eponyms, drugs, laterality
// and ordinary clinical sentences must not be touched.
func TestClinicalContentSurvives(t *testing.T) {
	d := testDeid(t, Options{})
	for _, s := range append(clinicalSentences[:len(clinicalSentences):len(clinicalSentences)],
		"诊断\n白内障\n处理\n随访\n",
		"角膜映光 +15°，三棱镜 +30PD，突眼度 19mm，眶距 98mm，CAS评分 4分。",
		"裸眼视力 1.2，残余度数 -0.25D，3级，ⅡA期，1:1000 稀释。",
		"康复科会诊意见：无特殊。宋体字印刷的宣教材料已发放。",
		"术后第一天，三月余前曾发作，一九九〇年代起吸烟，一二级亲属无类似病史。",
		"处理：1.更昔洛韦眼用凝胶 每日四次；2.右眼YAG激光虹膜周切。",
		"左眼玻璃体腔注射阿柏西普0.05ml，2分钟后冲洗。",
		"血红蛋白 128 115-150 g/L，血小板 215 125-350 ×10^9/L",
		"患者在上海工作，去年在吉林治疗，在局麻下行手术，在我院就诊。",
		"工作单位及地址：见下",
		"患者，男，67岁，身份证号见附件",
		"右眼玻璃体腔注射安维汀1.25mg，既往朗沐3针、艾力雅2针。",
		"同期替吉奥 40MG 口服，皮肤黄染、尿黄14天，患者于我院行胃镜检查。",
	) {
		if got := spanTexts(t, d, s); len(got) > 0 {
			t.Errorf("%q: unexpected spans %v", s, got)
		}
	}
}

// A regression: an address whose street components ended before the house
// number sent the scan backwards forever.
func TestAddressScanAlwaysAdvances(t *testing.T) {
	d := testDeid(t, Options{})
	done := make(chan []Span, 1)
	go func() { s, _ := d.Detect("重庆市江北区金沙路338号阳光名苑30号楼2", "p"); done <- s }()
	select {
	case spans := <-done:
		if len(spans) == 0 || spans[0].Label != Address {
			t.Fatalf("spans %+v", spans)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Detect did not return")
	}
}

// Health facilities are organisations when they carry a proper name.
func TestFacilityRecognizer(t *testing.T) {
	checkPositives(t, []posCase{
		{"遂宁市中心医院\n门诊病历", "ORGANIZATION:遂宁市中心医院"},
		{"曾于南充市第三人民医院就诊", "ORGANIZATION:南充市第三人民医院"},
		{"在市北区中医院行针灸", "ORGANIZATION:市北区中医院"},
		{"于川北医学院附属医院行手术", "ORGANIZATION:川北医学院附属医院"},
		{"转自白塔镇卫生院。", "ORGANIZATION:白塔镇卫生院"},
		{"转自自贡市第一人民医院", "ORGANIZATION:自贡市第一人民医院"},
		{"外院（华西医院）诊断", "ORGANIZATION:华西医院"},
		{"在普瑞眼科医院西城分院验光", "ORGANIZATION:普瑞眼科医院西城分院"},
		{"由南湖街道社区卫生服务中心转诊", "ORGANIZATION:南湖街道社区卫生服务中心"},
		{"到康泰诊所输液", "ORGANIZATION:康泰诊所"},
	})
}

// Generic facility words, departments and directions are left alone.
func TestGenericFacilityAndDirectionSurvive(t *testing.T) {
	d := testDeid(t, Options{})
	for _, s := range []string{
		"建议至上级医院进一步诊治，或当地医院随访。",
		"于县人民医院、市中医院、乡卫生院先后就诊，后转我院。",
		"我院眼科门诊复查，本院门诊部取药，眼科中心行OCT。",
		"白内障中心 复诊记录，屈光中心验光，眼底病中心会诊。",
		"社区卫生服务中心测血压，外院诊断不详，就诊于第3人民医院。",
		"单位体检发现眼压偏高。学校体检发现视力下降。",
		"颞上方视网膜裂孔，鼻侧周边部格子样变性，上方虹膜周切口通畅，颞侧切口闭合。",
		"病变发生于颞侧周边部，出生于足月顺产。",
		"患者单眼视力下降，患者单纯疱疹病毒性角膜炎病史，患者晨起眼睑水肿。",
		"谈话医师已告知风险。",
	} {
		if got := spanTexts(t, d, s); len(got) > 0 {
			t.Errorf("%q: unexpected spans %v", s, got)
		}
	}
}

func TestAddressWithoutProvince(t *testing.T) {
	checkPositives(t, []posCase{
		{"住址：渝北区新南路166号金科天籁城7幢2单元", "ADDRESS:渝北区新南路166号金科天籁城7幢2单元"},
		{"现居保利香槟花园B座1502室，", "ADDRESS:保利香槟花园B座1502室"},
		{"家住沙坪坝区小龙坎正街12号附3号", "ADDRESS:沙坪坝区小龙坎正街12号附3号"},
		{"住址：新华路18号", "ADDRESS:新华路18号"},
		{"家住和平路7号院", "ADDRESS:和平路7号院"},
		{"个人史：生于绵阳市，久居本地。", "ADDRESS:绵阳市"},
	})
}

func TestNameInProseAndGivenNames(t *testing.T) {
	checkPositives(t, []posCase{
		{"由爱人祝文英陪同", "NAME:祝文英"},
		{"其外公蒋天赐代诉", "NAME:蒋天赐"},
		{"姓名：单立群", "NAME:单立群"},
		{"医师：孟子晴", "NAME:孟子晴"},
		{"叶素兰之女诉", "NAME:叶素兰"},
		{"车牌：鄂AKP3X7", "OTHER_ID:鄂AKP3X7"},
	})
}

func TestAddressUnitsAndForms(t *testing.T) {
	checkPositives(t, []posCase{
		{"住遂宁市射洪县金华镇红星村4社，", "ADDRESS:遂宁市射洪县金华镇红星村4社"},
		{"籍贯：江苏省吴县市", "ADDRESS:江苏省吴县市"},
		{"住址：徐汇区长桥街道龙吴路500弄金谷苑12号302", "ADDRESS:徐汇区长桥街道龙吴路500弄金谷苑12号302"},
		{"家住锦江区春熙路街道小巷子8号附2号。", "ADDRESS:锦江区春熙路街道小巷子8号附2号"},
		{"台湾地址：台北市大安区复兴南路一段120巷3号4楼。", "ADDRESS:台北市大安区复兴南路一段120巷3号4楼"},
		{"香港住址：香港九龍尖沙咀彌敦道100號美麗大廈8樓A室", "ADDRESS:香港九龍尖沙咀彌敦道100號美麗大廈8樓A室"},
		{"户口地址：锡林郭勒盟正蓝旗上都镇巴音乌拉嘎查", "ADDRESS:锡林郭勒盟正蓝旗上都镇巴音乌拉嘎查"},
		{"住址：郑州市二七区大学路北段20号院3号楼西单元5层502", "ADDRESS:郑州市二七区大学路北段20号院3号楼西单元5层502"},
		{"地点：海淀区上地街道信息路（北段）6号院南门", "ADDRESS:海淀区上地街道信息路（北段）6号院南门"},
		{"单位地址：成都市高新区天府软件园区天府大道北段8号", "ADDRESS:成都市高新区天府软件园区天府大道北段8号"},
		{"住址：昆明市五华区人民路与正义路交叉口南30米", "ADDRESS:昆明市五华区人民路与正义路交叉口南30米"},
		{"住址：城关镇解放路西段九号", "ADDRESS:城关镇解放路西段九号"},
		{"户籍地址：丹东市振兴区帽盔山街道安民社区3委12组", "ADDRESS:丹东市振兴区帽盔山街道安民社区3委12组"},
	})
}

func TestShortDatesAndNumberFields(t *testing.T) {
	checkPositives(t, []posCase{
		{"嘱：1.避免揉眼；2.6月18日复查。", "DATE:6月18日"},
		{"复诊日期：十月二十日", "DATE:十月二十日"},
		{"门诊记录\n7/14 复诊，眼压稳定", "DATE:7/14"},
		{"术前检查：11/2抽血", "DATE:11/2"},
		{"\n23.9.8　门诊号123", "DATE:23.9.8"},
		{"检查日期：03-Mar-2024", "DATE:03-Mar-2024"},
		{"22年11月行激光治疗", "DATE:22年11月"},
		{"建档号ZS-1187，弱视", "RECORD_NUMBER:ZS-1187"},
		{"预约号：YY-20240301-012", "RECORD_NUMBER:YY-20240301-012"},
		{"民警（警号051276）陪同", "OTHER_ID:051276"},
		{"保单号：P2023 1187 0045", "OTHER_ID:P2023 1187 0045"},
		{"№ 0051234", "RECORD_NUMBER:0051234"},
	})
	d := testDeid(t, Options{})
	for _, s := range []string{
		"约1/3患者，2/3的病例于1岁内发病；视力 6/12，矫正 6/9。",
		"IOL型号：SN60WF，批号见包装，信号强度 7/10。",
		"病程23年3个月，3.5 mm，眼压 3.2mmHg。",
	} {
		if got := spanTexts(t, d, s); len(got) > 0 {
			t.Errorf("%q: unexpected spans %v", s, got)
		}
	}
}

func TestRecordValueListsAndCopulas(t *testing.T) {
	checkPositives(t, []posCase{
		{"住院号为：ZY-2024-0311，", "RECORD_NUMBER:ZY-2024-0311"},
		{"住院号2403117、2403120两份病历", "RECORD_NUMBER:2403120"},
		{"门诊号 MZ0012、MZ0031", "RECORD_NUMBER:MZ0031"},
	})
	d := testDeid(t, Options{})
	// a different shape after the list mark is not a second record number
	if got := spanTexts(t, d, "住院号2403117，3天后出院"); contains(got, "RECORD_NUMBER:3") || len(got) != 1 {
		t.Errorf("unexpected spans %v", got)
	}
}

func TestAddressWithSpaces(t *testing.T) {
	checkPositives(t, []posCase{
		{"现住址：黑龙江省 哈尔滨市 南岗区 学府路 74 号 2单元 501", "ADDRESS:黑龙江省 哈尔滨市 南岗区 学府路 74 号 2单元 501"},
		{"住 江西省赣州市于都县 贡江镇 长征路 12号", "ADDRESS:江西省赣州市于都县 贡江镇 长征路 12号"},
		{"地址 甘肃省定西市岷县梅川镇 下寨村二社", "ADDRESS:甘肃省定西市岷县梅川镇 下寨村二社"},
	})
}

// resolve is deterministic: of two spans with the same extent, score and
// length, the one that came first (the earlier registered recognizer's)
// gives the label, wherever other spans stand in the input.
func TestResolveTieKeepsRegistryOrder(t *testing.T) {
	rec := Span{Start: 10, End: 18, Label: RecordNumber, Score: 0.9, Recognizer: "record"}
	other := Span{Start: 10, End: 18, Label: OtherID, Score: 0.9, Recognizer: "number"}
	for n := 0; n < 200; n += 7 {
		var in []Span
		for k := 0; k < n; k++ { // unrelated names, as propagation appends them
			in = append(in, Span{Start: 30 + 3*((k*37)%n), End: 32 + 3*((k*37)%n), Label: Name, Score: 0.8})
		}
		in = append(in, rec, other)
		for k := 0; k < n; k++ {
			in = append(in, Span{Start: 1000 + 3*((k*53)%n), End: 1002 + 3*((k*53)%n), Label: Name, Score: 0.8})
		}
		got := resolve(in)
		if got[0].Label != RecordNumber {
			t.Fatalf("with %d other spans: label %s, want %s", 2*n, got[0].Label, RecordNumber)
		}
	}
}
