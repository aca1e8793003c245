package segment

import (
	"runtime"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/go-ego/gse"

	"bingli/services/note"
)

// benchNotes are synthetic ophthalmology notes of about 500 characters,
// written for the benchmark (no corpus text).
var benchNotes = []string{
	"主诉：双眼视物模糊两年，右眼加重三个月。现病史：患者两年前无明显诱因出现双眼视物模糊，无眼红眼痛，无畏光流泪，未予诊治。三个月前自觉右眼视物模糊明显加重，遂来我院门诊就诊。既往史：2型糖尿病史十年，口服二甲双胍，血糖控制尚可；否认高血压病史，否认药物过敏史。专科检查：VOD 0.3，VOS 0.6，矫正视力OD 0.4，OS 0.8。眼压：右眼16mmHg，左眼15mmHg。双眼结膜无充血，角膜透明，前房深度正常，房水闪辉阴性，瞳孔圆，直径约3mm，对光反射灵敏。晶状体皮质及核混浊，右眼为著。眼底：视盘边界清，色淡红，杯盘比约0.3，视网膜散在微血管瘤及点状出血，黄斑中心凹反光不清。辅助检查：眼轴长度OD 23.56mm，OS 23.48mm；角膜曲率K1 43.25D，K2 44.00D；OCT示右眼黄斑区视网膜增厚，中心凹厚度约356μm。诊断：1.年龄相关性白内障（双眼）；2.非增殖性糖尿病视网膜病变（双眼）；3.糖尿病黄斑水肿（右眼）。处理：完善术前检查，择期行右眼超声乳化白内障吸除联合人工晶体植入术，术前予左氧氟沙星滴眼液点右眼，每日四次。",
	"青光眼随访记录。患者因原发性开角型青光眼规律随访三年。目前用药：曲伏前列素滴眼液双眼每晚一次，酒石酸溴莫尼定滴眼液双眼每日两次。自述用药后偶有眼红、异物感，无眼痛头痛，无恶心呕吐。检查：视力右眼1.0，左眼0.8（矫正）。非接触眼压计测眼压：右眼18mmHg，左眼21mmHg，较上次随访（右眼17mmHg，左眼19mmHg）略升高。前房深度正常，房角镜检查示双眼房角开放，Shaffer分级3级。视盘：右眼杯盘比0.6，左眼杯盘比0.7，左眼下方盘沿变窄。视野检查：左眼上方弓形暗点，平均缺损MD -6.35dB，较前进展；右眼MD -2.10dB，基本稳定。OCT示左眼视网膜神经纤维层下方变薄，平均厚度78μm。评估：左眼眼压控制欠佳，视野有进展。处理：左眼加用布林佐胺滴眼液每日两次，嘱患者规律用药，避免熬夜及短时间大量饮水，一个月后复查眼压，三个月后复查视野及OCT。如眼压仍控制不佳，考虑行选择性激光小梁成形术或小梁切除术。患者及家属表示理解，同意目前治疗方案。",
	"玻璃体腔注射治疗记录。诊断：湿性年龄相关性黄斑变性（左眼）。患者为第三次注射，前两次注射后视力由0.1提高至0.3，黄斑水肿减轻。本次术前检查：左眼视力0.3，眼压14mmHg，前节安静，角膜透明，晶状体轻度混浊。OCT示黄斑区视网膜下积液较前减少，中心视网膜厚度由412μm降至298μm，可见脉络膜新生血管膜。术前签署知情同意书，术前三天予左氧氟沙星滴眼液点左眼每日四次。手术经过：常规消毒铺巾，表面麻醉，开睑器开睑，聚维酮碘冲洗结膜囊，于颞下方角膜缘后3.5mm处以30G针头垂直进针，向玻璃体腔内缓慢注入雷珠单抗0.05ml（0.5mg），拔针后棉签按压穿刺口，测眼压指测Tn，患者手动视力存在。术毕妥布霉素地塞米松眼膏涂眼，无菌纱布遮盖。术后医嘱：注意眼部卫生，避免揉眼，一周内避免脏水入眼；继续左氧氟沙星滴眼液点左眼每日四次，共三天；如出现眼红、眼痛、视力突然下降，及时就诊；四周后复查视力、眼压及OCT，评估是否需要继续注射阿柏西普或康柏西普。",
	"出院小结。入院诊断：孔源性视网膜脱离（右眼）；高度近视（双眼）。入院情况：患者因右眼前黑影遮挡五天入院，既往双眼高度近视，屈光度约-8.00DS，否认外伤史。入院检查：VOD 手动/眼前，VOS 0.12，矫正0.8。眼压右眼9mmHg，左眼15mmHg。右眼玻璃体混浊，颞上方视网膜青灰色隆起，可见马蹄形裂孔，黄斑区受累。B超示右眼视网膜脱离。诊疗经过：入院后完善血常规、凝血功能、心电图等检查，未见明显手术禁忌，于入院第二天在局麻下行右眼玻璃体切除术+视网膜复位术+激光光凝+硅油填充术，手术顺利。术后予俯卧位，妥布霉素地塞米松滴眼液、普拉洛芬滴眼液点右眼，复方托吡卡胺滴眼液散瞳。出院情况：右眼视力0.05，眼压18mmHg，角膜透明，前房清，视网膜平伏，硅油在位。出院诊断同入院诊断。出院医嘱：继续俯卧位两周，按时点眼药，禁止剧烈运动及重体力劳动，一周后门诊复查，三个月后评估硅油取出术。如出现眼痛、头痛、恶心呕吐或视力突然下降，请及时来院就诊。左眼高度近视，建议定期散瞳检查眼底，必要时行视网膜激光光凝。",
}

func TestBenchNotesSize(t *testing.T) {
	for i, n := range benchNotes {
		if c := utf8.RuneCountInString(n); c < 400 || c > 650 {
			t.Errorf("bench note %d has %d characters, want about 500", i, c)
		}
	}
}

func benchBytes() (n int64) {
	for _, s := range benchNotes {
		n += int64(len(s))
	}
	return n
}

// BenchmarkProcess: throughput of Process on ~500-character notes. MB/s is
// UTF-8 bytes of note text (about 3 bytes per Chinese character); run with
// -cpu 1 for the per-core figure.
func BenchmarkProcess(b *testing.B) {
	for _, mode := range []HMMMode{HMMOn, HMMOff} {
		b.Run("hmm="+string(mode), func(b *testing.B) {
			s := newTest(b, Options{HMM: mode})
			ctx := b.Context()
			b.SetBytes(benchBytes())
			b.ReportAllocs()
			for b.Loop() {
				for _, text := range benchNotes {
					n := note.Note{NoteID: "n", Text: text}
					if err := s.Process(ctx, &n); err != nil {
						b.Fatal(err)
					}
				}
			}
			b.ReportMetric(float64(b.N*len(benchNotes))/b.Elapsed().Seconds(), "notes/s")
		})
	}
}

// BenchmarkGseCut is the baseline: gse's own Cut with HMM and its full
// embedded simplified dictionary on the same notes (no offsets).
func BenchmarkGseCut(b *testing.B) {
	var seg gse.Segmenter
	seg.SkipLog = true
	if err := seg.LoadDictEmbed("zh_s"); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(benchBytes())
	b.ReportAllocs()
	for b.Loop() {
		for _, text := range benchNotes {
			seg.Cut(text, true)
		}
	}
}

// BenchmarkLoad: building each dictionary from scratch (no cache), with
// the heap it keeps after a GC (MB-heap).
func BenchmarkLoad(b *testing.B) {
	lexs, err := Options{}.lexicons()
	if err != nil {
		b.Fatal(err)
	}
	for _, dict := range []string{DictTrimmed, DictGseZhS, DictNone} {
		b.Run(dict, func(b *testing.B) {
			var heap float64
			for b.Loop() {
				b.StopTimer()
				before := heapInUse()
				b.StartTimer()
				d, err := loadDictionary(dict, lexs)
				if err != nil {
					b.Fatal(err)
				}
				b.StopTimer()
				heap = float64(heapInUse()-before) / (1 << 20)
				runtime.KeepAlive(d)
				b.StartTimer()
			}
			b.ReportMetric(heap, "MB-heap")
		})
	}
}

// TestLoadTime logs the time and heap of loading each dictionary once
// (go test -run LoadTime -v).
func TestLoadTime(t *testing.T) {
	if testing.Short() {
		t.Skip("slow")
	}
	lexs, err := Options{}.lexicons()
	if err != nil {
		t.Fatal(err)
	}
	for _, dict := range []string{DictTrimmed, DictGseZhS} {
		before := heapInUse()
		start := time.Now()
		d, err := loadDictionary(dict, lexs)
		if err != nil {
			t.Fatal(err)
		}
		took := time.Since(start)
		heap := float64(heapInUse()-before) / (1 << 20)
		t.Logf("dictionary=%-11s words=%d load=%v heap=%.0f MB", dict, len(d.freq), took.Round(time.Millisecond), heap)
		runtime.KeepAlive(d)
	}
}

func heapInUse() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}
